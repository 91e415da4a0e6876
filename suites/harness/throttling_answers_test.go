package harness

import (
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// TestEveryThrottlingAnswerBacksOff checks that every throttling answer the reference names (ref §1.10,
// §8.3; written out here, not taken from contract.ThrottlingAnswers, so a code dropped from the table
// fails) is retried by Retry, counted as refused in the call log and matched by HaveCode with its status,
// and that an answer outside them is none of these.
func TestEveryThrottlingAnswerBacksOff(t *testing.T) {
	for _, e := range []contract.Error{{Status: 403, Code: "DeniedRequest"}, {Status: 400, Code: "Throttling.User"},
		{Status: 400, Code: "Throttling.Api"}, {Status: 400, Code: "Throttling"}} {
		err := &imagesearch.APIError{HTTPStatus: e.Status, Code: e.Code, Message: e.Message}
		if !Transient(err) {
			t.Errorf("%d %s is not transient: Retry would not back off", e.Status, e.Code)
		}
		if !(CallRecord{Status: e.Status, Code: e.Code}).refused() {
			t.Errorf("%d %s is not a refused call in the call log", e.Status, e.Code)
		}
		if ok, _ := HaveCode(e).Match(err); !ok {
			t.Errorf("HaveCode(%s) does not match its own answer", e.Code)
		}
	}
	other := &imagesearch.APIError{HTTPStatus: 400, Code: contract.InvalidActionOrVersion.Code}
	if Transient(other) || (CallRecord{Status: 400, Code: other.Code}).refused() {
		t.Errorf("400 %s counts as throttling", other.Code)
	}
}
