package emulator

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/signature"
)

// call is one decoded API request on its way through the pipeline.
type call struct {
	id       string     // RequestId of the response
	action   string     // resolved Action
	params   url.Values // query and form merged; the form value wins on a clash, as the SDK signs it (ref §1.3)
	host     string
	inst     *instance
	received time.Time
	// deniedAfter marks a call over its QPS limit that behaviour.lateAdmission lets run: apply, then
	// answer the throttling error.
	deniedAfter bool
	ctx         context.Context // the request's context, for the latency freedom's waits
}

// has reports whether the parameter was sent at all (an empty value counts as sent, ref §1.3).
func (c *call) has(name string) bool { _, ok := c.params[name]; return ok }

// get returns the parameter's value and whether it was sent.
func (c *call) get(name string) (string, bool) {
	v, ok := c.params[name]
	if !ok || len(v) == 0 {
		return "", ok
	}
	return v[0], true
}

// apiError is an error that becomes a flat JSON error body (ref §1.4).
type apiError = contract.Error

// decode reads and authenticates an RPC request (ref §1.3, §8.3). It returns the call or the gateway error.
func (s *Server) decode(r *http.Request, c *call) *apiError {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, contract.MaxBodySize))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			// POST bodies are limited to 8 MB (ref §1.3, [D-LIMITS]); only PicContent makes a body that
			// large, so the answer is the picture-size code (ref §1.5, [inferred] mapping).
			return &contract.InvalidPicContent
		}
		return &contract.BadRequest
	}
	query := r.URL.Query()
	form := url.Values{}
	if len(body) > 0 && isForm(r.Header.Get("Content-Type")) {
		if form, err = url.ParseQuery(string(body)); err != nil {
			return &contract.BadRequest
		}
	}
	c.params = signature.MergeParams(query, form)
	c.host = r.Host

	res, err := signature.Verify(signature.Request{
		Method: r.Method, Path: r.URL.Path, Query: query, Form: form,
		Header: r.Header, Body: body, Host: r.Host,
	}, s)
	if err != nil {
		return gatewayError(err)
	}
	// The guard keeps the nonce for 15 minutes: hand it copies, not strings that pin the request line.
	res.AccessKeyID, res.Nonce = s.keyID(res.AccessKeyID), strings.Clone(res.Nonce)
	if err := s.replay.Check(res, s.opts.Now()); err != nil {
		return gatewayError(err)
	}
	// The SDKs ask for JSON (ref §1.3, §8.3); the gateway's XML variant is not emulated, so any other
	// Format gets InvalidParameter.Format (ref §8.3).
	if f := c.params.Get("Format"); f != "" && !strings.EqualFold(f, "json") {
		return &contract.InvalidFormat
	}
	return s.resolveAction(r, c)
}

// resolveAction takes Action/Version from the query or form (RPC v1) or from the x-acs-* headers (V3).
func (s *Server) resolveAction(r *http.Request, c *call) *apiError {
	action := firstNonEmpty(c.params.Get("Action"), r.Header.Get("x-acs-action"))
	version := firstNonEmpty(c.params.Get("Version"), r.Header.Get("x-acs-version"))
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
	// Every operation is POST; the metadata declares GET as well only for Detail (ref §1.3).
	if r.Method != http.MethodPost && !(r.Method == http.MethodGet && action == contract.OpDetail) {
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

// keyID returns the configured copy of an accepted AccessKeyId, shared by all its requests.
func (s *Server) keyID(id string) string {
	for _, k := range s.opts.Credentials {
		if k.ID == id {
			return k.ID
		}
	}
	return strings.Clone(id)
}

// gatewayError maps a signature-package error to its documented gateway error (ref §8.3).
func gatewayError(err error) *apiError {
	var se *signature.Error
	if errors.As(err, &se) {
		return &apiError{Status: se.Status, Code: se.Code, Message: se.Message}
	}
	return &contract.IncompleteSignature
}

func isForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
