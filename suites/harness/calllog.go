package harness

import (
	"errors"
	"sort"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// Bounds of one process's call log: a long paced run makes far fewer calls than callLogLimit, the in-process
// run about 7 000. The calls of the throttling specs are kept up to callLogHardLimit, so a run that fills
// the log earlier still draws its whole burst.
const (
	callLogLimit     = 50_000
	callLogHardLimit = 60_000
	maxLoggedName    = 64 // an instance name longer than this is cut: specs send over-long names on purpose
)

// CallRecord is one call of the run's call log, the data of the summary's figures.
type CallRecord struct {
	Time      time.Time `json:"t"` // when the call was handed to the client
	Action    string    `json:"a"`
	Instance  string    `json:"i"`
	Status    int       `json:"s"`           // HTTP status; 0: no HTTP answer
	Code      string    `json:"c,omitempty"` // the error code of an error answer
	LatencyMs float64   `json:"ms"`
	Spec      int       `json:"spec"` // index into CallLog.Specs
}

// CallLog is the call log of one process, or of a run once ReadStats has merged its processes. Spec names
// are kept once, in Specs, because thousands of calls share a few hundred names.
type CallLog struct {
	Specs   []string     `json:"specs"`
	Calls   []CallRecord `json:"calls"`
	Dropped int          `json:"dropped"` // calls not logged because the log was full
	index   map[string]int
}

// add logs one call made by spec; throttling marks the calls of the specs that throttle on purpose.
func (l *CallLog) add(ci imagesearch.CallInfo, spec string, throttling bool) {
	if n := len(l.Calls); n >= callLogHardLimit || (n >= callLogLimit && !throttling) {
		l.Dropped++
		return
	}
	inst := ci.Params["InstanceName"]
	if len(inst) > maxLoggedName {
		inst = inst[:maxLoggedName]
	}
	l.Calls = append(l.Calls, CallRecord{Time: ci.Start, Action: ci.Action, Instance: inst, Status: ci.HTTPStatus,
		Code: errorCode(ci.Err), LatencyMs: float64(ci.Duration.Microseconds()) / 1000, Spec: l.specIndex(spec)})
}

func (l *CallLog) specIndex(spec string) int {
	if l.index == nil {
		l.index = make(map[string]int, len(l.Specs))
		for i, s := range l.Specs {
			l.index[s] = i
		}
	}
	i, ok := l.index[spec]
	if !ok {
		i = len(l.Specs)
		l.Specs = append(l.Specs, spec)
		l.index[spec] = i
	}
	return i
}

// merge appends another process's log, renumbering its specs.
func (l *CallLog) merge(o CallLog) {
	for _, c := range o.Calls {
		if c.Spec >= 0 && c.Spec < len(o.Specs) {
			c.Spec = l.specIndex(o.Specs[c.Spec])
		}
		l.Calls = append(l.Calls, c)
	}
	l.Dropped += o.Dropped
	sort.SliceStable(l.Calls, func(i, j int) bool { return l.Calls[i].Time.Before(l.Calls[j].Time) })
}

// SpecOf names the spec of a logged call ("" when unknown).
func (l CallLog) SpecOf(c CallRecord) string {
	if c.Spec < 0 || c.Spec >= len(l.Specs) {
		return ""
	}
	return l.Specs[c.Spec]
}

// copy returns a snapshot that shares nothing mutable with l.
func (l *CallLog) copy() CallLog {
	return CallLog{Specs: append([]string{}, l.Specs...), Calls: append([]CallRecord{}, l.Calls...), Dropped: l.Dropped}
}

// CallLog returns a snapshot of the calls this process has logged.
func (a *API) CallLog() CallLog {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.obs.log.copy()
}

// errorCode is the code of an error answer ("" for a success or a call without an answer).
func errorCode(err error) string {
	var ae *imagesearch.APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// refused reports whether a logged call got a throttling answer (ref §1.10).
func (c CallRecord) refused() bool { return c.Code != "" && contract.IsThrottling(c.Code) }

// accepted reports whether a logged call succeeded.
func (c CallRecord) accepted() bool { return c.Status/100 == 2 && c.Code == "" }
