package checkreport

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/plughost/plughost/filter"
)

// FilterMaxDepth is the parser nesting limit of --filter and --output: the
// one Falco compiles rule conditions with.
const FilterMaxDepth = 1000

// ExprError describes an error compiling text, a filter or an output
// format given as the flag label ("--filter", "--output"): the label, the
// message, and, when the error has a position (a *filter.SyntaxError,
// *filter.CompileError or *filter.MacroError), the offending line of text
// with a caret under the offending column:
//
//	--filter: filter error at index 19, line 1, column 20: expected blank or '(' after 'and'
//	  proc.name = cat andfd.name exists
//	                     ^
//
// A syntax error's message already says where it is (libsinsp's wording);
// the others get " (at index I, line L, column C)". An empty text shows no
// line.
func ExprError(label, text string, err error) string {
	var (
		se  *filter.SyntaxError
		ce  *filter.CompileError
		me  *filter.MacroError
		pos filter.Pos
	)
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		pos = se.Pos
	case errors.As(err, &ce):
		pos = ce.Pos
	case errors.As(err, &me):
		pos = me.Pos
	default:
		return label + ": " + msg
	}
	if se == nil {
		msg += " (at index " + strconv.Itoa(pos.Offset) + ", line " + strconv.Itoa(pos.Line) +
			", column " + strconv.Itoa(pos.Col) + ")"
	}
	if text == "" {
		return label + ": " + msg
	}
	return label + ": " + msg + "\n" + caret(text, pos.Offset)
}

// caret shows the line of text holding byte off, indented by two spaces,
// and under it a caret below that byte. Lines end at '\r' or '\n', as the
// filter parser counts them; tabs are shown as spaces so that the caret
// lines up, and the caret is placed by runes, not bytes.
func caret(text string, off int) string {
	off = max(0, min(off, len(text)))
	start := strings.LastIndexAny(text[:off], "\r\n") + 1
	end := len(text)
	if i := strings.IndexAny(text[off:], "\r\n"); i >= 0 {
		end = off + i
	}
	line := strings.ReplaceAll(text[start:end], "\t", " ")
	pad := utf8.RuneCountInString(text[start:off])
	return "  " + line + "\n  " + strings.Repeat(" ", pad) + "^"
}
