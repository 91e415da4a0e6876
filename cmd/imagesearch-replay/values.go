package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Helpers of the comparison: JSON types, shapes and the few predicates the rules use. Values are decoded
// with json.Number, so a number keeps its text (1 and 1.0 are different values of the same type).

// jsonType names a decoded value's JSON type.
func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// shape is a value's canonical type: objects by their sorted keys and the shapes of their values, arrays
// by the set of their elements' shapes.
func shape(v any) string {
	switch x := v.(type) {
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range sortedKeys(x) {
			parts = append(parts, k+":"+shape(x[k]))
		}
		return "{" + strings.Join(parts, ",") + "}"
	case []any:
		return "[" + elementShapes(x) + "]"
	}
	return jsonType(v)
}

// elementShapes is the sorted set of an array's element shapes.
func elementShapes(a []any) string {
	set := map[string]bool{}
	for _, e := range a {
		set[shape(e)] = true
	}
	return strings.Join(sortedKeys(set), "|")
}

func allScalars(a []any) bool {
	for _, e := range a {
		switch e.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func sortedShows(a []any) []string {
	out := make([]string, len(a))
	for i, e := range a {
		out[i] = show(e)
	}
	sort.Strings(out)
	return out
}

// byKey indexes a search's results by "ProductId/PicName"; a key returned twice keeps its first entry
// and a second one under "key#2", so duplicates still compare.
func byKey(a []any) map[string]any {
	out := map[string]any{}
	for _, e := range a {
		m, _ := e.(map[string]any)
		pid, _ := m["ProductId"].(string)
		pic, _ := m["PicName"].(string)
		k := pid + "/" + pic
		for n := 2; out[k] != nil; n++ {
			k = fmt.Sprintf("%s/%s#%d", pid, pic, n)
		}
		out[k] = e
	}
	return out
}

func unitNumber(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	f, err := n.Float64()
	return err == nil && f >= 0 && f <= 1
}

func nonNegativeInt(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	return err == nil && i >= 0
}

func sortExprForm(v any) bool {
	s, ok := v.(string)
	return ok && sortExpr.MatchString(s)
}

// order says how DocsFound compares with DocsReturn: ">", "=", "<", or "?" when either is not a number.
func order(found, returned any) string {
	a, okA := found.(json.Number)
	b, okB := returned.(json.Number)
	if !okA || !okB {
		return "?"
	}
	x, err1 := a.Float64()
	y, err2 := b.Float64()
	switch {
	case err1 != nil || err2 != nil:
		return "?"
	case x > y:
		return ">"
	case x < y:
		return "<"
	}
	return "="
}

func kindOfBody(b json.RawMessage) string {
	if b == nil {
		return "not JSON"
	}
	return "JSON"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// show renders a value for the report, shortened to keep a difference readable.
func show(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = strconv.Quote(x)
	case []string:
		s = "[" + strings.Join(x, ", ") + "]"
	case int:
		s = strconv.Itoa(x)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			s = fmt.Sprint(v)
		} else {
			s = string(b)
		}
	}
	if len(s) > 240 {
		cut := 240
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
