package harness

import (
	"context"
	"testing"

	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

func TestSweepPrefixGuard(t *testing.T) {
	for _, p := range []string{"", "cf-", "cf-ab", "x-abcd1234", "cf-ABCD", "abcd"} {
		if CheckSweepPrefix(p) == nil {
			t.Errorf("prefix %q accepted", p)
		}
	}
	for _, p := range []string{"cf-abcd", "cf-1a2b3c4d-", "cf-1a2b3c4d-p1-"} {
		if err := CheckSweepPrefix(p); err != nil {
			t.Errorf("prefix %q refused: %v", p, err)
		}
	}
}

// A run killed midway leaves images under its prefix; the sweeper removes exactly those, found through the
// journal or (when the journal is lost) by searching with the suite's pictures, and touches nothing else.
func TestSweepAfterAKilledRun(t *testing.T) {
	ctx := context.Background()
	srv, err := emulator.Start(emulator.Options{Instances: []emulator.Instance{{Name: "inst", Unlimited: true}},
		Credentials: []emulator.Credential{{ID: "id", Secret: "secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client, err := imagesearch.New(imagesearch.Config{Endpoint: srv.URL(), AccessKeyID: "id", AccessKeySecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(productID string, seed int64) {
		t.Helper()
		if _, err := client.AddImage(ctx, &imagesearch.AddImageRequest{InstanceName: "inst", ProductId: productID,
			PicName: "p.jpg", PicContent: SuitePicture(seed)}); err != nil {
			t.Fatal(err)
		}
	}
	// The killed run: two images journaled, one whose journal line was lost.
	dir := t.TempDir()
	j, err := OpenJournal(dir, "killed")
	if err != nil {
		t.Fatal(err)
	}
	run := NewTracker(newAPI(client, 0, "cf-kill1-"), "inst", "cf-kill1-")
	run.SetJournal(j)
	for i, id := range []string{"cf-kill1-1", "cf-kill1-2"} {
		if _, err := run.Add(ctx, &imagesearch.AddImageRequest{ProductId: id, PicName: "p.jpg", PicContent: SuitePicture(int64(i + 1))}); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	add("cf-kill1-3", 3)
	// Images the run did not create: another run's and someone else's, one with the killed run's picture.
	add("cf-other-1", 4)
	add("cf-kill12-1", 2) // a run whose id merely starts with the swept one
	add("customer-product", 1)

	api := newAPI(client, 0, "cf-kill1-")
	deleted, err := Sweep(ctx, api, SweepOptions{Prefix: "cf-kill1", Instances: []string{"inst"}, JournalDir: dir, PictureSeeds: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 3 {
		t.Errorf("deleted %v, want the 3 images of the killed run", deleted)
	}
	exists := func(id string) bool {
		r, err := client.CheckImageExists(ctx, &imagesearch.CheckImageExistsRequest{InstanceName: "inst", ProductId: id, PicName: "p.jpg"})
		if err != nil {
			t.Fatal(err)
		}
		return r.Exists
	}
	for _, id := range []string{"cf-kill1-1", "cf-kill1-2", "cf-kill1-3"} {
		if exists(id) {
			t.Errorf("%s survived the sweep", id)
		}
	}
	for _, id := range []string{"cf-other-1", "cf-kill12-1", "customer-product"} {
		if !exists(id) {
			t.Errorf("%s, outside the prefix, was deleted", id)
		}
	}
}
