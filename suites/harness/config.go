// Package harness is the conformance suite's only seam to a target: it reads the target configuration from
// the environment, starts the in-process emulator when no endpoint is given, refuses live endpoints without
// an explicit opt-in, paces calls to each operation's QPS, tracks what the suite creates so it can be
// cleaned up, and writes the reports.
package harness

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// Environment variables read by Load. README.md documents each one.
const (
	EnvEndpoint          = "IMAGESEARCH_ENDPOINT"
	EnvInstance          = "IMAGESEARCH_INSTANCE"
	EnvRegion            = "IMAGESEARCH_REGION"
	EnvAccessKeyID       = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeySecret   = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvProfile           = "IMAGESEARCH_PROFILE"
	EnvAllowLive         = "IMAGESEARCH_ALLOW_LIVE"
	EnvVisibilityTimeout = "IMAGESEARCH_VISIBILITY_TIMEOUT"
	EnvRunID             = "IMAGESEARCH_RUN_ID"
	EnvThrottleInstance  = "IMAGESEARCH_THROTTLE_INSTANCE"
	EnvSearchQPS         = "IMAGESEARCH_SEARCH_QPS"
	EnvAddQPS            = "IMAGESEARCH_ADD_QPS"
	EnvMaxCalls          = "IMAGESEARCH_MAX_CALLS"
	EnvReportDir         = "IMAGESEARCH_REPORT_DIR"
	EnvPacingMargin      = "IMAGESEARCH_PACING_MARGIN"
	// EnvMutants switches contract violations on in the in-process emulator (';' or ',' separated), so
	// `make mutants` can measure whether the suite catches each one. It has no effect on other targets.
	EnvMutants = "IMAGESEARCH_EMULATOR_MUTANTS"
	// EnvReadings switches allowed readings and freedoms on in the in-process emulator (';' separated
	// name=value), so the suite can be proved against every answer the documents allow.
	EnvReadings = "IMAGESEARCH_EMULATOR_READINGS"
	// EnvStrict=1 makes a deviation (an open point answered another allowed way) fail the run.
	EnvStrict = "IMAGESEARCH_STRICT"
)

// Config is the target configuration. The zero Endpoint means "start the emulator in-process".
type Config struct {
	Endpoint          string
	Instance          string
	ThrottleInstance  string // instance the throttling specs hammer; defaults to Instance
	Region            string
	AccessKeyID       string
	AccessKeySecret   string
	Profile           contract.Profile
	AllowLive         bool
	VisibilityTimeout time.Duration // bounded wait for an update to show in searches
	RunID             string        // names every image the run creates; recorded in the report
	SearchQPS         int           // 0: learn from Detail
	AddQPS            int           // 0: learn from Detail's capacity
	MaxCalls          int           // 0: unlimited
	PacingMargin      time.Duration // how much later than its pacer's grant a call may reach the target (pacer.go)
	ReportDir         string
	Mutants           []string // for the in-process emulator only
	Readings          []string // for the in-process emulator only
	Strict            bool     // a deviation fails the run
	Record            string   // IMAGESEARCH_RECORD: record every exchange into this file (see RecordPath)
}

// Load reads the configuration from getenv and validates it. It never contacts the target.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		Endpoint:         strings.TrimRight(getenv(EnvEndpoint), "/"),
		Instance:         getenv(EnvInstance),
		ThrottleInstance: getenv(EnvThrottleInstance),
		Region:           or(getenv(EnvRegion), imagesearch.DefaultRegionID),
		AccessKeyID:      getenv(EnvAccessKeyID),
		AccessKeySecret:  getenv(EnvAccessKeySecret),
		AllowLive:        getenv(EnvAllowLive) == "1",
		RunID:            getenv(EnvRunID),
		ReportDir:        getenv(EnvReportDir),
		Mutants:          strings.FieldsFunc(getenv(EnvMutants), func(r rune) bool { return r == ';' || r == ',' }),
		Readings:         strings.FieldsFunc(getenv(EnvReadings), func(r rune) bool { return r == ';' }),
		Strict:           getenv(EnvStrict) == "1",
		Record:           getenv(EnvRecord),
	}
	var err error
	if c.Profile, err = contract.ParseProfile(getenv(EnvProfile)); err != nil {
		return c, fmt.Errorf("%s: %w", EnvProfile, err)
	}
	if c.VisibilityTimeout, err = duration(getenv, EnvVisibilityTimeout, 10*time.Second); err != nil {
		return c, err
	}
	if c.PacingMargin, err = duration(getenv, EnvPacingMargin, DefaultPacingMargin); err != nil {
		return c, err
	}
	for _, n := range []struct {
		env string
		dst *int
	}{{EnvSearchQPS, &c.SearchQPS}, {EnvAddQPS, &c.AddQPS}, {EnvMaxCalls, &c.MaxCalls}} {
		if *n.dst, err = nonNegative(getenv, n.env); err != nil {
			return c, err
		}
	}
	if c.RunID == "" {
		c.RunID = newRunID()
	}
	if !validRunID(c.RunID) {
		return c, fmt.Errorf("%s %q: want 4 to 16 lower-case letters or digits", EnvRunID, c.RunID)
	}
	return c, c.validateTarget()
}

// validateTarget checks the remote-target settings and the live opt-in before anything is sent.
func (c *Config) validateTarget() error {
	if c.Endpoint == "" {
		return nil
	}
	u, err := url.Parse(c.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q: want a base URL such as http://127.0.0.1:8780", EnvEndpoint, c.Endpoint)
	}
	if !IsLoopback(c.Endpoint) && !c.AllowLive {
		return fmt.Errorf("refusing to send anything to %s: it is not a loopback address, and live runs need %s=1 "+
			"(they create, update and delete images on that instance and cost money)", u.Host, EnvAllowLive)
	}
	var missing []string
	for _, kv := range [][2]string{{EnvInstance, c.Instance}, {EnvAccessKeyID, c.AccessKeyID}, {EnvAccessKeySecret, c.AccessKeySecret}} {
		if kv[1] == "" {
			missing = append(missing, kv[0])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s is set, so %s must be set too", EnvEndpoint, strings.Join(missing, ", "))
	}
	if c.ThrottleInstance == "" {
		c.ThrottleInstance = c.Instance
	}
	return nil
}

// IsLoopback reports whether the endpoint URL names a loopback host.
func IsLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Prefix is the per-run prefix of every ProductId the run creates.
func (c Config) Prefix() string { return "cf-" + c.RunID + "-" }

// Redacted describes the configuration without the secret.
func (c Config) Redacted() string {
	target := "in-process emulator"
	if c.Endpoint != "" {
		target = c.Endpoint
	}
	return fmt.Sprintf("target=%s instance=%s profile=%s run=%s access-key=%s", target, c.Instance, c.Profile,
		c.RunID, MaskKeyID(c.AccessKeyID))
}

// MaskKeyID keeps only the first four characters of an AccessKeyId.
func MaskKeyID(id string) string {
	if len(id) <= 4 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + strings.Repeat("*", len(id)-4)
}

func newRunID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func validRunID(s string) bool {
	if len(s) < 4 || len(s) > 16 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func duration(getenv func(string) string, env string, def time.Duration) (time.Duration, error) {
	v := getenv(env)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s %q: want a positive duration such as 10s", env, v)
	}
	return d, nil
}

func nonNegative(getenv func(string) string, env string) (int, error) {
	v := getenv(env)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q: want a non-negative integer", env, v)
	}
	return n, nil
}
