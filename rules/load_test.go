package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// diag is a compact expectation: code, message and the last location's
// item type and 0-based line:column.
type diag struct {
	code Code
	msg  string
	at   string // "item type@line:col", "" to skip
}

func lastAt(d Diagnostic) string {
	l := d.Context[len(d.Context)-1]
	return l.ItemType + "@" + itoa(l.Line) + ":" + itoa(l.Column)
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func checkDiags(t *testing.T, kind string, got []Diagnostic, want []diag) {
	t.Helper()
	var g, w []string
	for _, d := range got {
		g = append(g, d.Code.String()+": "+d.Msg)
	}
	for _, d := range want {
		w = append(w, d.code.String()+": "+d.msg)
	}
	require.Equal(t, w, g, kind)
	for i, d := range want {
		if d.at != "" {
			assert.Equal(t, d.at, lastAt(got[i]), "%s %d location", kind, i)
		}
	}
}

const ruleTail = "\n  desc: d\n  output: o\n  priority: info\n  source: conform\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		err  diag
	}{
		{"not an array", "a: b\n", diag{ErrYAMLValidate, "Rules content is not yaml array of objects", "rules content@0:0"}},
		{"scalar document", "hello\n", diag{ErrYAMLValidate, "Rules content is not yaml", "rules content@0:0"}},
		{"item not a map", "- a\n", diag{ErrYAMLValidate, "Unexpected element type. Each element should be a yaml associative array.", "rules content item@0:2"}},
		{"list without items", "- list: l\n", diag{ErrYAMLValidate, "Item has no mapping for key 'items'", "list@0:2"}},
		{"list items not a sequence", "- list: l\n  items: x\n", diag{ErrYAMLValidate, "Value is not a sequence", "value for@1:9"}},
		{"list item not scalar", "- list: l\n  items: [[a]]\n", diag{ErrYAMLValidate, "sequence value is not scalar", "list item@1:10"}},
		{"empty list name", "- list:\n  items: []\n", diag{ErrYAMLValidate, "Mapping for key 'list' is empty", "list@0:2"}},
		{"empty string name", "- list: ''\n  items: []\n", diag{ErrYAMLValidate, "Value must be non-empty", "value for@0:8"}},
		{"map name", "- macro: {a: b}\n  condition: x\n", diag{ErrYAMLValidate, "Value is not a scalar value", "value for@0:9"}},
		{"bad bool", "- list: l\n  items: []\n  append: maybe\n", diag{ErrYAMLValidate, "Can't decode YAML scalar value", "value for@2:10"}},
		{"capture_duration too big", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  capture_duration: 4294967296\n", diag{ErrYAMLValidate, "Can't decode YAML scalar value", "value for@6:20"}},
		{"capture_duration negative", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  capture_duration: -1\n", diag{ErrYAMLValidate, "Can't decode YAML scalar value", "value for@6:20"}},
		{"undefined alias", "- list: l\n  items: *nope\n", diag{ErrYAMLParse, "yaml-cpp: error at line 2, column 10: the referenced anchor is not defined", "value for@1:9"}},
		{"unclosed flow map", "- list: {a: b\n", diag{ErrYAMLParse, "yaml-cpp: error at line 1, column 9: end of map flow not found", ""}},
		{"exception empty fields", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: []\n", diag{ErrValidate, "Rule exception item must have fields property with a list of fields", "exception@7:4"}},
		{"appended exception without fields", "- rule: r\n  condition: conform.num > 1" + ruleTail + "- rule: r\n  exceptions:\n  - name: e\n    values: [a]\n  override:\n    exceptions: append\n", diag{ErrValidate, "Rule exception must have fields property with a list of fields", "exception@8:4"}},
		{"override value not a scalar", "- macro: m\n  condition: x\n  override:\n    condition: [append]\n", diag{ErrValidate, "yaml-cpp: error at line 4, column 16: bad conversion", "rules content@0:0"}},
		{"anchored node marked at its anchor", "- list: l\n  items: &a x\n", diag{ErrYAMLValidate, "Value is not a sequence", "value for@1:9"}},
		{"alias marked as its anchor", "- list: l\n  items: &a [b]\n- macro: m\n  condition: *a\n", diag{ErrYAMLValidate, "Value is not a scalar value", "value for@1:9"}},
		{"tagged node marked at its tag", "- list: l\n  items: !!str x\n", diag{ErrYAMLValidate, "Value is not a sequence", "value for@1:9"}},
		{"empty value marked at the next token", "- list: l\n  items:   # none\n  append: true\n", diag{ErrYAMLValidate, "Value is not a sequence", "value for@2:2"}},
		{"empty value before the next item", "- list: l\n  items:\n- list: m\n", diag{ErrYAMLValidate, "Value is not a sequence", "value for@2:0"}},
		{"empty value at the end", "- list: l\n  items:", diag{ErrYAMLValidate, "Value is not a sequence", "value for@1:8"}},
		{"list append missing", "- list: l\n  items: [a]\n  override:\n    items: append\n", diag{ErrValidate, "List uses 'append' or 'override.items: append' but no list by that name already exists", "list@0:2"}},
		{"macro append missing", "- macro: m\n  condition: x\n  append: true\n", diag{ErrValidate, "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", "macro@0:2"}},
		{"append with override", "- macro: m\n  condition: x\n  append: true\n  override:\n    condition: append\n", diag{ErrYAMLValidate, "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", "macro@0:2"}},
		{"rule missing output", "- rule: r\n  condition: conform.num > 1\n  desc: d\n  priority: info\n", diag{ErrYAMLValidate, "Item has no mapping for key 'output'", "rule@0:2"}},
		{"bad priority", "- rule: r\n  condition: conform.num > 1\n  desc: d\n  output: o\n  priority: loud\n", diag{ErrYAMLValidate, "Invalid priority", "rule priority@4:12"}},
		{"enabled no rule", "- rule: r\n  enabled: false\n", diag{ErrValidate, "Rule has 'enabled' key but no rule by that name already exists", "rule@0:2"}},
		{"cannot append priority", "- rule: r\n  priority: info\n  override:\n    priority: append\n", diag{ErrYAMLValidate, "Key 'priority' cannot be appended to, use 'replace' instead", "overrides@3:4"}},
		{"cannot replace source", "- rule: r\n  source: x\n  override:\n    source: replace\n", diag{ErrYAMLValidate, "Key 'source' cannot be replaced", "overrides@3:4"}},
		{"bad override op", "- rule: r\n  desc: x\n  override:\n    desc: merge\n", diag{ErrYAMLValidate, "Invalid override operation for key 'desc': 'merge'. Allowed values are: append replace ", "value for@3:10"}},
		{"bad override op priority", "- rule: r\n  priority: x\n  override:\n    priority: merge\n", diag{ErrYAMLValidate, "Invalid override operation for key 'priority': 'merge'. Allowed values are: replace ", "value for@3:14"}},
		{"override key not defined", "- rule: r\n  override:\n    desc: append\n", diag{ErrYAMLValidate, "An append override for 'desc' was specified but 'desc' is not defined", "rule@0:2"}},
		{"key without override entry", "- rule: r\n  condition: conform.num > 1" + ruleTail + "- rule: r\n  desc: x\n  output: y\n  override:\n    desc: append\n", diag{ErrYAMLValidate, "Unexpected key 'output': no corresponding entry under 'override' is defined.", "overrides@8:10"}},
		{"append no rule", "- rule: r\n  condition: x\n  override:\n    condition: append\n", diag{ErrValidate, "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists", "rule@0:2"}},
		{"replace no rule", "- rule: r\n  desc: x\n  override:\n    desc: replace\n", diag{ErrValidate, "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists", "rule@0:2"}},
		{"legacy append nothing", "- rule: r\n  condition: conform.num > 1" + ruleTail + "- rule: r\n  append: true\n", diag{ErrValidate, "Appended rule must have exceptions or condition property", "rule@6:2"}},
		{"different source", "- rule: r\n  condition: conform.num > 1" + ruleTail + "- rule: r\n  source: other\n  condition: x\n  append: true\n", diag{ErrValidate, "Rule has been re-defined with a different source", "rule@6:2"}},
		{"exceptions not a sequence", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions: x\n", diag{ErrYAMLValidate, "Rule exceptions must be a sequence", "exceptions@6:14"}},
		{"exception not a map", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions: [x]\n", diag{ErrYAMLValidate, "Rule exception must be a mapping", "exception@6:15"}},
		{"exception without name", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - fields: [conform.num]\n", diag{ErrYAMLValidate, "Item has no mapping for key 'name'", "exception@7:4"}},
		{"exception without fields", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n", diag{ErrYAMLValidate, "Item has no mapping for key 'fields'", "exception@7:4"}},
		{"exception fields comps length", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: [conform.num, conform.str]\n    comps: [=]\n", diag{ErrValidate, "Fields and comps lists must have equal length", "exception@7:4"}},
		{"exception bad comp", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: [conform.num]\n    comps: [like]\n", diag{ErrValidate, "'like' is not a supported comparison operator", "exception@7:4"}},
		{"exception single bad comp", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: conform.str\n    comps: =\n", diag{ErrValidate, "When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)", "exception@7:4"}},
		{"exception single list comps", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: conform.str\n    comps: [in]\n", diag{ErrValidate, "Fields and comps must both be strings", "exception@7:4"}},
		{"exception unknown field", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: [conform.nope]\n", diag{ErrValidate, "'conform.nope' is not a supported filter field", "exception@7:4"}},
		{"exception values length", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: [conform.num, conform.str]\n    values: [[1]]\n", diag{ErrValidate, "Fields and values lists must have equal length", "exception@7:4"}},
		{"exception single list value", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: conform.str\n    values: [[a, b]]\n", diag{ErrValidate, "Expected values array to contain a list of strings", "exception@7:4"}},
		{"exception values not a sequence", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: conform.str\n    values: a\n", diag{ErrYAMLValidate, "Rule exception values must be a sequence", "exception values@9:12"}},
		{"append exception fields", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: conform.str\n- rule: r\n  exceptions:\n  - name: e\n    fields: conform.str\n    values: [a]\n  override:\n    exceptions: append\n", diag{ErrValidate, "Can not append exception fields to existing exception, only values", "exception@11:4"}},
		{"append exception comps", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: conform.str\n- rule: r\n  exceptions:\n  - name: e\n    comps: in\n    values: [a]\n  override:\n    exceptions: append\n", diag{ErrValidate, "Can not append exception comps to existing exception, only values", "exception@11:4"}},
		{"append new exception without values", "- rule: r\n  condition: conform.num > 1" + ruleTail + "- rule: r\n  exceptions:\n  - name: e\n    fields: conform.str\n  override:\n    exceptions: append\n", diag{ErrValidate, "Rule exception must have values property with a list of values", "exception@8:4"}},
		{"macro parse error", "- macro: m\n  condition: conform.num >\n", diag{ErrCompileCondition, "expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'", ""}},
		{"undefined macro", "- rule: r\n  condition: nope and conform.num > 1" + ruleTail, diag{ErrValidate, "Undefined macro 'nope' used in filter.", "condition expression@1:3"}},
		{"macro order", "- macro: a\n  condition: b\n- macro: b\n  condition: conform.num > 1\n", diag{ErrValidate, "Undefined macro 'b' used in filter.", "condition expression@1:3"}},
		{"macro loop", "- macro: a\n  condition: conform.num > 1\n- macro: a\n  condition: or a\n  override:\n    condition: append\n", diag{ErrValidate, "reference loop in macro 'a'", ""}},
		{"unknown field", "- rule: r\n  condition: conform.nope = 1" + ruleTail, diag{ErrCompileCondition, "filter_check called with nonexistent field conform.nope", ""}},
		{"bad output", "- rule: r\n  condition: conform.num > 1\n  desc: d\n  output: '%conform.nope'\n  priority: info\n  source: conform\n", diag{ErrCompileOutput, "", "rule output@3:10"}},
		{"engine version too new", "- required_engine_version: 100\n", diag{ErrValidate, "Rules require engine version 0.100.0, but engine version is 0.62.0", "required_engine_version@0:2"}},
		{"engine version semver too new", "- required_engine_version: 0.63.0\n", diag{ErrValidate, "Rules require engine version 0.63.0, but engine version is 0.62.0", ""}},
		{"engine version other major", "- required_engine_version: 1.0.0\n", diag{ErrValidate, "Rules require engine version 1.0.0, but engine version is 0.62.0", ""}},
		{"engine version garbage", "- required_engine_version: abc\n", diag{ErrYAMLValidate, "Unable to parse engine version 'abc' as a semver string. Expected \"x.y.z\" semver format.", ""}},
		{"plugin versions not a sequence", "- required_plugin_versions: x\n", diag{ErrYAMLValidate, "Value of required_plugin_versions must be a sequence", "required plugin versions@0:28"}},
		{"plugin version not a map", "- required_plugin_versions: [x]\n", diag{ErrYAMLValidate, "Plugin version must be a mapping", "required plugin versions entry@0:29"}},
		{"plugin version without version", "- required_plugin_versions: [{name: a}]\n", diag{ErrYAMLValidate, "Item has no mapping for key 'version'", ""}},
		{"alternatives not a sequence", "- required_plugin_versions:\n  - name: a\n    version: 1.0.0\n    alternatives: x\n", diag{ErrYAMLValidate, "Value of plugin version alternatives must be a sequence", ""}},
		{"alternative not a map", "- required_plugin_versions:\n  - name: a\n    version: 1.0.0\n    alternatives: [x]\n", diag{ErrYAMLValidate, "Plugin version alternative must be a mapping", ""}},
		{"invalid plugin version", "- required_plugin_versions:\n  - name: a\n    version: 1.0\n", diag{ErrValidate, "Invalid required version '1.0' for plugin 'a'", ""}},
		{"duplicate alternative", "- required_plugin_versions:\n  - name: a\n    version: 1.0.0\n    alternatives: [{name: a, version: 2.0.0}]\n", diag{ErrValidate, "Defined multiple alternative version requirements for plugin 'a'", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := conformLoader(t).Load("f.yaml", []byte(tc.src))
			require.Len(t, res.Errors, 1, res.Text(true))
			d := res.Errors[0]
			assert.Equal(t, tc.err.code.String(), d.Code.String())
			if tc.err.msg != "" {
				assert.Equal(t, tc.err.msg, d.Msg)
			}
			if tc.err.at != "" {
				assert.Equal(t, tc.err.at, lastAt(d))
			}
			assert.ErrorIs(t, res.Err(), ErrLoad)
		})
	}
}

func TestLoadWarnings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []diag
	}{
		{"nulls skipped", "- ~\n-\n", nil},
		{"duplicate keys: the first wins", "- list: l\n  items: [a]\n  items: [[b]]\n  list: m\n", []diag{
			{WarnUnusedList, "List not referred to by any other rule/macro", "list@0:2"}}},
		{"unknown item", "- foo: bar\n", []diag{{WarnUnknownItem, "Unknown top level item", "rules content item@0:2"}}},
		{"unknown key", "- list: l\n  items: []\n  color: red\n", []diag{
			{WarnUnknownKey, "Unknown key 'color'. The key will be ignored.", "list@0:2"},
			{WarnUnusedList, "List not referred to by any other rule/macro", "list@0:2"}}},
		{"invalid names", "- list: 'a b'\n  items: []\n- macro: 1m\n  condition: conform.num > 1\n", []diag{
			{WarnInvalidListName, "List has an invalid name. List names should match a regular expression: ([^()\"'[:space:]=,]+)", ""},
			{WarnInvalidMacroName, "Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)", ""},
			{WarnUnusedMacro, "Macro not referred to by any other rule/macro", "macro@2:2"},
			{WarnUnusedList, "List not referred to by any other rule/macro", "list@0:2"}}},
		{"deprecated append", "- list: l\n  items: [a]\n- list: l\n  items: [b]\n  append: true\n", []diag{
			{WarnDeprecatedItem, "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", "list@2:2"},
			{WarnUnusedList, "List not referred to by any other rule/macro", "list@0:2"}}},
		{"standalone enabled", "- rule: r\n  condition: conform.num > 1" + ruleTail + "- rule: r\n  enabled: false\n", []diag{
			{WarnDeprecatedItem, "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').", "rule@6:2"}}},
		{"unknown source", "- rule: r\n  condition: x\n  desc: d\n  output: o\n  priority: info\n", []diag{
			{WarnUnknownSource, "Unknown source syscall, skipping", "rule@0:2"}}},
		{"unknown source macro unused", "- macro: m\n  condition: conform.num > 1\n- rule: r\n  condition: m\n  desc: d\n  output: o\n  priority: info\n  source: k8s_audit\n", []diag{
			{WarnUnknownSource, "Unknown source k8s_audit, skipping", "rule@2:2"},
			{WarnUnusedMacro, "Macro not referred to by any other rule/macro", "macro@0:2"}}},
		{"skip unknown filter", "- rule: r\n  condition: conform.nope = 1\n  skip-if-unknown-filter: true" + ruleTail, []diag{
			{WarnUnknownFilter, "filter_check called with nonexistent field conform.nope", ""}}},
		{"exception name not unique", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: conform.str\n  - name: e\n    fields: conform.str\n", []diag{
			{WarnExceptionNameNotUnique, "Multiple definitions of exception 'e' in the same rule", "exception@9:4"}}},
		{"append exception no values", "- rule: r\n  condition: conform.num > 1" + ruleTail + "  exceptions:\n  - name: e\n    fields: conform.str\n- rule: r\n  exceptions:\n  - name: e\n  override:\n    exceptions: append\n", []diag{
			{WarnAppendNoValues, "Overriding/appending exception with no values", "exception@11:4"}}},
		{"unknown key in engine version", "- required_engine_version: 0.10.0\n  foo: 1\n", []diag{
			{WarnUnknownKey, "Unknown key 'foo'. The key will be ignored.", "required_engine_version@0:2"}}},
		{"deprecated field in output", "- rule: r\n  condition: conform.num > 1\n  desc: d\n  output: evt.latency.ns and evt.dir\n  priority: info\n  source: conform\n", []diag{
			{WarnDeprecatedItem, "usage of deprecated field 'evt.dir' has been detected in the rule output", "rule output@3:10"},
			{WarnDeprecatedItem, "usage of deprecated field 'evt.latency' has been detected in the rule output", "rule output@3:10"},
			{WarnDeprecatedItem, "usage of deprecated field 'evt.latency.ns' has been detected in the rule output", "rule output@3:10"}}},
		{"container info", "- rule: r\n  condition: conform.num > 1\n  desc: d\n  output: o %container.info\n  priority: info\n  source: conform\n", []diag{
			{WarnDeprecatedItem, containerInfoDeprecation, "rule@0:2"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := conformLoader(t).Load("f.yaml", []byte(tc.src))
			require.True(t, res.OK(), res.Text(true))
			checkDiags(t, "warnings", res.Warnings, tc.want)
		})
	}
}

func TestRequirementErrorIs(t *testing.T) {
	l := conformLoader(t)
	res := l.Load("f.yaml", []byte("- required_plugin_versions:\n  - name: a\n    version: 1.0.0\n"))
	require.True(t, res.OK())
	err := l.CheckPluginRequirements(nil, false)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrRequirement))
	assert.True(t, strings.HasPrefix(err.Error(), "Plugin requirement not satisfied"))
}
