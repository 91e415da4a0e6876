package emulator

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// hit is one decoded search result.
type hit struct {
	Product, Pic string
	Score        float64
	Category     string
}

// search runs action with the given parameters and returns the hits; it fails the test on an error.
func (e *env) search(action string, kv ...string) ([]hit, map[string]any) {
	e.t.Helper()
	f := form(append([]string{"InstanceName", testInstance}, kv...)...)
	r := e.v1(action, f, nil)
	wantOK(e.t, r)
	checkShape(e.t, action, r.M, searchShape)
	var out []hit
	for _, a := range r.M["Auctions"].([]any) {
		m := a.(map[string]any)
		s, _ := strconv.ParseFloat(num(m["Score"]), 64)
		out = append(out, hit{m["ProductId"].(string), m["PicName"].(string), s, num(m["CategoryId"])})
	}
	head := r.M["Head"].(map[string]any)
	// The observed Head (the default, see observedHead): DocsReturn is the page size.
	if num(head["DocsReturn"]) != strconv.Itoa(len(out)) {
		e.t.Errorf("Head.DocsReturn %s, %d auctions", num(head["DocsReturn"]), len(out))
	}
	return out, head
}

func names(hits []hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Product+"/"+h.Pic)
	}
	return out
}

// searchFixture adds 12 images: products P0..P3 with three pictures each, IntAttr = i, StrAttr
// "even"/"odd", CategoryId 3 for i ≤ 4 and 4 otherwise.
func searchFixture(t *testing.T) *env {
	e := startEnv(t, Options{})
	for i := 1; i <= 12; i++ {
		parity := map[bool]string{true: "even", false: "odd"}[i%2 == 0]
		cat := "4"
		if i <= 4 {
			cat = "3"
		}
		e.add(fmt.Sprintf("P%d", i%4), fmt.Sprintf("n%02d", i), int64(i),
			"IntAttr", strconv.Itoa(i), "StrAttr", parity, "CategoryId", cat)
	}
	return e
}

// TestSearchParameters checks the paging, threshold and category codes of both similarity searches
// (ref §1.6, §1.8, §5.1).
func TestSearchParameters(t *testing.T) {
	e := searchFixture(t)
	cases := []struct {
		kv   []string
		want contract.Error // zero: accepted
	}{
		{[]string{"Num", "0"}, contract.InvalidNumParameter},
		{[]string{"Num", "-1"}, contract.InvalidNumParameter},
		{[]string{"Num", "abc"}, contract.InvalidNumParameter},
		{[]string{"Num", ""}, contract.InvalidNumParameter},
		{[]string{"Num", "101"}, contract.OverflowMaxReturnNum},
		{[]string{"Num", "100"}, contract.Error{}},
		{[]string{"Start", "-1"}, contract.InvalidStartParameter},
		{[]string{"Start", "x"}, contract.InvalidStartParameter},
		{[]string{"Start", "490"}, contract.Error{}},
		{[]string{"Start", "491"}, contract.OverflowMaxResultNum},
		{[]string{"Start", "400", "Num", "100"}, contract.Error{}},
		{[]string{"Start", "401", "Num", "100"}, contract.OverflowMaxResultNum},
		{[]string{"Filter", "int_attr ~ 3"}, contract.InvalidFilterClause},
		{[]string{"Filter", "int_attr=" + repeat("1", contract.MaxFilter)}, contract.InvalidFilterClause},
		{[]string{"DistinctProductId", "maybe"}, contract.BadRequest},
		{[]string{"DistinctProductId", "TRUE"}, contract.BadRequest}, // the SDKs send exactly true/false (ref §1.3)
		{[]string{"DistinctProductId", "true"}, contract.Error{}},
		{[]string{"ScoreThreshold", "1.01"}, contract.BadRequest},
		{[]string{"ScoreThreshold", "-0.5"}, contract.BadRequest},
		{[]string{"ScoreThreshold", "abc"}, contract.BadRequest},
		{[]string{"ScoreThreshold", "1.00"}, contract.Error{}},
		{[]string{"ScoreThreshold", "0.5"}, contract.Error{}},
		{[]string{"ScoreThreshold", "0.555"}, contract.BadRequest}, // up to 2 decimals (ref §5.1)
		{[]string{"ScoreThreshold", "1e-1"}, contract.BadRequest},
		{[]string{"CategoryId", "10"}, contract.InvalidCategory},
		{[]string{"CategoryId", "-1"}, contract.InvalidCategory},
		{[]string{"CategoryId", "abc"}, contract.InvalidCategory},
		{[]string{"CategoryId", "88888888"}, contract.Error{}},
		{[]string{"CategoryId", "22"}, contract.Error{}},
	}
	ops := map[string][]string{
		contract.OpSearchImageByPic:  {"PicContent", picB64(1)},
		contract.OpSearchImageByName: {"ProductId", "P1", "PicName", "n01"},
	}
	for action, base := range ops {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/%v", action, tc.kv), func(t *testing.T) {
				e := e.in(t)
				f := form(append(append([]string{"InstanceName", testInstance}, base...), tc.kv...)...)
				r := e.v1(action, f, nil)
				if tc.want.Code == "" {
					wantOK(t, r)
					return
				}
				wantError(t, r, tc.want)
			})
		}
	}
}

// TestSearchPaging checks that pages are consecutive slices of one ranking and that, in the observed Head
// of the default behaviour, DocsReturn is the page size and DocsFound the total (ref §1.6, §9 #16).
func TestSearchPaging(t *testing.T) {
	e := searchFixture(t)
	all, head := e.search(contract.OpSearchImageByPic, "PicContent", picB64(5), "Num", "12")
	if len(all) != 12 || num(head["DocsFound"]) != "12" {
		t.Fatalf("full ranking: %d hits, head %v", len(all), head)
	}
	if all[0].Pic != "n05" || all[0].Score < 0.99 {
		t.Errorf("the query picture itself should rank first: %+v", all[0])
	}
	for i := 1; i < len(all); i++ {
		if all[i].Score > all[i-1].Score {
			t.Errorf("results not ordered by score: %+v", all)
		}
	}
	var paged []hit
	for start := 0; start < 12; start += 5 {
		page, head := e.search(contract.OpSearchImageByPic, "PicContent", picB64(5), "Num", "5", "Start", strconv.Itoa(start))
		if want := min(5, 12-start); len(page) != want || num(head["DocsFound"]) != "12" {
			t.Errorf("page at %d: %d hits, head %v", start, len(page), head)
		}
		paged = append(paged, page...)
	}
	if !slices.Equal(names(paged), names(all)) {
		t.Errorf("pages %v differ from the full ranking %v", names(paged), names(all))
	}
	if none, _ := e.search(contract.OpSearchImageByPic, "PicContent", picB64(5), "Start", "20"); len(none) != 0 {
		t.Errorf("a page past the end should be empty, got %v", names(none))
	}
	if def, _ := e.search(contract.OpSearchImageByPic, "PicContent", picB64(5)); len(def) != contract.DefaultNum {
		t.Errorf("default Num: %d hits, want %d", len(def), contract.DefaultNum)
	}
}

// TestSearchFilters checks Filter (ref §1.7), DistinctProductId, ScoreThreshold (ref §5.1) and CategoryId
// (ref §1.8) on SearchImageByPic and SearchImageByName.
func TestSearchFilters(t *testing.T) {
	e := searchFixture(t)
	for action, base := range map[string][]string{
		contract.OpSearchImageByPic:  {"PicContent", picB64(1)},
		contract.OpSearchImageByName: {"ProductId", "P1", "PicName", "n01"},
	} {
		t.Run(action, func(t *testing.T) {
			e := e.in(t)
			run := func(kv ...string) ([]hit, map[string]any) {
				return e.search(action, append(append([]string{"Num", "100"}, base...), kv...)...)
			}
			for _, tc := range []struct {
				filter string
				want   []string
			}{
				{"int_attr>=10", []string{"n10", "n11", "n12"}},
				{`str_attr="even" AND int_attr<5`, []string{"n02", "n04"}},
				{"int_attr in (1,3) OR int_attr=12", []string{"n01", "n03", "n12"}},
				{`str_attr!="odd" AND str_attr!="even"`, nil},
			} {
				hits, head := run("Filter", tc.filter)
				var got []string
				for _, h := range hits {
					got = append(got, h.Pic)
				}
				slices.Sort(got)
				if !slices.Equal(got, tc.want) || num(head["DocsFound"]) != strconv.Itoa(len(tc.want)) {
					t.Errorf("Filter %s: got %v (head %v), want %v", tc.filter, got, head, tc.want)
				}
			}

			hits, _ := run("DistinctProductId", "true")
			seen := map[string]bool{}
			for _, h := range hits {
				if seen[h.Product] {
					t.Errorf("DistinctProductId returned %s twice: %v", h.Product, names(hits))
				}
				seen[h.Product] = true
			}
			if len(hits) != 4 {
				t.Errorf("DistinctProductId: %d hits, want one per product (4)", len(hits))
			}

			hits, _ = run("ScoreThreshold", "0.99")
			if len(hits) == 0 || len(hits) == 12 {
				t.Errorf("ScoreThreshold 0.99 kept %d of 12", len(hits))
			}
			for _, h := range hits {
				if h.Score < 0.99 {
					t.Errorf("ScoreThreshold 0.99 returned score %v", h.Score)
				}
			}

			hits, head := run("CategoryId", "3")
			if len(hits) != 4 || num(head["DocsFound"]) != "4" {
				t.Errorf("CategoryId 3: %v", names(hits))
			}
			for _, h := range hits {
				if h.Category != "3" {
					t.Errorf("CategoryId 3 returned category %s", h.Category)
				}
			}
		})
	}
}

// TestSearchErrors checks the per-operation errors of the searches (ref §5.1, §5.2).
func TestSearchErrors(t *testing.T) {
	e := searchFixture(t)
	r := e.v1(contract.OpSearchImageByName, form("InstanceName", testInstance, "ProductId", "P1", "PicName", "missing"), nil)
	wantError(t, r, contract.PicNotExist)
	r = e.v1(contract.OpSearchImageByPic, form("InstanceName", testInstance, "PicContent", ""), nil)
	wantError(t, r, contract.NoSpecifiedPicContent)
	r = e.v1(contract.OpSearchImageByName, form("InstanceName", testInstance, "ProductId", "", "PicName", "n01"), nil)
	wantError(t, r, contract.NoSpecifiedProductId)
}

// TestCategoryOnAdd checks that AddImage takes any int32 CategoryId (no enum in its metadata, ref §1.8)
// and reports it in PicInfo, and that an omitted one is predicted as a documented category.
func TestCategoryOnAdd(t *testing.T) {
	e := startEnv(t, Options{})
	r := e.v1(contract.OpAddImage, addForm("P", "a", 1, "CategoryId", "12345"), nil)
	wantOK(t, r)
	if got := num(r.M["PicInfo"].(map[string]any)["CategoryId"]); got != "12345" {
		t.Errorf("PicInfo.CategoryId %s, want 12345", got)
	}
	wantError(t, e.v1(contract.OpAddImage, addForm("P", "a", 1, "CategoryId", "x"), nil), contract.InvalidCategory)
	r = e.v1(contract.OpAddImage, addForm("P", "b", 2), nil)
	wantOK(t, r)
	got := num(r.M["PicInfo"].(map[string]any)["CategoryId"])
	if !slices.ContainsFunc(contract.Categories, func(c int32) bool { return strconv.Itoa(int(c)) == got }) {
		t.Errorf("predicted CategoryId %s is not a documented category", got)
	}
}

// TestCheckImageExists checks both answers (ref §5.5): the stored attributes when the image exists,
// Exists false and an empty Auctions object when it does not.
func TestCheckImageExists(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1, append([]string{"CategoryId", "5"}, allAttrs...)...)
	r := e.v1(contract.OpCheckImageExists, form("InstanceName", testInstance, "ProductId", "P", "PicName", "n"), nil)
	wantOK(t, r)
	checkShape(t, "exists", r.M, existsShape)
	if r.M["Exists"] != true || r.str("Msg") != "success" || num(r.M["Code"]) != "0" {
		t.Errorf("CheckImageExists: %s", r.Body)
	}
	wantAttrs(t, r.M["Auctions"].(map[string]any), append([]string{"ProductId", "P", "PicName", "n", "CategoryId", "5"}, allAttrs...)...)

	r = e.v1(contract.OpCheckImageExists, form("InstanceName", testInstance, "ProductId", "P", "PicName", "other"), nil)
	wantOK(t, r)
	checkShape(t, "missing", r.M, missingShape)
	if r.M["Exists"] != false {
		t.Errorf("CheckImageExists of a missing image: %s", r.Body)
	}
	r = e.v1(contract.OpCheckImageExists, form("InstanceName", testInstance, "ProductId", "P", "PicName", ""), nil)
	wantError(t, r, contract.NoSpecifiedPicName)
}

// TestDetail checks Detail's counts and units (ref §6.1): Capacity in units of 10,000 images, Qps the
// search QPS, TotalCount the image count, timestamps as strings of epoch milliseconds.
func TestDetail(t *testing.T) {
	clock := newFakeClock()
	e := startEnv(t, Options{Now: clock.Now, Instances: []Instance{
		{Name: testInstance, Unlimited: true},
		{Name: "small", Capacity: 100_000, SearchQPS: 10, Region: "cn-shanghai"},
	}})
	started := clock.Now()
	clock.Advance(3 * time.Second)
	e.add("P", "a", 1)
	e.add("P", "b", 2)
	for _, tc := range []struct {
		name, region, capacity, qps, total string
	}{
		{testInstance, "ap-southeast-1", "250", "5", "2"},
		{"small", "cn-shanghai", "10", "10", "0"},
	} {
		r := e.v1(contract.OpDetail, form("InstanceName", tc.name), nil)
		wantOK(t, r)
		checkShape(t, "Detail", r.M, detailShape)
		in := r.M["Instance"].(map[string]any)
		wantAttrs(t, in, "Name", tc.name, "Region", tc.region, "Capacity", tc.capacity, "Qps", tc.qps,
			"TotalCount", tc.total, "ServiceType", "0", "UtcCreate", strconv.FormatInt(started.UnixMilli(), 10))
		created, _ := strconv.ParseInt(in["UtcCreate"].(string), 10, 64)
		expires, _ := strconv.ParseInt(in["UtcExpireTime"].(string), 10, 64)
		if expires <= created {
			t.Errorf("UtcExpireTime %d not after UtcCreate %d", expires, created)
		}
	}
}
