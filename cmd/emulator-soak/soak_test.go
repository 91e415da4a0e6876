package main

import (
	"bytes"
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/fixtures"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// TestSoakShort runs the whole soak for a few seconds with one restart in the middle and one before the
// check: the real binary, kill -9, the persistent store and the final check.
func TestSoakShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator binary for several seconds")
	}
	var progress bytes.Buffer
	r, err := Run(context.Background(), Config{Duration: 4 * time.Second, Clients: 4, Images: 4, Restarts: 1,
		MaxRSSMB: 512, Seed: 1, Progress: &progress})
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	var out bytes.Buffer
	r.Print(&out)
	t.Log("\n" + out.String())
	if f := r.Failures(); len(f) > 0 || r.Lost != 0 {
		t.Fatalf("failures: %v", f)
	}
	if r.Restarts != 2 || len(r.Procs) != 3 || r.Crashes != 0 {
		t.Errorf("%d restarts, %d processes and %d crashes, want 2, 3 and 0", r.Restarts, len(r.Procs), r.Crashes)
	}
	if r.Verified != 16 {
		t.Errorf("verified %d images, want 16", r.Verified)
	}
	for op := range numOps {
		if r.calls[op][ok] == 0 {
			t.Errorf("no successful %s", opNames[op])
		}
	}
	for _, p := range r.Procs {
		if p.Samples == 0 || p.MaxKB == 0 {
			t.Errorf("no RSS figures for pid %d: %+v", p.PID, p)
		}
	}
}

// TestVerifyFindsLostWrites checks that the final check bites: an image the model holds as written but the
// store lacks, and one the store holds after an acknowledged delete, are both reported lost.
func TestVerifyFindsLostWrites(t *testing.T) {
	w := testWorker(t, testEmulator(t))
	written, deleted, fine := w.images[0], w.images[1], w.images[2]
	w.step(opAdd, deleted, nil)
	w.step(opAdd, fine, nil)
	if _, sure := fine.can.certain(); !sure || w.c.acked[opAdd] != 2 {
		t.Fatalf("AddImage not acknowledged: %+v", w.c)
	}
	written.can = possible{{present: true, value: 99}} // acknowledged, as far as the model knows
	deleted.can = possible{{}}                         // likewise deleted
	r := &Report{TotalCount: -1}
	verify(context.Background(), []*worker{w}, r)
	if r.Lost != 2 || r.Verified != 3 || r.Present != 2 || r.TotalCount != 2 {
		t.Errorf("report %+v, want 2 lost of 3 verified, 2 present", r)
	}
	if len(r.Failures()) == 0 {
		t.Error("no failure for lost writes")
	}
}

// TestWorkerSeesContradiction checks the check during the run: a read that shows what the acknowledged
// writes do not allow is counted and the image is settled again.
func TestWorkerSeesContradiction(t *testing.T) {
	w := testWorker(t, testEmulator(t))
	img := w.images[0]
	img.can = possible{{present: true, value: 7}}
	w.step(opCheck, img, nil)
	if w.c.contradictions != 1 || len(w.issues) != 1 || !strings.Contains(w.issues[0], "allow only present(IntAttr=7)") {
		t.Fatalf("contradictions %d, issues %q", w.c.contradictions, w.issues)
	}
	if s, sure := img.can.certain(); !sure || s.present || img.unknown {
		t.Errorf("after the resync: %v (unknown %v), want absent", img.can, img.unknown)
	}
	w.step(opUpdate, img, nil) // refused with PicNotExist: consistent with absent
	if w.c.contradictions != 1 {
		t.Errorf("a consistent refusal counted as a contradiction: %q", w.issues)
	}
}

// testEmulator starts an emulator with the credentials testWorker signs with, closed when the test ends.
func testEmulator(t *testing.T) string {
	t.Helper()
	srv, err := emulator.Start(emulator.Options{Credentials: []emulator.Credential{{ID: "id", Secret: "secret"}},
		Instances: []emulator.Instance{{Name: soakInstance, Unlimited: true}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.URL()
}

func testWorker(t *testing.T, url string) *worker {
	t.Helper()
	w := &worker{instance: soakInstance, values: new(atomic.Int64),
		pics: [][]byte{testPicture()}}
	cl, err := imagesearch.New(imagesearch.Config{Endpoint: url, AccessKeyID: "id", AccessKeySecret: "secret",
		OnCall: w.onCall})
	if err != nil {
		t.Fatal(err)
	}
	w.cl = cl
	for _, p := range []string{"a", "b", "c"} {
		w.images = append(w.images, &image{product: p, pic: "p.png", can: possible{{}}})
	}
	return w
}

func testPicture() []byte { return fixtures.Image(fixtures.PNG, 1, pictureSide, pictureSide) }
