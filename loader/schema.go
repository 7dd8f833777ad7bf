package loader

import (
	"errors"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// compiledSchema is a plugin's init schema, compiled once at load.
type compiledSchema struct {
	schema *jsonschema.Schema
}

const schemaURL = "plugin-init-schema.json"

func compileSchema(src string) (*compiledSchema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(src))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, err
	}
	return &compiledSchema{schema: s}, nil
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
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}
