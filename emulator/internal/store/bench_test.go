package store

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

// benchRecord is the sizing case of the brief: short keys, empty strings, a 400-byte descriptor.
func benchRecord(i int) Record {
	return Record{
		ProductId: fmt.Sprintf("p%07d", i),
		PicName:   "1.jpg",
		Desc:      descFor(i, 400),
		Added:     time.Unix(1_700_000_000, 0),
	}
}

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func TestMemoryPerRecord(t *testing.T) {
	const n = 20_000
	before := heapInUse()
	c := OpenMemory()
	for i := range n {
		mustPut(t, c, "i", benchRecord(i))
	}
	perRecord := float64(heapInUse()-before) / n
	runtime.KeepAlive(c)
	t.Logf("%.0f bytes per record (400-byte Desc, %d records)", perRecord, n)
	if perRecord > 800 {
		t.Fatalf("%.0f bytes per record, target <= 800", perRecord)
	}
}

func BenchmarkPutDurable(b *testing.B) {
	c := openDir(b, b.TempDir())
	b.ResetTimer()
	for i := range b.N {
		if _, err := c.Put("i", benchRecord(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutMemory(b *testing.B) {
	c := OpenMemory()
	for i := range b.N {
		// Spread keys so inserts land all over the table, not only at its end.
		if _, err := c.Put("i", benchRecord(int(uint32(i)*2654435761))); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSize is the catalogue size of the load, scan and get benchmarks.
const benchSize = 100_000

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchData returns a directory holding benchSize records, written once per test binary in batches (a
// durable Put per record would take minutes).
func benchData(b *testing.B) string {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "store-bench-")
		if benchErr != nil {
			return
		}
		c, err := Open(benchDir)
		if benchErr = err; err != nil {
			return
		}
		defer c.Close()
		for start := 0; start < benchSize && benchErr == nil; start += 1000 {
			batch := make([]*Record, 0, 1000)
			for i := start; i < start+1000; i++ {
				batch = append(batch, normalized(benchRecord(i)))
			}
			benchErr = c.disk.write("i", batch, nil, false)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir
}

func cleanupBenchData() {
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
}

func BenchmarkOpenLoad100k(b *testing.B) {
	dir := benchData(b)
	var perRecord float64
	b.ResetTimer()
	for range b.N {
		before := heapInUse()
		c, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		perRecord = float64(heapInUse()-before) / float64(c.Count("i"))
		if c.Count("i") != benchSize {
			b.Fatalf("loaded %d records", c.Count("i"))
		}
		c.Close()
	}
	b.ReportMetric(perRecord, "heap-bytes/record")
}

// loaded opens the benchmark catalogue and closes it when the benchmark ends.
func loaded(b *testing.B) *Catalog {
	c := openDir(b, benchData(b))
	b.ResetTimer()
	return c
}

func BenchmarkScan100k(b *testing.B) {
	c := loaded(b)
	for range b.N {
		n := 0
		c.Scan("i", func(r Record) bool { n += len(r.Desc); return true })
		if n != benchSize*400 {
			b.Fatalf("scanned %d descriptor bytes", n)
		}
	}
}

func BenchmarkGet100k(b *testing.B) {
	keys := make([]Key, benchSize)
	for i := range keys {
		keys[i] = Key{ProductId: fmt.Sprintf("p%07d", i), PicName: "1.jpg"}
	}
	c := loaded(b)
	for i := range b.N {
		if _, ok := c.Get("i", keys[(i*7919)%benchSize]); !ok {
			b.Fatal("missing record")
		}
	}
}
