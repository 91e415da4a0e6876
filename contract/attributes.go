package contract

// Kind is the type of an updatable attribute.
type Kind int

// Attribute kinds.
const (
	KindString Kind = iota
	KindInt
)

// Placement says where the official SDKs put a parameter on the wire (ref §1.3).
type Placement int

// Placements.
const (
	InBody Placement = iota
	InQuery
)

// Field describes one updatable field of UpdateImage (ref §2.1) and how it is filtered (ref §1.7).
type Field struct {
	Name        string    // wire name, e.g. "StrAttr3"
	FilterName  string    // name in Filter expressions, e.g. "str_attr3"; "" when not filterable
	Kind        Kind      // string or int32
	Slot        int       // 0..3 for IntAttr*/StrAttr*, -1 for CustomContent
	MaxChars    int       // length limit in characters for strings, 0 for ints
	Invalid     Error     // error for a value that breaks the limit or does not parse
	UpdateWhere Placement // where UpdateImage sends it
}

// Fields lists every updatable field in the order of the reference table (ref §2.1). Validation reports the
// first violation in this order.
var Fields = []Field{
	{"CustomContent", "", KindString, -1, MaxCustomContent, InvalidCustomContent, InBody},
	{"IntAttr", "int_attr", KindInt, 0, 0, InvalidIntAttr, InBody},
	{"IntAttr2", "int_attr2", KindInt, 1, 0, InvalidIntAttr2, InBody},
	{"IntAttr3", "int_attr3", KindInt, 2, 0, InvalidIntAttr3, InQuery},
	{"IntAttr4", "int_attr4", KindInt, 3, 0, InvalidIntAttr4, InQuery},
	{"StrAttr", "str_attr", KindString, 0, MaxStrAttr, InvalidStrAttr, InBody},
	{"StrAttr2", "str_attr2", KindString, 1, MaxStrAttr, InvalidStrAttr2, InBody},
	{"StrAttr3", "str_attr3", KindString, 2, MaxStrAttr, InvalidStrAttr3, InQuery},
	{"StrAttr4", "str_attr4", KindString, 3, MaxStrAttr, InvalidStrAttr4, InQuery},
}

// FieldByName finds a Field by its wire name.
func FieldByName(name string) (Field, bool) {
	for _, f := range Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// AddImageForbidden are the characters AddImage's documentation forbids in StrAttr* (ref §3). UpdateImage's
// documentation does not repeat the rule (ref §10 #10).
const AddImageForbidden = `\¥$&%`
