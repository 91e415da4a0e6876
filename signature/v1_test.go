package signature

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestSignV1GoldenVectors(t *testing.T) {
	tests := []struct {
		name, method, secret string
		params               url.Values
		wantSTS              string // empty: not published for this vector
		wantSig              string
	}{
		{
			// Alibaba's documented DescribeRegions example (sdk-go-v1.md §2 "Checks performed").
			name: "DescribeRegions GET", method: "GET", secret: "testsecret",
			params: url.Values{
				"AccessKeyId": {"testid"}, "Action": {"DescribeRegions"}, "Format": {"XML"},
				"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
				"SignatureVersion": {"1.0"}, "Timestamp": {"2016-02-23T12:46:24Z"}, "Version": {"2014-05-26"},
			},
			wantSTS: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
			wantSig: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
		},
		{
			// Golden POST vector of sdk-go-v1.md §2, checked there against the v1 SDK.
			name: "UpdateImage POST", method: "POST", secret: "testAccessKeySecret",
			params: url.Values{
				"AccessKeyId": {"testAccessKeyId"}, "Action": {"UpdateImage"}, "Format": {"JSON"},
				"RegionId": {"ap-southeast-1"}, "SignatureMethod": {"HMAC-SHA1"},
				"SignatureNonce": {"0123456789abcdef0123456789abcdef"}, "SignatureType": {""},
				"SignatureVersion": {"1.0"}, "Timestamp": {"2026-01-02T03:04:05Z"}, "Version": {"2020-12-14"},
				"InstanceName": {"demoinstance1"}, "ProductId": {"2092061_1"}, "PicName": {"namexxx.jpg"},
				"CustomContent": {"a b+c*d~e/中"}, "IntAttr": {"2"},
			},
			wantSTS: "POST&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DUpdateImage%26CustomContent%3Da%2520b%252Bc%252Ad~e%252F%25E4%25B8%25AD%26Format%3DJSON%26InstanceName%3Ddemoinstance1%26IntAttr%3D2%26PicName%3Dnamexxx.jpg%26ProductId%3D2092061_1%26RegionId%3Dap-southeast-1%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef0123456789abcdef%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2026-01-02T03%253A04%253A05Z%26Version%3D2020-12-14",
			wantSig: "4VJESEzzcn6S+sryHwx5s3dnFR4=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StringToSignV1(tt.method, tt.params); got != tt.wantSTS {
				t.Errorf("StringToSignV1:\n got %s\nwant %s", got, tt.wantSTS)
			}
			if got := SignV1(tt.method, tt.params, tt.secret); got != tt.wantSig {
				t.Errorf("SignV1 = %s, want %s", got, tt.wantSig)
			}
			// Signature itself is never signed.
			withSig := MergeParams(tt.params, url.Values{"Signature": {"whatever"}})
			if got := SignV1(tt.method, withSig, tt.secret); got != tt.wantSig {
				t.Errorf("SignV1 with a Signature param = %s, want %s", got, tt.wantSig)
			}
		})
	}
}

// TestCapturedSDKRequestVerifies replays the UpdateImage request captured from the v1 SDK in
// sdk-go-v1.md §1.6 (query + form exactly as received on the wire).
func TestCapturedSDKRequestVerifies(t *testing.T) {
	rawQuery := "AccessKeyId=testAccessKeyId&Action=UpdateImage&Format=JSON&IntAttr3=3&RegionId=ap-southeast-1&Signature=8FVfRpe%2Bg28pmEGS4aLJQu6%2B2Gs%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=a79f6cfef079e607504ea65f59162f72&SignatureType=&SignatureVersion=1.0&StrAttr3=s3&Timestamp=2026-11-28T07%3A10%3A01Z&Version=2020-12-14"
	rawForm := "CustomContent=zidingyi+%26+%E4%B8%AD%E6%96%87+%2B%2A~&InstanceName=demoinstance1&IntAttr=2&IntAttr2=20&PicName=namexxx.jpg&ProductId=2092061_1&StrAttr=ss&StrAttr2=test"
	wantSTS := "POST&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DUpdateImage%26CustomContent%3Dzidingyi%2520%2526%2520%25E4%25B8%25AD%25E6%2596%2587%2520%252B%252A~%26Format%3DJSON%26InstanceName%3Ddemoinstance1%26IntAttr%3D2%26IntAttr2%3D20%26IntAttr3%3D3%26PicName%3Dnamexxx.jpg%26ProductId%3D2092061_1%26RegionId%3Dap-southeast-1%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Da79f6cfef079e607504ea65f59162f72%26SignatureType%3D%26SignatureVersion%3D1.0%26StrAttr%3Dss%26StrAttr2%3Dtest%26StrAttr3%3Ds3%26Timestamp%3D2026-11-28T07%253A10%253A01Z%26Version%3D2020-12-14"
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		t.Fatal(err)
	}
	f, err := url.ParseQuery(rawForm)
	if err != nil {
		t.Fatal(err)
	}
	if got := StringToSignV1("POST", MergeParams(q, f)); got != wantSTS {
		t.Fatalf("StringToSignV1:\n got %s\nwant %s", got, wantSTS)
	}
	res, err := Verify(Request{Method: "POST", Path: "/", Query: ParamsOf(q), Form: ParamsOf(f)}, StaticCredentials{"testAccessKeyId": "testAccessKeySecret"})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.Scheme != SchemeV1 || res.Nonce != "a79f6cfef079e607504ea65f59162f72" || res.Timestamp.Format(TimestampLayout) != "2026-11-28T07:10:01Z" {
		t.Errorf("unexpected result %+v", res)
	}
}

func TestMergeParamsFormWins(t *testing.T) {
	q := url.Values{"A": {"query"}, "B": {"b"}}
	f := url.Values{"A": {"form"}, "C": {""}}
	m := MergeParams(q, f)
	if m.Get("A") != "form" || m.Get("B") != "b" || !m.Has("C") {
		t.Errorf("MergeParams = %v", m)
	}
	if q.Get("A") != "query" {
		t.Error("MergeParams modified its input")
	}
}

func TestPercentEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"AZaz09-_.~", "AZaz09-_.~"},
		{"a b", "a%20b"},
		{"*", "%2A"},
		{"+", "%2B"},
		{"/", "%2F"},
		{"=&%", "%3D%26%25"},
		{"中", "%E4%B8%AD"},
		{"\x00\xff", "%00%FF"},
	}
	for _, tt := range tests {
		if got := percentEncode(tt.in); got != tt.want {
			t.Errorf("percentEncode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// sdkEncode is how the SDKs encode: url.QueryEscape then three replacements (sdk-go-v1.md §2).
func sdkEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

func TestPercentEncodeMatchesSDK(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		if got, want := percentEncode(s), sdkEncode(s); got != want {
			t.Fatalf("percentEncode(%q) = %q, SDK gives %q", s, got, want)
		}
	})
}

// The common parameters CommonV1 builds, signed with SignV1, pass Verify: they are what the v1 SDK sends.
func TestCommonV1SignsLikeTheSDK(t *testing.T) {
	q := CommonV1("UpdateImage", "2020-12-14", "id", time.Now())
	if len(q.Get(paramSignatureNonce)) != 32 || q.Get("SignatureType") != "" || !q.Has("SignatureType") {
		t.Fatalf("common parameters %v", q)
	}
	form := url.Values{"InstanceName": {"i"}}
	q.Set(paramSignature, SignV1("POST", MergeParams(q, form), "secret"))
	if _, err := Verify(Request{Method: "POST", Path: "/", Query: ParamsOf(q), Form: ParamsOf(form)}, StaticCredentials{"id": "secret"}); err != nil {
		t.Fatal(err)
	}
	if NewNonce() == NewNonce() {
		t.Error("nonces repeat")
	}
}
