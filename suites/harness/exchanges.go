package harness

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// ExchangesEntry names the report entry that carries a failed spec's HTTP exchanges (an Exchanges value);
// results.json, summary.html and the spec's JUnit failure text show it.
const ExchangesEntry = "http-exchanges"

// Bounds of a failed spec's exchanges: the last calls before the failure say most, and a JUnit failure
// text a person scrolls through must stay short.
const (
	exchangeLimit      = 10
	exchangeBodyLimit  = 2048
	exchangeParamLimit = 256
)

// Exchange is one HTTP exchange of a spec, with credentials masked (maskParam, scrubber).
type Exchange struct {
	Time      time.Time         `json:"time"`
	Action    string            `json:"action"`
	Params    map[string]string `json:"params"`
	Status    int               `json:"status"` // 0: no HTTP answer (Error says why)
	Code      string            `json:"code,omitempty"`
	RequestID string            `json:"requestId,omitempty"`
	LatencyMs float64           `json:"latencyMs"`
	Body      string            `json:"body"`
	BodyBytes int               `json:"bodyBytes"` // the whole body's size; Body is cut at 2 KB
	Error     string            `json:"error,omitempty"`
}

// Exchanges are the last HTTP exchanges of a spec (at most 10): Calls counts all the spec made.
type Exchanges struct {
	Calls int        `json:"calls"`
	Shown []Exchange `json:"shown"`
}

// String renders the exchanges as the plain text of a JUnit failure and of Ginkgo's timeline.
func (e Exchanges) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP exchanges of this spec: the last %d of %d calls\n", len(e.Shown), e.Calls)
	for i, x := range e.Shown {
		fmt.Fprintf(&b, "--- %d. %s %s", i+1, x.Time.UTC().Format("15:04:05.000"), x.Action)
		keys := make([]string, 0, len(x.Params))
		for k := range x.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%q", k, x.Params[k])
		}
		fmt.Fprintf(&b, "\n    → %s in %.1f ms", x.StatusText(), x.LatencyMs)
		if x.RequestID != "" {
			fmt.Fprintf(&b, ", RequestId %s", x.RequestID)
		}
		b.WriteString("\n")
		if x.Body != "" {
			fmt.Fprintf(&b, "    %s\n", x.Body)
		}
	}
	return b.String()
}

// StatusText is the answer in a few words: "HTTP 400 InvalidParameter", or the transport error.
func (x Exchange) StatusText() string {
	if x.Status == 0 {
		return "no answer: " + x.Error
	}
	s := fmt.Sprintf("HTTP %d", x.Status)
	if x.Code != "" {
		s += " " + x.Code
	}
	if x.BodyBytes > len(x.Body) {
		s += fmt.Sprintf(" (body cut at %d of %d bytes)", len(x.Body), x.BodyBytes)
	}
	return s
}

// observations is what the API keeps of its calls beyond the counts: the run's call log for the figures
// and the current spec's last calls for its failure report. Guarded by API.mu.
type observations struct {
	log   CallLog
	spec  string                 // the spec the calls below belong to
	calls int                    // calls the spec made
	last  []imagesearch.CallInfo // its last exchangeLimit calls, oldest first
}

// observe logs a call of spec; a call of another spec than the previous one starts that spec's exchanges.
func (o *observations) observe(ci imagesearch.CallInfo, spec string, throttling bool) {
	o.log.add(ci, spec, throttling)
	if spec != o.spec {
		o.spec, o.calls, o.last = spec, 0, nil
	}
	o.calls++
	if len(o.last) >= exchangeLimit {
		o.last = append(o.last[:0], o.last[1:]...)
	}
	o.last = append(o.last, ci)
}

// take returns and forgets the current spec's exchanges.
func (o *observations) take() (calls []imagesearch.CallInfo, total int) {
	calls, total = o.last, o.calls
	o.spec, o.calls, o.last = "", 0, nil
	return calls, total
}

// TakeExchanges returns and forgets the HTTP exchanges of the running spec, with credentials masked: the
// suite attaches them to a failed spec as AddReportEntry(ExchangesEntry, target.TakeExchanges()).
func (t *Target) TakeExchanges() Exchanges {
	t.API.mu.Lock()
	calls, total := t.API.obs.take()
	t.API.mu.Unlock()
	return exchangesOf(calls, total, scrubber(t.AccessKeySecret, t.AccessKeyID))
}

// exchangesOf masks calls for a report: scrub removes the run's credential from every text.
func exchangesOf(calls []imagesearch.CallInfo, total int, scrub func(string) string) Exchanges {
	e := Exchanges{Calls: total, Shown: []Exchange{}}
	for _, ci := range calls {
		x := Exchange{Time: ci.Start, Action: ci.Action, Params: map[string]string{}, Status: ci.HTTPStatus,
			Code: scrub(errorCode(ci.Err)), RequestID: scrub(ci.RequestId),
			LatencyMs: float64(ci.Duration.Microseconds()) / 1000, BodyBytes: len(ci.Body)}
		for k, v := range ci.Params {
			x.Params[k] = cut(maskParam(k, v, scrub), exchangeParamLimit)
			if k == "PicContent" && len(v) > 64 { // a picture's base64 says nothing to a reader
				x.Params[k] = fmt.Sprintf("(a picture: %d characters of base64)", len(v))
			}
		}
		// Scrubbed before the cut, so a credential that crosses the cut is masked whole.
		x.Body = cut(scrub(string(ci.Body)), exchangeBodyLimit)
		if ci.HTTPStatus == 0 && ci.Err != nil {
			x.Error = cut(scrub(imagesearch.Redact(ci.Err.Error())), exchangeBodyLimit)
		}
		e.Shown = append(e.Shown, x)
	}
	return e
}

// masked are the parameters a report shows as "***": the signature and the one-request tokens.
var masked = map[string]bool{"Signature": true, "SignatureNonce": true, "SecurityToken": true, "BearerToken": true}

// maskParam is how the reports and the recording show a request parameter: the signature parameters as
// "***", the AccessKeyId masked after its first characters (MaskKeyID), the secret nowhere (scrub).
// CallInfo.Params hold none of the signed parameters, but a spec may send them through Raw.
func maskParam(k, v string, scrub func(string) string) string {
	switch {
	case masked[k]:
		return "***"
	case k == "AccessKeyId":
		return MaskKeyID(v)
	}
	return scrub(v)
}

// cut shortens s to at most n bytes on a rune boundary, saying how long it was.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + fmt.Sprintf("… (%d bytes)", len(s))
}
