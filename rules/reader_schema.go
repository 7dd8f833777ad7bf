package rules

import (
	"sort"
	"strconv"
	"strings"
)

// Falco 0.44 validates each YAML document of a rules file against its
// rules JSON schema with valijson (weak types, every error collected) and
// reports the outcome as schema warnings: "ok", or one "failed for
// <path>: <description>" per error, innermost first. This is our own
// rendering of that schema and of valijson's walk over it, so that the
// same warnings come out.

// schema is one subschema: the constraints it holds, checked in valijson's
// order (type, anyOf, enum, items, minProperties, properties, required).
type schema struct {
	typ           string
	anyOf         []*schema
	enum          []string
	items         *schema
	minProperties int
	properties    map[string]*schema // nil: no properties constraint
	required      []string
}

var (
	anySchema     = &schema{}
	stringSchema  = &schema{typ: "string"}
	boolSchema    = &schema{typ: "boolean"}
	integerSchema = &schema{typ: "integer"}
	overridden    = &schema{typ: "string", enum: []string{"append", "replace"}}
	altSchema     = &schema{typ: "object", properties: map[string]*schema{"name": stringSchema, "version": stringSchema}, required: []string{"name", "version"}}
	pluginSchema  = &schema{typ: "object", properties: map[string]*schema{"name": stringSchema, "version": stringSchema,
		"alternatives": {typ: "array", items: altSchema}}, required: []string{"name", "version"}}
	exceptionSchema = &schema{typ: "object", properties: map[string]*schema{"name": stringSchema, "fields": anySchema,
		"comps": anySchema, "values": anySchema}, required: []string{"name"}}
	overrideSchema = func() *schema {
		s := &schema{typ: "object", minProperties: 1, properties: map[string]*schema{}}
		for _, k := range []string{"items", "desc", "condition", "output", "priority", "enabled", "exceptions", "capture", "capture_duration", "tags", "warn_evttypes", "skip-if-unknown-filter"} {
			s.properties[k] = overridden
		}
		return s
	}()
	ruleItemSchema = &schema{typ: "object", properties: map[string]*schema{
		"required_engine_version":  stringSchema,
		"required_plugin_versions": {typ: "array", items: pluginSchema},
		"macro":                    stringSchema,
		"condition":                stringSchema,
		"list":                     stringSchema,
		"items":                    {typ: "array", items: &schema{anyOf: []*schema{integerSchema, stringSchema}}},
		"rule":                     stringSchema,
		"desc":                     stringSchema,
		"enabled":                  boolSchema,
		"output":                   stringSchema,
		"append":                   boolSchema,
		"priority":                 {typ: "string", enum: []string{"EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "INFORMATIONAL", "DEBUG"}},
		"capture":                  boolSchema,
		"capture_duration":         integerSchema,
		"source":                   stringSchema,
		"exceptions":               {typ: "array", items: exceptionSchema},
		"override":                 overrideSchema,
		"tags":                     {typ: "array", items: stringSchema},
		"warn_evttypes":            boolSchema,
		"skip-if-unknown-filter":   boolSchema,
	}}
	rulesFileSchema = &schema{typ: "array", items: ruleItemSchema}
)

// valijson's weak-type tests on a yaml-cpp node.
func (n *ynode) emptyCollection() bool {
	return (n.kind == yMap && len(n.keys) == 0) || (n.kind == ySeq && len(n.items) == 0)
}
func (n *ynode) maybeString() bool { return n.kind == yScalar || n.emptyCollection() }
func (n *ynode) maybeArray() bool  { return n.kind == ySeq || (n.kind == yMap && len(n.keys) == 0) }
func (n *ynode) maybeObject() bool { return n.kind == yMap || (n.kind == ySeq && len(n.items) == 0) }
func (n *ynode) maybeBool() bool {
	return n.kind == yScalar && (n.text == "true" || n.text == "false")
}

// maybeInteger is `istringstream >> int64_t` with nothing left after.
func (n *ynode) maybeInteger() bool {
	if n.kind != yScalar {
		return false
	}
	s := strings.TrimLeft(n.text, " \t\n\v\f\r")
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(strings.TrimLeft(n.text, " \t\n\v\f\r"), 10, 64)
	return err == nil
}

type schemaError struct{ path, desc string }

type schemaValidator struct{ errs []schemaError }

func (v *schemaValidator) push(path, desc string) { v.errs = append(v.errs, schemaError{path, desc}) }

func (v *schemaValidator) validate(s *schema, n *ynode, path string) bool {
	ok := true
	if s.typ != "" {
		var match bool
		switch s.typ {
		case "string":
			match = n.maybeString()
		case "boolean":
			match = n.maybeBool()
		case "integer":
			match = n.maybeInteger()
		case "array":
			match = n.maybeArray()
		case "object":
			match = n.maybeObject()
		}
		if !match {
			v.push(path, "Value type not permitted by 'type' constraint.")
			ok = false
		}
	}
	if len(s.anyOf) > 0 {
		child := &schemaValidator{}
		matched := false
		for _, sub := range s.anyOf {
			if child.validate(sub, n, path) {
				matched = true
			}
		}
		if !matched {
			v.errs = append(v.errs, child.errs...)
			v.push(path, "Failed to validate against any schemas allowed by anyOf constraint.")
			ok = false
		}
	}
	if len(s.enum) > 0 {
		if n.kind != yScalar || !contains(s.enum, n.text) {
			v.push(path, "Failed to match against any enum values.")
			ok = false
		}
	}
	if s.items != nil && n.maybeArray() && n.kind == ySeq {
		for i, it := range n.items {
			if !v.validate(s.items, it, path+"["+strconv.Itoa(i)+"]") {
				v.push(path, "Failed to validate item #"+strconv.Itoa(i)+" in array.")
				ok = false
			}
		}
	}
	if s.minProperties > 0 && n.maybeObject() && len(n.keys) < s.minProperties {
		v.push(path, "Object should have no fewer than "+strconv.Itoa(s.minProperties)+" properties.")
		ok = false
	}
	if s.properties != nil && n.maybeObject() {
		names := make([]string, 0, len(s.properties))
		for k := range s.properties {
			names = append(names, k)
		}
		sort.Strings(names)
		matched := map[string]bool{}
		for _, name := range names {
			val := n.get(name)
			if val == nil {
				continue
			}
			matched[name] = true
			if !v.validate(s.properties[name], val, path+"["+name+"]") {
				v.push(path, "Failed to validate against schema associated with property name '"+name+"'.")
				ok = false
			}
		}
		for _, k := range n.keys {
			if k.kind != yScalar || !matched[k.text] {
				v.push(path, "Object contains a property that could not be validated using 'properties' or 'additionalProperties' constraints: '"+k.asStringOr("")+"'.")
				ok = false
				break
			}
		}
	}
	if len(s.required) > 0 && n.maybeObject() {
		for _, r := range s.required {
			if n.get(r) == nil {
				v.push(path, "Missing required property '"+r+"'.")
				ok = false
			}
		}
	}
	return ok
}

func (n *ynode) asStringOr(def string) string {
	if n.kind == yScalar {
		return n.text
	}
	if n.kind == yNull {
		return "null"
	}
	return def
}

// validateSchema returns Falco's schema validation status for the
// documents of a file: per document "ok" or its errors.
func validateSchema(docs []*ynode) []string {
	var out []string
	for _, d := range docs {
		if d == nil {
			d = &ynode{kind: yNull}
		}
		v := &schemaValidator{}
		if v.validate(rulesFileSchema, d, "<root>") {
			out = append(out, "ok")
			continue
		}
		for _, e := range v.errs {
			out = append(out, "failed for "+e.path+": "+e.desc)
		}
	}
	return out
}
