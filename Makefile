# Two commands matter: `make conformance` (the suite against the embedded emulator, reports in reports/)
# and `make test` (every package's tests). Everything runs with the Go toolchain alone; the ginkgo CLI is
# pinned in go.mod and run as `go tool ginkgo`.

GO      ?= go
REPORTS ?= $(CURDIR)/reports
# LABELS filters specs by label, e.g. LABELS='length-limits || overwrite' or LABELS='!slow'.
LABELS  ?=
# PROCS > 1 runs the suite in that many parallel processes (ginkgo -p).
PROCS   ?= 1
# RAPID_CHECKS sets the number of cases per rapid property (default 100).
RAPID_CHECKS ?=

export IMAGESEARCH_REPORT_DIR := $(REPORTS)
export IMAGESEARCH_LABEL_FILTER := $(LABELS)
ifneq ($(RAPID_CHECKS),)
export RAPID_CHECKS
endif

.PHONY: conformance test vet fmt-check mutants emulator bench sweep fuzz clean

## conformance: run the UpdateImage suite (embedded emulator unless IMAGESEARCH_ENDPOINT is set); writes
## reports/junit.xml, reports/report.json and reports/summary.html; fails on any failure.
conformance:
	@mkdir -p $(REPORTS)
	$(GO) tool ginkgo --procs=$(PROCS) --keep-going --no-color --timeout=1h ./suites/updateimage

## test: vet, formatting, and every package's tests (the suite included) under the race detector; then the
## overwrite specs once more under the cn-2026 profile, whose PicName-optional behaviour the default skips.
test: vet fmt-check
	$(GO) test -race -count=1 -timeout=30m ./...
	IMAGESEARCH_PROFILE=cn-2026 IMAGESEARCH_LABEL_FILTER=overwrite IMAGESEARCH_REPORT_DIR=$(REPORTS)/cn-2026 $(GO) test -race -count=1 -timeout=30m ./suites/updateimage

vet:
	$(GO) vet ./...

fmt-check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

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

## bench: the emulator's throughput, search latency, memory and start-time measurements.
bench:
	$(GO) run ./cmd/emulator-bench

## fuzz: a short run of every fuzz target.
fuzz:
	$(GO) test ./emulator/ -run '^$$' -fuzz FuzzRequestDecoding -fuzztime 30s
	$(GO) test ./emulator/internal/filter/ -run '^$$' -fuzz FuzzParse -fuzztime 30s
	$(GO) test ./emulator/internal/imaging/ -run '^$$' -fuzz FuzzInspect -fuzztime 30s
	$(GO) test ./signature/ -run '^$$' -fuzz FuzzVerify -fuzztime 30s

clean:
	rm -rf $(REPORTS)/*.xml $(REPORTS)/*.json $(REPORTS)/*.html $(REPORTS)/*.md

## sweep: delete what earlier runs left under PREFIX on the configured target (make sweep PREFIX=cf-1a2b3c4d).
sweep:
	@test -n "$(PREFIX)" || { echo "usage: make sweep PREFIX=cf-<run id>"; exit 2; }
	$(GO) run ./cmd/imagesearch-sweep -prefix $(PREFIX) -journals $(REPORTS)/journal
