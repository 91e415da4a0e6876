// Package filter parses and evaluates Image Search filter expressions, the Filter parameter of
// SearchImageByPic, SearchImageByName and DeleteImage (imagesearch-api.md §1.7).
//
// Grammar (keywords AND, OR, IN, NOT in any letter case; attribute names exactly as listed):
//
//	expr    = or EOF
//	or      = and { "OR" and }
//	and     = unary { "AND" unary }
//	unary   = "(" or ")" | cond
//	cond    = intAttr intOp int | intAttr ["NOT"] "IN" "(" int { "," int } ")"
//	        | strAttr strOp string | strAttr ["NOT"] "IN" "(" string { "," string } ")"
//	intOp   = ">" | ">=" | "<" | "<=" | "="
//	strOp   = "=" | "!="
//	intAttr = int_attr | int_attr2 | int_attr3 | int_attr4 | intAttr | intAttr2 | intAttr3 | intAttr4
//	strAttr = str_attr | str_attr2 | str_attr3 | str_attr4 | strAttr | strAttr2 | strAttr3 | strAttr4
//	int     = ["-"] digit { digit }          (must fit in int32)
//	string  = '"' { char | '\"' | '\\' } '"'
//
// The documentation leaves the list syntax, grouping, precedence, keyword case and escaping
// open (§1.7 [UNKNOWN], §10 #8); this package picks the SQL-like reading: parentheses group,
// AND binds tighter than OR, lists are parenthesised and comma-separated. The camelCase names
// come from the current Chinese filter page (§9 #10). Expressions are limited to 4,096
// characters (§1.7, §9 #8).
//
// Any rejected expression yields an error wrapping ErrInvalid whose text gives the byte offset
// of the problem; the emulator maps it to InvalidFilterClause.
package filter
