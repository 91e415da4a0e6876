# Two commands matter: `make conformance` (the suite against the embedded emulator, reports in reports/)
# and `make test` (every package's tests). Everything runs with the Go toolchain alone; the ginkgo CLI is
# pinned in go.mod and run as `go tool ginkgo`.

GO      ?= go
REPORTS ?= $(CURDIR)/reports
# LABELS filters specs by label, e.g. LABELS='length-limits || overwrite' or LABELS='!slow'.
LABELS  ?=
# PROCS > 1 runs the suite in that many parallel processes (ginkgo -p).
PROCS   ?= 2
# RAPID_CHECKS sets the number of cases per rapid property (default 100).
RAPID_CHECKS ?=

export IMAGESEARCH_REPORT_DIR := $(REPORTS)
export IMAGESEARCH_LABEL_FILTER := $(LABELS)
ifneq ($(RAPID_CHECKS),)
export RAPID_CHECKS
endif

.PHONY: conformance test vet fmt-check lint dist mutants emulator bench sweep fuzz fuzz-long soak clean

## conformance: run the UpdateImage suite (embedded emulator unless IMAGESEARCH_ENDPOINT is set); writes
## reports/junit.xml, reports/report.json and reports/summary.html; fails on any failure.
conformance:
	@mkdir -p $(REPORTS)
	$(GO) tool ginkgo --procs=$(PROCS) --keep-going --no-color --timeout=1h ./suites/updateimage

## test: vet, formatting, and every package's tests (the suite included) under the race detector; then the
## overwrite specs once more under the cn-2026 profile, whose PicName-optional behaviour the default skips.
test: vet fmt-check lint
	$(GO) test -race -count=1 -timeout=30m ./...
	IMAGESEARCH_PROFILE=cn-2026 IMAGESEARCH_LABEL_FILTER=overwrite IMAGESEARCH_REPORT_DIR=$(REPORTS)/cn-2026 $(GO) test -race -count=1 -timeout=30m ./suites/updateimage

vet:
	$(GO) vet ./...

fmt-check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## lint: actionlint (pinned in go.mod) on every workflow; it also checks the inputs and outputs of action.yml
## where the workflows call it (uses: ./), and TestAction* check the action's own steps.
lint:
	$(GO) tool actionlint .github/workflows/*.yml
	$(GO) test -count=1 -run '^TestAction' ./cmd/imagesearch-conformance

## dist: imagesearch-conformance and imagesearch-emulator for every DIST_PLATFORMS entry, static (CGO_ENABLED=0),
## -trimpath, VERSION stamped in (harness.Version()), into dist/ with dist/SHA256SUMS.
VERSION        ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
DIST_PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
DIST_LDFLAGS   := -s -w -X github.com/imagesearch-conformance/conformance/suites/harness.version=$(VERSION)
dist:
	@rm -rf dist && mkdir -p dist
	@set -e; for p in $(DIST_PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; if [ "$$os" = windows ]; then ext=.exe; fi; \
		for cmd in imagesearch-conformance imagesearch-emulator; do \
			out=dist/$$cmd-$$os-$$arch$$ext; echo "$$out"; \
			CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(DIST_LDFLAGS)' -o $$out ./cmd/$$cmd; \
		done; \
	done
	@cd dist && if command -v sha256sum >/dev/null; then sha256sum imagesearch-*; else shasum -a 256 imagesearch-*; fi > SHA256SUMS
	@echo "dist/SHA256SUMS ($(VERSION))"

## mutants: prove the suite against every emulator variant (emulator.Variants): each mutant must be killed,
## each reading must deviate on its open point alone (and fail a strict run), each freedom must pass silently.
## Writes reports/mutation.json and reports/mutation.md; fails if the baseline is not conformant or any variant
## is not as expected. VARIANTS='a,b' runs a subset; MUTANT_JOBS=N runs N suites at a time (default: one per
## CPU; the runs mostly wait, so more than the CPUs can be faster).
VARIANTS    ?=
MUTANT_JOBS ?=
mutants:
	$(GO) run ./cmd/mutation-score -out $(REPORTS) $(if $(VARIANTS),-variants '$(VARIANTS)') $(if $(MUTANT_JOBS),-j $(MUTANT_JOBS))

## emulator: start the emulator on 127.0.0.1:8780 with a demo instance and key pair.
emulator:
	$(GO) run ./cmd/imagesearch-emulator

## bench: the emulator's throughput, search latency, memory and start-time figures next to their goals, at
## SCALE images (default 100000, a few minutes); make bench SCALE=1000000 measures the 1,000,000-image goals.
## The UpdateImage throughput alternates bare handler and emulator runs (-rounds, default 5, of
## -duration/-rounds each, -duration 5s per side) and reports the median per-round ratio with its spread;
## go run ./cmd/emulator-bench -throughput-only measures that figure alone, in about 15 s.
SCALE ?= 100000
bench:
	$(GO) run ./cmd/emulator-bench -images $(SCALE)

## fuzz: a short run (FUZZTIME, default 10s) of every fuzz target, one after the other; FUZZTIME=1000000x
## runs each for a million executions. FUZZ_PARALLEL sets the fuzzing workers (default: go test's, one per
## CPU); FUZZ_TARGETS='./pkg/:FuzzName ...' runs a subset. Every target runs even if one fails; the make
## fails if any did. A failing input is written under the package's testdata/fuzz/<FuzzName>/: commit it as
## a regression seed (plain `go test` then replays it).
## FUZZ_MINIMIZE bounds the minimisation of each new input the fuzzer finds (default 20000x, executions):
## a minimisation that runs out of go test's default 60 s counts none of its executions.
## fuzz-long: the same with FUZZTIME=1000000x and FUZZ_PARALLEL=2 unless given.
FUZZTIME      ?= 10s
FUZZ_PARALLEL ?=
FUZZ_MINIMIZE ?= 20000x
FUZZ_TARGETS  := ./emulator/:FuzzRequestDecoding ./emulator/internal/filter/:FuzzParse \
	./emulator/internal/filter/:FuzzProgramMatchesExpr \
	./emulator/internal/imaging/:FuzzInspect ./emulator/internal/imaging/:FuzzExifOrientation \
	./emulator/internal/imaging/:FuzzPPM ./emulator/internal/store/:FuzzDecodeValue \
	./emulator/internal/store/:FuzzKey ./signature/:FuzzVerify ./signature/:FuzzStringToSignV1 \
	./imagesearch/:FuzzRedact ./fixtures/:FuzzWebPRoundTrip
fuzz:
	@failed=""; for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "== $$name ($$pkg) -fuzztime $(FUZZTIME)"; start=$$(date +%s); \
	  $(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZ_MINIMIZE) $(if $(FUZZ_PARALLEL),-parallel $(FUZZ_PARALLEL)) \
	    || failed="$$failed $$name"; echo "== $$name: $$(( $$(date +%s) - start ))s wall"; done; \
	if [ -n "$$failed" ]; then echo "fuzz failed:$$failed"; exit 1; fi
fuzz-long: FUZZTIME = 1000000x
fuzz-long: FUZZ_PARALLEL = 2
fuzz-long: fuzz

## soak: builds the emulator binary and runs CLIENTS concurrent clients (default 16) mixing all seven operations
## for DURATION (default 90s, about two minutes in all) against a persistent store, with kill -9 and restart in
## the middle and once more before the check; prints calls per operation, acknowledged writes, lost, 5xx,
## throttled and RSS per emulator process; fails if an acknowledged write was lost or a 5xx was answered.
DURATION ?= 90s
CLIENTS  ?= 16
soak:
	$(GO) run ./cmd/emulator-soak -duration $(DURATION) -clients $(CLIENTS)

clean:
	rm -rf $(REPORTS)/*.xml $(REPORTS)/*.json $(REPORTS)/*.html $(REPORTS)/*.md

## sweep: delete what earlier runs left under PREFIX on the configured target (make sweep PREFIX=cf-1a2b3c4d).
sweep:
	@test -n "$(PREFIX)" || { echo "usage: make sweep PREFIX=cf-<run id>"; exit 2; }
	$(GO) run ./cmd/imagesearch-sweep -prefix $(PREFIX) -journals $(REPORTS)/journal
