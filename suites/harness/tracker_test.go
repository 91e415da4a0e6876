package harness

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// TestImagesAreCreatedOnlyThroughATracker: nothing the harness exports creates an image, so every image a
// run makes is under its prefix, cleaned up and seen by the leak check.
func TestImagesAreCreatedOnlyThroughATracker(t *testing.T) {
	for _, v := range []any{&API{}, &Target{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			if strings.Contains(m.Name, "AddImage") {
				t.Errorf("%s.%s creates images outside a Tracker", typ.Elem().Name(), m.Name)
			}
			for o := range m.Type.NumOut() {
				if m.Type.Out(o) == reflect.TypeOf(&imagesearch.Client{}) {
					t.Errorf("%s.%s hands out the bare client, which can AddImage", typ.Elem().Name(), m.Name)
				}
			}
		}
	}
}

func openEmbedded(t *testing.T) (*Target, Config) {
	t.Helper()
	cfg, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := Open(context.Background(), cfg, Pacing{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg, cfg
}

// TestTrackerAddIsGuarded: the tracker refuses a ProductId outside its own prefix (even one inside the run's)
// and the API refuses one outside the run's, both before anything is sent.
func TestTrackerAddIsGuarded(t *testing.T) {
	tg, cfg := openEmbedded(t)
	ctx := context.Background()
	tr := NewTracker(tg.API, tg.Instance, cfg.Prefix()+"p1-")
	pic := SuitePicture(1)
	if _, err := tr.Add(ctx, &imagesearch.AddImageRequest{ProductId: cfg.Prefix() + "p2-1", PicName: "a.jpg",
		PicContent: pic}); err == nil {
		t.Error("the tracker created an image outside its prefix")
	}
	if _, err := tg.API.addImage(ctx, &imagesearch.AddImageRequest{InstanceName: tg.Instance,
		ProductId: "someone-elses-product", PicName: "a.jpg", PicContent: pic}); !errors.Is(err, ErrOutsidePrefix) {
		t.Errorf("AddImage outside the run prefix: %v, want ErrOutsidePrefix", err)
	}
	if calls, _ := tg.API.Stats(); calls[contract.OpAddImage] != 0 {
		t.Errorf("%d AddImage calls sent, want none", calls[contract.OpAddImage])
	}
}

// TestTrackerRemembersWhatItAdds: an image added through the tracker is what the leak check reports until
// Cleanup deletes it.
func TestTrackerRemembersWhatItAdds(t *testing.T) {
	tg, cfg := openEmbedded(t)
	ctx := context.Background()
	tr := NewTracker(tg.API, tg.Instance, cfg.Prefix()+"p1-")
	k := Key{ProductId: tr.NewProductID(), PicName: "a.jpg"}
	if _, err := tr.Add(ctx, &imagesearch.AddImageRequest{ProductId: k.ProductId, PicName: k.PicName,
		PicContent: SuitePicture(2)}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Cleanup(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := tg.API.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{InstanceName: tg.Instance,
		ProductId: k.ProductId, PicName: k.PicName})
	if err != nil || r.Exists {
		t.Errorf("after Cleanup the image exists=%v (err %v), want deleted", r != nil && r.Exists, err)
	}
	tr2 := NewTracker(tg.API, tg.Instance, cfg.Prefix()+"p2-")
	k2 := Key{ProductId: tr2.NewProductID(), PicName: "b.jpg"}
	if _, err := tr2.Add(ctx, &imagesearch.AddImageRequest{ProductId: k2.ProductId, PicName: k2.PicName,
		PicContent: SuitePicture(3)}); err != nil {
		t.Fatal(err)
	}
	leaked, err := tr2.Leaked(ctx)
	if err != nil || len(leaked) != 1 || leaked[0] != k2 {
		t.Errorf("Leaked = %v (err %v), want [%v]", leaked, err, k2)
	}
}

// TestCleanupProductsDeletesEachProductOnce: every image of a remembered product is gone after one
// DeleteImage per product.
func TestCleanupProductsDeletesEachProductOnce(t *testing.T) {
	tg, cfg := openEmbedded(t)
	ctx := context.Background()
	tr := NewTracker(tg.API, tg.Instance, cfg.Prefix()+"p1-")
	p := tr.NewProductID()
	keys := []Key{{p, "a.jpg"}, {p, "b.jpg"}}
	for i, k := range keys {
		if _, err := tr.Add(ctx, &imagesearch.AddImageRequest{ProductId: k.ProductId, PicName: k.PicName,
			PicContent: SuitePicture(int64(10 + i))}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := tg.API.Stats()
	if err := tr.CleanupProducts(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := tg.API.Stats()
	if n := after[contract.OpDeleteImage] - before[contract.OpDeleteImage]; n != 1 {
		t.Errorf("%d DeleteImage calls, want 1 for one product", n)
	}
	for _, k := range keys {
		r, err := tg.API.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{InstanceName: tg.Instance,
			ProductId: k.ProductId, PicName: k.PicName})
		if err != nil || r.Exists {
			t.Errorf("%v after CleanupProducts: exists=%v err %v", k, r != nil && r.Exists, err)
		}
	}
}
