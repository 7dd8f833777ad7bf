package rules

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Code is a load error or warning code. Errors and warnings are two
// separate enumerations in Falco; a Code knows which one it belongs to.
type Code int

// Error codes, in Falco's enum order.
const (
	ErrFileRead Code = iota
	ErrYAMLParse
	ErrYAMLValidate
	ErrCompileCondition
	ErrCompileOutput
	ErrValidate
	ErrExtension
)

// Warning codes, in Falco's enum order.
const (
	WarnUnknownSource Code = 100 + iota
	WarnUnsafeNACheck
	WarnNoEvttype
	WarnUnknownFilter
	WarnUnusedMacro
	WarnUnusedList
	WarnUnknownItem
	WarnDeprecatedItem
	WarnExtension
	WarnAppendNoValues
	WarnExceptionNameNotUnique
	WarnInvalidMacroName
	WarnInvalidListName
	WarnCompileCondition
	WarnUnknownKey
)

var errorCodeNames = [...]string{"LOAD_ERR_FILE_READ", "LOAD_ERR_YAML_PARSE", "LOAD_ERR_YAML_VALIDATE",
	"LOAD_ERR_COMPILE_CONDITION", "LOAD_ERR_COMPILE_OUTPUT", "LOAD_ERR_VALIDATE", "LOAD_ERR_EXTENSION"}

var errorCodeStrings = [...]string{"File read error", "YAML parse error",
	"Error validating internal structure of YAML file", "Error compiling condition",
	"Error compiling output", "Error validating rule/macro/list/exception objects",
	"Error in extension item"}

var errorCodeDescs = [...]string{
	"This occurs when falco can not read a given file. Check permissions and whether the file exists.",
	"This occurs when the rules content is not valid YAML.",
	"This occurs when the internal structure of the YAML file is incorrect. Examples include not consisting of a sequence of maps, a given rule/macro/list item not having required keys, values not having the right type (e.g. the items property of a list not being a sequence), etc.",
	"This occurs when a condition string can not be compiled to a filter object.",
	"This occurs when an output string can not be compiled to an output object.",
	"This occurs when a rule/macro/list item is incorrect. Examples include a condition field referring to an undefined macro, falco engine/plugin version mismatches, items with append without any existing item, exception fields/comps having different lengths, etc.",
	"This occurs when there is an error in an extension item",
}

var warningCodeNames = [...]string{"LOAD_UNKNOWN_SOURCE", "LOAD_UNSAFE_NA_CHECK", "LOAD_NO_EVTTYPE",
	"LOAD_UNKNOWN_FILTER", "LOAD_UNUSED_MACRO", "LOAD_UNUSED_LIST", "LOAD_UNKNOWN_ITEM",
	"LOAD_DEPRECATED_ITEM", "LOAD_WARNING_EXTENSION", "LOAD_APPEND_NO_VALUES",
	"LOAD_EXCEPTION_NAME_NOT_UNIQUE", "LOAD_INVALID_MACRO_NAME", "LOAD_INVALID_LIST_NAME",
	"LOAD_COMPILE_CONDITION", "LOAD_UNKNOWN_KEY"}

var warningCodeStrings = [...]string{"Unknown event source", "Unsafe <NA> comparison in condition",
	"Condition has no event-type restriction", "Unknown field or event-type in condition or output",
	"Unused macro", "Unused list", "Unknown rules file item", "Used deprecated item",
	"Warning in extension item", "Overriding/appending with no values",
	"Multiple exceptions defined with the same name", "Invalid macro name", "Invalid list name",
	"Warning in rule condition", "Unknown key in item definition"}

var warningCodeDescs = [...]string{
	"A rule has a unknown event source. This can occur when reading rules content without having a corresponding plugin loaded, etc. The rule will be silently ignored.",
	"Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. If you need to check for the existence of a field, consider using the 'exists' operator instead.",
	"A rule condition matches too many evt.type values. This has a significant performance penalty. Make the condition more specific by adding an evt.type field or further restricting the number of evt.type values in the condition.",
	"A rule condition or output refers to a field or evt.type that does not exist. This is normally an error, but if a rule has a skip-if-unknown-filter property, the error is downgraded to a warning.",
	"A macro is defined in the rules content but is not used by any other macro or rule.",
	"A list is defined in the rules content but is not used by any other list, macro, or rule.",
	"An unknown top-level object is in the rules content. It will be ignored.",
	"A deprecated item is employed by lists, macros, or rules.",
	"An extension item has a warning",
	"A rule exception is overriding/appending with no values",
	"A rule is defining multiple exceptions with the same name",
	"A macro is defined with an invalid name",
	"A list is defined with an invalid name",
	"A rule condition or output have been parsed with a warning",
	"An item in the rules content contains an unrecognized key. The key will be ignored. This may indicate a typo or a property placed on the wrong item type.",
}

// IsWarning reports whether c is a warning code.
func (c Code) IsWarning() bool { return c >= WarnUnknownSource }

func (c Code) lookup(errs, warns []string) string {
	if c.IsWarning() {
		if i := int(c - WarnUnknownSource); i < len(warns) {
			return warns[i]
		}
	} else if c >= 0 && int(c) < len(errs) {
		return errs[c]
	}
	return fmt.Sprintf("Code(%d)", int(c))
}

// String is the code's name, e.g. "LOAD_ERR_YAML_PARSE".
func (c Code) String() string { return c.lookup(errorCodeNames[:], warningCodeNames[:]) }

// Short is the short text Falco prints after the code, e.g. "YAML parse error".
func (c Code) Short() string { return c.lookup(errorCodeStrings[:], warningCodeStrings[:]) }

// Description is the long description of the code.
func (c Code) Description() string { return c.lookup(errorCodeDescs[:], warningCodeDescs[:]) }

// Item types of a Location, as Falco names them.
const (
	ItemValueFor                 = "value for"
	ItemExceptions               = "exceptions"
	ItemException                = "exception"
	ItemExceptionValues          = "exception values"
	ItemExceptionValue           = "exception value"
	ItemRulesContent             = "rules content"
	ItemRulesContentItem         = "rules content item"
	ItemRequiredEngineVersion    = "required_engine_version"
	ItemRequiredPluginVersions   = "required plugin versions"
	ItemRequiredPluginEntry      = "required plugin versions entry"
	ItemRequiredPluginAlterative = "required plugin versions alternative"
	ItemList                     = "list"
	ItemListItem                 = "list item"
	ItemMacro                    = "macro"
	ItemMacroCondition           = "macro condition"
	ItemRule                     = "rule"
	ItemRuleCondition            = "rule condition"
	ItemConditionExpression      = "condition expression"
	ItemRuleOutput               = "rule output"
	ItemRuleOutputExpression     = "rule output expression"
	ItemRulePriority             = "rule priority"
	ItemOverrides                = "overrides"
	ItemExtension                = "extension item"
)

// Location is one step of a diagnostic's context, as Falco's
// rule_loader::context location: Line and Column count from 0, as
// yaml-cpp marks do; Offset is a byte offset.
type Location struct {
	Name     string // the file, or the quoted condition for a condition expression
	ItemType string
	ItemName string
	Line     int
	Column   int
	Offset   int
}

// Diagnostic is one load error or warning.
type Diagnostic struct {
	Code    Code
	Msg     string
	Context []Location
	// Snippet is the source excerpt with its caret line, as Falco prints it.
	Snippet string
	// DeprecatedField names the field of a LOAD_DEPRECATED_ITEM warning
	// about a deprecated field.
	DeprecatedField string

	alt string // the condition text a condition expression's snippet is cut from
}

func (d *Diagnostic) short() string {
	if d.DeprecatedField != "" {
		return d.Code.Short() + ": field '" + d.DeprecatedField + "'"
	}
	return d.Code.Short()
}

func (d *Diagnostic) contextText() string {
	var b strings.Builder
	for i, loc := range d.Context {
		if i == 0 {
			b.WriteString("In ")
		} else {
			b.WriteString("    ")
		}
		b.WriteString(loc.ItemType)
		if loc.ItemName != "" {
			b.WriteString(" '" + loc.ItemName + "'")
		}
		fmt.Fprintf(&b, ": (%s:%d:%d)\n", loc.Name, loc.Line, loc.Column)
	}
	return b.String()
}

// Result is the outcome of one Load call, as Falco's load_result.
type Result struct {
	Name     string
	Errors   []Diagnostic
	Warnings []Diagnostic
	// SchemaChecked reports that the YAML parsed, so Falco set a schema
	// validation status (and prints schema_valid in JSON).
	SchemaChecked  bool
	SchemaWarnings []string
}

// OK reports whether the load had no error.
func (r *Result) OK() bool { return len(r.Errors) == 0 }

func (r *Result) schemaValid() bool {
	return len(r.SchemaWarnings) == 0 || r.SchemaWarnings[0] == "ok"
}

// Text is Falco's load_result as_string: the summary form, or with
// verbose every error and warning with its context and snippet.
func (r *Result) Text(verbose bool) string {
	var b strings.Builder
	if r.Name != "" {
		b.WriteString(r.Name + ": ")
	}
	if r.OK() {
		b.WriteString("Ok")
		if len(r.Warnings) > 0 {
			b.WriteString(", with warnings")
		}
	} else {
		b.WriteString("Invalid")
	}
	if !verbose {
		if r.SchemaChecked && !r.schemaValid() {
			fmt.Fprintf(&b, "\n %d schema warnings: [%s]", len(r.SchemaWarnings), strings.Join(r.SchemaWarnings, " "))
		}
		list := func(kind string, ds []Diagnostic) {
			if len(ds) == 0 {
				return
			}
			fmt.Fprintf(&b, "\n %d %s: [", len(ds), kind)
			for i := range ds {
				if i > 0 {
					b.WriteString(" ")
				}
				b.WriteString(ds[i].Code.String() + " (" + ds[i].short() + ")")
			}
			b.WriteString("]")
		}
		list("errors", r.Errors)
		list("warnings", r.Warnings)
		return b.String()
	}
	if r.SchemaChecked && !r.schemaValid() {
		fmt.Fprintf(&b, "\n%d Schema warnings:\n", len(r.SchemaWarnings))
		for _, w := range r.SchemaWarnings {
			b.WriteString("------\n" + w + "\n")
		}
		b.WriteString("------\n")
	}
	list := func(kind string, ds []Diagnostic) {
		if len(ds) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%d %s:\n", len(ds), kind)
		for i := range ds {
			d := &ds[i]
			b.WriteString(d.contextText())
			b.WriteString("------\n" + d.Snippet + "------\n")
			b.WriteString(d.Code.String() + " (" + d.short() + "): " + d.Msg + "\n")
		}
	}
	list("Errors", r.Errors)
	list("Warnings", r.Warnings)
	return b.String()
}

// JSON is Falco's load_result as_json, byte for byte as nlohmann dumps it
// (sorted keys). For errors, codedesc repeats the short text, as Falco's
// error_desc does.
func (r *Result) JSON() json.RawMessage {
	return appendJSONValue(nil, r.jsonValue())
}

func (r *Result) jsonValue() jsonObject {
	obj := jsonObject{"name": r.Name, "successful": r.OK()}
	if r.SchemaChecked {
		obj["schema_valid"] = r.schemaValid()
		ws := []any{}
		if !r.schemaValid() {
			for _, w := range r.SchemaWarnings {
				ws = append(ws, w)
			}
		}
		obj["schema_warnings"] = ws
	}
	diag := func(d *Diagnostic, desc string) jsonObject {
		locs := []any{}
		for _, l := range d.Context {
			locs = append(locs, jsonObject{
				"item_type": l.ItemType,
				"item_name": l.ItemName,
				"position": jsonObject{
					"name":   l.Name,
					"line":   json.Number(strconv.Itoa(l.Line)),
					"column": json.Number(strconv.Itoa(l.Column)),
					"offset": json.Number(strconv.Itoa(l.Offset)),
				},
			})
		}
		o := jsonObject{
			"context":  jsonObject{"locations": locs, "snippet": d.Snippet},
			"code":     d.Code.String(),
			"codedesc": desc,
			"message":  d.Msg,
		}
		if d.DeprecatedField != "" {
			o["deprecated_field"] = d.DeprecatedField
		}
		return o
	}
	errs := []any{}
	for i := range r.Errors {
		errs = append(errs, diag(&r.Errors[i], r.Errors[i].Code.Short()))
	}
	warns := []any{}
	for i := range r.Warnings {
		w := &r.Warnings[i]
		warns = append(warns, diag(w, w.Code.Description()))
	}
	obj["errors"] = errs
	obj["warnings"] = warns
	return obj
}

// snippet renders the excerpt around offset pos of content with a caret,
// exactly as rule_loader::context::snippet does, including its unsigned
// arithmetic at the edges.
func snippet(content string, pos uint64) string {
	const width = 160
	if content == "" {
		return "<No context available>\n"
	}
	size := uint64(len(content))
	for pos > 0 && (pos >= size || content[pos] == '\n') {
		pos--
	}
	from := pos
	for from > 0 && content[from] != '\n' && pos-from < width/2 {
		from--
	}
	to := pos
	for to < size-1 && content[to] != '\n' && to-pos < width/2 {
		to++
	}
	if from < size && content[from] == '\n' {
		from++
	}
	if to < size && content[to] == '\n' {
		to--
	}
	ret := ""
	if from <= size {
		n := to - from + 1
		if n > size-from {
			n = size - from
		}
		ret = content[from : from+n]
	}
	if ret == "" {
		return "<No context available>\n"
	}
	if pos-from >= width/2 {
		ret = "..." + ret[min(3, len(ret)):]
	}
	if to-pos >= width/2 {
		ret = ret[:max(0, len(ret)-3)] + "..."
	}
	ret += "\n"
	if pos-from <= uint64(len(ret)-1) {
		ret += strings.Repeat(" ", int(pos-from)) + "^\n"
	}
	return ret
}

var deprecatedFields = []string{"evt.dir", "evt.latency", "evt.latency.s", "evt.latency.ns", "evt.latency.human", "evt.wait_latency"}

func deprecatedFieldDesc(f string) string {
	if f == "evt.dir" {
		return "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' always evaluates to false. The rule expression can be simplified by removing the condition on 'evt.dir'"
	}
	return "field is not available due to the drop of enter events."
}
