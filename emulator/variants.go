package emulator

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/ratelimit"
)

// VariantKind says whether a variant is allowed by the documents.
type VariantKind string

// Variant kinds.
const (
	KindReading VariantKind = "reading" // an allowed answer to an open point: the suite reports a deviation
	KindFreedom VariantKind = "freedom" // an implementation freedom: the suite must stay silent
	KindMutant  VariantKind = "mutant"  // a contract violation: the suite must fail
)

// Variant is one named behaviour variant.
type Variant struct {
	Name        string // as given to Options.Readings / Options.Mutants, e.g. "unsent=reset", "latency=5ms-30ms", "no-throttling"
	Kind        VariantKind
	Area        string // one of contract.AreaLength, AreaOverwrite, AreaRoundTrip, AreaThrottling, AreaErrors
	Point       string // for readings: the contract.OpenPoints ID whose deviation it causes; "" otherwise
	Ref         string // "§10 #3"
	Description string
	// Observes is, for a freedom the suite records, the point of the free observation (results.json
	// observations[].point with footing "free") its value shows in; "" otherwise. Readings need none: their
	// Point is where they show.
	Observes string
	// Observed is what the suite reports when this variant is on: for a reading, the deviation's observed
	// value at Point (results.json deviations[].observed, one of the point's Allowed answers); for a freedom
	// with Observes, the observation's value. Calibration (CalibrationReadings) looks a run's answers up
	// here, so the mapping from what a run saw to the behaviour that produces it lives in this one table.
	Observed string
}

// Variants lists every variant, readings and freedoms first, then mutants. For parameterised options the
// Name carries a concrete value that a test run can use as is (e.g. "latency=1ms-5ms", "index-lag=300ms",
// "transient-5xx=0.03"); Options.Readings accepts any valid value.
func Variants() []Variant {
	out := make([]Variant, len(variants))
	for i, v := range variants {
		out[i] = v.Variant
	}
	return out
}

// variant is a table row: the public description, the values its option accepts (for error messages) and
// how it sets the behaviour. Readings and freedoms of one option share values and apply, which also accept
// the option's default value; a mutant's apply ignores its argument.
type variant struct {
	Variant
	values string
	apply  func(b *behaviour, value string) error
}

// variants is the one place where behaviour variants are defined. Keep readings and freedoms first, then
// mutants; the README's table lists the same rows.
var variants = []variant{
	// Readings: allowed answers to the open points of contract.OpenPoints.
	{Variant{"unsent=reset", KindReading, contract.AreaOverwrite, contract.PointUnsentFields, "§10 #3",
		`UpdateImage resets every attribute it was not sent to "" or 0`, "", "reset"}, "keep|reset", setUnsent},
	{Variant{"empty-string=ignore", KindReading, contract.AreaOverwrite, contract.PointEmptyString, "§10 #3",
		"UpdateImage treats a string attribute sent empty as not sent", "", "ignored"}, "clear|ignore", setEmptyString},
	{Variant{"update-missing=success", KindReading, contract.AreaOverwrite, contract.PointUpdateMissing, "§10 #2",
		"UpdateImage of an image that does not exist answers the success body and creates nothing", "", "success"}, "error|success", setUpdateMissing},
	{Variant{"length=utf16", KindReading, contract.AreaLength, contract.PointLengthUnit, "§10 #9",
		"every length limit counts UTF-16 code units (Java's String.length): a character outside the BMP counts twice", "", "utf16"}, "code-points|utf16", setLength},
	{Variant{"key-limit=512", KindReading, contract.AreaLength, contract.PointKeyLimit, "§9 #2",
		"ProductId and PicName may have up to 512 characters", "", "512"}, "256|512", setKeyLimit},
	{Variant{"metadata-codes=generic", KindReading, contract.AreaErrors, contract.PointMetadataCodes, "§2.4, §10 #6",
		"the refusals only the metadata lists (InvalidProductId, InvalidPicName, InvalidCustomContent) answer 400 BadRequest", "", "other-400"}, "listed|generic", setMetadataCodes},
	{Variant{"throttle-code=Throttling.User", KindReading, contract.AreaThrottling, contract.PointThrottleCode, "§1.10, §10 #7",
		"throttled calls (Detail included) answer the gateway's 400 Throttling.User instead of DeniedRequest", "", "400 Throttling.User"}, throttleCodes, setThrottleCode},
	{Variant{"throttle-code=Throttling.Api", KindReading, contract.AreaThrottling, contract.PointThrottleCode, "§1.10, §8.3, §10 #7",
		"throttled calls (Detail included) answer the gateway's 400 Throttling.Api instead of DeniedRequest", "", "400 Throttling.Api"}, throttleCodes, setThrottleCode},
	{Variant{"throttle-code=Throttling", KindReading, contract.AreaThrottling, contract.PointThrottleCode, "§1.10, §8.3, §10 #7",
		"throttled calls (Detail included) answer the gateway's 400 Throttling instead of DeniedRequest", "", "400 Throttling"}, throttleCodes, setThrottleCode},
	{Variant{"request-id=opaque", KindReading, contract.AreaErrors, contract.PointRequestIDForm, "§1.4",
		"RequestId (bodies and x-acs-request-id) is 32 lower-case hex digits instead of an upper-case UUID", "", "other"}, "uuid|opaque", setRequestID},

	// Freedoms: choices the documents leave to the implementation; the suite must pass and stay silent.
	{Variant{"missing-param=generic", KindFreedom, contract.AreaErrors, "", "§8.3, §10 #6",
		"a required parameter not sent answers 400 MissingParameter instead of Missing{Name}", "missing-parameter-code", "MissingParameter"}, "specific|generic", setMissingParam},
	{Variant{"throttle=fixed-window", KindFreedom, contract.AreaThrottling, "", "§1.10",
		"QPS limits count per wall-clock second instead of in any sliding second", "", ""}, "sliding|fixed-window|token-bucket", setThrottle},
	{Variant{"throttle=token-bucket", KindFreedom, contract.AreaThrottling, "", "§1.10",
		"QPS limits are token buckets of N tokens refilled at N per second", "", ""}, "sliding|fixed-window|token-bucket", setThrottle},
	{Variant{"latency=1ms-5ms", KindFreedom, contract.AreaThrottling, "", "§1.10",
		"every call waits a uniform random time in [MIN,MAX] before it is handled and again before it is answered", "", ""}, "MIN-MAX (e.g. 50ms-250ms) or 0", setLatency},
	{Variant{"index-lag=300ms", KindFreedom, contract.AreaRoundTrip, "", "§10 #11",
		"an image added by AddImage appears in search results only after the lag (CheckImageExists and updates are immediate)", "", ""}, "DURATION (e.g. 300ms) or 0", setIndexLag},
	{Variant{"head=documented", KindFreedom, contract.AreaRoundTrip, "", "§9 #16",
		"search Head follows the documents (DocsFound = returned, DocsReturn = total) instead of live captures", "head-returned-count", "DocsFound"}, "observed|documented", setHead},
	{Variant{"transient-5xx=0.03", KindFreedom, contract.AreaErrors, "", "§1.4",
		"that fraction of calls other than UpdateImage answer 503 ServiceUnavailable before the operation runs", "", ""}, "FRACTION in [0,1]", setTransient},
	{Variant{"extra-fields=on", KindFreedom, contract.AreaRoundTrip, "", "§1.4",
		`every JSON response carries an unknown field "EmulatorExtra" that clients must ignore`, "", ""}, "on|off", setExtraFields},

	// Mutants: contract violations the suite must catch.
	{Variant{"customcontent-limit-off-by-one", KindMutant, contract.AreaLength, "", "§2.1",
		"accepts CustomContent of 4,097 characters", "", ""}, "", mutant(func(b *behaviour) { b.setFieldLimit("CustomContent", contract.MaxCustomContent+1) })},
	{Variant{"strattr3-limit-off-by-one", KindMutant, contract.AreaLength, "", "§2.1",
		"accepts StrAttr3 of 129 characters", "", ""}, "", mutant(func(b *behaviour) { b.setFieldLimit("StrAttr3", contract.MaxStrAttr+1) })},
	{Variant{"key-over-512-accepted", KindMutant, contract.AreaLength, "", "§2.1, §9 #2",
		"accepts ProductId and PicName of 513 characters (every source refuses over 512)", "", ""}, "", mutant(func(b *behaviour) { b.keyLimit = contract.MaxKeyMetadata + 1 })},
	{Variant{"length-in-bytes", KindMutant, contract.AreaLength, "", "§2.1",
		"counts length limits in UTF-8 bytes instead of characters", "", ""}, "", mutant(func(b *behaviour) { b.lengthOf = func(s string) int { return len(s) } })},
	{Variant{"intattr-wraps", KindMutant, contract.AreaLength, "", "§2.1",
		"wraps IntAttr* values outside int32 silently instead of rejecting them", "", ""}, "", mutant(func(b *behaviour) { b.parseInt = wrapInt32 })},
	{Variant{"add-keeps-old-attributes", KindMutant, contract.AreaOverwrite, "", "§3",
		"AddImage on an existing key replaces the picture but keeps the old attributes", "", ""}, "", mutant(func(b *behaviour) { b.replace = replaceKeepAttributes })},
	{Variant{"add-first-write-wins", KindMutant, contract.AreaOverwrite, "", "§3",
		"AddImage on an existing key succeeds but keeps the first image", "", ""}, "", mutant(func(b *behaviour) { b.replace = replaceKeepFirst })},
	{Variant{"update-creates-missing", KindMutant, contract.AreaOverwrite, "", "§2.3",
		"UpdateImage creates the image when it does not exist", "", ""}, "", mutant(func(b *behaviour) { b.missingUpdate = missingCreate })},
	{Variant{"update-ignores-query-attrs", KindMutant, contract.AreaOverwrite, "", "§1.3",
		"UpdateImage ignores IntAttr3/4 and StrAttr3/4 (the query-placed fields)", "", ""}, "", mutant(func(b *behaviour) {
		b.updateIgnores = func(f contract.Field) bool { return f.UpdateWhere == contract.InQuery }
	})},
	{Variant{"update-picname-optional", KindMutant, contract.AreaOverwrite, "", "§9 #1",
		"intl-2025 UpdateImage accepts a request without PicName and updates the whole product", "", ""}, "", mutant(func(b *behaviour) {
		b.updateByProduct = func(contract.Profile) bool { return true }
	})},
	{Variant{"search-stale-attributes", KindMutant, contract.AreaRoundTrip, "", "§2.3",
		"searches return the attributes from before the last update", "", ""}, "", mutant(func(b *behaviour) { b.resultsSee = viewBeforeUpdate })},
	{Variant{"filter-ignores-update", KindMutant, contract.AreaRoundTrip, "", "§1.7",
		"filters evaluate the attributes from before the last update", "", ""}, "", mutant(func(b *behaviour) { b.filterSees = viewBeforeUpdate })},
	{Variant{"search-swaps-strattr2", KindMutant, contract.AreaRoundTrip, "", "§5.1",
		"search results carry StrAttr2's value in StrAttr", "", ""}, "", mutant(func(b *behaviour) { b.strAttrSlot = 1 })},
	{Variant{"no-throttling", KindMutant, contract.AreaThrottling, "", "§1.10",
		"never throttles", "", ""}, "", mutant(func(b *behaviour) { b.unthrottled = true })},
	{Variant{"throttled-update-applied", KindMutant, contract.AreaThrottling, "", "§1.10",
		"applies a throttled UpdateImage, then answers DeniedRequest", "", ""}, "", mutant(func(b *behaviour) {
		b.lateAdmission = map[string]bool{contract.OpUpdateImage: true}
	})},
	{Variant{"denied-wrong-status", KindMutant, contract.AreaThrottling, "", "§1.10, §2.4",
		"throttled data-plane calls answer DeniedRequest with HTTP 400 instead of 403", "", ""}, "", mutant(func(b *behaviour) {
		b.throttleErr = contract.Error{Status: 400, Code: contract.DeniedRequest.Code, Message: contract.DeniedRequest.Message}
	})},
	{Variant{"invalid-instance-404", KindMutant, contract.AreaErrors, "", "§2.4",
		"answers InvalidInstance with HTTP 404", "", ""}, "", rewrite(func(e contract.Error) contract.Error {
		if e.Code == contract.InvalidInstance.Code {
			e.Status = 404
		}
		return e
	})},
	{Variant{"wrong-code-strattr4", KindMutant, contract.AreaErrors, "", "§2.4",
		"reports an invalid StrAttr4 as InvalidStrAttr", "", ""}, "", rewrite(func(e contract.Error) contract.Error {
		if e.Code == contract.InvalidStrAttr4.Code {
			return contract.InvalidStrAttr
		}
		return e
	})},
	{Variant{"missing-request-id", KindMutant, contract.AreaErrors, "", "§1.4",
		"error bodies carry no RequestId", "", ""}, "", mutant(func(b *behaviour) { b.errorBody = withoutRequestID })},
	{Variant{"missing-message", KindMutant, contract.AreaErrors, "", "§1.4",
		"error bodies carry an empty Message", "", ""}, "", rewrite(func(e contract.Error) contract.Error { e.Message = ""; return e })},
	{Variant{"numeric-error-code", KindMutant, contract.AreaErrors, "", "§1.4",
		"error bodies carry a numeric Code", "", ""}, "", mutant(func(b *behaviour) { b.errorBody = withNumericCode })},
}

// choice is one value of an option and what it sets.
type choice struct {
	value string
	set   func(*behaviour)
}

// oneOf builds the apply function of an option with a fixed set of values.
func oneOf(choices ...choice) func(*behaviour, string) error {
	return func(b *behaviour, v string) error {
		for _, c := range choices {
			if c.value == v {
				c.set(b)
				return nil
			}
		}
		return fmt.Errorf("value %q is not allowed", v)
	}
}

// mutant builds the apply function of a mutant.
func mutant(set func(*behaviour)) func(*behaviour, string) error {
	return func(b *behaviour, _ string) error { set(b); return nil }
}

// rewrite builds the apply function of a mutant that changes errors as they are written.
func rewrite(f func(contract.Error) contract.Error) func(*behaviour, string) error {
	return mutant(func(b *behaviour) { b.errorRewrites = append(b.errorRewrites, f) })
}

var (
	setUnsent = oneOf(
		choice{"keep", func(b *behaviour) { b.unsent = unsentKeep }},
		choice{"reset", func(b *behaviour) { b.unsent = unsentReset }})
	setEmptyString = oneOf(
		choice{"clear", func(b *behaviour) { b.emptyString = emptyClears }},
		choice{"ignore", func(b *behaviour) { b.emptyString = emptyIgnored }})
	setUpdateMissing = oneOf(
		choice{"error", func(b *behaviour) { b.missingUpdate = missingError }},
		choice{"success", func(b *behaviour) { b.missingUpdate = missingSuccess }})
	setLength = oneOf(
		choice{"code-points", func(b *behaviour) { b.lengthOf = utf8.RuneCountInString }},
		choice{"utf16", func(b *behaviour) { b.lengthOf = utf16Length }})
	setKeyLimit = oneOf(
		choice{"256", func(b *behaviour) { b.keyLimit = contract.MaxKey }},
		choice{"512", func(b *behaviour) { b.keyLimit = contract.MaxKeyMetadata }})
	setMetadataCodes = oneOf(
		choice{"listed", func(*behaviour) {}},
		choice{"generic", func(b *behaviour) { b.errorRewrites = append(b.errorRewrites, genericMetadataCodes) }})
	setThrottleCode = oneOf(
		choice{"DeniedRequest", func(b *behaviour) {
			b.throttleErr, b.detailThrottleErr = contract.DeniedRequest, contract.DeniedRequestDetail
		}},
		gatewayThrottling(contract.ThrottlingUser),
		gatewayThrottling(throttlingApi),
		gatewayThrottling(contract.Throttling))
	setRequestID = oneOf(
		choice{"uuid", func(b *behaviour) { b.requestID = uuidRequestID }},
		choice{"opaque", func(b *behaviour) { b.requestID = opaqueRequestID }})
	setMissingParam = oneOf(
		choice{"specific", func(b *behaviour) { b.missing = contract.Missing }},
		choice{"generic", func(b *behaviour) { b.missing = contract.MissingParameter }})
	setHead = oneOf(
		choice{"observed", func(b *behaviour) { b.head = observedHead }},
		choice{"documented", func(b *behaviour) { b.head = documentedHead }})
	setExtraFields = oneOf(
		choice{"off", func(b *behaviour) { b.extraField = "" }},
		choice{"on", func(b *behaviour) { b.extraField = "EmulatorExtra" }})
)

// throttleCodes are the values of the throttle-code option: the codes of contract.ThrottlingAnswers.
var throttleCodes = func() string {
	var codes []string
	for _, e := range contract.ThrottlingAnswers {
		codes = append(codes, e.Code)
	}
	return strings.Join(codes, "|")
}()

// throttlingApi is the gateway's Throttling.Api with a Message: the reference lost that row's (ref §8.3),
// so the wording other Alibaba Cloud products publish for the code is the emulator's choice.
var throttlingApi = contract.Error{Status: contract.ThrottlingApi.Status, Code: contract.ThrottlingApi.Code,
	Message: "Request was denied due to api flow control."}

// gatewayThrottling is the throttle-code choice named by a gateway answer's code: every throttled call,
// Detail's included, gets that answer, since the gateway's tables give one status for every operation
// (ref §8.3).
func gatewayThrottling(e contract.Error) choice {
	return choice{e.Code, func(b *behaviour) { b.throttleErr, b.detailThrottleErr = e, e }}
}

func setThrottle(b *behaviour, v string) error {
	k, err := ratelimit.ParseKind(v)
	if err == nil {
		b.limiter = k
	}
	return err
}

// utf16Length counts UTF-16 code units, as Java's String.length does.
func utf16Length(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// wrapInt32 is the intattr-wraps violation: any int64 is accepted and silently truncated.
func wrapInt32(v string) (int32, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	return int32(n), err == nil
}

// opaqueRequestID is a RequestId of another form than the documented UUID: 32 lower-case hex digits.
func opaqueRequestID() string { return strings.ReplaceAll(uuid.NewString(), "-", "") }

// genericMetadataCodes answers the codes only the metadata lists with BadRequest (ref §2.4, §10 #6).
func genericMetadataCodes(e contract.Error) contract.Error {
	switch e.Code {
	case contract.InvalidProductId.Code, contract.InvalidPicName.Code, contract.InvalidCustomContent.Code:
		return contract.BadRequest
	}
	return e
}

func (b *behaviour) setFieldLimit(name string, n int) {
	if b.fieldLimit == nil {
		b.fieldLimit = map[string]int{}
	}
	b.fieldLimit[name] = n
}
