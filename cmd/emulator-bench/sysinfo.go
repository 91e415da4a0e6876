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

// cpuTicks reads the machine-wide CPU counters of /proc/stat: all ticks, and the stolen ones (time this
// virtual machine's CPUs were ready to run while the hypervisor ran something else). ok is false where
// there is no /proc/stat.
func cpuTicks() (total, steal uint64, ok bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return parseCPULine(line)
}

// parseCPULine reads the "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal, then
// guest times that user already counts.
func parseCPULine(line string) (total, steal uint64, ok bool) {
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, 0, false
	}
	for i, f := range fields[1:9] {
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return 0, 0, false
		}
		total += v
		if i == 7 {
			steal = v
		}
	}
	return total, steal, true
}

// stealMeter measures the stolen share of the machine's CPU time over an interval: on a virtual machine
// whose host is busy, latency rises while nothing in the guest is to blame, so the report says so.
type stealMeter struct {
	total, steal uint64
	ok           bool
}

func startSteal() stealMeter {
	t, s, ok := cpuTicks()
	return stealMeter{t, s, ok}
}

// share returns the stolen fraction since m started, or -1 where it cannot be read.
func (m stealMeter) share() float64 {
	t, s, ok := cpuTicks()
	if !ok || !m.ok || t <= m.total {
		return -1
	}
	return float64(s-m.steal) / float64(t-m.total)
}
