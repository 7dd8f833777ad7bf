package loader

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/plughost/plughost/pluginapi"
)

// Field is one entry of a plugin's get_fields schema.
type Field struct {
	ID         uint32 // index in get_fields, passed back as field_id
	Name       string
	Type       pluginapi.FieldType
	IsList     bool
	Arg        FieldArg
	Display    string
	Desc       string
	AddOutput  bool
	Properties []string
}

// FieldArg says whether a field takes an argument, field[arg], and of which kind.
type FieldArg struct {
	IsRequired bool
	IsIndex    bool
	IsKey      bool
}

// Allowed reports whether the field accepts an argument at all.
func (a FieldArg) Allowed() bool { return a.IsIndex || a.IsKey }

// Hidden reports whether the "hidden" property is set.
func (f Field) Hidden() bool { return f.hasProperty("hidden") }

func (f Field) hasProperty(p string) bool {
	for _, q := range f.Properties {
		if q == p {
			return true
		}
	}
	return false
}

// fieldNamePattern is what the filter grammar can address (libsinsp parser).
var fieldNamePattern = regexp.MustCompile(`^[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+$`)

// knownProperties are the properties libsinsp and Falco give meaning to.
var knownProperties = map[string]bool{"hidden": true, "info": true, "conversation": true}

// fieldError is a get_fields failure about one entry.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return e.msg }

// parseFields validates get_fields JSON with libsinsp's rules, in its order,
// plus two of ours: duplicate names are errors; names the filter grammar
// cannot address are warnings.
func parseFields(js string) ([]Field, []Warning, error) {
	var entries []json.RawMessage
	if err := json.Unmarshal([]byte(js), &entries); err != nil {
		if _, isType := err.(*json.UnmarshalTypeError); isType {
			return nil, nil, &fieldError{msg: "did not return a JSON array"}
		}
		return nil, nil, &fieldError{msg: "returned invalid JSON: " + err.Error()}
	}
	if entries == nil {
		return nil, nil, &fieldError{msg: "did not return a JSON array"}
	}
	if len(entries) == 0 {
		return nil, nil, &fieldError{msg: "plugins with extraction capability must export at least one field"}
	}
	var warnings []Warning
	fields := make([]Field, 0, len(entries))
	seen := map[string]int{}
	for i, raw := range entries {
		f, err := parseField(i, raw)
		if err != nil {
			return nil, nil, err
		}
		if j, dup := seen[f.Name]; dup {
			return nil, nil, &fieldError{field: f.Name, msg: fmt.Sprintf("entry %d repeats the name of entry %d", i, j)}
		}
		seen[f.Name] = i
		if !fieldNamePattern.MatchString(f.Name) {
			warnings = append(warnings, Warning{Check: CheckFields, Symbol: "plugin_get_fields", Field: f.Name,
				Msg: "name cannot be used in filters or outputs (want letters, digits and '_' in two or more dot-separated parts)"})
		}
		for _, p := range f.Properties {
			if !knownProperties[p] {
				warnings = append(warnings, Warning{Check: CheckFields, Symbol: "plugin_get_fields", Field: f.Name,
					Msg: fmt.Sprintf("unknown property '%s' is ignored", p)})
			}
		}
		fields = append(fields, f)
	}
	return fields, warnings, nil
}

func parseField(i int, raw json.RawMessage) (Field, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return Field{}, &fieldError{msg: fmt.Sprintf("entry %d is not a JSON object", i)}
	}
	str := func(key string) (string, bool, error) {
		v, ok := obj[key]
		if !ok || string(v) == "null" {
			return "", false, nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", true, fmt.Errorf("'%s' is not a string", key)
		}
		return s, true, nil
	}
	typ, _, err := str("type")
	if err != nil {
		return Field{}, &fieldError{msg: fmt.Sprintf("entry %d: %v", i, err)}
	}
	if typ == "" {
		return Field{}, &fieldError{msg: fmt.Sprintf("field JSON entry %d has no type", i)}
	}
	name, _, err := str("name")
	if err != nil {
		return Field{}, &fieldError{msg: fmt.Sprintf("entry %d: %v", i, err)}
	}
	if name == "" {
		return Field{}, &fieldError{msg: fmt.Sprintf("field JSON entry %d has no name", i)}
	}
	fail := func(format string, args ...any) (Field, error) {
		return Field{}, &fieldError{field: name, msg: fmt.Sprintf(format, args...)}
	}
	display, _, err := str("display")
	if err != nil {
		return fail("%v", err)
	}
	desc, _, err := str("desc")
	if err != nil {
		return fail("%v", err)
	}
	if desc == "" {
		return fail("field JSON entry has no desc")
	}
	ft, ok := pluginapi.ParseFieldType(typ)
	if !ok {
		return fail("invalid field type '%s' (want string, uint64, reltime, abstime, bool, ipaddr or ipnet)", typ)
	}
	f := Field{ID: uint32(i), Name: name, Type: ft, Display: display, Desc: desc}
	if f.IsList, err = optBool(obj, "isList"); err != nil {
		return fail("%v", err)
	}
	if f.AddOutput, err = optBool(obj, "addOutput"); err != nil {
		return fail("%v", err)
	}
	if argRaw, ok := obj["arg"]; ok && string(argRaw) != "null" {
		var arg map[string]json.RawMessage
		if err := json.Unmarshal(argRaw, &arg); err != nil || arg == nil {
			return fail("arg property is not an object")
		}
		if f.Arg.IsRequired, err = optBool(arg, "isRequired"); err != nil {
			return fail("arg %v", err)
		}
		if f.Arg.IsIndex, err = optBool(arg, "isIndex"); err != nil {
			return fail("arg %v", err)
		}
		if f.Arg.IsKey, err = optBool(arg, "isKey"); err != nil {
			return fail("arg %v", err)
		}
		if f.Arg.IsRequired && !f.Arg.Allowed() {
			return fail("arg has isRequired true, but none of isKey nor isIndex is true")
		}
	}
	if propsRaw, ok := obj["properties"]; ok && string(propsRaw) != "null" {
		var props []json.RawMessage
		if err := json.Unmarshal(propsRaw, &props); err != nil {
			return fail("properties property is not an array")
		}
		for _, p := range props {
			var s string
			if err := json.Unmarshal(p, &s); err != nil {
				return fail("properties value %s is not a string", string(p))
			}
			f.Properties = append(f.Properties, s)
		}
	}
	return f, nil
}

func optBool(obj map[string]json.RawMessage, key string) (bool, error) {
	v, ok := obj[key]
	if !ok || string(v) == "null" {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return false, fmt.Errorf("%s property is not boolean", key)
	}
	return b, nil
}

// parseSourceList reads a JSON array of strings (extract/parse/async
// sources, async event names). Empty strings are dropped, as libsinsp does.
func parseSourceList(js string) ([]string, error) {
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(js), &items); err != nil || items == nil {
		return nil, fmt.Errorf("did not return a JSON array of strings: %s", quoteShort(js))
	}
	out := []string{}
	for _, it := range items {
		var s string
		if err := json.Unmarshal(it, &s); err != nil {
			return nil, fmt.Errorf("did not return a JSON array of strings: element %s is not a string", string(it))
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

func quoteShort(s string) string {
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return fmt.Sprintf("%q", s)
}
