package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// emulatorPkg is the command the soak builds when no binary is given.
const emulatorPkg = "github.com/imagesearch-conformance/conformance/cmd/imagesearch-emulator"

// buildEmulator compiles the emulator into dir and returns the binary's path.
func buildEmulator(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "imagesearch-emulator")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, emulatorPkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the emulator: %v\n%s", err, out)
	}
	return bin, nil
}

// emuProcess runs the emulator binary on one address and one -data directory, again and again.
type emuProcess struct {
	bin, dataDir, instance string
	limits                 string // "off" (the soak's default) or "on": the instance's QPS limits (ref §1.10)
	accessKey              string // "id:secret", passed in the environment so it is not on a command line
	log                    io.Writer
	addr                   string // "127.0.0.1:0" until the first start chose a port; then kept
	sampleEvery            time.Duration

	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited and its output is copied
	rss    *rssSampler
	procs  []procStats // one per process started, in order
	// crashes counts processes that had exited before the soak killed or stopped them.
	crashes int
}

// procStats is the memory one emulator process used, sampled from outside while it served.
type procStats struct {
	PID                   int
	StartKB, EndKB, MaxKB int64
	Samples               int
}

// start launches a process and waits until it answers its health route.
func (e *emuProcess) start(ctx context.Context) error {
	cmd := exec.Command(e.bin, "-addr", e.addr, "-data", e.dataDir, "-instance", e.instance+":limits="+e.limits)
	cmd.Env = append(os.Environ(), "IMAGESEARCH_EMULATOR_ACCESS_KEYS="+e.accessKey)
	cmd.Stderr = e.log
	banner := &bannerWriter{log: e.log, addr: make(chan string, 1)}
	cmd.Stdout = banner
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	e.cmd, e.exited = cmd, make(chan struct{})
	go func(exited chan struct{}) { cmd.Wait(); close(exited) }(e.exited) //nolint:errcheck // a killed emulator's status is not a figure
	select {
	case e.addr = <-banner.addr:
	case <-e.exited:
		e.cmd = nil
		return errors.New("the emulator exited before it printed its address (see its log)")
	case <-time.After(30 * time.Second):
		e.kill9()
		return errors.New("the emulator printed no address within 30s")
	}
	if err := waitHealthy(ctx, "http://"+e.addr, 30*time.Second); err != nil {
		e.kill9()
		return err
	}
	e.rss = startSampler(cmd.Process.Pid, e.sampleEvery)
	return nil
}

// url is the emulator's base URL (valid after the first start).
func (e *emuProcess) url() string { return "http://" + e.addr }

// bannerWriter copies the emulator's stdout to the log and sends the address of its "listening on" line.
type bannerWriter struct {
	log   io.Writer
	addr  chan string
	line  []byte
	found bool
}

func (b *bannerWriter) Write(p []byte) (int, error) {
	if !b.found {
		b.line = append(b.line, p...)
		for {
			i := bytes.IndexByte(b.line, '\n')
			if i < 0 {
				break
			}
			if _, rest, ok := strings.Cut(string(b.line[:i]), "listening on http://"); ok {
				addr, _, _ := strings.Cut(rest, " ")
				b.addr <- addr
				b.found, b.line = true, nil
				break
			}
			b.line = b.line[i+1:]
		}
	}
	return b.log.Write(p)
}

// waitHealthy polls GET /_emulator/health until it answers 200 or the deadline passes.
func waitHealthy(ctx context.Context, base string, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_emulator/health", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the emulator at %s did not become healthy within %v", base, within)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop asks the process to shut down (SIGTERM) and kills it if it has not exited within a few seconds.
func (e *emuProcess) stop() {
	if !e.lastLook() {
		return
	}
	e.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // an exited process is fine
	select {
	case <-e.exited:
	case <-time.After(5 * time.Second):
		e.cmd.Process.Kill() //nolint:errcheck // it would not stop
		<-e.exited
	}
	e.finish()
}

// kill9 sends SIGKILL, as a crash would, and records the process's memory figures. A process that had
// already exited on its own is counted as a crash of the emulator.
func (e *emuProcess) kill9() {
	if !e.lastLook() {
		return
	}
	e.cmd.Process.Kill() //nolint:errcheck // an exited process is fine
	<-e.exited
	e.finish()
}

// lastLook is what stop and kill9 do before they end a process: a process that had already exited on its
// own counts as a crash, and its memory gets a last sample. It reports whether there is a process.
func (e *emuProcess) lastLook() bool {
	if e.cmd == nil {
		return false
	}
	select {
	case <-e.exited:
		e.crashes++
	default:
	}
	if e.rss != nil {
		e.rss.sample()
	}
	return true
}

// finish stops the sampler and keeps its figures.
func (e *emuProcess) finish() {
	if e.rss != nil {
		e.procs = append(e.procs, e.rss.stop())
		e.rss = nil
	}
	e.cmd = nil
}

// rssSampler reads one process's resident set size at a fixed interval.
type rssSampler struct {
	mu    sync.Mutex
	stats procStats
	quit  chan struct{}
	done  chan struct{}
}

func startSampler(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stats: procStats{PID: pid}, quit: make(chan struct{}), done: make(chan struct{})}
	s.sample()
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.quit:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *rssSampler) sample() {
	kb, err := readRSS(s.stats.PID)
	if err != nil {
		return // the process is gone or /proc and ps are unavailable: keep the last figure
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stats.Samples == 0 {
		s.stats.StartKB = kb
	}
	s.stats.EndKB = kb
	s.stats.MaxKB = max(s.stats.MaxKB, kb)
	s.stats.Samples++
}

// stop ends the sampling and returns the figures.
func (s *rssSampler) stop() procStats {
	close(s.quit)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// readRSS returns a process's VmRSS in KiB, from /proc on Linux and from ps elsewhere.
func readRSS(pid int) (int64, error) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		return parseVmRSS(string(b))
	}
	out, err := exec.Command("ps", "-o", "rss=", "-p", strconv.Itoa(pid)).Output()
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
}

// parseVmRSS finds "VmRSS:  1234 kB" in a /proc/<pid>/status text.
func parseVmRSS(status string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmRSS line")
}
