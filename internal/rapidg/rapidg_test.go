package rapidg

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"pgregory.net/rapid"
)

// The failing property only runs inside the child process started by TestFailureCarriesTheShrunkCase.
const failEnv = "RAPIDG_DEMO_FAIL"

func TestRapidg(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "rapidg")
}

var _ = Describe("rapidg", func() {
	It("runs a passing property to completion", func(ctx SpecContext) {
		n := 0
		Check(ctx, func(t *rapid.T) {
			n++
			x := rapid.IntRange(0, 10).Draw(t, "x")
			NewWithT(t).Expect(x).To(BeNumerically("<=", 10))
		})
		Expect(n).To(BeNumerically(">=", 10), "rapid ran the cases")
	})

	It("reports a demo failure", func(ctx SpecContext) {
		if os.Getenv(failEnv) == "" {
			Skip("only in the child process")
		}
		Check(ctx, func(t *rapid.T) {
			x := rapid.IntRange(0, 1000).Draw(t, "x")
			NewWithT(t).Expect(x).To(BeNumerically("<", 51))
		})
	})
})

// A failing property must fail its spec once, with the shrunk counterexample and a Ginkgo focus hint in the
// failure, so the JUnit report says how to reproduce it.
func TestFailureCarriesTheShrunkCase(t *testing.T) {
	if os.Getenv(failEnv) != "" {
		t.Skip("child")
	}
	cmd := exec.Command(os.Args[0], "-test.run=TestRapidg", "-ginkgo.focus=reports a demo failure", "-ginkgo.no-color")
	cmd.Env = append(os.Environ(), failEnv+"=1", "RAPID_NOFAILFILE=true")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the failing property passed:\n%s", out)
	}
	for _, want := range []string{"[rapid] failed", "draw x: 51", "-ginkgo.focus="} {
		if !strings.Contains(string(out), want) {
			t.Errorf("failure output lacks %q:\n%s", want, out)
		}
	}
}
