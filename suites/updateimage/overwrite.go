package updateimage

import (
	"errors"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/generators"
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
		name := f.Name
		if f.UpdateWhere == contract.InQuery {
			name += " (sent in the query)"
		}
		out = append(out, Entry(name, f.Name))
	}
	return out
}

func (s *suite) overwriteSpecs() {
	Describe("UpdateImage overwrite semantics", Label(harness.AreaOverwrite), func() {
		DescribeTable("changes the field it was sent to exactly the value it was sent",
			Label(harness.FootingDocumented), harness.Ref("§2.1", "§2.3"),
			func(ctx SpecContext, name string) {
				f, v := field(name), fieldUpdates[name]
				img := s.addImage(ctx, s.tracker)
				_, err := s.update(ctx, s.target.Instance, img.Key, only(f, v.s, v.n))
				Expect(err).To(harness.BeSuccess(), "ref §2.3: update of %s", name)
				var sent generators.Full
				sent.Set(f, v.s, int32(v.n))
				s.settle(ctx, s.target.Instance, &img, sent, f)
			}, everyField())

		It("keeps every field an update does not send", Label(harness.FootingReading), harness.Ref("§10 #3"), func(ctx SpecContext) {
			img := s.addImage(ctx, s.tracker)
			_, err := s.update(ctx, s.target.Instance, img.Key, imagesearch.Attributes{CustomContent: ptr("only this")})
			Expect(err).To(harness.BeSuccess())
			got, _ := s.readBack(ctx, s.target.Instance, img.Key)
			Expect(got.CustomContent).To(Equal("only this"), "ref §2.3: the sent field changes")
			got.CustomContent = ""
			kept := img.Want
			kept.CustomContent = ""
			s.readState(contract.PointUnsentFields, got, answer{"kept", kept}, answer{"reset", generators.Full{}})
		})

		It("clears a string field sent as an empty string", Label(harness.FootingReading), harness.Ref("§10 #3", "§1.3"), func(ctx SpecContext) {
			img := s.addImage(ctx, s.tracker)
			empty := ptr("")
			_, err := s.update(ctx, s.target.Instance, img.Key, imagesearch.Attributes{CustomContent: empty,
				StrAttr: empty, StrAttr2: empty, StrAttr3: empty, StrAttr4: empty})
			Expect(err).To(harness.BeSuccess(), "ref §1.3: an empty string is a valid value")
			got, _ := s.readBack(ctx, s.target.Instance, img.Key)
			cleared, ignored := got, got
			cleared.CustomContent, cleared.Str = "", [4]string{}
			ignored.CustomContent, ignored.Str = img.Want.CustomContent, img.Want.Str
			s.readState(contract.PointEmptyString, got, answer{"cleared", cleared}, answer{"ignored", ignored})
		})

		It("answers success with the documented body and updates all nine fields sent in body and query",
			Label(harness.FootingDocumented), harness.Ref("§2.1", "§2.2"), func(ctx SpecContext) {
				img := s.addImage(ctx, s.tracker)
				next := generators.Full{CustomContent: "all nine", Int: [4]int32{-1, -2, -3, -4}, Str: [4]string{"a", "b", "c", "d"}}
				resp, err := s.update(ctx, s.target.Instance, img.Key, requestAttrs(next.Attrs()))
				Expect(err).To(harness.BeSuccess())
				Expect(harness.SuccessBodyShape(resp.Raw, "Message")).To(Succeed(), "ref §2.2: success body")
				Expect(resp.HTTPStatus).To(Equal(200), "ref §2.2")
				s.expectStored(ctx, s.target.Instance, img.Key, next, "ref §2.1: IntAttr3/4 and StrAttr3/4 travel in the query")
			})

		It("is idempotent: the same update twice leaves the same state", Label(harness.FootingDocumented), harness.Ref("§2.3"), func(ctx SpecContext) {
			img := s.addImage(ctx, s.tracker)
			a := imagesearch.Attributes{StrAttr2: ptr("twice"), IntAttr4: i64(7)}
			_, err := s.update(ctx, s.target.Instance, img.Key, a)
			Expect(err).To(harness.BeSuccess())
			s.settle(ctx, s.target.Instance, &img, generators.Full{Int: [4]int32{0, 0, 0, 7}, Str: [4]string{"", "twice"}}, field("StrAttr2"), field("IntAttr4"))
			_, err = s.update(ctx, s.target.Instance, img.Key, a)
			Expect(err).To(harness.BeSuccess())
			s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "repeating an update changes nothing more")
		})

		It("never creates an image that does not exist", Label(harness.FootingDocumented), harness.Ref("§2.3"), func(ctx SpecContext) {
			k := harness.Key{ProductId: s.tracker.NewProductID(), PicName: "missing.jpg"}
			s.tracker.Remember(k) // cleanup covers it if a broken target creates it
			_, err := s.update(ctx, s.target.Instance, k, imagesearch.Attributes{CustomContent: ptr("ghost")})
			if err != nil {
				Expect(err).To(harness.HaveStatus(400), "ref §2.4: a refusal of a missing image is a 400")
			}
			_, exists := s.readBack(ctx, s.target.Instance, k)
			Expect(exists).To(BeFalse(), "ref §2.3: UpdateImage never creates an image")
		})

		It("answers UpdateImage of a missing image with 400 PicNotExist", Label(harness.FootingReading), harness.Ref("§10 #2", "§2.4"), func(ctx SpecContext) {
			k := harness.Key{ProductId: s.tracker.NewProductID(), PicName: "missing.jpg"}
			s.tracker.Remember(k)
			_, err := s.update(ctx, s.target.Instance, k, imagesearch.Attributes{CustomContent: ptr("ghost")})
			if err == nil {
				s.verdicts.Read(contract.PointUpdateMissing, "success")
				return
			}
			Expect(err).To(harness.HaveCode(contract.PicNotExist), "ref §2.4, §10 #2: the listed code for a missing image")
			s.verdicts.Read(contract.PointUpdateMissing, "PicNotExist")
		})

		It("keeps the image's key, picture and category", Label(harness.FootingDocumented), harness.Ref("§2.3"), func(ctx SpecContext) {
			img := s.addImage(ctx, s.tracker)
			_, err := s.update(ctx, s.target.Instance, img.Key, imagesearch.Attributes{CustomContent: ptr("moved?")})
			Expect(err).To(harness.BeSuccess())
			var top imagesearch.Auction
			Eventually(ctx, func(g Gomega) {
				res := s.searchByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: s.target.Instance,
					PicContent: img.Pic, SearchOptions: imagesearch.SearchOptions{Num: i64(topResults)}})
				var found bool
				top, found = find(res, img.Key, topResults)
				g.Expect(found).To(BeTrue(), "ref §2.3: the same picture still finds the image under the same ProductId and PicName")
			}).WithTimeout(s.target.VisibilityTimeout).WithPolling(200 * time.Millisecond).Should(Succeed())
			Expect(top.CategoryId).To(Equal(img.Category), "ref §2.3: UpdateImage cannot change the category")
			Expect(top.CustomContent).To(Equal("moved?"), "ref §5.1: the result carries the updated field")
		})

		It("replaces an image on AddImage with an existing key: one image, the newest attributes",
			Label(harness.FootingDocumented), harness.Ref("§3"), func(ctx SpecContext) {
				img := s.addImage(ctx, s.tracker)
				newer := generators.Full{CustomContent: "second add", Int: [4]int32{5, 6, 7, 8}, Str: [4]string{"w", "x", "y", "z"}}
				second := s.addImageAs(ctx, s.tracker, img.ProductId, img.PicName, newer)
				s.expectStored(ctx, s.target.Instance, img.Key, newer, "ref §3: last write wins, every attribute included")
				Eventually(ctx, func(g Gomega) {
					res := s.searchByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: s.target.Instance,
						PicContent: second.Pic, SearchOptions: imagesearch.SearchOptions{Num: i64(100)}})
					g.Expect(positions(res, img.Key)).To(HaveLen(1), "ref §3: ProductId+PicName is the unique key")
					_, top := find(res, img.Key, topResults)
					g.Expect(top).To(BeTrue(), "ref §3: the new picture finds the image")
				}).WithTimeout(s.target.VisibilityTimeout).WithPolling(200 * time.Millisecond).Should(Succeed())
			})

		It("refuses an update without PicName under intl-2025 and changes nothing",
			Label(harness.FootingDocumented), harness.Ref("§2.1", "§9 #1"), func(ctx SpecContext) {
				if s.target.Profile != contract.Intl2025 {
					Skip("profile " + string(s.target.Profile) + " makes PicName optional (ref §9 #1)")
				}
				img := s.addImage(ctx, s.tracker)
				_, err := s.api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: s.target.Instance,
					ProductId: img.ProductId, Attributes: imagesearch.Attributes{CustomContent: ptr("by product")}})
				Expect(err).To(harness.HaveStatusAndCode(400, "MissingPicName", contract.MissingParameterCode, contract.NoSpecifiedPicName.Code),
					"ref §2.1 [D-UPD-EN]: PicName is required; the code of a missing parameter is free (ref §8.3, §10 #6)")
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "a rejected update changes nothing")
			})

		It("updates every image of the product when PicName is omitted under cn-2026",
			Label(harness.FootingDocumented, harness.LabelProfileCN), harness.Ref("§2.3", "§9 #1"), func(ctx SpecContext) {
				if s.target.Profile != contract.CN2026 {
					Skip("profile " + string(s.target.Profile) + " requires PicName (ref §9 #1)")
				}
				a := s.addImage(ctx, s.tracker)
				b := s.addImageAs(ctx, s.tracker, a.ProductId, "pic-2.jpg", baseline())
				other := s.addImage(ctx, s.tracker)
				_, err := s.api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: s.target.Instance,
					ProductId: a.ProductId, Attributes: imagesearch.Attributes{StrAttr: ptr("whole product")}})
				Expect(err).To(harness.BeSuccess(), "ref §2.3 [D-UPD-ZH2]: no PicName updates by ProductId")
				for _, img := range []image{a, b} {
					s.settle(ctx, s.target.Instance, &img, generators.Full{Str: [4]string{"whole product"}}, field("StrAttr"))
				}
				s.expectStored(ctx, s.target.Instance, other.Key, other.Want, "another product is untouched")
			})
	})
}

// answer is one allowed answer to an open point: the state a target following it holds.
type answer struct {
	name  string
	state generators.Full
}

// readState reads which allowed answer the stored state shows, and fails when it shows none of them.
func (s *suite) readState(point string, got generators.Full, answers ...answer) {
	GinkgoHelper()
	for _, a := range answers {
		if got == a.state {
			s.verdicts.Read(point, a.name)
			return
		}
	}
	p, _ := contract.PointByID(point)
	Fail(fmt.Sprintf("ref %s %s: the stored state %+v matches no allowed answer", p.Ref, point, got))
}

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
