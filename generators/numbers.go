package generators

import (
	"math"

	"pgregory.net/rapid"
)

// Values for IntAttr* (ref §2.1: int32), and text that is no decimal int32 at all.

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

// OutOfInt32 returns int64 values outside the int32 range, still decimal integers on the wire: one of
// OutOfInt32Edges, or any value above MaxInt32 or below MinInt32.
func OutOfInt32() *rapid.Generator[int64] {
	return rapid.OneOf(
		rapid.SampledFrom(OutOfInt32Edges),
		rapid.Int64Range(math.MaxInt32+1, math.MaxInt64),
		rapid.Int64Range(math.MinInt64, math.MinInt32-1),
	)
}

// NonNumericEdges are texts that look numeric to a lenient parser but are no decimal integer: floats,
// exponents, hex and binary, padding, signs, digit separators, non-ASCII digits, and integers beyond
// int64 (which a parser may wrap or saturate instead of rejecting).
var NonNumericEdges = []string{
	"", " ", "abc", "1.5", "1.0", "1e3", " 1", "1 ", "0x10", "0b101", "0o17", "+-1", "--1", "+", "-",
	"1_000", "1,000", "١٢", "１２", "Ⅻ", "½", "NaN", "Infinity", "true", "null", "one",
	"9223372036854775808", "-9223372036854775809", "99999999999999999999999",
}

// NonNumeric returns strings that are no decimal integer, so strconv.ParseInt(s, 10, 32) rejects them:
// one of NonNumericEdges, digits broken by a letter, punctuation or a space, or an integer of 20 to 25
// digits (beyond int64, where a parser may wrap instead of rejecting). Integers merely outside int32 are
// OutOfInt32's job.
func NonNumeric() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.SampledFrom(NonNumericEdges),
		rapid.StringMatching(`[+-]?[0-9]{0,4}[a-zA-Z.,_ ][0-9a-zA-Z]{0,4}`),
		rapid.StringMatching(`-?[1-9][0-9]{19,24}`),
	)
}
