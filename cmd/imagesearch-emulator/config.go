package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
)

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// config is the parsed command line. Every flag has an environment variable; a flag given on the
// command line wins over its variable.
type config struct {
	addr         string
	instances    listFlag
	keys         listFlag
	data         string
	profile      string
	mutants      listFlag
	readings     listFlag
	calibrate    string
	logFormat    string
	allowRemote  bool
	limits       emulator.Limits
	listMutants  bool
	listVariants bool
}

// envNames maps each flag to its environment variable. Repeatable flags read a ';'-separated list.
var envNames = map[string]string{
	"addr":         "IMAGESEARCH_EMULATOR_ADDR",
	"instance":     "IMAGESEARCH_EMULATOR_INSTANCES",
	"access-key":   "IMAGESEARCH_EMULATOR_ACCESS_KEYS",
	"data":         "IMAGESEARCH_EMULATOR_DATA",
	"profile":      "IMAGESEARCH_EMULATOR_PROFILE",
	"mutant":       "IMAGESEARCH_EMULATOR_MUTANTS",
	"reading":      "IMAGESEARCH_EMULATOR_READINGS",
	"calibrate":    "IMAGESEARCH_EMULATOR_CALIBRATE",
	"log-format":   "IMAGESEARCH_EMULATOR_LOG_FORMAT",
	"allow-remote": "IMAGESEARCH_EMULATOR_ALLOW_REMOTE",
	"read-timeout": "IMAGESEARCH_EMULATOR_READ_TIMEOUT",
	"body-timeout": "IMAGESEARCH_EMULATOR_BODY_TIMEOUT",
	"idle-timeout": "IMAGESEARCH_EMULATOR_IDLE_TIMEOUT",
	"max-conns":    "IMAGESEARCH_EMULATOR_MAX_CONNS",
}

func newFlagSet(cfg *config, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("imagesearch-emulator", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8780", "listen address (loopback unless -allow-remote)")
	fs.Var(&cfg.instances, "instance", "instance `name[:capacity=N,search-qps=N,region=R,limits=on|off]` (repeatable; default demoinstance)")
	fs.Var(&cfg.keys, "access-key", "accepted AccessKey pair `id:secret` (repeatable; default: a generated demo pair, printed at start)")
	fs.StringVar(&cfg.data, "data", "", "persist state in this `dir` (default: in memory only)")
	fs.StringVar(&cfg.profile, "profile", string(contract.DefaultProfile), "contract profile for disputed rules: intl-2025 or cn-2026")
	fs.Var(&cfg.mutants, "mutant", "switch on a named contract violation (repeatable; see -list-variants)")
	fs.Var(&cfg.readings, "reading", "switch on an allowed reading or implementation freedom `name=value` (repeatable; see -list-variants)")
	fs.StringVar(&cfg.calibrate, "calibrate", "", "switch on the readings and freedoms a suite run observed, from its results.json `file` (an explicit -reading of the same option wins)")
	fs.StringVar(&cfg.logFormat, "log-format", "text", "request log format: text or json")
	fs.BoolVar(&cfg.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	d := emulator.DefaultLimits
	fs.DurationVar(&cfg.limits.ReadHeaderTimeout, "read-timeout", d.ReadHeaderTimeout, "cut off a client whose request header takes longer")
	fs.DurationVar(&cfg.limits.BodyTimeout, "body-timeout", d.BodyTimeout, "answer TimeoutForTransferImage to a body that takes longer after its header (ref §1.5)")
	fs.DurationVar(&cfg.limits.IdleTimeout, "idle-timeout", d.IdleTimeout, "close a keep-alive connection idle this long")
	fs.IntVar(&cfg.limits.MaxConns, "max-conns", d.MaxConns, "connections served at once; more wait to be accepted")
	fs.BoolVar(&cfg.listMutants, "list-mutants", false, "print the available mutants and exit")
	fs.BoolVar(&cfg.listVariants, "list-variants", false, "print every reading, freedom and mutant and exit")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: imagesearch-emulator [flags]\n\nA local emulator of Alibaba Cloud Image Search (OpenAPI 2020-12-14).\n\nFlags (environment variable in brackets; a flag wins over its variable):\n")
		fs.VisitAll(func(f *flag.Flag) {
			env := ""
			if e, ok := envNames[f.Name]; ok {
				env = " [" + e + "]"
			}
			name, usage := flag.UnquoteUsage(f)
			fmt.Fprintf(out, "  -%s %s%s\n    \t%s (default %q)\n", f.Name, name, env, usage, f.DefValue)
		})
		fmt.Fprint(out, gcHelp)
	}
	return fs
}

// parseConfig reads flags over environment variables.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (config, error) {
	var cfg config
	fs := newFlagSet(&cfg, out)
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, env := range envNames {
		v := getenv(env)
		if v == "" || set[name] {
			continue
		}
		for _, item := range splitEnv(name, v) {
			if err := fs.Set(name, item); err != nil {
				return cfg, fmt.Errorf("%s: %w", env, err)
			}
		}
	}
	return cfg, nil
}

func splitEnv(flagName, v string) []string {
	switch flagName {
	case "instance", "access-key", "mutant", "reading":
		var out []string
		for _, p := range strings.Split(v, ";") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	return []string{v}
}

// options turns the config into emulator options. demo is the generated key pair when none was given.
func (c config) options() (opts emulator.Options, demo *emulator.Credential, err error) {
	if err := checkLoopback(c.addr, c.allowRemote); err != nil {
		return opts, nil, err
	}
	opts.Addr, opts.DataDir, opts.Mutants, opts.Readings = c.addr, c.data, c.mutants, c.readings
	opts.Calibrate, opts.Limits = c.calibrate, c.limits
	if l := c.limits; l.ReadHeaderTimeout <= 0 || l.BodyTimeout <= 0 || l.IdleTimeout <= 0 || l.MaxConns <= 0 {
		return opts, nil, errors.New("-read-timeout, -body-timeout, -idle-timeout and -max-conns must be positive")
	}
	if opts.Profile, err = contract.ParseProfile(c.profile); err != nil {
		return opts, nil, err
	}
	instances := c.instances
	if len(instances) == 0 {
		instances = listFlag{"demoinstance"}
	}
	for _, s := range instances {
		in, err := emulator.ParseInstance(s)
		if err != nil {
			return opts, nil, err
		}
		opts.Instances = append(opts.Instances, in)
	}
	for _, s := range c.keys {
		k, err := emulator.ParseCredential(s)
		if err != nil {
			return opts, nil, err
		}
		opts.Credentials = append(opts.Credentials, k)
	}
	if len(opts.Credentials) == 0 {
		demo = &emulator.Credential{ID: "LTAIdemo" + randomHex(8), Secret: randomHex(15)}
		opts.Credentials = []emulator.Credential{*demo}
	}
	return opts, demo, nil
}

func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errors.New("-addr " + addr + " is not a loopback address; pass -allow-remote to listen on it")
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		fmt.Fprintln(os.Stderr, "random:", err)
		os.Exit(1)
	}
	return hex.EncodeToString(b)
}
