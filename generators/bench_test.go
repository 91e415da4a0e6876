package generators

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
)

// benchDraw measures one draw of g.
func benchDraw[V any](b *testing.B, g *rapid.Generator[V]) {
	for i := 0; b.Loop(); i++ {
		g.Example(i)
	}
}

func BenchmarkStringAroundCustomContentLimit(b *testing.B) {
	benchDraw(b, AroundLimit(contract.MaxCustomContent, Mixed))
}

func BenchmarkFullAttrs(b *testing.B)      { benchDraw(b, FullAttrs()) }
func BenchmarkPicture(b *testing.B)        { benchDraw(b, Picture()) }
func BenchmarkInvalidPicture(b *testing.B) { benchDraw(b, InvalidPicture()) }
