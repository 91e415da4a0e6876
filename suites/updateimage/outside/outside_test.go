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

// TestImportedFromAnotherModule builds a module outside the tree that imports the package (a replace
// points it at this checkout) and runs it against the in-process emulator: the run passes and writes
// results.json; a dry run of it writes nothing and passes.
func TestImportedFromAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs another module")
	}
	root := filepath.Dir(harness.FromModuleRoot("go.mod"))
	dir, reports, dry := t.TempDir(), t.TempDir(), t.TempDir()
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

	goTest(t, dir, "go", "test", "-count=1", "./...")
	var res harness.Results
	data, err := os.ReadFile(filepath.Join(reports, "results.json"))
	if err != nil {
		t.Fatalf("the run wrote no results.json: %v", err)
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Verdict != harness.VerdictConformant || len(res.Failures) > 0 || len(res.Areas) == 0 {
		t.Errorf("results.json: verdict %q, %d failures, %d areas; want a conformant run", res.Verdict, len(res.Failures), len(res.Areas))
	}

	// The report directory of the dry run is the real one's sibling: point the module at it and list.
	write(t, filepath.Join(dir, "outside_test.go"), fmt.Sprintf(outsideTest, dry))
	goTest(t, dir, "go", "test", "-count=1", "./...", "-args", "-ginkgo.dry-run")
	if entries, _ := os.ReadDir(dry); len(entries) > 0 {
		t.Errorf("a dry run wrote %d report files, want none", len(entries))
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
