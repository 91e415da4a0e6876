package harness

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Figures are the summary's inline SVG figures, each with a sentence that says what it shows in words; a
// figure without data is empty and its sentence says why.
type Figures struct {
	Burst, BurstText     template.HTML
	Latency, LatencyText template.HTML
	Floor, FloorText     template.HTML
	Areas, AreasText     template.HTML
}

// figuresOf draws the figures of a run from its results and call log.
func figuresOf(r types.Report, res Results, s Summary, run RunInfo) Figures {
	var f Figures
	f.Burst, f.BurstText = burstFigure(throttlingCalls(r, run.CallLog), contract.UpdateImageQPS)
	f.Latency, f.LatencyText = latencyFigure(res.Latency, run.CallLog.Dropped)
	f.Floor, f.FloorText = floorFigure(res.Calls, s.Floor, s.FloorSeconds, res.Run.WallSeconds)
	f.Areas, f.AreasText = areasFigure(res.Areas)
	return f
}

// throttlingCalls are the UpdateImage calls of the specs labelled throttling: the burst they offer the
// throttling instance, and the calls that set it up.
func throttlingCalls(r types.Report, log CallLog) []CallRecord {
	specs := map[string]bool{}
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType == types.NodeTypeIt && AreaOf(sr.Labels()) == AreaThrottling {
			specs[sr.FullText()] = true
		}
	}
	var out []CallRecord
	for _, c := range log.Calls {
		if c.Action == contract.OpUpdateImage && specs[log.SpecOf(c)] {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// burstFigure draws the throttling calls as a timeline of calls per second, accepted and refused stacked,
// against the documented limit (ref §1.10).
func burstFigure(calls []CallRecord, limit int) (template.HTML, template.HTML) {
	if len(calls) == 0 {
		return "", "No throttling burst in this run: the specs labelled throttling did not run or made no call."
	}
	t0 := calls[0].Time
	span := calls[len(calls)-1].Time.Sub(t0).Seconds()
	bin := math.Max(0.25, span/160)
	bins := make([][3]int, int(span/bin)+1) // accepted, refused, other
	var acc, ref, oth int
	for _, c := range calls {
		b := &bins[int(c.Time.Sub(t0).Seconds()/bin)]
		switch {
		case c.accepted():
			b[0]++
			acc++
		case c.refused():
			b[1]++
			ref++
		default:
			b[2]++
			oth++
		}
	}
	peak := float64(limit)
	for _, b := range bins {
		peak = math.Max(peak, float64(b[0]+b[1]+b[2])/bin)
	}
	const left, top, plotH, plotW = 56.0, 28.0, 220.0, 820.0
	ymax := peak * 1.15
	y := func(v float64) float64 { return top + plotH - v/ymax*plotH }
	x := func(sec float64) float64 { return left + sec/(float64(len(bins))*bin)*plotW }
	c := newCanvas("fig-burst", left+plotW+170, top+plotH+64, "UpdateImage calls per second during the throttling specs")
	axes(c, left, top, plotW, plotH, ymax, y, "calls/s")
	for sec, step := 0.0, niceStep(float64(len(bins))*bin, 10); sec <= float64(len(bins))*bin; sec += step {
		c.text(x(sec), top+plotH+16, "middle", n(sec)+" s")
	}
	bw := plotW / float64(len(bins))
	for i, b := range bins {
		h, x0 := 0.0, left+float64(i)*bw
		for k, kind := range []string{fillGood, fillBad, fillNone} {
			v := float64(b[k]) / bin
			tip := fmt.Sprintf("%s–%s s: %d %s", n(float64(i)*bin), n(float64(i+1)*bin), b[k], []string{"accepted", "refused", "other"}[k])
			c.rect(x0+0.5, y(h+v), math.Max(bw-1, 0.5), y(h)-y(h+v), kind, tip)
			h += v
		}
	}
	c.line(left, y(float64(limit)), left+plotW, y(float64(limit)), true, 2)
	// What the limit bounds: the calls accepted in the second before each bin's end.
	trailing := trailingSecond(calls, t0, bin, len(bins))
	pts := make([][2]float64, len(trailing))
	for i, v := range trailing {
		pts[i] = [2]float64{left + float64(i+1)*bw, y(float64(v))}
	}
	c.polyline(pts, fmt.Sprintf("accepted in the trailing second: at most %d", slices.Max(trailing)))
	c.text(left+plotW+6, y(float64(limit))+4, "start", fmt.Sprintf("limit %d/s (ref §1.10)", limit))
	c.legend(left, top+plotH+40, [2]string{fillGood, "accepted"}, [2]string{fillBad, "refused (throttled)"},
		[2]string{fillNone, "other answer"}, [2]string{fillLine, "accepted in the trailing second"})
	text := fmt.Sprintf("%d UpdateImage calls of the throttling specs over %s s, by the time each was sent, in bins of %s s: %d accepted, %d refused, %d other answers. "+
		"The busiest second of send times holds %d accepted calls; the service counts arrivals, which the network spreads, so the specs hold it to 20·T + 20 in T seconds (ref §1.10).",
		len(calls), n(span), strconv.FormatFloat(bin, 'f', 2, 64), acc, ref, oth, busiestSecond(calls))
	return c.html(), template.HTML(esc(text))
}

// trailingSecond counts, at the end of each of bins bins from t0, the calls accepted in the second before.
func trailingSecond(calls []CallRecord, t0 time.Time, bin float64, bins int) []int {
	out := make([]int, bins)
	for i := range out {
		end := t0.Add(time.Duration(float64(i+1) * bin * float64(time.Second)))
		for _, c := range calls {
			if c.accepted() && !c.Time.After(end) && end.Sub(c.Time) < time.Second {
				out[i]++
			}
		}
	}
	return out
}

// busiestSecond is the most calls accepted within any one second, measured from each accepted call.
func busiestSecond(calls []CallRecord) int {
	var times []time.Time
	for _, c := range calls {
		if c.accepted() {
			times = append(times, c.Time)
		}
	}
	most := 0
	for i, j := 0, 0; j < len(times); j++ {
		for times[j].Sub(times[i]) >= time.Second {
			i++
		}
		most = max(most, j-i+1)
	}
	return most
}

// axes draws the y axis with ticks, its unit, and the baseline.
func axes(c *canvas, left, top, plotW, plotH, ymax float64, y func(float64) float64, unit string) {
	c.line(left, top, left, top+plotH, false, 1)
	c.line(left, top+plotH, left+plotW, top+plotH, false, 1)
	for v, step := 0.0, niceStep(ymax, 5); v <= ymax; v += step {
		c.text(left-6, y(v)+4, "end", n(v))
	}
	c.text(left-6, top-10, "end", unit)
}

// hbarRow is one labelled row of a bar figure.
type hbarRow struct {
	label string
	segs  []hbarSeg
	note  string // printed in a column right of the plot
}

type hbarSeg struct {
	kind  string
	value float64
	text  string // printed on the bar (stacked) or after it
}

// hbars draws labelled horizontal bar rows, each of segments stacked or (stacked false) bars under each
// other, scaled so scale fills the plot, with vertical marks across the rows.
func hbars(id, title string, rows []hbarRow, stacked bool, scale float64, marks []hbarMark, legend ...[2]string) template.HTML {
	const left, plotW, barH, gap = 170.0, 560.0, 14.0, 10.0
	perRow := barH
	if !stacked && len(rows) > 0 {
		perRow = barH * float64(len(rows[0].segs))
	}
	h := 40 + float64(len(rows))*(perRow+gap) + 24 + 14*float64(len(marks))
	c := newCanvas(id, left+plotW+300, h, title)
	x := func(v float64) float64 { return left + v/scale*plotW }
	yy := 20.0
	for _, r := range rows {
		c.text(left-8, yy+perRow/2+4, "end", r.label)
		at := 0.0
		for i, s := range r.segs {
			if stacked {
				c.rect(x(at), yy, x(at+s.value)-x(at), barH, s.kind, s.text)
				if x(at+s.value)-x(at) > 7*float64(len(s.text))+4 {
					c.text((x(at)+x(at+s.value))/2, yy+barH-3, "middle", s.text)
				}
				at += s.value
				continue
			}
			by := yy + float64(i)*barH
			c.rect(left, by+1, x(s.value)-left, barH-2, s.kind, s.text)
			c.text(x(s.value)+4, by+barH-3, "start", s.text)
		}
		if r.note != "" { // in a column of its own, clear of the bars and the marks
			c.text(left+plotW+12, yy+perRow/2+4, "start", r.note)
		}
		yy += perRow + gap
	}
	c.line(left, 12, left, yy-gap/2, false, 1)
	for i, m := range marks {
		c.line(x(m.value), 12, x(m.value), yy-gap/2+14*float64(i), m.dashed, 2)
		c.text(x(m.value), yy+8+14*float64(i), "middle", m.text)
	}
	c.legend(left, h-8, legend...)
	return c.html()
}

// hbarMark is a vertical rule across the rows (the floor, the wall time).
type hbarMark struct {
	value  float64
	dashed bool
	text   string
}

// latencyFigure draws p50, p95 and p99 per operation.
func latencyFigure(lat []LatencyResult, dropped int) (template.HTML, template.HTML) {
	if len(lat) == 0 {
		return "", "No call was logged in this run."
	}
	scale := 0.0
	var rows []hbarRow
	for _, l := range lat {
		scale = math.Max(scale, l.P99Ms)
		rows = append(rows, hbarRow{label: fmt.Sprintf("%s (%d)", l.Action, l.Calls), segs: []hbarSeg{
			{fillInk, l.P50Ms, "p50 " + n(l.P50Ms) + " ms"}, {fillInk2, l.P95Ms, "p95 " + n(l.P95Ms) + " ms"},
			{fillInk3, l.P99Ms, "p99 " + n(l.P99Ms) + " ms"}}})
	}
	text := "Latency per operation, from the call's hand-over to the client until its answer was decoded; the number of answered calls is in brackets."
	if dropped > 0 {
		text += fmt.Sprintf(" The call log was full: %d calls are not counted.", dropped)
	}
	return hbars("fig-latency", "Latency per operation: p50, p95 and p99", rows, false, math.Max(scale, 0.01), nil,
		[2]string{fillInk, "p50"}, [2]string{fillInk2, "p95"}, [2]string{fillInk3, "p99"}), template.HTML(esc(text))
}

// floorFigure draws each QPS group's calls as the seconds they need at the group's limit, operation by
// operation, against the floor (the slowest group) and the wall time. Without paced groups it draws the
// calls per operation alone.
func floorFigure(calls map[string]int, floor []FloorLine, floorSec, wall float64) (template.HTML, template.HTML) {
	ops := make([]string, 0, len(calls))
	for op := range calls {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	if len(floor) == 0 {
		scale, rows := 1.0, []hbarRow{}
		for _, op := range ops {
			scale = math.Max(scale, float64(calls[op]))
			rows = append(rows, hbarRow{label: op, segs: []hbarSeg{{fillInk, float64(calls[op]), fmt.Sprintf("%d calls", calls[op])}}})
		}
		if len(rows) == 0 {
			return "", "No call was made."
		}
		return hbars("fig-floor", "Calls per operation", rows, false, scale, nil, [2]string{fillInk, "calls"}),
			"No operation was paced in this run (no QPS limit to pace to), so there is no QPS floor: the bars are the calls per operation."
	}
	kinds := []string{fillInk, fillInk2, fillInk3, fillMuted}
	var rows []hbarRow
	for _, l := range floor {
		row := hbarRow{label: fmt.Sprintf("%s at %d/s", l.Group, l.QPS), note: fmt.Sprintf("%d calls: %s s", l.Calls, n(l.Seconds))}
		for _, op := range ops {
			if qpsGroup(op) == l.Group && calls[op] > 0 {
				row.segs = append(row.segs, hbarSeg{kinds[len(row.segs)%len(kinds)], float64(calls[op]) / float64(l.QPS),
					fmt.Sprintf("%s %d", op, calls[op])})
			}
		}
		rows = append(rows, row)
	}
	marks := []hbarMark{{floorSec, false, "floor " + n(floorSec) + " s"}, {wall, true, "wall " + n(wall) + " s"}}
	text := fmt.Sprintf("Each QPS group's calls ÷ its limit, stacked by operation (operation and calls on each part): the slowest group sets the floor of %s s; the run took %s s (%s × the floor).",
		n(floorSec), n(wall), strconv.FormatFloat(wall/math.Max(floorSec, 1e-9), 'f', 2, 64))
	return hbars("fig-floor", "Calls per operation against the QPS floor", rows, true, math.Max(floorSec, wall)*1.05, marks),
		template.HTML(esc(text))
}

// areasFigure draws the specs of each area: passed, failed, deviated and skipped, both footings together.
func areasFigure(areas []AreaResult) (template.HTML, template.HTML) {
	scale := 1.0
	var rows []hbarRow
	for _, a := range areas {
		p, f := a.Documented.Passed+a.Reading.Passed, a.Documented.Failed+a.Reading.Failed
		d, s := a.Reading.Deviated, a.Documented.Skipped+a.Reading.Skipped
		scale = math.Max(scale, float64(p+f+d+s))
		label := a.Area
		if !a.CountsAsConformance {
			label += " (client)"
		}
		rows = append(rows, hbarRow{label: label, note: fmt.Sprintf("%d passed · %d failed · %d deviated · %d skipped", p, f, d, s),
			segs: []hbarSeg{{fillGood, float64(p), fmt.Sprint(p)}, {fillBad, float64(f), fmt.Sprint(f)},
				{fillWarn, float64(d), fmt.Sprint(d)}, {fillMuted, float64(s), fmt.Sprint(s)}}})
	}
	return hbars("fig-areas", "Specs per area: passed, failed, deviated, skipped", rows, true, scale, nil,
			[2]string{fillGood, "passed"}, [2]string{fillBad, "failed"}, [2]string{fillWarn, "deviated"}, [2]string{fillMuted, "skipped"}),
		"Specs per behaviour area, documented and reading footing together; the counts by footing are in the table below. (client) marks the client-mapping area, which is not the target's conformance."
}
