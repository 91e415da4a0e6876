package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// diffReport is the -json output.
type diffReport struct {
	Old     string   `json:"old"`
	New     string   `json:"new"`
	Drift   bool     `json:"drift"`
	Changes []Change `json:"changes"`
}

// report writes the changes between the runs and returns the exit status.
func report(stdout, stderr io.Writer, oldPath, newPath string, from, to results, asJSON bool) int {
	changes := diffResults(from, to)
	code := exitNoDrift
	if len(changes) > 0 {
		code = exitDrift
	}
	if asJSON {
		if changes == nil {
			changes = []Change{} // [] rather than null, so readers need no null check
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(diffReport{oldPath, newPath, len(changes) > 0, changes}); err != nil {
			fmt.Fprintln(stderr, "imagesearch-conformance diff:", err)
			return exitUsage
		}
		return code
	}
	writeMarkdown(stdout, oldPath, newPath, from, to, changes)
	return code
}

// writeMarkdown writes a job-summary section: one line when nothing drifted, else a heading, the two
// runs, and one table row per change.
func writeMarkdown(w io.Writer, oldPath, newPath string, from, to results, changes []Change) {
	if len(changes) == 0 {
		fmt.Fprintf(w, "No drift between %s and %s.\n", oldPath, newPath)
		return
	}
	fmt.Fprintf(w, "## Drift between %s and %s\n\n", cell(oldPath), cell(newPath))
	fmt.Fprintf(w, "%d change(s). OLD: %s. NEW: %s.\n\n", len(changes), describe(from), describe(to))
	fmt.Fprintln(w, "| kind | subject | change | old | new | note |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, c := range changes {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", c.Kind, cell(c.Subject), c.Change, cell(c.Old), cell(c.New), cell(c.Note))
	}
}

// describe names a run for the heading: its id, target and verdict.
func describe(r results) string {
	id := r.Run.RunID
	if id == "" {
		id = "?"
	}
	return fmt.Sprintf("run %s against %s, %s", cell(id), cell(r.Run.Target), r.Verdict)
}

// cell makes text safe for one Markdown table cell: no line breaks, no column separators, and nothing
// GitHub would render as markup from a spec name or message (HTML tags, emphasis).
func cell(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ", "|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`).Replace(s)
}
