package capability

import (
	"fmt"

	"github.com/plughost/plughost/fieldref"
	"github.com/plughost/plughost/loader"
)

// FieldRequest is a field reference compiled against one plugin's schema.
type FieldRequest struct {
	Text     string // as written: "json.value[/user/name]"
	Field    loader.Field
	HasArg   bool
	Arg      string // the argument as read: a quoted argument is unquoted
	IsIndex  bool   // Arg was read as a numeric index
	ArgIndex uint64
}

// CompileField reads text, which must be one field reference in the
// filter grammar (package fieldref), looks its name up in p's fields and
// checks its argument as libsinsp's plugin filtercheck does
// (fieldref.Ref.CheckArg): an index is decimal digits with no leading zero
// that fits in 64 bits; a field that takes both index and key falls back
// to a key. Errors carry libsinsp's messages, except an unknown name.
func CompileField(p *loader.Plugin, text string) (FieldRequest, error) {
	ref, err := fieldref.Parse(text)
	if err != nil {
		return FieldRequest{}, fieldRequestError(p, text, "%v", err)
	}
	return compileFieldRef(p, text, ref)
}

// CompileRef is CompileField for a reference already parsed, as the filter
// parser reads one; FieldRequest.Text is ref.String().
func CompileRef(p *loader.Plugin, ref fieldref.Ref) (FieldRequest, error) {
	return compileFieldRef(p, ref.String(), ref)
}

func compileFieldRef(p *loader.Plugin, text string, ref fieldref.Ref) (FieldRequest, error) {
	f, ok := p.Field(ref.Name)
	if !ok {
		return FieldRequest{}, fieldRequestError(p, text, "plugin has no field '%s'", ref.Name)
	}
	idx, isIdx, err := ref.CheckArg(fieldref.ArgSpec{Required: f.Arg.IsRequired, Index: f.Arg.IsIndex, Key: f.Arg.IsKey})
	if err != nil {
		return FieldRequest{}, fieldRequestError(p, text, "%v", err)
	}
	return FieldRequest{Text: text, Field: f, HasArg: ref.HasArg, Arg: ref.Arg, IsIndex: isIdx, ArgIndex: idx}, nil
}

func fieldRequestError(p *loader.Plugin, text, format string, args ...any) error {
	return &Error{Plugin: p.Name, Event: -1, Field: text, Msg: fmt.Sprintf(format, args...), Kind: ErrField}
}
