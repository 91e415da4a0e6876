package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imagesearch-conformance/conformance/fixtures"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// Config is one soak run's settings.
type Config struct {
	Duration time.Duration // how long the clients run
	Clients  int           // concurrent clients, each with its own images
	Images   int           // images per client
	Restarts int           // kill -9 and restart during the run, evenly spaced; one more precedes the check
	Emulator string        // the emulator binary; "" builds it with the go command
	DataDir  string        // the emulator's -data directory, empty or absent; "" a temporary one
	Limits   bool          // keep the instance's QPS limits on (throttled answers are counted apart)
	MaxRSSMB int64         // fail when an emulator process's RSS exceeds this; 0: no limit
	Seed     uint64        // the clients' random choices; 0: from the clock
	Keep     bool          // keep the work directory (emulator log, data) for a look afterwards
	Progress io.Writer     // one line per phase; nil: silent
}

const (
	soakInstance = "soak"
	pictureSide  = 128 // pixels: a small picture that passes every image check (ref §1.5)
	numPictures  = 8
	callTimeout  = 10 * time.Second
	// defaultDuration makes the whole run, build and checks included, take about two minutes.
	defaultDuration = 90 * time.Second
)

// Run starts the emulator, runs the clients with the restarts in between, restarts it once more with
// kill -9 and checks every image against the acknowledged writes.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Clients < 1 || cfg.Images < 1 || cfg.Duration <= 0 || cfg.Restarts < 0 {
		return nil, errors.New("need at least one client and image, a positive duration and no negative restarts")
	}
	progress := cfg.Progress
	if progress == nil {
		progress = io.Discard
	}
	work, err := os.MkdirTemp("", "emulator-soak-")
	if err != nil {
		return nil, err
	}
	if cfg.Keep {
		fmt.Fprintf(progress, "work directory (log, data): %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	emu, err := prepare(ctx, cfg, work)
	if err != nil {
		return nil, err
	}
	defer emu.log.(io.Closer).Close()
	if err := emu.start(ctx); err != nil {
		return nil, err
	}
	defer emu.stop()
	fmt.Fprintf(progress, "emulator at %s (pid %d), %d clients for %v\n", emu.url(), emu.cmd.Process.Pid, cfg.Clients, cfg.Duration)
	workers, err := newWorkers(cfg, emu)
	if err != nil {
		return nil, err
	}
	r := &Report{Duration: cfg.Duration, Clients: cfg.Clients, Images: cfg.Images, TotalCount: -1, MaxRSSKB: cfg.MaxRSSMB << 10}
	if err := drive(ctx, cfg, emu, workers, r, progress); err != nil {
		return nil, err
	}
	fmt.Fprintln(progress, "clients stopped; kill -9 and restart before the check")
	if err := restart(ctx, emu, r); err != nil {
		return nil, err
	}
	verify(ctx, workers, r)
	emu.stop()
	r.Procs, r.Crashes = emu.procs, emu.crashes
	for _, w := range workers {
		r.add(&w.c)
		r.Issues = append(r.Issues, w.issues...)
	}
	return r, nil
}

// prepare builds the emulator if needed, checks the data directory and makes the key pair.
func prepare(ctx context.Context, cfg Config, work string) (*emuProcess, error) {
	bin := cfg.Emulator
	if bin == "" {
		var err error
		if bin, err = buildEmulator(ctx, work); err != nil {
			return nil, err
		}
	}
	data := cfg.DataDir
	if data == "" {
		data = filepath.Join(work, "data")
	}
	if entries, err := os.ReadDir(data); err == nil && len(entries) > 0 {
		// The check compares the store with this run's writes alone.
		return nil, fmt.Errorf("data directory %s is not empty", data)
	}
	log, err := os.Create(filepath.Join(work, "emulator.log"))
	if err != nil {
		return nil, err
	}
	limits := "off"
	if cfg.Limits {
		limits = "on"
	}
	return &emuProcess{bin: bin, dataDir: data, instance: soakInstance, limits: limits, accessKey: "soak" + randomHex(8) + ":" + randomHex(24),
		log: log, addr: "127.0.0.1:0", sampleEvery: 250 * time.Millisecond}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newWorkers makes the clients, each with its own typed client (signed V1 through the vendor SDK, like a
// real application) and its own images.
func newWorkers(cfg Config, emu *emuProcess) ([]*worker, error) {
	seed := cfg.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	pics := make([][]byte, numPictures)
	for i := range pics {
		pics[i] = fixtures.Image(fixtures.PNG, int64(i+1), pictureSide, pictureSide)
	}
	id, secret, _ := strings.Cut(emu.accessKey, ":")
	values := new(atomic.Int64)
	workers := make([]*worker, cfg.Clients)
	for i := range workers {
		w := &worker{id: i, instance: soakInstance, rng: mrand.New(mrand.NewPCG(seed, uint64(i))), pics: pics, values: values}
		cl, err := imagesearch.New(imagesearch.Config{Endpoint: emu.url(), AccessKeyID: id, AccessKeySecret: secret,
			Timeout: callTimeout, OnCall: w.onCall})
		if err != nil {
			return nil, err
		}
		w.cl = cl
		for k := range cfg.Images {
			w.images = append(w.images, &image{product: fmt.Sprintf("c%d-i%d", i, k), pic: "p.png", can: possible{{}}})
		}
		workers[i] = w
	}
	return workers, nil
}

// drive runs the clients for the duration and kills and restarts the emulator at evenly spaced moments.
func drive(ctx context.Context, cfg Config, emu *emuProcess, workers []*worker, r *Report, progress io.Writer) error {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(stop)
		}()
	}
	defer wg.Wait()
	defer close(stop)
	begin := time.Now()
	for i := 1; i <= cfg.Restarts; i++ {
		if err := sleepUntil(ctx, begin.Add(cfg.Duration*time.Duration(i)/time.Duration(cfg.Restarts+1))); err != nil {
			return err
		}
		fmt.Fprintf(progress, "%v: kill -9 pid %d and restart\n", time.Since(begin).Round(time.Millisecond), emu.cmd.Process.Pid)
		if err := restart(ctx, emu, r); err != nil {
			return err
		}
	}
	return sleepUntil(ctx, begin.Add(cfg.Duration))
}

// restart kills the emulator with SIGKILL and starts it again on the same address and data.
func restart(ctx context.Context, emu *emuProcess, r *Report) error {
	emu.kill9()
	r.Restarts++
	begin := time.Now()
	if err := emu.start(ctx); err != nil {
		return fmt.Errorf("restart %d: %w", r.Restarts, err)
	}
	r.RestartTimes = append(r.RestartTimes, time.Since(begin))
	return nil
}

func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
