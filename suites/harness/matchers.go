package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// requestIDPattern is the shape of the RequestId in every vendor example: an upper-case UUID (ref §2.2). The
// documents only show it, so the suite reads it as an open point (contract.PointRequestIDForm); everything
// else only requires a non-empty string.
var requestIDPattern = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)

// HaveContractError succeeds when err is an *imagesearch.APIError with want's HTTP status, Code and literal
// Message, a RequestId, and a flat JSON body whose Code and Message are strings (ref §1.4).
func HaveContractError(want contract.Error) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(err error) (bool, error) {
		ae, ok := asAPIError(err)
		if !ok {
			return false, fmt.Errorf("expected an API error, got %T: %v", err, err)
		}
		return ae.HTTPStatus == want.Status && ae.Code == want.Code && ae.Message == want.Message &&
			ae.RequestId != "" && errorBodyShapeOK(ae.Body) == nil, nil
	}).WithTemplate("Expected\n{{.FormattedActual}}\n{{.To}} be HTTP {{.Data.Status}} {{.Data.Code}} with message {{printf \"%q\" .Data.Message}}, a RequestId and a flat JSON body with string Code and Message", want)
}

// HaveCode succeeds when err is an API error with want's HTTP status and Code. Specs outside the error-code
// area use it: the literal message and the envelope are the error-code specs' to check, so a broken envelope
// fails those specs only (one behaviour, one spec).
func HaveCode(want contract.Error) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(err error) (bool, error) {
		ae, ok := asAPIError(err)
		if !ok {
			return false, fmt.Errorf("expected an API error, got %T: %v", err, err)
		}
		return ae.HTTPStatus == want.Status && ae.Code == want.Code, nil
	}).WithTemplate("Expected\n{{.FormattedActual}}\n{{.To}} be HTTP {{.Data.Status}} {{.Data.Code}}", want)
}

// HaveStatusAndCode succeeds when err is an API error with the status and one of the codes: used where the
// reference leaves the exact code open (ref §10) and every reading must pass.
func HaveStatusAndCode(status int, codes ...string) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(err error) (bool, error) {
		ae, ok := asAPIError(err)
		if !ok {
			return false, fmt.Errorf("expected an API error, got %T: %v", err, err)
		}
		if ae.HTTPStatus != status {
			return false, nil
		}
		for _, c := range codes {
			if ae.Code == c {
				return true, nil
			}
		}
		return false, nil
	}).WithTemplate("Expected\n{{.FormattedActual}}\n{{.To}} have HTTP status {{index .Data 0}} and a code in {{index .Data 1}}", []any{status, codes})
}

// HaveStatus succeeds when err is an API error with the HTTP status, whatever its code: used where only the
// refusal is documented and its code is an open point.
func HaveStatus(status int) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(err error) (bool, error) {
		ae, ok := asAPIError(err)
		if !ok {
			return false, fmt.Errorf("expected an API error, got %T: %v", err, err)
		}
		return ae.HTTPStatus == status, nil
	}).WithTemplate("Expected\n{{.FormattedActual}}\n{{.To}} be an HTTP {{.Data}} refusal", status)
}

// BeSuccess succeeds on a nil error and reports the API error's RequestId otherwise.
func BeSuccess() types.GomegaMatcher {
	return gcustom.MakeMatcher(func(err error) (bool, error) { return err == nil, nil }).
		WithTemplate("Expected the call to succeed, got\n{{.FormattedActual}}")
}

// errorBodyShapeOK checks the error envelope of ref §1.4: RequestId, HostId, Code and Message present and
// strings, RequestId not empty.
func errorBodyShapeOK(body []byte) error {
	m, err := imagesearch.DecodeMap(body)
	if err != nil {
		return fmt.Errorf("error body is not a JSON object: %w", err)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message"} {
		if _, ok := m[k].(string); !ok {
			return fmt.Errorf("error body field %s is %T, want a string (body %s)", k, m[k], body)
		}
	}
	if m["RequestId"].(string) == "" {
		return fmt.Errorf("error body RequestId is empty (body %s)", body)
	}
	return nil
}

// IsUUIDRequestID reports whether a RequestId has the upper-case UUID form of the vendor's examples.
func IsUUIDRequestID(id string) bool { return requestIDPattern.MatchString(id) }

// SuccessBodyShape checks a write operation's success envelope (ref §1.4, §2.2): integer Code 0, Success
// true, a string Message (msgKey "Message") or Msg (searches), and a non-empty RequestId.
func SuccessBodyShape(raw []byte, msgKey string) error {
	m, err := imagesearch.DecodeMap(raw)
	if err != nil {
		return fmt.Errorf("success body is not a JSON object: %w", err)
	}
	if !isIntegerZero(m["Code"]) {
		return fmt.Errorf("success body Code is %v (%T), want the integer 0", m["Code"], m["Code"])
	}
	if s, ok := m["Success"].(bool); !ok || !s {
		return fmt.Errorf("success body Success is %v, want true", m["Success"])
	}
	if _, ok := m[msgKey].(string); !ok {
		return fmt.Errorf("success body has no string %s", msgKey)
	}
	if id, _ := m["RequestId"].(string); id == "" {
		return fmt.Errorf("success body has no RequestId")
	}
	return nil
}

// isIntegerZero accepts the JSON number 0 however the decoder represents it, and nothing else (a string
// "0" is a contract violation: success bodies carry an integer Code, ref §1.4).
func isIntegerZero(v any) bool {
	switch n := v.(type) {
	case json.Number:
		return n.String() == "0"
	case float64:
		return n == 0
	}
	return false
}

func asAPIError(err error) (*imagesearch.APIError, bool) {
	var ae *imagesearch.APIError
	ok := errors.As(err, &ae)
	return ae, ok
}
