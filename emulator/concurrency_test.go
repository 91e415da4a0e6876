package emulator

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// TestConcurrentWriters runs 16 goroutines of AddImage, UpdateImage, DeleteImage, searches and
// CheckImageExists on 8 overlapping keys of an Unlimited instance, then checks that catalogue, index and
// API agree and that no write was torn: every write sets IntAttr and StrAttr to the same value, so a
// surviving image must show a matching pair.
func TestConcurrentWriters(t *testing.T) {
	e := startEnv(t, Options{})
	const workers, keys = 16, 8
	ops := 40
	if testing.Short() {
		ops = 10
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range ops {
				k := rng.IntN(keys)
				product, pic := fmt.Sprintf("P%d", k%3), fmt.Sprintf("k%d", k)
				v := strconv.Itoa(w*1000 + i)
				var r reply
				switch op := rng.IntN(10); {
				case op < 3:
					r = e.v1(contract.OpAddImage, addForm(product, pic, int64(k%4+1), "IntAttr", v, "StrAttr", v), nil)
				case op < 6:
					r = e.update(product, pic, "IntAttr", v, "StrAttr", v)
				case op < 7:
					r = e.v1(contract.OpDeleteImage, form("InstanceName", testInstance, "ProductId", product, "PicName", pic), nil)
				case op < 8:
					r = e.v1(contract.OpSearchImageByPic, form("InstanceName", testInstance, "PicContent", picB64(int64(k%4+1)),
						"Filter", "int_attr>=0", "Num", "20"), nil)
				case op < 9:
					r = e.v1(contract.OpSearchImageByName, form("InstanceName", testInstance, "ProductId", product, "PicName", pic), nil)
				default:
					r = e.v1(contract.OpCheckImageExists, form("InstanceName", testInstance, "ProductId", product, "PicName", pic), nil)
				}
				// A missing image is a legitimate outcome of the races; anything else must succeed.
				if r.Status != 200 && r.str("Code") != contract.PicNotExist.Code {
					t.Errorf("worker %d: %d %s", w, r.Status, r.Body)
					return
				}
			}
		})
	}
	wg.Wait()

	in := e.srv.instances[testInstance]
	count := e.srv.catalog.Count(testInstance)
	if n := in.index().Len(); n != count {
		t.Errorf("index holds %d images, catalogue %d", n, count)
	}
	present := 0
	for k := range keys {
		product, pic := fmt.Sprintf("P%d", k%3), fmt.Sprintf("k%d", k)
		ok, a := e.exists(product, pic)
		if _, inCatalog := e.srv.catalog.Get(testInstance, store.Key{ProductId: product, PicName: pic}); ok != inCatalog {
			t.Errorf("%s/%s: CheckImageExists %v, catalogue %v", product, pic, ok, inCatalog)
		}
		if !ok {
			continue
		}
		present++
		if num(a["IntAttr"]) != a["StrAttr"] {
			t.Errorf("%s/%s: torn write, IntAttr %s StrAttr %v", product, pic, num(a["IntAttr"]), a["StrAttr"])
		}
	}
	if present != count {
		t.Errorf("%d images answer CheckImageExists, catalogue counts %d", present, count)
	}
	hits, head := e.search(contract.OpSearchImageByPic, "PicContent", picB64(1), "Num", "100")
	if len(hits) != count || num(head["DocsReturn"]) != strconv.Itoa(count) {
		t.Errorf("search sees %d images (DocsReturn %s), catalogue %d", len(hits), num(head["DocsReturn"]), count)
	}
}
