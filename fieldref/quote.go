package fieldref

import "strings"

// ScanQuoted reads the quoted string at the start of s as libsinsp's lexer
// does (parser.cpp lex_quoted_str, escaping.cpp unescape_str), and returns
// its unescaped value and the number of bytes of s it spans, delimiters
// included.
//
// The delimiter is '"' or '\”. The string ends at the first delimiter
// whose previous byte is not a backslash, so "a\\" never ends; a NUL byte
// ends the text, as for libsinsp's C string cursor. When s does not start
// with a quoted string that ends, ScanQuoted returns n == 0 and no error:
// the lexer then tries other tokens.
//
// The escapes are \b \f \n \r \t \\ \/, \" inside "..." and \' inside
// '...'; `\ ` (backslash, space) gives one backslash and drops the space,
// a compatibility rule of libsinsp. Any other escape is an *Error with
// libsinsp's message, Offset just after the closing delimiter (where
// libsinsp's parser stands when it throws) and n the string's length:
//
//	invalid \" escape in '-quoted string
//	invalid \' escape in "-quoted string
//	unsupported string escape sequence: \c
//
// (\xHH is not an escape in libs 0.25.4.)
func ScanQuoted(s string) (value string, n int, err error) {
	if s == "" || s[0] != '"' && s[0] != '\'' {
		return "", 0, nil
	}
	delim, prev := s[0], byte('\\')
	for i := 0; i < len(s) && s[i] != 0; i++ {
		if s[i] == delim && prev != '\\' {
			v, msg := unescape(s[:i+1])
			if msg != "" {
				return "", i + 1, &Error{Offset: i + 1, Msg: msg}
			}
			return v, i + 1, nil
		}
		prev = s[i]
	}
	return "", 0, nil
}

// unescape is unescape_str on a whole token, delimiters included; it
// returns the value or libsinsp's message.
func unescape(tok string) (string, string) {
	var b strings.Builder
	escaped := false
	for i := 1; i < len(tok)-1; i++ {
		c := tok[i]
		if !escaped {
			if c == '\\' {
				escaped = true
			} else {
				b.WriteByte(c)
			}
			continue
		}
		escaped = false
		switch c {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case ' ', '\\':
			b.WriteByte('\\')
		case '/':
			b.WriteByte('/')
		case '"':
			if tok[0] != c {
				return "", `invalid \" escape in '-quoted string`
			}
			b.WriteByte(c)
		case '\'':
			if tok[0] != c {
				return "", `invalid \' escape in "-quoted string`
			}
			b.WriteByte(c)
		default:
			return "", `unsupported string escape sequence: \` + tok[i:i+1]
		}
	}
	return b.String(), ""
}

// EscapeStr is libsinsp's escape_str, which its AST printer applies to
// values and field arguments: when s holds a space, '=', a quote, a
// backslash or one of \b \f \n \r \t, the result is s between double
// quotes with \b \f \n \r \t, backslash and '"' escaped; otherwise it is
// s unchanged. Other control bytes are never escaped.
func EscapeStr(s string) string {
	if !needsEscape(s) {
		return s
	}
	return quote(s)
}

func needsEscape(s string) bool {
	return strings.ContainsAny(s, "\b\f\n\r\t =\\\"'")
}

// quote is escape_str's quoted form, whether or not s needs it.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
