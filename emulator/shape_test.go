package emulator

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// A shape describes a JSON value: a kind name ("string", "int", "float", "bool", "uuid", "digits"), a
// map (an object with exactly these keys) or a one-element slice (an array whose elements all have
// that shape). Integers must be written without a fraction or exponent: a success Code is an integer
// (ref §1.4), and the SDK models use int32/int64 fields.
type shape = any

var (
	intPattern    = regexp.MustCompile(`^-?[0-9]+$`)
	digitsPattern = regexp.MustCompile(`^[0-9]+$`)
)

// Shapes of the documented bodies.
var (
	// errorShape is the flat error envelope; Code is a string there (ref §1.4).
	errorShape = map[string]shape{"RequestId": "uuid", "HostId": "string", "Code": "string", "Message": "string"}
	// writeShape is UpdateImage's body (ref §2.2).
	writeShape   = map[string]shape{"RequestId": "uuid", "Code": "int", "Message": "string", "Success": "bool"}
	picInfoShape = map[string]shape{"CategoryId": "int", "Region": "string",
		"MultiRegion":   []shape{map[string]shape{"Region": "string"}},
		"AllCategories": []shape{map[string]shape{"Id": "int", "Name": "string"}}}
	addShape    = with(writeShape, "PicInfo", picInfoShape)
	deleteShape = with(writeShape, "Data", map[string]shape{"PicNames": []shape{"string"}})
	// auctionShape is one search result: every attribute key is present (ref §5.1).
	auctionShape = map[string]shape{"ProductId": "string", "PicName": "string", "CategoryId": "int",
		"CustomContent": "string", "Score": "float", "SortExprValues": "string",
		"IntAttr": "int", "IntAttr2": "int", "IntAttr3": "int", "IntAttr4": "int",
		"StrAttr": "string", "StrAttr2": "string", "StrAttr3": "string", "StrAttr4": "string"}
	// searchShape uses Msg, not Message (ref §1.4, §5.1).
	searchShape = map[string]shape{"RequestId": "uuid", "Success": "bool", "Code": "int", "Msg": "string",
		"Head":     map[string]shape{"DocsFound": "int", "DocsReturn": "int", "SearchTime": "int"},
		"PicInfo":  picInfoShape,
		"Auctions": []shape{auctionShape}}
	// existsShape: Auctions is one object, not an array (ref §5.5).
	existsAuctionShape = without(auctionShape, "Score", "SortExprValues")
	existsShape        = map[string]shape{"RequestId": "uuid", "Success": "bool", "Code": "int", "Msg": "string",
		"Exists": "bool", "Auctions": existsAuctionShape}
	missingShape = with(without(existsShape, "Auctions"), "Auctions", map[string]shape{})
	// detailShape has no Code or Msg; timestamps are strings of epoch milliseconds (ref §6.1).
	detailShape = map[string]shape{"RequestId": "uuid", "Success": "bool", "Instance": map[string]shape{
		"Name": "string", "Region": "string", "Capacity": "int", "Qps": "int", "ServiceType": "int",
		"TotalCount": "int", "UtcCreate": "digits", "UtcExpireTime": "digits"}}
)

func with(m map[string]shape, key string, v shape) map[string]shape {
	out := map[string]shape{key: v}
	for k, x := range m {
		if k != key {
			out[k] = x
		}
	}
	return out
}

func without(m map[string]shape, keys ...string) map[string]shape {
	out := map[string]shape{}
	for k, x := range m {
		out[k] = x
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// checkShape reports every place where v (decoded with json.Number) differs from want.
func checkShape(t testing.TB, path string, v any, want shape) {
	t.Helper()
	for _, p := range shapeProblems(path, v, want) {
		t.Error(p)
	}
}

func shapeProblems(path string, v any, want shape) []string {
	switch w := want.(type) {
	case map[string]shape:
		m, ok := v.(map[string]any)
		if !ok {
			return []string{path + ": want an object, got " + describe(v)}
		}
		var out []string
		for k := range m {
			if _, ok := w[k]; !ok {
				out = append(out, path+": unexpected key "+k)
			}
		}
		for k, sub := range w {
			x, ok := m[k]
			if !ok {
				out = append(out, path+": missing key "+k)
				continue
			}
			out = append(out, shapeProblems(path+"."+k, x, sub)...)
		}
		sort.Strings(out)
		return out
	case []shape:
		a, ok := v.([]any)
		if !ok {
			return []string{path + ": want an array, got " + describe(v)}
		}
		var out []string
		for i, x := range a {
			out = append(out, shapeProblems(path+"["+strconv.Itoa(i)+"]", x, w[0])...)
		}
		return out
	case string:
		if !kindMatches(w, v) {
			return []string{path + ": want " + w + ", got " + describe(v)}
		}
	}
	return nil
}

func kindMatches(kind string, v any) bool {
	switch kind {
	case "string":
		_, ok := v.(string)
		return ok
	case "uuid":
		s, ok := v.(string)
		return ok && requestIDPattern.MatchString(s)
	case "digits":
		s, ok := v.(string)
		return ok && digitsPattern.MatchString(s)
	case "bool":
		_, ok := v.(bool)
		return ok
	case "int":
		n, ok := v.(json.Number)
		return ok && intPattern.MatchString(n.String())
	case "float":
		_, ok := v.(json.Number)
		return ok
	}
	return false
}

func describe(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return strings.TrimSpace(s)
}

// TestShapeChecker checks that the shape checker catches what the other tests rely on it to catch.
func TestShapeChecker(t *testing.T) {
	id := `"RequestId":"E0845DE6-52AF-4B50-9F15-51ED4044E6AB"`
	cases := []struct {
		name, body string
		want       shape
		problems   int
	}{
		{"valid write", `{` + id + `,"Code":0,"Message":"success","Success":true}`, writeShape, 0},
		{"numeric error Code", `{` + id + `,"HostId":"h","Code":400,"Message":"m"}`, errorShape, 1},
		{"string success Code", `{` + id + `,"Code":"0","Message":"success","Success":true}`, writeShape, 1},
		{"fractional Code", `{` + id + `,"Code":0.5,"Message":"success","Success":true}`, writeShape, 1},
		{"Msg instead of Message", `{` + id + `,"Code":0,"Msg":"success","Success":true}`, writeShape, 2},
		{"lower-case RequestId", `{"RequestId":"e0845de6-52af-4b50-9f15-51ed4044e6ab","HostId":"h","Code":"X","Message":"m"}`, errorShape, 1},
		{"numeric UtcCreate", `{` + id + `,"Success":true,"Instance":{"Name":"n","Region":"r","Capacity":1,"Qps":1,"ServiceType":0,"TotalCount":0,"UtcCreate":1,"UtcExpireTime":"2"}}`, detailShape, 1},
		{"array element", `{` + id + `,"Code":0,"Message":"","Success":true,"Data":{"PicNames":["a",1]}}`, deleteShape, 1},
		{"Auctions as array", `{` + id + `,"Success":true,"Code":0,"Msg":"","Exists":false,"Auctions":[]}`, missingShape, 1},
	}
	for _, tc := range cases {
		m, err := imagesearch.DecodeMap([]byte(tc.body))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := shapeProblems("body", m, tc.want); len(got) != tc.problems {
			t.Errorf("%s: %d problems %v, want %d", tc.name, len(got), got, tc.problems)
		}
	}
}
