package emulator

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// TestLatency checks the latency freedom: each call waits at least MIN on the way in and again on the way
// out, a client that gives up is not kept waiting, and Close cuts waits short instead of hanging.
func TestLatency(t *testing.T) {
	t.Parallel()
	e := startEnv(t, Options{Readings: []string{"latency=40ms-40ms"}})
	t0 := time.Now()
	r := e.call(contract.OpDetail, testInstance)
	if took := time.Since(t0); r.Status != 200 || took < 80*time.Millisecond {
		t.Errorf("Detail answered %d after %v, want 200 after at least 2 × 40ms", r.Status, took)
	}
	wantError(t, e.call(contract.OpDetail, "nosuchinstance"), contract.ConsoleInstanceNotFound) // errors wait too, unchanged

	srv, err := Start(Options{Readings: []string{"latency=10s"}, Instances: []Instance{{Name: testInstance}},
		Credentials: []Credential{{ID: testKeyID, Secret: testSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	slow := &env{t: t, srv: srv, now: time.Now, http: &http.Client{}}
	c, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := (&rawReq{Form: form("InstanceName", testInstance)})
	signV1(req, contract.OpDetail, testKeyID, testSecret, time.Now())
	t0 = time.Now()
	if _, err := slow.http.Do(req.build(srv.URL()).WithContext(c)); err == nil || time.Since(t0) > 2*time.Second {
		t.Errorf("a cancelled call: err %v after %v, want an error at once", err, time.Since(t0))
	}
	inFlight := make(chan struct{})
	go func() {
		defer close(inFlight)
		req := &rawReq{Form: form("InstanceName", testInstance)}
		signV1(req, contract.OpDetail, testKeyID, testSecret, time.Now())
		if resp, err := slow.http.Do(req.build(srv.URL())); err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(50 * time.Millisecond) // let the call reach its wait
	t0 = time.Now()
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if took := time.Since(t0); took > 2*time.Second {
		t.Errorf("Close took %v with a call waiting out a 10 s latency", took)
	}
	<-inFlight
}

// TestTransient5xx checks the transient-5xx freedom: the fraction of calls other than UpdateImage that
// answer 503 ServiceUnavailable before the operation runs.
func TestTransient5xx(t *testing.T) {
	t.Parallel()
	e := startEnv(t, Options{Readings: []string{"transient-5xx=1"}})
	for _, r := range []reply{
		e.call(contract.OpDetail, testInstance),
		e.put(testInstance, "P", "n", 1),
		e.call(contract.OpCheckImageExists, testInstance, "ProductId", "P", "PicName", "n"),
		e.call(contract.OpDeleteImage, testInstance, "ProductId", "P"),
	} {
		wantError(t, r, contract.ServiceUnavailable)
	}
	// UpdateImage is spared, and shows that the failed AddImage created nothing.
	wantError(t, e.update("P", "n", "IntAttr", "1"), contract.PicNotExist)

	e = startEnv(t, Options{Readings: []string{"transient-5xx=0.5"}})
	failed := 0
	const calls = 200
	for range calls {
		if e.call(contract.OpDetail, testInstance).Status == 503 {
			failed++
		}
	}
	if failed < calls/4 || failed > calls*3/4 { // 7 standard deviations either side of 100
		t.Errorf("%d of %d calls failed at a fraction of 0.5", failed, calls)
	}
}

// TestIndexLag checks the index-lag freedom beyond the probe: a replaced image leaves the results until
// the lag has passed again, a deletion is immediate, an update of a lagging image is visible at once to
// CheckImageExists, and a lagging image can seed SearchImageByName.
func TestIndexLag(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	e := startEnv(t, Options{Now: clock.Now, Readings: []string{"index-lag=1s"}})
	visible := func(seed int64) bool {
		_, _, n := e.top(seed)
		return n > 0
	}
	e.put(testInstance, "P", "n", 1)
	clock.Advance(999 * time.Millisecond)
	if visible(1) {
		t.Error("visible before the lag has passed")
	}
	clock.Advance(time.Millisecond)
	if !visible(1) {
		t.Error("not visible once the lag has passed")
	}
	e.put(testInstance, "P", "n", 2) // replaced: out of the results again
	wantOK(t, e.update("P", "n", "IntAttr", "5"))
	if visible(2) {
		t.Error("a replaced image is visible before the lag has passed")
	}
	if _, a := e.exists("P", "n"); num(a["IntAttr"]) != "5" {
		t.Errorf("CheckImageExists does not see the update at once: %v", a)
	}
	wantOK(t, e.call(contract.OpSearchImageByName, testInstance, "ProductId", "P", "PicName", "n"))
	clock.Advance(time.Second)
	if !visible(2) {
		t.Error("the replaced image did not come back")
	}
	wantOK(t, e.call(contract.OpDeleteImage, testInstance, "ProductId", "P"))
	if visible(2) {
		t.Error("a deleted image is still in the results")
	}
}

// TestExtraField checks the splice of the extra-fields freedom into encoded objects.
func TestExtraField(t *testing.T) {
	s := &Server{b: defaultBehaviour()}
	if got := string(s.withExtraField([]byte(`{"a":1}`))); got != `{"a":1}` {
		t.Errorf("off: %s", got)
	}
	s.b.extraField = "EmulatorExtra"
	for in, want := range map[string]string{
		`{"a":1}` + "\n": `{"EmulatorExtra":"x","a":1}` + "\n",
		"{}\n":           `{"EmulatorExtra":"x"}` + "\n",
		"[1]":            "[1]",
		"":               "",
	} {
		if got := string(s.withExtraField([]byte(in))); got != want {
			t.Errorf("withExtraField(%q) = %q, want %q", in, got, want)
		}
	}
	e := startEnv(t, Options{Readings: []string{"extra-fields=on"}})
	for _, r := range []reply{e.call(contract.OpDetail, testInstance), e.call(contract.OpDetail, "nosuchinstance")} {
		if r.M["EmulatorExtra"] != "x" || r.M["RequestId"] == nil {
			t.Errorf("body %s", r.Body)
		}
	}
}
