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

// rssMB returns this process's resident set size in MiB after a full GC that returns freed memory to the
// OS (Linux only).
func rssMB() (float64, error) {
	runtime.GC()
	debug.FreeOSMemory()
	return vmRSS("/proc/self/status")
}

// vmRSS reads the resident set size in MiB, the RSS ps shows, from a /proc/<pid>/status file.
func vmRSS(status string) (float64, error) {
	f, err := os.Open(status)
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
