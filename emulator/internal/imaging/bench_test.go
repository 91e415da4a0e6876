package imaging

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"testing"

	"github.com/imagesearch-conformance/conformance/fixtures"
)

// BenchmarkInspect measures the whole AddImage/search image path for a
// 640×480 JPEG: Base64, header, EXIF, decode, subject box, descriptor.
func BenchmarkInspect(b *testing.B) {
	content := b64(encodeJPEG(b, testScene(640, 480), 90))
	for b.Loop() {
		if _, err := Inspect(content, Options{Crop: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScore measures one exact comparison with a prepared query, the
// last search stage's unit of work.
func BenchmarkScore(b *testing.B) {
	q, c := Describe(testScene(200, 200)), Describe(rotatedScene(200, 200))
	query := NewQuery(&q)
	var s float32
	for b.Loop() {
		s += query.Score(&c)
	}
	_ = s
}

// benchQuery is the query of the search benchmark: a 128×128 JPEG of
// quality 50 (4:2:0).
func benchQuery() []byte { return fixtures.Variant(3, 128, 128, fixtures.VariantJPEG50) }

// BenchmarkDescribeQuery measures Inspect for the benchmark query.
func BenchmarkDescribeQuery(b *testing.B) {
	content := fixtures.Base64(benchQuery())
	for b.Loop() {
		if _, err := Inspect(content, Options{Crop: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// decoded decodes a benchmark picture, to time describe alone.
func decoded(b testing.TB, data []byte) image.Image {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	return img
}

// benchDescribe times describe (or the reference code) on data.
func benchDescribe(b *testing.B, data []byte, ref bool) {
	img := decoded(b, data)
	for b.Loop() {
		if ref {
			describeRef(img, nil, true)
		} else {
			describe(img, nil, true)
		}
	}
}

// BenchmarkDescribeOnly measures describe alone on the decoded query; the
// Ref variants run the reference code of the equality tests, to compare
// both in one run.
func BenchmarkDescribeOnly(b *testing.B) { benchDescribe(b, benchQuery(), false) }

func BenchmarkDescribeOnlyRef(b *testing.B) { benchDescribe(b, benchQuery(), true) }

// BenchmarkDescribeLarge measures describe on a decoded 640×480 JPEG.
func BenchmarkDescribeLarge(b *testing.B) {
	benchDescribe(b, fixtures.Image(fixtures.JPEG, 1, 640, 480), false)
}

func BenchmarkDescribeLargeRef(b *testing.B) {
	benchDescribe(b, fixtures.Image(fixtures.JPEG, 1, 640, 480), true)
}

// BenchmarkDescribePNG measures describe on a decoded 300×200 RGB PNG, the
// row-converter path.
func BenchmarkDescribePNG(b *testing.B) {
	benchDescribe(b, fixtures.Image(fixtures.PNG, 3, 300, 200), false)
}

func BenchmarkDescribePNGRef(b *testing.B) {
	benchDescribe(b, fixtures.Image(fixtures.PNG, 3, 300, 200), true)
}
