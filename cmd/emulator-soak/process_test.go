package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the emulator: with SOAK_FAKE_EMULATOR set it prints the
// banner line, answers every route with 200 and exits on its own when asked for /crash.
func TestMain(m *testing.M) {
	if os.Getenv("SOAK_FAKE_EMULATOR") != "" {
		fakeEmulator()
	}
	os.Exit(m.Run())
}

func fakeEmulator() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.Exit(2)
	}
	fmt.Printf("imagesearch-emulator listening on http://%s (profile fake)\n", l.Addr())
	http.Serve(l, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { //nolint:errcheck // ends with the process
		if r.URL.Path == "/crash" {
			os.Exit(3)
		}
	}))
	os.Exit(2)
}

// TestCrashIsCounted checks that a process that exits by itself counts as a crash and one the soak kills
// does not, and that each process leaves its memory figures.
func TestCrashIsCounted(t *testing.T) {
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOAK_FAKE_EMULATOR", "1")
	e := &emuProcess{bin: bin, dataDir: t.TempDir(), instance: "x", limits: "off", accessKey: "a:b",
		log: io.Discard, addr: "127.0.0.1:0", sampleEvery: time.Millisecond}
	if err := e.start(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.kill9()
	if e.crashes != 0 {
		t.Fatalf("a killed process counted as %d crashes", e.crashes)
	}
	if err := e.start(t.Context()); err != nil {
		t.Fatal(err)
	}
	http.Get(e.url() + "/crash") //nolint:errcheck // the process exits instead of answering
	select {
	case <-e.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the fake emulator did not exit")
	}
	e.kill9()
	if e.crashes != 1 || len(e.procs) != 2 {
		t.Errorf("%d crashes and %d processes, want 1 and 2", e.crashes, len(e.procs))
	}
	for _, p := range e.procs {
		if p.Samples == 0 || p.MaxKB == 0 {
			t.Errorf("no memory figures: %+v", p)
		}
	}
}
