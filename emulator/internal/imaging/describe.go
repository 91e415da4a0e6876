package imaging

import "image"

// describe computes the descriptor of the given region, of the detected
// subject (crop), or of the whole image, and returns the box it used.
func describe(img image.Image, region *Region, crop bool) (Descriptor, string) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if region != nil {
		return describeRect(img, region.Rect().Add(b.Min)), region.String()
	}
	whole := makeThumb(img, b)
	defer whole.release()
	used := Region{X2: w, Y2: h}
	if crop {
		if cells, ok := subjectBox(whole); ok {
			used = cellsToPixels(cells, w, h)
			return describeRect(img, used.Rect().Add(b.Min)), used.String()
		}
	}
	return fromThumb(whole), used.String()
}
