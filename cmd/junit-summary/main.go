// Command junit-summary prints a Markdown summary of a JUnit XML file (counts, the failed test cases and the
// deviations), for CI job summaries; with the run's results.json beside it, also the command that re-runs
// only the failed specs.
package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

type testsuites struct {
	Suites []testsuite `xml:"testsuite"`
}

type testsuite struct {
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Skipped  int        `xml:"skipped,attr"`
	Cases    []testcase `xml:"testcase"`
}

type testcase struct {
	Name    string   `xml:"name,attr"`
	Status  string   `xml:"status,attr"`
	Failure *message `xml:"failure"`
	Error   *message `xml:"error"`
	Skipped *message `xml:"skipped"`
}

// These mirror harness.DeviationPrefix and harness.BudgetSkipReason (a test holds them equal); importing
// the harness would drag Ginkgo and the client into a tool that only reads XML.
const (
	deviationMark = "DEVIATION"
	budgetMark    = "call budget (IMAGESEARCH_MAX_CALLS) is exhausted"
	// skipPrefix is what Ginkgo's JUnit reporter puts before a Skip(reason).
	skipPrefix = "skipped - "
)

type message struct {
	Message string `xml:"message,attr"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: junit-summary <junit.xml>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "junit-summary:", err)
		os.Exit(1)
	}
}

func run(path string, w io.Writer) error {
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(w, "## Conformance\n\nNo JUnit report: the run did not get far enough to write one (%v).\n", err)
		return nil
	}
	var ts testsuites
	if err := xml.Unmarshal(b, &ts); err != nil {
		return err
	}
	fmt.Fprintln(w, "## Conformance")
	for _, s := range ts.Suites {
		fmt.Fprintf(w, "\n**%s**: %d tests, %d failed, %d errors, %d skipped\n", s.Name, s.Tests, s.Failures, s.Errors, s.Skipped)
		var deviations []testcase
		otherSkips, budgetSkips := 0, 0
		for _, c := range s.Cases {
			m := c.Failure
			if m == nil {
				m = c.Error
			}
			if m != nil {
				fmt.Fprintf(w, "- ❌ `%s`: %s\n", c.Name, firstLine(m.Message))
				continue
			}
			switch {
			case c.Skipped == nil:
			case strings.Contains(c.Skipped.Message, deviationMark):
				deviations = append(deviations, c)
			default:
				otherSkips++
				if strings.Contains(c.Skipped.Message, budgetMark) {
					budgetSkips++
				}
			}
		}
		// Deviations get their own list: they are the target's answers to open points, which a reader
		// wants to see, while ordinary skips (filtered, emulator-only, not applicable) are only counted.
		if len(deviations) > 0 {
			fmt.Fprintf(w, "\n### Deviations\n\nThe target answered an open point another allowed way "+
				"(skipped, not failed, unless IMAGESEARCH_STRICT=1):\n\n")
			for _, c := range deviations {
				fmt.Fprintf(w, "- ⚠️ `%s`: %s\n", c.Name, strings.TrimPrefix(firstLine(c.Skipped.Message), skipPrefix))
			}
		}
		if otherSkips > 0 {
			fmt.Fprintf(w, "\nOther skips: %d", otherSkips)
			if budgetSkips > 0 {
				fmt.Fprintf(w, ", %d of them stopped by the call cap (IMAGESEARCH_MAX_CALLS)", budgetSkips)
			}
			fmt.Fprintln(w, ".")
		}
	}
	if cmd := rerunCommand(filepath.Join(filepath.Dir(path), "results.json")); cmd != "" {
		fmt.Fprintf(w, "\nRe-run only the failed specs, from the repository root:\n\n```sh\n%s\n```\n", cmd)
	}
	return nil
}

// rerunCommand reads results.json's rerun.command; "" when the file is missing, unreadable or names none.
func rerunCommand(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var r struct {
		Rerun struct {
			Command string `json:"command"`
		} `json:"rerun"`
	}
	if json.Unmarshal(b, &r) != nil {
		return ""
	}
	return r.Rerun.Command
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
