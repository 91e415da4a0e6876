package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// crashChildEnv names the directory in which a re-executed test binary writes until it is killed.
const crashChildEnv = "STORE_CRASH_CHILD_DIR"

// crashInstance is the instance the crash child writes to.
const crashInstance = "crash"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		runCrashChild(dir)
		return
	}
	code := m.Run()
	cleanupBenchData()
	os.Exit(code)
}

// runCrashChild writes records forever, printing "product version" after each Put returns. Write i stores
// product i/2 at version i, so every key is overwritten once and last-write-wins is checked as well.
func runCrashChild(dir string) {
	c, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		if _, err := c.Put(crashInstance, numbered(i/2, 0, i)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		// One short write per line is atomic on a pipe, so the parent never sees half an acknowledgement.
		if _, err := fmt.Fprintf(os.Stdout, "%d %d\n", i/2, i); err != nil {
			os.Exit(3) // the parent went away
		}
	}
}

func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	const killAfter = 300 // acknowledgements read before SIGKILL
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[int]int{} // product -> last acknowledged version
	lines := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var product, version int
		if _, err := fmt.Sscanf(sc.Text(), "%d %d", &product, &version); err != nil {
			t.Fatalf("child line %q: %v", sc.Text(), err)
		}
		acked[product] = version
		if lines++; lines == killAfter {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child was not killed mid-way: %v (after %d acknowledgements)", err, lines)
	}
	t.Logf("child killed by SIGKILL; %d acknowledged writes checked", lines)
	assertAcknowledged(t, openDir(t, dir), acked)
}

// assertAcknowledged checks that every acknowledged write is present. A key may instead hold the one newer
// version whose Put was in flight at the kill: committed but not yet acknowledged.
func assertAcknowledged(t *testing.T, c *Catalog, acked map[int]int) {
	t.Helper()
	descs := storedDescs(t, c, crashInstance)
	for product, version := range acked {
		got, ok := c.Get(crashInstance, numbered(product, 0, 0).Key())
		if !ok {
			t.Fatalf("acknowledged product %d (version %d) missing after kill", product, version)
		}
		v := int(got.IntAttr[0])
		if v != version && v != version+1 {
			t.Fatalf("product %d holds version %d, acknowledged %d", product, v, version)
		}
		want := numbered(product, 0, v)
		assertRecord(t, got, inMemory(c, want))
		if d := descs[want.Key()]; d != string(want.Desc) {
			t.Fatalf("product %d: stored Desc %x, want version %d's", product, d, v)
		}
	}
	if extra := c.Count(crashInstance) - len(acked); extra < 0 || extra > 1 {
		t.Fatalf("catalogue holds %d records, %d acknowledged", c.Count(crashInstance), len(acked))
	}
}
