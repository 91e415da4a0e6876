package imagesearch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// Defaults applied by New.
const (
	DefaultRegionID = "ap-southeast-1"
	DefaultTimeout  = 10 * time.Second
	// maxConnectTimeout caps the dial timeout (the SDK's own default).
	maxConnectTimeout = 5 * time.Second
	// poolSize is how many idle SDK clients are kept for reuse.
	poolSize = 32
)

// Config configures a Client.
type Config struct {
	// Endpoint is the base URL, e.g. http://127.0.0.1:8780 or
	// https://imagesearch.ap-southeast-1.aliyuncs.com. Only scheme and host
	// are used; a path, query, fragment or user info is rejected.
	Endpoint string
	// RegionID is sent as RegionId; default DefaultRegionID.
	RegionID string
	// AccessKeyID and AccessKeySecret are static credentials; both required.
	AccessKeyID, AccessKeySecret string
	// Timeout bounds one call end to end; default DefaultTimeout. The dial
	// timeout is the smaller of Timeout and 5s.
	Timeout time.Duration
	// OnCall, when set, is called synchronously after every request that was
	// sent (not for calls refused before sending, e.g. by a done context). It
	// may be called from many goroutines at once.
	OnCall func(CallInfo)
}

// CallInfo describes one sent request, for the OnCall hook.
type CallInfo struct {
	Action     string
	HTTPStatus int    // 0 when no HTTP answer arrived
	RequestId  string // from the body, when it had one
	Duration   time.Duration
	Err        error
	// Start is when the call was handed to the SDK; Start+Duration is when its answer was decoded.
	Start time.Time
	// Params are the operation's parameters as this client sent them, before the SDK added the common
	// and signature parameters (AccessKeyId, Signature, Timestamp, ...), so a recording of them holds no
	// credential. Placement(Action, key) says whether each travelled in the query or the form. Read only:
	// the map is shared with the request.
	Params map[string]string
	// Header is the response's header and Body its body as read (both nil when no HTTP answer arrived).
	// Read only: Body is the same slice the response's Raw holds.
	Header http.Header
	Body   []byte
}

// Client is a typed Image Search client. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string // normalised scheme://host
	scheme   string
	domain   string // host[:port], the SDK's Domain
	connect  time.Duration
	// transport is shared by all pooled SDK clients; *http.Transport is
	// goroutine-safe and sharing it lets connections be reused.
	transport *http.Transport
	// pool holds idle SDK clients: a v1 sdk.Client is not goroutine-safe
	// (sdk-go-v1.md §6.3), so each call borrows one exclusively.
	pool chan *pooled
}

// New validates cfg and returns a Client. Error texts never contain the
// AccessKeySecret.
func New(cfg Config) (*Client, error) {
	c, err := build(cfg)
	if err != nil && cfg.AccessKeySecret != "" {
		// A secret pasted into the endpoint or region must not be echoed.
		err = errors.New(strings.ReplaceAll(err.Error(), cfg.AccessKeySecret, mask))
	}
	return c, err
}

// build does the work of New.
func build(cfg Config) (*Client, error) {
	u, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.AccessKeyID == "" || cfg.AccessKeySecret == "" {
		return nil, errors.New("imagesearch: AccessKeyID and AccessKeySecret are required")
	}
	if cfg.RegionID == "" {
		cfg.RegionID = DefaultRegionID
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("imagesearch: negative Timeout %v", cfg.Timeout)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	registerSecret(cfg.AccessKeySecret)
	c := &Client{
		cfg:      cfg,
		endpoint: u.Scheme + "://" + u.Host,
		scheme:   u.Scheme,
		domain:   u.Host,
		connect:  min(cfg.Timeout, maxConnectTimeout),
		pool:     make(chan *pooled, poolSize),
	}
	c.transport = c.newTransport()
	// Build one SDK client now so configuration errors (e.g. a RegionID the
	// SDK rejects) surface here rather than on the first call.
	p, err := c.newPooled()
	if err != nil {
		return nil, fmt.Errorf("imagesearch: %s", Redact(err.Error()))
	}
	c.pool <- p
	return c, nil
}

// Endpoint returns the normalised base URL, scheme://host[:port].
func (c *Client) Endpoint() string { return c.endpoint }

// parseEndpoint accepts http or https URLs with a host and nothing but an
// optional "/" path.
func parseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("imagesearch: invalid Endpoint %q: %v", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("imagesearch: Endpoint %q: scheme must be http or https", raw)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("imagesearch: Endpoint %q: missing host", raw)
	case u.User != nil:
		return nil, fmt.Errorf("imagesearch: Endpoint %q: user info is not allowed", u.Redacted())
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return nil, fmt.Errorf("imagesearch: Endpoint %q: path, query and fragment are not allowed (RPC calls go to /)", raw)
	}
	return u, nil
}

// newTransport builds the HTTP transport. Proxies come from the environment
// through net/http, which never proxies loopback hosts (the SDK's own proxy
// logic does, sdk-go-v1.md §6.5).
func (c *Client) newTransport() *http.Transport {
	return &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: c.connect, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout: c.cfg.Timeout,
		MaxIdleConns:        poolSize,
		MaxIdleConnsPerHost: poolSize,
		IdleConnTimeout:     90 * time.Second,
	}
}

// pooled is one SDK client with the round tripper that binds its requests to
// the caller's context.
type pooled struct {
	sdk *sdk.Client
	rt  *ctxTransport
}

// ctxTransport attaches the current call's context to the request the SDK
// builds (the SDK creates requests without one), so cancellation reaches the
// connection. Being a non-*http.Transport RoundTripper also stops the SDK
// from mutating the transport on every call (sdk-go-v1.md §6.5). ctx is set
// only while the owning pooled client is borrowed, so it is never shared.
type ctxTransport struct {
	base http.RoundTripper
	ctx  context.Context
}

// RoundTrip sends req under the borrowed context.
func (t *ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.ctx != nil {
		req = req.WithContext(t.ctx)
	}
	return t.base.RoundTrip(req)
}

// newPooled creates an SDK client per the recipe in sdk-go-v1.md §1.1:
// static AK credentials, AutoRetry off, explicit client-level timeouts (a
// per-request timeout would stick, §6.4) and no proxy for loopback.
func (c *Client) newPooled() (*pooled, error) {
	conf := sdk.NewConfig()
	conf.AutoRetry = false // retries would hide what the service answered
	conf.MaxRetryTime = 0
	conf.Scheme = strings.ToUpper(c.scheme)
	rt := &ctxTransport{base: c.transport}
	conf.Transport = rt
	cred := credentials.NewStaticAKCredentialsProvider(c.cfg.AccessKeyID, c.cfg.AccessKeySecret)
	s, err := sdk.NewClientWithOptions(c.cfg.RegionID, conf, cred)
	if err != nil {
		return nil, err
	}
	s.SetConnectTimeout(c.connect)
	s.SetReadTimeout(c.cfg.Timeout) // becomes http.Client.Timeout: the whole exchange
	s.SetNoProxy(`^127\.0\.0\.1(:\d+)?$,^localhost(:\d+)?$,^\[::1\](:\d+)?$`)
	return &pooled{sdk: s, rt: rt}, nil
}

// borrow takes an idle SDK client or makes a new one.
func (c *Client) borrow(ctx context.Context) (*pooled, error) {
	var p *pooled
	select {
	case p = <-c.pool:
	default:
		var err error
		if p, err = c.newPooled(); err != nil {
			return nil, err
		}
	}
	p.rt.ctx = ctx
	return p, nil
}

// giveBack returns p to the pool, or drops it when the pool is full.
func (c *Client) giveBack(p *pooled) {
	p.rt.ctx = nil // do not keep the caller's context alive
	select {
	case c.pool <- p:
	default:
	}
}
