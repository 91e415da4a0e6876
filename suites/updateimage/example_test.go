package updateimage_test

import (
	"os"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/suites/updateimage"
)

// A plain `go test` in your own module runs the whole suite: configure it from the environment (the same
// IMAGESEARCH_* variables as `make conformance`), narrow it if you like, and hand it the *testing.T.
func ExampleTest() {
	testImageSearchConformance := func(t *testing.T) { // func TestImageSearchConformance(t *testing.T)
		cfg, err := updateimage.ConfigFromEnv(os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		cfg.ReportDir = "conformance-reports"
		cfg.LabelFilter = "overwrite || length-limits"
		updateimage.Test(t, cfg)
	}
	_ = testImageSearchConformance
}

// A module that already runs a Ginkgo suite adds the UpdateImage specs to it with Register, before RunSpecs;
// its own Ginkgo configuration (labels, focus, parallel processes) then applies to them.
func ExampleRegister() {
	testStaging := func(t *testing.T) { // func TestStaging(t *testing.T)
		cfg, err := updateimage.ConfigFromEnv(os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		updateimage.Register(cfg)
		gomega.RegisterFailHandler(ginkgo.Fail)
		ginkgo.RunSpecs(t, "staging conformance")
	}
	_ = testStaging
}
