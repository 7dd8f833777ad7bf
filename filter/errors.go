package filter

import "strconv"

// SyntaxError is a filter that does not parse. Msg is libsinsp's parser
// message, the text Falco prints for a rule condition; Pos is where
// libsinsp's parser stood when it gave up. Error() is the message as
// libsinsp's filter compiler wraps it for a filter string:
// "filter error at index I, line L, column C: <Msg>".
type SyntaxError struct {
	Pos
	Msg string
}

func (e *SyntaxError) Error() string {
	return "filter error at index " + strconv.Itoa(e.Offset) + ", line " + strconv.Itoa(e.Line) +
		", column " + strconv.Itoa(e.Col) + ": " + e.Msg
}

// The parser's fixed messages, word for word libsinsp's. The others are
// "unexpected token after '<token>', expecting 'or', 'and'", "exceeded max
// depth limit of <N>" and the quoted-string escape errors of
// fieldref.ScanQuoted.
const (
	msgEmpty                = "filter input string is empty"
	msgUnbalanced           = "parser fatal error: recursion is unbalanced"
	msgBlankAfterOr         = "expected blank or '(' after 'or'"
	msgBlankAfterAnd        = "expected blank or '(' after 'and'"
	msgCloseParen           = "expected a ')' token"
	msgCheck                = "expected a '(' token, a field check, or an identifier"
	msgFieldArg             = "expected a valid field argument: a quoted string or a bare string"
	msgCloseBracket         = "expected a ']' token"
	msgCloseTransformer     = "expected a ')' token closing the transformer"
	msgTransformerArg       = "expected field transformer argument: field, transformer, quoted string, number, or transformer list"
	msgCloseTransformerList = "expected ')'"
	msgTransformerListItem  = "expected transformer list argument: field, transformer, quoted string, or number"
	msgStrValueOnly         = "expected a string value"
	msgListValue            = "expected a list or an identifier"
	msgValField             = "expected a field within 'val' transformer"
)

var (
	msgOperator          = "expected a valid check operator: one of " + operatorsText
	msgNumValue          = "expected a number value or a field with a valid transformer: " + transformersText
	msgStrValue          = "expected a string value or a field with a valid transformer: " + transformersText
	msgListOrTransformer = "expected a list, an identifier, or a field with a valid transformer: " + transformersText
)

// MacroError is a macro reference that ExpandMacros cannot resolve. Msg
// is Falco's message, "Undefined macro 'X' used in filter." or "reference
// loop in macro 'X'"; Pos is the position of the identifier, in the text
// of whichever condition or macro it was parsed from.
type MacroError struct {
	Pos
	Name string
	Loop bool
	Msg  string
}

func (e *MacroError) Error() string { return e.Msg }
