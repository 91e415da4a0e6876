package index

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

func TestDebugRegions(t *testing.T) {
	if os.Getenv("SKETCH_EXPERIMENT") == "" {
		t.Skip()
	}
	for i := 0; i < 200; i++ {
		r := rand.New(rand.NewPCG(uint64(i), 99))
		sz := [2]int{320 + r.IntN(481), 320 + r.IntN(481)}
		m := newScene(uint64(i)).render(sz[0], sz[1])
		pi, _ := imaging.Inspect(b64(encJPEG(t, m, 90)), imaging.Options{Crop: true})
		for _, tr := range queryTransforms {
			pq, _ := imaging.Inspect(b64(tr.encode(t, m)), imaging.Options{Crop: true})
			s := imaging.Score(&pq.Descriptor, &pi.Descriptor)
			if s < 0.93 {
				fmt.Println(i, tr.name, sz, pi.Region, pq.Region, pq.Width, pq.Height, s)
			}
		}
	}
}

func TestDebugDump(t *testing.T) {
	if os.Getenv("SKETCH_EXPERIMENT") == "" {
		t.Skip()
	}
	i := 51
	r := rand.New(rand.NewPCG(uint64(i), 99))
	sz := [2]int{320 + r.IntN(481), 320 + r.IntN(481)}
	m := newScene(uint64(i)).render(sz[0], sz[1])
	os.WriteFile("/tmp/dbg_orig.jpg", encJPEG(t, m, 90), 0o644)
	os.WriteFile("/tmp/dbg_half.png", queryTransforms[3].encode(t, m), 0o644)
	os.WriteFile("/tmp/dbg_orig.png", encPNG(t, m), 0o644)
}
