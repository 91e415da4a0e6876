package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// FidelitySchema names the layout of fidelity.json.
const FidelitySchema = "imagesearch-conformance/fidelity/v1"

// fidelity is fidelity.json: how far the replay's answers agree with the recorded ones.
type fidelity struct {
	Schema         string         `json:"schema"`
	Files          []string       `json:"files"`
	Worlds         []worldReport  `json:"worlds"`
	Replay         replaySetup    `json:"replay"`
	Totals         totals         `json:"totals"`
	Rules          []rule         `json:"rules"`
	Groups         []*groupReport `json:"groups"`
	ThrottleVolume []volumeReport `json:"throttleVolume"`
	Notes          map[string]int `json:"notes"` // stand-in pictures, placement differences: how often
	WallSeconds    float64        `json:"wallSeconds"`
	byKey          map[string]*groupReport
}

// worldReport describes one recorded target and the emulator that replayed it.
type worldReport struct {
	Key       string   `json:"key"`
	Files     []string `json:"files"`
	Target    string   `json:"target"`
	Profile   string   `json:"profile"`
	Instances []string `json:"instances"`
	Unlimited []string `json:"unlimited"`
	Readings  []string `json:"recordedReadings"`
	Mutants   []string `json:"recordedMutants"`
	Calls     int      `json:"calls"`
}

// replaySetup is what the replaying emulator had switched on.
type replaySetup struct {
	Readings  []string `json:"readings"`
	Mutants   []string `json:"mutants"`
	Calibrate string   `json:"calibrate,omitempty"`
}

// totals count the outcomes of every recorded call.
type totals struct {
	Exchanges   int `json:"exchanges"`
	Matches     int `json:"matches"`
	Differences int `json:"differences"` // exchanges that broke a rule, plus throttle-volume findings
	Pace        int `json:"pace"`
	Unanswered  int `json:"unanswered"`  // no recorded answer to compare with
	NotReplayed int `json:"notReplayed"` // could not be sent
	StandIns    int `json:"standInPictures"`
}

// groupReport gathers the exchanges of one operation and recorded code.
type groupReport struct {
	Operation   string `json:"operation"`
	Code        string `json:"code"` // the recorded answer's Code, or "success"
	Exchanges   int    `json:"exchanges"`
	Matches     int    `json:"matches"`
	Differences int    `json:"differences"`
	Pace        int    `json:"pace"`
	Unanswered  int    `json:"unanswered"`
	NotReplayed int    `json:"notReplayed"`
	// Follow counts the differences on a product an earlier differing write of the same world left in
	// another state: they may show that write's difference, not one of their own.
	Follow int             `json:"followEarlierDifference"`
	Rules  map[string]int  `json:"rules"` // broken rules: exchanges per rule
	First  *exchangeReport `json:"firstDifference,omitempty"`
	Detail []string        `json:"detail,omitempty"` // throttle-volume findings
}

// exchangeReport is one exchange in full: the request and both answers.
type exchangeReport struct {
	Ref         string                 `json:"ref"`
	World       string                 `json:"world"`
	Spec        string                 `json:"spec"`
	Action      string                 `json:"action"`
	Instance    string                 `json:"instance"`
	Params      harness.RecordedParams `json:"params"`
	Recorded    answer                 `json:"recorded"`
	Replayed    answer                 `json:"replayed"`
	Differences []diff                 `json:"differences"`
	Notes       []string               `json:"notes,omitempty"`
}

// volumeReport is one throttle-volume finding: a spec and operation.
type volumeReport struct {
	World             string `json:"world"`
	Spec              string `json:"spec"`
	Action            string `json:"action"`
	Calls             int    `json:"calls"`
	RecordedThrottled int    `json:"recordedThrottled"`
	ReplayedThrottled int    `json:"replayedThrottled"`
}

func newFidelity(files []string, opts options) *fidelity {
	return &fidelity{Schema: FidelitySchema, Files: files, Rules: rules, Notes: map[string]int{},
		Replay: replaySetup{Readings: nonNil(opts.readings), Mutants: nonNil(opts.mutants), Calibrate: opts.calibrate},
		Worlds: []worldReport{}, Groups: []*groupReport{}, ThrottleVolume: []volumeReport{}, byKey: map[string]*groupReport{}}
}

func (f *fidelity) group(op, code string) *groupReport {
	k := op + "\x00" + code
	g := f.byKey[k]
	if g == nil {
		g = &groupReport{Operation: op, Code: code, Rules: map[string]int{}}
		f.byKey[k] = g
		f.Groups = append(f.Groups, g)
	}
	return g
}

// add counts one outcome in its group and the totals.
func (f *fidelity) add(o outcome) {
	c := o.step.call
	g := f.group(c.Action, recordedCode(c))
	g.Exchanges++
	f.Totals.Exchanges++
	for _, n := range o.notes {
		if strings.Contains(n, "stand-in") {
			f.Totals.StandIns++
			n = "stand-in picture"
		}
		f.Notes[noteKind(n)]++
	}
	switch o.kind {
	case kindMatch:
		g.Matches++
		f.Totals.Matches++
	case kindPace:
		g.Pace++
		f.Totals.Pace++
	case kindUnanswered:
		g.Unanswered++
		f.Totals.Unanswered++
	case kindNotReplayed:
		g.NotReplayed++
		f.Totals.NotReplayed++
	case kindDifference:
		g.Differences++
		f.Totals.Differences++
		if slices.ContainsFunc(o.notes, func(n string) bool { return strings.HasPrefix(n, followsNote) }) {
			g.Follow++
		}
		seen := map[string]bool{}
		for _, d := range o.diffs {
			if !d.tainted && !seen[d.Rule] {
				seen[d.Rule] = true
				g.Rules[d.Rule]++
			}
		}
		if g.First == nil {
			g.First = &exchangeReport{Ref: o.step.ref, World: o.world, Spec: c.Spec, Action: c.Action,
				Instance: c.Instance, Params: c.Params, Recorded: recordedAnswer(c), Replayed: capAnswer(o.replayed),
				Differences: firstN(o.diffs, 40), Notes: o.notes}
		}
	}
}

// addVolume records a spec whose throttling answers to one operation differ by more than the pace explains.
func (f *fidelity) addVolume(world string, v *volume) {
	spec := v.spec
	if abs(v.recorded-v.replay) <= max(2, v.calls/10) {
		return
	}
	f.ThrottleVolume = append(f.ThrottleVolume, volumeReport{World: world, Spec: spec, Action: v.action,
		Calls: v.calls, RecordedThrottled: v.recorded, ReplayedThrottled: v.replay})
	g := f.group(v.action, "throttling (volume)")
	g.Differences++
	g.Rules["throttle-volume"]++
	g.Detail = append(g.Detail, fmt.Sprintf("%s: %d paced calls, %d throttled when recorded, %d in the replay",
		spec, v.calls, v.recorded, v.replay))
	f.Totals.Differences++
}

// recordedCode names a recorded answer's group: its string Code, "success", or the status.
func recordedCode(c *harness.RecordedCall) string {
	if c.Status == 0 {
		return "no answer"
	}
	var m struct{ Code any }
	if json.Unmarshal(c.Body, &m) == nil {
		if s, ok := m.Code.(string); ok && s != "" {
			return s
		}
	}
	if c.Status >= 200 && c.Status < 300 {
		return "success"
	}
	return fmt.Sprintf("HTTP %d", c.Status)
}

func recordedAnswer(c *harness.RecordedCall) answer {
	return answer{Status: c.Status, Headers: c.Headers, Body: c.Body, BodyText: c.BodyText, Error: c.Error}
}

// capAnswer keeps a reported body within the recording's own cap.
func capAnswer(a answer) answer {
	if len(a.Body) > harness.MaxRecordedBody {
		a.BodyText, a.Body = string(a.Body[:harness.MaxRecordedBody])+"…", nil
	}
	return a
}

// finish sorts the groups: differences first, then by operation and code.
func (f *fidelity) finish() {
	sort.Slice(f.Groups, func(i, j int) bool {
		a, b := f.Groups[i], f.Groups[j]
		if (a.Differences > 0) != (b.Differences > 0) {
			return a.Differences > 0
		}
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		return a.Code < b.Code
	})
}

// write writes fidelity.json and fidelity.md into dir.
func (f *fidelity) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "fidelity.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	out, err := os.Create(filepath.Join(dir, "fidelity.md"))
	if err != nil {
		return err
	}
	writeMarkdown(out, f)
	return out.Close()
}

// writeMarkdown renders the report for people: totals, the groups, each differing group's first exchange
// in full, and the rules.
func writeMarkdown(w io.Writer, f *fidelity) {
	t := f.Totals
	verdict := "no difference"
	if t.Differences > 0 {
		verdict = fmt.Sprintf("%d difference(s)", t.Differences)
	}
	fmt.Fprintf(w, "# Replay fidelity: %s\n\n", verdict)
	fmt.Fprintf(w, "Replayed %s against an emulator with readings %s, mutants %s%s, in %.1f s.\n\n",
		strings.Join(f.Files, ", "), list(f.Replay.Readings), list(f.Replay.Mutants), calibrated(f.Replay.Calibrate), f.WallSeconds)
	fmt.Fprintln(w, "| exchanges | matches | differences | pace | unanswered | not replayed | stand-in pictures |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	fmt.Fprintf(w, "| %d | %d | %d | %d | %d | %d | %d |\n\n", t.Exchanges, t.Matches, t.Differences, t.Pace,
		t.Unanswered, t.NotReplayed, t.StandIns)
	fmt.Fprintln(w, "## Recorded targets")
	fmt.Fprintln(w)
	for _, wr := range f.Worlds {
		fmt.Fprintf(w, "- %s: %s, profile %s, instances %s (limits off: %s), recorded with readings %s and mutants %s; %d calls\n",
			wr.Key, wr.Target, wr.Profile, list(wr.Instances), list(wr.Unlimited), list(wr.Readings), list(wr.Mutants), wr.Calls)
	}
	fmt.Fprintln(w, "\n## By operation and recorded code")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| operation | recorded code | exchanges | matches | differences | of which follow an earlier one | pace | rules broken |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, g := range f.Groups {
		fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %d | %d | %s |\n", g.Operation, g.Code, g.Exchanges, g.Matches,
			g.Differences, g.Follow, g.Pace, ruleCounts(g.Rules))
	}
	for _, g := range f.Groups {
		if g.Differences == 0 {
			continue
		}
		fmt.Fprintf(w, "\n## %s, recorded %s: %d difference(s)\n\n", g.Operation, g.Code, g.Differences)
		for _, d := range g.Detail {
			fmt.Fprintf(w, "- %s\n", d)
		}
		if x := g.First; x != nil {
			fmt.Fprintf(w, "First differing exchange: `%s`, spec %q, instance `%s`.\n\n", x.Ref, x.Spec, x.Instance)
			fmt.Fprintln(w, "| rule | path | recorded | replayed |")
			fmt.Fprintln(w, "|---|---|---|---|")
			for _, d := range x.Differences {
				fmt.Fprintf(w, "| %s | `%s` | %s | %s |\n", d.Rule, cell(d.Path), cell(d.Recorded), cell(d.Replayed))
			}
			for _, n := range x.Notes {
				fmt.Fprintf(w, "\nNote: %s\n", n)
			}
			fmt.Fprintf(w, "\nRequest parameters:\n\n```json\n%s\n```\n", indent(x.Params))
			fmt.Fprintf(w, "\nRecorded answer:\n\n```json\n%s\n```\n", indent(x.Recorded))
			fmt.Fprintf(w, "\nReplayed answer:\n\n```json\n%s\n```\n", indent(x.Replayed))
		}
	}
	if len(f.Notes) > 0 {
		fmt.Fprintln(w, "\n## Notes")
		fmt.Fprintln(w)
		for _, k := range sortedKeys(f.Notes) {
			fmt.Fprintf(w, "- %s: %d exchange(s)\n", k, f.Notes[k])
		}
	}
	fmt.Fprintln(w, "\n## Rules")
	fmt.Fprintln(w)
	for _, r := range f.Rules {
		fmt.Fprintf(w, "- **%s**: %s\n", r.Name, r.Description)
	}
}

func noteKind(n string) string {
	if i := strings.Index(n, " was recorded in the "); i >= 0 {
		return "placement differs from the client's table"
	}
	if strings.HasPrefix(n, followsNote) {
		return "differences that follow an earlier differing write on the same product"
	}
	if strings.HasPrefix(n, "not sent") {
		return "not sent"
	}
	return n
}

func ruleCounts(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s (%d)", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func indent(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func cell(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }

func list(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func calibrated(path string) string {
	if path == "" {
		return ""
	}
	return ", calibrated from " + path
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func firstN(d []diff, n int) []diff {
	if len(d) > n {
		return d[:n]
	}
	return d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
