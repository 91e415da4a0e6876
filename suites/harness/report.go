package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// MeasurementEntry is the name of the report entries that carry a measurement (throttling rate, visibility
// delay); the HTML summary lists them.
const MeasurementEntry = "measurement"

// Measurement is one measured value attached to a spec with AddReportEntry(MeasurementEntry, m).
type Measurement struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Note  string  `json:"note,omitempty"`
}

// RunInfo describes the run for the summary.
type RunInfo struct {
	Target    string
	Profile   string
	RunID     string
	Instance  string
	Calls     map[string]int // per operation, summed over processes
	Throttled map[string]int
	Rates     Rates
	// ThrottledElsewhere lists DeniedRequest answers outside the throttling specs.
	ThrottledElsewhere []string
	// BudgetExhausted: the run stopped early at IMAGESEARCH_MAX_CALLS; the remaining specs were skipped.
	BudgetExhausted bool
}

// AreaSummary counts the specs of one behaviour area.
type AreaSummary struct {
	Area                    string
	Passed, Failed, Skipped int
	FailedSpecs             []string
}

// Summary is what the HTML page shows.
type Summary struct {
	Run          RunInfo
	Succeeded    bool
	Areas        []AreaSummary
	Measurements []Measurement
	WallSeconds  float64
	Floor        []FloorLine
	FloorSeconds float64
}

// Summarize folds a Ginkgo report into per-area counts and the measurements.
func Summarize(r types.Report, run RunInfo) Summary {
	s := Summary{Run: run, Succeeded: r.SuiteSucceeded, WallSeconds: r.RunTime.Seconds()}
	s.Floor, s.FloorSeconds = Floor(run.Calls, run.Rates, run.Instance)
	byArea := map[string]*AreaSummary{}
	for _, a := range Areas {
		byArea[a] = &AreaSummary{Area: a}
	}
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		for _, l := range sr.Labels() {
			a, ok := byArea[l]
			if !ok {
				continue
			}
			switch {
			case sr.State.Is(types.SpecStatePassed):
				a.Passed++
			case sr.State.Is(types.SpecStateSkipped | types.SpecStatePending):
				a.Skipped++
			default:
				a.Failed++
				a.FailedSpecs = append(a.FailedSpecs, sr.FullText())
			}
		}
		for _, e := range sr.ReportEntries {
			if e.Name != MeasurementEntry {
				continue
			}
			var m Measurement
			raw := e.Value.AsJSON // filled when the report crossed processes; in-process, marshal the value
			if raw == "" {
				b, _ := json.Marshal(e.GetRawValue())
				raw = string(b)
			}
			if json.Unmarshal([]byte(raw), &m) == nil {
				s.Measurements = append(s.Measurements, m)
			}
		}
	}
	for _, a := range Areas {
		s.Areas = append(s.Areas, *byArea[a])
	}
	sort.SliceStable(s.Measurements, func(i, j int) bool { return s.Measurements[i].Name < s.Measurements[j].Name })
	return s
}

// WriteReports writes junit.xml, report.json and summary.html into dir. The JUnit keeps suite setup nodes,
// so a failed setup can never look green.
func WriteReports(dir string, r types.Report, run RunInfo) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := reporters.GenerateJUnitReportWithConfig(r, filepath.Join(dir, "junit.xml"), reporters.JunitReportConfig{
		OmitTimelinesForSpecState: types.SpecStatePassed | types.SpecStateSkipped | types.SpecStatePending,
	}); err != nil {
		return err
	}
	if err := reporters.GenerateJSONReport(r, filepath.Join(dir, "report.json")); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "summary.html"))
	if err != nil {
		return err
	}
	defer f.Close()
	return summaryPage.Execute(f, Summarize(r, run))
}

var summaryPage = template.Must(template.New("summary").Funcs(template.FuncMap{
	"sorted": func(m map[string]int) []string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	},
	"num": func(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) },
}).Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>UpdateImage conformance</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px}
.ok{color:#176f2c}.bad{color:#b00020}</style></head><body>
<h1>UpdateImage conformance: {{if .Succeeded}}<span class="ok">passed</span>{{else}}<span class="bad">failed</span>{{end}}</h1>
<p>Target: {{.Run.Target}} · profile {{.Run.Profile}} · run {{.Run.RunID}}</p>
{{if .Run.BudgetExhausted}}<p class="bad"><b>Stopped early:</b> the call budget (IMAGESEARCH_MAX_CALLS) was exhausted; the specs after it were skipped, not run.</p>{{end}}
<h2>Areas</h2>
<table><tr><th>area</th><th>passed</th><th>failed</th><th>skipped</th></tr>
{{range .Areas}}<tr><td>{{.Area}}</td><td>{{.Passed}}</td><td{{if .Failed}} class="bad"{{end}}>{{.Failed}}</td><td>{{.Skipped}}</td></tr>
{{end}}</table>
{{range .Areas}}{{if .FailedSpecs}}<h3 class="bad">{{.Area}}: failed</h3><ul>{{range .FailedSpecs}}<li>{{.}}</li>{{end}}</ul>{{end}}{{end}}
<h2>Measurements</h2>
{{if .Measurements}}<table><tr><th>measurement</th><th>value</th><th>note</th></tr>
{{range .Measurements}}<tr><td>{{.Name}}</td><td>{{num .Value}} {{.Unit}}</td><td>{{.Note}}</td></tr>
{{end}}</table>{{else}}<p>none recorded</p>{{end}}
<h2>Time</h2>
<p>Wall time {{num .WallSeconds}} s{{if .Floor}}; QPS floor {{num .FloorSeconds}} s (the slowest group's calls ÷ its QPS){{end}}.</p>
{{if .Floor}}<table><tr><th>QPS group</th><th>calls</th><th>QPS</th><th>seconds at the limit</th></tr>
{{range .Floor}}<tr><td>{{.Group}}</td><td>{{.Calls}}</td><td>{{.QPS}}</td><td>{{num .Seconds}}</td></tr>
{{end}}</table>{{end}}
<h2>Calls per operation</h2>
<p>Throttled outside the throttling specs: <b{{if .Run.ThrottledElsewhere}} class="bad"{{end}}>{{len .Run.ThrottledElsewhere}}</b>.</p>
{{if .Run.ThrottledElsewhere}}<ul>{{range .Run.ThrottledElsewhere}}<li>{{.}}</li>{{end}}</ul>{{end}}
<table><tr><th>operation</th><th>calls</th><th>throttled</th></tr>
{{range $op := sorted .Run.Calls}}<tr><td>{{$op}}</td><td>{{index $.Run.Calls $op}}</td><td>{{index $.Run.Throttled $op}}</td></tr>
{{end}}</table>
</body></html>
`))

// ScanForSecret fails if any file under dir contains the secret or the unmasked AccessKeyId, raw or
// URL-escaped. The suite runs it on its own reports, so a change that prints either anywhere the reports
// capture fails the run.
func ScanForSecret(dir, secret, keyID string) error {
	var needles [][]byte
	for _, v := range []string{secret, keyID} {
		if len(v) >= 6 {
			needles = append(needles, []byte(v), []byte(url.QueryEscape(v)))
		}
	}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(b, n) {
				return fmt.Errorf("a credential (the AccessKey secret or the unmasked AccessKeyId) appears in %s", path)
			}
		}
		return nil
	})
}
