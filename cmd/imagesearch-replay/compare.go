package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// rule is one comparison rule; every difference names the rule it broke.
type rule struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// rules lists every rule, in the order the report shows them. What legitimately varies between two runs
// (RequestIds, scores, timings, throttling that follows the replay's own pace) is compared by a rule of
// its own, not ignored.
var rules = []rule{
	{"status", "the HTTP status is equal"},
	{"content-type", "the media type of Content-Type is equal"},
	{"code", "the body's Code is equal (integer 0 on success, a string code on errors; a Code of another JSON type breaks shape)"},
	{"message", "the body's Message (Msg for searches and CheckImageExists) is equal"},
	{"shape", "the body's key set and the JSON type of every value are equal, recursively; arrays compare the set of their elements' shapes"},
	{"attributes", "CustomContent, IntAttr..IntAttr4, StrAttr..StrAttr4 and CategoryId of every returned image (search Auctions matched by key, CheckImageExists Auctions) are equal"},
	{"result-keys", "the set of ProductId/PicName keys a search returned is equal (their order, the ranking, is a freedom); CheckImageExists returns the same key"},
	{"request-id", "RequestId (body and x-acs-request-id header) is a non-empty string on both sides, of the same form: upper-case UUID or other"},
	{"score", "Score is a number in [0, 1] on both sides; SortExprValues is \"<number>;<number>\" on both sides"},
	{"head", "Head's SearchTime, DocsFound and DocsReturn are non-negative integers on both sides, and DocsFound compares with DocsReturn the same way (>, = or <)"},
	{"host-id", "HostId (error bodies) is a non-empty string on both sides: it names the endpoint, which every run has its own of"},
	{"timing", "UtcCreate and UtcExpireTime (instance timestamps) and elapsed times: ignored beyond their JSON type"},
	{"value", "every other value is equal; arrays of scalars (e.g. deleted PicNames) as multisets"},
	{"truncated", "a string the recording replaced by its marker (bodies over 64 KiB) has the same length and SHA-256"},
	{"text-body", "a body that is not JSON has the same text (as far as the recording kept it)"},
	{"pace", "a throttling answer on one side and success on the other, on a call whose instance keeps QPS limits or of a throttling spec, follows the replay's own pace: counted, not a difference; so is a later difference on a product such a write changed"},
	{"throttle-volume", "per spec and operation, the throttling answers of paced calls differ by more than max(2, 10 % of those calls): the pace does not explain that"},
}

// diff is one broken rule.
type diff struct {
	Rule     string `json:"rule"`
	Path     string `json:"path"`
	Recorded string `json:"recorded"`
	Replayed string `json:"replayed"`
	tainted  bool   // on a product a pace difference changed: counted as pace
}

// attributeKeys are the stored attributes of a returned image (rule "attributes").
var attributeKeys = []string{"CustomContent", "IntAttr", "IntAttr2", "IntAttr3", "IntAttr4",
	"StrAttr", "StrAttr2", "StrAttr3", "StrAttr4", "CategoryId"}

var sortExpr = regexp.MustCompile(`^-?[0-9.eE+-]+;-?[0-9.eE+-]+$`)

// differ walks two answers and collects differences.
type differ struct {
	diffs   []diff
	tainted func(productID string) bool
	taint   bool // the current part concerns a product a pace difference changed
}

func (d *differ) add(rule, path string, rec, rep any) {
	d.diffs = append(d.diffs, diff{Rule: rule, Path: path, Recorded: show(rec), Replayed: show(rep),
		tainted: d.taint && !stateless[rule]})
}

// stateless are the rules whose outcome does not depend on the stored images: a pace difference earlier
// on the same product cannot explain breaking them.
var stateless = map[string]bool{"request-id": true, "score": true, "content-type": true, "host-id": true}

// compareAnswers applies every rule to a recorded call's answer and the replay's.
func compareAnswers(c *harness.RecordedCall, rep answer, tainted func(string) bool) []diff {
	d := &differ{tainted: tainted}
	if pid, ok := c.Params.Form["ProductId"]; ok && tainted(pid.Text) {
		d.taint = true
	}
	if c.Status != rep.Status {
		d.add("status", "HTTP status", c.Status, rep.Status)
	}
	if a, b := mediaType(c.Headers["Content-Type"]), mediaType(rep.Headers["Content-Type"]); a != b {
		d.add("content-type", "header Content-Type", a, b)
	}
	a, b := c.Headers["x-acs-request-id"], rep.Headers["x-acs-request-id"]
	if (a == "") != (b == "") || harness.IsUUIDRequestID(a) != harness.IsUUIDRequestID(b) {
		d.add("request-id", "header x-acs-request-id", a, b)
	}
	switch {
	case c.Body == nil && rep.Body == nil:
		want, got := c.BodyText, rep.BodyText
		if c.Truncated && len(got) > len(want) {
			got = got[:len(want)]
		}
		if want != got {
			d.add("text-body", "body", want, got)
		}
	case c.Body == nil || rep.Body == nil:
		d.add("shape", "body", kindOfBody(c.Body), kindOfBody(rep.Body))
	default:
		rv, err1 := decode(c.Body)
		pv, err2 := decode(rep.Body)
		if err1 != nil || err2 != nil {
			d.add("shape", "body", fmt.Sprint(err1), fmt.Sprint(err2))
			break
		}
		d.value("", rv, pv)
	}
	return d.diffs
}

// value compares two JSON values at path.
func (d *differ) value(path string, rec, rep any) {
	if jsonType(rec) != jsonType(rep) {
		d.add("shape", path, jsonType(rec), jsonType(rep))
		return
	}
	switch r := rec.(type) {
	case map[string]any:
		d.object(path, r, rep.(map[string]any))
	case []any:
		d.array(path, r, rep.([]any))
	default:
		d.scalar("value", path, rec, rep)
	}
}

// scalar compares two scalars of the same JSON type under rule; a truncated recorded string compares by
// its marker.
func (d *differ) scalar(rule, path string, rec, rep any) {
	if jsonType(rec) != jsonType(rep) {
		d.add("shape", path, jsonType(rec), jsonType(rep))
		return
	}
	if s, ok := rec.(string); ok && harness.IsTruncatedString(s) {
		if got, _ := rep.(string); harness.TruncatedString(got) != s {
			d.add("truncated", path, s, harness.TruncatedString(got))
		}
		return
	}
	if fmt.Sprint(rec) != fmt.Sprint(rep) {
		d.add(rule, path, rec, rep)
	}
}

// object compares key sets, then every common key by its rule.
func (d *differ) object(path string, rec, rep map[string]any) {
	d.keySets(path, rec, rep)
	for _, k := range sortedKeys(rec) {
		pv, ok := rep[k]
		if !ok {
			continue
		}
		p := join(path, k)
		rv := rec[k]
		switch {
		case k == "RequestId":
			d.requestID(p, rv, pv)
		case k == "Score":
			d.score(p, rv, pv)
		case k == "SortExprValues":
			if !sortExprForm(rv) || !sortExprForm(pv) {
				d.add("score", p, rv, pv)
			}
		case k == "HostId":
			if a, _ := rv.(string); a == "" {
				d.add("host-id", p, rv, pv)
			} else if b, _ := pv.(string); b == "" {
				d.add("host-id", p, rv, pv)
			}
		case k == "UtcCreate" || k == "UtcExpireTime":
			if jsonType(rv) != jsonType(pv) {
				d.add("shape", p, jsonType(rv), jsonType(pv))
			}
		case k == "Head":
			d.head(p, rv, pv)
		case k == "Auctions":
			d.auctions(p, rv, pv)
		case path == "" && k == "Code":
			d.scalar("code", p, rv, pv)
		case path == "" && (k == "Message" || k == "Msg"):
			d.scalar("message", p, rv, pv)
		default:
			d.value(p, rv, pv)
		}
	}
}

// keySets reports keys on one side only (rule shape).
func (d *differ) keySets(path string, rec, rep map[string]any) {
	var only, extra []string
	for k := range rec {
		if _, ok := rep[k]; !ok {
			only = append(only, k)
		}
	}
	for k := range rep {
		if _, ok := rec[k]; !ok {
			extra = append(extra, k)
		}
	}
	if len(only)+len(extra) > 0 {
		sort.Strings(only)
		sort.Strings(extra)
		d.add("shape", join(path, "{keys}"), "only recorded: "+strings.Join(only, ","), "only replayed: "+strings.Join(extra, ","))
	}
}

// array compares the sets of element shapes, then the values: scalars as multisets, objects in order.
func (d *differ) array(path string, rec, rep []any) {
	if a, b := elementShapes(rec), elementShapes(rep); a != b && len(rec) > 0 && len(rep) > 0 {
		d.add("shape", path+"[]", a, b)
		return
	}
	if len(rec) != len(rep) {
		d.add("value", path+"[]", fmt.Sprintf("%d elements", len(rec)), fmt.Sprintf("%d elements", len(rep)))
		return
	}
	if allScalars(rec) && allScalars(rep) {
		a, b := sortedShows(rec), sortedShows(rep)
		if !slices.Equal(a, b) {
			d.add("value", path+"[]", a, b)
		}
		return
	}
	for i := range rec {
		d.value(fmt.Sprintf("%s[%d]", path, i), rec[i], rep[i])
	}
}

// requestID checks both RequestIds by rule: non-empty strings of the same form.
func (d *differ) requestID(path string, rec, rep any) {
	a, okA := rec.(string)
	b, okB := rep.(string)
	if !okA || !okB || a == "" || b == "" || harness.IsUUIDRequestID(a) != harness.IsUUIDRequestID(b) {
		d.add("request-id", path, rec, rep)
	}
}

// score checks both scores by rule: numbers in [0, 1].
func (d *differ) score(path string, rec, rep any) {
	if !unitNumber(rec) || !unitNumber(rep) {
		d.add("score", path, rec, rep)
	}
}

// objects asserts both sides are JSON objects and compares their key sets; a side that is not an object is
// reported as a shape difference and ok is false.
func (d *differ) objects(path string, rec, rep any) (r, p map[string]any, ok bool) {
	r, okA := rec.(map[string]any)
	p, okB := rep.(map[string]any)
	if !okA || !okB {
		d.add("shape", path, jsonType(rec), jsonType(rep))
		return nil, nil, false
	}
	d.keySets(path, r, p)
	return r, p, true
}

// head checks the search counters by rule: non-negative integers, DocsFound and DocsReturn ordered alike.
func (d *differ) head(path string, rec, rep any) {
	r, p, ok := d.objects(path, rec, rep)
	if !ok {
		return
	}
	for _, k := range sortedKeys(r) {
		if _, ok := p[k]; !ok {
			continue
		}
		switch k {
		case "SearchTime", "DocsFound", "DocsReturn":
			if !nonNegativeInt(r[k]) || !nonNegativeInt(p[k]) {
				d.add("head", join(path, k), r[k], p[k])
			}
		default:
			d.value(join(path, k), r[k], p[k])
		}
	}
	if a, b := order(r["DocsFound"], r["DocsReturn"]), order(p["DocsFound"], p["DocsReturn"]); a != b {
		d.add("head", join(path, "DocsFound vs DocsReturn"), a, b)
	}
}

// auctions compares returned images: a search's array by key (rule result-keys) and then entry by entry,
// CheckImageExists' single object directly.
func (d *differ) auctions(path string, rec, rep any) {
	if r, ok := rec.(map[string]any); ok {
		p, ok := rep.(map[string]any)
		if !ok {
			d.add("shape", path, jsonType(rec), jsonType(rep))
			return
		}
		d.withProduct(r, func() { d.auction(path, r, p, true) })
		return
	}
	r, okA := rec.([]any)
	p, okB := rep.([]any)
	if !okA || !okB {
		d.value(path, rec, rep)
		return
	}
	if a, b := elementShapes(r), elementShapes(p); a != b && len(r) > 0 && len(p) > 0 {
		d.add("shape", path+"[]", a, b)
	}
	recByKey, repByKey := byKey(r), byKey(p)
	for _, k := range sortedKeys(recByKey) {
		entry := recByKey[k]
		if other, ok := repByKey[k]; ok {
			d.withProduct(entry, func() { d.auction(path+"["+k+"]", entry, other, false) })
			continue
		}
		d.withProduct(entry, func() { d.add("result-keys", path, "returned "+k, "not returned") })
	}
	for _, k := range sortedKeys(repByKey) {
		if _, ok := recByKey[k]; !ok {
			d.withProduct(repByKey[k], func() { d.add("result-keys", path, "not returned", "returned "+k) })
		}
	}
}

// withProduct runs f with the taint of the entry's product.
func (d *differ) withProduct(entry any, f func()) {
	saved := d.taint
	if m, ok := entry.(map[string]any); ok {
		if pid, _ := m["ProductId"].(string); pid != "" && d.tainted(pid) {
			d.taint = true
		}
	}
	f()
	d.taint = saved
}

// auction compares one returned image; withKey compares its key too (CheckImageExists).
func (d *differ) auction(path string, rec, rep any, withKey bool) {
	r, p, ok := d.objects(path, rec, rep)
	if !ok {
		return
	}
	for _, k := range sortedKeys(r) {
		pv, ok := p[k]
		if !ok {
			continue
		}
		switch {
		case slices.Contains(attributeKeys, k):
			d.scalar("attributes", join(path, k), r[k], pv)
		case k == "ProductId" || k == "PicName":
			if withKey {
				d.scalar("result-keys", join(path, k), r[k], pv)
			}
		case k == "Score":
			d.score(join(path, k), r[k], pv)
		case k == "SortExprValues":
			if !sortExprForm(r[k]) || !sortExprForm(pv) {
				d.add("score", join(path, k), r[k], pv)
			}
		default:
			d.value(join(path, k), r[k], pv)
		}
	}
}

// decode reads JSON keeping numbers as written.
func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	return v, dec.Decode(&v)
}

func mediaType(v string) string {
	if v == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(v)
	if err != nil {
		return v
	}
	return mt
}
