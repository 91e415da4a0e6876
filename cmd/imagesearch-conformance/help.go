package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

const helpHead = `Usage: imagesearch-conformance [flags]
       imagesearch-conformance diff [-json] OLD NEW

Runs the UpdateImage conformance suite, compiled into this binary, against an Image Search endpoint, or,
without --endpoint, against the emulator compiled in too. Nothing else is needed at run time: no source
tree, no Go toolchain. The reports (junit.xml, report.json, results.json, summary.html) go to --report-dir.

Every target setting is a flag or an environment variable; a flag wins over its variable.

Target and run (environment variable in brackets):
`

const helpTail = `
Credentials: the AccessKey id is --access-key-id or ALIBABA_CLOUD_ACCESS_KEY_ID; the secret is read ONLY
from ALIBABA_CLOUD_ACCESS_KEY_SECRET or from --secret-file, never from a flag value, and is never printed.
Against the compiled-in emulator none are needed.

Selecting specs: --labels takes a Ginkgo label filter over the labels%s
and ref:§N.N. --focus REGEXP (repeatable) matches a spec's full text,
"UpdateImage conformance <container> <spec>". --list prints every selected spec, one a line: area,
footing, ref sections and full text.

Exit status:
  0  conformant: nothing failed and enough of the suite ran to say so
  1  a documented violation: a spec of documented footing failed, or a deviation under --strict
     (1 wins when the run also had an infrastructure failure)
  2  usage or configuration error: a bad flag, a bad setting, a label filter that selects nothing
  3  infrastructure or budget: the target was unreachable or the suite setup failed, cleanup or the
     leak check failed, a spec's own code panicked, the run was interrupted or timed out, or the call
     cap (--max-calls) stopped it before it checked enough (results.json verdict "incomplete")
After a run with failed specs it prints the command line that re-runs only those.

  imagesearch-conformance diff -h   compare two results.json files (the drift between two nights)
`

// writeHelp prints the full help: every flag with its variable, the credentials rule and the exit codes.
func writeHelp(w io.Writer) {
	fmt.Fprint(w, helpHead)
	for _, f := range envFlags {
		name := "--" + f.name
		if f.arg != "" {
			name += " " + f.arg
		}
		fmt.Fprintf(w, "  %s  [%s]\n        %s\n", name, f.env, f.help)
	}
	fmt.Fprintf(w, "  --secret-file FILE  [%s]\n        read the AccessKey secret from FILE (trailing newline dropped)\n", harness.EnvAccessKeySecret)
	fmt.Fprintf(w, "  --rapid-checks N  [%s, %s]\n        cases per rapid property (default 100 in-process, 10 against an endpoint)\n", envRapidChecks, envRemoteRapidChecks)
	fmt.Fprintln(w, "\nOther flags:")
	for _, l := range [][2]string{
		{"--focus REGEXP", "run only the specs whose full text matches (repeatable)"},
		{"--timeout DURATION", "stop the run after DURATION (default 1h); exit 3"},
		{"-v", "print every spec as it runs"},
		{"--list", "list the selected specs and exit"},
		{"--version", "print the version and exit"},
		{"-h", "this help"},
	} {
		fmt.Fprintf(w, "  %-20s %s\n", l[0], l[1])
	}
	fmt.Fprintf(w, helpTail, wrap(strings.Join(harness.AllLabels, ", "), 100, "  "))
}

// wrap breaks text into lines of at most width characters, each after a newline and indent.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	n := width
	for _, word := range strings.Fields(text) {
		if n+1+len(word) > width {
			b.WriteString("\n" + indent)
			n = len(indent)
		} else {
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
