package emulator

import (
	"encoding/json"
	"net"
	"net/http"
	"sort"
)

// serveAdmin serves the emulator's own routes under /_emulator/, for loopback clients only:
//
//	GET    /_emulator/health               {"status":"ok","profile":...,"instances":[...],"readings":[...],"mutants":[...]}
//	POST   /_emulator/reset[?instance=]    delete all images (of one instance), queued faults and QPS windows
//	POST   /_emulator/faults               queue a Fault (JSON body)
//	DELETE /_emulator/faults[?productId=P] drop queued faults (only those for ProductId P)
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !fromLoopback(r) {
		adminReply(w, http.StatusForbidden, map[string]string{"error": "admin routes answer loopback clients only"})
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /_emulator/health":
		adminReply(w, http.StatusOK, s.health())
	case "POST /_emulator/reset":
		if err := s.Reset(r.URL.Query().Get("instance")); err != nil {
			adminReply(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		adminReply(w, http.StatusOK, map[string]string{"status": "reset"})
	case "POST /_emulator/faults":
		var f Fault
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			adminReply(w, http.StatusBadRequest, map[string]string{"error": "bad fault JSON: " + err.Error()})
			return
		}
		if err := s.InjectFault(f); err != nil {
			adminReply(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		adminReply(w, http.StatusOK, map[string]string{"status": "queued"})
	case "DELETE /_emulator/faults":
		// Parallel suite processes share one emulator: each clears only its own products' faults.
		if q := r.URL.Query(); q.Has("productId") {
			s.ClearFaultsFor(q.Get("productId"))
		} else {
			s.ClearFaults()
		}
		adminReply(w, http.StatusOK, map[string]string{"status": "cleared"})
	default:
		adminReply(w, http.StatusNotFound, map[string]string{"error": "no such admin route"})
	}
}

// Health is the body of GET /_emulator/health.
type Health struct {
	Status    string   `json:"status"`
	Profile   string   `json:"profile"`
	Instances []string `json:"instances"`
	Readings  []string `json:"readings"` // readings and freedoms switched on, "name=value"
	Mutants   []string `json:"mutants"`
}

func (s *Server) health() Health {
	h := Health{Status: "ok", Profile: string(s.opts.Profile), Instances: []string{},
		Readings: append([]string{}, s.readings...), Mutants: append([]string{}, s.mutants...)}
	for name := range s.instances {
		h.Instances = append(h.Instances, name)
	}
	sort.Strings(h.Instances)
	return h
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func adminReply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
