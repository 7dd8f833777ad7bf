package loader

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// compiledSchema is a plugin's init schema, compiled once at load.
type compiledSchema struct {
	schema *jsonschema.Schema
}

// Limits on a plugin's init schema, checked on the raw text before anything
// is compiled: compilation cost grows faster than linearly with nesting, and
// each pattern is a compiled regexp. The official plugins' schemas are a few
// KiB, nested under 10 levels, with a handful of patterns.
const (
	MaxInitSchemaBytes    = 1 << 20 // bytes of JSON
	MaxInitSchemaDepth    = 128     // nested JSON objects and arrays
	MaxInitSchemaPatterns = 100     // "pattern" keywords and patternProperties keys
	// MaxInitSchemaSubschemas bounds the schema objects: the compiler looks
	// each one up in a list of those seen, so its time is quadratic in their
	// number (1 MiB of flat properties took 4.5 s).
	MaxInitSchemaSubschemas = 4096
)

// schemaURL is the init schema's base URI. It is absolute, so nothing in the
// schema resolves against the working directory.
const schemaURL = "urn:plughost:init-schema"

// schemaError is an init schema the host refuses; limit marks a schema
// refused by one of the Max* limits before compiling.
type schemaError struct {
	msg   string
	limit bool
}

func (e *schemaError) Error() string { return e.msg }

// refuseLoader is the compiler's only URL loader: an init schema reads
// nothing from the host (files, network), whatever its $ref or $schema say.
type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("the init schema may only refer to itself; '%s' is not read", url)
}

// schemaLimits checks the raw schema text against the size and depth limits.
func schemaLimits(src string) *schemaError {
	if len(src) > MaxInitSchemaBytes {
		return &schemaError{limit: true, msg: fmt.Sprintf("init schema is %d bytes, above the limit of %d", len(src), MaxInitSchemaBytes)}
	}
	if d := jsonDepth(src); d > MaxInitSchemaDepth {
		return &schemaError{limit: true, msg: fmt.Sprintf("init schema is nested %d levels deep, above the limit of %d", d, MaxInitSchemaDepth)}
	}
	return nil
}

// compileSchema compiles a plugin's init schema, refusing (as *schemaError)
// one over the limits, with a ref outside itself or with a ref cycle.
func compileSchema(src string) (*compiledSchema, error) {
	if err := schemaLimits(src); err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(src))
	if err != nil {
		return nil, err
	}
	sc := schemaScan{}
	if err := sc.schema(doc, ""); err != nil {
		return nil, err
	}
	if sc.patterns > MaxInitSchemaPatterns {
		return nil, &schemaError{limit: true, msg: fmt.Sprintf("init schema has %d patterns, above the limit of %d", sc.patterns, MaxInitSchemaPatterns)}
	}
	if sc.subschemas > MaxInitSchemaSubschemas {
		return nil, &schemaError{limit: true, msg: fmt.Sprintf("init schema has %d subschemas, above the limit of %d", sc.subschemas, MaxInitSchemaSubschemas)}
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(refuseLoader{})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, err
	}
	if cycle := findRefCycle(s); cycle != nil {
		return nil, &schemaError{msg: "init schema has a $ref cycle that never descends into the config: " + strings.Join(cycle, " -> ")}
	}
	return &compiledSchema{schema: s}, nil
}

// jsonDepth is the deepest nesting of objects and arrays in s, in one pass.
func jsonDepth(s string) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		}
	}
	return deepest
}

// schemaScan walks a decoded schema: it counts patterns and refuses refs
// that leave the document.
type schemaScan struct {
	patterns   int
	subschemas int // JSON objects read as schemas
}

// Keywords whose value maps names to subschemas.
var schemaMaps = map[string]bool{
	"properties": true, "patternProperties": true, "$defs": true, "definitions": true,
	"dependentSchemas": true, "dependencies": true,
}

// Keywords whose value is data, not schemas.
var schemaData = map[string]bool{"const": true, "enum": true, "default": true, "examples": true}

func (sc *schemaScan) schema(v any, ptr string) error {
	switch v := v.(type) {
	case []any:
		for i, x := range v {
			if err := sc.schema(x, ptr+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
	case map[string]any:
		sc.subschemas++
		for _, k := range slices.Sorted(maps.Keys(v)) {
			x, at := v[k], ptr+"/"+escapePointer(k)
			switch {
			case schemaData[k]:
			case schemaMaps[k]:
				m, _ := x.(map[string]any)
				if k == "patternProperties" {
					sc.patterns += len(m)
				}
				for _, name := range slices.Sorted(maps.Keys(m)) {
					if err := sc.schema(m[name], at+"/"+escapePointer(name)); err != nil {
						return err
					}
				}
			case k == "$ref" || k == "$dynamicRef" || k == "$recursiveRef":
				if ref, ok := x.(string); ok && !strings.HasPrefix(ref, "#") {
					return &schemaError{msg: fmt.Sprintf("%s '%s' at '%s' points outside the init schema; only refs into the schema itself ('#...') are resolved", k, ref, at)}
				}
			case k == "pattern":
				if _, ok := x.(string); ok {
					sc.patterns++
				}
			default:
				if err := sc.schema(x, at); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// findRefCycle returns the schema locations of a cycle made only of
// in-place applicators ($ref, allOf, anyOf, oneOf, not, if/then/else,
// dependent schemas), which no config can get through, or nil.
func findRefCycle(root *jsonschema.Schema) []string {
	// Every schema reachable from root, in a stable order.
	all := []*jsonschema.Schema{root}
	inPlace := map[*jsonschema.Schema][]*jsonschema.Schema{}
	seen := map[*jsonschema.Schema]bool{root: true}
	for i := 0; i < len(all); i++ {
		in, down := schemaEdges(all[i])
		inPlace[all[i]] = in
		for _, t := range append(in, down...) {
			if !seen[t] {
				seen[t] = true
				all = append(all, t)
			}
		}
	}
	// Depth-first search of the in-place edges alone.
	const (
		white = iota
		grey
		black
	)
	color := map[*jsonschema.Schema]int{}
	var stack []*jsonschema.Schema
	var cycle []string
	var visit func(s *jsonschema.Schema) bool
	visit = func(s *jsonschema.Schema) bool {
		color[s] = grey
		stack = append(stack, s)
		for _, t := range inPlace[s] {
			switch color[t] {
			case grey:
				for _, x := range stack[slices.Index(stack, t):] {
					cycle = append(cycle, shortLocation(x))
				}
				cycle = append(cycle, shortLocation(t))
				return true
			case white:
				if visit(t) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[s] = black
		return false
	}
	for _, s := range all {
		if color[s] == white && visit(s) {
			return cycle
		}
	}
	return nil
}

func shortLocation(s *jsonschema.Schema) string {
	return strings.TrimPrefix(s.Location, schemaURL)
}

// schemaEdges splits a schema's subschemas into those applied to the same
// instance and those applied to a part of it.
func schemaEdges(s *jsonschema.Schema) (inPlace, descend []*jsonschema.Schema) {
	add := func(dst *[]*jsonschema.Schema, xs ...*jsonschema.Schema) {
		for _, x := range xs {
			if x != nil {
				*dst = append(*dst, x)
			}
		}
	}
	anySchema := func(dst *[]*jsonschema.Schema, v any) {
		switch v := v.(type) {
		case *jsonschema.Schema:
			add(dst, v)
		case []*jsonschema.Schema:
			add(dst, v...)
		}
	}
	add(&inPlace, s.Ref, s.RecursiveRef, s.Not, s.If, s.Then, s.Else)
	if s.DynamicRef != nil {
		add(&inPlace, s.DynamicRef.Ref)
	}
	add(&inPlace, s.AllOf...)
	add(&inPlace, s.AnyOf...)
	add(&inPlace, s.OneOf...)
	for _, k := range slices.Sorted(maps.Keys(s.DependentSchemas)) {
		add(&inPlace, s.DependentSchemas[k])
	}
	for _, k := range slices.Sorted(maps.Keys(s.Dependencies)) {
		anySchema(&inPlace, s.Dependencies[k])
	}
	for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
		add(&descend, s.Properties[k])
	}
	for _, x := range s.PatternProperties {
		add(&descend, x)
	}
	anySchema(&descend, s.AdditionalProperties)
	anySchema(&descend, s.Items)
	anySchema(&descend, s.AdditionalItems)
	add(&descend, s.PropertyNames, s.UnevaluatedProperties, s.Contains, s.Items2020, s.UnevaluatedItems, s.ContentSchema)
	add(&descend, s.PrefixItems...)
	return inPlace, descend
}

var printer = message.NewPrinter(language.English)

// configProblem is a config that fails its schema: the JSON path of the
// offending value (RFC 6901, "" for the root) and what is wrong with it.
type configProblem struct {
	path string
	msg  string
}

// validate normalizes config ("" becomes "{}", as libsinsp does) and checks
// it against the schema. It returns the normalized config.
func (cs *compiledSchema) validate(config string) (string, *configProblem) {
	if config == "" {
		config = "{}"
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(config))
	if err != nil {
		return config, &configProblem{msg: "init config is not valid JSON: " + err.Error()}
	}
	err = cs.schema.Validate(inst)
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		leaf := firstLeaf(ve)
		return config, &configProblem{
			path: jsonPointer(leaf.InstanceLocation),
			msg:  leaf.ErrorKind.LocalizedString(printer),
		}
	}
	if err != nil {
		return config, &configProblem{msg: err.Error()}
	}
	return config, nil
}

// firstLeaf follows the first cause down to the most specific error, which
// is the one that names the offending value.
func firstLeaf(e *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(e.Causes) > 0 {
		e = e.Causes[0]
	}
	return e
}

// jsonPointer renders an instance location as RFC 6901 ("" is the root).
func jsonPointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointer(t))
	}
	return b.String()
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(t string) string { return pointerEscaper.Replace(t) }
