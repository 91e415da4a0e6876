package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// actionFile is the repository's composite action. actionlint checks the workflows that call it (their
// inputs and outputs against its metadata) but not its own steps; this test checks those.
const actionFile = "../../action.yml"

// actionSection returns the keys directly under a top-level section of action.yml ("inputs:").
func actionSection(lines []string, section string) []string {
	var keys []string
	in := false
	key := regexp.MustCompile(`^  ([a-z][a-z0-9-]*):`)
	for _, l := range lines {
		switch {
		case l == section+":":
			in = true
		case in && l != "" && !strings.HasPrefix(l, " "):
			return keys
		case in:
			if m := key.FindStringSubmatch(l); m != nil {
				keys = append(keys, m[1])
			}
		}
	}
	return keys
}

// TestActionInputs checks that the action uses every input it declares and declares every one it uses.
func TestActionInputs(t *testing.T) {
	b, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	declared := actionSection(strings.Split(text, "\n"), "inputs")
	if len(declared) < 10 {
		t.Fatalf("found %d inputs in %s: %v", len(declared), actionFile, declared)
	}
	var used []string
	for _, m := range regexp.MustCompile(`inputs\.([a-z][a-z0-9-]*)`).FindAllStringSubmatch(text, -1) {
		if !slices.Contains(used, m[1]) {
			used = append(used, m[1])
		}
	}
	for _, u := range used {
		if !slices.Contains(declared, u) {
			t.Errorf("the action uses inputs.%s, which it does not declare", u)
		}
	}
	for _, d := range declared {
		if !slices.Contains(used, d) {
			t.Errorf("input %s is declared but never used", d)
		}
	}
	for _, want := range []string{"endpoint", "instance", "region", "profile", "labels", "strict", "max-calls", "rapid-checks", "report-dir", "version"} {
		if !slices.Contains(declared, want) {
			t.Errorf("no input %s", want)
		}
	}
}

// TestActionSteps checks the composite steps: each run step names its shell (composite actions have no
// default), each referenced step id exists, and each flag the action passes to the runner is one of its own.
func TestActionSteps(t *testing.T) {
	b, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	steps := strings.Split(text[strings.Index(text, "\n  steps:\n"):], "\n    - ")[1:]
	var ids []string
	for _, s := range steps {
		if strings.Contains(s, "\n      run: ") || strings.HasPrefix(s, "run: ") {
			if !strings.Contains(s, "\n      shell: ") && !strings.HasPrefix(s, "shell: ") {
				t.Errorf("a run step without shell:\n    - %s", s)
			}
		}
		if m := regexp.MustCompile(`(?m)^(?:      )?id: (\S+)`).FindStringSubmatch(s); m != nil {
			ids = append(ids, m[1])
		}
	}
	for _, m := range regexp.MustCompile(`steps\.([a-z0-9-]+)\.outputs`).FindAllStringSubmatch(text, -1) {
		if !slices.Contains(ids, m[1]) {
			t.Errorf("steps.%s is referenced but no step has that id (ids: %v)", m[1], ids)
		}
	}
	flags := []string{"secret-file", "focus", "rapid-checks", "timeout", "list", "version"}
	for _, f := range envFlags {
		flags = append(flags, f.name)
	}
	passed := regexp.MustCompile(`(?:add |"|\()--([a-z-]+)`).FindAllStringSubmatch(text, -1)
	if len(passed) < 10 {
		t.Fatalf("found %d runner flags in the action", len(passed))
	}
	for _, m := range passed {
		if !slices.Contains(flags, m[1]) {
			t.Errorf("the action passes --%s, which the runner does not have", m[1])
		}
	}
}
