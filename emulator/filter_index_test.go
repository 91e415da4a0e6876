package emulator

import (
	"slices"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
)

// filteredPics returns the sorted PicNames a SearchImageByPic with filter finds.
func filteredPics(e *env, filter string) []string {
	e.t.Helper()
	hits, _ := e.search(contract.OpSearchImageByPic, "PicContent", picB64(1), "Num", "100", "Filter", filter)
	var got []string
	for _, h := range hits {
		got = append(got, h.Pic)
	}
	slices.Sort(got)
	return got
}

// TestFilterSeesUpdatesAndRestarts checks that the attributes the index filters on follow UpdateImage
// (ref §2.3) and DeleteImage (ref §4) at once, and are rebuilt from a data directory on restart.
func TestFilterSeesUpdatesAndRestarts(t *testing.T) {
	opts := Options{DataDir: t.TempDir(), Instances: []Instance{{Name: testInstance, Unlimited: true}}}
	e := startEnv(t, opts)
	e.add("P", "a", 1, "IntAttr", "1", "StrAttr", "old")
	e.add("P", "b", 2, "IntAttr", "2", "StrAttr", "old", "CategoryId", "3")
	e.add("Q", "c", 3, "IntAttr", "3", "StrAttr", "old")
	wantOK(t, e.update("P", "a", "StrAttr", "new", "IntAttr", "50"))
	wantOK(t, e.v1(contract.OpDeleteImage, form("InstanceName", testInstance, "ProductId", "Q"), nil))
	check := func(when string) {
		for filter, want := range map[string][]string{
			`str_attr="new"`: {"a"}, `str_attr="old"`: {"b"}, "int_attr=50": {"a"}, "int_attr=1": nil,
			"int_attr>=3": {"a"}, `str_attr!="new" AND int_attr<10`: {"b"},
		} {
			if got := filteredPics(e, filter); !slices.Equal(got, want) {
				t.Errorf("%s: Filter %s found %v, want %v", when, filter, got, want)
			}
		}
		hits, _ := e.search(contract.OpSearchImageByPic, "PicContent", picB64(1), "CategoryId", "3", "Filter", `str_attr="old"`)
		if len(hits) != 1 || hits[0].Pic != "b" {
			t.Errorf("%s: CategoryId 3 with a Filter found %v", when, names(hits))
		}
	}
	check("after the writes")
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e = startEnv(t, opts)
	check("after a restart")
}
