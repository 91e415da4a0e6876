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
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/fixtures"
)

// Pictures are 128×128 PNG scenes; the fill varies each of pictureCount pictures by Region.
const (
	pictureCount  = 16
	width, height = 128, 128
)

// pictures returns the pictureCount pictures, Base64-encoded as PicContent carries them.
func pictures() []string {
	pics := make([]string, pictureCount)
	for i := range pics {
		pics[i] = fixtures.Base64(fixtures.Image(fixtures.PNG, int64(i+1), width, height))
	}
	return pics
}

// fillRegion is the subject box of the i-th image: every image of one picture gets a different box, so
// the descriptors differ slightly (ref §3: a given Region wins over Crop).
func fillRegion(i int) string {
	k := i / pictureCount
	x1, y1 := k%40, (k/40)%30
	x2, y2 := width-(k/1200)%40, height-(k/48000)%30
	return fmt.Sprintf("%d,%d,%d,%d", x1, x2, y1, y2)
}

// image is the i-th image of a fill: four per product, IntAttr i and one of eight StrAttr values, so the
// filters of searchKinds select 1 and about n/8 images.
func image(i int) emulator.SeedImage {
	return emulator.SeedImage{ProductId: fmt.Sprintf("p%07d", i/4), PicName: fmt.Sprintf("n%07d.png", i),
		IntAttr: int32(i), StrAttr: fmt.Sprintf("s%d", i%8), Picture: i % pictureCount}
}

// fill adds n images through AddImage over loopback (V3-signed) with workers concurrent clients and
// returns the images per second.
func fill(base string, pics []string, n, workers int) (float64, error) {
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
				im := image(i)
				form := url.Values{"InstanceName": {instance}, "ProductId": {im.ProductId}, "PicName": {im.PicName},
					"PicContent": {pics[im.Picture]}, "Region": {fillRegion(i)},
					"IntAttr": {strconv.Itoa(int(im.IntAttr))}, "StrAttr": {im.StrAttr}}
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

// searchKind is one measured search: its Filter and how many of n filled images it selects.
type searchKind struct {
	filter string
	found  func(n int) int
}

// searchKinds are the measured searches: no filter (the whole index), one integer attribute, and an
// integer range with a string attribute (ref §1.7).
var searchKinds = []searchKind{
	{"", func(n int) int { return n }},
	{"int_attr=7", func(n int) int { return min(max(n-7, 0), 1) }},
	{`int_attr>=100 AND str_attr="s3"`, func(n int) int { return max(n-100, 0) / 8 }}, // 107, 115, … below n
}

// searchLatency runs count SearchImageByPic calls with the given Filter one after the other, with a query
// picture that is a re-encoded copy of an indexed one. It checks DocsFound against want and returns the
// sorted client-side latencies and the sorted SearchTime values the emulator reported.
func searchLatency(base string, count, want int, filter string) (lat, server []time.Duration, err error) {
	query := fixtures.Base64(fixtures.Variant(3, width, height, fixtures.VariantJPEG50))
	client := newClient(1)
	defer client.CloseIdleConnections()
	form := url.Values{"InstanceName": {instance}, "PicContent": {query}, "Num": {"10"}}
	if filter != "" {
		form.Set("Filter", filter)
	}
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
			return nil, nil, fmt.Errorf("SearchImageByPic %q: want DocsFound %d: status %d: %.200s", filter, want, status, body)
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
