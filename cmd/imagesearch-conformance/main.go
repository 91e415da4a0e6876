// Command imagesearch-conformance is the UpdateImage conformance suite as one program: the specs and the
// emulator are compiled in, so it needs no source tree and no Go toolchain where it runs.
//
//	imagesearch-conformance [flags]              run the suite (against the built-in emulator by default)
//	imagesearch-conformance --list               list the specs with their area, footing and ref sections
//	imagesearch-conformance diff [-json] OLD NEW compare two results.json files and list the drift
//
// Exit status: 0 conformant, 1 a documented violation, 2 usage or configuration, 3 infrastructure or
// budget. Run it with -h, or diff -h, for the details.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit statuses of diff; a usage error or unreadable input is 2 for every subcommand.
const (
	exitNoDrift = 0
	exitDrift   = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[0], os.Args[1:], os.Getenv, os.Stdout, os.Stderr, &ginkgoEngine{}))
}

// run is the whole command; it returns the exit status. Without a subcommand it runs the suite.
func run(argv0 string, args []string, environ func(string) string, stdout, stderr io.Writer, eng engine) int {
	if len(args) > 0 {
		switch args[0] {
		case "diff":
			return runDiff(args[1:], stdout, stderr)
		case "help":
			if len(args) > 1 && args[1] == "diff" {
				return runDiff([]string{"-h"}, stdout, stderr)
			}
			writeHelp(stdout)
			return exitConformant
		}
	}
	return runSuite(argv0, args, environ, stdout, stderr, eng)
}

const diffHelp = `Usage: imagesearch-conformance diff [-json] OLD NEW

Compares two results.json files (schema imagesearch-conformance/results/v1) of the UpdateImage suite,
typically last night's and tonight's staging runs, and lists what changed from OLD to NEW:

  verdict       conformant, violations or incomplete changed
  failure       a spec (failures[].spec, suite nodes included) started or stopped failing
  deviation     a deviation (by point and observed answer) appeared or went away
  observation   a free observation (by point and spec) changed value, appeared or went away;
                reading observations are covered by deviations and failures
  measurement   a measurement moved beyond its tolerance, appeared or went away; measurements of one
                name (the visibility delay of each round-trip set) are compared by their median
                  in ms (visibility delay, ...)                     %s
                  any other (UpdateImage offered at 60/s: accepted,
                  UpdateImage steady rate below the limit)          %s
  calls         calls of an operation moved beyond %s

Percentages are of OLD's value; a change must exceed both the percentage and the floor.

The output is Markdown for a GitHub job summary; with no drift it is the single line
"No drift between OLD and NEW." With -json it is one JSON object:
{"old", "new", "drift", "changes": [{"kind", "subject", "change", "old", "new", "note"}]}.

Exit status: 0 no drift, 1 drift, 2 usage error or an unreadable or non-v1 input.

Flags:
`

// runDiff is the diff subcommand. Flags may come before or after the two files.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the changes as one JSON object instead of Markdown")
	fs.Usage = func() {} // -h prints the help to stdout below; a bad flag gets the short usage on stderr
	var files []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, diffHelp, band(delayTolerance, delayFloorMs, "ms"), band(rateTolerance, 0, ""),
				band(callsTolerance, callsFloor, "calls"))
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return exitNoDrift
		}
		if err != nil {
			fmt.Fprintln(stderr, "usage: imagesearch-conformance diff [-json] OLD NEW (see diff -h)")
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) != 2 {
		fmt.Fprintf(stderr, "imagesearch-conformance diff: want two results.json files, OLD and NEW; got %d\n"+
			"usage: imagesearch-conformance diff [-json] OLD NEW (see diff -h)\n", len(files))
		return exitUsage
	}
	from, err := loadResults(files[0])
	if err == nil {
		var to results
		if to, err = loadResults(files[1]); err == nil {
			return report(stdout, stderr, files[0], files[1], from, to, *asJSON)
		}
	}
	fmt.Fprintln(stderr, "imagesearch-conformance diff:", err)
	return exitUsage
}
