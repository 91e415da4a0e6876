package contract

import (
	"slices"
	"strconv"
	"strings"
)

// Footing says what an assertion of the conformance suite rests on.
type Footing string

// Footings. A documented violation fails a run; a reading that another allowed answer meets is a
// deviation, which fails only a strict run; a freedom is never asserted, only measured.
const (
	Documented Footing = "documented"
	Reading    Footing = "reading"
	Free       Footing = "free"
)

// Behaviour areas of the UpdateImage contract, shared by the suite's labels and the emulator's variants,
// so a report can say whether a variant broke only its own area.
const (
	AreaLength        = "length-limits"
	AreaOverwrite     = "overwrite"
	AreaRoundTrip     = "round-trip"
	AreaThrottling    = "throttling"
	AreaErrors        = "error-codes"
	AreaClientMapping = "client-mapping" // how the client surfaces injected errors: not the target's conformance
)

// OpenPoint is a point the sources leave open or dispute (ref §9, §10). The suite expects one answer;
// another allowed answer is a deviation, reported with the point's ref.
type OpenPoint struct {
	ID       string   // stable name, used in reports and by the emulator's readings
	Ref      string   // section of the contract reference
	Area     string   // the area of the one spec that reads it
	Question string   // what is open
	Expected string   // the suite's expected answer
	Allowed  []string // the other answers the sources allow
}

// Open point IDs.
const (
	PointUnsentFields  = "unsent-fields"
	PointEmptyString   = "empty-string"
	PointUpdateMissing = "update-missing"
	PointLengthUnit    = "length-unit"
	PointKeyLimit      = "key-limit"
	PointMetadataCodes = "metadata-codes"
	PointThrottleCode  = "throttle-code"
	PointRequestIDForm = "request-id-form"
)

// OpenPoints lists every reading the suite asserts, each in exactly one spec.
var OpenPoints = []OpenPoint{
	{PointUnsentFields, "§10 #3", AreaOverwrite, "an attribute an update does not send", "kept", []string{"reset"}},
	{PointEmptyString, "§10 #3", AreaOverwrite, "a string attribute sent as an empty string", "cleared", []string{"ignored"}},
	{PointUpdateMissing, "§10 #2", AreaOverwrite, "UpdateImage of an image that does not exist", "PicNotExist", []string{"success"}},
	{PointLengthUnit, "§10 #9", AreaLength, "the unit of the length limits for characters outside the BMP", "code-points", []string{"utf16"}},
	{PointKeyLimit, "§9 #2", AreaLength, "the longest ProductId and PicName accepted (257 to 512 characters)", "256", []string{"512"}},
	{PointMetadataCodes, "§2.4, §10 #6", AreaErrors, "the code of a refusal only the metadata lists (InvalidProductId, InvalidPicName, InvalidCustomContent)", "listed", []string{"other-400"}},
	// Any throttling answer and any mixture of them is allowed (ThrottleCodeObserved names them): live
	// traffic shows mixtures, since an open-source Go client of the live service lists DeniedRequest and
	// Throttling.User among the codes it was answered, and retries both.
	{PointThrottleCode, "§1.10, §10 #7", AreaThrottling, "the answer to a throttled call",
		ThrottleCodeObserved([]string{DeniedRequest.Code}), throttleCodeAllowed()},
	{PointRequestIDForm, "§1.4, §2.2", AreaErrors, "the form of the RequestId", "upper-case UUID", []string{"other"}},
}

// PointByID finds an open point.
func PointByID(id string) (OpenPoint, bool) {
	for _, p := range OpenPoints {
		if p.ID == id {
			return p, true
		}
	}
	return OpenPoint{}, false
}

// MaxKeyMetadata is the key limit of the English metadata (ref §9 #2); longer keys are refused by every
// source.
const MaxKeyMetadata = 512

// MetadataOnlyCodes are the refusal codes only the API metadata lists, not the seed's error table
// (ref §2.4, §10 #6): which code such a refusal carries is an open point (PointMetadataCodes); that it is
// a 400 refusal is documented.
var MetadataOnlyCodes = []string{InvalidProductId.Code, InvalidPicName.Code, InvalidCustomContent.Code}

// The gateway's flow-control answers (ref §1.10, §8.3). Image Search's own documents name none of them,
// but the gateway in front of every RPC product sends them, and darabonba-openapi raises a ThrottlingError
// for all three codes (ref §1.4).
var (
	// ThrottlingUser ([D-GW1]) is seen live beside DeniedRequest: an open-source Go client of the live
	// service lists and retries both.
	ThrottlingUser = Error{400, "Throttling.User", "Request was denied due to user flow control."}
	// ThrottlingApi has no Message: the reference lost the rest of its [D-GW1] row, so none is asserted.
	ThrottlingApi = Error{400, "Throttling.Api", ""}
	// Throttling is the generic table's answer ([D-GW2]).
	Throttling = Error{400, "Throttling", "Request was denied due to request throttling."}
)

// ThrottlingAnswers are the answers a target may give a throttled data-plane call, the expected one
// first: the instance's DeniedRequest (403, ref §1.10) and the gateway's three codes (400, ref §8.3).
// Which of them a real instance sends is open (ref §10 #7, PointThrottleCode); that a refused call gets
// one of them is documented. Detail's DeniedRequest is 400 (ref §9 #5): its code is the same.
var ThrottlingAnswers = []Error{DeniedRequest, ThrottlingUser, ThrottlingApi, Throttling}

// IsThrottling reports whether an error code is one of the throttling answers a target may give.
func IsThrottling(code string) bool {
	return slices.ContainsFunc(ThrottlingAnswers, func(e Error) bool { return e.Code == code })
}

// throttleAnswerSeparator joins the answers of a mixture.
const throttleAnswerSeparator = " + "

// ThrottleCodeObserved names the answers a target gave its throttled calls, as PointThrottleCode's
// observed value: "STATUS Code" of each distinct throttling answer among codes, in the order of
// ThrottlingAnswers, joined by " + " ("403 DeniedRequest", "403 DeniedRequest + 400 Throttling.User").
// The status is the table's: the spec checks each answer's status before it reads the point. A code that
// is no throttling answer is named as it is, after the others, so the name is no allowed answer.
func ThrottleCodeObserved(codes []string) string {
	var names []string
	for _, e := range ThrottlingAnswers {
		if slices.Contains(codes, e.Code) {
			names = append(names, strconv.Itoa(e.Status)+" "+e.Code)
		}
	}
	var other []string
	for _, c := range codes {
		if !IsThrottling(c) && !slices.Contains(other, c) {
			other = append(other, c)
		}
	}
	slices.Sort(other)
	return strings.Join(append(names, other...), throttleAnswerSeparator)
}

// throttleCodeAllowed lists PointThrottleCode's allowed answers: every non-empty set of throttling
// answers but the expected DeniedRequest alone, single answers first, each set named by
// ThrottleCodeObserved.
func throttleCodeAllowed() []string {
	var sets [][]string
	for mask := 1; mask < 1<<len(ThrottlingAnswers); mask++ {
		var codes []string
		for i, e := range ThrottlingAnswers {
			if mask&(1<<i) != 0 {
				codes = append(codes, e.Code)
			}
		}
		if !(len(codes) == 1 && codes[0] == DeniedRequest.Code) {
			sets = append(sets, codes)
		}
	}
	slices.SortStableFunc(sets, func(a, b []string) int { return len(a) - len(b) })
	out := make([]string, len(sets))
	for i, codes := range sets {
		out[i] = ThrottleCodeObserved(codes)
	}
	return out
}
