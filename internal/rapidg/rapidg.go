// Package rapidg runs rapid properties inside Ginkgo specs so that the shrunk counterexample, its draws and
// a reproduction hint end up in the Ginkgo failure (and so in the JUnit report), the property sees the
// spec's context, and fail-file names stay short.
package rapidg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"
)

var errFailNow = errors.New("rapidg: FailNow")

// ginkgoTB adapts a Ginkgo spec to rapid.TB.
type ginkgoTB struct {
	mu     sync.Mutex
	name   string // short and stable: rapid uses it for testdata/rapid/<name>/
	full   string // the spec's full text, for the -ginkgo.focus hint
	ctx    context.Context
	failed bool
	report strings.Builder
}

func (g *ginkgoTB) Helper()                  {}
func (g *ginkgoTB) Name() string             { return g.name }
func (g *ginkgoTB) Context() context.Context { return g.ctx }
func (g *ginkgoTB) Log(a ...any)             { g.log(fmt.Sprintln(a...)) }
func (g *ginkgoTB) Logf(f string, a ...any)  { g.log(fmt.Sprintf(f, a...) + "\n") }

func (g *ginkgoTB) log(s string) {
	GinkgoWriter.Print(s)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.failed {
		g.report.WriteString("  " + s) // rapid's replay of the minimal case
	}
}

func (g *ginkgoTB) fail(s string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failed = true
	s = strings.Replace(s, fmt.Sprintf("-run=%q", regexp.QuoteMeta(g.name)),
		fmt.Sprintf("-ginkgo.focus=%q", regexp.QuoteMeta(g.full)), 1)
	g.report.WriteString(s + "\n")
}

func (g *ginkgoTB) Error(a ...any)            { g.fail(fmt.Sprint(a...)) }
func (g *ginkgoTB) Errorf(f string, a ...any) { g.fail(fmt.Sprintf(f, a...)) }
func (g *ginkgoTB) Fail()                     { g.fail("failed") }
func (g *ginkgoTB) Fatal(a ...any)            { g.fail(fmt.Sprint(a...)); panic(errFailNow) }
func (g *ginkgoTB) Fatalf(f string, a ...any) { g.fail(fmt.Sprintf(f, a...)); panic(errFailNow) }
func (g *ginkgoTB) FailNow()                  { panic(errFailNow) }
func (g *ginkgoTB) Skip(a ...any)             { Skip(fmt.Sprint(a...), 1) }
func (g *ginkgoTB) Skipf(f string, a ...any)  { Skip(fmt.Sprintf(f, a...), 1) }
func (g *ginkgoTB) SkipNow()                  { Skip("skipped", 1) }

func (g *ginkgoTB) Failed() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.failed
}

// Check runs prop and reports at most one Ginkgo failure, carrying the shrunk counterexample.
func Check(ctx context.Context, prop func(*rapid.T)) {
	GinkgoHelper()
	if ctx == nil {
		ctx = context.Background()
	}
	full := CurrentSpecReport().FullText()
	tb := &ginkgoTB{name: shortName(full), full: full, ctx: ctx}
	wrapped := func(t *rapid.T) {
		if ctx.Err() != nil {
			t.SkipNow() // the spec timed out or was interrupted: end the loop fast
		}
		prop(t)
	}
	func() {
		defer func() {
			if r := recover(); r != nil && r != errFailNow {
				panic(r)
			}
		}()
		rapid.Check(tb, wrapped)
	}()
	if ctx.Err() != nil {
		return // Ginkgo already reports the timeout or interrupt
	}
	if tb.Failed() {
		Fail(strings.TrimRight(tb.report.String(), "\n"))
	}
}

func shortName(full string) string {
	if len(full) <= 80 {
		return full
	}
	sum := sha256.Sum256([]byte(full))
	return full[:80] + "-" + hex.EncodeToString(sum[:4])
}
