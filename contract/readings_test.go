package contract

import (
	"slices"
	"testing"
)

// TestThrottlingAnswersFollowTheReference pins the table against §1.10 and §8.3: statuses, codes and the
// literal messages the reference gives.
func TestThrottlingAnswersFollowTheReference(t *testing.T) {
	want := []Error{
		{403, "DeniedRequest", "Your request was denied due to instance flow control."},
		{400, "Throttling.User", "Request was denied due to user flow control."},
		{400, "Throttling.Api", ""}, // ref §8.3: the row's message was not available
		{400, "Throttling", "Request was denied due to request throttling."},
	}
	if !slices.Equal(ThrottlingAnswers, want) {
		t.Errorf("ThrottlingAnswers = %+v, want %+v", ThrottlingAnswers, want)
	}
}

func TestIsThrottling(t *testing.T) {
	for _, e := range ThrottlingAnswers {
		if !IsThrottling(e.Code) {
			t.Errorf("IsThrottling(%q) = false", e.Code)
		}
	}
	for _, code := range []string{"", InternalError.Code, InvalidActionOrVersion.Code, "Throttling.System", "throttling", BadRequest.Code} {
		if IsThrottling(code) {
			t.Errorf("IsThrottling(%q) = true", code)
		}
	}
}

func TestThrottleCodeObserved(t *testing.T) {
	for _, tc := range []struct {
		codes []string
		want  string
	}{
		{[]string{"DeniedRequest", "DeniedRequest"}, "403 DeniedRequest"},
		{[]string{"Throttling.User"}, "400 Throttling.User"},
		{[]string{"Throttling.Api"}, "400 Throttling.Api"},
		{[]string{"Throttling"}, "400 Throttling"},
		{[]string{"Throttling.User", "DeniedRequest"}, "403 DeniedRequest + 400 Throttling.User"},
		{[]string{"Throttling", "Throttling.Api", "Throttling"}, "400 Throttling.Api + 400 Throttling"},
		{[]string{"InternalError", "DeniedRequest", "BadRequest", "InternalError"}, "403 DeniedRequest + BadRequest + InternalError"},
	} {
		if got := ThrottleCodeObserved(tc.codes); got != tc.want {
			t.Errorf("ThrottleCodeObserved(%q) = %q, want %q", tc.codes, got, tc.want)
		}
	}
}

// TestThrottleCodePoint checks the reading's answers: DeniedRequest alone expected, every other set of
// throttling answers allowed, and nothing that names a code outside the table.
func TestThrottleCodePoint(t *testing.T) {
	p, ok := PointByID(PointThrottleCode)
	if !ok {
		t.Fatal("no throttle-code point")
	}
	if p.Expected != "403 DeniedRequest" {
		t.Errorf("expected %q", p.Expected)
	}
	if n := 1<<len(ThrottlingAnswers) - 2; len(p.Allowed) != n {
		t.Errorf("%d allowed answers, want %d: %q", len(p.Allowed), n, p.Allowed)
	}
	for _, a := range []string{"400 Throttling.User", "400 Throttling.Api", "400 Throttling",
		"403 DeniedRequest + 400 Throttling.User", "403 DeniedRequest + 400 Throttling.User + 400 Throttling.Api + 400 Throttling"} {
		if !slices.Contains(p.Allowed, a) {
			t.Errorf("%q not allowed: %q", a, p.Allowed)
		}
	}
	for _, a := range []string{p.Expected, "both", "403 DeniedRequest + InternalError", ThrottleCodeObserved([]string{"BadRequest"})} {
		if slices.Contains(p.Allowed, a) {
			t.Errorf("%q allowed", a)
		}
	}
	if p.Allowed[0] != "400 Throttling.User" {
		t.Errorf("first allowed answer %q: single answers come first", p.Allowed[0])
	}
}
