package harness

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// canvas builds one inline SVG figure. Every fill is a colour and a pattern (solid, hatched, crossed,
// dotted, outlined), and every bar carries its number as text, so a figure reads in grey print and to a
// reader who does not tell the colours apart.
type canvas struct {
	id   string // prefixes the pattern ids: they are global to the page
	w, h float64
	b    strings.Builder
}

// Fills of the figures; fillOf maps them to an SVG fill.
const (
	fillGood  = "good"  // solid green: passed, accepted
	fillBad   = "bad"   // red hatched: failed, refused
	fillWarn  = "warn"  // amber crossed: deviated
	fillMuted = "muted" // grey dotted: skipped
	fillNone  = "none"  // outlined: other answers
	fillInk   = "ink"   // solid blue: the main measure (p50, calls)
	fillInk2  = "ink2"  // blue hatched
	fillInk3  = "ink3"  // blue dotted
	fillLine  = "line"  // a black line with round marks, in legends
)

func newCanvas(id string, w, h float64, title string) *canvas {
	c := &canvas{id: id, w: w, h: h}
	fmt.Fprintf(&c.b, `<svg role="img" id="%s" class="figure" width="%s" height="%s" viewBox="0 0 %s %s" font-family="sans-serif" font-size="12">`,
		id, n(w), n(h), n(w), n(h))
	fmt.Fprintf(&c.b, `<title>%s</title><defs>`, esc(title))
	pattern := func(name, bg, body string) {
		fmt.Fprintf(&c.b, `<pattern id="%s-%s" width="6" height="6" patternUnits="userSpaceOnUse">%s%s</pattern>`,
			id, name, `<rect width="6" height="6" fill="`+bg+`"/>`, body)
	}
	pattern("hatch", "#f6c9cf", `<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="#b00020" stroke-width="1.6"/>`)
	pattern("cross", "#fde7b0", `<path d="M0,0 L6,6 M0,6 L6,0" stroke="#8a5a00" stroke-width="1.2"/>`)
	pattern("dots", "#eeeeee", `<circle cx="3" cy="3" r="1.2" fill="#666"/>`)
	pattern("ink2", "#c9d8f0", `<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="#1f4e96" stroke-width="1.6"/>`)
	pattern("ink3", "#e3ecf8", `<circle cx="3" cy="3" r="1.4" fill="#1f4e96"/>`)
	c.b.WriteString(`</defs>`)
	return c
}

func (c *canvas) fillOf(kind string) string {
	switch kind {
	case fillGood:
		return `fill="#2e7d32"`
	case fillBad:
		return `fill="url(#` + c.id + `-hatch)" stroke="#b00020"`
	case fillWarn:
		return `fill="url(#` + c.id + `-cross)" stroke="#8a5a00"`
	case fillMuted:
		return `fill="url(#` + c.id + `-dots)" stroke="#666"`
	case fillInk:
		return `fill="#1f4e96"`
	case fillInk2:
		return `fill="url(#` + c.id + `-ink2)" stroke="#1f4e96"`
	case fillInk3:
		return `fill="url(#` + c.id + `-ink3)" stroke="#1f4e96"`
	}
	return `fill="#fff" stroke="#333"`
}

// rect draws a bar; tip is its tooltip.
func (c *canvas) rect(x, y, w, h float64, kind, tip string) {
	if w <= 0 || h <= 0 {
		return
	}
	fmt.Fprintf(&c.b, `<rect x="%s" y="%s" width="%s" height="%s" %s stroke-width="0.5"><title>%s</title></rect>`,
		n(x), n(y), n(w), n(h), c.fillOf(kind), esc(tip))
}

// text writes s at (x, y); anchor is start, middle or end.
func (c *canvas) text(x, y float64, anchor, s string) {
	// A white halo keeps a label readable where it crosses a bar or a rule.
	fmt.Fprintf(&c.b, `<text x="%s" y="%s" text-anchor="%s" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`,
		n(x), n(y), anchor, esc(s))
}

// line draws a rule; dashed for the limits, solid for the axes.
func (c *canvas) line(x1, y1, x2, y2 float64, dashed bool, width float64) {
	dash := ""
	if dashed {
		dash = ` stroke-dasharray="6 3"`
	}
	fmt.Fprintf(&c.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#222" stroke-width="%s"%s/>`,
		n(x1), n(y1), n(x2), n(y2), n(width), dash)
}

// polyline draws a black line with a round mark at each point; tip is its tooltip.
func (c *canvas) polyline(pts [][2]float64, tip string) {
	var b strings.Builder
	for _, p := range pts {
		fmt.Fprintf(&b, "%s,%s ", n(p[0]), n(p[1]))
	}
	fmt.Fprintf(&c.b, `<polyline points="%s" fill="none" stroke="#111" stroke-width="2"><title>%s</title></polyline>`, strings.TrimSpace(b.String()), esc(tip))
	for _, p := range pts {
		fmt.Fprintf(&c.b, `<circle cx="%s" cy="%s" r="2.5" fill="#fff" stroke="#111" stroke-width="1.5"/>`, n(p[0]), n(p[1]))
	}
}

// legend writes a row of swatches with their names from (x, y).
func (c *canvas) legend(x, y float64, items ...[2]string) {
	for _, it := range items {
		if it[0] == fillLine {
			c.polyline([][2]float64{{x, y - 4}, {x + 14, y - 4}}, it[1])
		} else {
			c.rect(x, y-10, 14, 12, it[0], it[1])
		}
		c.text(x+18, y, "start", it[1])
		x += 26 + 7*float64(len(it[1]))
	}
}

// html closes the figure.
func (c *canvas) html() template.HTML {
	return template.HTML(c.b.String() + `</svg>`) // every text went through esc
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// n formats a coordinate with at most one decimal.
func n(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// niceStep picks an axis step of 1, 2 or 5 times a power of ten that cuts span into about ticks parts.
func niceStep(span float64, ticks int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(ticks)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}
