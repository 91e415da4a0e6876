package updateimage_test

import (
	"os"
	"testing"

	// The ginkgo CLI runs a package as a Ginkgo suite (in parallel under --procs) only when its test files
	// import Ginkgo; updateimage.Test does everything else.
	_ "github.com/onsi/ginkgo/v2"

	"github.com/imagesearch-conformance/conformance/suites/updateimage"
)

// TestUpdateImage runs the suite as `make conformance` and `go test ./suites/updateimage` always have: the
// environment configures it (README.md lists the variables).
func TestUpdateImage(t *testing.T) {
	cfg, err := updateimage.ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Progress = os.Stdout // a line every 15 s on long (paced) runs
	updateimage.Test(t, cfg)
}
