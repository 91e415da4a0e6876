package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator"
)

// target is an emulator under measurement: the imagesearch-emulator binary in a child process, as a user
// runs it, or (-inprocess) a Server in this process, so that -cpuprofile and -memprofile see its work.
type target struct {
	url      string
	started  time.Duration // from exec (or emulator.Start) until it serves, a data directory loaded
	startCPU time.Duration // CPU time the child had used by then (0 in process): less subject to load
	rss      func() (float64, error)
	cpu      func() time.Duration // CPU time used so far (0 in process, where the load shares it)
	stop     func() error
}

// emulatorPackage is built into the binary the child processes run.
const emulatorPackage = "github.com/imagesearch-conformance/conformance/cmd/imagesearch-emulator"

// buildEmulator compiles the emulator binary into dir.
func buildEmulator(dir string) (string, error) {
	bin := filepath.Join(dir, "imagesearch-emulator")
	if out, err := exec.Command("go", "build", "-o", bin, emulatorPackage).CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v: %s", emulatorPackage, err, out)
	}
	return bin, nil
}

// startTarget serves the bench instance (limits off), persisted in dataDir unless it is "": through bin, or
// in process when bin is "".
func startTarget(bin, dataDir string) (*target, error) {
	if bin == "" {
		return startInProcess(dataDir)
	}
	args := []string{"-addr", "127.0.0.1:0", "-instance", instance + ":limits=off",
		"-access-key", keyID + ":" + secret}
	if dataDir != "" {
		args = append(args, "-data", dataDir)
	}
	cmd := exec.Command(bin, args...) // stderr (the request log) goes to the null device
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	url, err := awaitBanner(stdout)
	started := time.Since(t0)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, err
	}
	pid := cmd.Process.Pid
	cpu, _ := cpuTime(pid)
	go io.Copy(io.Discard, stdout)
	return &target{url: url, started: started, startCPU: cpu,
		rss: func() (float64, error) { return vmRSS(fmt.Sprintf("/proc/%d/status", pid)) },
		cpu: func() time.Duration { d, _ := cpuTime(pid); return d },
		stop: func() error {
			cmd.Process.Signal(os.Interrupt)
			return cmd.Wait()
		}}, nil
}

// awaitBanner reads the child's output up to its "listening on URL" line, printed once it serves.
func awaitBanner(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), " listening on "); ok {
			return strings.Fields(rest)[0], nil
		}
	}
	return "", fmt.Errorf("emulator exited without its banner (%v)", sc.Err())
}

func startInProcess(dataDir string) (*target, error) {
	t0 := time.Now()
	srv, err := emulator.Start(emulator.Options{DataDir: dataDir,
		Instances:   []emulator.Instance{{Name: instance, Unlimited: true}},
		Credentials: []emulator.Credential{{ID: keyID, Secret: secret}}})
	if err != nil {
		return nil, err
	}
	return &target{url: srv.URL(), started: time.Since(t0), stop: srv.Close,
		rss: func() (float64, error) { return vmRSS("/proc/self/status") },
		cpu: func() time.Duration { return 0 }}, nil
}

// cpuTime reads the user and system CPU time of process pid from /proc/<pid>/stat (Linux, 100 ticks/s).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	_, rest, _ := strings.Cut(string(b), ") ") // the command name may hold spaces
	f := strings.Fields(rest)                  // f[0] is field 3 (state); utime, stime are fields 14, 15
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}
