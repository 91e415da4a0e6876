package filter

// attr identifies an attribute: str selects StrAttr* over IntAttr*, idx is 0..3.
type attr struct {
	str bool
	idx int
}

// attrNames maps every accepted spelling to its attribute: the snake_case names of the API
// docs and the camelCase names of the current Chinese filter page (ref §1.7, §9 #10).
var attrNames = map[string]attr{
	"int_attr": {false, 0}, "int_attr2": {false, 1}, "int_attr3": {false, 2}, "int_attr4": {false, 3},
	"intAttr": {false, 0}, "intAttr2": {false, 1}, "intAttr3": {false, 2}, "intAttr4": {false, 3},
	"str_attr": {true, 0}, "str_attr2": {true, 1}, "str_attr3": {true, 2}, "str_attr4": {true, 3},
	"strAttr": {true, 0}, "strAttr2": {true, 1}, "strAttr3": {true, 2}, "strAttr4": {true, 3},
}

var canonicalNames = [2][4]string{
	{"int_attr", "int_attr2", "int_attr3", "int_attr4"},
	{"str_attr", "str_attr2", "str_attr3", "str_attr4"},
}

func canonicalName(str bool, idx int) string {
	if str {
		return canonicalNames[1][idx]
	}
	return canonicalNames[0][idx]
}

// allowedOps lists the comparison operators per attribute kind (ref §1.7): no != on integers,
// no ordering on strings. IN and NOT IN are allowed on both.
var allowedOps = map[string][2]bool{ // [int, string]
	"=":  {true, true},
	"!=": {false, true},
	">":  {true, false},
	">=": {true, false},
	"<":  {true, false},
	"<=": {true, false},
}

var opByText = map[string]op{"=": opEq, "!=": opNe, ">": opGt, ">=": opGe, "<": opLt, "<=": opLe}
