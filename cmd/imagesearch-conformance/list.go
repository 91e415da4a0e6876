package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// listedSpec is one line of --list.
type listedSpec struct {
	area, footing, refs, text string
}

// selectedSpecs returns the specs a dry run would run, by area in report order, then by place in the
// source: Ginkgo's own order is shuffled by the random seed, and a list should read the same every time.
func selectedSpecs(rep types.Report) []listedSpec {
	var out []listedSpec
	srs := slices.Clone(rep.SpecReports)
	slices.SortStableFunc(srs, func(a, b types.SpecReport) int {
		return cmp.Or(cmp.Compare(areaIndex(a), areaIndex(b)),
			cmp.Compare(a.LeafNodeLocation.FileName, b.LeafNodeLocation.FileName),
			cmp.Compare(a.LeafNodeLocation.LineNumber, b.LeafNodeLocation.LineNumber),
			cmp.Compare(a.FullText(), b.FullText()))
	})
	for _, sr := range srs {
		if sr.LeafNodeType != types.NodeTypeIt || sr.State.Is(types.SpecStateSkipped|types.SpecStatePending) {
			continue
		}
		labels := sr.Labels()
		refs := "ref " + strings.Join(harness.Refs(labels), ", ")
		out = append(out, listedSpec{harness.AreaOf(labels), harness.FootingOf(labels), refs, sr.FullText()})
	}
	return out
}

// areaIndex is a spec's area's place in harness.Areas; a spec without one sorts last.
func areaIndex(sr types.SpecReport) int {
	if i := slices.Index(harness.Areas, harness.AreaOf(sr.Labels())); i >= 0 {
		return i
	}
	return len(harness.Areas)
}

// writeList prints one spec a line: area, footing, ref sections, full text (the columns aligned, the text
// last so that it may contain anything).
func writeList(w io.Writer, specs []listedSpec) {
	width := [3]int{}
	for _, s := range specs {
		for i, c := range [3]string{s.area, s.footing, s.refs} {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, s := range specs {
		fmt.Fprintf(w, "%s  %s  %s  %s\n", pad(s.area, width[0]), pad(s.footing, width[1]), pad(s.refs, width[2]), s.text)
	}
}

// pad widens s with spaces to n characters (runes: "§" is one column but two bytes).
func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(n-utf8.RuneCountInString(s), 0))
}
