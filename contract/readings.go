package contract

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
	// Live traffic shows both answers: an open-source Go client of the live service lists DeniedRequest and
	// Throttling.User among the codes it was answered, and retries both; so "both" is allowed too.
	{PointThrottleCode, "§1.10, §10 #7", AreaThrottling, "the answer to a throttled call", "403 DeniedRequest", []string{"400 Throttling.User", "both"}},
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

// ThrottlingUser is the gateway's flow-control answer (ref §1.10, §8.3). Live traffic shows it beside
// DeniedRequest: an open-source Go client of the live service lists and retries both.
var ThrottlingUser = Error{400, "Throttling.User", "Request was denied due to user flow control."}

// MaxKeyMetadata is the key limit of the English metadata (ref §9 #2); longer keys are refused by every
// source.
const MaxKeyMetadata = 512

// IsThrottling reports whether an error code is one of the throttling answers a target may give.
func IsThrottling(code string) bool {
	return code == DeniedRequest.Code || code == ThrottlingUser.Code
}

// MetadataOnlyCodes are the refusal codes only the API metadata lists, not the seed's error table
// (ref §2.4, §10 #6): which code such a refusal carries is an open point (PointMetadataCodes); that it is
// a 400 refusal is documented.
var MetadataOnlyCodes = []string{InvalidProductId.Code, InvalidPicName.Code, InvalidCustomContent.Code}
