package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// Rates are the QPS the suite paces itself to, keyed "instance/group" (group: an operation name or
// "search" for the operations that share the search QPS, ref §1.10). A missing key is unpaced.
type Rates map[string]int

// Pacing is how a process learns the run's pacing: either it paces locally, or — under `ginkgo -p` — every
// process asks one shared pacer so the processes together stay within each limit.
type Pacing struct {
	Rates Rates  `json:"rates"`
	URL   string `json:"url,omitempty"` // shared pacer; "" paces in this process
}

// LearnRates reads the target's limits: the documented UpdateImage, DeleteImage and Detail QPS, and the
// search and AddImage QPS from Detail (Qps, and Capacity in units of 10,000 images; ref §6.1, §1.10) unless
// the configuration overrides them.
func LearnRates(ctx context.Context, cfg Config, c *imagesearch.Client) (Rates, error) {
	r := Rates{}
	for _, inst := range uniq(cfg.Instance, cfg.ThrottleInstance) {
		search, add := cfg.SearchQPS, cfg.AddQPS
		if search == 0 || add == 0 {
			d, err := detailWithPatience(ctx, c, inst)
			if err != nil {
				return nil, fmt.Errorf("Detail of instance %s (used to learn its QPS; set %s and %s to skip it): %w",
					inst, EnvSearchQPS, EnvAddQPS, err)
			}
			if search == 0 {
				search = int(d.Instance.Qps)
			}
			if add == 0 {
				add = contract.AddImageLimit(int64(d.Instance.Capacity) * contract.CapacityUnitCount)
			}
		}
		r[inst+"/"+contract.OpAddImage] = add
		r[inst+"/"+contract.OpUpdateImage] = contract.UpdateImageQPS
		r[inst+"/"+contract.OpDeleteImage] = contract.DeleteImageQPS
		r[inst+"/"+contract.OpDetail] = contract.DetailQPS
		r[inst+"/search"] = search
	}
	return r, nil
}

// detailWithPatience calls Detail, waiting out its 1-QPS limit (ref §1.10) a few times: it is setup, and
// another tool may have just called it.
func detailWithPatience(ctx context.Context, c *imagesearch.Client, instance string) (*imagesearch.DetailResponse, error) {
	for attempt := 1; ; attempt++ {
		d, err := c.Detail(ctx, &imagesearch.DetailRequest{InstanceName: instance})
		var ae *imagesearch.APIError
		if err == nil || attempt == 5 || !errors.As(err, &ae) || !contract.IsThrottling(ae.Code) {
			return d, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(1100 * time.Millisecond):
		}
	}
}

// limiter waits for the right to send one call of a QPS group on an instance. done must be called once
// the call's answer (or error) is back: the pacer then knows the call can no longer reach the target.
type limiter interface {
	wait(ctx context.Context, instance, group string) (done func(), err error)
	// saturate records a full window of calls sent around the limiter just now (pacer.Saturate).
	saturate(ctx context.Context, instance, group string) error
}

// PacerServer serves one process's pacers to the other processes of a parallel run, on loopback.
type PacerServer struct {
	srv *http.Server
	url string
}

// ServePacer starts a shared pacer for rates on 127.0.0.1. POST /wait?instance=I&group=G answers a grant
// id once a call may start; POST /done?id=N reports that call's answer back; POST /saturate?instance=I&group=G
// records a full window of calls sent around the pacer. For Progress, POST /spec-done
// counts a finished spec and GET /progress answers the specs and paced calls (by QPS group) so far.
func ServePacer(rates Rates, margin time.Duration) (*PacerServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &pacerHandler{ps: &pacers{rates: rates, margin: margin}, open: map[uint64]func(){}, calls: map[string]int{}}
	s := &PacerServer{srv: &http.Server{Handler: h}, url: "http://" + ln.Addr().String()}
	go s.srv.Serve(ln)
	return s, nil
}

// URL is where the other processes reach the pacer.
func (s *PacerServer) URL() string { return s.url }

// Close stops the pacer.
func (s *PacerServer) Close() error { return s.srv.Close() }

// pacerHandler keeps the done functions of the grants whose answers are not reported yet, and the run's
// progress counts.
type pacerHandler struct {
	ps    *pacers
	mu    sync.Mutex
	next  uint64
	open  map[uint64]func()
	specs int
	calls map[string]int // paced calls by QPS group
}

// maxOpenGrants bounds the grants kept for a done report: a client that dies never reports, and a grant
// older than its window no longer matters to the pacer.
const maxOpenGrants = 4096

func (h *pacerHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch r.URL.Path {
	case "/wait":
		done, err := h.ps.wait(r.Context(), q.Get("instance"), q.Get("group"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, h.keep(q.Get("group"), done))
	case "/done":
		id, _ := strconv.ParseUint(q.Get("id"), 10, 64)
		h.mu.Lock()
		done := h.open[id]
		delete(h.open, id)
		h.mu.Unlock()
		if done != nil {
			done()
		}
		w.WriteHeader(http.StatusNoContent)
	case "/saturate":
		h.ps.saturate(r.Context(), q.Get("instance"), q.Get("group"))
		w.WriteHeader(http.StatusNoContent)
	case "/spec-done":
		h.mu.Lock()
		h.specs++
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case "/progress":
		h.mu.Lock()
		b, _ := json.Marshal(sharedProgress{Specs: h.specs, Calls: h.calls})
		h.mu.Unlock()
		w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

func (h *pacerHandler) keep(group string, done func()) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls[group]++
	if len(h.open) >= maxOpenGrants {
		clear(h.open)
	}
	h.next++
	h.open[h.next] = done
	return h.next
}

// remotePacer asks a PacerServer.
type remotePacer struct{ url string }

// doneTimeout bounds the done report: a lost report only slows the pacer down.
const doneTimeout = 2 * time.Second

func (r remotePacer) wait(ctx context.Context, instance, group string) (func(), error) {
	body, err := r.post(ctx, "/wait?"+url.Values{"instance": {instance}, "group": {group}}.Encode(), http.StatusOK)
	if err != nil {
		return noop, fmt.Errorf("infrastructure: shared pacer: %w", err)
	}
	id := strings.TrimSpace(body)
	return func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), doneTimeout)
		defer cancel()
		r.post(dctx, "/done?"+url.Values{"id": {id}}.Encode(), http.StatusNoContent)
	}, nil
}

func (r remotePacer) saturate(ctx context.Context, instance, group string) error {
	if _, err := r.post(ctx, "/saturate?"+url.Values{"instance": {instance}, "group": {group}}.Encode(), http.StatusNoContent); err != nil {
		return fmt.Errorf("infrastructure: shared pacer: %w", err)
	}
	return nil
}

func (r remotePacer) post(ctx context.Context, path string, want int) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url+path, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	if err == nil && resp.StatusCode != want {
		err = errors.New(resp.Status)
	}
	return string(b), err
}

// EncodePacing and DecodePacing carry a Pacing from process 1 to the others (SynchronizedBeforeSuite).
func EncodePacing(p Pacing) []byte { b, _ := json.Marshal(p); return b }

// DecodePacing is the inverse of EncodePacing; empty data means "no pacing".
func DecodePacing(b []byte) (Pacing, error) {
	var p Pacing
	if len(b) == 0 {
		return p, nil
	}
	return p, json.Unmarshal(b, &p)
}

// SharedPacing prepares the pacing of a run in its first process: nothing for the in-process emulator;
// otherwise the target's rates, served to the other processes when the run is parallel. The returned stop
// function ends the shared pacer.
func SharedPacing(ctx context.Context, cfg Config, parallel bool) (Pacing, func() error, error) {
	noop := func() error { return nil }
	if cfg.Endpoint == "" {
		return Pacing{}, noop, nil
	}
	c, err := imagesearch.New(imagesearch.Config{Endpoint: cfg.Endpoint, RegionID: cfg.Region,
		AccessKeyID: cfg.AccessKeyID, AccessKeySecret: cfg.AccessKeySecret})
	if err != nil {
		return Pacing{}, noop, err
	}
	rates, err := LearnRates(ctx, cfg, c)
	if err != nil || !parallel {
		return Pacing{Rates: rates}, noop, err
	}
	srv, err := ServePacer(rates, cfg.PacingMargin)
	if err != nil {
		return Pacing{}, noop, err
	}
	return Pacing{Rates: rates, URL: srv.URL()}, srv.Close, nil
}
