package emulator

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/signature"
)

// call is one decoded API request on its way through the pipeline.
type call struct {
	id     string           // RequestId of the response
	action string           // resolved Action
	params signature.Params // query and form merged; the form value wins on a clash, as the SDK signs it (ref §1.3)
	host   string
	inst   *instance
	// deniedAfter marks a call over its QPS limit that behaviour.lateAdmission lets run: apply, then
	// answer the throttling error.
	deniedAfter bool
	ctx         context.Context // the request's context, for the latency freedom's waits

	req      signature.Request // the decoded request, released when the call is over
	idHeader [1]string         // the x-acs-request-id header's value slice, allocated with the call
	result   writeResult       // UpdateImage's success body, allocated with the call (see succeeded)
}

// release hands the decoded parameters back for reuse: nothing may read them afterwards.
func (c *call) release() {
	c.params = nil
	c.req.Release()
}

// has reports whether the parameter was sent at all (an empty value counts as sent, ref §1.3).
func (c *call) has(name string) bool { _, ok := c.get(name); return ok }

// get returns the parameter's value and whether it was sent, in one lookup for decoded parameters.
func (c *call) get(name string) (string, bool) { return c.params.Lookup(name) }

// apiError is an error that becomes a flat JSON error body (ref §1.4).
type apiError = contract.Error

// decode reads and authenticates an RPC request (ref §1.3, §8.3). It returns the call or the gateway error.
// The order keeps an unauthenticated client from learning anything about its parameters: the body is read
// up to its bound (a body over it gets a size error that says nothing of what it holds), then the one
// decoder (signature.RequestFromHTTP) parses query and form, the signature and the replay window are
// checked, and only then the parameters.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, c *call) *apiError {
	c.host = r.Host
	body, e := readBody(w, r)
	if e != nil {
		return e
	}
	var err error
	c.req, err = signature.RequestFromHTTP(r, body)
	if err != nil {
		return gatewayError(err)
	}
	req := &c.req
	c.params = req.Params()
	res, err := signature.Verify(*req, s)
	if err != nil {
		return gatewayError(err)
	}
	// The guard keeps only a hash of AccessKeyId and nonce, so they need no copies.
	if err := s.replay.Check(res, s.opts.Now()); err != nil {
		return gatewayError(err)
	}
	// The SDKs ask for JSON (ref §1.3, §8.3); the gateway's XML variant is not emulated, so any other
	// Format gets InvalidParameter.Format (ref §8.3).
	if f, _ := c.get("Format"); f != "" && !strings.EqualFold(f, "json") {
		return &contract.InvalidFormat
	}
	if e := s.resolveAction(r, c); e != nil {
		return e
	}
	// Only a parameter with a byte over 0x7F can be invalid UTF-8; the decoder saw whether there is one.
	if !req.ASCII() {
		return invalidUTF8(req.Params().Values())
	}
	return nil
}

// resolveAction takes Action/Version from the query or form (RPC v1) or from the x-acs-* headers (V3).
func (s *Server) resolveAction(r *http.Request, c *call) *apiError {
	a, _ := c.get("Action")
	v, _ := c.get("Version")
	action := firstNonEmpty(a, r.Header, "X-Acs-Action")
	version := firstNonEmpty(v, r.Header, "X-Acs-Version")
	if action == "" {
		e := s.b.missing("Action")
		return &e
	}
	if version == "" {
		e := s.b.missing("Version")
		return &e
	}
	if version != contract.Version {
		return &contract.InvalidActionOrVersion
	}
	if _, ok := handlers[action]; !ok {
		return &contract.ApiNotFound
	}
	// Every emulated operation is POST only: the metadata declares GET as well for DumpMeta, DumpMetaList,
	// IncreaseInstance and IncreaseList alone (ref §1.3), which the emulator does not serve.
	if r.Method != http.MethodPost {
		return &contract.UnsupportedHTTPMethod
	}
	c.action = action
	return nil
}

// Secret implements signature.Credentials over the configured key pairs.
func (s *Server) Secret(id string) (string, bool) {
	for _, k := range s.opts.Credentials {
		if k.ID == id {
			return k.Secret, true
		}
	}
	return "", false
}

// gatewayError maps a signature-package error to its documented gateway error (ref §8.3).
func gatewayError(err error) *apiError {
	var se *signature.Error
	if errors.As(err, &se) {
		return &apiError{Status: se.Status, Code: se.Code, Message: se.Message}
	}
	return &contract.IncompleteSignature
}

// firstNonEmpty is a, or else header h's value of the canonical key (looked up only then, and without
// canonicalising the key again).
func firstNonEmpty(a string, h http.Header, key string) string {
	if a != "" {
		return a
	}
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
