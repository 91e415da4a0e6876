package emulator

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
)

// changes lists, for every variant, the probes (probes_test.go) whose observation it changes and what
// they then observe. A probe not listed must observe exactly what it observes on the default emulator,
// so each row pins the whole effect of its variant. Side effects are listed where one behaviour
// necessarily shows in another probe: a numeric Code garbles every error a probe classifies. The result
// mutants change search results only; CheckImageExists reads the image itself.
var changes = map[string]map[string]string{
	"unsent=reset":                   {"unsent": "0,,,7"},
	"empty-string=ignore":            {"empty-string": "s,c2"},
	"update-missing=success":         {"update-missing": "ok absent"},
	"length=utf16":                   {"length-unit": "astral=r accented=a"},
	"key-limit=512":                  {"key-limit": "p256=a p257=a p512=a p513=r n257=a n513=r"},
	"metadata-codes=generic":         {"metadata-codes": "BadRequest BadRequest BadRequest InvalidStrAttr"},
	"throttle-code=Throttling.User":  {"throttling": "admitted=20 last=400 Throttling.User value=20 detail=400 Throttling.User"},
	"throttle-code=Throttling.Api":   {"throttling": "admitted=20 last=400 Throttling.Api value=20 detail=400 Throttling.Api"},
	"throttle-code=Throttling":       {"throttling": "admitted=20 last=400 Throttling value=20 detail=400 Throttling"},
	"request-id=opaque":              {"request-id": "success=other error=other header=same"},
	"missing-param=generic":          {"missing-param": "400 MissingParameter", "update-picname": "400 MissingParameter a=0"},
	"throttle=fixed-window":          {"limiter": "second-burst=20"},
	"throttle=token-bucket":          {"limiter": "second-burst=10"},
	"latency=1ms-5ms":                {}, // nothing observable but time: see TestLatency
	"index-lag=300ms":                {"index-lag": "search=absent exists=yes later=found"},
	"head=documented":                {"head": "DocsFound=1 DocsReturn=2"},
	"extra-fields=on":                {"extra-fields": "success=yes error=yes"},
	"customcontent-limit-off-by-one": {"field-limits": "cc4096=a cc4097=a s3_128=a s3_129=r s_129=r int_max=a int_over=r"},
	"strattr3-limit-off-by-one":      {"field-limits": "cc4096=a cc4097=r s3_128=a s3_129=a s_129=r int_max=a int_over=r"},
	"key-over-512-accepted":          {"key-limit": "p256=a p257=a p512=a p513=a n257=a n513=a"},
	"length-in-bytes":                {"length-unit": "astral=r accented=r"},
	"intattr-wraps":                  {"field-limits": "cc4096=a cc4097=r s3_128=a s3_129=r s_129=r int_max=a int_over=a"},
	"add-keeps-old-attributes":       {"add-replace": "attrs=1 pic=new"},
	"add-first-write-wins":           {"add-replace": "attrs=1 pic=old"},
	"update-creates-missing":         {"update-missing": "ok "},
	"update-ignores-query-attrs": {"query-fields": "0,", "error-codes": "instance=400 InvalidInstance strattr4=400 PicNotExist",
		"field-limits": "cc4096=a cc4097=r s3_128=a s3_129=a s_129=r int_max=a int_over=r"},
	"update-picname-optional":  {"update-picname": "ok a=3"},
	"search-stale-attributes":  {"round-trip": "int=1 str=a filter=1"},
	"filter-ignores-update":    {"round-trip": "int=2 str=a filter=0"},
	"search-swaps-strattr2":    {"round-trip": "int=2 str=b filter=1"},
	"no-throttling":            {"throttling": "admitted=21 last=ok value=21 detail=ok", "limiter": "second-burst=20"},
	"throttled-update-applied": {"throttling": "admitted=20 last=403 DeniedRequest value=21 detail=400 DeniedRequest"},
	"denied-wrong-status":      {"throttling": "admitted=20 last=400 DeniedRequest value=20 detail=400 DeniedRequest"},
	"invalid-instance-404":     {"error-codes": "instance=404 InvalidInstance strattr4=400 InvalidStrAttr4"},
	"wrong-code-strattr4":      {"error-codes": "instance=400 InvalidInstance strattr4=400 InvalidStrAttr"},
	"missing-request-id":       {"error-body": "RequestId=no Code=string Message=yes", "request-id": "success=uuid error=none header=same"},
	"missing-message":          {"error-body": "RequestId=yes Code=string Message=no"},
	"numeric-error-code": {"error-body": "RequestId=yes Code=other Message=yes",
		"metadata-codes": "numeric:400 numeric:400 numeric:400 numeric:400",
		"missing-param":  "400 numeric:400", "update-picname": "400 numeric:400 a=0",
		"update-missing": "400 numeric:400 absent",
		"error-codes":    "instance=400 numeric:400 strattr4=400 numeric:400",
		"throttling":     "admitted=20 last=403 numeric:400 value=20 detail=400 numeric:400",
		// A numeric Code hides PicNotExist too, so the validation probes see every update refused.
		"length-unit":  "astral=r accented=r",
		"field-limits": "cc4096=r cc4097=r s3_128=r s3_129=r s_129=r int_max=r int_over=r"},
}

// unprobed are the variants the probe matrix cannot pin, with the test that covers each instead.
var unprobed = map[string]string{
	"transient-5xx=0.03": "TestTransient5xx: random by design, so it is tested at fractions 0, 0.5 and 1",
}

// probeEnv starts an emulator for one probe: the fake clock starts on a whole second, testInstance has
// its limits off and limitedInstance on.
func probeEnv(t *testing.T, readings, mutants []string) (*env, *fakeClock) {
	clock := newFakeClock()
	e := startEnv(t, Options{Now: clock.Now, Readings: readings, Mutants: mutants,
		Instances: []Instance{{Name: testInstance, Unlimited: true}, {Name: limitedInstance}}})
	return e, clock
}

// observe runs every probe on a fresh emulator each and returns their observations.
func observe(t *testing.T, readings, mutants []string) map[string]string {
	got := map[string]string{}
	for _, p := range probes {
		e, clock := probeEnv(t, readings, mutants)
		got[p.name] = p.run(e, clock)
	}
	return got
}

// TestDefaultBehaviour pins what every probe observes with no variant on: the expected readings.
func TestDefaultBehaviour(t *testing.T) {
	t.Parallel()
	got := observe(t, nil, nil)
	for _, p := range probes {
		if got[p.name] != p.want {
			t.Errorf("probe %s: %q, want %q", p.name, got[p.name], p.want)
		}
	}
}

// TestEachVariantChangesExactlyItsBehaviour switches on each variant alone and checks that the probes it
// is listed as changing observe the listed values and every other probe observes the default.
func TestEachVariantChangesExactlyItsBehaviour(t *testing.T) {
	for _, v := range Variants() {
		if _, skip := unprobed[v.Name]; skip {
			continue
		}
		want, listed := changes[v.Name]
		if !listed {
			t.Errorf("variant %s has no row in changes", v.Name)
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			var readings, mutants []string
			if v.Kind == KindMutant {
				mutants = []string{v.Name}
			} else {
				readings = []string{v.Name}
			}
			got := observe(t, readings, mutants)
			for _, p := range probes {
				expect, changed := want[p.name]
				if !changed {
					expect = p.want
				}
				if got[p.name] != expect {
					t.Errorf("probe %s: %q, want %q (changed by this variant: %v)", p.name, got[p.name], expect, changed)
				}
			}
		})
	}
	for name := range changes {
		if !slices.ContainsFunc(Variants(), func(v Variant) bool { return v.Name == name }) {
			t.Errorf("changes lists %s, which is no variant", name)
		}
	}
}

// TestVariantTable checks the table itself: kinds in order, areas and points from the contract, every
// open point read by a reading, unique names, and every variant accepted by New.
func TestVariantTable(t *testing.T) {
	areas := []string{contract.AreaLength, contract.AreaOverwrite, contract.AreaRoundTrip, contract.AreaThrottling, contract.AreaErrors}
	seen := map[string]bool{}
	points := map[string]bool{}
	lastKind := KindReading
	order := map[VariantKind]int{KindReading: 0, KindFreedom: 1, KindMutant: 2}
	for _, v := range Variants() {
		if seen[v.Name] {
			t.Errorf("variant %s listed twice", v.Name)
		}
		seen[v.Name] = true
		if order[v.Kind] < order[lastKind] {
			t.Errorf("variant %s (%s) after a %s: readings and freedoms come first, then mutants", v.Name, v.Kind, lastKind)
		}
		lastKind = v.Kind
		if !slices.Contains(areas, v.Area) || v.Ref == "" || !strings.HasPrefix(v.Ref, "§") || v.Description == "" {
			t.Errorf("variant %s: area %q, ref %q, description %q", v.Name, v.Area, v.Ref, v.Description)
		}
		switch v.Kind {
		case KindReading:
			p, ok := contract.PointByID(v.Point)
			if !ok {
				t.Errorf("reading %s: point %q is not in contract.OpenPoints", v.Name, v.Point)
			} else if p.Area != v.Area {
				t.Errorf("reading %s: area %s, its point's area %s", v.Name, v.Area, p.Area)
			}
			points[v.Point] = true
		case KindFreedom, KindMutant:
			if v.Point != "" {
				t.Errorf("%s %s names a point", v.Kind, v.Name)
			}
		default:
			t.Errorf("variant %s: kind %q", v.Name, v.Kind)
		}
		if strings.Contains(v.Name, "=") == (v.Kind == KindMutant) {
			t.Errorf("variant %s: readings and freedoms are name=value, mutants plain names", v.Name)
		}
		o := Options{Readings: []string{v.Name}}
		if v.Kind == KindMutant {
			o = Options{Mutants: []string{v.Name}}
		}
		srv, err := New(o)
		if err != nil {
			t.Errorf("variant %s refused: %v", v.Name, err)
			continue
		}
		if h := srv.health(); !slices.Equal(append(h.Readings, h.Mutants...), []string{v.Name}) || !slices.Equal(srv.Variants(), []string{v.Name}) {
			t.Errorf("variant %s: health lists readings %v, mutants %v; Variants %v", v.Name, h.Readings, h.Mutants, srv.Variants())
		}
		srv.Close()
	}
	for _, p := range contract.OpenPoints {
		if !points[p.ID] {
			t.Errorf("open point %s has no reading", p.ID)
		}
	}
	var mutants []string
	for _, v := range Variants() {
		if v.Kind == KindMutant {
			mutants = append(mutants, v.Name)
		}
	}
	slices.Sort(mutants)
	if !slices.Equal(MutantNames(), mutants) || len(Mutants) != len(mutants) {
		t.Errorf("MutantNames %v / Mutants %d differ from the mutant rows %v", MutantNames(), len(Mutants), mutants)
	}
	for _, removed := range []string{"throttle-wrong-status", "update-clears-unsent", "update-ignores-empty-strings", "key-limit-off-by-one"} {
		if seen[removed] {
			t.Errorf("%s is an allowed reading now, not a mutant", removed)
		}
	}
}

// TestVariantsDocumented checks that the README names every variant.
func TestVariantsDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if os.IsNotExist(err) {
		t.Skip("README.md does not exist")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Variants() {
		if !strings.Contains(string(readme), "`"+optionName(v.Name)) {
			t.Errorf("README.md does not mention variant %s", v.Name)
		}
	}
}
