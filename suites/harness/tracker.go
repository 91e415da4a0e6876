package harness

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// Key names one image.
type Key struct{ ProductId, PicName string }

// Tracker remembers every image the suite created and deletes them, newest first, when a spec ends — also
// after a failed assertion, because specs register Cleanup with DeferCleanup. It never deletes anything it
// did not create, and it refuses to create anything outside the run's prefix.
type Tracker struct {
	api      *API
	instance string
	prefix   string
	seq      atomic.Int64

	mu      sync.Mutex
	live    []Key        // created and not yet cleaned up, oldest first
	created map[Key]bool // every key ever created by this tracker, for the leak check
	journal *Journal     // nil: no journal
}

// SetJournal makes the tracker record every key in j before creating it.
func (t *Tracker) SetJournal(j *Journal) { t.journal = j }

// NewTracker returns a tracker for one instance.
func NewTracker(api *API, instance, prefix string) *Tracker {
	return &Tracker{api: api, instance: instance, prefix: prefix, created: map[Key]bool{}}
}

// NewProductID returns a fresh ProductId under the run prefix.
func (t *Tracker) NewProductID() string {
	return fmt.Sprintf("%s%d", t.prefix, t.seq.Add(1))
}

// ProductIDFor returns the ProductId under the run prefix with the given suffix: a rapid property derives
// its products from its draws, so a failure and its replay name the same products.
func (t *Tracker) ProductIDFor(suffix string) string { return t.prefix + suffix }

// Prefix is the run prefix every ProductId starts with.
func (t *Tracker) Prefix() string { return t.prefix }

// Instance is the instance the tracker writes to.
func (t *Tracker) Instance() string { return t.instance }

// Add calls AddImage (the call is retried on transient failures: it sets a fixture up, it is not under test)
// and remembers the key for cleanup.
func (t *Tracker) Add(ctx context.Context, r *imagesearch.AddImageRequest) (*imagesearch.AddImageResponse, error) {
	if !strings.HasPrefix(r.ProductId, t.prefix) {
		return nil, fmt.Errorf("refusing to create ProductId %q outside the run prefix %q", r.ProductId, t.prefix)
	}
	r.InstanceName = t.instance
	t.Remember(Key{r.ProductId, r.PicName})
	if err := t.journal.Record(JournalEntry{Instance: t.instance, ProductId: r.ProductId, PicName: r.PicName}); err != nil {
		return nil, fmt.Errorf("infrastructure: journal: %w", err)
	}
	var resp *imagesearch.AddImageResponse
	err := Retry(ctx, func() error {
		var err error
		resp, err = t.api.addImage(ctx, r)
		return err
	})
	return resp, err
}

// Remember records a key the suite may have created by other means (an UpdateImage that should not create
// anything, a property test's operations), so cleanup covers it too.
func (t *Tracker) Remember(k Key) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.created[k] = true
	t.live = append(t.live, k)
}

// Cleanup deletes the images remembered since the last Cleanup, newest first, and returns every error.
func (t *Tracker) Cleanup(ctx context.Context) error {
	return t.cleanup(ctx, func(k Key) Key { return k })
}

// CleanupProducts is Cleanup for a tracker whose keys share few products: it deletes each product
// remembered since the last cleanup by ProductId (ref §4: every image of the product), newest first, in one
// call per product instead of one per image, and returns every error.
func (t *Tracker) CleanupProducts(ctx context.Context) error {
	return t.cleanup(ctx, func(k Key) Key { return Key{ProductId: k.ProductId} })
}

// cleanup forgets the keys remembered since the last cleanup and deletes each distinct target(k), newest
// first, returning every error.
func (t *Tracker) cleanup(ctx context.Context, target func(Key) Key) error {
	t.mu.Lock()
	keys := t.live
	t.live = nil
	t.mu.Unlock()
	var errs []error
	done := map[Key]bool{}
	for i := len(keys) - 1; i >= 0; i-- {
		k := target(keys[i])
		if done[k] {
			continue
		}
		done[k] = true
		errs = append(errs, t.delete(ctx, k))
	}
	return errors.Join(errs...)
}

// delete deletes one image, or every image of the product when k.PicName is empty.
func (t *Tracker) delete(ctx context.Context, k Key) error {
	if !strings.HasPrefix(k.ProductId, t.prefix) {
		return fmt.Errorf("refusing to delete ProductId %q outside the run prefix %q", k.ProductId, t.prefix)
	}
	return Retry(ctx, func() error {
		r := &imagesearch.DeleteImageRequest{InstanceName: t.instance, ProductId: imagesearch.Ptr(k.ProductId)}
		if k.PicName != "" {
			r.PicName = imagesearch.Ptr(k.PicName)
		}
		_, err := t.api.CleanupDelete(ctx, r)
		return err
	})
}

// Leaked finds what this tracker created that still exists: it deletes each created product by ProductId
// and collects the PicNames the service reports deleted (ref §4: Data.PicNames), which are exactly the
// images that survived cleanup. This costs one DeleteImage per product (20 QPS) instead of one
// CheckImageExists per image at the much smaller search QPS. The caller reports them as a failure.
func (t *Tracker) Leaked(ctx context.Context) ([]Key, error) {
	t.mu.Lock()
	products := map[string]bool{}
	for k := range t.created {
		products[k.ProductId] = true
	}
	t.mu.Unlock()
	var leaked []Key
	for p := range products {
		var names []string
		err := Retry(ctx, func() error {
			r, err := t.api.CleanupDelete(ctx, &imagesearch.DeleteImageRequest{InstanceName: t.instance, ProductId: imagesearch.Ptr(p)})
			if err == nil {
				names = r.Data.PicNames
			}
			return err
		})
		if err != nil {
			return leaked, err
		}
		for _, n := range names {
			leaked = append(leaked, Key{ProductId: p, PicName: n})
		}
	}
	return leaked, nil
}

// Retry runs f up to four times with backoff while it fails for a transient reason: a transport error, a
// 5xx answer, or a throttling answer (the target measured a paced call in the same window as an earlier one:
// network jitter, not a contract failure — the report still counts it). It is for setup, observation and
// teardown calls, never for the call under test.
func Retry(ctx context.Context, f func() error) error {
	backoff := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil || !Transient(err) || attempt == 4 {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(backoff):
		}
		backoff *= 2
	}
}

// Transient reports whether err is an infrastructure failure (transport error, 5xx) rather than an answer.
func Transient(err error) bool {
	if errors.Is(err, ErrBudgetExhausted) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ae *imagesearch.APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatus >= 500 || contract.IsThrottling(ae.Code)
	}
	return true
}
