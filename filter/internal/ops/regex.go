package ops

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// compileRegex compiles a regex value as libsinsp does with RE2 in POSIX
// mode (RE2::Options(RE2::POSIX): POSIX egrep syntax without Perl classes,
// \b or (?flags), leftmost-longest matching, `^` and `$` at line ends,
// negated classes matching '\n', `.` not matching it) for a full match of
// the value (RE2::ANCHOR_BOTH).
//
// Go's regexp package implements RE2's syntax and semantics; the parse
// flags below are the ones RE2's POSIX mode uses. The error text is RE2's
// where the two libraries agree on which error a pattern has.
func compileRegex(pattern string) (*regexp.Regexp, error) {
	re, err := syntax.Parse(pattern, syntax.ClassNL)
	if err != nil {
		return nil, errors.New("invalid regex pattern: " + re2Error(pattern, err))
	}
	anchored := &syntax.Regexp{Op: syntax.OpConcat, Sub: []*syntax.Regexp{
		{Op: syntax.OpBeginText}, re, {Op: syntax.OpEndText},
	}}
	rx, err := regexp.Compile(anchored.String())
	if err != nil {
		return nil, errors.New("invalid regex pattern: " + re2Error(pattern, err))
	}
	rx.Longest()
	return rx, nil
}

// re2Error renders a Go parse error in RE2's words (RE2::error(): the
// code's text, ": ", and the offending part of the pattern).
func re2Error(pattern string, err error) string {
	var se *syntax.Error
	if !errors.As(err, &se) {
		return err.Error()
	}
	arg := se.Expr
	var text string
	switch se.Code {
	case syntax.ErrInvalidEscape:
		// `\x{` at the very end: RE2 reads past the end as well
		if arg == `\x{` && strings.HasSuffix(pattern, arg) {
			return "invalid UTF-8"
		}
		text = "invalid escape sequence"
	case syntax.ErrInvalidCharClass:
		text = "invalid character class"
	case syntax.ErrInvalidCharRange:
		// a range cut by the end of the pattern: RE2 reads past the end
		// and reports it as a UTF-8 error
		if strings.HasSuffix(pattern, arg) && strings.HasSuffix(arg, "-") {
			return "invalid UTF-8"
		}
		text = "invalid character class range"
	case syntax.ErrMissingBracket:
		text = "missing ]"
	case syntax.ErrMissingParen:
		text = "missing )"
	case syntax.ErrUnexpectedParen:
		text = "unexpected )"
	case syntax.ErrTrailingBackslash:
		text = "trailing \\"
		arg = ""
	case syntax.ErrMissingRepeatArgument:
		text = "no argument for repetition operator"
	case syntax.ErrInvalidRepeatSize:
		text = "invalid repetition size"
	case syntax.ErrInvalidRepeatOp:
		text = "bad repetition operator"
	case syntax.ErrInvalidPerlOp:
		text = "invalid perl operator"
	case syntax.ErrInvalidUTF8:
		text = "invalid UTF-8"
		arg = ""
	case syntax.ErrInvalidNamedCapture:
		text = "invalid named capture group"
	case syntax.ErrNestingDepth, syntax.ErrLarge:
		return "pattern too large - compile failed"
	default:
		return se.Error()
	}
	if arg == "" {
		return text
	}
	return text + ": " + arg
}

// re2Subject makes a regex subject what RE2 (in UTF-8 mode) sees of it.
// Valid UTF-8 is unchanged. RE2 consumes bytes only as UTF-8 sequences,
// plus (where a class holds the whole 0x80-0x10FFFF range, as `.` and
// most negated classes do) the ill-formed 3- and 4-byte sequences whose
// bytes are well placed (overlong forms, surrogates, past 0x10FFFF): such
// a sequence becomes U+10FFFF here, a rune in those classes and in no
// literal. ok is false when a byte can never be consumed: the subject
// cannot fully match anything.
func re2Subject(b []byte) (out []byte, ok bool) {
	if utf8.Valid(b) {
		return b, true
	}
	out = make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		c := b[i]
		n := 0
		switch {
		case c < 0x80:
			out = append(out, c)
			i++
			continue
		case c >= 0xc2 && c <= 0xdf:
			n = 2
		case c >= 0xe0 && c <= 0xef:
			n = 3
		case c >= 0xf0 && c <= 0xf4:
			n = 4
		default:
			return nil, false
		}
		if i+n > len(b) {
			return nil, false
		}
		for k := 1; k < n; k++ {
			if b[i+k] < 0x80 || b[i+k] > 0xbf {
				return nil, false
			}
		}
		if utf8.Valid(b[i : i+n]) {
			out = append(out, b[i:i+n]...)
		} else {
			out = utf8.AppendRune(out, utf8.MaxRune)
		}
		i += n
	}
	return out, true
}

// regexFull reports whether rx (from compileRegex) matches all of b as
// RE2 does.
func regexFull(rx *regexp.Regexp, b []byte) bool {
	s, ok := re2Subject(b)
	return ok && rx.Match(s)
}
