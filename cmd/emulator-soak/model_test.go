package main

import (
	"slices"
	"testing"
)

func present(v int64) state { return state{present: true, value: v} }

// TestPossibleStates walks one image through acknowledged, unacknowledged and refused writes and reads.
func TestPossibleStates(t *testing.T) {
	p := possible{{}}
	if got := p.acked(updateEffect(1)); len(got) != 0 {
		t.Errorf("acknowledged update of an absent image allowed: %v", got)
	}
	p = p.acked(addEffect(1))
	if s, sure := p.certain(); !sure || s != present(1) {
		t.Fatalf("after an acknowledged add: %v", p)
	}
	p = p.unacked(updateEffect(2)) // the answer never arrived
	if !slices.Equal(p, possible{present(1), present(2)}) {
		t.Fatalf("after an unanswered update: %v", p)
	}
	p = p.unacked(deleteEffect())
	if !p.has(state{}) || len(p) != 3 {
		t.Fatalf("after an unanswered delete: %v", p)
	}
	if got := p.refused(true); !slices.Equal(got, possible{{}}) {
		t.Errorf("PicNotExist keeps %v, want only absent", got)
	}
	if got := p.refused(false); !slices.Equal(got, p) {
		t.Errorf("another refusal changed %v to %v", p, got)
	}
	p = p.acked(updateEffect(3)) // succeeded, so the image existed
	if !slices.Equal(p, possible{present(3)}) {
		t.Fatalf("after an acknowledged update: %v", p)
	}
	if got := p.acked(deleteByValueEffect(4)); !slices.Equal(got, p) {
		t.Errorf("a filter on another value deleted: %v", got)
	}
	if got := p.acked(deleteByValueEffect(3)); !slices.Equal(got, possible{{}}) {
		t.Errorf("a filter on the value kept: %v", got)
	}
	if got := p.narrow(func(s state) bool { return !s.present }); len(got) != 0 {
		t.Errorf("narrow to absent kept %v", got)
	}
	if got, want := (possible{{}, present(5)}).String(), "absent or present(IntAttr=5)"; got != want {
		t.Errorf("String %q, want %q", got, want)
	}
}

func TestParseVmRSS(t *testing.T) {
	kb, err := parseVmRSS("Name:\tx\nVmPeak:\t 9 kB\nVmRSS:\t   12345 kB\nRssAnon: 1 kB\n")
	if err != nil || kb != 12345 {
		t.Errorf("got %d, %v", kb, err)
	}
	if _, err := parseVmRSS("Name: x\n"); err == nil {
		t.Error("no error without a VmRSS line")
	}
}

// TestFailures checks each reason a run fails, and that a clean run passes.
func TestFailures(t *testing.T) {
	clean := Report{Present: 3, TotalCount: 3, MaxRSSKB: 1 << 20, Procs: []procStats{{MaxKB: 1000}}}
	if f := clean.Failures(); len(f) != 0 {
		t.Fatalf("clean run fails: %v", f)
	}
	for name, breakIt := range map[string]func(r *Report){
		"lost":          func(r *Report) { r.Lost = 1 },
		"5xx":           func(r *Report) { r.calls[opUpdate][serverErr] = 1 },
		"contradiction": func(r *Report) { r.contradictions = 1 },
		"unverified":    func(r *Report) { r.Unverified = 1 },
		"unsearchable":  func(r *Report) { r.Unsearchable = 1 },
		"count":         func(r *Report) { r.TotalCount = 4 },
		"rss":           func(r *Report) { r.Procs = append(r.Procs, procStats{MaxKB: 2 << 20}) },
		"crash":         func(r *Report) { r.Crashes = 1 },
	} {
		r := clean
		r.Procs = slices.Clone(clean.Procs)
		breakIt(&r)
		if f := r.Failures(); len(f) != 1 {
			t.Errorf("%s: failures %v, want one", name, f)
		}
	}
}
