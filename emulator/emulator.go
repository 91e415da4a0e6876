// Package emulator is a local emulator of Alibaba Cloud Image Search, OpenAPI version 2020-12-14. It serves
// the seven operations the conformance suite needs (AddImage, UpdateImage, DeleteImage, SearchImageByPic,
// SearchImageByName, CheckImageExists, Detail) over the real wire protocol: form-encoded POST requests signed
// with RPC v1 (HMAC-SHA1) or V3 (ACS3-HMAC-SHA256), JSON responses with the documented shapes, literal error
// codes and QPS limits. Every behaviour cites its section of the contract reference ("ref §N").
//
// Start one on a random loopback port:
//
//	srv, err := emulator.Start(emulator.Options{
//		Instances:   []emulator.Instance{{Name: "demoinstance"}},
//		Credentials: []emulator.Credential{{ID: "id", Secret: "secret"}},
//	})
//	defer srv.Close()
//	fmt.Println(srv.URL())
package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/index"
	"github.com/imagesearch-conformance/conformance/emulator/internal/ratelimit"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
	"github.com/imagesearch-conformance/conformance/signature"
)

// Server is a running or runnable emulator. It is an http.Handler; Start also listens and serves.
type Server struct {
	opts      Options
	instances map[string]*instance
	catalog   *store.Catalog
	limits    *ratelimit.Set
	replay    *signature.ReplayGuard
	faults    faultQueue
	b         *behaviour // the values the operations read where variants differ (behaviour.go)
	readings  []string   // the readings and freedoms switched on, "name=value", sorted
	mutants   []string   // the mutants switched on, sorted
	views     views
	created   time.Time     // when the instances were created: the first start on DataDir, else this start
	quit      chan struct{} // closed by Close, to cut the latency freedom's waits short
	quitOnce  sync.Once

	listener net.Listener
	http     *http.Server
	fresh    freshConns
	done     chan struct{}

	cal Calibration // what Options.Calibrate switched on (calibrate.go); its readings are in readings too
}

// instance is one configured instance with its search index. writeMu serialises the check-then-write
// sequences of one instance (capacity check, update of several images) so they stay atomic.
type instance struct {
	cfg     Instance
	idx     atomic.Pointer[index.Index]
	writeMu sync.Mutex
}

// index is the instance's current search index (Reset swaps in a fresh one).
func (in *instance) index() *index.Index { return in.idx.Load() }

// New builds a Server from opts without listening; use it as an http.Handler or call Start instead.
func New(opts Options) (*Server, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	cal, requested, err := calibrate(o.Calibrate, o.Readings)
	if err != nil {
		return nil, err
	}
	b, readings, mutants, err := configure(requested, o.Mutants)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:      o,
		instances: map[string]*instance{},
		limits:    ratelimit.NewSetOf(b.limiter, time.Second),
		replay:    signature.NewReplayGuard(15 * time.Minute),
		b:         b,
		readings:  readings,
		mutants:   mutants,
		cal:       cal,
		created:   o.Now(),
		quit:      make(chan struct{}),
	}
	for _, cfg := range o.Instances {
		in := &instance{cfg: cfg}
		in.idx.Store(index.New())
		s.instances[cfg.Name] = in
	}
	if o.DataDir == "" {
		s.catalog = store.OpenMemory()
		return s, nil
	}
	load := newIndexLoader(s.instances)
	s.catalog, err = store.OpenLoading(o.DataDir, load.add)
	load.finish()
	if err != nil {
		if s.catalog != nil {
			s.catalog.Close()
		}
		return nil, fmt.Errorf("open data dir: %w", err)
	}
	if s.created, err = createdAt(o.DataDir, s.created); err != nil {
		s.catalog.Close()
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return s, nil
}

// Start builds a Server and serves it on opts.Addr (default 127.0.0.1:0) until Close.
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	if err := s.listen(); err != nil {
		s.catalog.Close()
		return nil, err
	}
	return s, nil
}

func (s *Server) listen() error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return err
	}
	s.listener = ln
	lim := s.opts.Limits
	s.http = &http.Server{Handler: s, ConnState: s.fresh.track,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadHeaderTimeout + lim.BodyTimeout, // header and body: no stalled body holds a handler
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		// net/http answers an over-long header with a plain-text 431 before any handler runs; it reads up to
		// headerSlack times the limit so that the handler can answer the error envelope instead (serve.go).
		MaxHeaderBytes: lim.MaxHeaderBytes * headerSlack,
	}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.http.Serve(newLimitListener(ln, lim.MaxConns)); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.opts.Logger.Error("serve", "err", err)
		}
	}()
	return nil
}

// URL is the base URL of a started Server, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string {
	if s.listener == nil {
		return ""
	}
	return "http://" + s.listener.Addr().String()
}

// Instances returns the configured instances with their defaults filled in, sorted as configured.
func (s *Server) Instances() []Instance {
	out := make([]Instance, 0, len(s.opts.Instances))
	return append(out, s.opts.Instances...)
}

// Profile is the profile the server follows for disputed behaviour (ref §9).
func (s *Server) Profile() string { return string(s.opts.Profile) }

// Close stops serving (waiting up to 5 s for requests in flight) and closes the data store.
func (s *Server) Close() error {
	s.quitOnce.Do(func() { close(s.quit) })
	var errs []error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.fresh.closeAll()
		errs = append(errs, s.http.Shutdown(ctx))
		<-s.done
	}
	errs = append(errs, s.catalog.Close())
	return errors.Join(errs...)
}

// Reset deletes every image of the named instance ("" for all instances), clears queued faults and empties
// the QPS windows (of every instance), so a suite starting on a reset emulator is not throttled by the run
// before it.
func (s *Server) Reset(instanceName string) error {
	for name, in := range s.instances {
		if instanceName != "" && name != instanceName {
			continue
		}
		in.writeMu.Lock()
		err := s.catalog.Reset(name)
		if err == nil {
			in.idx.Store(index.New())
		}
		in.writeMu.Unlock()
		if err != nil {
			return err
		}
	}
	s.resetViews(instanceName)
	s.faults.clear()
	s.limits.Reset()
	return nil
}

// Variants returns the names of the readings, freedoms and mutants switched on: the readings as
// "name=value", sorted, then the mutants, sorted.
func (s *Server) Variants() []string {
	return append(append([]string{}, s.readings...), s.mutants...)
}

// indexEntry is one image on its way from the store into an index.
type indexEntry struct {
	x     *index.Index
	key   store.Key
	desc  imaging.Descriptor
	attrs index.Attrs
}

// indexLoader puts the images of a data directory into the search indexes while the store loads them, in
// the same pass over the file (descriptors are in the file only). A worker per CPU computes sketches and
// puts them in the index: Put is safe from several goroutines, and the index ranks the same whatever
// order images went in. The keys it puts are the catalogue's own strings, held once.
type indexLoader struct {
	instances map[string]*instance
	work      chan []indexEntry
	batch     []indexEntry
	wg        sync.WaitGroup
}

// loadBatchLen is the number of images handed to a worker at once: one channel send per batch, not per image.
const loadBatchLen = 256

// newIndexLoader starts the workers; finish stops them.
func newIndexLoader(instances map[string]*instance) *indexLoader {
	l := &indexLoader{instances: instances, work: make(chan []indexEntry, 4),
		batch: make([]indexEntry, 0, loadBatchLen)}
	for range runtime.GOMAXPROCS(0) {
		l.wg.Go(func() {
			for batch := range l.work {
				for i := range batch {
					batch[i].x.Put(batch[i].key, batch[i].desc, batch[i].attrs)
				}
			}
		})
	}
	return l
}

// add is the store's LoadFunc: it queues one stored image for its instance's index. Images of instances
// that are not configured stay in the catalogue only, as they did before.
func (l *indexLoader) add(name string, r store.Record, desc []byte) error {
	in, ok := l.instances[name]
	if !ok {
		return nil
	}
	d, err := descriptorFromBytes(desc)
	if err != nil {
		return err
	}
	l.batch = append(l.batch, indexEntry{in.index(), r.Key(), d, indexAttrs(&r)})
	if len(l.batch) == loadBatchLen {
		l.work <- l.batch
		l.batch = make([]indexEntry, 0, loadBatchLen)
	}
	return nil
}

// finish waits until every queued image is in its index.
func (l *indexLoader) finish() {
	l.work <- l.batch
	close(l.work)
	l.wg.Wait()
}

// Credentials returns the accepted AccessKey pairs (for in-process callers that configured none by hand).
func (s *Server) Credentials() []Credential {
	return append([]Credential(nil), s.opts.Credentials...)
}
