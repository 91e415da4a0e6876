// Package outside_test proves the suite can be imported: it builds a module outside this one that does.
package outside_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// outsideTest is the whole test file of the throwaway module: what a team would write in its own repository.
const outsideTest = `package outside_test

import (
	"testing"

	"github.com/imagesearch-conformance/conformance/suites/updateimage"
)

func TestConformance(t *testing.T) {
	// An empty environment: the in-process emulator, whatever the caller's shell has set.
	cfg, err := updateimage.ConfigFromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.ReportDir = %q
	cfg.LabelFilter = "overwrite && !property"
	updateimage.Test(t, cfg)
}
`

// outsideRegister is a second package of the throwaway module: the specs added to the module's own Ginkgo
// suite with Register.
const outsideRegister = `package staging_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/suites/updateimage"
)

var _ = updateimage.Register(config())

func config() updateimage.Config {
	cfg, err := updateimage.ConfigFromEnv(func(string) string { return "" })
	if err != nil {
		panic(err)
	}
	cfg.ReportDir = %q
	return cfg
}

func TestStaging(t *testing.T) {
	RegisterFailHandler(Fail)
	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.LabelFilter = "round-trip"
	RunSpecs(t, "staging", suiteConfig, reporterConfig)
}
`

// TestImportedFromAnotherModule builds a module outside the tree that imports the package (a replace
// points it at this checkout) and runs it against the in-process emulator: the run passes and writes
// results.json, through Test and through Register; a dry run of it writes nothing and passes.
func TestImportedFromAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs another module")
	}
	root := filepath.Dir(harness.FromModuleRoot("go.mod"))
	dir, reports, staging, dry := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	goVersion, err := goDirective(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mod := fmt.Sprintf("module example.com/outside\n\ngo %s\n\nrequire github.com/imagesearch-conformance/conformance v0.0.0\n\n"+
		"replace github.com/imagesearch-conformance/conformance => %s\n", goVersion, root)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "go.mod"), mod)
	write(t, filepath.Join(dir, "go.sum"), string(sum))
	write(t, filepath.Join(dir, "outside_test.go"), fmt.Sprintf(outsideTest, reports))
	if err := os.Mkdir(filepath.Join(dir, "staging"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "staging", "staging_test.go"), fmt.Sprintf(outsideRegister, staging))

	goTest(t, dir, "go", "test", "-count=1", "./...")
	checkConformant(t, reports)
	checkConformant(t, staging)

	// A dry run (what --list does) of both packages, into one empty directory.
	write(t, filepath.Join(dir, "outside_test.go"), fmt.Sprintf(outsideTest, dry))
	write(t, filepath.Join(dir, "staging", "staging_test.go"), fmt.Sprintf(outsideRegister, dry))
	goTest(t, dir, "go", "test", "-count=1", "./...", "-args", "-ginkgo.dry-run")
	if entries, _ := os.ReadDir(dry); len(entries) > 0 {
		t.Errorf("a dry run wrote %d report files, want none", len(entries))
	}
}

// checkConformant reads the results.json of a run and wants it conformant, with specs that passed.
func checkConformant(t *testing.T, reports string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(reports, "results.json"))
	if err != nil {
		t.Fatalf("the run wrote no results.json: %v", err)
	}
	var res harness.Results
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	passed := 0
	for _, a := range res.Areas {
		passed += a.Documented.Passed + a.Reading.Passed
	}
	if res.Verdict != harness.VerdictConformant || len(res.Failures) > 0 || passed == 0 {
		t.Errorf("%s: verdict %q, %d failures, %d passed; want a conformant run", reports, res.Verdict, len(res.Failures), passed)
	}
}

// goTest runs a go command in dir with the module graph resolved from go.mod (and the module proxy), not
// from a workspace, and fails the test with its output if it fails.
func goTest(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// goDirective reads the go line of a go.mod.
func goDirective(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("%s: no go directive", path)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
