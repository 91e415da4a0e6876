package contract

import "net/http"

// Error is one documented error: the HTTP status, the string Code of the error body and its literal
// Message (vendor typos included, ref §8.1).
type Error struct {
	Status  int
	Code    string
	Message string
}

// Service errors of the UpdateImage family (ref §2.4, §8.1). Messages are literal.
var (
	BadRequest           = Error{400, "BadRequest", "The request has invalid parameters."}
	InstanceStatusError  = Error{400, "InstanceStatusError", "Your instance is unavailable."}
	InvalidInstance      = Error{400, "InvalidInstance", "The specified instance name is invalid."}
	NoCaretSeperator     = Error{400, "NoCaretSeperator", "The body content is missing the ^ separator."}
	EmptyMeta            = Error{400, "EmptyMeta", "The body content has an empty meta field."}
	InvalidMetaItem      = Error{400, "InvalidMetaItem", "The meta field is invalid."}
	NoPicList            = Error{400, "NoPicList", "The body content is missing the pic_list parameter."}
	InvalidPicList       = Error{400, "InvalidPicList", "The specified pic_list parameter is invalid."}
	NoSpecifiedPic       = Error{400, "NoSpecifiedPic", "The content of an image is not specified in the HTTP POST body."}
	NoSpecifiedSearchPic = Error{400, "NoSpecifiedSearchPic", "The search image is not specified."}
	InvalidCategory      = Error{400, "InvalidCategory", "The specified category is invalid."}
	OverflowMaxResultNum = Error{400, "OverflowMaxResultNum", "The specified number of total results exceeds the maximum of 500."}
	OverflowMaxReturnNum = Error{400, "OverflowMaxReturnNum", "The specified number of results for each request exceeds the maximum of 100."}
	// InvalidStartParameter and InvalidNumParameter carry the search operations' wording (ref §8.1); the
	// write operations list "s is inavlid" / "n is invalid" for codes they can never emit.
	InvalidStartParameter   = Error{400, "InvalidStartParameter", "The specified parameter start is inavlid."}
	InvalidNumParameter     = Error{400, "InvalidNumParameter", "The specified parameter num is invalid."}
	InvalidStartParameterW  = Error{400, "InvalidStartParameter", "The specified parameter s is inavlid."}
	InvalidNumParameterW    = Error{400, "InvalidNumParameter", "The specified parameter n is invalid."}
	NoSpecifiedAddPic       = Error{400, "NoSpecifiedAddPic", "The image to insert is not specified."}
	NoSpecifiedItemId       = Error{400, "NoSpecifiedItemId", "The item_id parameter is not specified."}
	InvalidIntAttr          = Error{400, "InvalidIntAttr", "The specified int_attr field is invalid."}
	InvalidIntAttr2         = Error{400, "InvalidIntAttr2", "The specified parameter IntAttr2 is not valid."}
	InvalidIntAttr3         = Error{400, "InvalidIntAttr3", "The specified parameter IntAttr3 is not valid."}
	InvalidIntAttr4         = Error{400, "InvalidIntAttr4", "The specified parameter IntAttr4 is not valid."}
	UnsupportedPicFormat    = Error{400, "UnsupportedPicFormat", "The specified image format is invalid."}
	InvalidFilterClause     = Error{400, "InvalidFilterClause", "The specified filtering condition is invalid."}
	InstanceOverQuota       = Error{400, "InstanceOverQuota", "The number of items exceeds the limit."}
	IncorrectOrientation    = Error{400, "IncorrectOrientation", "The image contains incorrect rotation flags in the meta data."}
	UnsupportedPicPixels    = Error{400, "UnsupportedPicPixels", "The specified pixels is not supported."}
	SearchTimeout           = Error{400, "SearchTimeout", "The request is timed out."}
	PicNotExist             = Error{400, "PicNotExist", "The search picture does not exist."}
	NoSpecifiedProductId    = Error{400, "NoSpecifiedProductId", "The parameter ProductId no specified."}
	NoSpecifiedProductIdDel = Error{400, "NoSpecifiedProductId", "You must specify ProductId."}
	NoSpecifiedPicName      = Error{400, "NoSpecifiedPicName", "The parameter PicName no specified."}
	NoSpecifiedPicContent   = Error{400, "NoSpecifiedPicContent", "The parameter PicContent no specified."}
	InvalidType             = Error{400, "InvalidType", "The specified parameter Type is not valid."}
	InvalidProductId        = Error{400, "InvalidProductId", "The specified parameter ProductId is not valid."}
	InvalidPicName          = Error{400, "InvalidPicName", "The specified parameter PicName is not valid."}
	InvalidStrAttr          = Error{400, "InvalidStrAttr", "The specified parameter StrAttr is not valid."}
	InvalidStrAttr2         = Error{400, "InvalidStrAttr2", "The specified parameter StrAttr2 is not valid."}
	InvalidStrAttr3         = Error{400, "InvalidStrAttr3", "The specified parameter StrAttr3 is not valid."}
	InvalidStrAttr4         = Error{400, "InvalidStrAttr4", "The specified parameter StrAttr4 is not valid."}
	InvalidCustomContent    = Error{400, "InvalidCustomContent", "The specified parameter CustomContent is not valid."}
	InvalidPicContent       = Error{400, "InvalidPicContent", "The specified parameter PicContent length greater than 4 * 1024 * 1024."}
	TimeoutForTransferImage = Error{400, "TimeoutForTransferImage", "Timeout after 5 seconds waiting for images transfer to complete."}
	// InvalidRegion: AddImage's wording ends with a period, the search operations' does not (ref §9 #15).
	InvalidRegion       = Error{400, "InvalidRegion", "The specific region is illegal."}
	InvalidRegionSearch = Error{400, "InvalidRegion", "The specific region is illegal"}

	NoPermission = Error{403, "NoPermission", "You are not authorized to perform this operation."}
	// DeniedRequest is the instance flow-control error: 403 on data-plane operations, 400 on Detail (ref §1.10, §9 #5).
	DeniedRequest       = Error{403, "DeniedRequest", "Your request was denied due to instance flow control."}
	DeniedRequestDetail = Error{400, "DeniedRequest", "Your request was denied due to instance flow control."}

	InternalError            = Error{500, "InternalError", "An internal server error occurred."}
	NetworkException         = Error{500, "NetworkException", "A network error occurred."}
	RequestTimeout           = Error{500, "RequestTimeout", "\u200bThe request is timeout."}
	UnsupportedInstanceType  = Error{500, "UnsupportedInstanceType", "The instance type is not supported."}
	UnsupportedOperationType = Error{500, "UnsupportedOperationType", "The specified action is not supported."}
	ExtractFeatureTimeout    = Error{500, "ExtractFeatureTimeout", "The request was timed out while extracting features."}
	AccessEngineFailed       = Error{500, "AccessEngineFailed", "An error occurred while accessing the search engine."}
	InternalOssError         = Error{500, "InternalOssError", "An internal OAS error occurred."}
	InternalSwiftError       = Error{500, "InternalSwiftError", "An internal SWIFT error occurred."}
	InternalTableStoreError  = Error{500, "InternalTableStoreError", "An internal Table Store error occurred."}
	UnknownException         = Error{500, "UnknownException", "An internal server error occurred."}

	// ConsoleInstanceNotFound is what the console-style operations (Detail) answer for an unknown instance (ref §1.9).
	ConsoleInstanceNotFound = Error{400, "Console.InstanceNotFound", "The specified ImageSearch instance is not found."}
)

// Gateway errors of the POP OpenAPI gateway in front of every RPC product (ref §8.3). Their statuses are
// "indicative" in the reference; the emulator uses the first table of §8.3 ([D-GW1]).
var (
	ApiNotFound            = Error{404, "InvalidApi.NotFound", "Specified api is not found, please check your url and method."}
	InvalidActionOrVersion = Error{400, "InvalidParameter", `The specified parameter "Action or Version" is not valid.`}
	AccessKeyNotFound      = Error{404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	TimeStampFormat        = Error{400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	TimeStampExpired       = Error{400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	SignatureNonceUsed     = Error{400, "SignatureNonceUsed", "Specified signature nonce was used already."}
	InvalidFormat          = Error{400, "InvalidParameter.Format", "Specified parameter format is not valid."}
	SignatureMethod        = Error{400, "InvalidSignatureMethod", "Specified signature method is not valid."}
	SignatureDoesNotMatch  = Error{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."}
	IncompleteSignature    = Error{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."}
	UnsupportedHTTPMethod  = Error{400, "UnsupportedHTTPMethod", "Specified http method is not supported."}
)

// Missing returns the gateway error for a required parameter that was not sent at all:
// `Missing{ParameterName}` 400 "`{ParameterName} is mandatory for this action.`" (ref §8.3).
func Missing(param string) Error {
	return Error{http.StatusBadRequest, "Missing" + param, param + " is mandatory for this action."}
}

// MissingParameter is the generic gateway answer some Alibaba Cloud gateways give for a required parameter
// not sent, instead of Missing{Name} (ref §8.3, [D-GW2]; which one a gateway gives is free, ref §10 #6).
func MissingParameter(param string) Error {
	return Error{http.StatusBadRequest, MissingParameterCode,
		`The input parameter "` + param + `" that is mandatory for processing this request is not supplied.`}
}

// MissingParameterCode is the Code of MissingParameter.
const MissingParameterCode = "MissingParameter"

// ServiceUnavailable is the gateway's temporary failure (ref §8.3): a 5xx a client may retry.
var ServiceUnavailable = Error{http.StatusServiceUnavailable, "ServiceUnavailable",
	"The request has failed due to a temporary failure of the server."}

// Catalog lists every Error defined in this package, for lookups by code (fault injection) and for tests
// that every code is well formed. Where one code has two wordings, the first listed wins a lookup.
var Catalog = []Error{
	BadRequest, InstanceStatusError, InvalidInstance, NoCaretSeperator, EmptyMeta, InvalidMetaItem, NoPicList,
	InvalidPicList, NoSpecifiedPic, NoSpecifiedSearchPic, InvalidCategory, OverflowMaxResultNum,
	OverflowMaxReturnNum, InvalidStartParameter, InvalidNumParameter, NoSpecifiedAddPic, NoSpecifiedItemId,
	InvalidIntAttr, InvalidIntAttr2, InvalidIntAttr3, InvalidIntAttr4, UnsupportedPicFormat, InvalidFilterClause,
	InstanceOverQuota, IncorrectOrientation, UnsupportedPicPixels, SearchTimeout, PicNotExist,
	NoSpecifiedProductId, NoSpecifiedPicName, NoSpecifiedPicContent, InvalidType, InvalidProductId,
	InvalidPicName, InvalidStrAttr, InvalidStrAttr2, InvalidStrAttr3, InvalidStrAttr4, InvalidCustomContent,
	InvalidPicContent, TimeoutForTransferImage, InvalidRegion, NoPermission, DeniedRequest, InternalError,
	NetworkException, RequestTimeout, UnsupportedInstanceType, UnsupportedOperationType, ExtractFeatureTimeout,
	AccessEngineFailed, InternalOssError, InternalSwiftError, InternalTableStoreError, UnknownException,
	ConsoleInstanceNotFound, ApiNotFound, InvalidActionOrVersion, AccessKeyNotFound, TimeStampFormat,
	TimeStampExpired, SignatureNonceUsed, InvalidFormat, SignatureMethod, SignatureDoesNotMatch,
	IncompleteSignature, UnsupportedHTTPMethod,
}

// Lookup finds a catalogued error by its Code.
func Lookup(code string) (Error, bool) {
	for _, e := range Catalog {
		if e.Code == code {
			return e, true
		}
	}
	return Error{}, false
}
