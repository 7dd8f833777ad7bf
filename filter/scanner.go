package filter

import (
	"strings"

	"github.com/plughost/plughost/fieldref"
)

// The lexer works on bytes at the cursor, as libsinsp's does. Its tokens
// are regular expressions there (RE2, POSIX syntax, leftmost-longest,
// UTF-8); here each one is a small hand-written scanner that takes the
// same longest match. Where libsinsp reads the input as a C string (plain
// prefix compares, the blank and quote loops), a NUL byte stops the scan;
// its regular expressions see the whole remaining input, NUL included.

// advance moves the cursor n bytes on, counting lines as libsinsp does:
// '\r' and '\n' each start a new line.
func (p *parser) advance(n int) {
	end := p.pos.Offset + n
	for i := p.pos.Offset; i < end; i++ {
		p.pos.Col++
		if c := p.in[i]; c == '\r' || c == '\n' {
			p.pos.Col = 1
			p.pos.Line++
		}
	}
	p.pos.Offset = end
}

// rest is the input after the cursor.
func (p *parser) rest() string { return p.in[p.pos.Offset:] }

// take consumes n bytes as the last token.
func (p *parser) take(n int) {
	p.last = p.in[p.pos.Offset : p.pos.Offset+n]
	p.advance(n)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n' }

// isSpace is the POSIX [:space:] class: unlike the parser's blanks, it has
// '\v' and '\f' but not '\b'.
func isSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func isAlnum(c byte) bool  { return isLetter(c) || isDigit(c) }

// lexBlank skips blanks (space, \t, \b, \r, \n) and reports whether there
// was any. It is the one lexer that leaves the last token alone.
func (p *parser) lexBlank() bool {
	i := p.pos.Offset
	for i < len(p.in) && isBlank(p.in[i]) {
		i++
	}
	if i == p.pos.Offset {
		return false
	}
	p.advance(i - p.pos.Offset)
	return true
}

// lexStr consumes s when the input at the cursor starts with it.
func (p *parser) lexStr(s string) bool {
	if !strings.HasPrefix(p.rest(), s) {
		return false
	}
	p.last = s
	p.advance(len(s))
	return true
}

// lexStrList consumes the first of list that the input starts with.
func (p *parser) lexStrList(list []string) bool {
	for _, s := range list {
		if p.lexStr(s) {
			return true
		}
	}
	return false
}

// lexOperatorList consumes the first operator of list found at the
// cursor. An operator written with a trailing blank in the list needs a
// blank after it in the input; that blank is consumed with it, and the
// last token is the operator without it.
func (p *parser) lexOperatorList(list []string) bool {
	for _, op := range list {
		word, needBlank := strings.CutSuffix(op, " ")
		if !needBlank {
			if p.lexStr(op) {
				return true
			}
			continue
		}
		pos, last := p.pos, p.last
		if p.lexStr(word) {
			if p.lexBlank() {
				return true
			}
			p.pos, p.last = pos, last
		}
	}
	return false
}

// scanIdent is the length of the Identifier [a-zA-Z]+[a-zA-Z0-9_]* at the
// start of s.
func scanIdent(s string) int {
	if s == "" || !isLetter(s[0]) {
		return 0
	}
	n := 1
	for n < len(s) && (isAlnum(s[n]) || s[n] == '_') {
		n++
	}
	return n
}

func (p *parser) lexIdentifier() bool {
	if n := scanIdent(p.rest()); n > 0 {
		p.take(n)
		return true
	}
	return false
}

// lexFieldName consumes a FieldName: two or more identifiers joined by
// dots.
func (p *parser) lexFieldName() bool {
	if n := fieldref.ScanName(p.rest()); n > 0 {
		p.take(n)
		return true
	}
	return false
}

// lexHexNum consumes 0[xX][0-9a-fA-F]+.
func (p *parser) lexHexNum() bool {
	s := p.rest()
	if len(s) < 3 || s[0] != '0' || s[1] != 'x' && s[1] != 'X' || !isHex(s[2]) {
		return false
	}
	n := 3
	for n < len(s) && isHex(s[n]) {
		n++
	}
	p.take(n)
	return true
}

// scanNum is the length of the Number [+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?
// at the start of s. The exponent needs its sign.
func scanNum(s string) int {
	n := 0
	if n < len(s) && (s[n] == '+' || s[n] == '-') {
		n++
	}
	d := n
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == d {
		return 0
	}
	if n < len(s) && s[n] == '.' {
		n++
	}
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n+2 < len(s) && (s[n] == 'e' || s[n] == 'E') && (s[n+1] == '+' || s[n+1] == '-') && isDigit(s[n+2]) {
		n += 3
		for n < len(s) && isDigit(s[n]) {
			n++
		}
	}
	return n
}

func (p *parser) lexNum() bool {
	if n := scanNum(p.rest()); n > 0 {
		p.take(n)
		return true
	}
	return false
}

// scanExcept is fieldref.ScanExcept: RE2's matching of a negated ASCII
// class in UTF-8 mode.
func scanExcept(s string, stop func(byte) bool) int { return fieldref.ScanExcept(s, stop) }

// BareStr: [^()"'[:space:]=,]+
func stopBare(c byte) bool {
	return c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == ',' || isSpace(c)
}

// FieldArgBareStr: [^][\"'[:space:]]+
func stopArg(c byte) bool { return c == '[' || c == ']' || c == '"' || c == '\'' || isSpace(c) }

func (p *parser) lexBareStr() bool {
	if n := scanExcept(p.rest(), stopBare); n > 0 {
		p.take(n)
		return true
	}
	return false
}

func (p *parser) lexFieldArgBareStr() bool {
	if n := scanExcept(p.rest(), stopArg); n > 0 {
		p.take(n)
		return true
	}
	return false
}

// lexQuoted consumes a quoted string; the last token is its unescaped
// value. A string that does not end is no token. A bad escape is an error
// raised after the whole string has been consumed, as libsinsp unescapes
// only once it has found the closing delimiter.
func (p *parser) lexQuoted() (bool, error) {
	v, n, err := fieldref.ScanQuoted(p.rest())
	if n == 0 {
		return false, nil
	}
	p.last = v
	p.advance(n)
	if err != nil {
		return false, p.fail(err.(*fieldref.Error).Msg)
	}
	return true, nil
}

// lexNotBlank consumes `not` followed by [[:space:]]+.
func (p *parser) lexNotBlank() bool {
	s := p.rest()
	if len(s) < 4 || s[:3] != "not" || !isSpace(s[3]) {
		return false
	}
	n := 4
	for n < len(s) && isSpace(s[n]) {
		n++
	}
	p.take(n)
	return true
}

// listValueFollows reports whether '(' or an identifier is at the cursor,
// consuming nothing.
func (p *parser) listValueFollows() bool {
	s := p.rest()
	return s != "" && s[0] == '(' || scanIdent(s) > 0
}

// boolKeywordFollows reports whether and, or or not stands at the cursor
// as a word of its own: followed by the end of the text (a NUL byte ends
// it too) or by a byte that is not an ASCII letter or digit.
func (p *parser) boolKeywordFollows() bool {
	s := p.rest()
	for _, kw := range [...]string{"and", "or", "not"} {
		if strings.HasPrefix(s, kw) && (len(s) == len(kw) || !isAlnum(s[len(kw)])) {
			return true
		}
	}
	return false
}
