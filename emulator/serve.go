package emulator

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// adminPrefix is the one reserved path prefix of the emulator's own routes.
const adminPrefix = "/_emulator/"

// handler serves one operation. It returns the success body (a struct with a RequestId field filled from
// c.id) or the documented error.
type handler func(s *Server, c *call) (any, *apiError)

// handlers maps each Action to its handler; unknown actions get InvalidApi.NotFound (ref §8.3).
var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		contract.OpAddImage:          (*Server).addImage,
		contract.OpUpdateImage:       (*Server).updateImage,
		contract.OpDeleteImage:       (*Server).deleteImage,
		contract.OpSearchImageByPic:  (*Server).searchImageByPic,
		contract.OpSearchImageByName: (*Server).searchImageByName,
		contract.OpCheckImageExists:  (*Server).checkImageExists,
		contract.OpDetail:            (*Server).detail,
	}
}

// ServeHTTP implements http.Handler: admin routes under /_emulator/, every API call at "/".
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		s.serveAdmin(w, r)
		return
	}
	c := &call{id: s.b.requestID(), ctx: r.Context()}
	logged := s.opts.Logger.Enabled(c.ctx, slog.LevelInfo) // the arguments cost allocations even when discarded
	var start time.Time
	if logged {
		start = time.Now()
	}
	s.wait(c.ctx) // the latency freedom, on the way in
	status, code := s.serveAPI(w, r, c)
	if logged {
		instance, _ := c.get("InstanceName")
		s.opts.Logger.Info("request", "request_id", c.id, "action", c.action, "instance", instance,
			"status", status, "code", code,
			"latency_ms", float64(time.Since(start).Microseconds())/1000)
	}
	c.release()
}

// serveAPI runs the pipeline: decode and authenticate, injected faults, then the operation. It returns the
// HTTP status and error code written, for the log line.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, c *call) (int, string) {
	if limit := s.opts.Limits.MaxHeaderBytes; headerSize(r) > limit {
		return s.writeError(w, c, errHeaderTooLarge(limit))
	}
	if r.URL.Path != "/" {
		return s.writeError(w, c, &contract.ApiNotFound)
	}
	if e := s.decode(w, r, c); e != nil {
		return s.writeError(w, c, e)
	}
	if e := s.applyFault(r.Context(), c.action, c.params.Get("ProductId")); e != nil {
		return s.writeError(w, c, e)
	}
	if e := s.transientFault(c.action); e != nil {
		return s.writeError(w, c, e)
	}
	body, e := handlers[c.action](s, c)
	if e != nil {
		return s.writeError(w, c, e)
	}
	return s.writeJSON(w, c, http.StatusOK, body), ""
}

// errorBody is the flat error envelope (ref §1.4): the Code is always a string, because the v1 SDK panics
// on a numeric one (sdk-go-v1.md §3).
type errorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
}

func (s *Server) writeError(w http.ResponseWriter, c *call, e *apiError) (int, string) {
	e = s.rewriteError(e)
	body := errorBody{RequestId: c.id, HostId: hostID(c.host), Code: e.Code, Message: e.Message}
	return s.writeJSON(w, c, e.Status, s.b.errorBody(body)), e.Code
}

func (s *Server) writeJSON(w http.ResponseWriter, c *call, status int, body any) int {
	pooled := outPool.Get().(*[]byte)
	defer outPool.Put(pooled)
	out, ok := appendWriteResult((*pooled)[:0], body)
	*pooled = out[:0] // keep what it grew to
	if !ok {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // keep CustomContent like "a&b" byte-identical to what was stored
		if err := enc.Encode(body); err != nil {
			status = http.StatusInternalServerError
			buf.Reset()
			buf.WriteString(`{"Code":"InternalError","Message":"An internal server error occurred."}`)
		}
		out = buf.Bytes()
	}
	out = s.withExtraField(out)
	if c.ctx != nil {
		s.wait(c.ctx) // the latency freedom, on the way out
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	c.idHeader[0] = c.id
	h["X-Acs-Request-Id"] = c.idHeader[:]
	w.WriteHeader(status)
	// A HEAD answer has no body by HTTP rules (RFC 9110 §9.3.2): it carries the status, the Content-Type and
	// the x-acs-request-id header of the answer a POST would get, and net/http drops the body written here.
	w.Write(out)
	return status
}

// outPool holds the buffers write successes are encoded into: w.Write copies them, so one can be reused
// as soon as the answer is written.
var outPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// jsonContentType is the Content-Type of every answer, one slice shared by all (net/http only reads it).
var jsonContentType = []string{"application/json;charset=utf-8"}

// hostID echoes the host the client addressed, as the gateway's HostId does (ref §1.4).
func hostID(host string) string {
	if host == "" {
		return "imagesearch.aliyuncs.com"
	}
	return host
}

// appendWriteResult appends the success body of a write (UpdateImage's, the operation under load, which
// comes as a *writeResult) to b as encoding/json would encode it, without its reflection; ok is false for
// any other body, or a string that would need escaping, which goes to encoding/json.
func appendWriteResult(b []byte, body any) ([]byte, bool) {
	var r writeResult
	switch v := body.(type) {
	case writeResult:
		r = v
	case *writeResult:
		r = *v
	default:
		return b, false
	}
	if !plainJSON(r.Message) || !plainJSON(r.RequestId) {
		return b, false
	}
	b = append(b, `{"Message":"`...)
	b = append(b, r.Message...)
	b = append(b, `","RequestId":"`...)
	b = append(b, r.RequestId...)
	b = append(b, `","Code":`...)
	b = strconv.AppendInt(b, int64(r.Code), 10)
	b = append(b, `,"Success":`...)
	b = strconv.AppendBool(b, r.Success)
	return append(b, "}\n"...), true
}

// plainJSON reports whether s is printable ASCII without '"' and '\\', so it is its own JSON string body.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
