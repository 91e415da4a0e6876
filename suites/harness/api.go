package harness

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// ErrBudgetExhausted is returned instead of sending a call once the run's call cap is reached
// (IMAGESEARCH_MAX_CALLS). Specs report it as a skip, not a failure.
var ErrBudgetExhausted = errors.New(BudgetSkipReason)

// API is the client the specs use: the typed client, paced to each operation's QPS on the target and
// counted against the run's budget; UpdateUnpaced is the one unpaced call, for the throttling specs. It has
// no AddImage: images are created only through a Tracker, which guards the run prefix and remembers each
// key for cleanup and the leak check.
type API struct {
	c        *imagesearch.Client
	pace     limiter
	maxCalls int64
	calls    atomic.Int64
	mu       sync.Mutex
	perOp    map[string]int
	throttle map[string]int // throttling answers (contract.IsThrottling) per operation
	prefix   string         // the run prefix; writes outside it are refused (empty: no guard)
	rates    Rates          // what pace enforces, for the report
	// expectThrottling marks the calls of the throttling specs, whose throttling answers are intended.
	expectThrottling   atomic.Bool
	throttledElsewhere []string // "Action RequestId in spec" of each throttling answer outside the throttling specs
	// SpecName, when set, names the running spec in diagnostics.
	SpecName func() string
	obs      observations // the call log and the running spec's last exchanges (calllog.go, exchanges.go)
	// OnExhausted, when set, runs instead of returning ErrBudgetExhausted; the suite makes it skip the spec,
	// so a run that reaches its cap stops with skipped specs, not failures. Set it before the first call.
	OnExhausted func()
}

// ExpectThrottling marks the start (true) and end (false) of the specs that throttle on purpose; every
// other throttling answer counts as "throttled outside the throttling specs" in the report.
func (a *API) ExpectThrottling(on bool) { a.expectThrottling.Store(on) }

// ThrottledElsewhere lists the throttling answers outside the throttling specs.
func (a *API) ThrottledElsewhere() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.throttledElsewhere...)
}

// ErrOutsidePrefix is returned instead of sending an AddImage, UpdateImage or DeleteImage that could touch
// an image the run did not create.
var ErrOutsidePrefix = errors.New("refusing to write outside the run prefix")

// guard refuses writes addressed outside the run prefix. An empty ProductId addresses nothing (the service
// refuses it), so it passes; so does a delete by filter never: filters can match anything.
func (a *API) guard(productID *string, byFilter bool) error {
	if a.prefix == "" {
		return nil
	}
	if byFilter {
		return fmt.Errorf("%w: DeleteImage by Filter", ErrOutsidePrefix)
	}
	if productID != nil && *productID != "" && !strings.HasPrefix(*productID, a.prefix) {
		return fmt.Errorf("%w: ProductId %q does not start with %q", ErrOutsidePrefix, *productID, a.prefix)
	}
	return nil
}

func newAPI(c *imagesearch.Client, maxCalls int, prefix string) *API {
	return &API{c: c, pace: &pacers{}, maxCalls: int64(maxCalls), prefix: prefix, perOp: map[string]int{}, throttle: map[string]int{}}
}

// qpsGroup mirrors the documented QPS groups (ref §1.10): searches and CheckImageExists share the
// instance's search QPS.
func qpsGroup(action string) string {
	switch action {
	case contract.OpSearchImageByPic, contract.OpSearchImageByName, contract.OpCheckImageExists:
		return "search"
	}
	return action
}

// Rates are the QPS the run paces to (nil when nothing is paced).
func (a *API) Rates() Rates { return a.rates }

// UnpacedUpdatesDone tells the pacer that the unpaced UpdateImage calls on instance have just filled its
// one-second window (ref §1.10): paced calls that follow wait for them to leave it, and a run whose paced
// calls are over by then waits for nothing.
func (a *API) UnpacedUpdatesDone(ctx context.Context, instance string) error {
	return a.pace.saturate(ctx, instance, qpsGroup(contract.OpUpdateImage))
}

// UpdateUnpaced sends UpdateImage after the prefix guard but without pacing or budget: the throttling specs
// offer more than the limit on purpose.
func (a *API) UpdateUnpaced(ctx context.Context, r *imagesearch.UpdateImageRequest) (*imagesearch.UpdateImageResponse, error) {
	if err := a.guard(&r.ProductId, false); err != nil {
		return nil, err
	}
	return a.c.UpdateImage(ctx, r)
}

// onCall is the client's OnCall hook: it counts calls per operation and throttled answers.
func (a *API) onCall(ci imagesearch.CallInfo) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.perOp[ci.Action]++
	spec := ""
	if a.SpecName != nil {
		spec = a.SpecName()
	}
	a.obs.observe(ci, spec, a.expectThrottling.Load())
	var ae *imagesearch.APIError
	if errors.As(ci.Err, &ae) && contract.IsThrottling(ae.Code) {
		a.throttle[ci.Action]++
		if !a.expectThrottling.Load() {
			where := ""
			if a.SpecName != nil {
				where = " in " + a.SpecName()
			}
			a.throttledElsewhere = append(a.throttledElsewhere, ci.Action+" RequestId "+ci.RequestId+where)
		}
	}
}

// Stats returns the calls and throttled answers per operation so far.
func (a *API) Stats() (calls, throttled map[string]int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	calls, throttled = map[string]int{}, map[string]int{}
	for k, v := range a.perOp {
		calls[k] = v
	}
	for k, v := range a.throttle {
		throttled[k] = v
	}
	return calls, throttled
}

// Exhausted reports whether the run's call budget is used up.
func (a *API) Exhausted() bool { return a.maxCalls > 0 && a.calls.Load() >= a.maxCalls }

func (a *API) before(ctx context.Context, action, instance string) (done func(), err error) {
	if a.maxCalls > 0 && a.calls.Add(1) > a.maxCalls {
		if a.OnExhausted != nil {
			a.OnExhausted()
		}
		return noop, ErrBudgetExhausted
	}
	return a.pace.wait(ctx, instance, qpsGroup(action))
}

// CleanupDelete deletes like DeleteImage — prefix guard and pacing included — but outside the call budget:
// cleanup must run even when the budget is spent, or a capped run would leave images behind.
func (a *API) CleanupDelete(ctx context.Context, r *imagesearch.DeleteImageRequest) (*imagesearch.DeleteImageResponse, error) {
	if err := a.guard(r.ProductId, r.IsDeleteByFilter != nil && *r.IsDeleteByFilter); err != nil {
		return nil, err
	}
	done, err := a.pace.wait(ctx, r.InstanceName, qpsGroup(contract.OpDeleteImage))
	if err != nil {
		return nil, err
	}
	defer done() // the answer is back: the pacer's bound on this call's arrival
	return a.c.DeleteImage(ctx, r)
}

// call paces and counts one call of action on instance, then runs it.
func call[Req, Resp any](ctx context.Context, a *API, action, instance string, r Req,
	f func(context.Context, Req) (Resp, error)) (Resp, error) {
	done, err := a.before(ctx, action, instance)
	if err != nil {
		var zero Resp
		return zero, err
	}
	defer done() // the answer is back: the pacer's bound on this call's arrival
	return f(ctx, r)
}

// addImage calls AddImage after the prefix guard and pacing. Only Tracker.Add calls it.
func (a *API) addImage(ctx context.Context, r *imagesearch.AddImageRequest) (*imagesearch.AddImageResponse, error) {
	if err := a.guard(&r.ProductId, false); err != nil {
		return nil, err
	}
	return call(ctx, a, contract.OpAddImage, r.InstanceName, r, a.c.AddImage)
}

// UpdateImage calls UpdateImage after the prefix guard and pacing.
func (a *API) UpdateImage(ctx context.Context, r *imagesearch.UpdateImageRequest) (*imagesearch.UpdateImageResponse, error) {
	if err := a.guard(&r.ProductId, false); err != nil {
		return nil, err
	}
	return call(ctx, a, contract.OpUpdateImage, r.InstanceName, r, a.c.UpdateImage)
}

// DeleteImage calls DeleteImage after the prefix guard and pacing.
func (a *API) DeleteImage(ctx context.Context, r *imagesearch.DeleteImageRequest) (*imagesearch.DeleteImageResponse, error) {
	if err := a.guard(r.ProductId, r.IsDeleteByFilter != nil && *r.IsDeleteByFilter); err != nil {
		return nil, err
	}
	return call(ctx, a, contract.OpDeleteImage, r.InstanceName, r, a.c.DeleteImage)
}

// SearchImageByPic calls SearchImageByPic after pacing.
func (a *API) SearchImageByPic(ctx context.Context, r *imagesearch.SearchImageByPicRequest) (*imagesearch.SearchResponse, error) {
	return call(ctx, a, contract.OpSearchImageByPic, r.InstanceName, r, a.c.SearchImageByPic)
}

// SearchImageByName calls SearchImageByName after pacing.
func (a *API) SearchImageByName(ctx context.Context, r *imagesearch.SearchImageByNameRequest) (*imagesearch.SearchResponse, error) {
	return call(ctx, a, contract.OpSearchImageByName, r.InstanceName, r, a.c.SearchImageByName)
}

// CheckImageExists calls CheckImageExists after pacing.
func (a *API) CheckImageExists(ctx context.Context, r *imagesearch.CheckImageExistsRequest) (*imagesearch.CheckImageExistsResponse, error) {
	return call(ctx, a, contract.OpCheckImageExists, r.InstanceName, r, a.c.CheckImageExists)
}
