// Command junit-summary prints a Markdown summary of a JUnit XML file (counts and the failed test cases),
// for CI job summaries.
package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
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
}

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
		for _, c := range s.Cases {
			m := c.Failure
			if m == nil {
				m = c.Error
			}
			if m == nil {
				continue
			}
			first, _, _ := strings.Cut(m.Message, "\n")
			fmt.Fprintf(w, "- ❌ `%s`: %s\n", c.Name, first)
		}
	}
	return nil
}
