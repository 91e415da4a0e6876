package emulator

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// TestPersistence checks that with a DataDir the images, their attributes and the search index survive
// a Close and a new Start.
func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	opts := Options{DataDir: dir, Instances: []Instance{{Name: testInstance, Unlimited: true}, {Name: "other", Unlimited: true}}}
	first := startEnv(t, opts)
	first.add("P", "a", 1, "IntAttr", "1", "StrAttr", "one")
	first.add("P", "b", 2, "CategoryId", "3")
	first.add("Q", "c", 3)
	wantOK(t, first.update("P", "a", "StrAttr", "updated", "IntAttr3", "33"))
	wantOK(t, first.v1(contract.OpDeleteImage, form("InstanceName", testInstance, "ProductId", "Q"), nil))
	wantOK(t, first.v1(contract.OpAddImage, with2(addForm("R", "d", 4), "InstanceName", "other"), nil))
	if err := first.srv.Close(); err != nil {
		t.Fatal(err)
	}

	e := startEnv(t, opts)
	if ok, a := e.exists("P", "a"); !ok {
		t.Fatal("P/a lost across a restart")
	} else {
		wantAttrs(t, a, "StrAttr", "updated", "IntAttr", "1", "IntAttr3", "33")
	}
	if ok, a := e.exists("P", "b"); !ok {
		t.Error("P/b lost across a restart")
	} else {
		wantAttrs(t, a, "CategoryId", "3")
	}
	if ok, _ := e.exists("Q", "c"); ok {
		t.Error("a deleted image came back after a restart")
	}
	// The descriptors were reloaded: each picture finds its own image first.
	for seed, pic := range map[int64]string{1: "a", 2: "b"} {
		hits, head := e.search(contract.OpSearchImageByPic, "PicContent", picB64(seed))
		if len(hits) != 2 || hits[0].Pic != pic || hits[0].Score < 0.99 || num(head["DocsReturn"]) != "2" {
			t.Errorf("search by picture %d after restart: %+v", seed, hits)
		}
	}
	r := e.v1(contract.OpCheckImageExists, form("InstanceName", "other", "ProductId", "R", "PicName", "d"), nil)
	if r.M["Exists"] != true {
		t.Error("the second instance lost its image")
	}
}

// TestKillNine builds the real command, adds images through the SDK client while the process runs,
// kills it with SIGKILL mid-stream and restarts it on the same data directory: every image whose
// AddImage was acknowledged must be there.
func TestKillNine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	bin := buildEmulator(t)
	data := t.TempDir()
	const key = "LTAIkill:kill-secret-123"

	url, stop := runEmulator(t, bin, data, key)
	c, err := imagesearch.New(imagesearch.Config{Endpoint: url, AccessKeyID: "LTAIkill", AccessKeySecret: "kill-secret-123"})
	if err != nil {
		t.Fatal(err)
	}
	const writers, target = 4, 60 // acknowledged adds before the kill
	var (
		mu    sync.Mutex
		acked []string
	)
	ctx, cancel := context.WithCancel(context.Background())
	killed := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := 0; ; i++ {
				name := fmt.Sprintf("w%d-%d", w, i)
				_, err := c.AddImage(ctx, &imagesearch.AddImageRequest{InstanceName: testInstance, ProductId: "K",
					PicName: name, PicContent: picture(int64(i%5 + 1)), Attributes: imagesearch.Attributes{StrAttr: &name}})
				if err != nil {
					var apiErr *imagesearch.APIError
					if errors.As(err, &apiErr) {
						t.Errorf("AddImage %s: %v", name, err)
					}
					return // the process is gone (or the context ended)
				}
				mu.Lock()
				acked = append(acked, name)
				if len(acked) == target {
					close(killed)
				}
				mu.Unlock()
			}
		})
	}
	writersDone := make(chan struct{})
	go func() { wg.Wait(); close(writersDone) }()
	select {
	case <-killed:
	case <-writersDone:
		t.Fatalf("the writers stopped after %d acknowledged adds", len(acked))
	}
	stop() // SIGKILL while the writers keep going
	cancel()
	<-writersDone

	url, stop = runEmulator(t, bin, data, key)
	defer stop()
	c, err = imagesearch.New(imagesearch.Config{Endpoint: url, AccessKeyID: "LTAIkill", AccessKeySecret: "kill-secret-123"})
	if err != nil {
		t.Fatal(err)
	}
	cx := context.Background()
	for _, name := range acked {
		r, err := c.CheckImageExists(cx, &imagesearch.CheckImageExistsRequest{InstanceName: testInstance, ProductId: "K", PicName: name})
		if err != nil {
			t.Fatalf("CheckImageExists %s: %v", name, err)
		}
		if !r.Exists || r.Auctions.StrAttr != name {
			t.Errorf("acknowledged image %s lost or changed after kill -9: %+v", name, r.Auctions)
		}
	}
	d, err := c.Detail(cx, &imagesearch.DetailRequest{InstanceName: testInstance})
	if err != nil {
		t.Fatal(err)
	}
	if d.Instance.TotalCount < int64(len(acked)) {
		t.Errorf("TotalCount %d < %d acknowledged images", d.Instance.TotalCount, len(acked))
	}
}

// buildEmulator compiles ./cmd/imagesearch-emulator into a temporary directory.
func buildEmulator(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "imagesearch-emulator")
	cmd := exec.Command(goTool, "build", "-o", bin, "../cmd/imagesearch-emulator")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// runEmulator starts the binary on a random loopback port and returns its URL and a function that
// kills it with SIGKILL and waits for it.
func runEmulator(t *testing.T, bin, data, key string) (string, func()) {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-data", data, "-access-key", key,
		"-instance", testInstance+":limits=off")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGKILL)
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Errorf("emulator process: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatal("the emulator exited before listening")
		}
		return strings.TrimSpace(u), stop
	case <-time.After(20 * time.Second):
		t.Fatal("the emulator did not start within 20 s")
	}
	return "", stop
}

// TestCreatedSurvivesRestart checks that Detail.UtcCreate (ref §6.1) of a persistent emulator is the time of
// its first start, not of the latest, while an in-memory emulator is created at each start.
func TestCreatedSurvivesRestart(t *testing.T) {
	clock := newFakeClock()
	created := func(opts Options) string {
		e := startEnv(t, opts)
		r := e.v1(contract.OpDetail, nil, form("InstanceName", testInstance))
		wantOK(t, r)
		if err := e.srv.Close(); err != nil {
			t.Fatal(err)
		}
		in, _ := r.M["Instance"].(map[string]any)
		return in["UtcCreate"].(string)
	}
	persistent := Options{Now: clock.Now, DataDir: t.TempDir()}
	first := created(persistent)
	clock.Advance(2 * time.Hour)
	if again := created(persistent); again != first {
		t.Errorf("UtcCreate %s after a restart, %s before", again, first)
	}
	if memory := created(Options{Now: clock.Now}); memory == first {
		t.Errorf("an in-memory emulator started 2 h later has the same UtcCreate %s", memory)
	}
}
