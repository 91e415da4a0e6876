package updateimage_test

import (
	"errors"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// fieldUpdates gives each field a new value distinct from the baseline.
var fieldUpdates = map[string]struct {
	s string
	n int64
}{
	"CustomContent": {s: "new content ✓"}, "IntAttr": {n: -101}, "IntAttr2": {n: 202}, "IntAttr3": {n: -303},
	"IntAttr4": {n: 404}, "StrAttr": {s: "new-1"}, "StrAttr2": {s: "new-2"}, "StrAttr3": {s: "new-3"}, "StrAttr4": {s: "new-4"},
}

func everyField() []TableEntry {
	var out []TableEntry
	for _, f := range contract.Fields {
		out = append(out, Entry(f.Name, f.Name))
	}
	return out
}

var _ = Describe("UpdateImage overwrite semantics", Label(harness.AreaOverwrite), func() {
	DescribeTable("changes only the field it was sent and keeps every other field",
		func(ctx SpecContext, name string) {
			f, v := field(name), fieldUpdates[name]
			img := addImage(ctx, tracker)
			_, err := update(ctx, target.Instance, img.Key, only(f, v.s, v.n))
			Expect(err).To(harness.BeSuccess(), "ref §2.3: update of %s", name)
			img.Want.set(f, v.s, int32(v.n))
			expectStored(ctx, target.Instance, img.Key, img.Want, "ref §2.3, §11: only the sent field changes")
		}, everyField())

	DescribeTable("sets a string field to empty when it is sent as an empty string",
		func(ctx SpecContext, name string) {
			f := field(name)
			img := addImage(ctx, tracker)
			_, err := update(ctx, target.Instance, img.Key, only(f, "", 0))
			Expect(err).To(harness.BeSuccess())
			img.Want.set(f, "", 0)
			expectStored(ctx, target.Instance, img.Key, img.Want, "ref §1.3, §2.3: an empty string is a value that clears the field")
		},
		Entry("CustomContent", "CustomContent"), Entry("StrAttr", "StrAttr"), Entry("StrAttr2", "StrAttr2"),
		Entry("StrAttr3 (sent in the query)", "StrAttr3"), Entry("StrAttr4 (sent in the query)", "StrAttr4"))

	It("answers success with the documented body and updates all nine fields sent in body and query", func(ctx SpecContext) {
		img := addImage(ctx, tracker)
		next := stored{CustomContent: "all nine", Int: [4]int32{-1, -2, -3, -4}, Str: [4]string{"a", "b", "c", "d"}}
		resp, err := update(ctx, target.Instance, img.Key, attributesOf(next))
		Expect(err).To(harness.BeSuccess())
		Expect(harness.SuccessBodyShape(resp.Raw, "Message")).To(Succeed(), "ref §2.2: success body")
		Expect(resp.HTTPStatus).To(Equal(200), "ref §2.2")
		expectStored(ctx, target.Instance, img.Key, next, "ref §2.1: IntAttr3/4 and StrAttr3/4 travel in the query")
	})

	It("is idempotent: the same update twice leaves the same state", func(ctx SpecContext) {
		img := addImage(ctx, tracker)
		a := imagesearch.Attributes{StrAttr2: ptr("twice"), IntAttr4: i64(7)}
		for range 2 {
			_, err := update(ctx, target.Instance, img.Key, a)
			Expect(err).To(harness.BeSuccess())
		}
		img.Want.Str[1], img.Want.Int[3] = "twice", 7
		expectStored(ctx, target.Instance, img.Key, img.Want, "repeating an update changes nothing more")
	})

	It("never creates an image that does not exist", func(ctx SpecContext) {
		k := harness.Key{ProductId: tracker.NewProductID(), PicName: "missing.jpg"}
		tracker.Remember(k) // cleanup covers it if a broken target creates it
		_, err := update(ctx, target.Instance, k, imagesearch.Attributes{CustomContent: ptr("ghost")})
		if err != nil {
			// ref §2.4, §10 #2: PicNotExist is the listed code; a silent success is the other reading.
			Expect(err).To(harness.HaveContractError(contract.PicNotExist), "ref §2.4: a missing image")
		}
		AddReportEntry("observed", map[string]any{"updateOfMissingImage": errorCode(err)})
		_, exists := readBack(ctx, target.Instance, k)
		Expect(exists).To(BeFalse(), "ref §2.3: UpdateImage never creates an image")
	})

	It("keeps the image's key, picture and category", func(ctx SpecContext) {
		img := addImage(ctx, tracker)
		_, err := update(ctx, target.Instance, img.Key, imagesearch.Attributes{CustomContent: ptr("moved?")})
		Expect(err).To(harness.BeSuccess())
		img.Want.CustomContent = "moved?"
		res, err := api.SearchImageByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: target.Instance,
			PicContent: img.Pic, SearchOptions: imagesearch.SearchOptions{Num: i64(5)}})
		Expect(err).NotTo(HaveOccurred(), "observe: SearchImageByPic")
		Expect(res.Auctions).NotTo(BeEmpty())
		top := res.Auctions[0]
		Expect(harness.Key{ProductId: top.ProductId, PicName: top.PicName}).To(Equal(img.Key),
			"ref §2.3: the same picture still ranks first under the same ProductId and PicName")
		Expect(top.Score).To(BeNumerically("==", 1), "ref §1.5: the picture itself is unchanged")
		Expect(top.CategoryId).To(Equal(img.Category), "ref §2.3: UpdateImage cannot change the category")
		Expect(storedFromAuction(top)).To(Equal(img.Want))
	})

	It("replaces an image on AddImage with an existing key: one image, the newest attributes", func(ctx SpecContext) {
		img := addImage(ctx, tracker)
		newer := stored{CustomContent: "second add", Int: [4]int32{5, 6, 7, 8}, Str: [4]string{"w", "x", "y", "z"}}
		second := addImageAs(ctx, tracker, img.ProductId, img.PicName, newer)
		expectStored(ctx, target.Instance, img.Key, newer, "ref §3: last write wins")
		res, err := api.SearchImageByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: target.Instance,
			PicContent: second.Pic, SearchOptions: imagesearch.SearchOptions{Num: i64(100)}})
		Expect(err).NotTo(HaveOccurred(), "observe: SearchImageByPic")
		copies := 0
		for _, a := range res.Auctions {
			if a.ProductId == img.ProductId && a.PicName == img.PicName {
				copies++
			}
		}
		Expect(copies).To(Equal(1), "ref §3: ProductId+PicName is the unique key")
		Expect(res.Auctions[0].PicName).To(Equal(img.PicName), "ref §3: the new picture replaced the old one")
		Expect(res.Auctions[0].Score).To(BeNumerically("==", 1))
	})

	It("refuses an update without PicName under intl-2025 and changes nothing", func(ctx SpecContext) {
		if target.Profile != contract.Intl2025 {
			Skip("profile " + string(target.Profile) + " makes PicName optional (ref §9 #1)")
		}
		img := addImage(ctx, tracker)
		_, err := api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: target.Instance,
			ProductId: img.ProductId, Attributes: imagesearch.Attributes{CustomContent: ptr("by product")}})
		Expect(err).To(harness.HaveStatusAndCode(400, "MissingPicName", contract.NoSpecifiedPicName.Code),
			"ref §2.1 [D-UPD-EN]: PicName is required")
		expectStored(ctx, target.Instance, img.Key, img.Want, "a rejected update changes nothing")
	})

	It("updates every image of the product when PicName is omitted under cn-2026", Label(harness.LabelProfileCN), func(ctx SpecContext) {
		if target.Profile != contract.CN2026 {
			Skip("profile " + string(target.Profile) + " requires PicName (ref §9 #1)")
		}
		a := addImage(ctx, tracker)
		b := addImageAs(ctx, tracker, a.ProductId, "pic-2.jpg", baseline())
		other := addImage(ctx, tracker)
		_, err := api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: target.Instance,
			ProductId: a.ProductId, Attributes: imagesearch.Attributes{StrAttr: ptr("whole product")}})
		Expect(err).To(harness.BeSuccess(), "ref §2.3 [D-UPD-ZH2]: no PicName updates by ProductId")
		for _, img := range []image{a, b} {
			img.Want.Str[0] = "whole product"
			expectStored(ctx, target.Instance, img.Key, img.Want, "every image of the product changes")
		}
		expectStored(ctx, target.Instance, other.Key, other.Want, "another product is untouched")
	})
})

// errorCode is the Code of an API error, "success" for nil, or the error text.
func errorCode(err error) string {
	var ae *imagesearch.APIError
	switch {
	case err == nil:
		return "success"
	case errors.As(err, &ae):
		return ae.Code
	}
	return err.Error()
}
