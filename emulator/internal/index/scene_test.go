package index

import (
	"image"
	"math"
	"math/rand/v2"
)

// Synthetic test scenes after the building-blocks corpus (§2): a quarter are
// product shots (near-white background, one large object plus details), the
// rest solid or gradient backgrounds with 3–12 random shapes; all get
// Gaussian noise of amplitude 0–8.

type shapeKind int

const (
	shapeRect shapeKind = iota
	shapeEllipse
	shapeTriangle
	shapeStripes
	shapeKinds
)

type shape struct {
	kind     shapeKind
	box      image.Rectangle
	c1, c2   [3]float64 // c2 != c1 gives a horizontal gradient fill
	tri      [3][2]float64
	period   int
	gradient bool
}

// scene is a resolution-independent description; render draws it at any size
// so the same scene can be produced at 64 px for bulk benchmarks or at full
// size for accuracy tests.
type scene struct {
	bgKind   int // 0 solid, 1 linear, 2 radial
	bg1, bg2 [3]float64
	shapes   []shape // boxes in a 1000×1000 unit space
	noise    float64
	seed     uint64
}

func randColour(r *rand.Rand) [3]float64 {
	return [3]float64{r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}
}

func randBox(r *rand.Rand, minSide, maxSide int) image.Rectangle {
	w := minSide + r.IntN(maxSide-minSide+1)
	h := minSide + r.IntN(maxSide-minSide+1)
	x, y := r.IntN(1000-w+1), r.IntN(1000-h+1)
	return image.Rect(x, y, x+w, y+h)
}

func randShape(r *rand.Rand, kind shapeKind, box image.Rectangle) shape {
	s := shape{kind: kind, box: box, c1: randColour(r), period: 20 + r.IntN(60)}
	s.c2 = s.c1
	if r.IntN(3) == 0 {
		s.c2, s.gradient = randColour(r), true
	}
	for i := range s.tri {
		s.tri[i] = [2]float64{
			float64(box.Min.X) + r.Float64()*float64(box.Dx()),
			float64(box.Min.Y) + r.Float64()*float64(box.Dy()),
		}
	}
	return s
}

// newScene draws scene number i of a corpus.
func newScene(i uint64) scene {
	r := rand.New(rand.NewPCG(i, 0x5eed))
	s := scene{noise: r.Float64() * 8, seed: i}
	if r.IntN(4) == 0 { // product shot
		v := 240 + r.Float64()*15
		s.bg1, s.bg2 = [3]float64{v, v, v}, [3]float64{v, v, v}
		s.shapes = append(s.shapes, randShape(r, shapeKind(r.IntN(2)), randBox(r, 400, 700)))
		for n := 1 + r.IntN(3); n > 0; n-- {
			s.shapes = append(s.shapes, randShape(r, shapeKind(r.IntN(int(shapeKinds))), randBox(r, 40, 150)))
		}
		return s
	}
	s.bgKind, s.bg1, s.bg2 = r.IntN(3), randColour(r), randColour(r)
	for n := 3 + r.IntN(10); n > 0; n-- {
		s.shapes = append(s.shapes, randShape(r, shapeKind(r.IntN(int(shapeKinds))), randBox(r, 60, 500)))
	}
	return s
}

// gaussTable holds standard normal samples; drawing noise from it is far
// cheaper than NormFloat64 per channel and per pixel.
var gaussTable = func() (t [4096]float64) {
	r := rand.New(rand.NewPCG(1, 1))
	for i := range t {
		t[i] = r.NormFloat64()
	}
	return t
}()

// render draws the scene at w×h pixels.
func (s scene) render(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	noise := rand.New(rand.NewPCG(s.seed, 0x0153))
	sx, sy := 1000/float64(w), 1000/float64(h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			ux, uy := (float64(x)+0.5)*sx, (float64(y)+0.5)*sy
			c := s.background(ux, uy)
			for i := range s.shapes {
				if sh := &s.shapes[i]; sh.contains(ux, uy) {
					c = sh.colour(ux)
				}
			}
			o := m.PixOffset(x, y)
			for k := 0; k < 3; k++ {
				v := c[k]
				if s.noise > 0 {
					v += gaussTable[noise.Uint32()&4095] * s.noise
				}
				m.Pix[o+k] = uint8(min(255, max(0, int(v+0.5))))
			}
			m.Pix[o+3] = 255
		}
	}
	return m
}

func (s scene) background(ux, uy float64) [3]float64 {
	var t float64
	switch s.bgKind {
	case 0:
		return s.bg1
	case 1:
		t = (ux + uy) / 2000
	default:
		t = math.Min(1, math.Hypot(ux-500, uy-500)/707)
	}
	return lerp(s.bg1, s.bg2, t)
}

func lerp(a, b [3]float64, t float64) [3]float64 {
	return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func (sh *shape) contains(ux, uy float64) bool {
	b := sh.box
	if ux < float64(b.Min.X) || ux >= float64(b.Max.X) || uy < float64(b.Min.Y) || uy >= float64(b.Max.Y) {
		return false
	}
	switch sh.kind {
	case shapeEllipse:
		cx, cy := float64(b.Min.X+b.Max.X)/2, float64(b.Min.Y+b.Max.Y)/2
		dx, dy := (ux-cx)/(float64(b.Dx())/2), (uy-cy)/(float64(b.Dy())/2)
		return dx*dx+dy*dy <= 1
	case shapeTriangle:
		return inTriangle(sh.tri, ux, uy)
	case shapeStripes:
		return (int(ux+uy)/sh.period)%2 == 0
	}
	return true
}

func inTriangle(t [3][2]float64, x, y float64) bool {
	side := func(a, b [2]float64) float64 { return (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0]) }
	d1, d2, d3 := side(t[0], t[1]), side(t[1], t[2]), side(t[2], t[0])
	neg := d1 < 0 || d2 < 0 || d3 < 0
	pos := d1 > 0 || d2 > 0 || d3 > 0
	return !(neg && pos)
}

func (sh *shape) colour(ux float64) [3]float64 {
	if !sh.gradient {
		return sh.c1
	}
	return lerp(sh.c1, sh.c2, (ux-float64(sh.box.Min.X))/float64(sh.box.Dx()))
}
