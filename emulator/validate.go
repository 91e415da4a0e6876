package emulator

import (
	"strings"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// required lists, per operation, the parameters the API metadata marks required (ref §2.1, §3, §4, §5, §6.1).
// A parameter that is not sent at all is refused by the gateway (ref §8.3: Missing{Name} by default, see
// behaviour.missing); one that is sent empty reaches the service and gets the service's own code.
func (s *Server) required(action string) []string {
	switch action {
	case contract.OpAddImage:
		return requiredAdd
	case contract.OpUpdateImage:
		if s.b.updateByProduct(s.opts.Profile) {
			return requiredInstanceProduct
		}
		return requiredKey
	case contract.OpSearchImageByPic:
		return requiredSearchByPic
	case contract.OpSearchImageByName, contract.OpCheckImageExists:
		return requiredKey
	}
	return requiredInstance
}

// The lists of required, shared by every request (read only).
var (
	requiredInstance        = []string{"InstanceName"}
	requiredInstanceProduct = []string{"InstanceName", "ProductId"}
	requiredKey             = []string{"InstanceName", "ProductId", "PicName"}
	requiredAdd             = []string{"InstanceName", "ProductId", "PicName", "PicContent"}
	requiredSearchByPic     = []string{"InstanceName", "PicContent"}
)

// begin runs the checks every operation shares, in the order a request meets them: required parameters
// (gateway), the instance (ref §1.9), then the instance's QPS limit for the operation (ref §1.10). A request
// refused here has changed nothing.
func (s *Server) begin(c *call) *apiError {
	for _, p := range s.required(c.action) {
		if !c.has(p) {
			e := s.b.missing(p)
			return &e
		}
	}
	name, _ := c.get("InstanceName")
	in, ok := s.instances[name]
	if !ok {
		if c.action == contract.OpDetail {
			return &contract.ConsoleInstanceNotFound
		}
		return &contract.InvalidInstance
	}
	c.inst = in
	if !s.admit(c) {
		if c.action == contract.OpDetail {
			return &s.b.detailThrottleErr // 400 under the default reading (ref §9 #5)
		}
		return &s.b.throttleErr
	}
	return nil
}

// key validates ProductId or PicName (see keyParam) and returns a copy of it to store.
func (s *Server) key(c *call, name string) (string, *apiError) {
	v, e := s.keyParam(c, name)
	if e != nil {
		return "", e
	}
	// A copy: parsed parameters share the request body's memory (PicContent included), which a stored
	// key would keep alive for the life of the image.
	return strings.Clone(v), nil
}

// keyParam validates ProductId or PicName: empty → its NoSpecified code, longer than the key limit
// (contract.MaxKey characters under the default reading, ref §9 #2) → its Invalid code (ref §2.4). The value
// shares the request's memory: fit for a lookup, not for storing.
func (s *Server) keyParam(c *call, name string) (string, *apiError) {
	v, _ := c.get(name)
	noSpec, invalid := &contract.NoSpecifiedProductId, &contract.InvalidProductId
	if name == "PicName" {
		noSpec, invalid = &contract.NoSpecifiedPicName, &contract.InvalidPicName
	}
	if v == "" {
		return "", noSpec
	}
	if s.b.lengthOf(v) > s.b.keyLimit {
		return "", invalid
	}
	return v, nil
}

// imageKey runs begin and validates ProductId and PicName, the key of one image (ref §2.4).
func (s *Server) imageKey(c *call) (store.Key, *apiError) {
	if e := s.begin(c); e != nil {
		return store.Key{}, e
	}
	productID, e := s.key(c, "ProductId")
	if e != nil {
		return store.Key{}, e
	}
	picName, e := s.key(c, "PicName")
	if e != nil {
		return store.Key{}, e
	}
	return store.Key{ProductId: productID, PicName: picName}, nil
}

// attributes parses and validates CustomContent, IntAttr..4 and StrAttr..4 in the reference's order
// (ref §2.1); the first violation wins. forbidSpecial applies AddImage's ban on `\ ¥ $ & %` in StrAttr*
// (ref §3), which UpdateImage's documentation does not state (ref §10 #10).
func (s *Server) attributes(c *call, forbidSpecial bool) (attrPatch, *apiError) {
	var p attrPatch
	vals := new(struct { // where the patch's pointers point: one allocation for every field sent
		ints   [4]int32
		strs   [4]string
		custom string
	})
	for _, f := range contract.Fields {
		v, sent := c.get(f.Name)
		if !sent || (c.action == contract.OpUpdateImage && s.b.updateIgnores(f)) {
			continue
		}
		inv := f.Invalid
		if f.Kind == contract.KindInt {
			n, ok := s.b.parseInt(v)
			if !ok {
				return p, &inv
			}
			vals.ints[f.Slot] = n
			p.ints[f.Slot] = &vals.ints[f.Slot]
			continue
		}
		if s.b.lengthOf(v) > s.b.maxChars(f) {
			return p, &inv
		}
		if forbidSpecial && f.Slot >= 0 && strings.ContainsAny(v, contract.AddImageForbidden) {
			return p, &inv
		}
		val := strings.Clone(v) // stored: do not keep the request body alive (see key)
		if f.Slot < 0 {
			vals.custom = val
			p.custom = &vals.custom
		} else {
			vals.strs[f.Slot] = val
			p.strs[f.Slot] = &vals.strs[f.Slot]
		}
	}
	return p, nil
}
