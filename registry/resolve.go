package registry

import (
	"errors"
	"fmt"

	"github.com/plughost/plughost/fieldref"
	"github.com/plughost/plughost/loader"
)

// Resolved is a field reference bound to the plugin that extracts it.
type Resolved struct {
	Plugin  *loader.Plugin
	Field   loader.Field
	Arg     string // the argument as read: a quoted argument is unquoted
	HasArg  bool   // true for field[""] too, whose Arg is empty
	IsIndex bool   // Arg was read as an index (index fields, and index-or-key fields when it parses)
	Index   uint64 // the index when IsIndex
	Text    string // Resolve: the prefix of the input that was consumed; Lookup: Ref.String()
}

// Resolve binds the field reference at the start of text, as written in a
// filter or an output (`ka.user.name`, `json.value[/user/name]`,
// `json.value["/a b"]`), to one of the fields served on source. Text may
// continue after the reference (an output format's literal text);
// Resolved.Text is what was consumed.
//
// The reference is read with fieldref.Scan, libsinsp's grammar: the name
// is the longest FieldName prefix of text, so `reg.a.c` is the unknown
// field `reg.a.c` even when `reg.a` exists, and `reg.a.b.` is `reg.a.b`
// followed by a dot. The name must then be a field of source exactly, and
// its argument pass fieldref.Ref.CheckArg, with libsinsp's messages.
//
// Errors are *Error: ErrUnknownSource, ErrUnknownField (no field name at
// the start of text, or a name source does not serve), ErrFieldArg (an
// argument that does not lex or that the field refuses).
func (r *Registry) Resolve(source, text string) (Resolved, error) {
	fields, err := r.fieldsOf(source, text)
	if err != nil {
		return Resolved{}, err
	}
	ref, n, err := fieldref.Scan(text)
	if err != nil {
		name := text[:fieldref.ScanName(text)]
		var fe *fieldref.Error
		if name == "" || !errors.As(err, &fe) || fe.Msg == fieldref.MsgNoName {
			return Resolved{}, &Error{Kind: ErrUnknownField, Source: source, Text: text,
				Msg: fmt.Sprintf("unknown field '%s' for source '%s'", leadingName(text), source)}
		}
		e := &Error{Kind: ErrFieldArg, Source: source, Text: text, Msg: err.Error()}
		if entry, ok := fields[name]; ok {
			e.Plugin, e.Field = entry.plugin.Name, name
		}
		return Resolved{}, e
	}
	res, err := bind(source, fields, ref, text)
	if err != nil {
		return Resolved{}, err
	}
	res.Text = text[:n]
	return res, nil
}

// Lookup binds a reference already parsed (as the filter parser reads
// one) to the field of that name served on source, and checks its
// argument like Resolve. Resolved.Text and Error.Text are ref.String().
func (r *Registry) Lookup(source string, ref fieldref.Ref) (Resolved, error) {
	text := ref.String()
	fields, err := r.fieldsOf(source, text)
	if err != nil {
		return Resolved{}, err
	}
	res, err := bind(source, fields, ref, text)
	if err != nil {
		return Resolved{}, err
	}
	res.Text = text
	return res, nil
}

func (r *Registry) fieldsOf(source, text string) (map[string]indexEntry, error) {
	r.mu.RLock()
	fields, ok := r.index[source]
	r.mu.RUnlock()
	if !ok {
		return nil, &Error{Kind: ErrUnknownSource, Source: source, Text: text,
			Msg: fmt.Sprintf("unknown event source '%s': no loaded plugin provides it", source)}
	}
	return fields, nil
}

func bind(source string, fields map[string]indexEntry, ref fieldref.Ref, text string) (Resolved, error) {
	e, ok := fields[ref.Name]
	if !ok {
		name := ref.Name
		if name == "" {
			name = leadingName(text)
		}
		return Resolved{}, &Error{Kind: ErrUnknownField, Source: source, Text: text,
			Msg: fmt.Sprintf("unknown field '%s' for source '%s'", name, source)}
	}
	f := e.field
	idx, isIdx, err := ref.CheckArg(fieldref.ArgSpec{Required: f.Arg.IsRequired, Index: f.Arg.IsIndex, Key: f.Arg.IsKey})
	if err != nil {
		return Resolved{}, &Error{Kind: ErrFieldArg, Plugin: e.plugin.Name, Source: source, Field: f.Name, Text: text,
			Msg: err.Error()}
	}
	return Resolved{Plugin: e.plugin, Field: *f, Arg: ref.Arg, HasArg: ref.HasArg, IsIndex: isIdx, Index: idx}, nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
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
