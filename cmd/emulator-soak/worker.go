package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// The seven operations the soak mixes, with their weights in the mix.
const (
	opAdd = iota
	opUpdate
	opDelete
	opSearchByPic
	opSearchByName
	opCheck
	opDetail
	numOps
)

var opNames = [numOps]string{
	contract.OpAddImage, contract.OpUpdateImage, contract.OpDeleteImage, contract.OpSearchImageByPic,
	contract.OpSearchImageByName, contract.OpCheckImageExists, contract.OpDetail,
}

// opWeights: writes dominate, because they are what a crash can lose; AddImage is the costly one.
var opWeights = [numOps]int{15, 30, 10, 10, 10, 20, 5}

// retryPause is how long a client waits after a call that got no answer (the emulator is restarting).
const retryPause = 25 * time.Millisecond

// image is one image a client owns, with the states the answers so far allow.
type image struct {
	product, pic string
	can          possible
	unknown      bool // after a contradiction that resync could not settle
}

// worker is one client: it owns its images, so the order of its acknowledged writes is the order they
// took effect, and it checks every read against what it wrote.
type worker struct {
	id       int
	cl       *imagesearch.Client
	instance string
	rng      *rand.Rand
	images   []*image
	pics     [][]byte
	values   *atomic.Int64 // shared: every write stores a value unique to the run
	status   int           // HTTP status of the last call, from the client's OnCall hook (0: no answer)
	took     time.Duration // how long the last call took, from the same hook
	c        counters
	issues   []string // the first few contradictions, for the report
}

// outcome classifies one call's result.
type outcome int

const (
	ok        outcome = iota
	refused           // a 4xx (or a 2xx failure body) other than throttling: nothing changed
	throttled         // refused by a QPS limit
	serverErr         // 5xx: a failure of the emulator
	noAnswer          // no HTTP answer arrived (connection refused or reset)
	badAnswer         // an answer the client could not decode
	numOutcomes
)

func (w *worker) classify(err error) (outcome, string) {
	if err == nil {
		return ok, ""
	}
	var ae *imagesearch.APIError
	switch {
	case errors.As(err, &ae) && ae.HTTPStatus >= 500:
		return serverErr, ae.Code
	case errors.As(err, &ae) && contract.IsThrottling(ae.Code):
		return throttled, ae.Code
	case errors.As(err, &ae):
		return refused, ae.Code
	case w.status == 0:
		return noAnswer, ""
	}
	return badAnswer, err.Error()
}

// run issues operations until stop is closed.
func (w *worker) run(stop <-chan struct{}) {
	total := 0
	for _, wt := range opWeights {
		total += wt
	}
	for {
		select {
		case <-stop:
			return
		default:
		}
		n, op := w.rng.IntN(total), 0
		for n >= opWeights[op] {
			n -= opWeights[op]
			op++
		}
		if img := w.images[w.rng.IntN(len(w.images))]; !img.unknown {
			w.step(op, img, stop)
		}
	}
}

// step performs one operation on img (the reads that take no key ignore it).
func (w *worker) step(op int, img *image, stop <-chan struct{}) {
	ctx := context.Background() // the client's Timeout bounds every call
	switch op {
	case opAdd:
		v := w.values.Add(1)
		w.write(op, img, addEffect(v), stop, func() error {
			_, err := w.cl.AddImage(ctx, &imagesearch.AddImageRequest{InstanceName: w.instance, ProductId: img.product,
				PicName: img.pic, PicContent: w.pics[v%int64(len(w.pics))], Attributes: attrs(v)})
			return err
		})
	case opUpdate:
		v := w.values.Add(1)
		w.write(op, img, updateEffect(v), stop, func() error {
			_, err := w.cl.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: w.instance,
				ProductId: img.product, PicName: &img.pic, Attributes: attrs(v)})
			return err
		})
	case opDelete:
		w.delete(ctx, img, stop)
	case opSearchByPic:
		w.read(op, func() error {
			_, err := w.cl.SearchImageByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: w.instance,
				PicContent: w.pics[w.rng.IntN(len(w.pics))], SearchOptions: imagesearch.SearchOptions{
					Num: imagesearch.Ptr[int64](10), Filter: imagesearch.Ptr("int_attr>0")}})
			return err
		})
	case opSearchByName:
		w.searchByName(ctx, img)
	case opCheck:
		w.check(ctx, img)
	case opDetail:
		w.read(op, func() error {
			_, err := w.cl.Detail(ctx, &imagesearch.DetailRequest{InstanceName: w.instance})
			return err
		})
	}
}

func attrs(v int64) imagesearch.Attributes {
	return imagesearch.Attributes{IntAttr: imagesearch.Ptr(v), StrAttr: imagesearch.Ptr(strAttr(v))}
}

// delete deletes img by key, or, when its value is certain, by the filter int_attr=value (ref §4).
func (w *worker) delete(ctx context.Context, img *image, stop <-chan struct{}) {
	req := &imagesearch.DeleteImageRequest{InstanceName: w.instance, ProductId: &img.product, PicName: &img.pic}
	e := deleteEffect()
	if s, sure := img.can.certain(); sure && s.present && w.rng.IntN(2) == 0 {
		req = &imagesearch.DeleteImageRequest{InstanceName: w.instance, IsDeleteByFilter: imagesearch.Ptr(true),
			Filter: imagesearch.Ptr(fmt.Sprintf("int_attr=%d", s.value))}
		e = deleteByValueEffect(s.value)
	}
	w.write(opDelete, img, e, stop, func() error {
		_, err := w.cl.DeleteImage(ctx, req)
		return err
	})
}

// write sends a write until an answer arrives (or stop is closed) and updates img's possible states: a
// call without an answer may or may not have happened, so it widens them; an answer settles them.
func (w *worker) write(op int, img *image, e effect, stop <-chan struct{}, call func() error) {
	for {
		w.status = 0
		o, code := w.classify(call())
		w.count(op, o)
		switch o {
		case ok:
			w.c.acked[op]++
			w.settle(img, img.can.acked(e), "acknowledged "+opNames[op])
			return
		case refused:
			w.settle(img, img.can.refused(code == contract.PicNotExist.Code), opNames[op]+" refused with "+code)
			return
		case throttled:
			return
		case serverErr, badAnswer:
			img.can = img.can.unacked(e)
			return
		}
		w.c.unacked++
		img.can = img.can.unacked(e)
		select {
		case <-stop:
			return
		case <-time.After(retryPause):
		}
	}
}

// check reads img with CheckImageExists (ref §5.5) and narrows its states to what the answer shows.
func (w *worker) check(ctx context.Context, img *image) {
	w.status = 0
	resp, err := w.cl.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{InstanceName: w.instance,
		ProductId: img.product, PicName: img.pic})
	if o := w.observe(opCheck, err); o != ok {
		return
	}
	seen, torn := observed(resp)
	if torn != "" {
		w.c.contradictions++
		w.issue(fmt.Sprintf("%s/%s: %s", img.product, img.pic, torn))
	}
	w.settle(img, img.can.narrow(func(s state) bool { return s == seen }), "CheckImageExists saw "+seen.String())
}

// observed is the state a CheckImageExists answer shows, and a description when its attributes do not
// belong together (an IntAttr from one write with a StrAttr from another).
func observed(resp *imagesearch.CheckImageExistsResponse) (state, string) {
	if !resp.Exists {
		return state{}, ""
	}
	s := state{present: true, value: int64(resp.Auctions.IntAttr)}
	if resp.Auctions.StrAttr != strAttr(s.value) {
		return s, fmt.Sprintf("IntAttr %d with StrAttr %q", s.value, resp.Auctions.StrAttr)
	}
	return s, ""
}

// searchByName searches with img (ref §5.2): a success means it exists, PicNotExist that it does not.
func (w *worker) searchByName(ctx context.Context, img *image) {
	w.status = 0
	_, err := w.cl.SearchImageByName(ctx, &imagesearch.SearchImageByNameRequest{InstanceName: w.instance,
		ProductId: img.product, PicName: img.pic, SearchOptions: imagesearch.SearchOptions{Num: imagesearch.Ptr[int64](5)}})
	o, code := w.classify(err)
	w.count(opSearchByName, o)
	switch {
	case o == ok:
		w.settle(img, img.can.narrow(func(s state) bool { return s.present }), "SearchImageByName found it")
	case o == refused && code == contract.PicNotExist.Code:
		w.settle(img, img.can.narrow(func(s state) bool { return !s.present }), "SearchImageByName: PicNotExist")
	case o == noAnswer:
		time.Sleep(retryPause)
	}
}

// read sends a read whose answer says nothing about the client's own images.
func (w *worker) read(op int, call func() error) {
	w.status = 0
	w.observe(op, call())
}

// observe counts a read's outcome and pauses after a call without an answer.
func (w *worker) observe(op int, err error) outcome {
	o, _ := w.classify(err)
	w.count(op, o)
	if o == noAnswer {
		time.Sleep(retryPause)
	}
	return o
}

// settle replaces img's states with next; an empty set means an answer contradicted everything the
// earlier answers allow: an acknowledged write was lost or a read saw what was never written.
func (w *worker) settle(img *image, next possible, what string) {
	if len(next) == 0 {
		w.c.contradictions++
		w.issue(fmt.Sprintf("%s/%s: %s, but the answers so far allow only %s", img.product, img.pic, what, img.can))
		w.resync(img)
		return
	}
	img.can = next
}

// resync makes img's state known again after a contradiction, by deleting it until acknowledged; an image
// it cannot settle is left out of the rest of the run and of the final check.
func (w *worker) resync(img *image) {
	img.can, img.unknown = nil, true
	for range 100 {
		w.status = 0
		_, err := w.cl.DeleteImage(context.Background(), &imagesearch.DeleteImageRequest{InstanceName: w.instance,
			ProductId: &img.product, PicName: &img.pic})
		if o, _ := w.classify(err); o == ok {
			img.can, img.unknown = possible{{}}, false
			return
		}
		time.Sleep(retryPause)
	}
}

func (w *worker) issue(s string) {
	if len(w.issues) < 10 {
		w.issues = append(w.issues, s)
	}
}

func (w *worker) count(op int, o outcome) {
	w.c.calls[op][o]++
	if o == ok {
		w.c.latency[op] = append(w.c.latency[op], w.took)
	}
}

// onCall is the client's OnCall hook: it runs synchronously in the worker's goroutine after each call.
func (w *worker) onCall(ci imagesearch.CallInfo) { w.status, w.took = ci.HTTPStatus, ci.Duration }
