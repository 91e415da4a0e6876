package harness

import (
	"context"
	"fmt"
	"regexp"
	"sort"

	"github.com/imagesearch-conformance/conformance/fixtures"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// sweepablePrefix is what a run prefix looks like: "cf-" and at least four run-id characters. Shorter or
// foreign prefixes are refused, so a sweep can never match images the suite did not create.
var sweepablePrefix = regexp.MustCompile(`^cf-[a-z0-9]{4,16}(-.*)?$`)

// CheckSweepPrefix refuses prefixes that are too short or not the suite's.
func CheckSweepPrefix(prefix string) error {
	if !sweepablePrefix.MatchString(prefix) {
		return fmt.Errorf("refusing to sweep prefix %q: it must look like cf-<run id>[-...] with a run id of 4-16 lower-case letters or digits", prefix)
	}
	return nil
}

// runOnly matches a bare run prefix, which gets its trailing "-" so that sweeping run "abcd" can never
// touch run "abcd2".
var runOnly = regexp.MustCompile(`^cf-[a-z0-9]{4,16}$`)

// NormalizeSweepPrefix ends a bare run prefix with its separator.
func NormalizeSweepPrefix(prefix string) string {
	if runOnly.MatchString(prefix) {
		return prefix + "-"
	}
	return prefix
}

// SweepOptions configures Sweep.
type SweepOptions struct {
	Prefix     string
	Instances  []string
	JournalDir string // where runs wrote their journals; "" skips them
	// PictureSeeds is how many of the suite's deterministic pictures to search with, to find images whose
	// journal was lost (default 0: journals only).
	PictureSeeds int
	Log          func(format string, args ...any)
}

// Sweep deletes every image under opts.Prefix that a journal names or that a search with the suite's
// pictures finds, and returns the keys it deleted. It never deletes outside the prefix: api's guard
// refuses such calls even if the discovery were wrong.
func Sweep(ctx context.Context, api *API, opts SweepOptions) ([]JournalEntry, error) {
	if err := CheckSweepPrefix(opts.Prefix); err != nil {
		return nil, err
	}
	opts.Prefix = NormalizeSweepPrefix(opts.Prefix)
	if opts.Log == nil {
		opts.Log = func(string, ...any) {}
	}
	found := map[JournalEntry]bool{}
	if opts.JournalDir != "" {
		entries, err := ReadJournals(opts.JournalDir, opts.Prefix)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			found[e] = true
		}
		opts.Log("journals name %d image(s) under %s", len(entries), opts.Prefix)
	}
	for _, inst := range opts.Instances {
		for seed := int64(1); seed <= int64(opts.PictureSeeds); seed++ {
			res, err := api.SearchImageByPic(ctx, &imagesearch.SearchImageByPicRequest{InstanceName: inst,
				PicContent: SuitePicture(seed), SearchOptions: imagesearch.SearchOptions{Num: imagesearch.Ptr[int64](100)}})
			if err != nil {
				return nil, fmt.Errorf("search with picture %d on %s: %w", seed, inst, err)
			}
			for _, a := range res.Auctions {
				if sweepablePrefix.MatchString(a.ProductId) && len(a.ProductId) >= len(opts.Prefix) && a.ProductId[:len(opts.Prefix)] == opts.Prefix {
					found[JournalEntry{Instance: inst, ProductId: a.ProductId, PicName: a.PicName}] = true
				}
			}
		}
	}
	keys := make([]JournalEntry, 0, len(found))
	for e := range found {
		keys = append(keys, e)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].ProductId+keys[i].PicName < keys[j].ProductId+keys[j].PicName })
	for _, e := range keys {
		err := Retry(ctx, func() error {
			_, err := api.DeleteImage(ctx, &imagesearch.DeleteImageRequest{InstanceName: e.Instance,
				ProductId: imagesearch.Ptr(e.ProductId), PicName: imagesearch.Ptr(e.PicName)})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("delete %s/%s on %s: %w", e.ProductId, e.PicName, e.Instance, err)
		}
		opts.Log("deleted %s/%s on %s", e.ProductId, e.PicName, e.Instance)
	}
	return keys, nil
}

// SuitePicture is the n-th picture the suite adds (its pictures are deterministic, which is what lets the
// sweeper find them by similarity).
func SuitePicture(n int64) []byte {
	return fixtures.Image(fixtures.JPEG, 1000+n, 160, 120)
}
