package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// Faults injects errors into a target, which only an emulator allows. Specs that need it skip elsewhere.
// Clear drops only the faults queued for one ProductId: parallel processes share one emulator, and clearing
// everything would drop another process's pending fault.
type Faults interface {
	Inject(ctx context.Context, f emulator.Fault) error
	Clear(ctx context.Context, productID string) error
}

// Target is everything the specs know about the system under test.
type Target struct {
	Config
	API  *API
	Kind string // "in-process emulator", "emulator at <url>" or "live <url>"
	// Faults is nil unless the target is an emulator with its admin routes reachable.
	Faults Faults
	// recorder writes the run's exchanges (IMAGESEARCH_RECORD); nil when not recording.
	recorder *Recorder
	close    func() error
}

// embeddedInstance and embeddedThrottled are the instances of the in-process emulator: the first has its
// limits off so the suite runs fast; the throttling specs use the second, which keeps the documented limits.
const (
	embeddedInstance  = "conformance"
	embeddedThrottled = "throttled"
)

// Open connects to the configured target, starting the emulator in-process when no endpoint is set. pacing
// is the run's shared pacing (zero: learn the rates and pace in this process).
func Open(ctx context.Context, cfg Config, pacing Pacing) (*Target, error) {
	t := &Target{Config: cfg, close: func() error { return nil }}
	if cfg.Endpoint == "" {
		if err := t.startEmbedded(); err != nil {
			return nil, err
		}
	} else {
		t.detectEmulator(ctx)
	}
	// The recorder starts before the first call (LearnRates' Detail calls are recorded too) and after the
	// target is known, so the header can describe it.
	if cfg.Record != "" {
		if err := t.startRecording(cfg.Endpoint == ""); err != nil {
			t.Close()
			return nil, err
		}
	}
	client, err := imagesearch.New(imagesearch.Config{Endpoint: t.Endpoint, RegionID: t.Region,
		AccessKeyID: t.AccessKeyID, AccessKeySecret: t.AccessKeySecret, OnCall: func(ci imagesearch.CallInfo) {
			if t.API != nil {
				t.API.onCall(ci)
			}
			if t.recorder != nil {
				t.recorder.Call(ci, t.specName())
			}
		}})
	if err != nil {
		t.Close()
		return nil, err
	}
	t.API = newAPI(client, cfg.MaxCalls, cfg.Prefix())
	if cfg.Endpoint != "" {
		if err := t.configurePacing(ctx, pacing); err != nil {
			t.Close()
			return nil, err
		}
	}
	return t, nil
}

// startRecording opens this process's recording (RecordPath) and records the faults injected through
// the target, so a replay can inject them again. inProcess: the target is this process's own emulator.
func (t *Target) startRecording(inProcess bool) error {
	suite, _ := ginkgo.GinkgoConfiguration()
	proc, total := ginkgo.GinkgoParallelProcess(), suite.ParallelTotal
	h := RecordHeader{Target: t.Kind, InProcess: inProcess, Profile: string(t.Profile),
		Region: t.Region, Instance: t.Instance, ThrottleInstance: t.ThrottleInstance, Unlimited: []string{},
		Readings: nonNil(t.Readings), Mutants: nonNil(t.Mutants), RunID: t.RunID, Process: proc,
		Processes: max(total, 1), Started: time.Now()}
	if h.InProcess {
		h.Unlimited = []string{embeddedInstance}
	}
	t.Record = ResolveRecordPath(t.Record) // what ScanRecordings is given later
	rec, err := OpenRecorder(RecordPath(t.Record, proc, total), h, t.AccessKeySecret, t.AccessKeyID)
	if err != nil {
		return fmt.Errorf("%s: %w", EnvRecord, err)
	}
	t.recorder = rec
	if t.Faults != nil {
		t.Faults = recordingFaults{Faults: t.Faults, rec: rec, spec: t.specName}
	}
	closeTarget := t.close
	t.close = func() error { return errors.Join(rec.Close(), closeTarget()) }
	return nil
}

// specName names the running spec for the recording ("" before the suite names its specs).
func (t *Target) specName() string {
	if t.API == nil || t.API.SpecName == nil {
		return ""
	}
	return t.API.SpecName()
}

func (t *Target) startEmbedded() error {
	srv, err := emulator.Start(emulator.Options{
		Profile: t.Profile,
		Instances: []emulator.Instance{
			{Name: embeddedInstance, Unlimited: true},
			{Name: embeddedThrottled},
		},
		Credentials: []emulator.Credential{{ID: "LTAIconformance", Secret: newRunID() + newRunID()}},
		Mutants:     t.Mutants,
		Readings:    t.Readings,
	})
	if err != nil {
		return fmt.Errorf("start the in-process emulator: %w", err)
	}
	creds := srv.Credentials()[0]
	t.Endpoint, t.Instance, t.ThrottleInstance = srv.URL(), embeddedInstance, embeddedThrottled
	t.AccessKeyID, t.AccessKeySecret = creds.ID, creds.Secret
	t.Kind, t.Faults = "in-process emulator", localFaults{srv}
	t.close = srv.Close
	return nil
}

// detectEmulator finds an emulator's admin routes on loopback endpoints; the target is live otherwise.
func (t *Target) detectEmulator(ctx context.Context) {
	t.Kind = "live " + t.Endpoint
	if IsLoopback(t.Endpoint) {
		if h, ok := emulatorHealth(ctx, t.Endpoint); ok {
			t.Kind = "emulator at " + t.Endpoint
			t.Faults = remoteFaults{t.Endpoint}
			t.Profile = contract.Profile(h.Profile)
			// The report names what a separately started emulator has switched on.
			t.Readings, t.Mutants = h.Readings, h.Mutants
		}
	}
}

// configurePacing sets up a remote target's pacing: the given shared pacing, or rates learned from Detail.
func (t *Target) configurePacing(ctx context.Context, pacing Pacing) error {
	t.API.rates = pacing.Rates
	if pacing.URL != "" {
		t.API.pace = remotePacer{pacing.URL}
		return nil
	}
	rates := pacing.Rates
	if rates == nil {
		var err error
		if rates, err = LearnRates(ctx, t.Config, t.API.c); err != nil {
			return err
		}
	}
	t.API.pace, t.API.rates = &pacers{rates: rates, margin: t.PacingMargin}, rates
	return nil
}

// Close stops the in-process emulator, if any.
func (t *Target) Close() error { return t.close() }

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

type localFaults struct{ srv *emulator.Server }

func (l localFaults) Inject(_ context.Context, f emulator.Fault) error { return l.srv.InjectFault(f) }
func (l localFaults) Clear(_ context.Context, productID string) error {
	l.srv.ClearFaultsFor(productID)
	return nil
}

// remoteFaults drives a separately started emulator's admin routes.
type remoteFaults struct{ endpoint string }

func (r remoteFaults) Inject(ctx context.Context, f emulator.Fault) error {
	body, _ := json.Marshal(f)
	return adminCall(ctx, http.MethodPost, r.endpoint+"/_emulator/faults", body)
}

func (r remoteFaults) Clear(ctx context.Context, productID string) error {
	return adminCall(ctx, http.MethodDelete, r.endpoint+"/_emulator/faults?productId="+url.QueryEscape(productID), nil)
}

func adminCall(ctx context.Context, method, url string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set(emulator.AdminHeader, "1")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errors.New("emulator admin " + method + " " + url + ": " + resp.Status)
	}
	return nil
}

func emulatorHealth(ctx context.Context, endpoint string) (emulator.Health, bool) {
	var h emulator.Health
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/_emulator/health", nil)
	if err != nil {
		return h, false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return h, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&h) != nil {
		return h, false
	}
	return h, h.Status == "ok"
}
