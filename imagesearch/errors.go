package imagesearch

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
)

// CodeNonStringCode is the APIError Code used when a non-2xx body carries a
// field (Code, Message, RequestId, HostId or Recommend) that is not a JSON
// string. The v1 SDK panics on such a body (sdk-go-v1.md §3, §6.6); the client
// recovers and reports it with this code, so a misbehaving service shows up
// as a test failure rather than a crash.
const CodeNonStringCode = "NonStringCode"

// APIError is the single error type for answers the service gave: any non-2xx
// status, and a 2xx body with Success:false or a non-zero Code (then Code is
// the decimal integer and HTTPStatus the 2xx status).
type APIError struct {
	Action     string
	HTTPStatus int
	Code       string
	Message    string
	RequestId  string
	HostId     string
	// Recommend is the SDK's value: for SignatureDoesNotMatch and
	// IncompleteSignature the SDK replaces the body's Recommend with its own
	// hint (sdk-go-v1.md §2); Body keeps the original.
	Recommend string
	Body      []byte
}

// Error includes the action, status, code, message and RequestId. The text
// goes through Redact, because a SignatureDoesNotMatch message echoes the
// server's string to sign (with AccessKeyId and SignatureNonce).
func (e *APIError) Error() string {
	return Redact(fmt.Sprintf("imagesearch %s: HTTP %d %s: %s (RequestId %q)",
		e.Action, e.HTTPStatus, e.Code, e.Message, e.RequestId))
}

// fromServerError converts the SDK's non-2xx error.
func fromServerError(action string, se *sdkerrors.ServerError, body []byte) *APIError {
	return &APIError{
		Action:     action,
		HTTPStatus: se.HttpStatus(),
		Code:       se.ErrorCode(),
		Message:    se.Message(),
		RequestId:  se.RequestId(),
		HostId:     se.HostId(),
		Recommend:  se.Recommend(),
		Body:       body,
	}
}

// errorBodyKeys are the top-level keys the SDK asserts to be strings.
var errorBodyKeys = []string{"Code", "Message", "RequestId", "HostId", "Recommend"}

// fromNonStringBody builds the APIError for a non-2xx body that made the SDK
// panic. String-typed fields are kept; the Message names the offending
// fields and their raw JSON so the report is self-explanatory.
func fromNonStringBody(action string, status int, body []byte, panicValue any) *APIError {
	e := &APIError{Action: action, HTTPStatus: status, Code: CodeNonStringCode, Body: body}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		e.Message = fmt.Sprintf("SDK panicked on the error body: %v", panicValue)
		return e
	}
	var bad []string
	for _, k := range errorBodyKeys {
		raw, ok := m[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			bad = append(bad, fmt.Sprintf("%s=%s", k, raw))
			continue
		}
		switch k {
		case "RequestId":
			e.RequestId = s
		case "HostId":
			e.HostId = s
		case "Recommend":
			e.Recommend = s
		}
	}
	slices.Sort(bad)
	e.Message = "error body has non-string fields: " + strings.Join(bad, ", ")
	return e
}

// fromFailedBody builds the APIError for a 2xx body reporting failure.
func fromFailedBody(action string, status int, body []byte, env envelope) *APIError {
	code := env.code
	if code == "" {
		code = "0" // Success:false with no (numeric) Code
	}
	return &APIError{
		Action: action, HTTPStatus: status, Code: code,
		Message: env.message, RequestId: env.requestID, Body: body,
	}
}

// transportError wraps a failure that produced no HTTP answer. Its text is
// redacted; Unwrap exposes the cause (a *url.Error whose URL is redacted when
// the SDK returned one) so errors.Is(err, context.Canceled) and net.Error
// timeout checks keep working.
type transportError struct {
	action string
	cause  error
}

func (e *transportError) Error() string {
	return Redact(fmt.Sprintf("imagesearch %s: transport: %v", e.action, e.cause))
}

func (e *transportError) Unwrap() error { return e.cause }

// newTransportError masks the URL of a *url.Error (the SDK puts the full
// signed URL into it, sdk-go-v1.md §3) before wrapping.
func newTransportError(action string, err error) error {
	if ue, ok := err.(*url.Error); ok {
		err = &url.Error{Op: ue.Op, URL: Redact(ue.URL), Err: ue.Err}
	}
	return &transportError{action: action, cause: err}
}
