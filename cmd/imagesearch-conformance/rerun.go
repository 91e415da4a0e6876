package main

import (
	"strings"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// suiteDescription is the text Ginkgo puts before every spec's full text when it matches --focus.
const suiteDescription = "UpdateImage conformance"

// rerunLine is the command that re-runs only the failed specs: the same flags, the earlier --focus
// flags replaced by one per failed spec (results.json's rerun.focus, each anchored to that spec's whole
// text). It returns "" when no spec failed (a failed suite node is not re-run by focus).
func rerunLine(argv0 string, args []string, res *harness.Results) string {
	if len(res.Rerun.Focus) == 0 {
		return ""
	}
	words := []string{shellQuote(argv0)}
	for _, a := range withoutFocus(args) {
		words = append(words, shellQuote(a))
	}
	for _, f := range res.Rerun.Focus {
		words = append(words, "--focus", shellQuote(f))
	}
	return strings.Join(words, " ")
}

// withoutFocus drops the --focus flags (both "--focus X" and "--focus=X", one or two dashes).
func withoutFocus(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		name := strings.TrimLeft(a, "-")
		if !strings.HasPrefix(a, "-") || (name != "focus" && !strings.HasPrefix(name, "focus=")) {
			out = append(out, a)
			continue
		}
		if name == "focus" {
			i++ // its value is the next argument
		}
	}
	return out
}

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
