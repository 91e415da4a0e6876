package signature

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"pgregory.net/rapid"
)

// TestDecoderMatchesStandard checks that a decoder gives url.ParseQuery's pairs, in the order sent, and
// error for any query, well-formed or not, and that with copyAll no name or value refers to the query.
func TestDecoderMatchesStandard(t *testing.T) {
	check := func(t interface{ Fatalf(string, ...any) }, q string) {
		want, werr := url.ParseQuery(q)
		for _, copyAll := range []bool{false, true} {
			var d decoder
			got, gerr := d.appendPairs(nil, q, copyAll)
			if !reflect.DeepEqual(got.Values(), want) || (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
				t.Fatalf("appendPairs(%q, %v) = %v, %v; url.ParseQuery = %v, %v", q, copyAll, got, gerr, want, werr)
			}
			for _, kv := range got {
				if copyAll && (sharesMemory(kv.Name, q) || sharesMemory(kv.Value, q)) {
					t.Fatalf("appendPairs(%q, true): %q=%q shares the query's memory", q, kv.Name, kv.Value)
				}
			}
		}
	}
	for _, q := range []string{"", "&", "a", "a=", "=b", "a=1&a=2&b=3", "a=%zz&b=1", "a;b=1&c=2", "a=1;&b",
		"%41=%42+c", "a=%FF%FE", "k=%", "k=%4", "k=%41%", "a+b=c+%2B+", strings.Repeat("x=1&", maxFastParams+5)} {
		check(t, q)
	}
	rapid.Check(t, func(rt *rapid.T) {
		check(rt, rapid.StringMatching(`([a-c%=&;+2F ]|%[0-9A-Fa-f]{2}){0,30}`).Draw(rt, "query"))
	})
}

// sharesMemory reports whether s points into the bytes of outer.
func sharesMemory(s, outer string) bool {
	if s == "" || outer == "" {
		return false
	}
	p, base := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(outer)))
	return p >= base && p < base+uintptr(len(outer))
}

// TestParamsMatchValues checks Params against url.Values: Get, Lookup and Has read the same, and
// mergeParams merges as MergeParams does.
func TestParamsMatchValues(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		q, f := drawMulti(t, "query"), drawMulti(t, "form")
		if rapid.Bool().Draw(t, "long") { // past the length that Lookup scans
			for i := range 40 {
				q.Set(fmt.Sprintf("b%02d", i), "")
			}
		}
		pq, pf := ParamsOf(q), ParamsOf(f)
		merged := mergeParams(nil, pq, pf)
		if want := ParamsOf(MergeParams(q, f)); !reflect.DeepEqual(merged, want) && len(merged)+len(want) > 0 {
			t.Fatalf("mergeParams = %v, want %v", merged, want)
		}
		m := MergeParams(q, f)
		for _, name := range []string{"a", "b", "c", "d", "", "b07", "b7", "axc", "ayc", "azc"} {
			v, ok := merged.Lookup(name)
			if v != m.Get(name) || ok != m.Has(name) || merged.Get(name) != v || merged.Has(name) != ok {
				t.Fatalf("Lookup(%q) = %q, %v; url.Values %q, %v", name, v, ok, m.Get(name), m.Has(name))
			}
		}
	})
}

// drawMulti draws url.Values over a few names, with repeated values and names without a value.
func drawMulti(t *rapid.T, label string) url.Values {
	v := url.Values{}
	for i, n := 0, rapid.IntRange(0, 5).Draw(t, label+"N"); i < n; i++ {
		k := rapid.SampledFrom([]string{"a", "b", "c", "ab", "", "axc", "ayc"}).Draw(t, label+"Key")
		v[k] = append(v[k], rapid.SliceOfN(rapid.StringMatching(`[xy]{0,2}`), 0, 3).Draw(t, label+"Values")...)
	}
	return v
}

// TestParseTimestampMatchesStandard checks that parseTimestamp accepts exactly what time.Parse with a
// Format round trip accepts, and gives the same time.
func TestParseTimestampMatchesStandard(t *testing.T) {
	check := func(t interface{ Fatalf(string, ...any) }, s string) {
		want, werr := time.Parse(TimestampLayout, s)
		wok := werr == nil && want.Format(TimestampLayout) == s
		got, gerr := parseTimestamp(s)
		if (gerr == nil) != wok || (wok && !got.Equal(want)) {
			t.Fatalf("parseTimestamp(%q) = %v, %v; time.Parse = %v, %v (round trip %v)", s, got, gerr, want, werr, wok)
		}
	}
	for _, s := range []string{"2026-12-01T23:59:59Z", "2024-02-29T00:00:00Z", "2025-02-29T00:00:00Z",
		"2026-13-01T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z", "2026-12-01T23:59:60Z",
		"0000-01-01T00:00:00Z", "2026-12-01 23:59:59Z", "2026-12-01T23:59:59+", "+026-12-01T23:59:59Z", ""} {
		check(t, s)
	}
	rapid.Check(t, func(rt *rapid.T) {
		check(rt, rapid.StringMatching(`[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z`).Draw(rt, "ts"))
	})
}

// TestSignV1BytesMatchesFreshHMAC checks that a reused HMAC state signs as a new one, for more secrets than
// are pooled and from several goroutines.
func TestSignV1BytesMatchesFreshHMAC(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2 * maxMACPools {
				secret, msg := fmt.Sprint("secret-", i%(maxMACPools+8)), []byte(fmt.Sprint("msg-", g, "-", i))
				m := hmac.New(sha1.New, []byte(secret+"&"))
				m.Write(msg)
				if want := base64.StdEncoding.EncodeToString(m.Sum(nil)); signV1Bytes(msg, secret) != want {
					t.Errorf("secret %d: a pooled HMAC state signed differently", i)
					return
				}
			}
		})
	}
	wg.Wait()
}
