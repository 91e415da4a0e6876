package imaging

import (
	"image"
	"slices"
	"strconv"
	"strings"
)

// Region is a subject box in pixels of the submitted image, written
// "x1,x2,y1,y2" on the wire: (x1,y1) top-left, (x2,y2) bottom-right
// (ref §3 Region, §5.1 PicInfo.Region).
type Region struct {
	X1, X2, Y1, Y2 int
}

// String formats the region as the service does: "x1,x2,y1,y2".
func (r Region) String() string {
	return strconv.Itoa(r.X1) + "," + strconv.Itoa(r.X2) + "," +
		strconv.Itoa(r.Y1) + "," + strconv.Itoa(r.Y2)
}

// Rect converts the region to an image rectangle.
func (r Region) Rect() image.Rectangle {
	return image.Rect(r.X1, r.Y1, r.X2, r.Y2)
}

// ParseRegion parses "x1,x2,y1,y2" for an image of w×h pixels. It requires
// four integers with 0 ≤ x1 < x2 ≤ w and 0 ≤ y1 < y2 ≤ h; anything else is an
// *Error with CodeInvalidRegion. Blanks around each number are tolerated.
func ParseRegion(s string, w, h int) (Region, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return Region{}, newError(CodeInvalidRegion, "region must be x1,x2,y1,y2")
	}
	var v [4]int
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return Region{}, newError(CodeInvalidRegion, "region values must be integers")
		}
		v[i] = n
	}
	r := Region{X1: v[0], X2: v[1], Y1: v[2], Y2: v[3]}
	if r.X1 < 0 || r.X1 >= r.X2 || r.X2 > w || r.Y1 < 0 || r.Y1 >= r.Y2 || r.Y2 > h {
		return Region{}, newError(CodeInvalidRegion, "region outside the image")
	}
	return r, nil
}

// Subject detection, a deterministic stand-in for the service's detector
// (Crop=true without Region, ref §3). It crops only "an object on a plain
// background": the thumbnail's border must be nearly uniform. Each cell then
// carries a mass, its luma difference from the background above a noise
// floor, and the subject box is the smallest box that leaves at most
// sideSlack of mass outside on each side, grown by one cell. Mass, unlike a
// per-cell threshold, changes little under re-encoding, so index and query
// crop re-encoded copies alike; one noisy cell cannot move the box.
//
// Only luma is compared, so a grayscale copy crops like its colour original.
const (
	backgroundDiff  = 10  // luma difference of a border cell still counted as background
	noiseFloor      = 8   // luma difference below which a cell carries no mass
	sideSlack       = 8   // mass that may be left outside the box on each side
	minSubjectMass  = 64  // less mass than this is no subject at all
	borderUniform   = 0.9 // share of border cells that must be background
	minSubjectCells = 8   // smallest box side, in cells
	borderCells     = 4*thumbSide - 4
)

// subjectBox returns the detected subject in thumbnail cells as [x0,x1)×[y0,y1),
// and false when the whole image should be used.
func subjectBox(t *thumb) (image.Rectangle, bool) {
	bg, ok := borderLuma(t)
	if !ok {
		return image.Rectangle{}, false
	}
	var cols, rows [thumbSide]float32
	total := float32(0)
	for i := 0; i < thumbSide*thumbSide; i++ {
		m := max(0, abs32(cellLuma(t, i)-bg)-noiseFloor)
		cols[i%thumbSide] += m
		rows[i/thumbSide] += m
		total += m
	}
	if total < minSubjectMass {
		return image.Rectangle{}, false
	}
	x0, x1 := trimSpan(&cols, sideSlack)
	y0, y1 := trimSpan(&rows, sideSlack)
	full := image.Rect(0, 0, thumbSide, thumbSide)
	box := growTo(image.Rect(x0, y0, x1, y1).Inset(-1), minSubjectCells).Intersect(full)
	if box == full || box.Empty() {
		return image.Rectangle{}, false
	}
	return box, true
}

// trimSpan drops leading and trailing cells of a mass profile while the mass
// dropped on that side stays within slack; it returns the kept [lo, hi).
func trimSpan(p *[thumbSide]float32, slack float32) (int, int) {
	lo, hi := 0, thumbSide
	for cut := float32(0); lo < hi && cut+p[lo] <= slack; lo++ {
		cut += p[lo]
	}
	for cut := float32(0); hi > lo && cut+p[hi-1] <= slack; hi-- {
		cut += p[hi-1]
	}
	return lo, hi
}

// borderLuma returns the median luma of the thumbnail's outer ring, and
// whether the ring is uniform enough to be a background.
func borderLuma(t *thumb) (float32, bool) {
	ring := make([]float32, 0, borderCells)
	forBorder(func(i int) { ring = append(ring, cellLuma(t, i)) })
	bg := median(slices.Clone(ring))
	near := 0
	for _, v := range ring {
		if abs32(v-bg) <= backgroundDiff {
			near++
		}
	}
	return bg, float64(near) >= borderUniform*borderCells
}

// forBorder visits the index of every cell of the outer ring once.
func forBorder(f func(i int)) {
	for x := 0; x < thumbSide; x++ {
		f(x)
		f((thumbSide-1)*thumbSide + x)
	}
	for y := 1; y < thumbSide-1; y++ {
		f(y * thumbSide)
		f(y*thumbSide + thumbSide - 1)
	}
}

// cellLuma is the BT.601 luma of thumbnail cell i.
func cellLuma(t *thumb, i int) float32 {
	return 0.299*t[3*i] + 0.587*t[3*i+1] + 0.114*t[3*i+2]
}

func abs32(v float32) float32 { return max(v, -v) }

// median of a slice (sorted in place).
func median(v []float32) float32 {
	slices.Sort(v)
	return v[len(v)/2]
}

// growTo widens each side of r to at least n cells around its centre.
func growTo(r image.Rectangle, n int) image.Rectangle {
	if d := n - r.Dx(); d > 0 {
		r.Min.X -= d / 2
		r.Max.X += d - d/2
	}
	if d := n - r.Dy(); d > 0 {
		r.Min.Y -= d / 2
		r.Max.Y += d - d/2
	}
	return r
}

// cellsToPixels maps a box of thumbnail cells to image pixels, rounding
// outwards, using the same cell spans as makeThumb.
func cellsToPixels(cells image.Rectangle, w, h int) Region {
	xs, ys := cellSpans(w), cellSpans(h)
	return Region{
		X1: xs[cells.Min.X][0], X2: xs[cells.Max.X-1][1],
		Y1: ys[cells.Min.Y][0], Y2: ys[cells.Max.Y-1][1],
	}
}
