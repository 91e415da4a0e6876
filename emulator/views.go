package emulator

import (
	"strings"
	"sync"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// views keeps what reads need beyond the catalogue: the pre-update version of images, when a behaviour
// reads it (viewBeforeUpdate), and when newly added images become searchable, under an index lag. Both
// stay empty under the default behaviour, so the core path only pays a map lookup that is never made.
type views struct {
	mu    sync.Mutex
	stale map[string]store.Record // viewKey → the image before its first update since it was added
	until map[string]time.Time    // viewKey → when the image enters search results
}

func viewKey(instance string, k store.Key) string {
	return instance + "\x00" + k.ProductId + "\x00" + k.PicName
}

// rememberStale records the pre-update state of the images an update is about to change, when some read
// uses it.
func (s *Server) rememberStale(instance string, k store.Key, byProduct bool) {
	if !s.b.keepsStale() {
		return
	}
	keys := []store.Key{k}
	if byProduct {
		keys = s.catalog.Keys(instance, k.ProductId)
	}
	v := &s.views
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.stale == nil {
		v.stale = map[string]store.Record{}
	}
	for _, key := range keys {
		if _, done := v.stale[viewKey(instance, key)]; done {
			continue
		}
		if r, ok := s.catalog.Get(instance, key); ok {
			v.stale[viewKey(instance, key)] = r
		}
	}
}

// added records that an image was (re)written by AddImage: its older version is forgotten, and under an
// index lag it stays out of search results until now+lag (ref §10 #11).
func (s *Server) added(instance string, k store.Key) {
	v := &s.views
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.stale, viewKey(instance, k))
	if s.b.indexLag <= 0 {
		return
	}
	if v.until == nil {
		v.until = map[string]time.Time{}
	}
	now := s.opts.Now()
	if len(v.until) >= 1024 { // prune what became visible, so the map stays as small as the lag window
		for key, t := range v.until {
			if !now.Before(t) {
				delete(v.until, key)
			}
		}
	}
	v.until[viewKey(instance, k)] = now.Add(s.b.indexLag)
}

// deleted forgets an image: deletions take effect at once, in every read.
func (s *Server) deleted(instance string, k store.Key) {
	v := &s.views
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.stale, viewKey(instance, k))
	delete(v.until, viewKey(instance, k))
}

// resetViews forgets everything kept for an instance ("" for all).
func (s *Server) resetViews(instance string) {
	v := &s.views
	v.mu.Lock()
	defer v.mu.Unlock()
	if instance == "" {
		v.stale, v.until = nil, nil
		return
	}
	prefix := instance + "\x00"
	for key := range v.stale {
		if strings.HasPrefix(key, prefix) {
			delete(v.stale, key)
		}
	}
	for key := range v.until {
		if strings.HasPrefix(key, prefix) {
			delete(v.until, key)
		}
	}
}

// searchable reports whether an image has entered search results (always, without an index lag).
func (s *Server) searchable(instance string, k store.Key, now time.Time) bool {
	v := &s.views
	v.mu.Lock()
	defer v.mu.Unlock()
	t, ok := v.until[viewKey(instance, k)]
	return !ok || !now.Before(t)
}

func (s *Server) staleOf(instance string, r *store.Record) (*store.Record, bool) {
	v := &s.views
	v.mu.Lock()
	defer v.mu.Unlock()
	old, ok := v.stale[viewKey(instance, store.Key{ProductId: r.ProductId, PicName: r.PicName})]
	return &old, ok
}

// shownRecord is the version of an image that results show.
func (s *Server) shownRecord(instance string, r *store.Record) *store.Record {
	if s.b.resultsSee == viewBeforeUpdate {
		if old, ok := s.staleOf(instance, r); ok {
			return old
		}
	}
	return r
}

// filterAttrs are the attributes a filter evaluates.
func (s *Server) filterAttrs(instance string, r *store.Record) *filter.Attrs {
	if s.b.filterSees == viewBeforeUpdate {
		if old, ok := s.staleOf(instance, r); ok {
			return attrsOf(old)
		}
	}
	return attrsOf(r)
}
