package emulator

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// wait sleeps a uniformly random time in [latencyMin, latencyMax] (no time by default). It returns early
// when the request is cancelled or the server closes, so that neither a gone client nor Close waits.
func (s *Server) wait(ctx context.Context) {
	lo, hi := s.b.latencyMin, s.b.latencyMax
	if hi <= 0 {
		return
	}
	t := time.NewTimer(lo + rand.N(hi-lo+1))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-s.quit:
	}
}

// transientFault fails the given fraction of calls with 503 before the operation runs, so nothing changes.
// UpdateImage is spared: it is the operation under test, and its answers must stay deterministic.
func (s *Server) transientFault(action string) *apiError {
	if s.b.transient <= 0 || action == contract.OpUpdateImage {
		return nil
	}
	if rand.Float64() < s.b.transient {
		return &contract.ServiceUnavailable
	}
	return nil
}

// rewriteError applies the behaviour's error rewrites, in order, to an error about to be written.
func (s *Server) rewriteError(e *apiError) *apiError {
	for _, f := range s.b.errorRewrites {
		out := f(*e)
		e = &out
	}
	return e
}

// withExtraField adds the behaviour's unknown field to an encoded JSON object: clients must ignore fields
// they do not know, as the service adds fields over time (ref §1.4 shows Recommend, AccessDeniedDetail).
func (s *Server) withExtraField(body []byte) []byte {
	if s.b.extraField == "" || len(body) < 2 || body[0] != '{' {
		return body
	}
	field := strconv.Quote(s.b.extraField) + `:"x"`
	if rest := bytes.TrimLeft(body[1:], " \n"); len(rest) > 0 && rest[0] != '}' {
		field += ","
	}
	out := make([]byte, 0, len(body)+len(field))
	out = append(out, '{')
	out = append(out, field...)
	return append(out, body[1:]...)
}

// withoutRequestID is an error body without RequestId (a violation of ref §1.4).
func withoutRequestID(b errorBody) any {
	return map[string]string{"HostId": b.HostId, "Code": b.Code, "Message": b.Message}
}

// withNumericCode is an error body whose Code is a number (a violation of ref §1.4).
func withNumericCode(b errorBody) any {
	return map[string]any{"RequestId": b.RequestId, "HostId": b.HostId, "Code": 400, "Message": b.Message}
}
