package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/imagesearch-conformance/conformance/emulator"
)

func TestReadReportCountsPassedAndFailedSpecs(t *testing.T) {
	r := types.Report{SpecReports: types.SpecReports{
		{LeafNodeType: types.NodeTypeIt, LeafNodeText: "passes", State: types.SpecStatePassed},
		{LeafNodeType: types.NodeTypeIt, LeafNodeText: "fails", State: types.SpecStateFailed},
		{LeafNodeType: types.NodeTypeAfterSuite, State: types.SpecStateFailed},
		{LeafNodeType: types.NodeTypeIt, LeafNodeText: "skipped", State: types.SpecStateSkipped},
	}}
	b, _ := json.Marshal([]types.Report{r})
	path := filepath.Join(t.TempDir(), "report.json")
	os.WriteFile(path, b, 0o644)
	passed, failed, err := readReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if passed != 1 || len(failed) != 2 {
		t.Errorf("passed %d, failed %v", passed, failed)
	}
}

func TestReportsMarkSurvivors(t *testing.T) {
	dir := t.TempDir()
	m := emulator.Mutants[0]
	results := []outcome{{mutant: m, failed: []string{"It spec"}}, {mutant: emulator.Mutants[1]}}
	if err := writeReports(dir, outcome{passed: 5}, results); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "mutation.md"))
	if !strings.Contains(string(md), "1/2 killed") || !strings.Contains(string(md), "**SURVIVED**") {
		t.Errorf("markdown:\n%s", md)
	}
	var s scoreJSON
	b, _ := os.ReadFile(filepath.Join(dir, "mutation.json"))
	if err := json.Unmarshal(b, &s); err != nil || s.Killed != 1 || s.Total != 2 || !s.Mutants[0].Killed {
		t.Errorf("json %+v, %v", s, err)
	}
}
