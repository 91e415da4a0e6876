package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// counters are one client's figures; the report adds them up.
type counters struct {
	calls          [numOps][numOutcomes]int
	latency        [numOps][]time.Duration // of the successful calls
	acked          [numOps]int             // writes answered with success
	unacked        int                     // write attempts that got no answer (retried)
	contradictions int                     // answers that no sequence of the earlier answers allows
}

func (c *counters) add(o *counters) {
	for op := range numOps {
		for out := range numOutcomes {
			c.calls[op][out] += o.calls[op][out]
		}
		c.acked[op] += o.acked[op]
		c.latency[op] = append(c.latency[op], o.latency[op]...)
	}
	c.unacked += o.unacked
	c.contradictions += o.contradictions
}

// Report holds the figures of one soak run.
type Report struct {
	Duration time.Duration
	Clients  int
	Images   int // images per client
	counters
	// Verified is how many images the final check read after the last restart, Present how many of them
	// exist, Lost how many hold a state that no acknowledged history allows (an acknowledged write
	// missing or overwritten, or an acknowledged delete undone), Unverified how many it could not read.
	Verified, Present, Lost, Unverified int
	// Unsearchable counts present images SearchImageByName could not find after the last restart, and
	// deleted ones it still found.
	Unsearchable int
	// TotalCount is Detail's image count after the last restart (-1 if unread).
	TotalCount int64
	Restarts   int // kill -9 and restart, the final one included
	Crashes    int // emulator processes that exited before the soak killed them
	// RestartTimes are how long each restart took from the kill to a healthy answer.
	RestartTimes []time.Duration
	Procs        []procStats
	MaxRSSKB     int64 // the limit; 0: none
	Issues       []string
}

// serverErrors is the number of 5xx answers.
func (r *Report) serverErrors() int {
	n := 0
	for op := range numOps {
		n += r.calls[op][serverErr]
	}
	return n
}

// Failures lists what makes the run fail; empty means it passed.
func (r *Report) Failures() []string {
	var f []string
	add := func(cond bool, format string, a ...any) {
		if cond {
			f = append(f, fmt.Sprintf(format, a...))
		}
	}
	add(r.Lost > 0, "%d acknowledged writes lost", r.Lost)
	add(r.Crashes > 0, "%d emulator processes exited on their own", r.Crashes)
	add(r.serverErrors() > 0, "%d answers were 5xx", r.serverErrors())
	add(r.contradictions > 0, "%d answers contradicted the acknowledged writes during the run", r.contradictions)
	add(r.Unverified > 0, "%d images could not be read after the last restart", r.Unverified)
	add(r.Unsearchable > 0, "%d images disagree between CheckImageExists and SearchImageByName", r.Unsearchable)
	add(r.TotalCount != int64(r.Present), "Detail.TotalCount %d, but %d images exist", r.TotalCount, r.Present)
	for _, p := range r.Procs {
		add(r.MaxRSSKB > 0 && p.MaxKB > r.MaxRSSKB, "emulator pid %d reached %d MB RSS, over the %d MB limit",
			p.PID, p.MaxKB>>10, r.MaxRSSKB>>10)
	}
	return f
}

// Print writes the figures as plain text.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "soak: %v, %d clients, %d images each, %d restarts (kill -9), back up in %v\n",
		r.Duration, r.Clients, r.Images, r.Restarts, r.RestartTimes)
	fmt.Fprintf(w, "%-18s %8s %8s %8s %9s %5s %9s %5s %8s %8s\n", "operation", "calls", "ok", "refused", "throttled", "5xx",
		"no answer", "bad", "p50 ok", "p99 ok")
	var sum [numOutcomes]int
	for op := range numOps {
		c := r.calls[op]
		total := 0
		for o, n := range c {
			total += n
			sum[o] += n
		}
		p50, p99 := percentiles(r.latency[op])
		fmt.Fprintf(w, "%-18s %8d %8d %8d %9d %5d %9d %5d %8s %8s\n", opNames[op], total, c[ok], c[refused], c[throttled],
			c[serverErr], c[noAnswer], c[badAnswer], p50, p99)
	}
	total := 0
	for _, n := range sum {
		total += n
	}
	fmt.Fprintf(w, "%-18s %8d %8d %8d %9d %5d %9d %5d\n", "all", total, sum[ok], sum[refused], sum[throttled],
		sum[serverErr], sum[noAnswer], sum[badAnswer])
	acked := r.acked[opAdd] + r.acked[opUpdate] + r.acked[opDelete]
	fmt.Fprintf(w, "acknowledged writes: %d (AddImage %d, UpdateImage %d, DeleteImage %d); unacknowledged attempts: %d\n",
		acked, r.acked[opAdd], r.acked[opUpdate], r.acked[opDelete], r.unacked)
	fmt.Fprintf(w, "after the last restart: %d images checked, %d present, Detail.TotalCount %d; lost %d, unverified %d, unsearchable %d\n",
		r.Verified, r.Present, r.TotalCount, r.Lost, r.Unverified, r.Unsearchable)
	fmt.Fprintf(w, "contradicting answers during the run: %d; 5xx: %d; throttled: %d; emulator crashes: %d\n",
		r.contradictions, r.serverErrors(), sum[throttled], r.Crashes)
	for i, p := range r.Procs {
		fmt.Fprintf(w, "emulator process %d (pid %d): RSS start %s, end %s, max %s (%d samples)\n",
			i+1, p.PID, mb(p.StartKB), mb(p.EndKB), mb(p.MaxKB), p.Samples)
	}
	for _, s := range r.Issues {
		fmt.Fprintln(w, "  ", s)
	}
	if f := r.Failures(); len(f) > 0 {
		fmt.Fprintln(w, "FAIL:", strings.Join(f, "; "))
		return
	}
	fmt.Fprintln(w, "PASS: 0 lost, 0 5xx")
}

// percentiles returns the median and the 99th percentile of d, rounded for the table.
func percentiles(d []time.Duration) (p50, p99 string) {
	if len(d) == 0 {
		return "-", "-"
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(q float64) string { return s[int(q*float64(len(s)-1))].Round(100 * time.Microsecond).String() }
	return at(0.50), at(0.99)
}

func mb(kb int64) string { return fmt.Sprintf("%.1f MB", float64(kb)/1024) }
