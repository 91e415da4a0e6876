package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// envFlag is a flag that stands for one environment variable: set, it wins over the variable.
type envFlag struct {
	name, env, arg, help string
	boolean              bool
}

// envFlags are the flags for every variable harness.Load and the suite read, in help order. The secret has
// none on purpose: a flag value shows in ps, shell history and CI logs (see --secret-file).
var envFlags = []envFlag{
	{name: "endpoint", env: harness.EnvEndpoint, arg: "URL", help: "base URL of the target (default: the emulator compiled into this binary)"},
	{name: "instance", env: harness.EnvInstance, arg: "NAME", help: "instance the specs use"},
	{name: "throttle-instance", env: harness.EnvThrottleInstance, arg: "NAME", help: "instance the throttling specs hammer (default: --instance)"},
	{name: "region", env: harness.EnvRegion, arg: "ID", help: "region id (default " + imagesearch.DefaultRegionID + ")"},
	{name: "access-key-id", env: harness.EnvAccessKeyID, arg: "ID", help: "AccessKey id (the secret comes from the environment or --secret-file)"},
	{name: "profile", env: harness.EnvProfile, arg: "NAME", help: "contract profile for disputed rules: intl-2025 (default) or cn-2026"},
	{name: "allow-live", env: harness.EnvAllowLive, boolean: true, help: "allow a non-loopback endpoint (the run creates, updates and deletes images there)"},
	{name: "strict", env: harness.EnvStrict, boolean: true, help: "a deviation (an open point answered another allowed way) fails the run"},
	{name: "max-calls", env: harness.EnvMaxCalls, arg: "N", help: "stop calling the target after N calls; the rest of the specs skip (0: no cap)"},
	{name: "visibility-timeout", env: harness.EnvVisibilityTimeout, arg: "DURATION", help: "bounded wait for an update to show in searches (default 10s)"},
	{name: "run-id", env: harness.EnvRunID, arg: "ID", help: "names every image the run creates, cf-ID-... (default: random)"},
	{name: "search-qps", env: harness.EnvSearchQPS, arg: "N", help: "SearchImage QPS limit (default: learned from the instance)"},
	{name: "add-qps", env: harness.EnvAddQPS, arg: "N", help: "AddImage/UpdateImage QPS limit (default: learned from the instance)"},
	{name: "pacing-margin", env: harness.EnvPacingMargin, arg: "DURATION", help: "added to each one-second pacing window (default " + harness.DefaultPacingMargin.String() + ")"},
	{name: "report-dir", env: harness.EnvReportDir, arg: "DIR", help: "where the reports go (default ./reports, relative to the working directory)"},
	{name: "record", env: harness.EnvRecord, arg: "FILE", help: "record every exchange, scrubbed of signatures and secrets, into FILE (JSON Lines)"},
	{name: "labels", env: envLabelFilter, arg: "FILTER", help: "run only the specs whose labels match, e.g. 'length-limits || overwrite' or '!slow'"},
	{name: "emulator-mutants", env: harness.EnvMutants, arg: "LIST", help: "in-process emulator only: switch on named contract violations (',' separated)"},
	{name: "emulator-readings", env: harness.EnvReadings, arg: "LIST", help: "in-process emulator only: switch on allowed readings name=value (';' separated)"},
}

// The suite's own variables, read by the suite rather than harness.Load.
const (
	envLabelFilter       = "IMAGESEARCH_LABEL_FILTER"
	envRapidChecks       = "RAPID_CHECKS"
	envRemoteRapidChecks = "IMAGESEARCH_REMOTE_RAPID_CHECKS"
)

// options is a parsed command line.
type options struct {
	env         map[string]string // variables the flags set; they win over the environment
	focus       []string          // regexps on a spec's full text, any of which selects it
	rapidChecks int               // 0: the suite's default
	timeout     time.Duration
	verbose     bool
	list        bool
	version     bool
	help        bool
	args        []string // the command line as given, for the re-run line
}

// getenv reads a variable, a flag winning over the environment.
func (o options) getenv(environ func(string) string) func(string) string {
	return func(k string) string {
		if v, ok := o.env[k]; ok {
			return v
		}
		return environ(k)
	}
}

// errUsage marks an error the user fixes on the command line or in the environment: exit 2.
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// parseOptions reads the command line. Relative paths are resolved against the working directory here,
// because the harness would otherwise resolve them against the root of any Go module around it.
func parseOptions(args []string, environ func(string) string) (options, error) {
	o := options{env: map[string]string{}, args: args}
	fs := flag.NewFlagSet("imagesearch-conformance", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned; -h prints the help itself
	values := map[string]*string{}
	for _, f := range envFlags {
		if f.boolean {
			values[f.name] = new(string)
			fs.BoolFunc(f.name, f.help, boolSetter(values[f.name]))
			continue
		}
		values[f.name] = fs.String(f.name, "", f.help)
	}
	secretFile := fs.String("secret-file", "", "read the AccessKey secret from FILE")
	fs.Func("focus", "run only the specs whose full text matches REGEXP (repeatable)", func(s string) error {
		o.focus = append(o.focus, s)
		return nil
	})
	fs.IntVar(&o.rapidChecks, "rapid-checks", 0, "cases per rapid property")
	fs.DurationVar(&o.timeout, "timeout", time.Hour, "stop the run after DURATION")
	fs.BoolVar(&o.verbose, "v", false, "print every spec as it runs")
	fs.BoolVar(&o.list, "list", false, "list the specs and exit")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		o.help = true
		return o, nil
	}
	if err != nil {
		return o, usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return o, usageErr("unexpected argument %q (flags only; the one subcommand is diff)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, f := range envFlags {
		if set[f.name] {
			o.env[f.env] = *values[f.name]
		}
	}
	if err := o.resolve(*secretFile, set["rapid-checks"], environ); err != nil {
		return o, err
	}
	return o, nil
}

// boolSetter stores a boolean flag as the variable's "1" or "0".
func boolSetter(dst *string) func(string) error {
	return func(s string) error {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return errors.New("want true or false")
		}
		*dst = map[bool]string{true: "1", false: "0"}[b]
		return nil
	}
}

// resolve fills in what the flags imply: the secret from its file, absolute report and recording paths,
// and checks the label filter, the focus regexps and the case count before any run starts.
func (o *options) resolve(secretFile string, rapidSet bool, environ func(string) string) error {
	if secretFile != "" {
		b, err := os.ReadFile(secretFile)
		if err != nil {
			return usageErr("--secret-file: %v", err) // the error names the file, never its content
		}
		o.env[harness.EnvAccessKeySecret] = strings.TrimRight(string(b), "\r\n")
	}
	get := o.getenv(environ)
	dir := get(harness.EnvReportDir)
	if dir == "" {
		dir = "reports"
	}
	for env, p := range map[string]string{harness.EnvReportDir: dir, harness.EnvRecord: get(harness.EnvRecord)} {
		if p == "" || filepath.IsAbs(p) {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return usageErr("%s %q: %v", env, p, err)
		}
		o.env[env] = abs
	}
	if rapidSet && o.rapidChecks <= 0 {
		return usageErr("--rapid-checks %d: want a positive number of cases", o.rapidChecks)
	}
	if o.timeout <= 0 {
		return usageErr("--timeout %s: want a positive duration", o.timeout)
	}
	for _, f := range o.focus {
		if _, err := regexp.Compile(f); err != nil {
			return usageErr("--focus %q: %v", f, err)
		}
	}
	return checkLabelFilter(get(envLabelFilter))
}

// checkLabelFilter refuses a filter Ginkgo cannot parse (Ginkgo itself would exit 1 on it) or one that
// names a label outside the registry, which would silently select nothing.
func checkLabelFilter(filter string) error {
	if filter == "" {
		return nil
	}
	if _, err := types.ParseLabelFilter(filter); err != nil {
		return usageErr("--labels %q: %v", filter, strings.TrimSpace(err.Error()))
	}
	for _, l := range filterLabels(filter) {
		if !knownLabel(l) {
			return usageErr("--labels %q: no such label %q (labels: %s, and ref:§N.N)", filter, l,
				strings.Join(harness.AllLabels, ", "))
		}
	}
	return nil
}

// filterLabels returns the plain label names a Ginkgo label filter mentions; regexps (/.../) and the
// key:value and key: {set} forms (ref:§2.1) are left to Ginkgo.
func filterLabels(filter string) []string {
	filter = regexp.MustCompile(`/[^/]*/|\{[^}]*\}`).ReplaceAllString(filter, " ")
	var out []string
	for _, w := range strings.FieldsFunc(filter, func(r rune) bool { return strings.ContainsRune("&|!(), \t", r) }) {
		if !strings.Contains(w, ":") {
			out = append(out, w)
		}
	}
	return out
}

func knownLabel(l string) bool {
	for _, k := range harness.AllLabels {
		if strings.EqualFold(k, l) {
			return true
		}
	}
	return false
}
