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

	"pgregory.net/rapid"
)

// TestParseQueryMatchesStandard checks that parseQuery gives url.ParseQuery's pairs and error for any
// query, well-formed or not.
func TestParseQueryMatchesStandard(t *testing.T) {
	check := func(t interface{ Fatalf(string, ...any) }, q string) {
		got, gerr := parseQuery(q)
		want, werr := url.ParseQuery(q)
		if !reflect.DeepEqual(got, want) || (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
			t.Fatalf("parseQuery(%q) = %v, %v; url.ParseQuery = %v, %v", q, got, gerr, want, werr)
		}
	}
	for _, q := range []string{"", "&", "a", "a=", "=b", "a=1&a=2&b=3", "a=%zz&b=1", "a;b=1&c=2", "a=1;&b",
		"%41=%42+c", "a=%FF%FE", "k=%", strings.Repeat("x=1&", maxFastParams+5)} {
		check(t, q)
	}
	rapid.Check(t, func(rt *rapid.T) {
		check(rt, rapid.StringMatching(`([a-c%=&;+2F ]|%[0-9A-Fa-f]{2}){0,30}`).Draw(rt, "query"))
	})
}

// TestParseQueryValuesIndependent checks that appending to one parameter's values leaves the others alone
// although they share one backing array.
func TestParseQueryValuesIndependent(t *testing.T) {
	m, _ := parseQuery("a=1&b=2&c=3")
	m["a"] = append(m["a"], "x")
	if m.Get("b") != "2" || len(m["b"]) != 1 || m.Get("c") != "3" {
		t.Errorf("an append to a changed its neighbours: %v", m)
	}
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
