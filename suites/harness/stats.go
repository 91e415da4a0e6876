package harness

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// ProcessStats are one Ginkgo process's call counts; each process writes its own file and the report sums
// them, because under `ginkgo -p` only the first process writes the report.
type ProcessStats struct {
	Calls     map[string]int `json:"calls"`
	Throttled map[string]int `json:"throttled"`
	Rates     Rates          `json:"rates"`
	// ThrottledElsewhere counts DeniedRequest answers outside the throttling specs: it must stay 0
	// against a target with documented limits, since the suite paces itself.
	ThrottledElsewhere []string `json:"throttledElsewhere"`
	// Exhausted reports that the process reached its share of IMAGESEARCH_MAX_CALLS.
	Exhausted bool `json:"exhausted"`
	// CallLog is every call the process logged, for the summary's figures.
	CallLog CallLog `json:"callLog"`
}

// ProcessStats collects what WriteStats saves for this process: the counts, the rates, the throttling
// answers outside the throttling specs, the budget state and the call log.
func (a *API) ProcessStats() ProcessStats {
	calls, throttled := a.Stats()
	return ProcessStats{Calls: calls, Throttled: throttled, Rates: a.Rates(), ThrottledElsewhere: a.ThrottledElsewhere(),
		Exhausted: a.Exhausted(), CallLog: a.CallLog()}
}

// WriteStats saves a process's stats under dir/stats.
func WriteStats(dir string, proc int, s ProcessStats) error {
	if err := os.MkdirAll(filepath.Join(dir, "stats"), 0o755); err != nil {
		return err
	}
	b, _ := json.Marshal(s)
	return os.WriteFile(filepath.Join(dir, "stats", "p"+strconv.Itoa(proc)+".json"), b, 0o644)
}

// ReadStats sums the stats of every process and removes the files.
func ReadStats(dir string) (ProcessStats, error) {
	sum := ProcessStats{Calls: map[string]int{}, Throttled: map[string]int{}, Rates: Rates{}}
	files, err := filepath.Glob(filepath.Join(dir, "stats", "p*.json"))
	if err != nil {
		return sum, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return sum, err
		}
		var s ProcessStats
		if err := json.Unmarshal(b, &s); err != nil {
			return sum, err
		}
		for k, v := range s.Calls {
			sum.Calls[k] += v
		}
		for k, v := range s.Throttled {
			sum.Throttled[k] += v
		}
		for k, v := range s.Rates {
			sum.Rates[k] = v
		}
		sum.ThrottledElsewhere = append(sum.ThrottledElsewhere, s.ThrottledElsewhere...)
		sum.Exhausted = sum.Exhausted || s.Exhausted
		sum.CallLog.merge(s.CallLog)
		os.Remove(f)
	}
	return sum, nil
}

// FloorLine is the time one QPS group's calls need at the group's limit.
type FloorLine struct {
	Group   string
	Calls   int
	QPS     int
	Seconds float64
}

// Floor is the least wall time the run's calls need at the target's limits: each group's calls ÷ its QPS,
// and the largest of them (groups can proceed in parallel). Unpaced groups do not count.
func Floor(calls map[string]int, rates Rates, instance string) (lines []FloorLine, floor float64) {
	groups := map[string]int{}
	for op, n := range calls {
		groups[qpsGroup(op)] += n
	}
	for g, n := range groups {
		qps := rates[instance+"/"+g]
		if qps <= 0 {
			continue
		}
		l := FloorLine{Group: g, Calls: n, QPS: qps, Seconds: float64(n) / float64(qps)}
		lines = append(lines, l)
		floor = math.Max(floor, l.Seconds)
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].Group < lines[j].Group })
	return lines, floor
}

// LatencyResult is one operation's latency over the logged calls that got an HTTP answer.
type LatencyResult struct {
	Action string  `json:"action"`
	Calls  int     `json:"calls"`
	P50Ms  float64 `json:"p50Ms"`
	P95Ms  float64 `json:"p95Ms"`
	P99Ms  float64 `json:"p99Ms"`
	MaxMs  float64 `json:"maxMs"`
}

// Latency computes each operation's latency percentiles from the call log, operations in name order.
// Calls without an answer are left out: their time is a timeout or a refused connection, not the service's.
func Latency(log CallLog) []LatencyResult {
	byOp := map[string][]float64{}
	for _, c := range log.Calls {
		if c.Status != 0 {
			byOp[c.Action] = append(byOp[c.Action], c.LatencyMs)
		}
	}
	out := []LatencyResult{}
	for op, ms := range byOp {
		sort.Float64s(ms)
		out = append(out, LatencyResult{Action: op, Calls: len(ms), P50Ms: percentile(ms, 50),
			P95Ms: percentile(ms, 95), P99Ms: percentile(ms, 99), MaxMs: percentile(ms, 100)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

// percentile is the nearest-rank percentile p of sorted, rounded to 0.01 ms.
func percentile(sorted []float64, p float64) float64 {
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return math.Round(sorted[max(i, 0)]*100) / 100
}
