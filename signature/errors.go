package signature

import "net/http"

// Gateway error codes, HTTP statuses and messages. They follow the shared OpenAPI (POP) gateway
// tables in imagesearch-api.md §8.3 (sources [D-GW1], [D-GW2]) and the table in sdk-go-v1.md §2.
// Statuses differ between Alibaba's own tables; §8.3 / [D-GW1] is followed here.
const (
	// CodeIncompleteSignature reports a request whose signature pieces are missing or malformed.
	// Status 400 per [D-GW2].
	CodeIncompleteSignature = "IncompleteSignature"
	// CodeAccessKeyNotFound reports an AccessKeyId unknown to the credential store.
	CodeAccessKeyNotFound = "InvalidAccessKeyId.NotFound"
	// CodeSignatureDoesNotMatch reports a well-formed signature with the wrong value, or a V3 body
	// whose SHA-256 differs from x-acs-content-sha256.
	CodeSignatureDoesNotMatch = "SignatureDoesNotMatch"
	// CodeInvalidSignatureMethod reports an unsupported SignatureMethod (V1) or algorithm (V3).
	CodeInvalidSignatureMethod = "InvalidSignatureMethod"
	// CodeTimeStampFormat reports a Timestamp / x-acs-date that is not yyyy-MM-ddTHH:mm:ssZ.
	CodeTimeStampFormat = "InvalidTimeStamp.Format"
	// CodeTimeStampExpired reports a timestamp more than the replay window away from now.
	CodeTimeStampExpired = "InvalidTimeStamp.Expired"
	// CodeNonceUsed reports a signature nonce seen before within the replay window.
	CodeNonceUsed = "SignatureNonceUsed"
)

// Messages sent with the codes above (ref §8.3, [D-GW1]).
const (
	// MsgIncompleteSignature is not given by §8.3; it is the text the live gateway returned for
	// this code in public reports (fog/fog-aliyun#32, aliyun/openapi-core-ruby-sdk#32).
	MsgIncompleteSignature = "The request signature does not conform to Aliyun standards."
	// MsgAccessKeyNotFound is the §8.3 message of InvalidAccessKeyId.NotFound.
	MsgAccessKeyNotFound = "Specified access key is not found."
	// MsgSignatureDoesNotMatchPrefix is followed by the server's string to sign, the format the
	// v1 SDK parses to tell a wrong secret from an SDK bug (sdk-go-v1.md §2, issue #87).
	MsgSignatureDoesNotMatchPrefix = "Specified signature is not matched with our calculation. server string to sign is:"
	// MsgInvalidSignatureMethod is the §8.3 message of InvalidSignatureMethod.
	MsgInvalidSignatureMethod = "Specified signature method is not valid."
	// MsgTimeStampFormat is the §8.3 message of InvalidTimeStamp.Format.
	MsgTimeStampFormat = "Specified time stamp or date value is not well formatted."
	// MsgTimeStampExpired is the §8.3 message of InvalidTimeStamp.Expired.
	MsgTimeStampExpired = "Specified time stamp or date value is expired."
	// MsgNonceUsed is the §8.3 message of SignatureNonceUsed.
	MsgNonceUsed = "Specified signature nonce was used already."
)

// Error is a gateway-style rejection. Code, Message and Status are what the emulator sends to
// the client. Detail says which check failed, for logs only; it never contains a secret.
type Error struct {
	Code    string
	Message string
	Status  int
	Detail  string
}

// Error implements error.
func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

func incomplete(detail string) *Error {
	return &Error{Code: CodeIncompleteSignature, Message: MsgIncompleteSignature, Status: http.StatusBadRequest, Detail: detail}
}

func accessKeyNotFound() *Error {
	return &Error{Code: CodeAccessKeyNotFound, Message: MsgAccessKeyNotFound, Status: http.StatusNotFound}
}

// signatureMismatch echoes the server's string to sign. For V1 that is the documented gateway
// behaviour; for V3 the string to sign is only the algorithm and a hash, so nothing secret leaks.
func signatureMismatch(stringToSign, detail string) *Error {
	return &Error{Code: CodeSignatureDoesNotMatch, Message: MsgSignatureDoesNotMatchPrefix + stringToSign, Status: http.StatusBadRequest, Detail: detail}
}

func invalidSignatureMethod(detail string) *Error {
	return &Error{Code: CodeInvalidSignatureMethod, Message: MsgInvalidSignatureMethod, Status: http.StatusBadRequest, Detail: detail}
}

func timeStampFormat(detail string) *Error {
	return &Error{Code: CodeTimeStampFormat, Message: MsgTimeStampFormat, Status: http.StatusBadRequest, Detail: detail}
}

func timeStampExpired() *Error {
	return &Error{Code: CodeTimeStampExpired, Message: MsgTimeStampExpired, Status: http.StatusBadRequest}
}

func nonceUsed() *Error {
	return &Error{Code: CodeNonceUsed, Message: MsgNonceUsed, Status: http.StatusBadRequest}
}
