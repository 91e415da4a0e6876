package imagesearch

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	registerSecret(testSecret)
	cases := []struct{ name, in, want string }{
		{"url error",
			`Post "http://127.0.0.1:1/?AccessKeyId=LTAIx&Action=UpdateImage&Signature=8FVf%2Bg2%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=a79f&SignatureType=&SignatureVersion=1.0": dial tcp`,
			`Post "http://127.0.0.1:1/?AccessKeyId=***&Action=UpdateImage&Signature=***&SignatureMethod=HMAC-SHA1&SignatureNonce=***&SignatureType=&SignatureVersion=1.0": dial tcp`},
		{"value at end", "x?Signature=abc", "x?Signature=***"},
		{"empty value", "AccessKeyId=&A=1", "AccessKeyId=***&A=1"},
		{"security token", "SecurityToken=tok123 next", "SecurityToken=*** next"},
		{"string to sign, once encoded",
			"sign is:POST&%2F&AccessKeyId%3DLTAIx%26Action%3DX%26SignatureNonce%3Dabc%26SignatureType%3D",
			"sign is:POST&%2F&AccessKeyId%3D***%26Action%3DX%26SignatureNonce%3D***%26SignatureType%3D"},
		{"twice encoded", "a%26AccessKeyId%253DLTAIx%2526b", "a%26AccessKeyId%253D***%2526b"},
		{"look-alikes untouched", "SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyIdx=1", "SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyIdx=1"},
		{"secret raw", "key " + testSecret + " end", "key *** end"},
		{"secret escaped", "k=" + url.QueryEscape(testSecret), "k=***"},
		{"nothing sensitive", "plain text 中文", "plain text 中文"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzRedact checks that sensitive values never survive and that a
// registered secret never appears in the output.
func FuzzRedact(f *testing.F) {
	registerSecret(testSecret)
	f.Add("LTAIx", "8FVf%2Bg2%3D", "pre "+testSecret)
	f.Add("", "a", "AccessKeyId%3D")
	f.Fuzz(func(t *testing.T, ak, sig, noise string) {
		for _, term := range terminators {
			if strings.Contains(ak, term) || strings.Contains(sig, term) {
				t.Skip()
			}
		}
		in := "/?AccessKeyId=" + ak + "&Signature=" + sig + "&Tail=1"
		if got, want := Redact(in), "/?AccessKeyId=***&Signature=***&Tail=1"; got != want {
			t.Fatalf("Redact(%q) = %q, want %q", in, got, want)
		}
		if out := Redact(noise + testSecret + noise); strings.Contains(out, testSecret) {
			t.Fatalf("secret survived in %q", out)
		}
	})
}
