package emulator

import (
	"errors"
	"strings"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// writeResult is the success body of UpdateImage (ref §2.2); Code is an integer in success bodies (ref §1.4).
type writeResult struct {
	Message   string
	RequestId string
	Code      int
	Success   bool
}

func success(c *call) writeResult {
	return writeResult{Message: "success", RequestId: c.id, Code: 0, Success: true}
}

// succeeded is success(c) kept in the call, which is on the heap already: answered by pointer, UpdateImage's
// body costs no allocation of its own, as a writeResult converted to any would.
func (c *call) succeeded() *writeResult {
	c.result = success(c)
	return &c.result
}

// updateImage changes only the fields it was sent of one image (PicName given) or, under the cn-2026
// profile, of every image of the product (PicName omitted) (ref §2.3, §9 #1). It never creates an image and
// never changes keys, picture, region or category. A missing target is PicNotExist (ref §2.4, §10 #2).
func (s *Server) updateImage(c *call) (any, *apiError) {
	if e := s.begin(c); e != nil {
		return nil, e
	}
	// The key is only looked up, unless missingCreate stores it: no copies until then.
	productID, e := s.keyParam(c, "ProductId")
	if e != nil {
		return nil, e
	}
	picName, byProduct := "", false
	if v, sent := c.get("PicName"); sent && v != "" {
		if picName, e = s.keyParam(c, "PicName"); e != nil {
			return nil, e
		}
	} else if !s.b.updateByProduct(s.opts.Profile) {
		return nil, &contract.NoSpecifiedPicName // sent empty: the service's own code (ref §2.4)
	} else {
		byProduct = true // cn-2026: no PicName updates by ProductId (ref §2.3)
	}
	patch, e := s.attributes(c, false)
	if e != nil {
		return nil, e
	}
	if s.b.emptyString == emptyIgnored {
		patch.dropEmptyStrings()
	}
	c.inst.writeMu.Lock()
	defer c.inst.writeMu.Unlock()
	key := store.Key{ProductId: productID, PicName: picName}
	if s.b.missingUpdate == missingCreate && !byProduct {
		if _, ok := s.catalog.Get(c.inst.cfg.Name, key); !ok {
			stored := store.Key{ProductId: strings.Clone(productID), PicName: strings.Clone(picName)}
			return s.createFromUpdate(c, stored, patch)
		}
	}
	s.rememberStale(c.inst.cfg.Name, key, byProduct)
	var one [1]store.Key // room for the usual single key
	updated, err := s.catalog.AppendUpdate(one[:0], c.inst.cfg.Name, key, byProduct, func(r *store.Record) {
		if s.b.unsent == unsentReset {
			clearUnsent(r, &patch)
		}
		patch.apply(r)
	})
	if errors.Is(err, store.ErrNotFound) {
		if s.b.missingUpdate == missingSuccess {
			return c.succeeded(), nil // ref §10 #2: the other allowed answer; nothing is created
		}
		return nil, &contract.PicNotExist
	}
	if err != nil {
		return nil, &contract.InternalError
	}
	s.syncIndexAttrs(c.inst, updated)
	if c.deniedAfter {
		return nil, &s.b.throttleErr
	}
	return c.succeeded(), nil
}

// deleteImage deletes by ProductId, ProductId+PicName, or Filter (ref §4). Deleting what does not exist
// succeeds; Data.PicNames lists what was deleted.
func (s *Server) deleteImage(c *call) (any, *apiError) {
	if e := s.begin(c); e != nil {
		return nil, e
	}
	byFilter, ok := parseBool(c.params.Get("IsDeleteByFilter"), false)
	if !ok {
		return nil, &contract.BadRequest
	}
	var expr *filter.Expr
	if byFilter {
		var e *apiError
		if expr, e = s.parseFilter(c.params.Get("Filter")); e != nil { // an empty one too
			return nil, e
		}
	} else if c.params.Get("ProductId") == "" {
		return nil, &contract.NoSpecifiedProductIdDel
	}
	// Selected under the lock: what is deleted is what matched at one instant, with no AddImage or
	// UpdateImage of the instance in between.
	c.inst.writeMu.Lock()
	defer c.inst.writeMu.Unlock()
	deleted, err := s.catalog.Delete(c.inst.cfg.Name, s.deleteTargets(c, expr))
	if err != nil {
		return nil, &contract.InternalError
	}
	names := make([]string, 0, len(deleted))
	for _, k := range deleted {
		c.inst.index().Delete(k)
		s.deleted(c.inst.cfg.Name, k)
		names = append(names, k.PicName)
	}
	return deleteResult{writeResult: success(c), Data: deleteData{PicNames: names}}, nil
}

// deleteTargets selects what DeleteImage deletes: the images expr matches, or those of ProductId (and
// PicName when given) (ref §4).
func (s *Server) deleteTargets(c *call, expr *filter.Expr) []store.Key {
	if expr == nil {
		productID := c.params.Get("ProductId")
		if pic := c.params.Get("PicName"); pic != "" {
			return []store.Key{{ProductId: productID, PicName: pic}}
		}
		return s.catalog.Keys(c.inst.cfg.Name, productID)
	}
	var keys []store.Key
	s.catalog.Scan(c.inst.cfg.Name, func(r store.Record) bool {
		if expr.Match(attrsOf(&r)) {
			keys = append(keys, r.Key())
		}
		return true
	})
	return keys
}

type deleteData struct{ PicNames []string }

// deleteResult is DeleteImage's success body (ref §4).
type deleteResult struct {
	writeResult
	Data deleteData
}

func attrsOf(r *store.Record) *filter.Attrs {
	return &filter.Attrs{Int: r.IntAttr, Str: r.StrAttr}
}

// parseBool reads a boolean parameter: the SDKs send exactly "true" or "false" (ref §1.3); "" means not
// sent and gives def. Anything else is refused by the caller (BadRequest, ref §2.4).
func parseBool(v string, def bool) (bool, bool) {
	switch v {
	case "":
		return def, true
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}
