package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// TestHostileInput sends malformed and adversarial requests. None may produce a 5xx, and each gets the
// documented answer: a flat error body with the code listed, or success where the input is legal.
func TestHostileInput(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1)
	key := func(kv ...string) url.Values {
		return form(append([]string{"InstanceName", testInstance, "ProductId", "P", "PicName", "n"}, kv...)...)
	}
	signed := func(action string, r *rawReq) *http.Request {
		signV1(r, action, testKeyID, testSecret, time.Now())
		return r.build(e.srv.URL())
	}
	post := func(action string, f url.Values) func() *http.Request {
		return func() *http.Request { return signed(action, &rawReq{Form: f}) }
	}
	badUTF8 := string([]byte{0xff, 0xfe, 'a', 0xc0})
	deep := strings.Repeat("(", 1000) + "int_attr=1" + strings.Repeat(")", 1000)
	cases := []struct {
		name string
		req  func() *http.Request
		want string // the Code expected, "" for success
	}{
		{"garbage base64", post(contract.OpAddImage, with2(addForm("P", "g", 1), "PicContent", "@@@###!!!")), contract.UnsupportedPicFormat.Code},
		{"base64 with NUL", post(contract.OpSearchImageByPic, form("InstanceName", testInstance, "PicContent", "AAAA\x00AAAA")), contract.UnsupportedPicFormat.Code},
		{"huge Num", post(contract.OpSearchImageByPic, form("InstanceName", testInstance, "PicContent", picB64(1), "Num", "99999999999999999999999")), contract.InvalidNumParameter.Code},
		{"huge Start", post(contract.OpSearchImageByName, with2(key(), "Start", "9223372036854775807")), contract.OverflowMaxResultNum.Code},
		{"Start+Num overflow", post(contract.OpSearchImageByName, with2(with2(key(), "Start", "9223372036854775800"), "Num", "100")), contract.OverflowMaxResultNum.Code},
		{"huge IntAttr", post(contract.OpUpdateImage, key("IntAttr", "1e30")), contract.InvalidIntAttr.Code},
		{"huge CategoryId", post(contract.OpSearchImageByName, key("CategoryId", "88888888888888888888")), contract.InvalidCategory.Code},
		{"ScoreThreshold NaN", post(contract.OpSearchImageByName, key("ScoreThreshold", "NaN")), contract.BadRequest.Code},
		{"ScoreThreshold Inf", post(contract.OpSearchImageByName, key("ScoreThreshold", "+Inf")), contract.BadRequest.Code},
		{"Region overflow", post(contract.OpAddImage, addForm("P", "r", 1, "Region", "0,99999999999999999999999,0,10")), contract.InvalidRegion.Code},
		// Invalid UTF-8 gets the gateway's Invalid{ParameterName} (ref §1.3, §8.3), for the first name in byte order.
		{"invalid UTF-8 attribute", post(contract.OpUpdateImage, key("StrAttr", badUTF8, "CustomContent", badUTF8)), contract.InvalidCustomContent.Code},
		{"invalid UTF-8 key", post(contract.OpCheckImageExists, key("ProductId", badUTF8)), contract.InvalidProductId.Code},
		{"NUL in key", post(contract.OpUpdateImage, key("PicName", "n\x00x", "IntAttr", "1")), contract.PicNotExist.Code},
		{"NUL in filter", post(contract.OpDeleteImage, form("InstanceName", testInstance, "IsDeleteByFilter", "true", "Filter", "int_attr=1\x00")), contract.InvalidFilterClause.Code},
		{"deeply nested filter", post(contract.OpSearchImageByName, key("Filter", deep)), ""},
		{"unbalanced filter", post(contract.OpSearchImageByName, key("Filter", strings.Repeat("(", 2000))), contract.InvalidFilterClause.Code},
		{"very long ProductId", post(contract.OpUpdateImage, key("ProductId", strings.Repeat("x", 1<<20))), contract.InvalidProductId.Code},
		{"instance name too long", post(contract.OpDetail, form("InstanceName", strings.Repeat("i", 10000))), contract.ConsoleInstanceNotFound.Code},
		{"query and form clash, form wins", func() *http.Request {
			return signed(contract.OpCheckImageExists, &rawReq{Query: form("InstanceName", "wrong"), Form: key()})
		}, ""},
		{"duplicate form keys", func() *http.Request {
			return signed(contract.OpUpdateImage, &rawReq{Form: url.Values{"InstanceName": {testInstance}, "ProductId": {"P", "Q"},
				"PicName": {"n", "m"}, "IntAttr": {"1", "x"}}})
		}, ""},
		{"duplicate query keys", func() *http.Request {
			return signed(contract.OpDetail, &rawReq{Query: url.Values{"InstanceName": {testInstance, "other"}}})
		}, ""},
		{"empty body", func() *http.Request { return signed(contract.OpDetail, &rawReq{}) }, "MissingInstanceName"},
		{"empty unsigned body", func() *http.Request { return (&rawReq{}).build(e.srv.URL()) }, contract.IncompleteSignature.Code},
		{"malformed form encoding", func() *http.Request {
			r := &rawReq{Query: form("InstanceName", testInstance), Body: []byte("a=%zz&b")}
			return signed(contract.OpDetail, r)
		}, contract.IncompleteSignature.Code}, // its parameters cannot be canonicalised
		{"text/plain body ignored", func() *http.Request {
			r := &rawReq{Body: []byte(key().Encode()), ContentType: "text/plain"}
			return signed(contract.OpCheckImageExists, r)
		}, "MissingInstanceName"},
		{"multipart body ignored", func() *http.Request {
			r := &rawReq{Query: form("InstanceName", testInstance), Body: []byte("--x\r\n\r\n--x--"), ContentType: "multipart/form-data; boundary=x"}
			return signed(contract.OpDetail, r)
		}, ""},
		{"content-type with charset", func() *http.Request {
			return signed(contract.OpDetail, &rawReq{Form: form("InstanceName", testInstance), ContentType: "application/x-www-form-urlencoded; charset=UTF-8"})
		}, ""},
		{"garbage content-type", func() *http.Request {
			return signed(contract.OpDetail, &rawReq{Query: form("InstanceName", testInstance), Body: []byte("x"), ContentType: ";;;=="})
		}, ""},
		{"signature over garbage", func() *http.Request {
			r := &rawReq{Query: url.Values{"Signature": {"\x00\xff"}, "AccessKeyId": {testKeyID}, "SignatureMethod": {"HMAC-SHA1"},
				"SignatureVersion": {"1.0"}, "SignatureNonce": {"n"}, "Timestamp": {"9999-99-99T99:99:99Z"}}}
			return r.build(e.srv.URL())
		}, contract.TimeStampFormat.Code},
		{"V3 header garbage", func() *http.Request {
			r := (&rawReq{}).build(e.srv.URL())
			r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=,,,SignedHeaders=;;;,Signature=")
			return r
		}, contract.IncompleteSignature.Code},
		{"admin path look-alike", func() *http.Request { r := &rawReq{Path: "/_emulatorx"}; return signed(contract.OpDetail, r) }, contract.ApiNotFound.Code},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			r := e.do(tc.req())
			if r.Status >= 500 {
				t.Fatalf("5xx: %d %s", r.Status, r.Body)
			}
			if tc.want == "" {
				wantOK(t, r)
				return
			}
			if r.Status < 400 || r.str("Code") != tc.want {
				t.Fatalf("got %d %s, want %s", r.Status, r.Body, tc.want)
			}
			checkShape(t, "error", r.M, errorShape)
			checkRequestID(t, r)
			if _, ok := contract.Lookup(tc.want); !ok && !strings.HasPrefix(tc.want, "Missing") {
				t.Errorf("%s is not a documented code", tc.want)
			}
		})
	}
}
