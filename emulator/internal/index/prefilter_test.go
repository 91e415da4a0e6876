package index

import (
	"math/rand/v2"
	"testing"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

// TestCodeIsTheSignsOfTheProjections checks the packed arithmetic of codeOf
// against the projections computed one direction at a time, on random
// sketches including the extremes (every value ±127) where the lanes come
// closest to overflowing.
func TestCodeIsTheSignsOfTheProjections(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 2000 {
		var s imaging.Sketch
		for i := range s {
			switch n % 4 {
			case 0:
				s[i] = int8(r.IntN(255) - 127)
			case 1:
				s[i] = 127
			case 2:
				s[i] = -127
			default:
				s[i] = int8(127 - 254*r.IntN(2))
			}
		}
		got := codeOf(&s)
		for h, part := range [2][]int8{s[:imaging.SketchShape], s[imaging.SketchShape:]} {
			for b, plane := range planes[h] {
				var proj int64
				for i, v := range part {
					proj += int64(v) * plane[i]
				}
				if want := proj >= 0; (got[h]>>b&1 == 1) != want {
					t.Fatalf("sketch %v: half %d bit %d is %v, projection %d", s, h, b, !want, proj)
				}
			}
		}
	}
}
