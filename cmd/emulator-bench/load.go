package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// updateBody is the fixed answer of the bare handler: an UpdateImage success body (ref §2.2).
var updateBody = []byte(`{"Message":"success","RequestId":"E0845DE6-52AF-4B50-9F15-51ED4044E6AB","Code":0,"Success":true}` + "\n")

// startBare serves a bare net/http handler that reads the body and returns updateBody, the ceiling the
// emulator's throughput is compared with. It returns the base URL and a stop function.
func startBare() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write(updateBody)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// updateRequest is the i-th UpdateImage of the load: the same image, a changing IntAttr.
func updateRequest(base string, i int64) *http.Request {
	form := url.Values{"InstanceName": {instance}, "ProductId": {"load"}, "PicName": {"load.jpg"},
		"IntAttr": {strconv.FormatInt(i, 10)}, "StrAttr": {"v" + strconv.FormatInt(i%100, 10)}}
	return signedRequest(base, contract.OpUpdateImage, form)
}

// loadRun is one throughput run against one server.
type loadRun struct {
	rps      float64       // requests per second after the warm-up
	requests int64         // requests completed, warm-up included
	cpu      time.Duration // this process's CPU time over the whole run: load generator and server together
}

// throughput runs workers clients, each sending updateRequest back to back (signing each request
// itself), against base for d, and returns the completed requests per second. The first tenth of d is a
// warm-up that is not counted. Any answer but 200 is an error.
func throughput(base string, workers int, d time.Duration) (loadRun, error) {
	client := newClient(workers)
	defer client.CloseIdleConnections()
	var (
		seq      atomic.Int64
		counted  atomic.Int64
		done     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	cpu0, _ := cpuTime(os.Getpid())
	start := time.Now()
	warm, end := start.Add(d/10), start.Add(d)
	for range workers {
		wg.Go(func() {
			for time.Now().Before(end) {
				status, body, err := send(client, updateRequest(base, seq.Add(1)))
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("status %d: %s", status, body)
				}
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				done.Add(1)
				if time.Now().After(warm) {
					counted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	run := loadRun{rps: float64(counted.Load()) / time.Since(warm).Seconds(), requests: done.Load()}
	cpu1, _ := cpuTime(os.Getpid())
	run.cpu = cpu1 - cpu0
	return run, firstErr
}

// interleaved measures the bare handler and the emulator in turns, each run lasting d after one warm-up
// run of each of d/2: bare, emulator, bare, ..., emulator, bare, rounds emulator runs in all. A change in
// the machine's load (it is shared) then reaches both sides instead of deciding the ratio. It also returns
// how many signed requests went to the bare handler, warm-up included.
func interleaved(bare, emu string, workers, rounds int, d time.Duration, progress io.Writer) (bareRuns, emuRuns []loadRun, bareSent int64, err error) {
	runBare := func(d time.Duration) (loadRun, error) {
		before := sent.Load()
		run, err := throughput(bare, workers, d)
		bareSent += sent.Load() - before
		if err != nil {
			err = fmt.Errorf("bare handler: %w", err)
		}
		return run, err
	}
	fmt.Fprintf(progress, "UpdateImage load: warm-up, then %d rounds of %v on the bare handler and on the emulator...\n", rounds, d)
	if _, err := runBare(d / 2); err != nil {
		return nil, nil, 0, err
	}
	if _, err := throughput(emu, workers, d/2); err != nil {
		return nil, nil, 0, fmt.Errorf("emulator: %w", err)
	}
	for i := 0; ; i++ {
		b, err := runBare(d)
		if err != nil {
			return nil, nil, 0, err
		}
		bareRuns = append(bareRuns, b)
		if i == rounds {
			return bareRuns, emuRuns, bareSent, nil
		}
		e, err := throughput(emu, workers, d)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("emulator: %w", err)
		}
		emuRuns = append(emuRuns, e)
		fmt.Fprintf(progress, "  round %d: bare %.0f req/s, emulator %.0f req/s\n", i+1, b.rps, e.rps)
	}
}
