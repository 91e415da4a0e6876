package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of run and reads of the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is one run of the command in a goroutine.
type running struct {
	sig    chan os.Signal
	stdout *syncBuffer
	stderr *syncBuffer
	exit   chan int
	banner []string // stdout lines up to and including the last export line
}

var exportLine = regexp.MustCompile(`^  export (\w+)=(.*)$`)

// start runs the command with args and waits for its banner.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	return startWithEnv(t, nil, args...)
}

// startWithEnv is start with environment variables.
func startWithEnv(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	pr, pw := io.Pipe()
	r := &running{sig: make(chan os.Signal, 1), stdout: &syncBuffer{}, stderr: &syncBuffer{}, exit: make(chan int, 1)}
	go func() {
		r.exit <- run(args, fakeEnv(env), io.MultiWriter(pw, r.stdout), r.stderr, r.sig)
		pw.Close()
	}()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	// The banner ends with the ALIBABA_CLOUD_ACCESS_KEY_SECRET line.
	for line := range lines {
		r.banner = append(r.banner, line)
		if strings.Contains(line, "ALIBABA_CLOUD_ACCESS_KEY_SECRET") {
			go func() {
				for range lines { // keep draining until run returns
				}
			}()
			return r
		}
	}
	t.Fatalf("run ended before printing its banner (exit %d): %s", <-r.exit, r.stderr.String())
	return nil
}

// stop sends SIGTERM and returns the exit status.
func (r *running) stop(t *testing.T) int {
	t.Helper()
	r.sig <- syscall.SIGTERM
	select {
	case code := <-r.exit:
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after SIGTERM")
	}
	return -1
}

// exports returns the banner's export lines as a map.
func (r *running) exports() map[string]string {
	m := map[string]string{}
	for _, l := range r.banner {
		if g := exportLine.FindStringSubmatch(l); g != nil {
			m[g[1]] = g[2]
		}
	}
	return m
}

// TestRunServesUntilSignal starts the command with a user-supplied key, calls it through the SDK client
// with the banner's settings, then stops it with SIGTERM. The secret must appear nowhere in the output.
func TestRunServesUntilSignal(t *testing.T) {
	const secret = "user-supplied-secret-4711"
	r := start(t, "-addr", "127.0.0.1:0", "-access-key", "LTAIuser:"+secret, "-instance", "shop:limits=off", "-instance", "other")
	ex := r.exports()
	if !strings.HasPrefix(ex["IMAGESEARCH_ENDPOINT"], "http://127.0.0.1:") || ex["IMAGESEARCH_INSTANCE"] != "shop" ||
		ex["ALIBABA_CLOUD_ACCESS_KEY_ID"] != "LTAIuser" {
		t.Errorf("banner exports %v", ex)
	}
	c, err := imagesearch.New(imagesearch.Config{Endpoint: ex["IMAGESEARCH_ENDPOINT"], AccessKeyID: "LTAIuser", AccessKeySecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Detail(context.Background(), &imagesearch.DetailRequest{InstanceName: "other"})
	if err != nil || d.Instance.Name != "other" {
		t.Fatalf("Detail through the running command: %v %+v", err, d)
	}
	if code := r.stop(t); code != 0 {
		t.Errorf("exit status %d after SIGTERM, stderr %s", code, r.stderr.String())
	}
	out := r.stdout.String()
	if !strings.Contains(out, "received terminated, shutting down") {
		t.Errorf("no shutdown line in %q", out)
	}
	for name, text := range map[string]string{"stdout": out, "stderr": r.stderr.String()} {
		if strings.Contains(text, secret) {
			t.Errorf("%s contains the user-supplied secret:\n%s", name, text)
		}
	}
	if !strings.Contains(r.stderr.String(), "action=Detail") {
		t.Errorf("no request log line on stderr: %s", r.stderr.String())
	}
}

// TestRunDemoKey checks that without -access-key the banner prints a generated pair that works.
func TestRunDemoKey(t *testing.T) {
	r := start(t, "-addr", "127.0.0.1:0", "-log-format", "json")
	ex := r.exports()
	c, err := imagesearch.New(imagesearch.Config{Endpoint: ex["IMAGESEARCH_ENDPOINT"],
		AccessKeyID: ex["ALIBABA_CLOUD_ACCESS_KEY_ID"], AccessKeySecret: ex["ALIBABA_CLOUD_ACCESS_KEY_SECRET"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Detail(context.Background(), &imagesearch.DetailRequest{InstanceName: "demoinstance"}); err != nil {
		t.Errorf("the banner's demo key does not work: %v", err)
	}
	if code := r.stop(t); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if !strings.Contains(r.stderr.String(), `"action":"Detail"`) {
		t.Errorf("no JSON request log: %s", r.stderr.String())
	}
}

// TestHelpListsEveryVariable checks that -h documents every flag with its environment variable.
func TestHelpListsEveryVariable(t *testing.T) {
	var out, errOut syncBuffer
	if code := run([]string{"-h"}, fakeEnv(nil), &out, &errOut, nil); code != 0 {
		t.Fatalf("-h exit status %d", code)
	}
	help := out.String() + errOut.String()
	for flagName, env := range envNames {
		if !strings.Contains(help, "-"+flagName) || !strings.Contains(help, "["+env+"]") {
			t.Errorf("help lacks -%s [%s]:\n%s", flagName, env, help)
		}
	}
	if len(envNames) != 14 {
		t.Errorf("%d environment variables; update this test when adding one", len(envNames))
	}
}

// TestRunExitCodes checks the statuses of runs that end without serving.
func TestRunExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		out  string // expected in stdout+stderr
	}{
		{"unknown flag", []string{"-bogus"}, 2, "flag provided but not defined"},
		{"bad instance", []string{"-instance", "a:capacity=0"}, 2, "capacity"},
		{"non-loopback", []string{"-addr", "0.0.0.0:0"}, 2, "allow-remote"},
		{"unknown mutant", []string{"-addr", "127.0.0.1:0", "-mutant", "no-such-mutant"}, 1, "no-such-mutant"},
		{"unknown reading", []string{"-addr", "127.0.0.1:0", "-reading", "colour=red"}, 1, "unsent=keep|reset"},
		{"bad reading value", []string{"-addr", "127.0.0.1:0", "-reading", "unsent=forget"}, 1, "keep|reset"},
		{"two values of one option", []string{"-addr", "127.0.0.1:0", "-reading", "head=observed", "-reading", "head=documented"}, 1, "twice"},
		{"calibrate file missing", []string{"-addr", "127.0.0.1:0", "-calibrate", "no-such/results.json"}, 1, "calibrate"},
		{"calibrate not results.json", []string{"-addr", "127.0.0.1:0", "-calibrate", "main_test.go"}, 1, "not a results.json"},
		{"list mutants", []string{"-list-mutants"}, 0, "no-throttling"},
		{"list variants", []string{"-list-variants"}, 0, "unsent=reset"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut syncBuffer
			code := run(tc.args, fakeEnv(nil), &out, &errOut, nil)
			all := out.String() + errOut.String()
			if code != tc.code || !strings.Contains(all, tc.out) {
				t.Errorf("exit %d, want %d; output %q lacks %q?", code, tc.code, all, tc.out)
			}
		})
	}
	var mutants, all syncBuffer
	run([]string{"-list-mutants"}, fakeEnv(nil), &mutants, io.Discard, nil)
	run([]string{"-list-variants"}, fakeEnv(nil), &all, io.Discard, nil)
	for _, v := range emulator.Variants() {
		line := ""
		for l := range strings.Lines(all.String()) {
			if strings.Fields(l)[1] == v.Name {
				line = l
			}
		}
		if line == "" || !strings.HasPrefix(line, string(v.Kind)) || !strings.Contains(line, v.Area) ||
			!strings.Contains(line, v.Ref) || !strings.Contains(line, v.Description) {
			t.Errorf("-list-variants line for %s is %q: want kind, name, area, ref and description", v.Name, line)
		}
		if listed := strings.Contains(mutants.String(), " "+v.Name+" "); listed != (v.Kind == emulator.KindMutant) {
			t.Errorf("-list-mutants lists %s: %v, kind %s", v.Name, listed, v.Kind)
		}
	}
}

// TestBannerVariants checks that the banner names every reading switched on and announces a mutant loudly.
func TestBannerVariants(t *testing.T) {
	r := start(t, "-addr", "127.0.0.1:0", "-reading", "unsent=reset", "-reading", "latency=0", "-mutant", "no-throttling")
	banner := strings.Join(r.banner, "\n")
	for _, want := range []string{"reading on: unsent=reset (ref §10 #3)", "freedom on: latency=0",
		"MUTANT ON: no-throttling", "this emulator violates the contract"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if code := r.stop(t); code != 0 {
		t.Errorf("exit status %d", code)
	}
	r = start(t, "-addr", "127.0.0.1:0")
	if banner := strings.Join(r.banner, "\n"); strings.Contains(banner, " on: ") || strings.Contains(banner, "MUTANT") {
		t.Errorf("a plain emulator's banner announces variants:\n%s", banner)
	}
	r.stop(t)
}

// TestBannerEnvironmentVariants checks that mutants and readings switched on through the environment are
// announced in the banner and listed by /_emulator/health, like those of the flags.
func TestBannerEnvironmentVariants(t *testing.T) {
	r := startWithEnv(t, map[string]string{"IMAGESEARCH_EMULATOR_MUTANTS": "no-throttling",
		"IMAGESEARCH_EMULATOR_READINGS": "unsent=reset"}, "-addr", "127.0.0.1:0")
	defer r.stop(t)
	banner := strings.Join(r.banner, "\n")
	for _, want := range []string{"MUTANT ON: no-throttling", "reading on: unsent=reset"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	resp, err := http.Get(r.exports()["IMAGESEARCH_ENDPOINT"] + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct{ Readings, Mutants []string }
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Mutants, []string{"no-throttling"}) || !slices.Contains(h.Readings, "unsent=reset") {
		t.Errorf("health lists readings %q, mutants %q", h.Readings, h.Mutants)
	}
}

// TestBannerCalibration checks that a calibrated emulator says where its readings came from, that an
// explicit -reading of the same option wins and is announced, and that health lists the merged readings.
func TestBannerCalibration(t *testing.T) {
	const file = "../../emulator/testdata/calibrate/every-reading.json"
	r := start(t, "-addr", "127.0.0.1:0", "-calibrate", file, "-reading", "unsent=keep")
	banner := strings.Join(r.banner, "\n")
	for _, want := range []string{
		"calibrated from " + file + ": empty-string=ignore, update-missing=success, length=utf16",
		"index-lag=250ms",
		"the explicit -reading unsent=keep wins over the calibrated unsent=reset",
		"calibration note: free observations no variant gives",
		"reading on: request-id=opaque (ref §1.4)",
		"reading on: unsent=keep",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	resp, err := http.Get(r.exports()["IMAGESEARCH_ENDPOINT"] + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct{ Readings []string }
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(h.Readings, "head=documented") || !slices.Contains(h.Readings, "unsent=keep") || slices.Contains(h.Readings, "unsent=reset") {
		t.Errorf("health readings %q", h.Readings)
	}
	if code := r.stop(t); code != 0 {
		t.Errorf("exit status %d", code)
	}
}
