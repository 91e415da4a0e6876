package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// TestEveryVariableHasAFlag checks that each flag sets its variable and wins over the environment, and
// that an unset flag leaves the environment's value.
func TestEveryVariableHasAFlag(t *testing.T) {
	env := map[string]string{}
	for _, f := range envFlags {
		env[f.env] = "from-env"
	}
	env[envLabelFilter] = "overwrite"
	for _, f := range envFlags {
		value := "/from-flag"
		if f.env == envLabelFilter {
			value = "slow"
		}
		args := []string{"--" + f.name, value}
		if f.boolean {
			value, args = "1", []string{"--" + f.name}
		}
		o, err := parseOptions(args, envOf(env))
		if err != nil {
			t.Errorf("%v: %v", args, err)
			continue
		}
		get := o.getenv(envOf(env))
		if got := get(f.env); got != value {
			t.Errorf("%v: %s = %q, want %q", args, f.env, got, value)
		}
		other := envFlags[(indexOf(f.name)+1)%len(envFlags)]
		relative := other.env == harness.EnvReportDir || other.env == harness.EnvRecord // made absolute
		if !relative && get(other.env) != env[other.env] {
			t.Errorf("%v: unset --%s changed %s to %q", args, other.name, other.env, get(other.env))
		}
	}
	for _, tc := range []struct{ arg, want string }{{"--strict=false", "0"}, {"--strict=true", "1"}, {"-allow-live", "1"}} {
		o, err := parseOptions([]string{tc.arg}, envOf(env))
		name := strings.SplitN(strings.TrimLeft(tc.arg, "-"), "=", 2)[0]
		if got := o.getenv(envOf(env))(envFlags[indexOf(name)].env); err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.arg, got, err, tc.want)
		}
	}
}

func indexOf(name string) int {
	for i, f := range envFlags {
		if f.name == name {
			return i
		}
	}
	return -1
}

// TestPathsFromWorkingDirectory checks that the reports go to ./reports by default and that relative
// report and recording paths are made absolute against the working directory, not a module root.
func TestPathsFromWorkingDirectory(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		env  map[string]string
		dir  string
		rec  string
	}{
		{nil, nil, filepath.Join(wd, "reports"), ""},
		{[]string{"--report-dir", "out", "--record", "r.jsonl"}, nil, filepath.Join(wd, "out"), filepath.Join(wd, "r.jsonl")},
		{nil, map[string]string{harness.EnvReportDir: "env-out"}, filepath.Join(wd, "env-out"), ""},
		{[]string{"--report-dir", "/abs/x"}, map[string]string{harness.EnvReportDir: "env-out"}, "/abs/x", ""},
	} {
		o, err := parseOptions(tc.args, envOf(tc.env))
		get := o.getenv(envOf(tc.env))
		if err != nil || get(harness.EnvReportDir) != tc.dir || get(harness.EnvRecord) != tc.rec {
			t.Errorf("%v %v: report dir %q, record %q, %v; want %q, %q", tc.args, tc.env, get(harness.EnvReportDir),
				get(harness.EnvRecord), err, tc.dir, tc.rec)
		}
	}
}

// TestSecret checks that the secret has no flag, comes from --secret-file, and is never printed.
func TestSecret(t *testing.T) {
	const secret = "s3cr3t-value-never-printed"
	if _, err := parseOptions([]string{"--access-key-secret", secret}, noEnv); err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("--access-key-secret accepted, or the error shows the value: %v", err)
	}
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := parseOptions([]string{"--secret-file", file}, noEnv)
	if got := o.getenv(noEnv)(harness.EnvAccessKeySecret); err != nil || got != secret {
		t.Errorf("--secret-file: secret %q, %v", got, err)
	}
	// A failing configuration with the secret set: nothing on the console names it.
	var out, errOut bytes.Buffer
	args := []string{"--secret-file", file, "--endpoint", "http://127.0.0.1:1", "--access-key-id", "LTAIexample"}
	code := run("x", args, noEnv, &out, &errOut, &fakeEngine{})
	if code != exitUsage || strings.Contains(out.String()+errOut.String(), secret) {
		t.Errorf("exit %d, want %d, and no secret in:\n%s%s", code, exitUsage, out.String(), errOut.String())
	}
	var help bytes.Buffer
	writeHelp(&help)
	if regexp.MustCompile(`--\S*secret\S* (SECRET|VALUE|STRING)`).MatchString(help.String()) {
		t.Errorf("the help offers a secret flag value:\n%s", help.String())
	}
}

// TestUsageErrors checks that every bad command line or setting exits 2 before anything runs.
func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--colour"}, nil, "flag provided but not defined: -colour"},
		{[]string{"extra"}, nil, `unexpected argument "extra"`},
		{[]string{"--labels", "length-limits &&"}, nil, "--labels"},
		{[]string{"--labels", "length-limits || no-such-area"}, nil, `no such label "no-such-area"`},
		{nil, map[string]string{envLabelFilter: "nope"}, `no such label "nope"`},
		{[]string{"--focus", "("}, nil, "--focus"},
		{[]string{"--rapid-checks", "0"}, nil, "--rapid-checks"},
		{[]string{"--timeout", "0s"}, nil, "--timeout"},
		{[]string{"--strict=maybe"}, nil, `invalid boolean value "maybe" for -strict`},
		{[]string{"--profile", "mars-2030"}, nil, harness.EnvProfile},
		{[]string{"--endpoint", "http://staging.example.com"}, nil, "refusing to send anything"},
		{[]string{"--endpoint", "http://127.0.0.1:9"}, nil, harness.EnvInstance},
		{[]string{"--secret-file", "/no/such/file"}, nil, "--secret-file"},
		{[]string{"--max-calls", "-1"}, nil, harness.EnvMaxCalls},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		eng := &fakeEngine{}
		code := run("x", tc.args, envOf(tc.env), &out, &errOut, eng)
		if code != exitUsage || eng.calls != 0 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%q %v: exit %d (want 2), engine called %d times; stderr lacks %q?\n%s", tc.args, tc.env, code, eng.calls, tc.want, errOut.String())
		}
	}
	for _, ok := range []string{"length-limits || overwrite", "!slow && (reading || property)", "ref:§2.1", "/throttl/"} {
		if err := checkLabelFilter(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}

// TestHelp checks that -h documents every variable, the credentials rule and each exit code.
func TestHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := runCmd([]string{"-h"}, &out, &errOut); code != 0 {
		t.Fatalf("-h: exit %d\n%s", code, errOut.String())
	}
	help := out.String()
	want := []string{"--secret-file FILE", harness.EnvAccessKeySecret, "--labels FILTER", "--focus REGEXP", "--list",
		"--version", "--rapid-checks N", "--report-dir DIR", "./reports", "0  conformant", "1  a documented violation",
		"2  usage or configuration error", "3  infrastructure or budget", "diff -h"}
	for _, f := range envFlags {
		want = append(want, "--"+f.name, "["+f.env+"]")
	}
	for _, w := range want {
		if !strings.Contains(help, w) {
			t.Errorf("-h lacks %q", w)
		}
	}
	out.Reset()
	if code := runCmd([]string{"--version"}, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "imagesearch-conformance ") {
		t.Errorf("--version: exit %d, %q", code, out.String())
	}
}
