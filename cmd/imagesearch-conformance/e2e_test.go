package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// e2eLabels selects the quick specs of one area, a rapid property among them (it needs the testing flags
// a binary does not have by itself): enough to prove the reports and the exit codes, short enough against
// a paced emulator. The mutant below is in the same area, so the run must catch it.
const (
	e2eLabels = "length-limits && !slow"
	e2eMutant = "strattr3-limit-off-by-one"
)

// TestBinaryOutsideTheRepository builds the runner and the emulator, copies the runner into an empty
// directory outside the repository and runs it there, with flags only, against the emulator binary:
// exit 0 and the four reports against the reference emulator, exit 1 and a re-run line against a mutant.
func TestBinaryOutsideTheRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries and runs the suite")
	}
	bin := t.TempDir()
	// One build for both, so they share the work; the test's own build settings, so the cache serves it.
	cmd := exec.Command("go", "build", "-o", bin+string(filepath.Separator),
		"-ldflags", "-X github.com/imagesearch-conformance/conformance/suites/harness.version=e2e-stamp",
		".", "../imagesearch-emulator")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	exe := map[bool]string{true: ".exe"}[runtime.GOOS == "windows"]
	runner, emulatorBin := filepath.Join(bin, "imagesearch-conformance"+exe), filepath.Join(bin, "imagesearch-emulator"+exe)

	dir := t.TempDir()
	copied := filepath.Join(dir, "imagesearch-conformance"+exe)
	copyFile(t, runner, copied)

	out, code := runIn(t, dir, nil, copied, "--version")
	if code != 0 || strings.TrimSpace(out) != "imagesearch-conformance e2e-stamp" {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	out, code = runIn(t, dir, nil, copied, "--list")
	if lines := strings.Count(out, "\n"); code != 0 || lines < 20 || !strings.Contains(out, "ref §") {
		t.Errorf("--list: exit %d, %d lines:\n%s", code, lines, out)
	}

	t.Run("reference emulator", func(t *testing.T) {
		emu := startEmulator(t, emulatorBin)
		out, code := runIn(t, dir, emu.keyEnv(), copied, "--endpoint", emu.url, "--instance", emu.instance, "--labels", e2eLabels, "--rapid-checks", "3")
		if code != exitConformant {
			t.Fatalf("exit %d, want 0:\n%s", code, out)
		}
		for _, f := range []string{"junit.xml", "report.json", "results.json", "summary.html"} {
			if st, err := os.Stat(filepath.Join(dir, "reports", f)); err != nil || st.Size() == 0 {
				t.Errorf("reports/%s: %v", f, err)
			}
		}
		if strings.Contains(out, emu.secret) {
			t.Error("the secret is in the runner's output")
		}
	})
	t.Run("mutant", func(t *testing.T) {
		emu := startEmulator(t, emulatorBin, "-mutant", e2eMutant)
		report := filepath.Join(dir, "mutant-reports")
		out, code := runIn(t, dir, emu.keyEnv(), copied, "--endpoint", emu.url, "--instance", emu.instance, "--labels", e2eLabels, "--rapid-checks", "3", "--report-dir", "mutant-reports")
		if code != exitViolation || !strings.Contains(out, "--focus '^UpdateImage conformance ") {
			t.Fatalf("exit %d, want 1 and a re-run line:\n%s", code, out)
		}
		if _, err := os.Stat(filepath.Join(report, "results.json")); err != nil {
			t.Error(err)
		}
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, b, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// runIn runs a command in dir with only the given environment (plus PATH-free defaults) and returns its
// combined output and exit status.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, append([]string{"HOME=" + dir, "TMPDIR=" + os.TempDir()}, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", name, err)
	}
	return out.String(), 0
}

// emulatorProc is a running emulator binary and what its banner said.
type emulatorProc struct {
	url, instance, keyID, secret string
}

func (e emulatorProc) keyEnv() []string {
	return []string{"ALIBABA_CLOUD_ACCESS_KEY_ID=" + e.keyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + e.secret}
}

// startEmulator starts the emulator binary on a free loopback port and reads its banner (bounded by a
// deadline); the process is interrupted and waited for when the test ends.
func startEmulator(t *testing.T, bin string, args ...string) emulatorProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = []string{}
	// An io.Pipe rather than StdoutPipe: Wait then waits for the copy, and closing the writer after Wait
	// ends the reader, so no goroutine outlives the test.
	stdout, w := io.Pipe()
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	banner, done := make(chan emulatorProc, 1), make(chan struct{})
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		_ = w.Close()
		<-done
	})
	go func() {
		defer close(done)
		defer close(banner)
		var e emulatorProc
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			for prefix, dst := range map[string]*string{"export IMAGESEARCH_ENDPOINT=": &e.url, "export IMAGESEARCH_INSTANCE=": &e.instance,
				"export ALIBABA_CLOUD_ACCESS_KEY_ID=": &e.keyID, "export ALIBABA_CLOUD_ACCESS_KEY_SECRET=": &e.secret} {
				if v, ok := strings.CutPrefix(line, prefix); ok {
					*dst = v
				}
			}
			if e.secret != "" && e.url != "" {
				banner <- e
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout) // keep the pipe drained until the process exits
	}()
	select {
	case e, ok := <-banner:
		if !ok || e.url == "" || e.keyID == "" {
			t.Fatalf("emulator banner incomplete: %+v", e)
		}
		return e
	case <-time.After(30 * time.Second):
		t.Fatal("the emulator printed no banner within 30 s")
	}
	return emulatorProc{}
}
