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
	}
	client, err := imagesearch.New(imagesearch.Config{Endpoint: t.Endpoint, RegionID: t.Region,
		AccessKeyID: t.AccessKeyID, AccessKeySecret: t.AccessKeySecret, OnCall: func(ci imagesearch.CallInfo) {
			if t.API != nil {
				t.API.onCall(ci)
			}
		}})
	if err != nil {
		t.Close()
		return nil, err
	}
	t.API = newAPI(client, cfg.MaxCalls, cfg.Prefix())
	if cfg.Endpoint != "" {
		if err := t.configureRemote(ctx, pacing); err != nil {
			t.Close()
			return nil, err
		}
	}
	return t, nil
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

// configureRemote detects an emulator's admin routes on loopback endpoints and sets up pacing: the given
// shared pacing, or rates learned from Detail.
func (t *Target) configureRemote(ctx context.Context, pacing Pacing) error {
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
