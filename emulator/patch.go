package emulator

import (
	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/index"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// attrPatch is the set of updatable fields a request carried; nil means "not sent" (ref §2.3: an update
// changes only the fields it was sent).
type attrPatch struct {
	custom *string
	ints   [4]*int32
	strs   [4]*string
}

// apply writes the sent fields into r; an empty string is a value (ref §2.3).
func (p *attrPatch) apply(r *store.Record) {
	if p.custom != nil {
		r.CustomContent = *p.custom
	}
	for i := range 4 {
		if p.ints[i] != nil {
			r.IntAttr[i] = *p.ints[i]
		}
		if p.strs[i] != nil {
			r.StrAttr[i] = *p.strs[i]
		}
	}
}

// dropEmptyStrings treats the string attributes sent empty as not sent (emptyIgnored, ref §10 #3).
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

// clearUnsent resets the attributes p does not carry (unsentReset, ref §10 #3).
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

// createFromUpdate stores a new image without a picture (missingCreate, a violation of ref §2.3), reusing
// the descriptor of any image of the instance so that it shows up in searches.
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
		c.inst.index().Put(key, d, indexAttrs(&rec))
	}
	return success(c), nil
}
