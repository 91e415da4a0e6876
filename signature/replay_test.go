package signature

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestReplayGuard(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	res := func(ak, nonce string, ts time.Time) Result {
		return Result{AccessKeyID: ak, Scheme: SchemeV1, Nonce: nonce, Timestamp: ts}
	}
	g := NewReplayGuard(15 * time.Minute)
	steps := []struct {
		name string
		res  Result
		now  time.Time
		code string // "" = accepted
	}{
		{"fresh", res("ak", "n1", t0), t0, ""},
		{"replay", res("ak", "n1", t0), t0.Add(time.Minute), CodeNonceUsed},
		{"same nonce other key", res("ak2", "n1", t0), t0, ""},
		{"exactly 15 min old", res("ak", "n2", t0), t0.Add(15 * time.Minute), ""},
		{"15 min + 1s old", res("ak", "n3", t0), t0.Add(15*time.Minute + time.Second), CodeTimeStampExpired},
		{"15 min + 1s ahead", res("ak", "n4", t0.Add(15*time.Minute+time.Second)), t0, CodeTimeStampExpired},
		{"client clock ahead", res("ak", "ahead", t0.Add(14*time.Minute)), t0, ""},
		{"replay near expiry of ahead", res("ak", "ahead", t0.Add(14*time.Minute)), t0.Add(29 * time.Minute), CodeNonceUsed},
		{"replay after window", res("ak", "n1", t0), t0.Add(16 * time.Minute), CodeTimeStampExpired},
	}
	for _, s := range steps {
		err := g.Check(s.res, s.now)
		if s.code == "" {
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			continue
		}
		e := wantErr(t, err, s.code, 400)
		if s.code == CodeNonceUsed && e.Message != "Specified signature nonce was used already." ||
			s.code == CodeTimeStampExpired && e.Message != "Specified time stamp or date value is expired." {
			t.Errorf("%s: message %q", s.name, e.Message)
		}
	}
}

func TestReplayGuardForgetsOldNonces(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g := NewReplayGuard(time.Minute)
	// 10 requests per second for 10 minutes: memory must stay near 2 windows' worth.
	maxLen := 0
	for i := 0; i < 6000; i++ {
		now := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		if err := g.Check(Result{AccessKeyID: "ak", Nonce: fmt.Sprint(i), Timestamp: now}, now); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		maxLen = max(maxLen, g.Len())
	}
	if maxLen > 601 {
		t.Errorf("remembered up to %d nonces, want <= 601 (one window at 10/s)", maxLen)
	}
	if err := g.Check(Result{AccessKeyID: "ak", Nonce: "0", Timestamp: t0}, t0.Add(10*time.Minute)); err == nil {
		t.Error("replay of an old request accepted after its nonce was forgotten")
	}
}

func TestReplayGuardDefaultWindow(t *testing.T) {
	g := NewReplayGuard(0)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := g.Check(Result{Nonce: "a", Timestamp: t0}, t0.Add(DefaultReplayWindow)); err != nil {
		t.Errorf("skew of exactly the default window rejected: %v", err)
	}
	err := g.Check(Result{Nonce: "b", Timestamp: t0}, t0.Add(DefaultReplayWindow+time.Second))
	wantErr(t, err, CodeTimeStampExpired, 400)
}

func TestReplayGuardConcurrent(t *testing.T) {
	g := NewReplayGuard(time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const workers, nonces = 8, 200
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < nonces; i++ {
				now := t0.Add(time.Duration(i) * time.Millisecond)
				if g.Check(Result{AccessKeyID: "ak", Nonce: fmt.Sprint(i), Timestamp: t0}, now) == nil {
					mu.Lock()
					accepted++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if accepted != nonces {
		t.Errorf("accepted %d, want each of %d nonces exactly once", accepted, nonces)
	}
}

// TestExpiryHeapOrder checks that the expiry heap pops entries earliest first, pushes and pops interleaved.
func TestExpiryHeapOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var h expiryHeap
		var want []int64
		for _, op := range rapid.SliceOf(rapid.Int64Range(-1, 50)).Draw(t, "ops") {
			if op >= 0 {
				h.push(nonceEntry{key: uint64(op), expires: op})
				want = append(want, op)
				continue
			}
			if len(want) == 0 {
				continue
			}
			slices.Sort(want)
			if got := h.pop().expires; got != want[0] {
				t.Fatalf("pop = %d, want %d", got, want[0])
			}
			want = want[1:]
		}
		if len(h) != len(want) {
			t.Fatalf("heap holds %d entries, want %d", len(h), len(want))
		}
	})
}
