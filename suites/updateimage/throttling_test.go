package updateimage_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// windowTolerance is how many accepted calls above the documented limit a client-side one-second window
// may show. The client sees response times, not the service's admission times: a call admitted near the
// end of one server window can complete in the next, and one admitted early can complete late, so each of
// the two window edges can shift one call across. Two is that bound; more means the limit is not enforced.
const windowTolerance = 2

// outcome is one UpdateImage of a burst.
type outcome struct {
	value    string
	done     time.Time
	err      error
	accepted bool
}

// burst sends n UpdateImage calls at once, unpaced, each setting StrAttr to its own value.
func burst(ctx SpecContext, img image, n int, tag string) []outcome {
	out := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := fmt.Sprintf("%s-%d", tag, i)
			_, err := target.API.Unpaced().UpdateImage(ctx, &imagesearch.UpdateImageRequest{
				InstanceName: target.ThrottleInstance, ProductId: img.ProductId, PicName: ptr(img.PicName),
				Attributes: imagesearch.Attributes{StrAttr: ptr(v)}})
			out[i] = outcome{value: v, done: time.Now(), err: err, accepted: err == nil}
		}()
	}
	wg.Wait()
	return out
}

// maxInAnyWindow is the largest number of accepted calls whose completions fall in one second.
func maxInAnyWindow(outs []outcome) int {
	var ts []time.Time
	for _, o := range outs {
		if o.accepted {
			ts = append(ts, o.done)
		}
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	best := 0
	for i := range ts {
		j := i
		for j < len(ts) && ts[j].Sub(ts[i]) < time.Second {
			j++
		}
		best = max(best, j-i)
	}
	return best
}

var _ = Describe("UpdateImage QPS throttling", Label(harness.AreaThrottling, harness.LabelSlow), Serial, Ordered, func() {
	var img image

	BeforeAll(func(ctx SpecContext) {
		img = addImageAs(ctx, tracker2, tracker2.NewProductID(), "throttle.jpg", baseline())
		DeferCleanup(func(ctx SpecContext) { Expect(tracker2.Cleanup(ctx)).To(Succeed()) })
		api.ExpectThrottling(true)
		DeferCleanup(func() {
			// The bursts went around the client's pacer; let the service's one-second window (ref §1.10)
			// empty before other specs, paced only against their own calls, use the instance again.
			time.Sleep(time.Second + 100*time.Millisecond)
			api.ExpectThrottling(false)
		})
	})

	It("answers a burst above 20 calls per second with 403 DeniedRequest, admits at most the limit per second, and applies no throttled update", func(ctx SpecContext) {
		// 20 calls fill the window (ref §1.10); the 8 that follow at once must all be refused.
		first := burst(ctx, img, contract.UpdateImageQPS, "first")
		second := burst(ctx, img, 8, "second")
		all := append(first, second...)
		accepted, lastAccepted := 0, map[string]bool{}
		for _, o := range all {
			if o.accepted {
				accepted++
				lastAccepted[o.value] = true
				continue
			}
			Expect(o.err).To(harness.HaveContractError(contract.DeniedRequest), "ref §1.10, §2.4: throttled call")
		}
		Expect(accepted).To(BeNumerically("<", len(all)), "ref §1.10: %d calls at once exceed 20/s", len(all))
		Expect(maxInAnyWindow(all)).To(BeNumerically("<=", contract.UpdateImageQPS+windowTolerance),
			"ref §1.10: accepted calls in any one-second window")
		AddReportEntry(harness.MeasurementEntry, harness.Measurement{Name: "UpdateImage burst: accepted in the busiest second",
			Value: float64(maxInAnyWindow(all)), Unit: "calls", Note: fmt.Sprintf("%d sent at once, %d accepted", len(all), accepted)})

		got, _ := readBack(ctx, target.ThrottleInstance, img.Key)
		Expect(lastAccepted).To(HaveKey(got.Str[0]),
			"ref §1.10: StrAttr holds the value of an accepted call; a throttled update must not be applied")
		img.Want.Str[0] = got.Str[0]
	})

	It("accepts calls again after a short pause", func(ctx SpecContext) {
		Eventually(ctx, func() error {
			_, err := update(ctx, target.ThrottleInstance, img.Key, imagesearch.Attributes{StrAttr: ptr("after pause")})
			return err
		}).WithTimeout(5*time.Second).WithPolling(250*time.Millisecond).Should(Succeed(),
			"ref §1.10: the limit is per second")
		img.Want.Str[0] = "after pause"
	})

	It("never throttles calls below the limit", func(ctx SpecContext) {
		tick := time.NewTicker(time.Second / 10)
		defer tick.Stop()
		start, n, denied := time.Now(), 0, 0
		for range 20 {
			<-tick.C
			_, err := update(ctx, target.ThrottleInstance, img.Key, imagesearch.Attributes{IntAttr: i64(int64(n))})
			n++
			var ae *imagesearch.APIError
			if errors.As(err, &ae) && ae.Code == contract.DeniedRequest.Code {
				denied++
				continue
			}
			Expect(err).To(harness.BeSuccess())
		}
		rate := float64(n) / time.Since(start).Seconds()
		AddReportEntry(harness.MeasurementEntry, harness.Measurement{Name: "UpdateImage steady rate below the limit",
			Value: rate, Unit: "calls/s", Note: fmt.Sprintf("%d throttled", denied)})
		Expect(denied).To(BeZero(), "ref §1.10: 10 calls per second are under the 20/s limit")
	})
})
