package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/fixtures"
)

// Pictures are 160×120 JPEG scenes; the fill varies each of pictureCount pictures by Region.
const (
	pictureCount  = 16
	width, height = 160, 120
)

// fillRegion is the subject box of the i-th image: every image of one picture gets a different box, so
// the descriptors differ slightly (ref §3: a given Region wins over Crop).
func fillRegion(i int) string {
	k := i / pictureCount
	x1, y1 := k%40, (k/40)%30
	x2, y2 := width-(k/1200)%40, height-(k/48000)%30
	return fmt.Sprintf("%d,%d,%d,%d", x1, x2, y1, y2)
}

// fill adds n images through AddImage over loopback (V3-signed) with workers concurrent clients and
// returns the images per second.
func fill(base string, n, workers int) (float64, error) {
	pics := make([]string, pictureCount)
	for i := range pics {
		pics[i] = fixtures.Base64(fixtures.Image(fixtures.JPEG, int64(i+1), width, height))
	}
	client := newClient(workers)
	defer client.CloseIdleConnections()
	var (
		next     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				form := url.Values{"InstanceName": {instance}, "ProductId": {fmt.Sprintf("p%06d", i/4)},
					"PicName": {fmt.Sprintf("n%06d.jpg", i)}, "PicContent": {pics[i%pictureCount]},
					"Region": {fillRegion(i)}, "IntAttr": {strconv.Itoa(i)}}
				status, body, err := send(client, signedRequestV3(base, contract.OpAddImage, form))
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("AddImage %d: status %d: %s", i, status, body)
				}
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds(), firstErr
}

// searchLatency runs count SearchImageByPic calls one after the other, with a query picture that is a
// re-encoded copy of an indexed one and no filter, so every call scans the whole index. It returns the
// sorted client-side latencies and the sorted SearchTime values the emulator reported.
func searchLatency(base string, count, want int) (lat, server []time.Duration, err error) {
	query := fixtures.Base64(fixtures.Variant(3, width, height, fixtures.VariantJPEG50))
	client := newClient(1)
	defer client.CloseIdleConnections()
	form := url.Values{"InstanceName": {instance}, "PicContent": {query}, "Num": {"10"}}
	for range count {
		req := signedRequest(base, contract.OpSearchImageByPic, form)
		t0 := time.Now()
		status, body, err := send(client, req)
		d := time.Since(t0)
		if err != nil {
			return nil, nil, err
		}
		var r struct {
			Head struct{ DocsFound, SearchTime int } // DocsFound is the total hits, as live captures show (ref §9 #16)
		}
		if status != http.StatusOK || json.Unmarshal(body, &r) != nil || r.Head.DocsFound != want {
			return nil, nil, fmt.Errorf("SearchImageByPic: status %d: %.200s", status, body)
		}
		lat = append(lat, d)
		server = append(server, time.Duration(r.Head.SearchTime)*time.Millisecond)
	}
	slices.Sort(lat)
	slices.Sort(server)
	return lat, server, nil
}

// percentile returns the p-th percentile (0–100) of sorted values, nearest rank.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}
