package generators

import (
	"fmt"

	"pgregory.net/rapid"
)

// OpKind names one operation of a model-based test.
type OpKind int

// The operation kinds.
const (
	// OpAdd adds (or replaces, ref §3) the image Key with the picture of Seed and Attrs.
	OpAdd OpKind = iota
	// OpUpdate updates the image Key with Attrs (ref §2.3).
	OpUpdate
	// OpUpdateProduct updates every image of Key.ProductID with Attrs, sending no PicName (ref §2.3;
	// documented only by the CN2026 profile).
	OpUpdateProduct
	// OpDelete deletes the image Key (ref §4).
	OpDelete
	// OpDeleteProduct deletes every image of Key.ProductID, sending no PicName (ref §4).
	OpDeleteProduct
	// OpSearch searches by the picture of Seed (ref §5.1).
	OpSearch
)

// OpKinds lists every kind in a stable order.
var OpKinds = []OpKind{OpAdd, OpUpdate, OpUpdateProduct, OpDelete, OpDeleteProduct, OpSearch}

// String returns a short stable name, usable in test names.
func (k OpKind) String() string {
	switch k {
	case OpAdd:
		return "add"
	case OpUpdate:
		return "update"
	case OpUpdateProduct:
		return "update-product"
	case OpDelete:
		return "delete"
	case OpDeleteProduct:
		return "delete-product"
	case OpSearch:
		return "search"
	}
	return fmt.Sprintf("OpKind(%d)", int(k))
}

// Op is one step of a replayable operation sequence. Fields a kind does not use are zero: Key is zero
// for OpSearch, Key.PicName is empty for the by-product kinds, Attrs is empty for deletes and searches,
// and Seed is zero except for OpAdd and OpSearch.
type Op struct {
	Kind  OpKind
	Key   Key
	Attrs Attrs
	Seed  int64
}

// String renders the step for test logs.
func (o Op) String() string {
	switch o.Kind {
	case OpAdd:
		return fmt.Sprintf("%v %v seed=%d %v", o.Kind, o.Key, o.Seed, o.Attrs)
	case OpUpdate, OpUpdateProduct:
		return fmt.Sprintf("%v %v %v", o.Kind, o.Key, o.Attrs)
	case OpSearch:
		return fmt.Sprintf("%v seed=%d", o.Kind, o.Seed)
	}
	return fmt.Sprintf("%v %v", o.Kind, o.Key)
}

// Ops returns sequences of 0..maxSteps operations on keys drawn from keys (e.g. one KeySpace draw). Adds
// carry no, some or all attributes; updates carry a ValidUpdate. A search uses the seed of an earlier
// add in the same sequence half of the time, so that it can find something. Ops panics if keys is
// empty or maxSteps < 0.
func Ops(keys []Key, maxSteps int) *rapid.Generator[[]Op] {
	if len(keys) == 0 || maxSteps < 0 {
		panic(fmt.Sprintf("generators: Ops over %d keys, at most %d steps", len(keys), maxSteps))
	}
	return rapid.Custom(func(t *rapid.T) []Op {
		n := rapid.IntRange(0, maxSteps).Draw(t, "steps")
		ops := make([]Op, 0, n)
		var seeds []int64
		for range n {
			o := drawOp(t, keys, seeds)
			if o.Kind == OpAdd {
				seeds = append(seeds, o.Seed)
			}
			ops = append(ops, o)
		}
		return ops
	})
}

// addAttrs returns the attributes of an add: none, some or all nine fields.
func addAttrs() *rapid.Generator[Attrs] {
	return rapid.OneOf(rapid.Just(Attrs{}), PartialAttrs(), FullAttrs())
}

// drawOp draws one operation; seeds are the pictures added so far.
func drawOp(t *rapid.T, keys []Key, seeds []int64) Op {
	o := Op{Kind: rapid.SampledFrom(OpKinds).Draw(t, "kind")}
	if o.Kind != OpSearch {
		o.Key = rapid.SampledFrom(keys).Draw(t, "key")
	}
	switch o.Kind {
	case OpAdd:
		o.Seed = rapid.Int64().Draw(t, "seed")
		o.Attrs = addAttrs().Draw(t, "attrs")
	case OpUpdate:
		o.Attrs = ValidUpdate().Draw(t, "attrs")
	case OpUpdateProduct:
		o.Key.PicName = ""
		o.Attrs = ValidUpdate().Draw(t, "attrs")
	case OpDeleteProduct:
		o.Key.PicName = ""
	case OpSearch:
		if len(seeds) > 0 && rapid.Bool().Draw(t, "known picture") {
			o.Seed = rapid.SampledFrom(seeds).Draw(t, "seed")
		} else {
			o.Seed = rapid.Int64().Draw(t, "seed")
		}
	}
	return o
}
