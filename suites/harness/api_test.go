package harness

import (
	"context"
	"errors"
	"testing"

	"github.com/imagesearch-conformance/conformance/imagesearch"
)

func TestWritesOutsideTheRunPrefixAreRefusedBeforeSending(t *testing.T) {
	// A nil client: any call that got past the guard would panic, so the test also proves nothing is sent.
	a := newAPI(nil, 0, "cf-abcd-")
	ctx := context.Background()
	other := "someone-elses-product"
	if _, err := a.UpdateImage(ctx, &imagesearch.UpdateImageRequest{ProductId: other}); !errors.Is(err, ErrOutsidePrefix) {
		t.Errorf("UpdateImage outside the prefix: %v", err)
	}
	if _, err := a.DeleteImage(ctx, &imagesearch.DeleteImageRequest{ProductId: &other}); !errors.Is(err, ErrOutsidePrefix) {
		t.Errorf("DeleteImage outside the prefix: %v", err)
	}
	yes, filter := true, "int_attr=1"
	if _, err := a.DeleteImage(ctx, &imagesearch.DeleteImageRequest{IsDeleteByFilter: &yes, Filter: &filter}); !errors.Is(err, ErrOutsidePrefix) {
		t.Errorf("DeleteImage by filter: %v", err)
	}
	tr := NewTracker(a, "inst", "cf-abcd-")
	if _, err := tr.Add(ctx, &imagesearch.AddImageRequest{ProductId: other, PicName: "p"}); err == nil {
		t.Error("the tracker created an image outside the prefix")
	}
	if err := tr.delete(ctx, Key{ProductId: other, PicName: "p"}); err == nil {
		t.Error("the tracker deleted an image outside the prefix")
	}
}

func TestBudgetStopsCallsAtTheCap(t *testing.T) {
	a := newAPI(nil, 2, "")
	ctx := context.Background()
	for i := range 2 {
		if _, err := a.before(ctx, "Detail", "i"); err != nil {
			t.Fatalf("call %d refused: %v", i, err)
		}
	}
	if _, err := a.before(ctx, "Detail", "i"); !errors.Is(err, ErrBudgetExhausted) {
		t.Errorf("third call: %v, want ErrBudgetExhausted", err)
	}
}
