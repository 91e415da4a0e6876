package updateimage

import (
	"context"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// stored is what the contract says an image holds after a write: the nine updatable fields (ref §2.1).
type stored struct {
	CustomContent string
	Int           [4]int32
	Str           [4]string
}

var ptr = imagesearch.Ptr[string]

func i64(v int64) *int64 { return &v }

// baseline is a full attribute set every new image starts with, so "unchanged" is checked against
// non-zero values.
func baseline() stored {
	return stored{CustomContent: "baseline content", Int: [4]int32{11, 22, 33, 44},
		Str: [4]string{"base-1", "base-2", "base-3", "base-4"}}
}

// attributesOf turns a full stored state into request attributes that set every field.
func attributesOf(s stored) imagesearch.Attributes {
	return imagesearch.Attributes{CustomContent: ptr(s.CustomContent),
		IntAttr: i64(int64(s.Int[0])), IntAttr2: i64(int64(s.Int[1])), IntAttr3: i64(int64(s.Int[2])), IntAttr4: i64(int64(s.Int[3])),
		StrAttr: ptr(s.Str[0]), StrAttr2: ptr(s.Str[1]), StrAttr3: ptr(s.Str[2]), StrAttr4: ptr(s.Str[3])}
}

// picture returns a fresh, distinct JPEG: the next of the suite's deterministic pictures, which the
// sweeper also searches with.
func (s *suite) picture() []byte {
	return harness.SuitePicture(s.picSeed.Add(1))
}

// image is an image the spec created: its key, picture, the category AddImage reported and the state
// the spec expects it to hold.
type image struct {
	harness.Key
	Pic      []byte
	Category int32
	Want     stored
}

// addImage adds a fresh image with the baseline attributes under a new ProductId of the run (ref §3).
func (s *suite) addImage(ctx context.Context, tr *harness.Tracker) image {
	return s.addImageAs(ctx, tr, tr.NewProductID(), "pic-1.jpg", baseline())
}

// addImageAs adds an image with the given key and attributes; AddImage is setup here, not under test.
func (s *suite) addImageAs(ctx context.Context, tr *harness.Tracker, productID, picName string, st stored) image {
	GinkgoHelper()
	pic := s.picture()
	resp, err := tr.Add(ctx, &imagesearch.AddImageRequest{ProductId: productID, PicName: picName, PicContent: pic,
		Attributes: attributesOf(st)})
	Expect(err).NotTo(HaveOccurred(), "setup: AddImage %s/%s", productID, picName)
	return image{Key: harness.Key{ProductId: productID, PicName: picName}, Pic: pic,
		Category: resp.PicInfo.CategoryId, Want: st}
}

// update sends UpdateImage for img's key with the given attributes.
func (s *suite) update(ctx context.Context, instance string, k harness.Key, a imagesearch.Attributes) (*imagesearch.UpdateImageResponse, error) {
	return s.api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: instance, ProductId: k.ProductId,
		PicName: ptr(k.PicName), Attributes: a})
}

// readBack reads one image's stored attributes through CheckImageExists, the only by-key read (ref §5.5).
func (s *suite) readBack(ctx context.Context, instance string, k harness.Key) (stored, bool) {
	GinkgoHelper()
	var r *imagesearch.CheckImageExistsResponse
	err := harness.Retry(ctx, func() error {
		var err error
		r, err = s.api.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{InstanceName: instance,
			ProductId: k.ProductId, PicName: k.PicName})
		return err
	})
	Expect(err).NotTo(HaveOccurred(), "observe: CheckImageExists %s/%s", k.ProductId, k.PicName)
	a := r.Auctions
	return stored{CustomContent: a.CustomContent, Int: [4]int32{a.IntAttr, a.IntAttr2, a.IntAttr3, a.IntAttr4},
		Str: [4]string{a.StrAttr, a.StrAttr2, a.StrAttr3, a.StrAttr4}}, r.Exists
}

// expectStored asserts the image exists and holds want.
func (s *suite) expectStored(ctx context.Context, instance string, k harness.Key, want stored, why string) {
	GinkgoHelper()
	got, exists := s.readBack(ctx, instance, k)
	Expect(exists).To(BeTrue(), "%s: image %s/%s must exist", why, k.ProductId, k.PicName)
	Expect(got).To(Equal(want), why)
}

// settle reads img back after a successful update and checks that each sent field holds its new value
// (ref §2.1, §2.3). The whole state read becomes img.Want: what the other fields hold after an update is an
// open point (ref §10 #3) that only its own spec asserts, so later "nothing changed" checks compare with
// what the target really holds.
func (s *suite) settle(ctx context.Context, instance string, img *image, sent stored, fields ...contract.Field) {
	GinkgoHelper()
	got, exists := s.readBack(ctx, instance, img.Key)
	Expect(exists).To(BeTrue(), "image %s/%s must exist", img.ProductId, img.PicName)
	for _, f := range fields {
		Expect(got.get(f)).To(Equal(sent.get(f)), "ref §2.1, §2.3: %s holds the value the update sent", f.Name)
	}
	img.Want = got
}

// get returns the value of field f in s, as a string or an int32.
func (s stored) get(f contract.Field) any {
	switch {
	case f.Slot < 0:
		return s.CustomContent
	case f.Kind == contract.KindInt:
		return s.Int[f.Slot]
	}
	return s.Str[f.Slot]
}

// refusedAs is the matcher for a refused value of field f: its documented status and code when the seed's
// table lists the code (the literal message is the error-code specs' to check), any 400 refusal when only
// the metadata does (which code is an open point, read by the error-code specs: ref §2.4, §10 #6).
func refusedAs(f contract.Field) types.GomegaMatcher {
	if slices.Contains(contract.MetadataOnlyCodes, f.Invalid.Code) {
		return harness.HaveStatus(400)
	}
	return harness.HaveCode(f.Invalid)
}

// searchByPic searches with a picture; it observes, so transient failures are retried (ref §11: 5xx on calls
// other than the one under test are the infrastructure's).
func (s *suite) searchByPic(ctx context.Context, r *imagesearch.SearchImageByPicRequest) *imagesearch.SearchResponse {
	GinkgoHelper()
	var res *imagesearch.SearchResponse
	err := harness.Retry(ctx, func() error {
		var err error
		res, err = s.api.SearchImageByPic(ctx, r)
		return err
	})
	Expect(err).NotTo(HaveOccurred(), "observe: SearchImageByPic")
	return res
}

// find returns the result with key k and whether it is among the first n results (n <= 0: anywhere).
func find(res *imagesearch.SearchResponse, k harness.Key, n int) (imagesearch.Auction, bool) {
	for i, a := range res.Auctions {
		if n > 0 && i >= n {
			break
		}
		if a.ProductId == k.ProductId && a.PicName == k.PicName {
			return a, true
		}
	}
	return imagesearch.Auction{}, false
}

// topResults is how far down the results a search for an image's own picture must find it: ranking and
// scores are the target's freedom (ref §10 #12), so the suite never asserts a Score or the first place.
const topResults = 5

// storedFromAuction is the attribute state a search result reports (ref §5.1).
func storedFromAuction(a imagesearch.Auction) stored {
	return stored{CustomContent: a.CustomContent, Int: [4]int32{a.IntAttr, a.IntAttr2, a.IntAttr3, a.IntAttr4},
		Str: [4]string{a.StrAttr, a.StrAttr2, a.StrAttr3, a.StrAttr4}}
}

// set writes value into the field named name of s (the model of a successful update, ref §2.3).
func (s *stored) set(f contract.Field, value string, n int32) {
	switch {
	case f.Slot < 0:
		s.CustomContent = value
	case f.Kind == contract.KindInt:
		s.Int[f.Slot] = n
	default:
		s.Str[f.Slot] = value
	}
}

// only returns request attributes that carry just one field.
func only(f contract.Field, value string, n int64) imagesearch.Attributes {
	var a imagesearch.Attributes
	switch f.Name {
	case "CustomContent":
		a.CustomContent = ptr(value)
	case "IntAttr":
		a.IntAttr = &n
	case "IntAttr2":
		a.IntAttr2 = &n
	case "IntAttr3":
		a.IntAttr3 = &n
	case "IntAttr4":
		a.IntAttr4 = &n
	case "StrAttr":
		a.StrAttr = ptr(value)
	case "StrAttr2":
		a.StrAttr2 = ptr(value)
	case "StrAttr3":
		a.StrAttr3 = ptr(value)
	case "StrAttr4":
		a.StrAttr4 = ptr(value)
	}
	return a
}

// field looks a field up by name; the tables below name fields by their wire name.
func field(name string) contract.Field {
	f, ok := contract.FieldByName(name)
	Expect(ok).To(BeTrue(), "unknown field %s", name)
	return f
}
