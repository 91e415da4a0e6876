package index

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
)

// perScene is how many of the query transforms each scene gets, rotating
// through the list so every transform is used equally; all five on every
// scene would take several times the test's time budget.
const perScene = 2

// sceneResult is what one worker produces per scene: the indexed descriptor
// and the query descriptors, by index in queryTransforms.
type sceneResult struct {
	indexed imaging.Descriptor
	queries map[int]imaging.Descriptor
}

// inspect runs the emulator's path: Base64 PicContent, Crop on (the default
// of AddImage and SearchImageByPic, ref §3, §5.1).
func inspect(t testing.TB, data []byte) imaging.Descriptor {
	p, err := imaging.Inspect(b64(data), imaging.Options{Crop: true})
	if err != nil {
		t.Error(err)
		return imaging.Descriptor{}
	}
	return p.Descriptor
}

func buildScene(t testing.TB, i int) sceneResult {
	r := rand.New(rand.NewPCG(uint64(i), 99))
	m := newScene(uint64(i)).render(320+r.IntN(481), 320+r.IntN(481))
	stored := encJPEG(t, m, 90) // what AddImage received
	res := sceneResult{indexed: inspect(t, stored), queries: map[int]imaging.Descriptor{}}
	for k := range perScene {
		ti := (i + k) % len(queryTransforms)
		res.queries[ti] = inspect(t, queryTransforms[ti].encode(t, m))
	}
	return res
}

// TestAccuracy indexes synthetic scenes (plus small-render distractors, so the
// two-stage path runs) and queries them with re-encodes built from the
// pristine originals.
func TestAccuracy(t *testing.T) {
	scenes, distractors := 200, 1500
	switch {
	case raceEnabled:
		scenes, distractors = 12, 1100
	case testing.Short():
		scenes, distractors = 40, 1100
	}
	results := make([]sceneResult, scenes)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				results[i] = buildScene(t, i)
			}
		})
	}
	for i := range scenes {
		next <- i
	}
	close(next)
	wg.Wait()

	x := New()
	for i, d := range baseDescriptors(distractors) {
		x.Put(mk("distractor", fmt.Sprint(i)), d, Attrs{})
	}
	for i, res := range results {
		x.Put(key(i), res.indexed, Attrs{})
	}

	// Identical bytes: Inspect is deterministic (tested in imaging), so the
	// indexed descriptor is exactly what the same upload would produce.
	for i, res := range results {
		hits, _ := x.Search(res.indexed, Selection{}, 1)
		if len(hits) == 0 || hits[0].Key != key(i) || hits[0].Score != 1 {
			t.Errorf("scene %d: identical bytes gave %v, want %v with score 1", i, hits, key(i))
		}
	}
	asked, missed := make([]int, len(queryTransforms)), make([]int, len(queryTransforms))
	for i, res := range results {
		for ti, q := range res.queries {
			asked[ti]++
			if hits, _ := x.Search(q, Selection{}, 1); len(hits) == 0 || hits[0].Key != key(i) {
				missed[ti]++
			}
		}
	}
	queries, totalMisses := 0, 0
	for ti, tr := range queryTransforms {
		queries += asked[ti]
		totalMisses += missed[ti]
		t.Logf("%-10s top-1 %5.1f%% (%d/%d)", tr.name,
			100*float64(asked[ti]-missed[ti])/float64(asked[ti]), asked[ti]-missed[ti], asked[ti])
	}
	rate := float64(queries-totalMisses) / float64(queries)
	t.Logf("all transforms: top-1 %.1f%% over %d queries, %d indexed images", 100*rate, queries, x.Len())
	if rate < 0.95 {
		t.Fatalf("top-1 rate %.3f, want ≥ 0.95", rate)
	}
}
