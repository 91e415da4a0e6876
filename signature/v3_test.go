package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// The fixed-parameter example of Alibaba's "V3 request structure and signature" documentation
// (help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature): an RPC POST of
// ECS RunInstances with an empty body.
const (
	docV3AccessKeyID   = "YourAccessKeyId"
	docV3Secret        = "YourAccessKeySecret"
	docV3Date          = "2023-10-26T10:22:32Z"
	docV3Nonce         = "3156853299f313e23d1673dc12e1703d"
	docV3URL           = "https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
	docV3HashedRequest = "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
	docV3Authorization = "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
)

func docV3Request(t *testing.T) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, docV3URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-acs-action", "RunInstances")
	req.Header.Set("x-acs-version", "2014-05-26")
	return req
}

func TestV3PublishedVector(t *testing.T) {
	req := docV3Request(t)
	now, _ := time.Parse(TimestampLayout, docV3Date)
	if err := SignV3(req, nil, docV3AccessKeyID, docV3Secret, now, docV3Nonce); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != docV3Authorization {
		t.Fatalf("Authorization:\n got %s\nwant %s", got, docV3Authorization)
	}
	r, err := RequestFromHTTP(req, nil)
	if err != nil {
		t.Fatal(err)
	}
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	if got := StringToSignV3(CanonicalRequestV3(r, signed)); got != AlgorithmV3+"\n"+docV3HashedRequest {
		t.Errorf("StringToSignV3 = %q, want hash %s", got, docV3HashedRequest)
	}
	res, err := Verify(r, StaticCredentials{docV3AccessKeyID: docV3Secret})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.Scheme != SchemeV3 || res.AccessKeyID != docV3AccessKeyID || res.Nonce != docV3Nonce || !res.Timestamp.Equal(now) {
		t.Errorf("unexpected result %+v", res)
	}
}

// teaCanonicalRequest is a straightforward transcription of the Tea SDK's canonicalisation
// (openapi-util GetAuthorization): raw keys, QueryEscape'd values, then the three replacements
// over the whole query; every x-acs-*, host and content-type header, values trimmed.
func teaCanonicalRequest(method, path string, query map[string]string, headers map[string]string, body []byte) (string, string) {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	cq := ""
	for _, k := range keys {
		cq += "&" + k + "=" + url.QueryEscape(query[k])
	}
	cq = strings.TrimPrefix(sdkReplace(cq), "&")
	names := []string{}
	hv := map[string]string{}
	for k, v := range headers {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-acs-") || lk == "host" || lk == "content-type" {
			names = append(names, lk)
			hv[lk] = strings.TrimSpace(v)
		}
	}
	sort.Strings(names)
	ch := ""
	for _, n := range names {
		ch += n + ":" + hv[n] + "\n"
	}
	sum := sha256.Sum256(body)
	return method + "\n" + path + "\n" + cq + "\n" + ch + "\n" + strings.Join(names, ";") + "\n" + hex.EncodeToString(sum[:]), strings.Join(names, ";")
}

func sdkReplace(s string) string {
	s = strings.ReplaceAll(s, "+", "%20")
	s = strings.ReplaceAll(s, "*", "%2A")
	return strings.ReplaceAll(s, "%7E", "~")
}

func TestSignV3MatchesTeaTranscription(t *testing.T) {
	body := []byte("CustomContent=a+b%2Bc%2A%7E&InstanceName=demo&IntAttr=2&PicName=p.jpg&ProductId=1")
	query := map[string]string{"IntAttr3": "3", "StrAttr3": "x y*~/中", "Empty": ""}
	q := url.Values{}
	for k, v := range query {
		q.Set(k, v)
	}
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080/?"+q.Encode(), strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("x-acs-action", "UpdateImage")
	req.Header.Set("x-acs-version", "2020-12-14")
	req.Header.Set("x-acs-credentials-provider", "  static_ak ")
	req.Header.Set("Accept", "application/json") // not signed
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := SignV3(req, body, "ak", "sk", now, "nonce-1"); err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{"host": "127.0.0.1:8080"}
	for k := range req.Header {
		if k != "Authorization" {
			headers[k] = req.Header.Get(k)
		}
	}
	cr, signed := teaCanonicalRequest("POST", "/", query, headers, body)
	sum := sha256.Sum256([]byte(cr))
	m := hmac.New(sha256.New, []byte("sk"))
	m.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(sum[:])))
	want := "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=" + signed + ",Signature=" + hex.EncodeToString(m.Sum(nil))
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization:\n got %s\nwant %s\ncanonical request:\n%s", got, want, cr)
	}
	if signed != "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version" {
		t.Errorf("signed headers = %s", signed)
	}
	if got := req.Header.Get("x-acs-content-sha256"); got != hexSHA256(body) {
		t.Errorf("x-acs-content-sha256 = %s", got)
	}
	if got := req.Header.Get("x-acs-date"); got != "2026-01-02T03:04:05Z" {
		t.Errorf("x-acs-date = %s", got)
	}
}

func TestCanonicalPieces(t *testing.T) {
	if got := canonicalURI(""); got != "/" {
		t.Errorf("canonicalURI(\"\") = %q", got)
	}
	if got := canonicalURI("/a b/c*"); got != "/a%20b/c%2A" {
		t.Errorf("canonicalURI = %q", got)
	}
	q := url.Values{"b": {"2", "1"}, "a": {""}, "c d": {"~"}}
	if got := canonicalQueryV3(ParamsOf(q)); got != "a=&b=1&b=2&c%20d=~" {
		t.Errorf("canonicalQueryV3 = %q", got)
	}
	if got := normaliseSignedHeaders([]string{"X-Acs-Date", "host", "", "HOST", " content-type"}); strings.Join(got, ";") != "content-type;host;x-acs-date" {
		t.Errorf("normaliseSignedHeaders = %v", got)
	}
	r := Request{Header: http.Header{"X-Acs-Multi": {" b ", "a"}}, Host: "h:1"}
	if got := canonicalHeaderValue(r, "x-acs-multi"); got != "a,b" {
		t.Errorf("multi-value header = %q", got)
	}
	if got := canonicalHeaderValue(r, "host"); got != "h:1" {
		t.Errorf("host fallback = %q", got)
	}
}

func TestSignV3Errors(t *testing.T) {
	now := time.Now()
	noHost := &http.Request{Method: "POST", URL: &url.URL{Path: "/"}}
	if err := SignV3(noHost, nil, "ak", "sk", now, "n"); err == nil {
		t.Error("SignV3 without host succeeded")
	}
	if err := SignV3(&http.Request{Method: "POST"}, nil, "ak", "sk", now, "n"); err == nil {
		t.Error("SignV3 without URL succeeded")
	}
	req, _ := http.NewRequest("POST", "http://h/", nil)
	if err := SignV3(req, nil, "ak", "sk", now, ""); err == nil {
		t.Error("SignV3 without nonce succeeded")
	}
}
