package emulator

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/imagesearch-conformance/conformance/contract"
)

// serveAdmin serves the emulator's own routes under /_emulator/, for loopback clients only, never for a web
// page (adminRefusal); the routes that change something need the AdminHeader:
//
//	GET    /_emulator/health               {"status":"ok","profile":...,"instances":[...],"readings":[...],"mutants":[...]}
//	POST   /_emulator/reset[?instance=]    delete all images (of one instance), queued faults and QPS windows
//	POST   /_emulator/faults               queue a Fault (JSON body)
//	DELETE /_emulator/faults[?productId=P] drop queued faults (only those for ProductId P)
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !fromLoopback(r) {
		s.adminError(w, r, http.StatusForbidden, "admin routes answer loopback clients only")
		return
	}
	if status, why := adminRefusal(r); status != 0 {
		s.adminError(w, r, status, why)
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /_emulator/health":
		adminReply(w, http.StatusOK, s.health())
	case "POST /_emulator/reset":
		if err := s.Reset(r.URL.Query().Get("instance")); err != nil {
			s.adminError(w, r, http.StatusInternalServerError, err.Error())
			return
		}
		adminReply(w, http.StatusOK, map[string]string{"status": "reset"})
	case "POST /_emulator/faults":
		var f Fault
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			s.adminError(w, r, http.StatusBadRequest, "bad fault JSON: "+err.Error())
			return
		}
		if dec.More() {
			s.adminError(w, r, http.StatusBadRequest, "bad fault JSON: data after the object")
			return
		}
		if err := s.InjectFault(f); err != nil {
			s.adminError(w, r, http.StatusBadRequest, err.Error())
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
		s.adminError(w, r, http.StatusNotFound, "no such admin route")
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

// AdminHeader must be sent with every admin request that changes something. A web page can make a
// browser send a "simple" cross-origin POST to loopback, but not one with a custom header without a CORS
// preflight, which the emulator never grants; so a page cannot reset the emulator or queue faults.
const AdminHeader = "X-Emulator-Admin"

// adminMethods lists the methods of each admin route.
var adminMethods = map[string][]string{
	adminPrefix + "health": {http.MethodGet},
	adminPrefix + "reset":  {http.MethodPost},
	adminPrefix + "faults": {http.MethodPost, http.MethodDelete},
}

// adminRefusal returns the status and reason an admin request is refused with, or 0: a browser request from
// another origin, a write without AdminHeader, an unknown route (404) or a wrong method (405).
func adminRefusal(r *http.Request) (int, string) {
	if o := r.Header.Get("Origin"); o != "" && !loopbackOrigin(o) {
		return http.StatusForbidden, "admin routes refuse requests from the web origin " + strconv.Quote(o)
	}
	methods, ok := adminMethods[r.URL.Path]
	switch {
	case !ok:
		return http.StatusNotFound, "no such admin route"
	case !slices.Contains(methods, r.Method):
		return http.StatusMethodNotAllowed, r.URL.Path + " takes " + strings.Join(methods, " or ")
	case r.Method != http.MethodGet && r.Header.Get(AdminHeader) == "":
		return http.StatusForbidden, "admin writes need the header " + AdminHeader + ": 1"
	}
	return 0, ""
}

// loopbackOrigin reports whether a browser Origin names a loopback host.
func loopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// adminErrorCodes names the error envelope's Code of each admin refusal, after the gateway's codes of the
// same status (ref §8.3).
var adminErrorCodes = map[int]string{
	http.StatusBadRequest:          contract.BadRequest.Code,
	http.StatusForbidden:           "Forbidden",
	http.StatusNotFound:            contract.ApiNotFound.Code,
	http.StatusMethodNotAllowed:    contract.UnsupportedHTTPMethod.Code,
	http.StatusInternalServerError: contract.InternalError.Code,
}

// adminError answers an admin refusal with the API's error envelope (ref §1.4), so that every answer of the
// emulator has one shape and a RequestId.
func (s *Server) adminError(w http.ResponseWriter, r *http.Request, status int, why string) {
	id := s.b.requestID()
	w.Header().Set("x-acs-request-id", id)
	adminReply(w, status, errorBody{RequestId: id, HostId: hostID(r.Host), Code: adminErrorCodes[status], Message: why})
}

func adminReply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
