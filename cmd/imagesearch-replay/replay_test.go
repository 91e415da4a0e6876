package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// recordSequence records a short sequence against the suite's in-process emulator, as a run with
// IMAGESEARCH_RECORD would: writes, reads, error answers and an injected fault.
func recordSequence(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	cfg, err := harness.Load(func(k string) string {
		if k == harness.EnvRecord {
			return path
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tg, err := harness.Open(ctx, cfg, harness.Pacing{})
	if err != nil {
		t.Fatal(err)
	}
	api, inst, pid := tg.API, tg.Instance, cfg.Prefix()+"1"
	ptr, n := imagesearch.Ptr[string], imagesearch.Ptr[int64]
	pic := harness.SuitePicture(3)
	steps := []func() error{
		func() error {
			_, err := harness.NewTracker(api, inst, cfg.Prefix()).Add(ctx, &imagesearch.AddImageRequest{ProductId: pid, PicName: "a.jpg",
				PicContent: pic, Attributes: imagesearch.Attributes{IntAttr: n(7), StrAttr: ptr("s"), StrAttr2: ptr("t")}})
			return err
		},
		func() error {
			_, err := api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: inst, ProductId: pid,
				PicName: ptr("a.jpg"), Attributes: imagesearch.Attributes{CustomContent: ptr("new")}})
			return err
		},
		func() error {
			_, err := api.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{InstanceName: inst, ProductId: pid, PicName: "a.jpg"})
			return err
		},
		func() error {
			_, err := api.SearchImageByName(ctx, &imagesearch.SearchImageByNameRequest{InstanceName: inst, ProductId: pid, PicName: "a.jpg"})
			return err
		},
		func() error {
			_, err := api.SearchImageByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: inst, PicContent: pic})
			return err
		},
		func() error { // PicNotExist
			_, err := api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: inst, ProductId: pid + "x",
				PicName: ptr("a.jpg"), Attributes: imagesearch.Attributes{StrAttr: ptr("v")}})
			return ignoreAPIError(err)
		},
		func() error { // InvalidInstance
			_, err := api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: "nosuchinstance", ProductId: pid,
				PicName: ptr("a.jpg"), Attributes: imagesearch.Attributes{StrAttr: ptr("v")}})
			return ignoreAPIError(err)
		},
		func() error { // an injected fault, replayed by injecting it again
			if err := tg.Faults.Inject(ctx, emulator.Fault{Action: contract.OpUpdateImage, ProductId: pid, Code: "InternalError"}); err != nil {
				return err
			}
			_, err := api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: inst, ProductId: pid,
				PicName: ptr("a.jpg"), Attributes: imagesearch.Attributes{StrAttr: ptr("w")}})
			return ignoreAPIError(err)
		},
		func() error {
			_, err := api.DeleteImage(ctx, &imagesearch.DeleteImageRequest{InstanceName: inst, ProductId: ptr(pid)})
			return err
		},
	}
	for i, s := range steps {
		if err := s(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func ignoreAPIError(err error) error {
	var ae *imagesearch.APIError
	if err != nil && !errors.As(err, &ae) {
		return err
	}
	return nil
}

// TestReplay replays one recorded sequence against emulators with and without a variant: the same
// configuration shows nothing, a reading or a mutant shows differences exactly where it answers otherwise.
func TestReplay(t *testing.T) {
	rec := recordSequence(t)
	for _, c := range []struct {
		name string
		args []string
		exit int
		// want maps "operation code" to the rules its differences break; every other group must match.
		want map[string][]string
	}{
		{"same configuration", nil, 0, nil},
		{"unsent=reset", []string{"-reading", "unsent=reset"}, 1, map[string][]string{
			"CheckImageExists success":  {"attributes"},
			"SearchImageByName success": {"attributes"},
			"SearchImageByPic success":  {"attributes"},
		}},
		{"request-id=opaque", []string{"-reading", "request-id=opaque"}, 1, map[string][]string{
			"AddImage success": {"request-id"}, "UpdateImage success": {"request-id"},
			"CheckImageExists success": {"request-id"}, "SearchImageByName success": {"request-id"},
			"SearchImageByPic success": {"request-id"}, "UpdateImage PicNotExist": {"request-id"},
			"UpdateImage InvalidInstance": {"request-id"}, "UpdateImage InternalError": {"request-id"},
			"DeleteImage success": {"request-id"},
		}},
		{"invalid-instance-404", []string{"-mutant", "invalid-instance-404"}, 1, map[string][]string{
			"UpdateImage InvalidInstance": {"status"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			args := append(append([]string{"-out", out}, c.args...), rec)
			if code := run(context.Background(), args, &stdout, &stderr); code != c.exit {
				t.Fatalf("exit %d, want %d; %s%s", code, c.exit, stdout.String(), stderr.String())
			}
			f := readFidelity(t, out)
			if f.Totals.Exchanges != 9 || f.Totals.StandIns != 0 || f.Totals.NotReplayed != 0 {
				t.Errorf("totals %+v: want 9 exchanges, every picture found, every call replayed", f.Totals)
			}
			got := map[string][]string{}
			for _, g := range f.Groups {
				if g.Differences > 0 {
					got[g.Operation+" "+g.Code] = sortedKeys(g.Rules)
					if g.First == nil || len(g.First.Differences) == 0 {
						t.Errorf("group %s %s has no first differing exchange", g.Operation, g.Code)
					}
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("differing groups %v, want %v", got, c.want)
			}
			for k, rules := range c.want {
				if !slices.Equal(got[k], rules) {
					t.Errorf("group %s broke %v, want %v", k, got[k], rules)
				}
			}
			if _, err := os.Stat(filepath.Join(out, "fidelity.md")); err != nil {
				t.Error(err)
			}
		})
	}
}

func readFidelity(t *testing.T, dir string) fidelity {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "fidelity.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fidelity
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestUsageErrors: bad flags, missing files and variants the emulator refuses exit 2.
func TestUsageErrors(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(rec, []byte(`{"kind":"call"}`+"\n"), 0o644)
	good := recordSequence(t)
	for _, args := range [][]string{
		{},
		{"-no-such-flag", good},
		{filepath.Join(t.TempDir(), "missing-*.jsonl")},
		{rec},
		{"-reading", "unsent=sometimes", good},
		{"-mutant", "no-such-mutant", good},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), append([]string{"-out", t.TempDir()}, args...), &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, strings.TrimSpace(stderr.String()))
		}
	}
}
