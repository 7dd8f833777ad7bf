// Package fieldref is the one grammar of field references in plughost:
// `name` or `name[arg]`, as written in filters, output formats and field
// lists. It lexes them exactly as libsinsp's filter parser does (libs
// 0.25.4, userspace/libsinsp/filter/parser.cpp), prints them the way its
// AST printer does (filter/ast.cpp, filter/escaping.cpp), and checks an
// argument against a plugin field the way its plugin filtercheck does
// (plugin_filtercheck.cpp), with libsinsp's messages.
//
// The package depends on nothing else in plughost, so the loader, the
// registry, capability and the filter parser can all use it.
package fieldref

import "strings"

// Ref is a field reference. Arg is the argument as the parser reads it: a
// quoted argument is unquoted and unescaped. HasArg is true for `name[""]`,
// whose Arg is empty.
type Ref struct {
	Name   string
	Arg    string
	HasArg bool
}

// Messages of the errors Scan and Parse return. The first two are
// libsinsp's; libsinsp has no message of its own for the other two, which
// its parser reports in the context of a whole filter.
const (
	MsgBadArg   = "expected a valid field argument: a quoted string or a bare string"
	MsgNoClose  = "expected a ']' token"
	MsgNoName   = "expected a field name"
	MsgTrailing = "unexpected text after the field reference"
)

// Error is a reference that does not lex. Offset is the byte offset in the
// scanned text where libsinsp's parser stands when it gives up; Msg is its
// message (see the Msg constants and ScanQuoted).
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Scan reads the field reference at the start of s, as libsinsp's parser
// lexes a field: a FieldName (`[a-zA-Z]+[a-zA-Z0-9_]*` segments joined by
// dots, two segments at least, the longest such prefix), then, when `[`
// follows at once, an argument and `]`. The argument is a quoted string
// (see ScanQuoted) or a bare string `[^][\"'[:space:]]+`, with RE2's UTF-8
// rules: a byte that does not start a UTF-8 sequence ends a bare string.
// Nothing may stand between the name, the brackets and the argument.
//
// It returns the reference and the number of bytes it used; s may go on
// after them. On error the Ref is zero, n is 0, and err is an *Error.
func Scan(s string) (r Ref, n int, err error) {
	n = ScanName(s)
	if n == 0 {
		return Ref{}, 0, &Error{Offset: 0, Msg: MsgNoName}
	}
	r.Name = s[:n]
	if n == len(s) || s[n] != '[' {
		return r, n, nil
	}
	i := n + 1
	if v, m, qerr := ScanQuoted(s[i:]); qerr != nil {
		e := qerr.(*Error)
		return Ref{}, 0, &Error{Offset: i + e.Offset, Msg: e.Msg}
	} else if m > 0 {
		r.Arg, i = v, i+m
	} else if m = scanBare(s[i:]); m > 0 {
		r.Arg, i = s[i:i+m], i+m
	} else {
		return Ref{}, 0, &Error{Offset: i, Msg: MsgBadArg}
	}
	if i == len(s) || s[i] != ']' {
		return Ref{}, 0, &Error{Offset: i, Msg: MsgNoClose}
	}
	r.HasArg = true
	return r, i + 1, nil
}

// Parse reads s, which must be one field reference and nothing else.
func Parse(s string) (Ref, error) {
	r, n, err := Scan(s)
	if err != nil {
		return Ref{}, err
	}
	if n != len(s) {
		return Ref{}, &Error{Offset: n, Msg: MsgTrailing}
	}
	return r, nil
}

// ScanName returns the length of the FieldName at the start of s, 0 when
// there is none. It is the longest prefix made of two or more segments
// `[a-zA-Z][a-zA-Z0-9_]*` joined by dots.
func ScanName(s string) int {
	n := scanIdent(s)
	if n == 0 {
		return 0
	}
	segments := 1
	for n < len(s) && s[n] == '.' {
		m := scanIdent(s[n+1:])
		if m == 0 {
			break
		}
		n += 1 + m
		segments++
	}
	if segments < 2 {
		return 0
	}
	return n
}

// IsName reports whether s is a whole FieldName, a name the filter grammar
// can address.
func IsName(s string) bool { return s != "" && ScanName(s) == len(s) }

func scanIdent(s string) int {
	if s == "" || !isLetter(s[0]) {
		return 0
	}
	n := 1
	for n < len(s) && (isLetter(s[n]) || s[n] >= '0' && s[n] <= '9' || s[n] == '_') {
		n++
	}
	return n
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isSpace is the POSIX [:space:] class, as RE2 and C's isspace have it.
func isSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

// scanBare returns the length of the bare argument `[^][\"'[:space:]]+` at
// the start of s.
func scanBare(s string) int {
	return ScanExcept(s, func(c byte) bool { return c == '[' || c == ']' || c == '"' || c == '\'' || isSpace(c) })
}

// ScanExcept is the length of the longest run at the start of s of ASCII
// bytes that stop does not refuse and of non-ASCII UTF-8 sequences, the
// way RE2 (which libsinsp uses) matches a negated class of ASCII
// characters in UTF-8 mode: a sequence led by C2-DF, E0-EF or F0-F4 with
// all its 80-BF continuation bytes (RE2 accepts the overlong E0/F0 forms,
// surrogates and F4 codes past U+10FFFF there). Any other byte ends the
// run. The filter scanner lexes its bare strings with it too.
func ScanExcept(s string, stop func(byte) bool) int {
	i := 0
	for i < len(s) {
		c := s[i]
		var size int
		switch {
		case c < 0x80:
			if stop(c) {
				return i
			}
			size = 1
		case c >= 0xC2 && c <= 0xDF:
			size = 2
		case c >= 0xE0 && c <= 0xEF:
			size = 3
		case c >= 0xF0 && c <= 0xF4:
			size = 4
		default:
			return i
		}
		if i+size > len(s) {
			return i
		}
		for k := 1; k < size; k++ {
			if s[i+k] < 0x80 || s[i+k] > 0xBF {
				return i
			}
		}
		i += size
	}
	return i
}

// String is the canonical text of r: `name`, or `name[arg]` with arg as
// libsinsp's AST printer writes it (see ASTString), except where that text
// would not lex back to r. Then the argument is double-quoted too when it
// is not a bare string (it holds '[', ']', '\v' or invalid UTF-8), and a
// final backslash in a quoted argument is written `\ ` (which unescapes to
// one backslash) because libsinsp's lexer never closes a string whose
// delimiter follows a backslash. An argument holding a NUL byte, which
// only a bare argument can carry, stays bare. So Parse(r.String()) == r
// for every Ref that Scan returns.
func (r Ref) String() string {
	if !r.HasArg {
		return r.Name
	}
	a := r.Arg
	switch {
	case a == "":
		a = `""`
	case scanBare(a) == len(a) && (!needsEscape(a) || strings.IndexByte(a, 0) >= 0):
	default:
		a = quote(a)
		if strings.HasSuffix(r.Arg, `\`) {
			a = a[:len(a)-3] + `\ "`
		}
	}
	return r.Name + "[" + a + "]"
}

// ASTString is r exactly as libsinsp's AST printer writes a field (the
// key of a field in Falco's JSON output_fields): `name`, `name[""]` for an
// empty argument, else `name[` + EscapeStr(arg) + `]`. It does not always
// lex back (an argument holding ']', or ending in a backslash); String
// does.
func (r Ref) ASTString() string {
	if !r.HasArg {
		return r.Name
	}
	if r.Arg == "" {
		return r.Name + `[""]`
	}
	return r.Name + "[" + EscapeStr(r.Arg) + "]"
}

// Joined is the text libsinsp hands its filtercheck factory for r (the
// compiler's create_filtercheck_name): the name and the argument as read,
// unquoted, between brackets. CheckArg's messages quote it.
func (r Ref) Joined() string {
	if !r.HasArg {
		return r.Name
	}
	return r.Name + "[" + r.Arg + "]"
}
