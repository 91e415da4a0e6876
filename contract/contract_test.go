package contract

import (
	"strings"
	"testing"
)

func TestUpdateImageErrorsMatchTheReferenceCounts(t *testing.T) {
	count := map[int]int{}
	seen := map[string]bool{}
	for _, e := range UpdateImageErrors {
		count[e.Status]++
		if seen[e.Code] {
			t.Errorf("code %s listed twice", e.Code)
		}
		seen[e.Code] = true
	}
	// ref §2.4: "41 × HTTP 400, 2 × 403, 10 × 500".
	if count[400] != 41 || count[403] != 2 || count[500] != 10 {
		t.Errorf("status counts = %v, want 41/2/10", count)
	}
}

func TestEveryCatalogedErrorIsWellFormed(t *testing.T) {
	for _, e := range Catalog {
		if e.Status < 400 || e.Status > 599 || e.Code == "" || e.Message == "" {
			t.Errorf("malformed error %+v", e)
		}
		if got, ok := Lookup(e.Code); !ok || got.Code != e.Code {
			t.Errorf("Lookup(%q) = %+v, %v", e.Code, got, ok)
		}
	}
}

func TestLiteralMessagesKeepVendorQuirks(t *testing.T) {
	// ref §2.4: the invisible U+200B and the "inavlid" typo are part of the literal messages.
	if !strings.HasPrefix(RequestTimeout.Message, "\u200b") {
		t.Error("RequestTimeout lost its leading zero-width space")
	}
	if !strings.Contains(InvalidStartParameterW.Message, "inavlid") {
		t.Error("InvalidStartParameter lost the vendor's typo")
	}
}

func TestProfiles(t *testing.T) {
	for in, want := range map[string]Profile{"": Intl2025, "intl-2025": Intl2025, "cn-2026": CN2026} {
		if got, err := ParseProfile(in); err != nil || got != want {
			t.Errorf("ParseProfile(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseProfile("cn-2025"); err == nil {
		t.Error("unknown profile accepted")
	}
	if !Intl2025.UpdatePicNameRequired() || CN2026.UpdatePicNameRequired() {
		t.Error("PicName requirement per profile is wrong (ref §9 #1)")
	}
	if AddImageLimit(100_000) != 1 || AddImageLimit(2_500_000) != 5 {
		t.Error("AddImage QPS by capacity is wrong (ref §1.10)")
	}
}

func TestFieldsFollowTheReferenceTable(t *testing.T) {
	if len(Fields) != 9 {
		t.Fatalf("%d fields, want 9 (ref §2.1)", len(Fields))
	}
	for _, f := range Fields {
		query := f.Name == "IntAttr3" || f.Name == "IntAttr4" || f.Name == "StrAttr3" || f.Name == "StrAttr4"
		if (f.UpdateWhere == InQuery) != query {
			t.Errorf("%s placement wrong (ref §1.3)", f.Name)
		}
		if f.Kind == KindString && f.MaxChars == 0 {
			t.Errorf("%s has no limit", f.Name)
		}
	}
}
