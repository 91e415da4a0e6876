package harness

import (
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// Summary is what summary.html shows: the results plus the time the run's calls need at the target's limits.
type Summary struct {
	Results
	Floor        []FloorLine
	FloorSeconds float64
	Figures      Figures
}

// Summarize folds a Ginkgo report into the summary page's data.
func Summarize(r types.Report, run RunInfo) Summary { return summaryOf(r, BuildResults(r, run), run) }

func summaryOf(r types.Report, res Results, run RunInfo) Summary {
	s := Summary{Results: res}
	s.Floor, s.FloorSeconds = Floor(run.Calls, run.Rates, run.Instance)
	s.Figures = figuresOf(r, res, s, run)
	return s
}

// writeSummary renders summary.html: one file with no scripts, fonts or styles from the network, so it
// reads the same as a CI artifact opened offline.
func writeSummary(w io.Writer, s Summary) error { return summaryPage.Execute(w, s) }

// isDocumented separates the failures that break a vendor-stated rule of the target from the rest (reading
// failures, the client mapping, suite-level nodes), which readers triage differently.
func isDocumented(f FailureResult) bool {
	return f.Node == types.NodeTypeIt.String() && f.Area != AreaClientMapping && f.Footing != FootingReading
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
	"num":   func(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) },
	"join":  func(s []string) string { return strings.Join(s, ", ") },
	"inc":   func(i int) int { return i + 1 },
	"clock": func(t time.Time) string { return t.UTC().Format("15:04:05.000") },
	"sortedKeys": func(m map[string]string) []string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys
	},
	"areas": func(as []AreaResult, conformance bool) []AreaResult {
		var out []AreaResult
		for _, a := range as {
			if a.CountsAsConformance == conformance {
				out = append(out, a)
			}
		}
		return out
	},
	"failures": func(fs []FailureResult, documented bool) []FailureResult {
		var out []FailureResult
		for _, f := range fs {
			if isDocumented(f) == documented {
				out = append(out, f)
			}
		}
		return out
	},
}).Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>UpdateImage conformance</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:4px 10px;vertical-align:top}
.ok{color:#176f2c}.bad{color:#b00020}.warn{color:#8a5a00}pre{white-space:pre-wrap;margin:0}
figure{margin:1em 0}figcaption{max-width:60em;color:#333}svg.figure{max-width:100%;height:auto}
pre.cmd{background:#f4f4f4;padding:.6em;border:1px solid #ccc;word-break:break-all}
table.ex{font-size:90%;width:100%;table-layout:fixed}table.ex td{color:#222;word-break:break-all}
table.ex th:nth-child(1){width:2em}table.ex th:nth-child(2){width:7em}table.ex th:nth-child(3){width:35%}table.ex th:nth-child(4){width:14em}</style></head><body>
<h1>UpdateImage conformance: {{if .Run.Succeeded}}<span class="ok">passed</span>{{else}}<span class="bad">failed</span>{{end}}</h1>
<p>Verdict: <b class="{{if eq .Verdict "conformant"}}ok{{else if eq .Verdict "violations"}}bad{{else}}warn{{end}}">{{.Verdict}}</b>
{{- if .Run.Strict}} · strict mode (a deviation fails the run){{else}} · not strict (a deviation is reported, not failed){{end}}</p>
<p>Target: {{.Run.Target}}{{if .Run.Version}} {{.Run.Version}}{{end}} · profile {{.Run.Profile}} · instance {{.Run.Instance}} · run {{.Run.RunID}}</p>
<p>Target readings: {{if .Run.Readings}}{{join .Run.Readings}}{{else}}none{{end}} · mutants: {{if .Run.Mutants}}<span class="warn">{{join .Run.Mutants}}</span>{{else}}none{{end}}</p>
{{range .Run.FailureReasons}}<p class="bad">{{.}}</p>{{end}}
{{if .Rerun.Command}}<p>Re-run only the {{len .Rerun.Focus}} failed spec(s), from the module root (the endpoint and credentials come from the environment, as for this run):</p>
<pre class="cmd">{{.Rerun.Command}}</pre>{{end}}
<p{{if .Budget.Exhausted}} class="bad"{{end}}>Budget: {{if .Budget.MaxCalls}}IMAGESEARCH_MAX_CALLS={{.Budget.MaxCalls}}{{else}}no call cap{{end}}; {{.Budget.Ran}} of {{.Budget.Specs}} specs ran
{{- if .Budget.SkippedByBudget}}, {{.Budget.SkippedByBudget}} skipped by the cap{{end}}.
{{- if .Budget.Exhausted}} <b>Stopped early:</b> the call budget was exhausted; the specs after it were skipped, not run.{{end}}</p>
<h2>Areas</h2>
<figure>{{.Figures.Areas}}<figcaption>{{.Figures.AreasText}}</figcaption></figure>
{{template "areas" areas .Areas true}}
<h3>client mapping (not the target's conformance)</h3>
{{template "areas" areas .Areas false}}
<h2>Where this target differs from the expected reading</h2>
{{if .Deviations}}<table><tr><th>point</th><th>ref</th><th>expected</th><th>observed</th><th>spec</th></tr>
{{range .Deviations}}<tr><td>{{.Point}}</td><td>{{.Ref}}</td><td>{{.Expected}}</td><td class="warn">{{.Observed}}</td><td>{{.Spec}}</td></tr>
{{end}}</table>{{else}}<p>none</p>{{end}}
<h2>Documented failures</h2>
{{template "failures" failures .Failures true}}
<h2>Other failures (readings, client mapping, suite setup and teardown)</h2>
{{template "failures" failures .Failures false}}
<h2>Observations</h2>
{{if .Observations}}<table><tr><th>point</th><th>footing</th><th>value</th><th>spec</th></tr>
{{range .Observations}}<tr><td>{{.Point}}</td><td>{{.Footing}}</td><td>{{.Value}}</td><td>{{.Spec}}</td></tr>
{{end}}</table>{{else}}<p>none recorded</p>{{end}}
<h2>Measurements</h2>
{{if .Measurements}}<table><tr><th>measurement</th><th>value</th><th>note</th></tr>
{{range .Measurements}}<tr><td>{{.Name}}</td><td>{{num .Value}} {{.Unit}}</td><td>{{.Note}}</td></tr>
{{end}}</table>{{else}}<p>none recorded</p>{{end}}
<h2>Time</h2>
<p>Wall time {{num .Run.WallSeconds}} s{{if .Floor}}; QPS floor {{num .FloorSeconds}} s (the slowest group's calls ÷ its QPS){{end}}.</p>
<figure>{{.Figures.Floor}}<figcaption>{{.Figures.FloorText}}</figcaption></figure>
{{if .Floor}}<table><tr><th>QPS group</th><th>calls</th><th>QPS</th><th>seconds at the limit</th></tr>
{{range .Floor}}<tr><td>{{.Group}}</td><td>{{.Calls}}</td><td>{{.QPS}}</td><td>{{num .Seconds}}</td></tr>
{{end}}</table>{{end}}
<h2>Throttling burst</h2>
<figure>{{.Figures.Burst}}<figcaption>{{.Figures.BurstText}}</figcaption></figure>
<h2>Latency</h2>
<figure>{{.Figures.Latency}}<figcaption>{{.Figures.LatencyText}}</figcaption></figure>
<h2>Calls per operation</h2>
<p>Throttled outside the throttling specs: <b{{if .ThrottledElsewhere}} class="bad"{{end}}>{{len .ThrottledElsewhere}}</b>.</p>
{{if .ThrottledElsewhere}}<ul>{{range .ThrottledElsewhere}}<li>{{.}}</li>{{end}}</ul>{{end}}
<table><tr><th>operation</th><th>calls</th><th>throttled</th></tr>
{{range $op := sorted .Calls}}<tr><td>{{$op}}</td><td>{{index $.Calls $op}}</td><td>{{index $.Throttled $op}}</td></tr>
{{end}}</table>
<h2>Not applicable to UpdateImage</h2>
<p>Codes of UpdateImage's error list (ref §2.4) that it cannot return: the list is shared across operations.</p>
<table><tr><th>code</th><th>why</th></tr>
{{range .NotApplicable}}<tr><td>{{.Code}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
</body></html>
{{define "areas"}}<table><tr><th rowspan="2">area</th><th colspan="3">documented</th><th colspan="4">reading</th></tr>
<tr><th>passed</th><th>failed</th><th>skipped</th><th>passed</th><th>failed</th><th>deviated</th><th>skipped</th></tr>
{{range .}}<tr><td>{{.Area}}</td><td>{{.Documented.Passed}}</td><td{{if .Documented.Failed}} class="bad"{{end}}>{{.Documented.Failed}}</td><td>{{.Documented.Skipped}}</td>
<td>{{.Reading.Passed}}</td><td{{if .Reading.Failed}} class="bad"{{end}}>{{.Reading.Failed}}</td><td{{if .Reading.Deviated}} class="warn"{{end}}>{{.Reading.Deviated}}</td><td>{{.Reading.Skipped}}</td></tr>
{{end}}</table>{{end}}
{{define "failures"}}{{if .}}<ul>{{range .}}<li class="bad"><b>{{.Spec}}</b>{{if .Area}} · {{.Area}}{{end}}{{if .Footing}} · {{.Footing}}{{end}}{{if .Refs}} · ref {{join .Refs}}{{end}}{{if .Location}} · {{.Location}}{{end}}
<pre>{{.Message}}</pre>{{if .Exchanges}}
<details open><summary>HTTP exchanges: the last {{len .Exchanges}} of the spec's {{.ExchangeCalls}} calls (credentials masked)</summary>
<table class="ex"><tr><th>#</th><th>time (UTC)</th><th>call</th><th>answer</th><th>body</th></tr>
{{range $i, $x := .Exchanges}}<tr><td>{{inc $i}}</td><td>{{clock $x.Time}}</td><td><b>{{$x.Action}}</b>{{range $k := sortedKeys $x.Params}}<br>{{$k}}={{index $x.Params $k}}{{end}}</td>
<td>{{$x.StatusText}}<br>{{num $x.LatencyMs}} ms{{if $x.RequestID}}<br>{{$x.RequestID}}{{end}}</td><td><pre>{{$x.Body}}</pre></td></tr>
{{end}}</table></details>{{end}}</li>{{end}}</ul>{{else}}<p>none</p>{{end}}{{end}}
`))
