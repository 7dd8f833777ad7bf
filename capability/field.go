package capability

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/plughost/plughost/loader"
)

// FieldRequest is a field reference compiled against one plugin's schema.
type FieldRequest struct {
	Text     string // as written: "json.value[/user/name]"
	Field    loader.Field
	HasArg   bool
	Arg      string // the text between the brackets
	IsIndex  bool   // Arg was read as a numeric index
	ArgIndex uint64
}

// CompileField looks text up in p's fields and validates its argument as
// libsinsp does: an index is decimal digits with no leading zero that fits
// in 64 bits; a field that takes both index and key falls back to a key.
func CompileField(p *loader.Plugin, text string) (FieldRequest, error) {
	fail := func(format string, args ...any) error {
		return &Error{Plugin: p.Name, Event: -1, Field: text, Msg: fmt.Sprintf(format, args...), Kind: ErrField}
	}
	name, arg, hasArg := text, "", false
	if i := strings.IndexByte(text, '['); i >= 0 {
		if !strings.HasSuffix(text, "]") {
			return FieldRequest{}, fail("incomplete argument: missing ']'")
		}
		name, arg, hasArg = text[:i], text[i+1:len(text)-1], true
		if strings.ContainsAny(arg, "[]") && strings.Count(arg, "[") != strings.Count(arg, "]") {
			return FieldRequest{}, fail("unbalanced brackets in argument '%s'", arg)
		}
	}
	f, ok := p.Field(name)
	if !ok {
		return FieldRequest{}, fail("plugin has no field '%s'", name)
	}
	r := FieldRequest{Text: text, Field: f, HasArg: hasArg, Arg: arg}
	switch {
	case !hasArg && f.Arg.IsRequired:
		return FieldRequest{}, fail("field '%s' requires an argument", name)
	case hasArg && !f.Arg.Allowed():
		return FieldRequest{}, fail("field '%s' does not allow an argument", name)
	case hasArg && f.Arg.IsIndex:
		idx, err := parseIndex(arg)
		switch {
		case err == nil:
			r.IsIndex, r.ArgIndex = true, idx
		case !f.Arg.IsKey:
			return FieldRequest{}, fail("field '%s' needs a numeric index argument: %v", name, err)
		}
	}
	return r, nil
}

func parseIndex(s string) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("the index is empty")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("'%s' is not a decimal number", s)
		}
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, fmt.Errorf("'%s' has a leading zero", s)
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("'%s' does not fit in 64 bits", s)
	}
	return v, nil
}
