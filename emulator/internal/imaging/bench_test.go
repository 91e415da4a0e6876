package imaging

import "testing"

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

// BenchmarkScore measures one exact comparison, the second search stage's
// unit of work.
func BenchmarkScore(b *testing.B) {
	q, c := Describe(testScene(200, 200)), Describe(rotatedScene(200, 200))
	var s float32
	for b.Loop() {
		s += Score(&q, &c)
	}
	_ = s
}
