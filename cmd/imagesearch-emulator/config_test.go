package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
)

// fakeEnv is a getenv over a map.
func fakeEnv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestParseConfigPrecedence checks that every flag reads its environment variable and that a flag given
// on the command line wins over it.
func TestParseConfigPrecedence(t *testing.T) {
	env := map[string]string{
		"IMAGESEARCH_EMULATOR_ADDR":         "127.0.0.1:1111",
		"IMAGESEARCH_EMULATOR_INSTANCES":    " a:capacity=100000 ; b ;",
		"IMAGESEARCH_EMULATOR_ACCESS_KEYS":  "id1:s1;id2:s2",
		"IMAGESEARCH_EMULATOR_DATA":         "/var/lib/emu",
		"IMAGESEARCH_EMULATOR_PROFILE":      "cn-2026",
		"IMAGESEARCH_EMULATOR_MUTANTS":      "no-throttling;length-in-bytes",
		"IMAGESEARCH_EMULATOR_READINGS":     "unsent=reset; latency=1ms-2ms ;",
		"IMAGESEARCH_EMULATOR_CALIBRATE":    "last-night/results.json",
		"IMAGESEARCH_EMULATOR_LOG_FORMAT":   "json",
		"IMAGESEARCH_EMULATOR_ALLOW_REMOTE": "true",
		"IMAGESEARCH_EMULATOR_READ_TIMEOUT": "2s",
		"IMAGESEARCH_EMULATOR_BODY_TIMEOUT": "3s",
		"IMAGESEARCH_EMULATOR_IDLE_TIMEOUT": "4s",
		"IMAGESEARCH_EMULATOR_MAX_CONNS":    "7",
	}
	envLimits := emulator.Limits{ReadHeaderTimeout: 2 * time.Second, BodyTimeout: 3 * time.Second, IdleTimeout: 4 * time.Second, MaxConns: 7}
	cfg, err := parseConfig(nil, fakeEnv(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{addr: "127.0.0.1:1111", instances: listFlag{"a:capacity=100000", "b"}, keys: listFlag{"id1:s1", "id2:s2"},
		data: "/var/lib/emu", profile: "cn-2026", mutants: listFlag{"no-throttling", "length-in-bytes"},
		readings: listFlag{"unsent=reset", "latency=1ms-2ms"}, calibrate: "last-night/results.json", logFormat: "json", allowRemote: true,
		limits: envLimits}
	if !sameConfig(cfg, want) {
		t.Errorf("from the environment:\n got %+v\nwant %+v", cfg, want)
	}

	args := []string{"-addr", "127.0.0.1:2222", "-instance", "c", "-access-key", "id3:s3", "-data", "/tmp/x",
		"-profile", "intl-2025", "-mutant", "no-throttling", "-reading", "head=documented", "-reading", "key-limit=512",
		"-calibrate", "other.json", "-log-format", "text", "-allow-remote=false", "-max-conns", "9"}
	cfg, err = parseConfig(args, fakeEnv(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = config{addr: "127.0.0.1:2222", instances: listFlag{"c"}, keys: listFlag{"id3:s3"}, data: "/tmp/x",
		profile: "intl-2025", mutants: listFlag{"no-throttling"}, readings: listFlag{"head=documented", "key-limit=512"},
		calibrate: "other.json", logFormat: "text", limits: envLimits}
	want.limits.MaxConns = 9
	if !sameConfig(cfg, want) {
		t.Errorf("flags over the environment:\n got %+v\nwant %+v", cfg, want)
	}

	cfg, err = parseConfig(nil, fakeEnv(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	d := emulator.DefaultLimits
	want = config{addr: "127.0.0.1:8780", profile: string(contract.DefaultProfile), logFormat: "text",
		limits: emulator.Limits{ReadHeaderTimeout: d.ReadHeaderTimeout, BodyTimeout: d.BodyTimeout, IdleTimeout: d.IdleTimeout, MaxConns: d.MaxConns}}
	if !sameConfig(cfg, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", cfg, want)
	}
}

func sameConfig(a, b config) bool {
	return a.addr == b.addr && slices.Equal(a.instances, b.instances) && slices.Equal(a.keys, b.keys) &&
		a.data == b.data && a.profile == b.profile && slices.Equal(a.mutants, b.mutants) &&
		slices.Equal(a.readings, b.readings) && a.calibrate == b.calibrate && a.logFormat == b.logFormat && a.allowRemote == b.allowRemote &&
		a.listMutants == b.listMutants && a.listVariants == b.listVariants && a.limits == b.limits
}

// TestParseConfigErrors checks that a bad variable is reported with its name and a bad flag is refused.
func TestParseConfigErrors(t *testing.T) {
	_, err := parseConfig(nil, fakeEnv(map[string]string{"IMAGESEARCH_EMULATOR_ALLOW_REMOTE": "maybe"}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "IMAGESEARCH_EMULATOR_ALLOW_REMOTE") {
		t.Errorf("bad boolean variable: %v", err)
	}
	if _, err := parseConfig([]string{"-no-such-flag"}, fakeEnv(nil), io.Discard); err == nil {
		t.Error("unknown flag accepted")
	}
}

// TestOptions checks the translation into emulator options, including the defaults.
func TestOptions(t *testing.T) {
	cfg, _ := parseConfig([]string{"-addr", "localhost:0", "-instance", "x:capacity=100000,search-qps=10,region=cn-shanghai,limits=off",
		"-access-key", "id:secret", "-profile", "cn-2026", "-mutant", "no-throttling", "-reading", "unsent=reset", "-calibrate", "r.json"}, fakeEnv(nil), io.Discard)
	opts, demo, err := cfg.options()
	if err != nil {
		t.Fatal(err)
	}
	want := emulator.Instance{Name: "x", Capacity: 100_000, SearchQPS: 10, Region: "cn-shanghai", Unlimited: true}
	if demo != nil || len(opts.Instances) != 1 || opts.Instances[0] != want || opts.Profile != contract.CN2026 ||
		!slices.Equal(opts.Mutants, []string{"no-throttling"}) || !slices.Equal(opts.Readings, []string{"unsent=reset"}) || opts.Calibrate != "r.json" ||
		opts.Credentials[0] != (emulator.Credential{ID: "id", Secret: "secret"}) {
		t.Errorf("options %+v demo %v", opts, demo)
	}

	cfg, _ = parseConfig(nil, fakeEnv(nil), io.Discard)
	opts, demo, err = cfg.options()
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Instances) != 1 || opts.Instances[0].Name != "demoinstance" {
		t.Errorf("default instance %+v", opts.Instances)
	}
	if demo == nil || !strings.HasPrefix(demo.ID, "LTAIdemo") || len(demo.Secret) < 20 || opts.Credentials[0] != *demo {
		t.Errorf("generated demo key %+v, credentials %+v", demo, opts.Credentials)
	}
	_, demo2, _ := cfg.options()
	if demo2.Secret == demo.Secret {
		t.Error("two runs generated the same demo secret")
	}
}

// TestOptionsErrors checks the refused configurations: bad instance options, bad keys, an unknown
// profile and a non-loopback address without -allow-remote.
func TestOptionsErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string // part of the error
	}{
		{"capacity not a number", []string{"-instance", "a:capacity=lots"}, "capacity"},
		{"capacity zero", []string{"-instance", "a:capacity=0"}, "capacity"},
		{"search-qps negative", []string{"-instance", "a:search-qps=-1"}, "search-qps"},
		{"limits value", []string{"-instance", "a:limits=maybe"}, "limits"},
		{"unknown option", []string{"-instance", "a:colour=red"}, "unknown option"},
		{"not key=value", []string{"-instance", "a:capacity"}, "key=value"},
		{"access key without secret", []string{"-access-key", "justanid"}, "id>:<secret"},
		{"access key empty id", []string{"-access-key", ":secret"}, "id>:<secret"},
		{"profile", []string{"-profile", "eu-2030"}, "unknown profile"},
		{"any address", []string{"-addr", "0.0.0.0:8780"}, "allow-remote"},
		{"public address", []string{"-addr", "192.0.2.1:80"}, "allow-remote"},
		{"host name", []string{"-addr", "example.com:80"}, "allow-remote"},
		{"IPv6 any", []string{"-addr", "[::]:80"}, "allow-remote"},
		{"no port", []string{"-addr", "127.0.0.1"}, "-addr"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig(tc.args, fakeEnv(nil), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = cfg.options()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want one mentioning %q", err, tc.want)
			}
		})
	}
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:8780", "-allow-remote"},
		{"-addr", "192.0.2.1:80", "-allow-remote"},
		{"-addr", "localhost:0"},
		{"-addr", "[::1]:0"},
		{"-addr", "127.0.0.2:0"},
	} {
		cfg, _ := parseConfig(args, fakeEnv(nil), io.Discard)
		if _, _, err := cfg.options(); err != nil {
			t.Errorf("%v refused: %v", args, err)
		}
	}
	cfg, _ := parseConfig(nil, fakeEnv(map[string]string{"IMAGESEARCH_EMULATOR_ADDR": "0.0.0.0:1"}), io.Discard)
	if _, _, err := cfg.options(); err == nil {
		t.Error("non-loopback address from the environment accepted without allow-remote")
	}
}
