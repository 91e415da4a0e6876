package emulator

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// Instance configures one emulated Image Search instance.
type Instance struct {
	Name      string
	Region    string // reported by Detail; default "ap-southeast-1"
	Capacity  int64  // images; default contract.DefaultCapacity (2.5 M). 100000 makes AddImage 1 QPS (ref §1.10)
	SearchQPS int    // QPS of the search operations; default contract.DefaultSearchQPS
	// Unlimited switches every QPS limit of this instance off, for fast local runs.
	Unlimited bool
}

// Credential is one AccessKey pair the emulator accepts.
type Credential struct {
	ID     string
	Secret string
}

// Options configures a Server. The zero value serves nothing useful; DefaultOptions gives the
// no-flag setup of the command.
type Options struct {
	// Addr is the listen address of Start; default "127.0.0.1:0" (loopback, random port).
	Addr        string
	Profile     contract.Profile
	Instances   []Instance
	Credentials []Credential
	// DataDir, when set, persists state in DataDir so it survives a restart and kill -9.
	DataDir string
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Now is the clock for signatures and QPS windows; nil means time.Now. Tests inject a fake clock.
	Now func() time.Time
	// Mutants names contract violations to switch on (the KindMutant rows of Variants); empty for a
	// faithful emulator.
	Mutants []string
	// Readings switches on readings and freedoms, each "name=value" with any valid value (the KindReading
	// and KindFreedom rows of Variants name one each), e.g. "unsent=reset", "latency=50ms-250ms". Empty
	// gives the expected reading of every open point.
	Readings []string
	// Calibrate, when set, is the path of a suite run's results.json: the readings and freedoms that run
	// observed are switched on as well (see CalibrationReadings), so the emulator answers like that target.
	// A value of the same option in Readings wins over the calibrated one; Server.Calibration says which.
	Calibrate string

	// Connection limits (ref §1.3, §1.5): a stalled or slow client costs one connection for at most a few
	// seconds. Zero takes the default; the command's flags set them.
	Limits Limits
}

// Limits bounds what one client can hold of a started Server. The zero value of a field takes its default
// (DefaultLimits).
type Limits struct {
	// ReadHeaderTimeout bounds the wait for a request's header, from its first byte; a client that trickles
	// a header is cut off after it. Default 5 s.
	ReadHeaderTimeout time.Duration
	// BodyTimeout bounds the wait for the body once the header is in; the service gives an upload 5 s
	// (ref §1.5, TimeoutForTransferImage), which is what a client that stalls mid-body gets. Default 5 s.
	BodyTimeout time.Duration
	// WriteTimeout bounds the handling and the writing of one answer, so a client that stops reading
	// cannot hold a connection. Default 90 s, over the longest delay a fault may add (60 s).
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that sends no next request. Default 30 s.
	IdleTimeout time.Duration
	// MaxConns bounds the connections served at once; further ones wait to be accepted. Default 256.
	MaxConns int
	// MaxHeaderBytes bounds the request line (query included) and the header; a request over it gets the
	// 431 error envelope. Default 1 MiB, net/http's own default.
	MaxHeaderBytes int
}

// DefaultLimits are the limits of a Server whose Options leave them zero.
var DefaultLimits = Limits{ReadHeaderTimeout: 5 * time.Second, BodyTimeout: 5 * time.Second,
	WriteTimeout: 90 * time.Second, IdleTimeout: 30 * time.Second, MaxConns: 256, MaxHeaderBytes: 1 << 20}

// withDefaults fills the zero fields of l from DefaultLimits and refuses negative ones.
func (l Limits) withDefaults() (Limits, error) {
	d := DefaultLimits
	for _, f := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&l.ReadHeaderTimeout, d.ReadHeaderTimeout}, {&l.BodyTimeout, d.BodyTimeout},
		{&l.WriteTimeout, d.WriteTimeout}, {&l.IdleTimeout, d.IdleTimeout}} {
		if *f.v < 0 {
			return l, fmt.Errorf("limits: negative timeout %v", *f.v)
		}
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	if l.MaxConns < 0 || l.MaxHeaderBytes < 0 {
		return l, fmt.Errorf("limits: negative MaxConns or MaxHeaderBytes")
	}
	if l.MaxConns == 0 {
		l.MaxConns = d.MaxConns
	}
	if l.MaxHeaderBytes == 0 {
		l.MaxHeaderBytes = d.MaxHeaderBytes
	}
	return l, nil
}

func (o *Options) withDefaults() (Options, error) {
	c := *o
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.Profile == "" {
		c.Profile = contract.DefaultProfile
	}
	if _, err := contract.ParseProfile(string(c.Profile)); err != nil {
		return c, err
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	var err error
	if c.Limits, err = c.Limits.withDefaults(); err != nil {
		return c, err
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	seen := map[string]bool{}
	for i := range c.Instances {
		in := &c.Instances[i]
		if in.Name == "" || len([]rune(in.Name)) > contract.MaxInstanceName {
			return c, fmt.Errorf("instance name %q must have 1 to %d characters", in.Name, contract.MaxInstanceName)
		}
		if seen[in.Name] {
			return c, fmt.Errorf("instance %q configured twice", in.Name)
		}
		seen[in.Name] = true
		if in.Region == "" {
			in.Region = "ap-southeast-1"
		}
		if in.Capacity <= 0 {
			in.Capacity = contract.DefaultCapacity
		}
		if in.SearchQPS <= 0 {
			in.SearchQPS = contract.DefaultSearchQPS
		}
	}
	for _, k := range c.Credentials {
		if k.ID == "" || k.Secret == "" {
			return c, fmt.Errorf("an access key needs both an id and a secret")
		}
	}
	return c, nil
}

// ParseInstance parses the command-line form `name[:key=value,...]` with the keys capacity (images),
// search-qps, region and limits (on|off), e.g. "demo:capacity=2500000,search-qps=10".
func ParseInstance(s string) (Instance, error) {
	name, opts, _ := strings.Cut(s, ":")
	in := Instance{Name: name}
	if opts == "" {
		return in, nil
	}
	for _, kv := range strings.Split(opts, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return in, fmt.Errorf("instance %q: option %q is not key=value", name, kv)
		}
		if err := in.set(k, v); err != nil {
			return in, fmt.Errorf("instance %q: %w", name, err)
		}
	}
	return in, nil
}

func (in *Instance) set(k, v string) error {
	switch k {
	case "capacity":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("capacity %q is not a positive integer", v)
		}
		in.Capacity = n
	case "search-qps":
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("search-qps %q is not a positive integer", v)
		}
		in.SearchQPS = n
	case "region":
		in.Region = v
	case "limits":
		switch v {
		case "on":
			in.Unlimited = false
		case "off":
			in.Unlimited = true
		default:
			return fmt.Errorf("limits %q must be on or off", v)
		}
	default:
		return fmt.Errorf("unknown option %q (want capacity, search-qps, region or limits)", k)
	}
	return nil
}

// ParseCredential parses `id:secret`.
func ParseCredential(s string) (Credential, error) {
	id, secret, ok := strings.Cut(s, ":")
	if !ok || id == "" || secret == "" {
		return Credential{}, fmt.Errorf("access key must be <id>:<secret>")
	}
	return Credential{ID: id, Secret: secret}, nil
}
