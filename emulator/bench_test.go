package emulator

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// The benchmarks sign every request with V1 inside the timed loop, as a real client does; the bare
// handler benchmark uses the identical load generator so the two can be compared.

// fillForBench stores n images in an instance directly (catalogue and index, no HTTP), so a benchmark can
// set up 100,000 images in seconds. The descriptors are those of 16 pictures, each varied slightly per
// image, so no two are identical and a query must still scan them all.
func fillForBench(tb testing.TB, s *Server, instance string, n int) {
	tb.Helper()
	var base []*imaging.Picture
	for seed := range int64(16) {
		p, err := imaging.Inspect(picB64(seed+1), imaging.Options{Crop: true})
		if err != nil {
			tb.Fatal(err)
		}
		base = append(base, p)
	}
	in := s.instances[instance]
	for i := range n {
		p := base[i%len(base)]
		d := p.Descriptor
		nudge(&d.Shape[(i/len(base))%len(d.Shape)], int8(1+i%3))
		nudge(&d.Layout[(i/7)%len(d.Layout)], int8(-1-i%2))
		key := store.Key{ProductId: fmt.Sprintf("p%06d", i/4), PicName: fmt.Sprintf("n%06d.jpg", i)}
		rec := store.Record{ProductId: key.ProductId, PicName: key.PicName, CategoryId: contract.OtherCategory,
			Region: p.Region, IntAttr: [4]int32{int32(i)}, StrAttr: [4]string{fmt.Sprint("s", i%8)}}
		if s.opts.DataDir != "" { // as AddImage: in memory the index holds the only descriptor
			rec.Desc = descriptorBytes(d)
		}
		if _, err := s.catalog.Put(instance, rec); err != nil {
			tb.Fatal(err)
		}
		in.index().Put(key, d, indexAttrs(&rec))
	}
}

// nudge adds d to *v without overflowing int8.
func nudge(v *int8, d int8) {
	if n := int(*v) + int(d); n >= -127 && n <= 127 {
		*v = int8(n)
	} else {
		*v -= d
	}
}

// signedUpdate returns a V1-signed UpdateImage request of P/n for the loopback benchmarks.
func signedUpdate(base string, i int64) *http.Request {
	r := &rawReq{Form: form("InstanceName", testInstance, "ProductId", "P", "PicName", "n", "IntAttr", strconv.FormatInt(i%1000, 10))}
	signV1(r, contract.OpUpdateImage, testKeyID, testSecret, time.Now())
	return r.build(base)
}

// BenchmarkServeHTTPUpdateImage measures one signed UpdateImage through ServeHTTP, without the network.
func BenchmarkServeHTTPUpdateImage(b *testing.B) {
	srv, err := New(Options{Credentials: []Credential{{ID: testKeyID, Secret: testSecret}},
		Instances: []Instance{{Name: testInstance, Unlimited: true}}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	fillForBench(b, srv, testInstance, 1)
	srv.catalog.Put(testInstance, store.Record{ProductId: "P", PicName: "n"})
	b.ReportAllocs()
	var i int64
	for b.Loop() {
		i++
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, signedUpdate("http://127.0.0.1", i))
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
		}
	}
}

// loopbackLoad runs b.N signed UpdateImage requests against base from parallel raw HTTP clients and
// reports requests per second.
func loopbackLoad(b *testing.B, base string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	defer client.CloseIdleConnections()
	var seq atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Do(signedUpdate(base, seq.Add(1)))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkLoopbackUpdateImage is UpdateImage on loopback under parallel load (Unlimited instance).
func BenchmarkLoopbackUpdateImage(b *testing.B) {
	e := startEnv(b, Options{})
	e.add("P", "n", 1)
	loopbackLoad(b, e.srv.URL())
}

// BenchmarkLoopbackBareHandler is the same load against a bare net/http handler that returns a fixed
// UpdateImage body: the ceiling the emulator is compared with.
func BenchmarkLoopbackBareHandler(b *testing.B) {
	body := []byte(`{"Message":"success","RequestId":"E0845DE6-52AF-4B50-9F15-51ED4044E6AB","Code":0,"Success":true}` + "\n")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write(body)
	}))
	defer ts.Close()
	loopbackLoad(b, ts.URL)
}

var (
	bigOnce sync.Once
	bigSrv  *Server
)

// BenchmarkSearchImageByPic100k measures SearchImageByPic over loopback against 100,000 indexed images,
// reporting p50 and p95 latency: without a filter (the whole index is scanned) and with the two filters of
// the goals, which select 1 and 12,487 images. The filled emulator is kept for the life of the process:
// filling it again for each b.N would dominate.
func BenchmarkSearchImageByPic100k(b *testing.B) {
	for _, bc := range []struct{ name, filter, found string }{
		{"no-filter", "", "100000"},
		{"int", "int_attr=7", "1"},
		{"int-and-str", `int_attr>=100 AND str_attr="s3"`, "12487"},
	} {
		b.Run(bc.name, func(b *testing.B) { benchSearch100k(b, bc.filter, bc.found) })
	}
}

func benchSearch100k(b *testing.B, filter, found string) {
	bigOnce.Do(func() {
		var err error
		bigSrv, err = Start(Options{Credentials: []Credential{{ID: testKeyID, Secret: testSecret}},
			Instances: []Instance{{Name: testInstance, Unlimited: true}}})
		if err != nil {
			b.Fatal(err)
		}
		fillForBench(b, bigSrv, testInstance, 100_000)
	})
	e := &env{t: b, srv: bigSrv, now: time.Now, http: &http.Client{}}
	query := form("InstanceName", testInstance, "PicContent", picB64(3))
	if filter != "" {
		query.Set("Filter", filter)
	}
	var times []time.Duration
	for b.Loop() {
		t0 := time.Now()
		r := e.v1(contract.OpSearchImageByPic, query, nil)
		times = append(times, time.Since(t0))
		if r.Status != 200 || num(r.M["Head"].(map[string]any)["DocsFound"]) != found {
			b.Fatalf("search: %d %s", r.Status, r.Body)
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
}

// BenchmarkStart measures Start (listening on a random loopback port) followed by Close.
func BenchmarkStart(b *testing.B) {
	opts := Options{Credentials: []Credential{{ID: testKeyID, Secret: testSecret}},
		Instances: []Instance{{Name: testInstance}, {Name: "second", Unlimited: true}}}
	for b.Loop() {
		srv, err := Start(opts)
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}

// BenchmarkNewPersistent100k measures New over a data directory of 100,000 images: loading the catalogue
// and rebuilding the search index, the start-up of a persistent store.
func BenchmarkNewPersistent100k(b *testing.B) {
	dir := b.TempDir()
	pics := []string{picB64(1), picB64(2), picB64(3), picB64(4)}
	err := SeedDataDir(dir, testInstance, pics, 100_000, func(i int) SeedImage {
		return SeedImage{ProductId: fmt.Sprintf("p%07d", i/4), PicName: fmt.Sprintf("n%07d", i), IntAttr: int32(i),
			StrAttr: fmt.Sprint("s", i%8), Picture: i}
	})
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{DataDir: dir, Credentials: []Credential{{ID: testKeyID, Secret: testSecret}},
		Instances: []Instance{{Name: testInstance, Unlimited: true}}}
	for b.Loop() {
		srv, err := New(opts)
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}
