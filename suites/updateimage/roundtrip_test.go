package updateimage_test

import (
	"fmt"
	"math"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// roundTripSets are the attribute sets the round-trip specs write: Unicode, empty strings and int32 extremes.
var roundTripSets = map[string]stored{
	"Unicode": {CustomContent: "内容 ✓ émoji 😀 & <b>", Int: [4]int32{1, 2, 3, 4},
		Str: [4]string{"中文", "Ωμέγα", "e\u0301", "🚀🧪"}},
	"empty strings": {CustomContent: "", Int: [4]int32{0, 0, 0, 0}, Str: [4]string{"", "", "", ""}},
	"int32 extremes": {CustomContent: "extremes", Int: [4]int32{math.MinInt32, math.MaxInt32, math.MinInt32, math.MaxInt32},
		Str: [4]string{"min", "max", "min3", "max4"}},
}

// searchFor finds img in a search result, polling until want shows or the visibility timeout passes, and
// records the observed delay (ref §2.3: "updates take effect immediately" per [NEWS-2021]; polled, not assumed).
func awaitInSearch(ctx SpecContext, name string, search func() (*imagesearch.SearchResponse, error), k harness.Key, want stored) {
	GinkgoHelper()
	start, polls := time.Now(), 0
	Eventually(ctx, func(g Gomega) {
		polls++
		res, err := search()
		g.Expect(err).NotTo(HaveOccurred(), "observe: %s", name)
		found := false
		for _, a := range res.Auctions {
			if a.ProductId == k.ProductId && a.PicName == k.PicName {
				found = true
				g.Expect(storedFromAuction(a)).To(Equal(want), "ref §5.1: %s returns every stored attribute", name)
			}
		}
		g.Expect(found).To(BeTrue(), "%s returns the image", name)
	}).WithTimeout(target.VisibilityTimeout).WithPolling(100 * time.Millisecond).Should(Succeed())
	AddReportEntry(harness.MeasurementEntry, harness.Measurement{Name: "visibility delay, " + name,
		Value: float64(time.Since(start).Milliseconds()), Unit: "ms",
		Note: fmt.Sprintf("upper bound: visible at poll %d; includes the client's pacing to the search QPS", polls)})
}

var _ = Describe("UpdateImage attribute round-trips through search", Label(harness.AreaRoundTrip), func() {
	DescribeTable("returns every updated field exactly through SearchImageByName and SearchImageByPic",
		func(ctx SpecContext, set string) {
			img := addImage(ctx, tracker)
			want := roundTripSets[set]
			_, err := update(ctx, target.Instance, img.Key, attributesOf(want))
			Expect(err).To(harness.BeSuccess(), "ref §2.1")
			awaitInSearch(ctx, "SearchImageByName", func() (*imagesearch.SearchResponse, error) {
				return api.SearchImageByName(ctx, &imagesearch.SearchImageByNameRequest{InstanceName: target.Instance,
					ProductId: img.ProductId, PicName: img.PicName})
			}, img.Key, want)
			awaitInSearch(ctx, "SearchImageByPic", func() (*imagesearch.SearchResponse, error) {
				return api.SearchImageByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: target.Instance,
					PicContent: img.Pic})
			}, img.Key, want)
		},
		Entry("Unicode", "Unicode"), Entry("empty strings", "empty strings"), Entry("int32 extremes", "int32 extremes"))

	DescribeTable("matches a Filter on the updated value and no longer matches one on the old value",
		func(ctx SpecContext, name string) {
			f := field(name)
			img := addImage(ctx, tracker)
			old := img.Want
			v := fieldUpdates[name]
			_, err := update(ctx, target.Instance, img.Key, only(f, v.s, v.n))
			Expect(err).To(harness.BeSuccess())
			img.Want.set(f, v.s, int32(v.n))
			newClause, oldClause := clause(f, img.Want), clause(f, old)
			Eventually(ctx, func(g Gomega) {
				g.Expect(inFilteredSearch(ctx, img, newClause)).To(BeTrue(), "ref §1.7: %s matches after the update", newClause)
				g.Expect(inFilteredSearch(ctx, img, oldClause)).To(BeFalse(), "ref §1.7: %s no longer matches", oldClause)
			}).WithTimeout(target.VisibilityTimeout).WithPolling(100 * time.Millisecond).Should(Succeed())
		}, filterableFields())
})

func filterableFields() []TableEntry {
	var out []TableEntry
	for _, f := range contract.Fields {
		if f.FilterName != "" {
			out = append(out, Entry(f.Name, f.Name))
		}
	}
	return out
}

// clause is an equality filter on f's value in s, in the documented syntax (ref §1.7).
func clause(f contract.Field, s stored) string {
	if f.Kind == contract.KindInt {
		return f.FilterName + "=" + strconv.Itoa(int(s.Int[f.Slot]))
	}
	return fmt.Sprintf("%s=%q", f.FilterName, s.Str[f.Slot])
}

// inFilteredSearch reports whether a search for img's own picture with the filter returns img.
func inFilteredSearch(ctx SpecContext, img image, filter string) bool {
	GinkgoHelper()
	res, err := api.SearchImageByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: target.Instance,
		PicContent: img.Pic, SearchOptions: imagesearch.SearchOptions{Filter: ptr(filter), Num: i64(100)}})
	Expect(err).NotTo(HaveOccurred(), "observe: SearchImageByPic with Filter %s", filter)
	for _, a := range res.Auctions {
		if a.ProductId == img.ProductId && a.PicName == img.PicName {
			return true
		}
	}
	return false
}
