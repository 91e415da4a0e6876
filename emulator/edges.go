package emulator

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/imagesearch-conformance/conformance/contract"
)

// The answers at the edges of a request that the documents give no code for. They keep the flat error
// envelope (ref §1.4) and the HTTP status that names the problem; the codes are [inferred].
var (
	// errBodyTooLarge answers a body over the 8 MB POST limit (ref §1.3, [D-LIMITS]); the limit is documented,
	// the 413 status and the code are the emulator's choice [inferred]. It names the body,
	// not a parameter: the body was not read, so nothing in it was checked, the signature included.
	errBodyTooLarge = apiError{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge",
		Message: "The request body is larger than the 8 MB POST limit."}
	// errInvalidParameterName answers a parameter name that is not UTF-8 (ref §1.3): the gateway's generic
	// parameter code (ref §8.3, [D-GW2]), as there is no name to put in Invalid{ParameterName}.
	errInvalidParameterName = apiError{Status: http.StatusBadRequest, Code: "InvalidParameter",
		Message: "Specified parameter name is not valid."}
)

// headerSlack is how many times Limits.MaxHeaderBytes net/http reads before it answers its own plain-text
// 431; up to there, the handler answers errHeaderTooLarge in the envelope.
const headerSlack = 4

// errHeaderTooLarge answers a request line (query included) and header over Limits.MaxHeaderBytes. The
// documents give no header limit and no code for one (ref §1.3 bounds only the POST body): the limit, the
// 431 status and the code are the emulator's choice [inferred], not vendor fact.
func errHeaderTooLarge(limit int) *apiError {
	return &apiError{Status: http.StatusRequestHeaderFieldsTooLarge, Code: "RequestHeaderFieldsTooLarge",
		Message: "The request line and header are larger than the " + strconv.Itoa(limit) + "-byte limit."}
}

// headerSize is the size of the request line and header as they came in, give or take the spacing.
func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4 // ": " and CRLF
		}
	}
	return n + len(r.Host)
}

// readBody reads the body up to contract.MaxBodySize. A body over it is errBodyTooLarge; a body that does
// not arrive within Limits.BodyTimeout is the service's transfer timeout (ref §1.5). The bound is a
// bodyLimit on the stack rather than http.MaxBytesReader, and the error checks are out of line, so a body
// read costs one allocation, its buffer.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	if r.ContentLength > contract.MaxBodySize {
		return nil, &errBodyTooLarge
	}
	src := bodyLimit{r: r.Body, n: contract.MaxBodySize}
	size := 512
	if r.ContentLength > 0 {
		// Known: one allocation of the right size, plus the byte into which the read that finds the end
		// goes, so that readAll needs no probe (which the reader interface would put on the heap).
		size = int(r.ContentLength) + 1
	}
	body, err := readAll(&src, make([]byte, 0, size))
	if err != nil {
		return nil, bodyError(w, err)
	}
	return body, nil
}

// errBodyOver is bodyLimit's error once the body has passed its bound.
var errBodyOver = errors.New("request body over the limit")

// bodyLimit is http.MaxBytesReader's reading without its allocation: it returns at most n bytes of r, then
// errBodyOver for good, as soon as a read shows there is more.
type bodyLimit struct {
	r   io.Reader
	n   int64
	err error
}

func (l *bodyLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if int64(len(p))-1 > l.n {
		p = p[:l.n+1] // one byte past the bound tells a body that ends there from one that does not
	}
	n, err := l.r.Read(p)
	if int64(n) <= l.n {
		l.n -= int64(n)
		l.err = err
		return n, err
	}
	n, l.n, l.err = int(l.n), 0, errBodyOver
	return n, l.err
}

// bodyError maps a failed body read to its answer.
func bodyError(w http.ResponseWriter, err error) *apiError {
	var ne net.Error
	switch {
	case errors.Is(err, errBodyOver):
		tellBodyLimitHit(w)
		return &errBodyTooLarge
	case errors.As(err, &ne) && ne.Timeout():
		return &contract.TimeoutForTransferImage
	}
	return &contract.BadRequest
}

// tellBodyLimitHit has net/http close the connection after the answer, as it does when a MaxBytesReader
// hits its limit, instead of reading the rest of an unwanted body: a MaxBytesReader that hits a zero limit
// is the only way it offers.
func tellBodyLimitHit(w http.ResponseWriter) {
	var one [1]byte
	http.MaxBytesReader(w, io.NopCloser(strings.NewReader("x")), 0).Read(one[:])
}

// readAll is io.ReadAll into b's spare capacity; it grows b only when the body is longer than that (a full
// b is probed with one byte first). It takes a *bodyLimit, not an io.Reader, so the limit stays on the
// caller's stack.
func readAll(r *bodyLimit, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			var probe [1]byte
			n, err := r.Read(probe[:])
			if n == 0 && err == io.EOF {
				return b, nil
			}
			if err != nil && err != io.EOF {
				return b, err
			}
			b = append(slices.Grow(b, max(512, cap(b)/2)), probe[:n]...)
			if err == io.EOF {
				return b, nil
			}
			continue
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// invalidUTF8 refuses a parameter whose name or value is not UTF-8, the charset of every request
// (ref §1.3), so that nothing is stored changed. The documents name no code for it, so the gateway's
// parameter error answers: Invalid{ParameterName} 400 "Specified parameter {ParameterName} is not valid."
// (ref §8.3, [D-GW1]); for several, the first name in byte order.
func invalidUTF8(p url.Values) *apiError {
	bad, found, badName := "", false, false
	for k, vs := range p {
		badName = badName || !utf8.ValidString(k)
		if slices.ContainsFunc(vs, func(v string) bool { return !utf8.ValidString(v) }) && (!found || k < bad) {
			bad, found = k, true
		}
	}
	switch {
	case !found && !badName:
		return nil
	case badName || bad == "" || len(bad) > 64: // no usable name for Invalid{ParameterName}
		return &errInvalidParameterName
	}
	return &apiError{Status: http.StatusBadRequest, Code: "Invalid" + bad,
		Message: "Specified parameter " + bad + " is not valid."}
}
