package registry

import (
	"fmt"
	"strings"

	"github.com/plughost/plughost/loader"
)

// Resolved is a field reference bound to the plugin that extracts it.
type Resolved struct {
	Plugin *loader.Plugin
	Field  loader.Field
	Arg    string // the text between the brackets, unvalidated
	HasArg bool   // true for field[] too, whose Arg is empty
	Text   string // the prefix of the input that was consumed
}

// Resolve binds the field reference at the start of text, as written in a
// filter or an output (`ka.user.name`, `json.value[/user/name]`), to one of
// the fields served on source. Text may continue after the reference (an
// output format's literal text); Resolved.Text is what was consumed.
//
// Like libsinsp it takes the longest field name that prefixes text; unlike
// libsinsp, the name must end at a name boundary (end of text or a byte
// outside [A-Za-z0-9_.]), so `reg.a.c` is unknown rather than `reg.a`
// followed by junk. An optional `[arg]` follows the name directly.
//
// The argument is not checked beyond the bracket rules and whether the field
// takes one: index syntax is the caller's business.
func (r *Registry) Resolve(source, text string) (Resolved, error) {
	r.mu.RLock()
	entries, ok := r.index[source]
	r.mu.RUnlock()
	if !ok {
		return Resolved{}, &Error{Kind: ErrUnknownSource, Source: source, Text: text,
			Msg: fmt.Sprintf("unknown event source '%s': no loaded plugin provides it", source)}
	}
	var e *indexEntry
	for i := range entries {
		name := entries[i].field.Name
		if strings.HasPrefix(text, name) && atBoundary(text, len(name)) {
			e = &entries[i]
			break
		}
	}
	if e == nil {
		return Resolved{}, &Error{Kind: ErrUnknownField, Source: source, Text: text,
			Msg: fmt.Sprintf("unknown field '%s' for source '%s'", leadingName(text), source)}
	}

	f := e.field
	res := Resolved{Plugin: e.plugin, Field: *f, Text: f.Name}
	argErr := func(format string, args ...any) (Resolved, error) {
		return Resolved{}, &Error{Kind: ErrFieldArg, Plugin: e.plugin.Name, Source: source, Field: f.Name, Text: text,
			Msg: fmt.Sprintf(format, args...)}
	}
	rest := text[len(f.Name):]
	if rest == "" || rest[0] != '[' {
		if f.Arg.IsRequired {
			return argErr("field '%s' requires an argument", f.Name)
		}
		return res, nil
	}
	if len(rest) == 1 {
		return argErr("field '%s' terminates with incomplete argument brackets", f.Name)
	}
	end := matchingBracket(rest)
	if end < 0 {
		return argErr("field '%s' has unbalanced argument brackets", f.Name)
	}
	if !f.Arg.Allowed() {
		return argErr("field '%s' does not allow an argument, got '%s'", f.Name, rest[:end+1])
	}
	res.Arg, res.HasArg = rest[1:end], true
	res.Text = text[:len(f.Name)+end+1]
	return res, nil
}

// matchingBracket returns the index of the ']' closing the '[' at s[0], or
// -1. libsinsp stops at the first ']' and at the first space; counting
// nesting instead keeps `[a[0]]` whole and lets quoted filter arguments
// carry spaces. For arguments without '[' the two agree.
func matchingBracket(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

func atBoundary(text string, n int) bool {
	return n == len(text) || !isNameByte(text[n])
}

// leadingName is the part of text an error should quote: the name-like
// prefix, or a bounded piece of text when there is none.
func leadingName(text string) string {
	n := 0
	for n < len(text) && isNameByte(text[n]) {
		n++
	}
	if n > 0 {
		return text[:n]
	}
	if len(text) > 64 {
		return text[:61] + "..."
	}
	return text
}
