package harness

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/imagesearch-conformance/conformance/emulator"
)

// The recording format (IMAGESEARCH_RECORD): JSON Lines, a RecordHeader first, then one line per call or
// fault in the order the recorder received them (calls are not sorted: concurrent calls finish out of
// order; readers sort by Time). cmd/imagesearch-replay reads it.

// RecordingSchema names the layout of a recording; a change that breaks its readers bumps the version.
const RecordingSchema = "imagesearch-conformance/recording/v1"

// Kinds of recording lines.
const (
	RecordRun        = "run"         // the header
	RecordCall       = "call"        // one sent request and its answer
	RecordFault      = "fault"       // a fault injected through the emulator's hook (the next matching call answers it)
	RecordFaultClear = "fault-clear" // the faults queued for one ProductId were dropped
)

// MaxRecordedBody caps one recorded response body: a recording must stay small enough to keep and diff.
const MaxRecordedBody = 64 << 10

// RecordHeader is a recording's first line: what the replayer needs to set up a target like the recorded
// one.
type RecordHeader struct {
	Kind   string `json:"kind"` // RecordRun
	Schema string `json:"schema"`
	Target string `json:"target"` // Target.Kind: "in-process emulator", "emulator at <url>", "live <url>"
	// InProcess: the process ran its own emulator, so no other process's calls touched its state; a
	// replayer gives each such recording an emulator of its own.
	InProcess        bool   `json:"inProcess"`
	Profile          string `json:"profile"`
	Region           string `json:"region"`
	Instance         string `json:"instance"`
	ThrottleInstance string `json:"throttleInstance"`
	// Unlimited names the instances known to have every QPS limit off (the in-process emulator's main
	// instance); every other instance is taken to keep the documented limits.
	Unlimited []string  `json:"unlimited"`
	Readings  []string  `json:"readings"` // the emulator's readings and freedoms, when known
	Mutants   []string  `json:"mutants"`
	RunID     string    `json:"runId"`
	Process   int       `json:"process"`   // Ginkgo's parallel process number
	Processes int       `json:"processes"` // Ginkgo's parallel process count
	Started   time.Time `json:"started"`
}

// RecordedCall is one exchange. Params are the operation's parameters as the client sent them, never the
// signature or the credential; the body is the answer's JSON (bodies over MaxRecordedBody have their long
// strings replaced by TruncatedString markers, and a body that is not JSON is kept as text).
type RecordedCall struct {
	Kind      string            `json:"kind"` // RecordCall
	Time      time.Time         `json:"time"` // when the call was sent (RFC 3339, nanoseconds)
	ElapsedMs float64           `json:"elapsedMs"`
	Spec      string            `json:"spec"` // full text of the running spec ("" outside specs)
	Action    string            `json:"action"`
	Instance  string            `json:"instance"`
	Params    RecordedParams    `json:"params"`
	Status    int               `json:"status"`            // 0: no HTTP answer arrived
	Headers   map[string]string `json:"headers,omitempty"` // Content-Type and x-acs-request-id
	Body      json.RawMessage   `json:"body,omitempty"`
	BodyText  string            `json:"bodyText,omitempty"` // a body that is not JSON, or too big even truncated
	BodyBytes int               `json:"bodyBytes"`          // the size of the body as received
	Truncated bool              `json:"truncated,omitempty"`
	Error     string            `json:"error,omitempty"` // the transport error of a call with no answer
}

// RecordedParams are a call's parameters by where they travelled.
type RecordedParams struct {
	Query map[string]ParamValue `json:"query"`
	Form  map[string]ParamValue `json:"form"`
}

// ParamValue is one recorded parameter: its text, or for a picture (PicContent) its digest, which keeps
// recordings small and lets a replayer find the picture among the suite's deterministic ones.
type ParamValue struct {
	Text    string
	Picture *PictureDigest
}

// PictureDigest identifies a picture by the SHA-256 of its bytes. Text marks the digest of a PicContent
// that was not base64 (a deliberately broken parameter too long to keep verbatim).
type PictureDigest struct {
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
	Text   bool   `json:"text,omitempty"`
}

// MarshalJSON writes a string, or the digest object for a picture.
func (v ParamValue) MarshalJSON() ([]byte, error) {
	if v.Picture != nil {
		return json.Marshal(v.Picture)
	}
	return json.Marshal(v.Text)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (v *ParamValue) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		v.Picture = new(PictureDigest)
		return json.Unmarshal(b, v.Picture)
	}
	return json.Unmarshal(b, &v.Text)
}

// DigestPicture is the digest a recording keeps of a picture.
func DigestPicture(b []byte) PictureDigest {
	return PictureDigest{SHA256: fmt.Sprintf("%x", sha256.Sum256(b)), Bytes: len(b)}
}

// RecordedFault is an injected fault (RecordFault) or the clearing of one ProductId's faults
// (RecordFaultClear).
type RecordedFault struct {
	Kind      string          `json:"kind"`
	Time      time.Time       `json:"time"`
	Spec      string          `json:"spec"`
	Fault     *emulator.Fault `json:"fault,omitempty"`
	ProductId string          `json:"productId,omitempty"`
}

// Recording is one file read back: its header and its calls and faults in file order.
type Recording struct {
	Header RecordHeader
	Calls  []RecordedCall
	Faults []RecordedFault
}

// ReadRecording reads a recording. Unknown line kinds are skipped, so a newer recorder's additions do not
// break an older replayer; a missing header or another schema is an error.
func ReadRecording(r io.Reader) (Recording, error) {
	var rec Recording
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20) // a line holds at most one capped body and its parameters
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var k struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(line, &k); err != nil {
			return rec, fmt.Errorf("line %d: %w", n, err)
		}
		if n == 1 && k.Kind != RecordRun {
			return rec, errors.New("line 1: not a recording header (kind " + k.Kind + ")")
		}
		var err error
		switch k.Kind {
		case RecordRun:
			if err = json.Unmarshal(line, &rec.Header); err == nil && rec.Header.Schema != RecordingSchema {
				err = fmt.Errorf("schema %q, want %q", rec.Header.Schema, RecordingSchema)
			}
		case RecordCall:
			var c RecordedCall
			err = json.Unmarshal(line, &c)
			rec.Calls = append(rec.Calls, c)
		case RecordFault, RecordFaultClear:
			var f RecordedFault
			err = json.Unmarshal(line, &f)
			rec.Faults = append(rec.Faults, f)
		}
		if err != nil {
			return rec, fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return rec, err
	}
	if rec.Header.Kind != RecordRun {
		return rec, errors.New("empty recording: no header line")
	}
	return rec, nil
}

// truncatedPrefix starts the marker that replaces a long string in a body over MaxRecordedBody.
const truncatedPrefix = "\u2026[truncated "

// longString is the length above which a string of an oversized body is replaced by its marker.
const longString = 256

// TruncatedString is the marker that stands for s in a recorded body: its length in characters and its
// SHA-256, so a replayer can still compare the value exactly.
func TruncatedString(s string) string {
	return fmt.Sprintf("%s%d characters, sha256 %x]", truncatedPrefix, utf8.RuneCountInString(s), sha256.Sum256([]byte(s)))
}

// IsTruncatedString reports whether a recorded string is a TruncatedString marker.
func IsTruncatedString(s string) bool { return strings.HasPrefix(s, truncatedPrefix) }

// capBody turns a response body into what a recording keeps: the JSON as is when it fits; a JSON body
// over the cap with every long string replaced by its marker; anything else as text cut at the cap.
func capBody(b []byte) (body json.RawMessage, text string, truncated bool) {
	if len(b) == 0 {
		return nil, "", false
	}
	if json.Valid(b) {
		if len(b) <= MaxRecordedBody {
			return json.RawMessage(b), "", false
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber() // numbers keep their text: 1 stays 1, 1.0 stays 1.0
		var v any
		if dec.Decode(&v) == nil {
			if s, err := json.Marshal(shrink(v)); err == nil && len(s) <= MaxRecordedBody {
				return s, "", true
			}
		}
	}
	if len(b) <= MaxRecordedBody {
		return nil, string(b), false
	}
	cut := MaxRecordedBody
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return nil, string(b[:cut]), true
}

// shrink replaces the long strings of a decoded JSON value by their markers.
func shrink(v any) any {
	switch x := v.(type) {
	case string:
		if len(x) > longString {
			return TruncatedString(x)
		}
	case []any:
		for i := range x {
			x[i] = shrink(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = shrink(x[k])
		}
	}
	return v
}
