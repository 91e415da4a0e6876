package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// step is one line of a world's timeline: a call to send or a fault to inject.
type step struct {
	at    time.Time
	call  *harness.RecordedCall
	fault *harness.RecordedFault
	ref   string // "file#n": where the line came from, for the report
}

// world is the state one recorded target had: one emulator in the replay. A process that ran its own
// in-process emulator is a world of its own; processes that shared a target (an endpoint) share one, and
// their calls are merged by time.
type world struct {
	key    string
	header harness.RecordHeader
	files  []string
	steps  []step
}

// expandArgs turns the command's arguments (files or glob patterns) into files, in argument order and
// without repeats. A pattern that matches nothing is an error: a typo must not replay nothing silently.
func expandArgs(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, a := range args {
		matches, err := filepath.Glob(a)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", a, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("%s: no such file", a)
		}
		for _, m := range matches {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// loadWorlds reads the recordings and builds one timeline per world, sorted by time (file order breaks
// ties, so a fault stays before the call it answers).
func loadWorlds(files []string) ([]*world, error) {
	byKey := map[string]*world{}
	var order []*world
	for _, f := range files {
		r, err := readFile(f)
		if err != nil {
			return nil, err
		}
		key := worldKey(r.Header, f)
		w, ok := byKey[key]
		if !ok {
			w = &world{key: key, header: r.Header}
			byKey[key] = w
			order = append(order, w)
		} else if err := sameTarget(w.header, r.Header); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		w.files = append(w.files, f)
		for i := range r.Calls {
			c := &r.Calls[i]
			w.steps = append(w.steps, step{at: c.Time, call: c, ref: f + "#" + strconv.Itoa(i+1)})
		}
		for i := range r.Faults {
			x := &r.Faults[i]
			w.steps = append(w.steps, step{at: x.Time, fault: x, ref: f + "#fault" + strconv.Itoa(i+1)})
		}
	}
	for _, w := range order {
		sort.SliceStable(w.steps, func(i, j int) bool { return w.steps[i].at.Before(w.steps[j].at) })
	}
	return order, nil
}

func readFile(path string) (harness.Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return harness.Recording{}, err
	}
	defer f.Close()
	r, err := harness.ReadRecording(f)
	if err != nil {
		return r, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// worldKey names the world a recording belongs to: its own for an in-process emulator (and for a file
// of one process that says so), the target for a shared one.
func worldKey(h harness.RecordHeader, file string) string {
	if h.InProcess {
		return fmt.Sprintf("in-process emulator of run %s process %d (%s)", h.RunID, h.Process, file)
	}
	return h.Target
}

// sameTarget checks that recordings merged into one world describe the same target.
func sameTarget(a, b harness.RecordHeader) error {
	if a.Instance != b.Instance || a.ThrottleInstance != b.ThrottleInstance || a.Profile != b.Profile {
		return fmt.Errorf("recorded against %s (%s/%s, %s), but an earlier file of that target says %s/%s, %s",
			b.Target, b.Instance, b.ThrottleInstance, b.Profile, a.Instance, a.ThrottleInstance, a.Profile)
	}
	return nil
}
