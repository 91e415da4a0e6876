package updateimage_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/generators"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/internal/rapidg"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// requestAttrs turns generated attributes into request attributes.
func requestAttrs(a generators.Attrs) imagesearch.Attributes {
	return imagesearch.Attributes{CustomContent: a.CustomContent,
		IntAttr: a.Int[0], IntAttr2: a.Int[1], IntAttr3: a.Int[2], IntAttr4: a.Int[3],
		StrAttr: a.Str[0], StrAttr2: a.Str[1], StrAttr3: a.Str[2], StrAttr4: a.Str[3]}
}

// machine runs random Add/Update/Delete/Search sequences against the target and an in-memory model of the
// contract (ref §2.3, §3, §4, §5.2), checking the touched images after every step.
type machine struct {
	ctx      context.Context
	g        Gomega
	products [2]string
	keys     []harness.Key
	model    map[harness.Key]generators.Full
	touched  []harness.Key
}

func newMachine(ctx context.Context, t *rapid.T) *machine {
	m := &machine{ctx: ctx, g: NewWithT(t), model: map[harness.Key]generators.Full{}}
	for i := range m.products {
		m.products[i] = tracker.NewProductID()
		for _, pic := range []string{"a.jpg", "b.jpg"} {
			k := harness.Key{ProductId: m.products[i], PicName: pic}
			m.keys = append(m.keys, k)
			tracker.Remember(k)
		}
	}
	return m
}

func (m *machine) actions() map[string]func(*rapid.T) {
	acts := map[string]func(*rapid.T){
		"add": m.add, "update": m.update, "delete": m.delete, "deleteProduct": m.deleteProduct,
		"search": m.search, "": m.check,
	}
	if target.Profile == contract.CN2026 {
		acts["updateProduct"] = m.updateProduct
	}
	return acts
}

func (m *machine) add(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	a := generators.FullAttrs().Draw(t, "attrs")
	_, err := tracker.Add(m.ctx, &imagesearch.AddImageRequest{ProductId: k.ProductId, PicName: k.PicName,
		PicContent: picture(), Attributes: requestAttrs(a)})
	m.g.Expect(err).To(harness.BeSuccess(), "AddImage")
	var full generators.Full
	a.Apply(&full)
	m.model[k] = full // ref §3: last write wins, attributes included
	m.touched = []harness.Key{k}
}

func (m *machine) update(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	a := generators.PartialAttrs().Draw(t, "attrs")
	_, err := update(m.ctx, target.Instance, k, requestAttrs(a))
	if cur, ok := m.model[k]; ok {
		m.g.Expect(err).To(harness.BeSuccess(), "UpdateImage of an existing image")
		a.Apply(&cur) // ref §2.3: only the sent fields change
		m.model[k] = cur
	} else if err != nil {
		m.g.Expect(err).To(harness.HaveContractError(contract.PicNotExist), "ref §2.4, §10 #2")
	}
	m.touched = []harness.Key{k}
}

func (m *machine) updateProduct(t *rapid.T) {
	p := rapid.SampledFrom(m.products[:]).Draw(t, "product")
	a := generators.PartialAttrs().Draw(t, "attrs")
	_, err := api.UpdateImage(m.ctx, &imagesearch.UpdateImageRequest{InstanceName: target.Instance, ProductId: p,
		Attributes: requestAttrs(a)})
	any := false
	m.touched = nil
	for _, k := range m.keys {
		if cur, ok := m.model[k]; ok && k.ProductId == p {
			any = true
			a.Apply(&cur) // ref §2.3 [D-UPD-ZH2]: every image of the product
			m.model[k] = cur
		}
		if k.ProductId == p {
			m.touched = append(m.touched, k)
		}
	}
	if any {
		m.g.Expect(err).To(harness.BeSuccess(), "UpdateImage by ProductId")
	}
}

func (m *machine) delete(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	_, err := api.DeleteImage(m.ctx, &imagesearch.DeleteImageRequest{InstanceName: target.Instance,
		ProductId: ptr(k.ProductId), PicName: ptr(k.PicName)})
	m.g.Expect(err).To(harness.BeSuccess(), "ref §4: DeleteImage succeeds whether or not the image exists")
	delete(m.model, k)
	m.touched = []harness.Key{k}
}

func (m *machine) deleteProduct(t *rapid.T) {
	p := rapid.SampledFrom(m.products[:]).Draw(t, "product")
	_, err := api.DeleteImage(m.ctx, &imagesearch.DeleteImageRequest{InstanceName: target.Instance, ProductId: ptr(p)})
	m.g.Expect(err).To(harness.BeSuccess(), "ref §4: DeleteImage by ProductId")
	m.touched = nil
	for _, k := range m.keys {
		if k.ProductId == p {
			delete(m.model, k)
			m.touched = append(m.touched, k)
		}
	}
}

func (m *machine) search(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	res, err := api.SearchImageByName(m.ctx, &imagesearch.SearchImageByNameRequest{InstanceName: target.Instance,
		ProductId: k.ProductId, PicName: k.PicName, SearchOptions: imagesearch.SearchOptions{Num: i64(100)}})
	if _, ok := m.model[k]; !ok {
		m.g.Expect(err).To(harness.HaveContractError(contract.PicNotExist), "ref §5.2: the seed image does not exist")
		return
	}
	m.g.Expect(err).To(harness.BeSuccess(), "SearchImageByName")
	for _, a := range res.Auctions {
		if model, in := m.model[harness.Key{ProductId: a.ProductId, PicName: a.PicName}]; in {
			m.g.Expect(storedFromAuction(a)).To(Equal(stored(model)), "ref §5.1: search shows %s/%s as the model", a.ProductId, a.PicName)
		}
	}
	m.g.Expect(res.Auctions).To(ContainElement(HaveField("PicName", k.PicName)), "ref §5.2: the seed is in its own results")
}

// check is the invariant: every touched image exists exactly when the model has it, with its attributes.
func (m *machine) check(*rapid.T) {
	for _, k := range m.touched {
		got, exists := readBack(m.ctx, target.Instance, k)
		want, ok := m.model[k]
		m.g.Expect(exists).To(Equal(ok), "CheckImageExists(%s/%s)", k.ProductId, k.PicName)
		if ok {
			m.g.Expect(got).To(Equal(stored(want)), "stored attributes of %s/%s", k.ProductId, k.PicName)
		}
	}
	m.touched = nil
}

var _ = Describe("UpdateImage against a model of the contract", Label(harness.AreaOverwrite, harness.LabelProperty), func() {
	It("behaves like the model under random sequences of Add, Update, Delete and Search", func(ctx SpecContext) {
		rapidg.Check(ctx, func(t *rapid.T) {
			m := newMachine(ctx, t)
			t.Repeat(m.actions())
			Expect(tracker.Cleanup(ctx)).To(Succeed(), "infrastructure: per-case cleanup")
		})
	})
})
