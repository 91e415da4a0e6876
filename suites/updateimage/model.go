package updateimage

import (
	"context"
	"fmt"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/fixtures"
	"github.com/imagesearch-conformance/conformance/generators"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/internal/rapidg"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// answers are the target's answers to the open points an update depends on (ref §10 #2, #3), read once per
// property so the model follows the target's reading; the reading specs judge the answers themselves.
type answers struct {
	resetUnsent, ignoreEmpty, missingSucceeds bool
}

func (s *suite) readAnswers(ctx context.Context) answers {
	GinkgoHelper()
	var r answers
	a := s.addImage(ctx, s.tracker)
	_, err := s.update(ctx, s.target.Instance, a.Key, imagesearch.Attributes{CustomContent: ptr("probe")})
	Expect(err).To(harness.BeSuccess(), "probe: update one field")
	got, _ := s.readBack(ctx, s.target.Instance, a.Key)
	r.resetUnsent = got.Int[0] != a.Want.Int[0]

	b := s.addImage(ctx, s.tracker)
	all := requestAttrs(b.Want.Attrs())
	all.StrAttr = ptr("")
	_, err = s.update(ctx, s.target.Instance, b.Key, all)
	Expect(err).To(harness.BeSuccess(), "probe: update with an empty string")
	got, _ = s.readBack(ctx, s.target.Instance, b.Key)
	r.ignoreEmpty = got.Str[0] != ""

	missing := harness.Key{ProductId: s.tracker.NewProductID(), PicName: "missing.jpg"}
	s.tracker.Remember(missing)
	_, err = s.update(ctx, s.target.Instance, missing, imagesearch.Attributes{CustomContent: ptr("probe")})
	r.missingSucceeds = err == nil
	Expect(s.tracker.Cleanup(ctx)).To(Succeed(), "infrastructure: cleanup of the probe images")
	AddReportEntry("model answers", fmt.Sprintf("%+v", r))
	return r
}

// apply is a successful update in the model: only the sent fields change (ref §2.3), under the target's
// answers to the open points.
func (r answers) apply(cur *generators.Full, a generators.Attrs) {
	if r.ignoreEmpty {
		if a.CustomContent != nil && *a.CustomContent == "" {
			a.CustomContent = nil
		}
		for i, p := range a.Str {
			if p != nil && *p == "" {
				a.Str[i] = nil
			}
		}
	}
	if r.resetUnsent {
		*cur = generators.Full{}
	}
	a.Apply(cur)
}

// machine runs random Add/Update/Delete/Search sequences against the target and an in-memory model of the
// contract (ref §2.3, §3, §4, §5.2), checking the touched images after every step.
type machine struct {
	s        *suite
	ctx      context.Context
	g        Gomega
	answers  answers
	products [2]string
	keys     []harness.Key
	model    map[harness.Key]generators.Full
	touched  []harness.Key
	pics     [][]byte // one picture per key: the model is about attributes, and a fresh JPEG per add costs
}

func (s *suite) newMachine(ctx context.Context, t *rapid.T, r answers) *machine {
	// What an earlier case left (a failed case ends before its cleanup) goes first: the model starts empty.
	Expect(s.tracker.Cleanup(ctx)).To(Succeed(), "infrastructure: cleanup before the case")
	m := &machine{s: s, ctx: ctx, g: NewWithT(t), answers: r, model: map[harness.Key]generators.Full{}, pics: s.modelPictures()}
	// Products derive from the draw, so a failure and its replay name the same products.
	n := rapid.IntRange(0, 9999).Draw(t, "products")
	for i := range m.products {
		m.products[i] = s.tracker.ProductIDFor(fmt.Sprintf("m%d-%d", n, i))
		for _, pic := range []string{"a.jpg", "b.jpg"} {
			k := harness.Key{ProductId: m.products[i], PicName: pic}
			m.keys = append(m.keys, k)
			s.tracker.Remember(k)
		}
	}
	return m
}

// modelPictures are the pictures of the model's keys, made once per run.
func (s *suite) modelPictures() [][]byte {
	for len(s.modelPics) < 4 { // two products with two pictures each
		// The smallest pictures the contract accepts (ref §1.5): the model adds hundreds of images.
		s.modelPics = append(s.modelPics, fixtures.Image(fixtures.JPEG, 2000+s.picSeed.Add(1), contract.MinPixels, contract.MinPixels))
	}
	return s.modelPics
}

func (m *machine) actions() map[string]func(*rapid.T) {
	acts := map[string]func(*rapid.T){
		"add": m.add, "update": m.update, "delete": m.delete, "deleteProduct": m.deleteProduct,
		"search": m.search, "": m.check,
	}
	if m.s.target.Profile == contract.CN2026 {
		acts["updateProduct"] = m.updateProduct
	}
	return acts
}

// Strings come from the BMP only: how characters outside it count is an open point (ref §10 #9).
func (m *machine) add(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	a := generators.FullAttrsOf(generators.BMPAlphabets...).Draw(t, "attrs")
	_, err := m.s.tracker.Add(m.ctx, &imagesearch.AddImageRequest{ProductId: k.ProductId, PicName: k.PicName,
		PicContent: m.pics[slices.Index(m.keys, k)], Attributes: requestAttrs(a)})
	m.g.Expect(err).To(harness.BeSuccess(), "AddImage")
	var full generators.Full
	a.Apply(&full)
	m.model[k] = full // ref §3: last write wins, attributes included
	m.touched = []harness.Key{k}
}

func (m *machine) update(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	a := generators.PartialAttrsOf(generators.BMPAlphabets...).Draw(t, "attrs")
	_, err := m.s.update(m.ctx, m.s.target.Instance, k, requestAttrs(a))
	if cur, ok := m.model[k]; ok {
		m.g.Expect(err).To(harness.BeSuccess(), "UpdateImage of an existing image")
		m.answers.apply(&cur, a)
		m.model[k] = cur
	} else if m.answers.missingSucceeds {
		m.g.Expect(err).To(harness.BeSuccess(), "ref §10 #2: this target answers success for a missing image")
	} else {
		m.g.Expect(err).To(harness.HaveStatus(400), "ref §10 #2: this target refuses a missing image")
	}
	m.touched = []harness.Key{k}
}

func (m *machine) updateProduct(t *rapid.T) {
	p := rapid.SampledFrom(m.products[:]).Draw(t, "product")
	a := generators.PartialAttrsOf(generators.BMPAlphabets...).Draw(t, "attrs")
	_, err := m.s.api.UpdateImage(m.ctx, &imagesearch.UpdateImageRequest{InstanceName: m.s.target.Instance, ProductId: p,
		Attributes: requestAttrs(a)})
	any := false
	m.touched = nil
	for _, k := range m.keys {
		if k.ProductId != p {
			continue
		}
		if cur, ok := m.model[k]; ok {
			any = true
			m.answers.apply(&cur, a) // ref §2.3 [D-UPD-ZH2]: every image of the product
			m.model[k] = cur
		}
		m.touched = append(m.touched, k)
	}
	if any {
		m.g.Expect(err).To(harness.BeSuccess(), "UpdateImage by ProductId")
	}
}

// deleteKeys deletes by key or by product; it is idempotent, so transient failures are retried.
func (m *machine) deleteKeys(r *imagesearch.DeleteImageRequest) {
	r.InstanceName = m.s.target.Instance
	err := harness.Retry(m.ctx, func() error { _, err := m.s.api.DeleteImage(m.ctx, r); return err })
	m.g.Expect(err).To(harness.BeSuccess(), "ref §4: DeleteImage succeeds whether or not the image exists")
}

func (m *machine) delete(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	m.deleteKeys(&imagesearch.DeleteImageRequest{ProductId: ptr(k.ProductId), PicName: ptr(k.PicName)})
	delete(m.model, k)
	m.touched = []harness.Key{k}
}

func (m *machine) deleteProduct(t *rapid.T) {
	p := rapid.SampledFrom(m.products[:]).Draw(t, "product")
	m.deleteKeys(&imagesearch.DeleteImageRequest{ProductId: ptr(p)})
	m.touched = nil
	for _, k := range m.keys {
		if k.ProductId == p {
			delete(m.model, k)
			m.touched = append(m.touched, k)
		}
	}
}

// search polls until the search shows the model: how soon an add or delete is visible is free (ref §10 #11).
func (m *machine) search(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	_, present := m.model[k]
	m.g.Eventually(m.ctx, func(g Gomega) {
		res, err := m.s.api.SearchImageByName(m.ctx, &imagesearch.SearchImageByNameRequest{InstanceName: m.s.target.Instance,
			ProductId: k.ProductId, PicName: k.PicName, SearchOptions: imagesearch.SearchOptions{Num: i64(100)}})
		if !present {
			g.Expect(err).To(harness.HaveCode(contract.PicNotExist), "ref §5.2: the seed image does not exist")
			return
		}
		g.Expect(err).To(harness.BeSuccess(), "SearchImageByName")
		for _, a := range res.Auctions {
			if model, in := m.model[harness.Key{ProductId: a.ProductId, PicName: a.PicName}]; in {
				g.Expect(stateOf(a)).To(Equal(model), "ref §5.1: search shows %s/%s as the model", a.ProductId, a.PicName)
			}
		}
		_, found := find(res, k, 0)
		g.Expect(found).To(BeTrue(), "ref §5.2: the seed is in its own results")
	}).WithTimeout(m.s.target.VisibilityTimeout).WithPolling(200 * time.Millisecond).Should(Succeed())
}

// check is the invariant: every touched image exists exactly when the model has it, with its attributes.
func (m *machine) check(*rapid.T) {
	for _, k := range m.touched {
		got, exists := m.s.readBack(m.ctx, m.s.target.Instance, k)
		want, ok := m.model[k]
		m.g.Expect(exists).To(Equal(ok), "CheckImageExists(%s/%s)", k.ProductId, k.PicName)
		if ok {
			m.g.Expect(got).To(Equal(want), "stored attributes of %s/%s", k.ProductId, k.PicName)
		}
	}
	m.touched = nil
}

func (s *suite) modelSpecs() {
	// The longest spec starts first, so a parallel run does not wait for it at the end.
	Describe("UpdateImage against a model of the contract", Label(harness.AreaOverwrite, harness.LabelProperty),
		SpecPriority(longSpec), func() {
			It("behaves like the model under random sequences of Add, Update, Delete and Search",
				Label(harness.FootingDocumented), harness.Ref("§2.3", "§3", "§4", "§5.2"), func(ctx SpecContext) {
					r := s.readAnswers(ctx)
					rapidg.Check(ctx, func(t *rapid.T) {
						m := s.newMachine(ctx, t, r)
						t.Repeat(m.actions())
						Expect(s.tracker.CleanupProducts(ctx)).To(Succeed(), "infrastructure: per-case cleanup")
					})
				})
		})
}
