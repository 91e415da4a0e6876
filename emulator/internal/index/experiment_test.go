package index

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"sync"
	"testing"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

func cos8(a, b []int8) float64 {
	var d, na, nb int64
	for i := range a {
		d += int64(a[i]) * int64(b[i])
		na += int64(a[i]) * int64(a[i])
		nb += int64(b[i]) * int64(b[i])
	}
	if na == 0 || nb == 0 {
		if na == nb {
			return 1
		}
		return 0
	}
	return float64(d) / math.Sqrt(float64(na)*float64(nb))
}

func coarseColour(d *imaging.Descriptor) []int8 {
	out := make([]int8, 12)
	for c := 0; c < 3; c++ {
		for by := 0; by < 2; by++ {
			for bx := 0; bx < 2; bx++ {
				s := 0
				for y := 0; y < 4; y++ {
					for x := 0; x < 4; x++ {
						s += int(d.Layout[c*64+(by*4+y)*8+bx*4+x])
					}
				}
				out[c*4+by*2+bx] = int8(s / 16)
			}
		}
	}
	return out
}

type variant struct {
	name string
	f    func(q, c *imaging.Descriptor) float64
}

var variants = []variant{
	{"shape32", func(q, c *imaging.Descriptor) float64 { return cos8(q.Shape[:32], c.Shape[:32]) }},
	{"sketch", func(q, c *imaging.Descriptor) float64 {
		a, b := q.QuerySketch(), c.Sketch()
		d := 0
		for i := range a {
			d += int(a[i]) * int(b[i])
		}
		return float64(d)
	}},
	{"full", func(q, c *imaging.Descriptor) float64 { return float64(imaging.Score(q, c)) }},
}

func TestSketchExperiment(t *testing.T) {
	if os.Getenv("SKETCH_EXPERIMENT") == "" {
		t.Skip()
	}
	const n, nq = 1000, 150
	scenes := make([]scene, n)
	sizes := make([][2]int, n)
	descs := make([]imaging.Descriptor, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i := range scenes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			scenes[i] = newScene(uint64(i))
			sizes[i] = [2]int{320 + r.IntN(481), 320 + r.IntN(481)}
			m := scenes[i].render(sizes[i][0], sizes[i][1])
			p, err := imaging.Inspect(b64(encJPEG(t, m, 90)), imaging.Options{Crop: true})
			if err != nil {
				panic(err)
			}
			descs[i] = p.Descriptor
		}()
	}
	wg.Wait()
	extra := []transform{
		{"crop90", func(t testing.TB, m *image.RGBA) []byte {
			r := m.Rect.Inset(m.Rect.Dx() / 20)
			return encPNG(t, m.SubImage(r))
		}},
		{"gray", func(t testing.TB, m *image.RGBA) []byte {
			g := image.NewGray(m.Rect)
			draw.Draw(g, g.Rect, m, image.Point{}, draw.Src)
			return encJPEG(t, g, 90)
		}},
		{"jpeg_q10", func(t testing.TB, m *image.RGBA) []byte { return encJPEG(t, m, 10) }},
	}
	for _, tr := range append(append([]transform{}, queryTransforms...), extra...) {
		ranks := make([][]int, len(variants))
		for qi := 0; qi < nq; qi++ {
			idx := qi * n / nq
			m := scenes[idx].render(sizes[idx][0], sizes[idx][1])
			p, err := imaging.Inspect(b64(tr.encode(t, m)), imaging.Options{Crop: true})
			if err != nil {
				t.Fatal(err)
			}
			q := p.Descriptor
			for vi, v := range variants {
				truth := v.f(&q, &descs[idx])
				rank := 1
				for j := range descs {
					if j != idx && v.f(&q, &descs[j]) >= truth {
						rank++
					}
				}
				ranks[vi] = append(ranks[vi], rank)
			}
		}
		for vi, v := range variants {
			r := ranks[vi]
			sort.Ints(r)
			c1, c3, c10 := 0, 0, 0
			for _, x := range r {
				if x <= 1 {
					c1++
				}
				if x <= 3 {
					c3++
				}
				if x <= 10 {
					c10++
				}
			}
			fmt.Printf("%-10s %-8s top1 %5.1f%% top3 %5.1f%% top10 %5.1f%% max %d\n", tr.name, v.name,
				100*float64(c1)/nq, 100*float64(c3)/nq, 100*float64(c10)/nq, r[len(r)-1])
		}
	}
}
