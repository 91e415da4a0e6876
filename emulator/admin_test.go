package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// TestInjectFault checks that a fault answers the next Count calls of its action with the documented
// error of its code, after authentication, and that a faulted call changes nothing.
func TestInjectFault(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1)
	if err := e.srv.InjectFault(Fault{Action: contract.OpUpdateImage, Code: "InternalError", Count: 2}); err != nil {
		t.Fatal(err)
	}
	// Another action and an unauthenticated call do not consume the fault.
	wantOK(t, e.v1(contract.OpDetail, form("InstanceName", testInstance), nil))
	bad := &rawReq{Form: form("InstanceName", testInstance, "ProductId", "P", "PicName", "n", "IntAttr", "1")}
	signV1(bad, contract.OpUpdateImage, testKeyID, "wrong", time.Now())
	wantCode(t, e.do(bad.build(e.srv.URL())), 400, contract.SignatureDoesNotMatch.Code)

	for range 2 {
		wantError(t, e.update("P", "n", "IntAttr", "7"), contract.InternalError)
	}
	_, a := e.exists("P", "n")
	wantAttrs(t, a, "IntAttr", "0")
	wantOK(t, e.update("P", "n", "IntAttr", "8"))

	// Action "" matches every operation; an explicit status and message win over the documented ones.
	if err := e.srv.InjectFault(Fault{Code: "Custom.Error", Status: 503, Message: "try later"}); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.v1(contract.OpDetail, form("InstanceName", testInstance), nil),
		contract.Error{Status: 503, Code: "Custom.Error", Message: "try later"})
	wantOK(t, e.v1(contract.OpDetail, form("InstanceName", testInstance), nil))

	// A delay-only fault answers normally.
	if err := e.srv.InjectFault(Fault{Action: contract.OpDetail, DelayMs: 1}); err != nil {
		t.Fatal(err)
	}
	wantOK(t, e.v1(contract.OpDetail, form("InstanceName", testInstance), nil))

	// A fault scoped to a ProductId leaves other products' calls alone.
	e.add("Q", "m", 2)
	if err := e.srv.InjectFault(Fault{Action: contract.OpUpdateImage, ProductId: "Q", Code: "NoPermission"}); err != nil {
		t.Fatal(err)
	}
	wantOK(t, e.update("P", "n", "IntAttr", "9"))
	wantError(t, e.update("Q", "m", "IntAttr", "9"), contract.NoPermission)
	wantOK(t, e.update("Q", "m", "IntAttr", "9"))

	e.srv.InjectFault(Fault{Code: "NoPermission"})
	e.srv.ClearFaults()
	wantOK(t, e.v1(contract.OpDetail, form("InstanceName", testInstance), nil))
}

// TestInjectFaultRejects checks the faults that cannot be served.
func TestInjectFaultRejects(t *testing.T) {
	srv, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, f := range []Fault{
		{Code: "NoSuchCode"},                 // no documented status
		{Code: "X", Status: 200},             // not an error status
		{Code: "InternalError", Status: 600}, // beyond 599
		{DelayMs: -1},
		{DelayMs: 60_001},
	} {
		if err := srv.InjectFault(f); err == nil {
			t.Errorf("InjectFault(%+v) accepted", f)
		}
	}
}

// admin sends an admin request through ServeHTTP from remote.
func admin(srv *Server, method, path, body, remote string) (int, map[string]any) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = remote
	req.Header.Set(AdminHeader, "1")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var m map[string]any
	json.Unmarshal(rec.Body.Bytes(), &m)
	return rec.Code, m
}

// TestAdminRoutes checks the emulator's own routes over real HTTP from loopback.
func TestAdminRoutes(t *testing.T) {
	e := startEnv(t, Options{Profile: contract.CN2026, Mutants: []string{"no-throttling", "length-in-bytes"},
		Readings:  []string{"unsent=reset", "head=documented"},
		Instances: []Instance{{Name: testInstance, Unlimited: true}, {Name: "another", Unlimited: true}}})
	call := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL()+path, strings.NewReader(body))
		req.Header.Set(AdminHeader, "1")
		resp, err := e.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
		return resp.StatusCode, m
	}

	code, h := call("GET", "/_emulator/health", "")
	if code != 200 || h["status"] != "ok" || h["profile"] != "cn-2026" ||
		describe(h["instances"]) != `["another","demoinstance"]` || describe(h["mutants"]) != `["length-in-bytes","no-throttling"]` ||
		describe(h["readings"]) != `["head=documented","unsent=reset"]` {
		t.Errorf("health: %d %v", code, h)
	}

	code, m := call("POST", "/_emulator/faults", `{"action":"Detail","code":"NoPermission"}`)
	if code != 200 || m["status"] != "queued" {
		t.Fatalf("POST faults: %d %v", code, m)
	}
	wantError(t, e.v1(contract.OpDetail, form("InstanceName", testInstance), nil), contract.NoPermission)

	for _, body := range []string{`{"action":`, `{"bogus":1}`, `{"code":"NoSuchCode"}`} {
		if code, m := call("POST", "/_emulator/faults", body); code != 400 || m["Message"] == nil {
			t.Errorf("POST faults %s: %d %v", body, code, m)
		}
	}
	call("POST", "/_emulator/faults", `{"code":"InternalError","count":5}`)
	if code, _ := call("DELETE", "/_emulator/faults", ""); code != 200 {
		t.Errorf("DELETE faults: %d", code)
	}
	wantOK(t, e.v1(contract.OpDetail, form("InstanceName", testInstance), nil))

	e.add("P", "a", 1)
	wantOK(t, e.v1(contract.OpAddImage, with2(addForm("P", "b", 2), "InstanceName", "another"), nil))
	if code, _ := call("POST", "/_emulator/reset?instance="+testInstance, ""); code != 200 {
		t.Errorf("reset one instance: %d", code)
	}
	if ok, _ := e.exists("P", "a"); ok {
		t.Error("reset kept an image")
	}
	r := e.v1(contract.OpCheckImageExists, form("InstanceName", "another", "ProductId", "P", "PicName", "b"), nil)
	if r.M["Exists"] != true {
		t.Error("resetting one instance emptied another")
	}
	call("POST", "/_emulator/reset", "")
	r = e.v1(contract.OpCheckImageExists, form("InstanceName", "another", "ProductId", "P", "PicName", "b"), nil)
	if r.M["Exists"] != false {
		t.Error("reset of all instances kept an image")
	}
	// The search index is reset too.
	hits, _ := e.search(contract.OpSearchImageByPic, "PicContent", picB64(1))
	if len(hits) != 0 {
		t.Errorf("search after reset found %v", names(hits))
	}

	for _, route := range [][3]string{{"GET", "/_emulator/nothing", "404"}, {"PUT", "/_emulator/health", "405"},
		{"GET", "/_emulator/reset", "405"}, {"PATCH", "/_emulator/faults", "405"}} {
		if code, _ := call(route[0], route[1], ""); strconv.Itoa(code) != route[2] {
			t.Errorf("%s %s: %d, want %s", route[0], route[1], code, route[2])
		}
	}
}

// TestAdminLoopbackOnly checks that the admin routes answer loopback clients only.
func TestAdminLoopbackOnly(t *testing.T) {
	srv, err := New(Options{Instances: []Instance{{Name: testInstance}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, remote := range []string{"192.0.2.1:1234", "[2001:db8::1]:80", "10.0.0.1:5", "garbage"} {
		for _, route := range [][2]string{{"GET", "/_emulator/health"}, {"POST", "/_emulator/reset"},
			{"POST", "/_emulator/faults"}, {"DELETE", "/_emulator/faults"}} {
			code, m := admin(srv, route[0], route[1], `{"code":"InternalError"}`, remote)
			if code != http.StatusForbidden || m["Message"] == nil {
				t.Errorf("%s %s from %s: %d %v, want 403", route[0], route[1], remote, code, m)
			}
		}
	}
	if err := srv.InjectFault(Fault{Action: "Detail"}); err != nil { // the queue must still be usable
		t.Fatal(err)
	}
	for _, remote := range []string{"127.0.0.1:1234", "[::1]:1234", "127.8.9.10:1"} {
		if code, m := admin(srv, "GET", "/_emulator/health", "", remote); code != 200 || m["status"] != "ok" {
			t.Errorf("health from %s: %d %v", remote, code, m)
		}
	}
	if names := srv.health().Instances; !slices.Equal(names, []string{testInstance}) {
		t.Errorf("health instances %v", names)
	}
}

// TestClearFaultsFor checks that clearing the faults of one ProductId, by method or admin route, keeps
// every other queued fault: parallel suite processes share one emulator.
func TestClearFaultsFor(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("A", "n", 1)
	e.add("B", "n", 2)
	queue := func() {
		for _, f := range []Fault{{ProductId: "A", Code: "NoPermission", Count: 5}, {ProductId: "B", Code: "NoPermission", Count: 5}} {
			if err := e.srv.InjectFault(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(how string) {
		t.Helper()
		wantOK(t, e.update("A", "n", "IntAttr", "1"))
		if r := e.update("B", "n", "IntAttr", "1"); r.Status != 403 {
			t.Errorf("%s: B's fault was dropped too: %d %s", how, r.Status, r.Body)
		}
	}
	queue()
	e.srv.ClearFaultsFor("A")
	check("ClearFaultsFor")
	e.srv.ClearFaults()
	queue()
	req, _ := http.NewRequest("DELETE", e.srv.URL()+"/_emulator/faults?productId=A", nil)
	req.Header.Set(AdminHeader, "1")
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	check("DELETE ?productId=A")
	if code, _ := admin(e.srv, "DELETE", "/_emulator/faults", "", "127.0.0.1:1"); code != 200 {
		t.Fatalf("DELETE all: %d", code)
	}
	wantOK(t, e.update("B", "n", "IntAttr", "1"))
}

// TestResetClearsQPSWindows checks that a reset also empties the QPS windows, so a run starting on a reset
// emulator is not throttled by the one before it.
func TestResetClearsQPSWindows(t *testing.T) {
	e, _ := throttleEnv(t, Instance{})
	burst(t, e, updateCall, 0, contract.UpdateImageQPS, contract.DeniedRequest)
	wantError(t, e.update("P", "n", "IntAttr", "1"), contract.DeniedRequest)
	if err := e.srv.Reset(""); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.update("P", "n", "IntAttr", "1"), contract.PicNotExist) // admitted; the image is gone
}

// TestAdminRefusesBrowsers checks that a web page cannot drive the admin routes: a write without the admin
// header (a "simple" cross-origin request) and any request from a non-loopback Origin are refused, and a
// refused reset deletes nothing.
func TestAdminRefusesBrowsers(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1)
	send := func(method, path, body string, header map[string]string) int {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL()+path, strings.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := e.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		method, path, body string
		header             map[string]string
		want               int
	}{
		{"POST", "/_emulator/reset", "x", map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example"}, 403},
		{"POST", "/_emulator/reset", "", nil, 403}, // no admin header
		{"POST", "/_emulator/reset", "", map[string]string{AdminHeader: "1", "Origin": "http://evil.example"}, 403},
		{"GET", "/_emulator/health", "", map[string]string{"Origin": "https://evil.example"}, 403},
		{"POST", "/_emulator/faults", `{"code":"InternalError"}`, map[string]string{"Content-Type": "text/plain"}, 403},
		{"DELETE", "/_emulator/faults", "", nil, 403},
		{"GET", "/_emulator/health", "", map[string]string{"Origin": "http://localhost:3000"}, 200},
		{"GET", "/_emulator/health", "", nil, 200},
	} {
		if got := send(c.method, c.path, c.body, c.header); got != c.want {
			t.Errorf("%s %s %v: %d, want %d", c.method, c.path, c.header, got, c.want)
		}
	}
	if r := e.call(contract.OpCheckImageExists, testInstance, "ProductId", "P", "PicName", "n"); !strings.Contains(string(r.Body), `"Exists":true`) {
		t.Errorf("a refused reset deleted the image: %s", r.Body)
	}
}

// TestFaultValidation checks that every field of a fault is validated with a clear 400.
func TestFaultValidation(t *testing.T) {
	srv, err := New(Options{Instances: []Instance{{Name: testInstance}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, body := range []string{`{"action":"NoSuchAction","code":"InternalError"}`, `{"code":"InternalError","count":-1}`,
		`{"code":"InternalError","count":1000000}`, `{"code":"InternalError"} trailing`, `{"code":"NotACode"}`,
		`{"code":"InternalError","delayMs":-5}`, `{"code":"InternalError","bogus":1}`} {
		if code, m := admin(srv, "POST", "/_emulator/faults", body, "127.0.0.1:1"); code != 400 || m["Message"] == nil {
			t.Errorf("%s: %d %v, want 400 with an error", body, code, m)
		}
	}
	if code, _ := admin(srv, "POST", "/_emulator/faults", `{"action":"UpdateImage","code":"InternalError","count":2}`, "127.0.0.1:1"); code != 200 {
		t.Errorf("a valid fault: %d", code)
	}
}
