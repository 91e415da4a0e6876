package generators

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// checkOp fails t unless o is a well-formed step over keys.
func checkOp(t *rapid.T, o Op, keys []Key) {
	switch o.Kind {
	case OpAdd, OpUpdate, OpDelete:
		if !slices.Contains(keys, o.Key) {
			t.Fatalf("%v: key outside the key space", o)
		}
	case OpUpdateProduct, OpDeleteProduct:
		if o.Key.PicName != "" || !slices.ContainsFunc(keys, func(k Key) bool { return k.ProductID == o.Key.ProductID }) {
			t.Fatalf("%v: not a product of the key space", o)
		}
	case OpSearch:
		if o.Key != (Key{}) {
			t.Fatalf("%v: a search has no key", o)
		}
	default:
		t.Fatalf("unknown kind in %v", o)
	}
	updates := o.Kind == OpUpdate || o.Kind == OpUpdateProduct
	if updates && o.Attrs.Len() == 0 || !updates && o.Kind != OpAdd && o.Attrs.Len() != 0 {
		t.Fatalf("%v: wrong attributes for the kind", o)
	}
	if o.Kind != OpAdd && o.Kind != OpSearch && o.Seed != 0 {
		t.Fatalf("%v: seed on a kind without a picture", o)
	}
	checkValid(t, o.Attrs)
}

func TestOpsAreWellFormed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		keys := KeySpace(rapid.IntRange(1, 4).Draw(t, "n")).Draw(t, "keys")
		maxSteps := rapid.IntRange(0, 15).Draw(t, "max")
		ops := Ops(keys, maxSteps).Draw(t, "ops")
		if len(ops) > maxSteps {
			t.Fatalf("%d steps, max %d", len(ops), maxSteps)
		}
		for _, o := range ops {
			checkOp(t, o, keys)
		}
	})
}

func TestOpsCoverEveryKindAndFindAddedPictures(t *testing.T) {
	keys := []Key{{"p1", "a"}, {"p1", "b"}, {"p2", "a"}}
	kinds := map[OpKind]bool{}
	searchesAdded := false
	for _, ops := range examples(Ops(keys, 20), 60) {
		var added []int64
		for _, o := range ops {
			kinds[o.Kind] = true
			if o.Kind == OpAdd {
				added = append(added, o.Seed)
			}
			searchesAdded = searchesAdded || o.Kind == OpSearch && slices.Contains(added, o.Seed)
		}
	}
	for _, k := range OpKinds {
		if !kinds[k] {
			t.Errorf("kind %v never drawn", k)
		}
	}
	if !searchesAdded {
		t.Error("no search ever looked for an added picture")
	}
	mustPanic(t, "no keys", func() { Ops(nil, 3) })
	mustPanic(t, "negative max", func() { Ops(keys, -1) })
}

func TestOpString(t *testing.T) {
	tests := []struct {
		op   Op
		want string
	}{
		{Op{Kind: OpAdd, Key: Key{"p", "a"}, Seed: 7}, `add "p"/"a" seed=7 {}`},
		{Op{Kind: OpUpdateProduct, Key: Key{ProductID: "p"}, Attrs: Attrs{Int: [4]*int64{new(int64(3))}}},
			`update-product "p" {IntAttr=3}`},
		{Op{Kind: OpDelete, Key: Key{"p", "a"}}, `delete "p"/"a"`},
		{Op{Kind: OpSearch, Seed: -2}, `search seed=-2`},
	}
	for _, tt := range tests {
		if got := tt.op.String(); got != tt.want {
			t.Errorf("String = %s, want %s", got, tt.want)
		}
	}
	names := map[string]bool{}
	for _, k := range OpKinds {
		names[k.String()] = true
	}
	if len(names) != len(OpKinds) || !strings.HasPrefix(OpKind(9).String(), "OpKind(") {
		t.Errorf("kind names %v", names)
	}
}
