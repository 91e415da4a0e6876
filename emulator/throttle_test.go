package emulator

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// throttleEnv starts an emulator whose only instance has its QPS limits on, with a fake clock, and adds
// the image P/n (then moves the clock past AddImage's window).
func throttleEnv(t *testing.T, in Instance) (*env, *fakeClock) {
	clock := newFakeClock()
	in.Name = testInstance
	e := startEnv(t, Options{Now: clock.Now, Instances: []Instance{in}})
	e.add("P", "n", 1, "IntAttr", "0")
	clock.Advance(time.Second)
	return e, clock
}

// throttled is one kind of request of a throttling test: the action and its parameters for the i-th call.
type throttled struct {
	action string
	form   func(i int) url.Values
}

var (
	updateCall = throttled{contract.OpUpdateImage, func(i int) url.Values {
		return form("InstanceName", testInstance, "ProductId", "P", "PicName", "n", "IntAttr", strconv.Itoa(i))
	}}
	deleteCall = throttled{contract.OpDeleteImage, func(i int) url.Values {
		return form("InstanceName", testInstance, "ProductId", "P", "PicName", fmt.Sprintf("none%d", i))
	}}
	addCall = throttled{contract.OpAddImage, func(i int) url.Values {
		return addForm("A", fmt.Sprintf("a%d", i), int64(i%3+1))
	}}
	byPicCall = throttled{contract.OpSearchImageByPic, func(int) url.Values {
		return form("InstanceName", testInstance, "PicContent", picB64(1))
	}}
	byNameCall = throttled{contract.OpSearchImageByName, func(int) url.Values {
		return form("InstanceName", testInstance, "ProductId", "P", "PicName", "n")
	}}
	existsCall = throttled{contract.OpCheckImageExists, func(int) url.Values {
		return form("InstanceName", testInstance, "ProductId", "P", "PicName", "n")
	}}
	detailCall = throttled{contract.OpDetail, func(int) url.Values { return form("InstanceName", testInstance) }}
)

// burst sends n calls of c at the current fake instant and returns how many were accepted; every
// refusal must be exactly denied.
func burst(t *testing.T, e *env, c throttled, from, n int, denied contract.Error) int {
	t.Helper()
	ok := 0
	for i := from; i < from+n; i++ {
		r := e.v1(c.action, c.form(i), nil)
		if r.Status == 200 {
			ok++
			continue
		}
		wantError(t, r, denied)
	}
	return ok
}

// TestQPSLimits checks that each operation group admits exactly its documented number of requests in
// any one-second window, refusing the rest with DeniedRequest: 403 on the data plane, 400 on Detail
// (ref §1.10, §9 #5).
func TestQPSLimits(t *testing.T) {
	cases := []struct {
		name   string
		in     Instance
		call   throttled
		limit  int
		denied contract.Error
	}{
		{"UpdateImage", Instance{}, updateCall, contract.UpdateImageQPS, contract.DeniedRequest},
		{"DeleteImage", Instance{}, deleteCall, contract.DeleteImageQPS, contract.DeniedRequest},
		{"AddImage capacity 100000", Instance{Capacity: 100_000}, addCall, 1, contract.DeniedRequest},
		{"AddImage capacity 2.5M", Instance{}, addCall, 5, contract.DeniedRequest},
		{"AddImage capacity 100001", Instance{Capacity: 100_001}, addCall, 5, contract.DeniedRequest},
		{"SearchImageByPic QPS 3", Instance{SearchQPS: 3}, byPicCall, 3, contract.DeniedRequest},
		{"SearchImageByName QPS 1", Instance{SearchQPS: 1}, byNameCall, 1, contract.DeniedRequest},
		{"CheckImageExists default QPS", Instance{}, existsCall, contract.DefaultSearchQPS, contract.DeniedRequest},
		{"Detail", Instance{}, detailCall, contract.DetailQPS, contract.DeniedRequestDetail},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, clock := throttleEnv(t, tc.in)
			if got := burst(t, e, tc.call, 0, tc.limit+3, tc.denied); got != tc.limit {
				t.Fatalf("burst of %d: %d accepted, want %d", tc.limit+3, got, tc.limit)
			}
			clock.Advance(999 * time.Millisecond)
			if got := burst(t, e, tc.call, 100, 1, tc.denied); got != 0 {
				t.Errorf("999 ms later: %d accepted, want 0 (sliding one-second window)", got)
			}
			clock.Advance(time.Millisecond)
			if got := burst(t, e, tc.call, 200, tc.limit+1, tc.denied); got != tc.limit {
				t.Errorf("one second later: %d accepted, want %d", got, tc.limit)
			}
		})
	}
}

// TestQPSGroups checks that the searches and CheckImageExists share the instance's search QPS, and that
// the other groups are independent of each other (ref §1.10).
func TestQPSGroups(t *testing.T) {
	e, _ := throttleEnv(t, Instance{SearchQPS: 3})
	for _, c := range []throttled{byPicCall, byNameCall, existsCall} {
		if burst(t, e, c, 0, 1, contract.DeniedRequest) != 1 {
			t.Fatalf("%s refused within the shared search QPS", c.action)
		}
	}
	for _, c := range []throttled{byPicCall, byNameCall, existsCall} {
		if burst(t, e, c, 0, 1, contract.DeniedRequest) != 0 {
			t.Errorf("%s accepted beyond the shared search QPS of 3", c.action)
		}
	}
	if burst(t, e, updateCall, 0, contract.UpdateImageQPS, contract.DeniedRequest) != contract.UpdateImageQPS {
		t.Error("UpdateImage throttled by the search group")
	}
	if burst(t, e, deleteCall, 0, contract.DeleteImageQPS, contract.DeniedRequest) != contract.DeleteImageQPS {
		t.Error("DeleteImage throttled by UpdateImage's window")
	}
	if burst(t, e, detailCall, 0, 1, contract.DeniedRequestDetail) != 1 || burst(t, e, addCall, 0, 1, contract.DeniedRequest) != 1 {
		t.Error("Detail or AddImage throttled by another group")
	}
}

// TestUnlimitedInstance checks that an Unlimited instance is never throttled.
func TestUnlimitedInstance(t *testing.T) {
	clock := newFakeClock()
	e := startEnv(t, Options{Now: clock.Now, Instances: []Instance{{Name: testInstance, Capacity: 100_000, SearchQPS: 1, Unlimited: true}}})
	e.add("P", "n", 1)
	for _, c := range []struct {
		call throttled
		n    int
	}{{updateCall, 60}, {deleteCall, 60}, {addCall, 10}, {byPicCall, 5}, {existsCall, 10}, {detailCall, 10}} {
		if got := burst(t, e, c.call, 0, c.n, contract.DeniedRequest); got != c.n {
			t.Errorf("%s: %d of %d accepted on an Unlimited instance", c.call.action, got, c.n)
		}
	}
}

// TestThrottledRequestChangesNothing checks that a refused write leaves the instance as it was.
func TestThrottledRequestChangesNothing(t *testing.T) {
	t.Run("UpdateImage", func(t *testing.T) {
		e, _ := throttleEnv(t, Instance{})
		burst(t, e, updateCall, 1, contract.UpdateImageQPS, contract.DeniedRequest) // IntAttr = 1..20
		wantError(t, e.update("P", "n", "IntAttr", "999", "StrAttr", "throttled"), contract.DeniedRequest)
		_, a := e.exists("P", "n")
		wantAttrs(t, a, "IntAttr", strconv.Itoa(contract.UpdateImageQPS), "StrAttr", "")
	})
	t.Run("AddImage", func(t *testing.T) {
		e, _ := throttleEnv(t, Instance{Capacity: 100_000})
		e.add("P", "first", 2)
		wantError(t, e.v1(contract.OpAddImage, addForm("P", "second", 3), nil), contract.DeniedRequest)
		wantError(t, e.v1(contract.OpAddImage, addForm("P", "n", 3, "IntAttr", "5"), nil), contract.DeniedRequest)
		if ok, _ := e.exists("P", "second"); ok {
			t.Error("a throttled AddImage created an image")
		}
		_, a := e.exists("P", "n")
		wantAttrs(t, a, "IntAttr", "0")
	})
	t.Run("DeleteImage", func(t *testing.T) {
		e, _ := throttleEnv(t, Instance{})
		burst(t, e, deleteCall, 0, contract.DeleteImageQPS, contract.DeniedRequest)
		r := e.v1(contract.OpDeleteImage, form("InstanceName", testInstance, "ProductId", "P"), nil)
		wantError(t, r, contract.DeniedRequest)
		if ok, _ := e.exists("P", "n"); !ok {
			t.Error("a throttled DeleteImage deleted the image")
		}
	})
}

// TestThrottleCodes checks every value of throttle-code against contract.ThrottlingAnswers: each answer of
// the table is a value, and with it every throttled call, Detail's too, gets that answer with the table's
// status and code, the table's message where the reference gives one and a message always (ref §1.4).
func TestThrottleCodes(t *testing.T) {
	if want := len(contract.ThrottlingAnswers); strings.Count(throttleCodes, "|")+1 != want {
		t.Errorf("throttle-code values %q, want the %d codes of contract.ThrottlingAnswers", throttleCodes, want)
	}
	for _, answer := range contract.ThrottlingAnswers {
		t.Run(answer.Code, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			e := startEnv(t, Options{Now: clock.Now, Readings: []string{"throttle-code=" + answer.Code},
				Instances: []Instance{{Name: testInstance}}})
			e.add("P", "n", 1)
			clock.Advance(time.Second)
			for _, c := range []struct {
				call  throttled
				limit int
			}{{updateCall, contract.UpdateImageQPS}, {detailCall, contract.DetailQPS}} {
				for i := range c.limit + 2 {
					r := e.v1(c.call.action, c.call.form(i), nil)
					if i < c.limit {
						continue
					}
					want := answer
					if answer.Code == contract.DeniedRequest.Code && c.call.action == contract.OpDetail {
						want = contract.DeniedRequestDetail // ref §9 #5
					}
					if want.Message == "" {
						wantCode(t, r, want.Status, want.Code)
						if r.str("Message") == "" {
							t.Errorf("%s: throttled %s answers no Message", answer.Code, c.call.action)
						}
						continue
					}
					wantError(t, r, want)
				}
			}
		})
	}
}
