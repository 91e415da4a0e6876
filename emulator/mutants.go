package emulator

import (
	"fmt"
	"sort"
	"strings"
)

// Mutant is a named, switchable contract violation. Mutants are off by default; the conformance suite must
// fail against each one ("kill" it), which measures whether its specs bite.
type Mutant struct {
	Name        string
	Area        string // length, overwrite, search, throttling, errors
	Ref         string // the section of the contract reference it violates
	Description string
}

// Mutant names.
const (
	mutCustomContentOffByOne  = "customcontent-limit-off-by-one"
	mutStrAttr3OffByOne       = "strattr3-limit-off-by-one"
	mutKeyLimitOffByOne       = "key-limit-off-by-one"
	mutLengthInBytes          = "length-in-bytes"
	mutIntWraps               = "intattr-wraps"
	mutAddKeepsOldAttributes  = "add-keeps-old-attributes"
	mutAddFirstWriteWins      = "add-first-write-wins"
	mutUpdateClearsUnsent     = "update-clears-unsent"
	mutUpdateCreatesMissing   = "update-creates-missing"
	mutUpdateIgnoresQuery     = "update-ignores-query-attrs"
	mutUpdateIgnoresEmpty     = "update-ignores-empty-strings"
	mutUpdatePicNameOptional  = "update-picname-optional"
	mutSearchStaleAttributes  = "search-stale-attributes"
	mutFilterIgnoresUpdate    = "filter-ignores-update"
	mutSearchSwapsStrAttr2    = "search-swaps-strattr2"
	mutNoThrottling           = "no-throttling"
	mutThrottleWrongStatus    = "throttle-wrong-status"
	mutThrottledUpdateApplied = "throttled-update-applied"
	mutInvalidInstance404     = "invalid-instance-404"
	mutWrongCodeStrAttr4      = "wrong-code-strattr4"
	mutMissingRequestID       = "missing-request-id"
	mutMissingMessage         = "missing-message"
	mutNumericErrorCode       = "numeric-error-code"
)

// Mutants lists every switchable contract violation.
var Mutants = []Mutant{
	{mutCustomContentOffByOne, "length", "§2.1", "accepts CustomContent of 4,097 characters"},
	{mutStrAttr3OffByOne, "length", "§2.1", "accepts StrAttr3 of 129 characters"},
	{mutKeyLimitOffByOne, "length", "§2.1", "accepts ProductId and PicName of 257 characters"},
	{mutLengthInBytes, "length", "§2.1", "counts length limits in UTF-8 bytes instead of characters"},
	{mutIntWraps, "length", "§2.1", "wraps IntAttr* values outside int32 silently instead of rejecting them"},
	{mutAddKeepsOldAttributes, "overwrite", "§3", "AddImage on an existing key replaces the picture but keeps the old attributes"},
	{mutAddFirstWriteWins, "overwrite", "§3", "AddImage on an existing key succeeds but keeps the first image"},
	{mutUpdateClearsUnsent, "overwrite", "§2.3", "UpdateImage resets every field it was not sent"},
	{mutUpdateCreatesMissing, "overwrite", "§2.3", "UpdateImage creates the image when it does not exist"},
	{mutUpdateIgnoresQuery, "overwrite", "§1.3", "UpdateImage ignores IntAttr3/4 and StrAttr3/4 (the query-placed fields)"},
	{mutUpdateIgnoresEmpty, "overwrite", "§2.3", "UpdateImage treats an empty string as not sent"},
	{mutUpdatePicNameOptional, "overwrite", "§9 #1", "intl-2025 UpdateImage accepts a request without PicName and updates the whole product"},
	{mutSearchStaleAttributes, "search", "§2.3", "searches return the attributes from before the last update"},
	{mutFilterIgnoresUpdate, "search", "§1.7", "filters evaluate the attributes from before the last update"},
	{mutSearchSwapsStrAttr2, "search", "§5.1", "search results carry StrAttr2's value in StrAttr"},
	{mutNoThrottling, "throttling", "§1.10", "never throttles"},
	{mutThrottleWrongStatus, "throttling", "§1.10", "throttles with 400 Throttling.User instead of 403 DeniedRequest"},
	{mutThrottledUpdateApplied, "throttling", "§1.10", "applies a throttled UpdateImage, then answers DeniedRequest"},
	{mutInvalidInstance404, "errors", "§2.4", "answers InvalidInstance with HTTP 404"},
	{mutWrongCodeStrAttr4, "errors", "§2.4", "reports an invalid StrAttr4 as InvalidStrAttr"},
	{mutMissingRequestID, "errors", "§1.4", "error bodies carry no RequestId"},
	{mutMissingMessage, "errors", "§1.4", "error bodies carry an empty Message"},
	{mutNumericErrorCode, "errors", "§1.4", "error bodies carry a numeric Code"},
}

// MutantNames returns every mutant name, sorted.
func MutantNames() []string {
	names := make([]string, len(Mutants))
	for i, m := range Mutants {
		names[i] = m.Name
	}
	sort.Strings(names)
	return names
}

func checkMutants(names []string) error {
	known := map[string]bool{}
	for _, m := range Mutants {
		known[m.Name] = true
	}
	for _, n := range names {
		if !known[n] {
			return fmt.Errorf("unknown mutant %q (known: %s)", n, strings.Join(MutantNames(), ", "))
		}
	}
	return nil
}

func (s *Server) mutant(name string) bool { return s.mutants[name] }

// slack is 1 when the named off-by-one mutant is on.
func (s *Server) slack(name string) int {
	if s.mutant(name) {
		return 1
	}
	return 0
}
