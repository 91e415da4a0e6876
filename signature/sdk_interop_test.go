// This test drives the real v1 Go SDK against Verify, so the verifier is checked against the signer the
// suite's client uses, not only against itself.

package signature

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

// verifyingServer answers 200 to requests that pass Verify and ReplayGuard, and a gateway-style
// error body (string Code, sdk-go-v1.md §6 #6) otherwise. It records accepted results.
func verifyingServer(t *testing.T) (*httptest.Server, func() []Result) {
	var mu sync.Mutex
	var accepted []Result
	guard := NewReplayGuard(0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		req, err := RequestFromHTTP(r, body)
		var res Result
		if err == nil {
			res, err = Verify(req, testCreds)
		}
		if err == nil {
			err = guard.Check(res, time.Now())
		}
		var e *Error
		if errors.As(err, &e) {
			w.WriteHeader(e.Status)
			_ = json.NewEncoder(w).Encode(map[string]string{"RequestId": "REQ", "HostId": r.Host, "Code": e.Code, "Message": e.Message})
			return
		}
		mu.Lock()
		accepted = append(accepted, res)
		mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"RequestId": "REQ", "Code": 0, "Message": "success", "Success": true})
	}))
	t.Cleanup(srv.Close)
	return srv, func() []Result {
		mu.Lock()
		defer mu.Unlock()
		return append([]Result(nil), accepted...)
	}
}

func sdkClient(t *testing.T, secret string) *sdk.Client {
	t.Helper()
	c, err := sdk.NewClientWithOptions("ap-southeast-1", sdk.NewConfig(), credentials.NewStaticAKCredentialsProvider(testAK, secret))
	if err != nil {
		t.Fatal(err)
	}
	c.SetNoProxy("127.0.0.1")
	c.SetConnectTimeout(5 * time.Second)
	c.SetReadTimeout(10 * time.Second)
	return c
}

func sdkUpdateImage(domain string) *requests.CommonRequest {
	r := requests.NewCommonRequest()
	r.Method = requests.POST
	r.Scheme = "http"
	r.Domain = domain
	r.Product = "ImageSearch"
	r.Version = "2020-12-14"
	r.ApiName = "UpdateImage"
	r.FormParams["InstanceName"] = "demoinstance1"
	r.FormParams["ProductId"] = "2092061_1"
	r.FormParams["CustomContent"] = "zidingyi & 中文 +*~"
	r.FormParams["StrAttr"] = ""
	r.QueryParams["IntAttr3"] = "3"
	return r
}

func TestV1SDKSignedRequestVerifies(t *testing.T) {
	srv, accepted := verifyingServer(t)
	domain := strings.TrimPrefix(srv.URL, "http://")
	resp, err := sdkClient(t, testSecret).ProcessCommonRequest(sdkUpdateImage(domain))
	if err != nil {
		t.Fatalf("SDK call rejected: %v", err)
	}
	if resp.GetHttpStatus() != 200 {
		t.Fatalf("status %d", resp.GetHttpStatus())
	}
	got := accepted()
	if len(got) != 1 || got[0].AccessKeyID != testAK || got[0].Scheme != SchemeV1 || len(got[0].Nonce) != 32 {
		t.Fatalf("accepted = %+v", got)
	}
	if skew := time.Since(got[0].Timestamp); skew < -2*time.Second || skew > time.Minute {
		t.Errorf("timestamp %v is off by %v", got[0].Timestamp, skew)
	}
}

func TestV1SDKWrongSecretRejected(t *testing.T) {
	srv, accepted := verifyingServer(t)
	domain := strings.TrimPrefix(srv.URL, "http://")
	_, err := sdkClient(t, "wrong-secret").ProcessCommonRequest(sdkUpdateImage(domain))
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v (%T), want *ServerError", err, err)
	}
	if se.HttpStatus() != 400 || se.ErrorCode() != CodeSignatureDoesNotMatch {
		t.Fatalf("got %d %s", se.HttpStatus(), se.ErrorCode())
	}
	// The SDK compares our echoed string to sign with its own; equal strings mean the only
	// possible cause is the secret (sdk-go-v1.md §2 "Wrong secret").
	if !strings.Contains(se.Recommend(), "InvalidAccessKeySecret") {
		t.Errorf("Recommend = %q: the SDK's string to sign differs from ours", se.Recommend())
	}
	if len(accepted()) != 0 {
		t.Error("a request was accepted")
	}
}
