package harness

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// EnvRecord names the file a run records every exchange into (JSON Lines, RecordingSchema); see README.md.
const EnvRecord = "IMAGESEARCH_RECORD"

// RecordPath is the file process proc of total writes: FILE itself for a single process, FILE with
// "-p<N>" before its extension under `ginkgo -p`, so parallel processes never share a file.
func RecordPath(file string, proc, total int) string {
	if total <= 1 {
		return file
	}
	ext := filepath.Ext(file)
	return strings.TrimSuffix(file, ext) + "-p" + strconv.Itoa(proc) + ext
}

// ResolveRecordPath makes a relative FILE relative to the module root (FromModuleRoot), as the reports are.
func ResolveRecordPath(file string) string {
	if file == "" || filepath.IsAbs(file) {
		return file
	}
	return FromModuleRoot(file)
}

// FromModuleRoot joins rel to the module root (where go.mod is, looking up from the working directory):
// `go test` and ginkgo run the suite in its package directory, but people name files from the root. Outside
// a module it is relative to the working directory.
func FromModuleRoot(rel string) string {
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, rel)
		}
	}
	return filepath.Join(dir, rel)
}

// RecordingFiles lists the files a run recording into FILE may have written: FILE and its "-p<N>" files.
func RecordingFiles(file string) []string {
	var out []string
	if _, err := os.Stat(file); err == nil {
		out = append(out, file)
	}
	ext := filepath.Ext(file)
	base := strings.TrimSuffix(file, ext)
	matches, _ := filepath.Glob(base + "-p*" + ext)
	own := regexp.MustCompile(`-p[0-9]+` + regexp.QuoteMeta(ext) + `$`)
	for _, m := range matches {
		if own.MatchString(m) {
			out = append(out, m)
		}
	}
	return out
}

// ScanRecordings runs ScanForSecret on every recording file of FILE that lies outside reportDir (the
// suite scans reportDir itself), so a recording kept elsewhere is held to the same redaction rule.
func ScanRecordings(file, reportDir, secret, keyID string) error {
	if file == "" {
		return nil
	}
	dir, _ := filepath.Abs(reportDir)
	for _, f := range RecordingFiles(file) {
		abs, _ := filepath.Abs(f)
		if rel, err := filepath.Rel(dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
			continue
		}
		if err := ScanForSecret(f, secret, keyID); err != nil {
			return err
		}
	}
	return nil
}

// dropped are the common parameters a recording never keeps: the signature and everything that only
// makes sense for one signed request. AccessKeyId is kept masked (maskParam).
var dropped = map[string]bool{"Signature": true, "SignatureNonce": true, "SignatureMethod": true,
	"SignatureVersion": true, "SignatureType": true, "Timestamp": true, "SecurityToken": true, "BearerToken": true}

// Recorder writes a recording. Calls are queued and encoded, hashed and written by one goroutine through a
// buffer, so the call's own path only copies a few references; Close flushes.
type Recorder struct {
	path  string
	f     *os.File
	w     *bufio.Writer
	scrub func(string) string
	// needles are what scrub may change: a body holding none is written without a copy.
	needles [][]byte
	mu      sync.RWMutex // Close takes it exclusively: no send on a closed queue
	closed  bool
	queue   chan any // imagesearch.CallInfo wrapped in pendingCall, or RecordedFault
	done    chan struct{}
	err     error // the first write error; read after done
}

// pendingCall is a call waiting to be written.
type pendingCall struct {
	ci   imagesearch.CallInfo
	spec string
}

// OpenRecorder creates path (and its directory), writes the header and starts the writer. secret and
// keyID are the run's credential: any parameter or body that holds either is scrubbed before writing.
func OpenRecorder(path string, h RecordHeader, secret, keyID string) (*Recorder, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	r := &Recorder{path: path, f: f, w: bufio.NewWriterSize(f, 256<<10), scrub: scrubber(secret, keyID),
		queue: make(chan any, 4096), done: make(chan struct{})}
	for _, n := range []string{secret, url.QueryEscape(secret), keyID, url.QueryEscape(keyID), "Signature", "AccessKeyId"} {
		if n != "" {
			r.needles = append(r.needles, []byte(n))
		}
	}
	h.Kind, h.Schema = RecordRun, RecordingSchema
	r.line(h)
	go r.run()
	return r, nil
}

// Path is the file being written.
func (r *Recorder) Path() string { return r.path }

// Call queues one exchange; spec names the running spec. It may be called from many goroutines.
func (r *Recorder) Call(ci imagesearch.CallInfo, spec string) { r.send(pendingCall{ci, spec}) }

// Fault queues an injected fault: the replayer injects it again at the same point.
func (r *Recorder) Fault(f emulator.Fault, at time.Time, spec string) {
	r.send(RecordedFault{Kind: RecordFault, Time: at, Spec: spec, Fault: &f})
}

// FaultClear queues the clearing of one ProductId's faults.
func (r *Recorder) FaultClear(productID string, at time.Time, spec string) {
	r.send(RecordedFault{Kind: RecordFaultClear, Time: at, Spec: spec, ProductId: productID})
}

func (r *Recorder) send(v any) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if !r.closed {
		r.queue <- v
	}
}

// Close writes what is queued, flushes and closes the file; it returns the first write error.
func (r *Recorder) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		<-r.done
		return r.err
	}
	r.closed = true
	close(r.queue)
	r.mu.Unlock()
	<-r.done
	err := r.w.Flush()
	return errors.Join(r.err, err, r.f.Close())
}

// run is the writer goroutine.
func (r *Recorder) run() {
	defer close(r.done)
	for v := range r.queue {
		if p, ok := v.(pendingCall); ok {
			r.callLine(r.encode(p.ci, p.spec))
			continue
		}
		r.line(v)
	}
}

// callLine writes a call's line with its body spliced in as is: encoding/json would validate and copy
// every body once more (capBody has validated it), which is most of a recording's cost. A body with line
// breaks is compacted, so the line stays one line.
func (r *Recorder) callLine(c RecordedCall) {
	body := c.Body
	if body == nil || r.err != nil {
		r.line(c)
		return
	}
	body = bytes.TrimRight(body, " \t\r\n") // encoders end bodies with a newline
	if bytes.ContainsAny(body, "\r\n") {
		var buf bytes.Buffer
		if r.err = json.Compact(&buf, body); r.err != nil {
			return
		}
		body = buf.Bytes()
	}
	c.Body = nil
	b, err := json.Marshal(c)
	if err != nil {
		r.err = err
		return
	}
	b = append(append(append(b[:len(b)-1], `,"body":`...), body...), '}', '\n')
	_, r.err = r.w.Write(b)
}

// line writes one JSON line, keeping the first error.
func (r *Recorder) line(v any) {
	if r.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err == nil {
		b = append(b, '\n')
		_, err = r.w.Write(b)
	}
	r.err = err
}

// encode turns a call into its recorded line: parameters by placement, pictures as digests, credentials
// dropped or masked, the body capped.
func (r *Recorder) encode(ci imagesearch.CallInfo, spec string) RecordedCall {
	c := RecordedCall{Kind: RecordCall, Time: ci.Start, ElapsedMs: float64(ci.Duration.Microseconds()) / 1000,
		Spec: spec, Action: ci.Action, Instance: r.scrub(ci.Params["InstanceName"]), Status: ci.HTTPStatus,
		Params: RecordedParams{Query: map[string]ParamValue{}, Form: map[string]ParamValue{}}}
	for k, v := range ci.Params {
		if dropped[k] {
			continue
		}
		pv := ParamValue{Text: maskParam(k, v, r.scrub)}
		if k == "PicContent" {
			pv = pictureParam(v)
		}
		if imagesearch.Placement(ci.Action, k) == imagesearch.InQuery {
			c.Params.Query[k] = pv
		} else {
			c.Params.Form[k] = pv
		}
	}
	if ci.Header != nil {
		c.Headers = map[string]string{}
		for _, h := range []string{"Content-Type", "x-acs-request-id"} {
			if v := ci.Header.Get(h); v != "" {
				c.Headers[h] = r.scrub(v)
			}
		}
	}
	c.BodyBytes = len(ci.Body)
	body := ci.Body
	if r.holdsSecret(body) { // checked on the bytes: most bodies hold nothing to scrub and are not copied
		body = []byte(r.scrub(string(body)))
	}
	c.Body, c.BodyText, c.Truncated = capBody(body)
	if ci.HTTPStatus == 0 && ci.Err != nil {
		c.Error = r.scrub(imagesearch.Redact(ci.Err.Error()))
	}
	return c
}

// holdsSecret reports whether b holds anything scrub would change.
func (r *Recorder) holdsSecret(b []byte) bool {
	for _, n := range r.needles {
		if bytes.Contains(b, n) {
			return true
		}
	}
	return false
}

// pictureParam records a PicContent: the digest of the decoded picture; a parameter that is not base64
// (sent on purpose through Raw) verbatim when short, else the digest of its text.
func pictureParam(v string) ParamValue {
	if b, err := base64.StdEncoding.DecodeString(v); err == nil && v != "" {
		d := DigestPicture(b)
		return ParamValue{Picture: &d}
	}
	if len(v) <= 1024 {
		return ParamValue{Text: v}
	}
	d := DigestPicture([]byte(v))
	d.Text = true
	return ParamValue{Picture: &d}
}

// scrubber masks the secret (raw and URL-escaped) and the AccessKeyId wherever they appear, and the
// values of signature parameters echoed in texts (imagesearch.Redact). A value holding none is returned
// unchanged at the cost of a few substring searches.
func scrubber(secret, keyID string) func(string) string {
	type pair struct{ from, to string }
	var pairs []pair
	for _, v := range []struct{ value, mask string }{{secret, "***"}, {keyID, MaskKeyID(keyID)}} {
		if v.value == "" {
			continue
		}
		pairs = append(pairs, pair{v.value, v.mask})
		if esc := url.QueryEscape(v.value); esc != v.value {
			pairs = append(pairs, pair{esc, v.mask})
		}
	}
	return func(s string) string {
		for _, p := range pairs {
			s = strings.ReplaceAll(s, p.from, p.to)
		}
		if strings.Contains(s, "Signature") || strings.Contains(s, "AccessKeyId") {
			s = imagesearch.Redact(s)
		}
		return s
	}
}

// recordingFaults records every fault injected through Faults, so a replay can inject it at the same
// point of the sequence.
type recordingFaults struct {
	Faults
	rec  *Recorder
	spec func() string
}

func (f recordingFaults) Inject(ctx context.Context, fault emulator.Fault) error {
	at := time.Now() // before the injection, so the fault sorts before the call it answers
	err := f.Faults.Inject(ctx, fault)
	if err == nil {
		f.rec.Fault(fault, at, f.spec())
	}
	return err
}

func (f recordingFaults) Clear(ctx context.Context, productID string) error {
	at := time.Now()
	err := f.Faults.Clear(ctx, productID)
	if err == nil {
		f.rec.FaultClear(productID, at, f.spec())
	}
	return err
}
