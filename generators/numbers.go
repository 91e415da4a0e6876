package generators

import (
	"math"

	"pgregory.net/rapid"
)

// Values for IntAttr* (ref §2.1: int32), in range and out of it.

// Int32Edges are the int32 values most likely to expose an off-by-one or a sign error.
var Int32Edges = []int32{math.MinInt32, math.MinInt32 + 1, -1, 0, 1, math.MaxInt32 - 1, math.MaxInt32}

// Int32Edge returns int32 values: half of the draws are one of Int32Edges, half any int32.
func Int32Edge() *rapid.Generator[int32] {
	return rapid.OneOf(rapid.SampledFrom(Int32Edges), rapid.Int32())
}

// OutOfInt32Edges are the int64 values just and far outside the int32 range.
var OutOfInt32Edges = []int64{
	math.MaxInt32 + 1, math.MinInt32 - 1, math.MaxInt32 + 2, math.MinInt32 - 2,
	1 << 32, -1 << 32, math.MaxInt64, math.MinInt64,
}
