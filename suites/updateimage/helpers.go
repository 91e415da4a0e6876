package updateimage

import (
	"context"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/generators"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

var ptr = imagesearch.Ptr[string]

func i64(v int64) *int64 { return &v }

// baseline is a full attribute set every new image starts with, so "unchanged" is checked against
// non-zero values.
func baseline() generators.Full {
	return generators.Full{CustomContent: "baseline content", Int: [4]int32{11, 22, 33, 44},
		Str: [4]string{"base-1", "base-2", "base-3", "base-4"}}
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
	Want     generators.Full
}

// addImage adds a fresh image with the baseline attributes under a new ProductId of the run (ref §3).
func (s *suite) addImage(ctx context.Context, tr *harness.Tracker) image {
	return s.addImageAs(ctx, tr, tr.NewProductID(), "pic-1.jpg", baseline())
}

// addImageAs adds an image with the given key and attributes; AddImage is setup here, not under test.
func (s *suite) addImageAs(ctx context.Context, tr *harness.Tracker, productID, picName string, st generators.Full) image {
	GinkgoHelper()
	pic := s.picture()
	resp, err := tr.Add(ctx, &imagesearch.AddImageRequest{ProductId: productID, PicName: picName, PicContent: pic,
		Attributes: requestAttrs(st.Attrs())})
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
func (s *suite) readBack(ctx context.Context, instance string, k harness.Key) (generators.Full, bool) {
	GinkgoHelper()
	var r *imagesearch.CheckImageExistsResponse
	err := harness.Retry(ctx, func() error {
		var err error
		r, err = s.api.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{InstanceName: instance,
			ProductId: k.ProductId, PicName: k.PicName})
		return err
	})
	Expect(err).NotTo(HaveOccurred(), "observe: CheckImageExists %s/%s", k.ProductId, k.PicName)
	return stateOf(r.Auctions), r.Exists
}

// stateOf is the attribute state an image's record reports, in a search result (ref §5.1) or from
// CheckImageExists (ref §5.5).
func stateOf(a imagesearch.Auction) generators.Full {
	return generators.Full{CustomContent: a.CustomContent, Int: [4]int32{a.IntAttr, a.IntAttr2, a.IntAttr3, a.IntAttr4},
		Str: [4]string{a.StrAttr, a.StrAttr2, a.StrAttr3, a.StrAttr4}}
}

// requestAttrs turns attributes into a request's: Full.Attrs() for a state that sets every field.
func requestAttrs(a generators.Attrs) imagesearch.Attributes {
	return imagesearch.Attributes{CustomContent: a.CustomContent,
		IntAttr: a.Int[0], IntAttr2: a.Int[1], IntAttr3: a.Int[2], IntAttr4: a.Int[3],
		StrAttr: a.Str[0], StrAttr2: a.Str[1], StrAttr3: a.Str[2], StrAttr4: a.Str[3]}
}

// expectStored asserts the image exists and holds want.
func (s *suite) expectStored(ctx context.Context, instance string, k harness.Key, want generators.Full, why string) {
	GinkgoHelper()
	got, exists := s.readBack(ctx, instance, k)
	Expect(exists).To(BeTrue(), "%s: image %s/%s must exist", why, k.ProductId, k.PicName)
	Expect(got).To(Equal(want), why)
}

// settle reads img back after a successful update and checks that each sent field holds its new value
// (ref §2.1, §2.3). The whole state read becomes img.Want: what the other fields hold after an update is an
// open point (ref §10 #3) that only its own spec asserts, so later "nothing changed" checks compare with
// what the target really holds.
func (s *suite) settle(ctx context.Context, instance string, img *image, sent generators.Full, fields ...contract.Field) {
	GinkgoHelper()
	got, exists := s.readBack(ctx, instance, img.Key)
	Expect(exists).To(BeTrue(), "image %s/%s must exist", img.ProductId, img.PicName)
	for _, f := range fields {
		Expect(got.Field(f)).To(Equal(sent.Field(f)), "ref §2.1, §2.3: %s holds the value the update sent", f.Name)
	}
	img.Want = got
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
	at := positions(res, k)
	if len(at) == 0 || n > 0 && at[0] >= n {
		return imagesearch.Auction{}, false
	}
	return res.Auctions[at[0]], true
}

// positions lists where the results hold key k, in result order.
func positions(res *imagesearch.SearchResponse, k harness.Key) []int {
	var at []int
	for i, a := range res.Auctions {
		if a.ProductId == k.ProductId && a.PicName == k.PicName {
			at = append(at, i)
		}
	}
	return at
}

// topResults is how far down the results a search for an image's own picture must find it: ranking and
// scores are the target's freedom (ref §10 #12), so the suite never asserts a Score or the first place.
const topResults = 5

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
