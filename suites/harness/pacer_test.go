package harness

import (
	"context"
	"testing"
	"time"
)

// The pacer never lets n+1 calls start within one second plus its margin; the check is a lower bound on
// the wait, so a slow machine cannot make it fail.
func TestPacerHoldsTheWindowPlusMargin(t *testing.T) {
	p := newPacer(2, 20*time.Millisecond)
	ctx := context.Background()
	start := time.Now()
	for range 3 {
		if err := p.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if waited := time.Since(start); waited < time.Second+20*time.Millisecond {
		t.Errorf("the third call started after %v, want at least 1.02s", waited)
	}
}

func TestPacerStopsWaitingWhenTheContextEnds(t *testing.T) {
	p := newPacer(1, 0)
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := p.Wait(ctx); err == nil {
		t.Error("Wait returned nil after the context ended")
	}
}

// Processes of a parallel run share one pacer: two clients of the server together get n per window.
func TestSharedPacerPacesAllClientsTogether(t *testing.T) {
	srv, err := ServePacer(Rates{"i/search": 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a, b := remotePacer{srv.URL()}, remotePacer{srv.URL()}
	ctx := context.Background()
	start := time.Now()
	for _, p := range []remotePacer{a, b, a} {
		if err := p.wait(ctx, "i", "search"); err != nil {
			t.Fatal(err)
		}
	}
	if time.Since(start) < time.Second {
		t.Error("three calls of two clients passed a 2-per-second shared pacer within one second")
	}
	if err := (remotePacer{"http://127.0.0.1:1"}).wait(ctx, "i", "search"); err == nil {
		t.Error("an unreachable pacer did not report an error")
	}
}
