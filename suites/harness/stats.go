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
