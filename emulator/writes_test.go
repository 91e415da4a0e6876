package emulator

import (
	"slices"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
)

// allAttrs are values for every updatable field, as alternating keys and values.
var allAttrs = []string{"CustomContent", "cc", "IntAttr", "1", "IntAttr2", "2", "IntAttr3", "3", "IntAttr4", "4",
	"StrAttr", "s1", "StrAttr2", "s2", "StrAttr3", "s3", "StrAttr4", "s4"}

// wantAttrs compares a CheckImageExists Auctions object with alternating keys and expected values.
func wantAttrs(t *testing.T, a map[string]any, kv ...string) {
	t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		got := a[kv[i]]
		if s, ok := got.(string); ok {
			if s != kv[i+1] {
				t.Errorf("%s = %q, want %q", kv[i], s, kv[i+1])
			}
			continue
		}
		if num(got) != kv[i+1] {
			t.Errorf("%s = %s, want %s", kv[i], num(got), kv[i+1])
		}
	}
}

// update sends UpdateImage for (product, pic) with the given fields.
func (e *env) update(product, pic string, kv ...string) reply {
	e.t.Helper()
	f := form("InstanceName", testInstance, "ProductId", product, "PicName", pic)
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return e.v1(contract.OpUpdateImage, f, nil)
}

// TestAddImageReplaces checks that AddImage on an existing key replaces the image and all its
// attributes: last write wins (ref §3).
func TestAddImageReplaces(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1, allAttrs...)
	e.add("P", "n", 2, "StrAttr", "second", "IntAttr", "9")
	ok, a := e.exists("P", "n")
	if !ok {
		t.Fatal("image gone after the second AddImage")
	}
	wantAttrs(t, a, "StrAttr", "second", "IntAttr", "9", "StrAttr2", "", "IntAttr2", "0", "CustomContent", "")
	r := e.v1(contract.OpDetail, form("InstanceName", testInstance), nil)
	if got := num(r.M["Instance"].(map[string]any)["TotalCount"]); got != "1" {
		t.Errorf("TotalCount %s after replacing, want 1", got)
	}
	// The picture was replaced too: the second picture is now the best match for itself.
	e.add("Q", "other", 1)
	s := e.v1(contract.OpSearchImageByPic, form("InstanceName", testInstance, "PicContent", picB64(2), "Num", "1"), nil)
	top := s.M["Auctions"].([]any)[0].(map[string]any)
	if top["ProductId"] != "P" {
		t.Errorf("search by the replacing picture found %v first", top["ProductId"])
	}
}

// TestUpdateImagePartial checks that UpdateImage changes only the fields it was sent, in the body or
// in the query, and that an empty string is a value that clears the field (ref §2.3).
func TestUpdateImagePartial(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1, allAttrs...)
	e.add("P", "other", 2, allAttrs...)

	wantOK(t, e.update("P", "n", "IntAttr2", "-20", "StrAttr", "new"))
	_, a := e.exists("P", "n")
	wantAttrs(t, a, "CustomContent", "cc", "IntAttr", "1", "IntAttr2", "-20", "IntAttr3", "3", "IntAttr4", "4",
		"StrAttr", "new", "StrAttr2", "s2", "StrAttr3", "s3", "StrAttr4", "s4", "ProductId", "P", "PicName", "n")

	// Query-placed fields (ref §1.3).
	r := e.v1(contract.OpUpdateImage, form("InstanceName", testInstance, "ProductId", "P", "PicName", "n"),
		form("IntAttr4", "44", "StrAttr3", "q3"))
	wantOK(t, r)
	_, a = e.exists("P", "n")
	wantAttrs(t, a, "IntAttr4", "44", "StrAttr3", "q3", "IntAttr3", "3", "StrAttr4", "s4")

	wantOK(t, e.update("P", "n", "StrAttr2", "", "CustomContent", ""))
	_, a = e.exists("P", "n")
	wantAttrs(t, a, "StrAttr2", "", "CustomContent", "", "StrAttr", "new")

	// An update with no field at all succeeds and changes nothing.
	wantOK(t, e.update("P", "n"))
	_, a = e.exists("P", "n")
	wantAttrs(t, a, "StrAttr", "new", "IntAttr2", "-20")

	// The sibling image of the same product is untouched.
	_, a = e.exists("P", "other")
	wantAttrs(t, a, "StrAttr", "s1", "IntAttr2", "2", "CustomContent", "cc")
}

// TestUpdateImageNeverCreates checks PicNotExist for a missing target and that nothing is created
// (ref §2.3, §2.4).
func TestUpdateImageNeverCreates(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1)
	for _, key := range [][2]string{{"P", "missing"}, {"Q", "n"}} {
		wantError(t, e.update(key[0], key[1], "IntAttr", "1"), contract.PicNotExist)
		if ok, _ := e.exists(key[0], key[1]); ok {
			t.Errorf("UpdateImage created %v", key)
		}
	}
}

// TestUpdateImageProfiles checks the disputed PicName rule (ref §9 #1): intl-2025 requires it
// (MissingPicName when absent, NoSpecifiedPicName when empty); cn-2026 updates the whole product.
func TestUpdateImageProfiles(t *testing.T) {
	t.Run("intl-2025", func(t *testing.T) {
		e := startEnv(t, Options{Profile: contract.Intl2025})
		e.add("P", "a", 1)
		r := e.v1(contract.OpUpdateImage, form("InstanceName", testInstance, "ProductId", "P", "IntAttr", "5"), nil)
		wantError(t, r, contract.Missing("PicName"))
		wantError(t, e.update("P", "", "IntAttr", "5"), contract.NoSpecifiedPicName)
		_, a := e.exists("P", "a")
		wantAttrs(t, a, "IntAttr", "0")
	})
	t.Run("cn-2026", func(t *testing.T) {
		e := startEnv(t, Options{Profile: contract.CN2026})
		e.add("P", "a", 1)
		e.add("P", "b", 2)
		e.add("Q", "c", 3)
		r := e.v1(contract.OpUpdateImage, form("InstanceName", testInstance, "ProductId", "P", "IntAttr", "5"), nil)
		wantOK(t, r)
		for _, k := range [][3]string{{"P", "a", "5"}, {"P", "b", "5"}, {"Q", "c", "0"}} {
			_, a := e.exists(k[0], k[1])
			wantAttrs(t, a, "IntAttr", k[2])
		}
		wantOK(t, e.update("P", "", "IntAttr", "6")) // sent empty: also by product
		_, a := e.exists("P", "b")
		wantAttrs(t, a, "IntAttr", "6")
		r = e.v1(contract.OpUpdateImage, form("InstanceName", testInstance, "ProductId", "none", "IntAttr", "5"), nil)
		wantError(t, r, contract.PicNotExist)
		wantError(t, e.update("P", "missing", "IntAttr", "7"), contract.PicNotExist)
	})
}

// TestWriteValidation checks the documented limits and their error codes (ref §2.1, §2.4, §3): lengths
// counted in characters, int32 bounds, AddImage's forbidden characters, empty keys.
func TestWriteValidation(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "n", 1)
	long := func(n int) string { return repeat("中", n) } // multi-byte: limits count characters
	cases := []struct {
		name string
		kv   []string
		want contract.Error // zero: accepted
	}{
		{"StrAttr 128 chars", []string{"StrAttr", long(128)}, contract.Error{}},
		{"StrAttr 129 chars", []string{"StrAttr", long(129)}, contract.InvalidStrAttr},
		{"StrAttr2 129 chars", []string{"StrAttr2", long(129)}, contract.InvalidStrAttr2},
		{"StrAttr3 129 chars", []string{"StrAttr3", long(129)}, contract.InvalidStrAttr3},
		{"StrAttr4 129 chars", []string{"StrAttr4", long(129)}, contract.InvalidStrAttr4},
		{"CustomContent 4096 chars", []string{"CustomContent", long(4096)}, contract.Error{}},
		{"CustomContent 4097 chars", []string{"CustomContent", long(4097)}, contract.InvalidCustomContent},
		{"IntAttr max int32", []string{"IntAttr", "2147483647"}, contract.Error{}},
		{"IntAttr min int32", []string{"IntAttr", "-2147483648"}, contract.Error{}},
		{"IntAttr above int32", []string{"IntAttr", "2147483648"}, contract.InvalidIntAttr},
		{"IntAttr2 not a number", []string{"IntAttr2", "abc"}, contract.InvalidIntAttr2},
		{"IntAttr3 fraction", []string{"IntAttr3", "1.5"}, contract.InvalidIntAttr3},
		{"IntAttr4 empty", []string{"IntAttr4", ""}, contract.InvalidIntAttr4},
		{"first violation in reference order", []string{"StrAttr", long(129), "IntAttr", "x"}, contract.InvalidIntAttr},
	}
	for _, tc := range cases {
		t.Run("update/"+tc.name, func(t *testing.T) {
			e := e.in(t)
			r := e.update("P", "n", tc.kv...)
			if tc.want.Code == "" {
				wantOK(t, r)
				return
			}
			wantError(t, r, tc.want)
		})
		t.Run("add/"+tc.name, func(t *testing.T) {
			e := e.in(t)
			r := e.v1(contract.OpAddImage, addForm("P", "n", 1, tc.kv...), nil)
			if tc.want.Code == "" {
				wantOK(t, r)
				return
			}
			wantError(t, r, tc.want)
		})
	}
	keys := []struct {
		name           string
		product, pic   string
		update, insert contract.Error
	}{
		{"ProductId 256 chars", long(256), "n", contract.PicNotExist, contract.Error{}},
		{"ProductId 257 chars", long(257), "n", contract.InvalidProductId, contract.InvalidProductId},
		{"PicName 257 chars", "P", long(257), contract.InvalidPicName, contract.InvalidPicName},
		{"ProductId empty", "", "n", contract.NoSpecifiedProductId, contract.NoSpecifiedProductId},
		{"PicName empty (add)", "P", "", contract.NoSpecifiedPicName, contract.NoSpecifiedPicName},
	}
	for _, tc := range keys {
		t.Run("keys/"+tc.name, func(t *testing.T) {
			e := e.in(t)
			wantError(t, e.update(tc.product, tc.pic, "IntAttr", "1"), tc.update)
			r := e.v1(contract.OpAddImage, addForm(tc.product, tc.pic, 1), nil)
			if tc.insert.Code == "" {
				wantOK(t, r)
				return
			}
			wantError(t, r, tc.insert)
		})
	}
	// AddImage forbids \ ¥ $ & % in StrAttr*; UpdateImage's page does not (ref §3, §10 #10).
	for _, ch := range []string{`\`, "¥", "$", "&", "%"} {
		t.Run("forbidden "+ch, func(t *testing.T) {
			e := e.in(t)
			wantError(t, e.v1(contract.OpAddImage, addForm("P", "n", 1, "StrAttr3", "a"+ch+"b"), nil), contract.InvalidStrAttr3)
			wantOK(t, e.update("P", "n", "StrAttr3", "a"+ch+"b"))
			_, a := e.exists("P", "n")
			wantAttrs(t, a, "StrAttr3", "a"+ch+"b")
		})
	}
}

// TestDeleteImage checks the three ways to delete and the PicNames reported (ref §4).
func TestDeleteImage(t *testing.T) {
	e := startEnv(t, Options{})
	del := func(kv ...string) reply {
		t.Helper()
		return e.v1(contract.OpDeleteImage, form(append([]string{"InstanceName", testInstance}, kv...)...), nil)
	}
	names := func(r reply) []string {
		t.Helper()
		wantOK(t, r)
		checkShape(t, "DeleteImage", r.M, deleteShape)
		var out []string
		for _, n := range r.M["Data"].(map[string]any)["PicNames"].([]any) {
			out = append(out, n.(string))
		}
		slices.Sort(out)
		return out
	}
	e.add("P", "a", 1, "IntAttr", "1", "StrAttr", "x")
	e.add("P", "b", 2, "IntAttr", "2", "StrAttr", "y")
	e.add("Q", "c", 3, "IntAttr", "3", "StrAttr", "x")
	e.add("R", "d", 4, "IntAttr", "4", "StrAttr", "z")

	if got := names(del("ProductId", "P", "PicName", "a")); !slices.Equal(got, []string{"a"}) {
		t.Errorf("by key: %v", got)
	}
	if got := names(del("ProductId", "P", "PicName", "a")); len(got) != 0 {
		t.Errorf("deleting a missing image must succeed with no names, got %v", got)
	}
	if got := names(del("IsDeleteByFilter", "true", "Filter", `str_attr="x" OR int_attr>=4`)); !slices.Equal(got, []string{"c", "d"}) {
		t.Errorf("by filter: %v", got)
	}
	if got := names(del("ProductId", "P")); !slices.Equal(got, []string{"b"}) {
		t.Errorf("by product: %v", got)
	}
	r := e.v1(contract.OpDetail, form("InstanceName", testInstance), nil)
	if n := num(r.M["Instance"].(map[string]any)["TotalCount"]); n != "0" {
		t.Errorf("TotalCount %s after deleting everything", n)
	}

	wantError(t, del(), contract.NoSpecifiedProductIdDel)
	wantError(t, del("IsDeleteByFilter", "false"), contract.NoSpecifiedProductIdDel)
	wantError(t, del("IsDeleteByFilter", "true"), contract.InvalidFilterClause)
	wantError(t, del("IsDeleteByFilter", "true", "Filter", "int_attr >>> 1"), contract.InvalidFilterClause)
	wantError(t, del("IsDeleteByFilter", "true", "Filter", "int_attr="+repeat("1", contract.MaxFilter)), contract.InvalidFilterClause)
	wantError(t, del("IsDeleteByFilter", "maybe", "ProductId", "P"), contract.BadRequest)
}

// TestUnknownInstance checks InvalidInstance for the data-plane operations and the console-style
// error for Detail (ref §1.9).
func TestUnknownInstance(t *testing.T) {
	e := startEnv(t, Options{})
	key := form("InstanceName", "nosuch", "ProductId", "p", "PicName", "n")
	for action, f := range map[string]map[string][]string{
		contract.OpAddImage:          with2(addForm("p", "n", 1), "InstanceName", "nosuch"),
		contract.OpUpdateImage:       key,
		contract.OpDeleteImage:       key,
		contract.OpSearchImageByPic:  form("InstanceName", "nosuch", "PicContent", picB64(1)),
		contract.OpSearchImageByName: key,
		contract.OpCheckImageExists:  key,
	} {
		t.Run(action, func(t *testing.T) { wantError(t, e.in(t).v1(action, f, nil), contract.InvalidInstance) })
	}
	wantError(t, e.v1(contract.OpDetail, form("InstanceName", "nosuch"), nil), contract.ConsoleInstanceNotFound)
}

// TestInstanceOverQuota checks that AddImage of a new key on a full instance fails with
// InstanceOverQuota, while replacing an existing key still succeeds (ref §1.9).
func TestInstanceOverQuota(t *testing.T) {
	e := startEnv(t, Options{Instances: []Instance{{Name: testInstance, Capacity: 2, Unlimited: true}}})
	e.add("P", "a", 1)
	e.add("P", "b", 2)
	wantError(t, e.v1(contract.OpAddImage, addForm("P", "c", 3), nil), contract.InstanceOverQuota)
	if ok, _ := e.exists("P", "c"); ok {
		t.Error("the refused image was stored")
	}
	e.add("P", "a", 3, "StrAttr", "replaced")
	wantOK(t, e.v1(contract.OpDeleteImage, form("InstanceName", testInstance, "ProductId", "P", "PicName", "b"), nil))
	e.add("P", "c", 3)
}
