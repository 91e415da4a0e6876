package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// options are the replay's settings: the emulator's variants and how to pace.
type options struct {
	readings, mutants []string
	calibrate         string // results.json to calibrate the emulator from (emulator.Options.Calibrate)
	pictures          int    // how many of the suite's pictures to search for a recorded digest
	paceCap           time.Duration
}

// answer is one side's answer to a call, as the report shows it.
type answer struct {
	Status   int               `json:"status"`
	Headers  map[string]string `json:"headers,omitempty"`
	Body     json.RawMessage   `json:"body,omitempty"`
	BodyText string            `json:"bodyText,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// outcome is what became of one recorded call.
type outcome struct {
	world    string
	step     step
	replayed answer
	kind     string // one of the kind* constants
	diffs    []diff
	notes    []string // stand-in picture, placement differences: why a difference may not be the emulator's
}

// Outcome kinds.
const (
	kindMatch       = "match"
	kindDifference  = "difference"
	kindPace        = "pace"         // a throttling difference the replay's own pace explains
	kindUnanswered  = "unanswered"   // the recording has no answer to compare with
	kindNotReplayed = "not-replayed" // the replayer could not send it (unknown action, refused by the client)
)

// worldRun replays one world against its own emulator.
type worldRun struct {
	w       *world
	opts    options
	pics    *pictures
	srv     *emulator.Server
	client  *imagesearch.Client
	last    *imagesearch.CallInfo // the client's OnCall answer of the call just sent
	pace    map[string]paceMark   // per instance: the last paced call, recorded and replayed
	tainted map[string]bool       // "instance/ProductId" whose state a pace difference changed
	// diverged maps "instance/ProductId" to the first write that answered differently, so a later
	// difference on that product can say it may only follow from it.
	diverged map[string]divergence
	volume   map[string]*volume // per spec: throttling answers on both sides
}

// paceMark pairs a paced call's recorded time with the time the replay sent it.
type paceMark struct{ recorded, sent time.Time }

// volume counts the paced calls of one operation in one spec and their throttling answers.
type volume struct {
	spec, action            string
	calls, recorded, replay int
}

// startEmulator starts an emulator set up like the recorded target: its instances (limits off where the
// header says so), profile, and the replay's variants.
func startEmulator(h harness.RecordHeader, opts options) (*emulator.Server, error) {
	profile, err := contract.ParseProfile(h.Profile)
	if err != nil {
		return nil, err
	}
	var instances []emulator.Instance
	for _, name := range []string{h.Instance, h.ThrottleInstance} {
		if name != "" && !slices.ContainsFunc(instances, func(i emulator.Instance) bool { return i.Name == name }) {
			instances = append(instances, emulator.Instance{Name: name, Unlimited: slices.Contains(h.Unlimited, name)})
		}
	}
	secret := make([]byte, 16)
	rand.Read(secret)
	return emulator.Start(emulator.Options{Profile: profile, Instances: instances, Readings: opts.readings,
		Mutants: opts.mutants, Calibrate: opts.calibrate,
		Credentials: []emulator.Credential{{ID: "LTAIreplay", Secret: hex.EncodeToString(secret)}}})
}

// replayWorld sends a world's calls in recorded order and compares every answer.
func replayWorld(ctx context.Context, w *world, opts options, pics *pictures) ([]outcome, map[string]*volume, error) {
	srv, err := startEmulator(w.header, opts)
	if err != nil {
		return nil, nil, err
	}
	defer srv.Close()
	r := &worldRun{w: w, opts: opts, pics: pics, srv: srv, pace: map[string]paceMark{}, tainted: map[string]bool{},
		diverged: map[string]divergence{},
		volume:   map[string]*volume{}}
	cred := srv.Credentials()[0]
	r.client, err = imagesearch.New(imagesearch.Config{Endpoint: srv.URL(), RegionID: w.header.Region,
		AccessKeyID: cred.ID, AccessKeySecret: cred.Secret, OnCall: func(ci imagesearch.CallInfo) { r.last = &ci }})
	if err != nil {
		return nil, nil, err
	}
	var out []outcome
	for _, s := range w.steps {
		if err := ctx.Err(); err != nil {
			return out, r.volume, err
		}
		if s.fault != nil {
			r.fault(s.fault)
			continue
		}
		out = append(out, r.call(ctx, s))
	}
	return out, r.volume, nil
}

// fault injects a recorded fault again, or clears one ProductId's faults.
func (r *worldRun) fault(f *harness.RecordedFault) {
	switch {
	case f.Kind == harness.RecordFault && f.Fault != nil:
		_ = r.srv.InjectFault(*f.Fault) // it was accepted when recorded
	case f.Kind == harness.RecordFaultClear:
		r.srv.ClearFaultsFor(f.ProductId)
	}
}

// paced reports whether a call keeps its recorded timing: its instance keeps QPS limits in the replay (an
// instance the target does not have has none to keep), or it belongs to a throttling spec.
func (r *worldRun) paced(c *harness.RecordedCall) bool {
	h := r.w.header
	limited := (c.Instance == h.Instance || c.Instance == h.ThrottleInstance) && !slices.Contains(h.Unlimited, c.Instance)
	return limited || strings.Contains(strings.ToLower(c.Spec), "throttl")
}

// wait keeps the recorded gap to the previous paced call on the same instance, up to paceCap: a QPS window
// of one second has emptied after any longer gap, so waiting longer would only slow the replay.
func (r *worldRun) wait(ctx context.Context, c *harness.RecordedCall) {
	last, ok := r.pace[c.Instance]
	if ok {
		gap := min(max(c.Time.Sub(last.recorded), 0), r.opts.paceCap)
		select {
		case <-ctx.Done():
		case <-time.After(time.Until(last.sent.Add(gap))):
		}
	}
	r.pace[c.Instance] = paceMark{recorded: c.Time, sent: time.Now()}
}

// call sends one recorded call and classifies the answer.
func (r *worldRun) call(ctx context.Context, s step) outcome {
	c := s.call
	o := outcome{world: r.w.key, step: s}
	raw, notes := r.params(c)
	o.notes = notes
	paced := r.paced(c)
	if paced {
		r.wait(ctx, c)
	}
	r.last = nil
	err := r.send(ctx, c.Action, raw)
	if r.last == nil {
		o.kind, o.notes = kindNotReplayed, append(o.notes, "not sent: "+fmt.Sprint(err))
		return o
	}
	o.replayed = replayedAnswer(*r.last)
	if c.Status == 0 {
		o.kind = kindUnanswered
		return o
	}
	recThrottled, repThrottled := throttled(c.Body), throttled(o.replayed.Body)
	if paced {
		k := c.Spec + "\x00" + c.Action
		v := r.volume[k]
		if v == nil {
			v = &volume{spec: c.Spec, action: c.Action}
			r.volume[k] = v
		}
		v.calls++
		v.recorded += b2i(recThrottled)
		v.replay += b2i(repThrottled)
	}
	if paced && recThrottled != repThrottled {
		// Which calls of a burst are refused depends on the replay's own timing; the write that one side
		// applied and the other refused leaves its product's state different from here on.
		o.kind = kindPace
		if pid := raw["ProductId"]; c.Action != contract.OpSearchImageByName && c.Action != contract.OpCheckImageExists && pid != "" {
			r.tainted[c.Instance+"/"+pid] = true
		}
		return o
	}
	isTainted := func(pid string) bool { return r.tainted[c.Instance+"/"+pid] }
	if recThrottled && repThrottled {
		isTainted = func(string) bool { return false } // a throttling answer never depends on the stored state
	}
	o.diffs = compareAnswers(c, o.replayed, isTainted)
	o.kind = kindMatch
	if len(o.diffs) > 0 {
		o.kind = kindPace
		for _, d := range o.diffs {
			if !d.tainted {
				o.kind = kindDifference
			}
		}
	}
	if o.kind == kindDifference {
		r.noteDivergence(&o, c, raw["ProductId"])
	}
	return o
}

// noteDivergence remembers the first differing write of each product and notes, on later differences
// of that product, that they may only follow from it.
func (r *worldRun) noteDivergence(o *outcome, c *harness.RecordedCall, pid string) {
	if pid == "" {
		return
	}
	stateful := false // a difference the stored state can explain
	for _, d := range o.diffs {
		stateful = stateful || !stateless[d.Rule]
	}
	// A write succeeded on one side only: it may have been applied there alone.
	applied := func(status int) bool { return status >= 200 && status < 300 }
	outcome := applied(c.Status) != applied(o.replayed.Status)
	key := c.Instance + "/" + pid
	if first, ok := r.diverged[key]; ok {
		// A read shows every attribute; a write's answer depends on the stored state only through the
		// image's existence, which only AddImage and DeleteImage change.
		read := c.Action == contract.OpCheckImageExists || c.Action == contract.OpSearchImageByName
		if stateful && (read || first.existence) {
			o.notes = append(o.notes, followsNote+first.write)
		}
		return
	}
	switch c.Action {
	case contract.OpAddImage, contract.OpUpdateImage, contract.OpDeleteImage:
		if outcome { // applied on one side only
			r.diverged[key] = divergence{fmt.Sprintf("%s of %s (%s)", c.Action, pid, o.step.ref), c.Action != contract.OpUpdateImage}
		}
	}
}

// divergence is the first write of a product that succeeded on one side only.
type divergence struct {
	write     string // "UpdateImage of <ProductId> (<file#n>)"
	existence bool   // an AddImage or DeleteImage: the image may exist on one side only
}

// followsNote starts the note of a difference on a product an earlier write left in another state.
const followsNote = "follows an earlier differing write: "

// params rebuilds the sent parameters: pictures from their digests, everything else verbatim. Placement
// differences (a recording by another client) and stand-in pictures are noted.
func (r *worldRun) params(c *harness.RecordedCall) (map[string]string, []string) {
	raw := map[string]string{}
	var notes []string
	for _, side := range []struct {
		m     map[string]harness.ParamValue
		where imagesearch.Location
	}{{c.Params.Query, imagesearch.InQuery}, {c.Params.Form, imagesearch.InBody}} {
		for k, v := range side.m {
			if k == "AccessKeyId" {
				continue // masked in the recording; the replay signs with its own key
			}
			if imagesearch.Placement(c.Action, k) != side.where {
				notes = append(notes, fmt.Sprintf("%s was recorded in the %s; the replay sends it in the %s", k, side.where, imagesearch.Placement(c.Action, k)))
			}
			if v.Picture == nil {
				raw[k] = v.Text
				continue
			}
			b, ok := r.pics.picture(*v.Picture)
			if !ok {
				notes = append(notes, fmt.Sprintf("%s (sha256 %.12s…, %d bytes) is none of the suite's first %d pictures: a stand-in was sent",
					k, v.Picture.SHA256, v.Picture.Bytes, r.opts.pictures))
			}
			raw[k] = base64.StdEncoding.EncodeToString(b)
		}
	}
	return raw, notes
}

// send sends one operation with exactly the given parameters: Raw carries them all, Omit drops the typed
// fields the recording did not send.
func (r *worldRun) send(ctx context.Context, action string, raw map[string]string) error {
	var omit []string
	for _, k := range []string{"InstanceName", "ProductId", "PicName", "PicContent"} {
		if _, ok := raw[k]; !ok {
			omit = append(omit, k)
		}
	}
	var err error
	switch action {
	case contract.OpAddImage:
		_, err = r.client.AddImage(ctx, &imagesearch.AddImageRequest{Raw: raw, Omit: omit})
	case contract.OpUpdateImage:
		_, err = r.client.UpdateImage(ctx, &imagesearch.UpdateImageRequest{Raw: raw, Omit: omit})
	case contract.OpDeleteImage:
		_, err = r.client.DeleteImage(ctx, &imagesearch.DeleteImageRequest{Raw: raw, Omit: omit})
	case contract.OpSearchImageByPic:
		_, err = r.client.SearchImageByPic(ctx, &imagesearch.SearchImageByPicRequest{Raw: raw, Omit: omit})
	case contract.OpSearchImageByName:
		_, err = r.client.SearchImageByName(ctx, &imagesearch.SearchImageByNameRequest{Raw: raw, Omit: omit})
	case contract.OpCheckImageExists:
		_, err = r.client.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{Raw: raw, Omit: omit})
	case contract.OpDetail:
		_, err = r.client.Detail(ctx, &imagesearch.DetailRequest{Raw: raw, Omit: omit})
	default:
		return fmt.Errorf("the client has no operation %q", action)
	}
	return err
}

// replayedAnswer keeps what the report and the comparison need of the replay's answer.
func replayedAnswer(ci imagesearch.CallInfo) answer {
	a := answer{Status: ci.HTTPStatus, Headers: map[string]string{}}
	for _, h := range []string{"Content-Type", "x-acs-request-id"} {
		if v := ci.Header.Get(h); v != "" {
			a.Headers[h] = v
		}
	}
	if json.Valid(ci.Body) {
		a.Body = ci.Body
	} else {
		a.BodyText = string(ci.Body)
	}
	if ci.HTTPStatus == 0 && ci.Err != nil {
		a.Error = ci.Err.Error()
	}
	return a
}

// throttled reports whether a body is a throttling answer (contract.IsThrottling: DeniedRequest or a gateway Throttling code).
func throttled(body json.RawMessage) bool {
	var m struct{ Code any }
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	code, ok := m.Code.(string)
	return ok && contract.IsThrottling(code)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
