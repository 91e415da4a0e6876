package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// runs turns rates into loadRuns of 1,000 requests and cpu of CPU time each.
func runs(cpu time.Duration, rates ...float64) []loadRun {
	out := make([]loadRun, len(rates))
	for i, r := range rates {
		out[i] = loadRun{rps: r, requests: 1000, cpu: cpu}
	}
	return out
}

// TestSummarize checks the pairing and the median. The bare rate doubles every run, so each emulator run at
// 1.5 times the bare run before it is exactly the mean of its neighbours: pairing with the run before gives
// 1.5, with the run after 0.75, and the ratio of the median rates (330/300) 1.1 where the median of the
// rounds' ratios is 1.
func TestSummarize(t *testing.T) {
	s := summarize(runs(2*time.Millisecond, 100, 200, 400, 800), runs(3*time.Millisecond, 150, 330, 600))
	want := throughputSummary{rounds: 3, ratio: 1, minRatio: 1, maxRatio: 1.1, emulatorRPS: 330, bareRPS: 300,
		emulatorCPU: 3 * time.Microsecond, bareCPU: 2 * time.Microsecond}
	if !approx(s.ratio, want.ratio) || !approx(s.minRatio, want.minRatio) || !approx(s.maxRatio, want.maxRatio) ||
		s.emulatorRPS != want.emulatorRPS || s.bareRPS != want.bareRPS || s.rounds != want.rounds ||
		s.emulatorCPU != want.emulatorCPU || s.bareCPU != want.bareCPU {
		t.Fatalf("summarize = %+v, want %+v", s, want)
	}
}

// approx reports whether a and b are equal but for rounding.
func approx(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestRoundRatios(t *testing.T) {
	got := roundRatios([]float64{100, 300, 100}, []float64{100, 400})
	if len(got) != 2 || !approx(got[0], 0.5) || !approx(got[1], 2) {
		t.Errorf("roundRatios = %v, want [0.5 2]", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("roundRatios accepted as many bare runs as emulator runs")
		}
	}()
	roundRatios([]float64{1, 2}, []float64{1, 2})
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		in := append([]float64(nil), tc.in...)
		if got := median(in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("median reordered its argument: %v", in)
		}
	}
}

// TestPrintThroughputOnly checks the report of -throughput-only: the three throughput rows, the ratio row
// in the README's shape with its spread, and the nonce row, nothing else.
func TestPrintThroughputOnly(t *testing.T) {
	r := results{load: summarize(runs(time.Millisecond, 1000, 1000), runs(time.Millisecond, 900)), nonces: 42}
	var out bytes.Buffer
	r.print(config{clients: 8, rounds: 1, duration: time.Second, throughputOnly: true}, &out)
	rows := 0
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| Measure") {
			rows++
		}
	}
	for _, want := range []string{"| Emulator / bare | 0.90 (median of 1 rounds, each emulator run over the mean of the bare runs around it; min 0.90, max 0.90) | ≥ 0.85 | yes |", "| 42 | | |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if rows != 4 {
		t.Errorf("%d rows, want 4:\n%s", rows, out.String())
	}
}

// TestInterleavedCounts checks the run order and the count behind the nonce row: the requests that did not
// go to the bare handler are exactly those the other server received, warm-up included.
func TestInterleavedCounts(t *testing.T) {
	var bareGot, emuGot atomic.Int64
	serve := func(n *atomic.Int64) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			n.Add(1)
			w.Write(updateBody)
		}))
	}
	bare, emu := serve(&bareGot), serve(&emuGot)
	defer bare.Close()
	defer emu.Close()
	before := sent.Load()
	bareRuns, emuRuns, bareSent, err := interleaved(bare.URL, emu.URL, 2, 3, 40*time.Millisecond, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(bareRuns) != 4 || len(emuRuns) != 3 {
		t.Fatalf("%d bare and %d emulator runs, want 4 and 3", len(bareRuns), len(emuRuns))
	}
	if bareSent != bareGot.Load() || sent.Load()-before-bareSent != emuGot.Load() {
		t.Fatalf("counted %d to the bare handler and %d elsewhere; they received %d and %d",
			bareSent, sent.Load()-before-bareSent, bareGot.Load(), emuGot.Load())
	}
}

// TestParseCPULine checks the reading of /proc/stat's cpu line: the total is the first eight counters
// (guest time is already in user), steal the eighth, and anything else is refused.
func TestParseCPULine(t *testing.T) {
	total, steal, ok := parseCPULine("cpu  100 5 50 800 10 1 2 32 7 0")
	if !ok || total != 1000 || steal != 32 {
		t.Fatalf("got total %d, steal %d, ok %v; want 1000, 32, true", total, steal, ok)
	}
	for _, bad := range []string{"", "cpu0 1 2 3 4 5 6 7 8", "cpu 1 2 3", "cpu 1 2 3 4 5 6 7 x"} {
		if _, _, ok := parseCPULine(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
