package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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

// throughput runs workers clients, each sending updateRequest back to back (signing each request
// itself), against base for d, and returns the completed requests per second. The first tenth of d is a
// warm-up that is not counted. Any answer but 200 is an error.
func throughput(base string, workers int, d time.Duration) (float64, error) {
	client := newClient(workers)
	defer client.CloseIdleConnections()
	var (
		seq      atomic.Int64
		counted  atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
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
				if time.Now().After(warm) {
					counted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return float64(counted.Load()) / time.Since(warm).Seconds(), firstErr
}
