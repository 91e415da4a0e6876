package emulator

import (
	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/index"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

func (s *Server) slackFor(f contract.Field) int {
	switch f.Name {
	case "CustomContent":
		return s.slack(mutCustomContentOffByOne)
	case "StrAttr3":
		return s.slack(mutStrAttr3OffByOne)
	}
	return 0
}

// ignoredField drops the query-placed fields of UpdateImage under the update-ignores-query-attrs mutant.
func (s *Server) ignoredField(c *call, f contract.Field) bool {
	return c.action == contract.OpUpdateImage && f.UpdateWhere == contract.InQuery && s.mutant(mutUpdateIgnoresQuery)
}

func (p *attrPatch) dropEmptyStrings() {
	if p.custom != nil && *p.custom == "" {
		p.custom = nil
	}
	for i := range 4 {
		if p.strs[i] != nil && *p.strs[i] == "" {
			p.strs[i] = nil
		}
	}
}

func clearUnsent(r *store.Record, p *attrPatch) {
	if p.custom == nil {
		r.CustomContent = ""
	}
	for i := range 4 {
		if p.ints[i] == nil {
			r.IntAttr[i] = 0
		}
		if p.strs[i] == nil {
			r.StrAttr[i] = ""
		}
	}
}

func keepAttributes(dst, old *store.Record) {
	dst.CustomContent, dst.IntAttr, dst.StrAttr = old.CustomContent, old.IntAttr, old.StrAttr
}

// createFromUpdate is the update-creates-missing mutant: it stores a new image without a picture, reusing
// the descriptor of any image of the instance so it shows up in searches.
func (s *Server) createFromUpdate(c *call, key store.Key, p attrPatch) (any, *apiError) {
	var d imaging.Descriptor
	found := false
	s.catalog.Scan(c.inst.cfg.Name, func(r store.Record) bool {
		d, found = c.inst.index().Get(index.Key{ProductId: r.ProductId, PicName: r.PicName})
		return !found
	})
	rec := store.Record{ProductId: key.ProductId, PicName: key.PicName, CategoryId: contract.OtherCategory,
		Added: s.opts.Now()}
	if s.opts.DataDir != "" && found {
		rec.Desc = descriptorBytes(d)
	}
	p.apply(&rec)
	if _, err := s.catalog.Put(c.inst.cfg.Name, rec); err != nil {
		return nil, &contract.InternalError
	}
	if found {
		c.inst.index().Put(index.Key(key), d)
	}
	return success(c), nil
}

func staleKey(instance string, k store.Key) string {
	return instance + "\x00" + k.ProductId + "\x00" + k.PicName
}

// rememberStale records the pre-update state of the images an update is about to change.
func (s *Server) rememberStale(instance string, k store.Key, byProduct bool) {
	if !s.mutant(mutSearchStaleAttributes) && !s.mutant(mutFilterIgnoresUpdate) {
		return
	}
	keys := []store.Key{k}
	if byProduct {
		keys = s.catalog.Keys(instance, k.ProductId)
	}
	s.staleMu.Lock()
	defer s.staleMu.Unlock()
	if s.stale == nil {
		s.stale = map[string]store.Record{}
	}
	for _, key := range keys {
		if _, done := s.stale[staleKey(instance, key)]; done {
			continue
		}
		if r, ok := s.catalog.Get(instance, key); ok {
			s.stale[staleKey(instance, key)] = r
		}
	}
}

func (s *Server) forgetStale(instance string, k store.Key) {
	s.staleMu.Lock()
	defer s.staleMu.Unlock()
	delete(s.stale, staleKey(instance, k))
}

func (s *Server) staleOf(instance string, r *store.Record) (*store.Record, bool) {
	s.staleMu.Lock()
	defer s.staleMu.Unlock()
	old, ok := s.stale[staleKey(instance, store.Key{ProductId: r.ProductId, PicName: r.PicName})]
	return &old, ok
}

// shownRecord is the record a search shows: the pre-update one under search-stale-attributes.
func (s *Server) shownRecord(instance string, r *store.Record) *store.Record {
	if s.mutant(mutSearchStaleAttributes) {
		if old, ok := s.staleOf(instance, r); ok {
			return old
		}
	}
	return r
}

// filterAttrs are the attributes a filter sees: the pre-update ones under filter-ignores-update.
func (s *Server) filterAttrs(instance string, r *store.Record) *filter.Attrs {
	if s.mutant(mutFilterIgnoresUpdate) {
		if old, ok := s.staleOf(instance, r); ok {
			return attrsOf(old)
		}
	}
	return attrsOf(r)
}

// mutateError applies the error-area mutants to the error about to be written.
func (s *Server) mutateError(c *call, e *apiError) *apiError {
	switch {
	case s.mutant(mutInvalidInstance404) && e.Code == contract.InvalidInstance.Code:
		return &apiError{Status: 404, Code: e.Code, Message: e.Message}
	case s.mutant(mutWrongCodeStrAttr4) && e.Code == contract.InvalidStrAttr4.Code:
		return &contract.InvalidStrAttr
	case s.mutant(mutMissingMessage):
		return &apiError{Status: e.Status, Code: e.Code}
	}
	return e
}

// mutateErrorBody applies the body-shape mutants.
func (s *Server) mutateErrorBody(b errorBody) any {
	switch {
	case s.mutant(mutMissingRequestID):
		return map[string]string{"HostId": b.HostId, "Code": b.Code, "Message": b.Message}
	case s.mutant(mutNumericErrorCode):
		return map[string]any{"RequestId": b.RequestId, "HostId": b.HostId, "Code": 400, "Message": b.Message}
	}
	return b
}
