package emulator

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Fault makes the next Count calls of Action answer with a given error and/or after a delay. Faults are
// for the conformance suite's emulator-only specs: they let it check how a client surfaces errors no
// client can trigger (the 5xx family, NoPermission, ...). They are applied after authentication, before the
// operation runs, so a faulted call changes nothing.
type Fault struct {
	Action string `json:"action"` // operation name; "" matches every operation
	// ProductId, when set, limits the fault to calls for that ProductId, so parallel clients of one
	// emulator do not consume each other's faults.
	ProductId string `json:"productId,omitempty"`
	Count     int    `json:"count"`             // how many calls; default 1
	Code      string `json:"code,omitempty"`    // error Code; "" = no error, only the delay
	Status    int    `json:"status,omitempty"`  // HTTP status; default from the documented table
	Message   string `json:"message,omitempty"` // default from the documented table
	DelayMs   int    `json:"delayMs,omitempty"` // latency added before answering
}

// normalize fills the documented status and message of a known code.
func (f *Fault) normalize() error {
	if f.Count < 0 || f.Count > maxFaultCount {
		return fmt.Errorf("count %d must be between 0 (meaning 1) and %d", f.Count, maxFaultCount)
	}
	if f.Count == 0 {
		f.Count = 1
	}
	if _, ok := handlers[f.Action]; f.Action != "" && !ok {
		return fmt.Errorf("unknown action %q: want one of the emulated operations or \"\" for every one", f.Action)
	}
	if f.DelayMs < 0 || f.DelayMs > 60_000 {
		return fmt.Errorf("delayMs must be between 0 and 60000")
	}
	if f.Code == "" {
		return nil
	}
	if known, ok := contract.Lookup(f.Code); ok {
		if f.Status == 0 {
			f.Status = known.Status
		}
		if f.Message == "" {
			f.Message = known.Message
		}
	}
	if f.Status < 400 || f.Status > 599 {
		return fmt.Errorf("status %d must be an error status (400-599); code %q has no documented status", f.Status, f.Code)
	}
	return nil
}

// maxFaultCount bounds one fault's count: a fault is for a handful of calls of a spec, not a standing outage.
const maxFaultCount = 10_000

type faultQueue struct {
	mu     sync.Mutex
	faults []Fault
}

func (q *faultQueue) add(f Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = append(q.faults, f)
}

func (q *faultQueue) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = nil
}

// clearFor drops the faults scoped to productID, keeping every other one.
func (q *faultQueue) clearFor(productID string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = slices.DeleteFunc(q.faults, func(f Fault) bool { return f.ProductId == productID })
}

// take consumes one use of the first fault matching action and productID.
func (q *faultQueue) take(action, productID string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range q.faults {
		f := &q.faults[i]
		if (f.Action != "" && f.Action != action) || (f.ProductId != "" && f.ProductId != productID) {
			continue
		}
		got := *f
		if f.Count--; f.Count == 0 {
			q.faults = append(q.faults[:i], q.faults[i+1:]...)
		}
		return got, true
	}
	return Fault{}, false
}

// InjectFault queues f. It returns an error for an impossible fault (unknown code without a status, ...).
func (s *Server) InjectFault(f Fault) error {
	if err := f.normalize(); err != nil {
		return err
	}
	s.faults.add(f)
	return nil
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() { s.faults.clear() }

// ClearFaultsFor drops only the faults queued for productID. Two suite processes sharing one emulator each
// scope their faults to their own products; clearing all would drop the other's pending fault.
func (s *Server) ClearFaultsFor(productID string) { s.faults.clearFor(productID) }

func (s *Server) applyFault(ctx context.Context, action, productID string) *apiError {
	f, ok := s.faults.take(action, productID)
	if !ok {
		return nil
	}
	if f.DelayMs > 0 {
		t := time.NewTimer(time.Duration(f.DelayMs) * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	if f.Code == "" {
		return nil
	}
	return &apiError{Status: f.Status, Code: f.Code, Message: f.Message}
}
