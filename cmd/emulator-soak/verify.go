package main

import (
	"context"
	"fmt"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// maxAttempts bounds the retries of one check call that gets no answer or is throttled.
const maxAttempts = 200

// verify reads every image through the API (the emulator has just been restarted): CheckImageExists must
// show a state the acknowledged writes allow, SearchImageByName must agree on existence, and Detail's
// TotalCount must equal the number of images that exist.
func verify(ctx context.Context, workers []*worker, r *Report) {
	for _, w := range workers {
		for _, img := range w.images {
			if img.unknown {
				r.Unverified++
				continue
			}
			verifyImage(ctx, w, img, r)
		}
	}
	if len(workers) == 0 {
		return
	}
	w := workers[0]
	var resp *imagesearch.DetailResponse
	o, _ := w.answered(func() (err error) {
		resp, err = w.cl.Detail(ctx, &imagesearch.DetailRequest{InstanceName: w.instance})
		return err
	})
	if o == ok {
		r.TotalCount = resp.Instance.TotalCount
	}
}

// verifyImage checks one image.
func verifyImage(ctx context.Context, w *worker, img *image, r *Report) {
	key := img.product + "/" + img.pic
	var resp *imagesearch.CheckImageExistsResponse
	o, code := w.answered(func() (err error) {
		resp, err = w.cl.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{InstanceName: w.instance,
			ProductId: img.product, PicName: img.pic})
		return err
	})
	if o != ok {
		r.Unverified++
		r.note(fmt.Sprintf("%s: CheckImageExists after the restart: outcome %d %s", key, o, code))
		return
	}
	r.Verified++
	seen, torn := observed(resp)
	if seen.present {
		r.Present++
	}
	switch {
	case torn != "":
		r.Lost++
		r.note(fmt.Sprintf("%s after the restart: %s", key, torn))
	case !img.can.has(seen):
		r.Lost++
		r.note(fmt.Sprintf("lost: %s after the restart is %s; the acknowledged writes allow only %s", key, seen, img.can))
	}
	o, code = w.answered(func() error {
		_, err := w.cl.SearchImageByName(ctx, &imagesearch.SearchImageByNameRequest{InstanceName: w.instance,
			ProductId: img.product, PicName: img.pic, SearchOptions: imagesearch.SearchOptions{Num: imagesearch.Ptr[int64](1)}})
		return err
	})
	found, missing := o == ok, o == refused && code == contract.PicNotExist.Code
	if seen.present && !found || !seen.present && !missing {
		r.Unsearchable++
		r.note(fmt.Sprintf("%s is %s, but SearchImageByName answered outcome %d %s", key, seen, o, code))
	}
}

// answered sends a call until it gets an answer that is not throttling, within maxAttempts.
func (w *worker) answered(call func() error) (outcome, string) {
	for i := 1; ; i++ {
		w.status = 0
		o, code := w.classify(call())
		if o != noAnswer && o != throttled || i == maxAttempts {
			return o, code
		}
		time.Sleep(retryPause)
	}
}

func (r *Report) note(s string) {
	if len(r.Issues) < 20 {
		r.Issues = append(r.Issues, s)
	}
}
