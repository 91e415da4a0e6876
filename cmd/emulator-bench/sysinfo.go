package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator"
)

// rssMB returns the process's resident set size in MiB after a full GC that returns freed memory to the
// OS, read from /proc/self/status (Linux only).
func rssMB() (float64, error) {
	runtime.GC()
	debug.FreeOSMemory()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/self/status")
}

// heapMB is the live heap in MiB after a GC.
func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

// startTimes measures emulator.Start (listening on a random loopback port, in memory) n times and
// returns the sorted durations; each server is closed outside the measurement.
func startTimes(n int) ([]time.Duration, error) {
	opts := emulator.Options{Instances: []emulator.Instance{{Name: instance}},
		Credentials: []emulator.Credential{{ID: keyID, Secret: secret}}}
	var out []time.Duration
	for range n {
		t0 := time.Now()
		srv, err := emulator.Start(opts)
		d := time.Since(t0)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
		srv.Close()
	}
	slices.Sort(out)
	return out, nil
}

// writeHeapProfile writes the current heap profile to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.WriteHeapProfile(f)
}
