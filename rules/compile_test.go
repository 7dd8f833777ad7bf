package rules

import (
	"testing"

	"github.com/plughost/plughost/filter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolveList(t *testing.T) {
	tests := []struct {
		cond  string
		items []string
		want  string
		used  bool
	}{
		{"x in (l)", []string{"a", "b"}, "x in ( a, b )", true},
		{"x in (l, c)", []string{"a b"}, "x in ( \"a b\" , c)", true},
		{"x in (c, l)", nil, "x in (c  )", true},
		{"x in (l, c)", nil, "x in (   c)", true},
		{"x = l", []string{"a"}, "x = a ", true},
		{"x = 'l'", []string{"a"}, "x = 'l'", false},
		{"x = \"l x\"", []string{"a"}, "x = \"l x\"", false},
		{"x = \"a l b\"", []string{"z"}, "x = \"a z b\"", true},
		{"ll = 1", []string{"a"}, "ll = 1", false},
		{"l", []string{"a"}, "a ", true},
		{"x in (l) or y in (l)", []string{"a"}, "x in ( a ) or y in ( a )", true},
	}
	for _, tc := range tests {
		got, used := resolveList(tc.cond, &compiledList{name: "l", items: tc.items})
		assert.Equal(t, tc.want, got, tc.cond)
		assert.Equal(t, tc.used, used, tc.cond)
	}
}

func TestExceptionCondition(t *testing.T) {
	src := `- list: names
  items: [a, b]
- list: nums
  items: [3, 4]
- rule: r
  desc: d
  condition: conform.num > 1
  output: o
  priority: info
  source: conform
  exceptions:
  - name: single
    fields: conform.str
    values: [x, "y z"]
  - name: pairs
    fields: [conform.str, conform.num]
    comps: [startswith, in]
    values:
    - [p q, [1, 2]]
    - [r, nums]
  - name: empty
    fields: [conform.str]
  - name: listed
    fields: [conform.str]
    comps: [in]
    values: [[names]]
`
	l := conformLoader(t)
	res := l.Load("f.yaml", []byte(src))
	require.True(t, res.OK(), res.Text(true))
	require.Len(t, l.Rules(), 1)
	r := l.Rules()[0]
	assert.Equal(t, `(conform.num > 1) and not (conform.str in (x, "y z")) and not (( conform.str startswith "p q" and  conform.num in (1, 2)) or ( conform.str startswith r and  conform.num in (nums))) and not (( conform.str in (names)))`, r.Condition)
	assert.Equal(t, []string{"conform.num", "conform.str"}, r.ExceptionFields)
	assert.Equal(t, []string{"=", "", ""}[:1], r.Exceptions[2].Comps)
	assert.Equal(t, []string{"in"}, r.Exceptions[0].Comps)
	assert.Empty(t, res.Warnings)
	assert.Equal(t, "(conform.num > 1 and not conform.str in (x, \"y z\") and not ((conform.str startswith \"p q\" and conform.num in (1, 2)) or (conform.str startswith r and conform.num in (3, 4))) and not conform.str in (a, b))", filter.String(r.Filter.Expr()))
}

func TestMacrosAndLists(t *testing.T) {
	src := `- list: inner
  items: [a, b]
- list: outer
  items: [inner, c]
- list: late
  items: [outer]
- macro: m1
  condition: conform.str in (outer) or conform.num = 1
- macro: m2
  condition: m1 and conform.num < 5
- rule: r
  desc: d
  condition: m2 and not conform.str in (late)
  output: o
  priority: info
  source: conform
`
	l := conformLoader(t)
	res := l.Load("f.yaml", []byte(src))
	require.True(t, res.OK(), res.Text(true))
	assert.Empty(t, res.Warnings)
	lists := l.Lists()
	require.Len(t, lists, 3)
	assert.Equal(t, []string{"a", "b", "c"}, lists[1].Items)
	assert.Equal(t, []string{"inner", "c"}, lists[2].Items, "one level only")
	assert.Equal(t, []string{"outer"}, lists[2].RawItems)
	r := l.Rules()[0]
	assert.Equal(t, "(((conform.str in (a, b, c) or conform.num = 1) and conform.num < 5) and not conform.str in (inner, c))", filter.String(r.Filter.Expr()))
	for _, m := range l.Macros() {
		assert.True(t, m.Used, m.Name)
	}
}

func TestAppendOverrideSemantics(t *testing.T) {
	src := `- macro: m
  condition: conform.num > 1
- macro: m
  condition: or conform.num = 0
  override:
    condition: append
- list: l
  items: [a]
- list: l
  items: [b]
  override:
    items: append
- rule: first
  desc: d1
  condition: m
  output: out1
  priority: info
  source: conform
  tags: [t2, t1]
- rule: second
  desc: d
  condition: conform.str in (l)
  output: o
  priority: debug
  source: conform
- rule: first
  desc: more
  output: more
  tags: [t3, t1]
  override:
    desc: append
    output: append
    tags: append
- rule: first
  priority: CRITICAL
  enabled: false
  override:
    priority: replace
    enabled: replace
- rule: second
  condition: conform.str = b
  output: replaced
  override:
    condition: replace
    output: replace
- rule: first
  condition: and conform.num < 9
  append: true
`
	l := conformLoader(t)
	res := l.Load("f.yaml", []byte(src))
	require.True(t, res.OK(), res.Text(true))
	checkDiags(t, "warnings", res.Warnings, []diag{
		{WarnDeprecatedItem, warningAppend, "rule@45:2"},
		{WarnUnusedList, "List not referred to by any other rule/macro", "list@6:2"},
	})
	rs := l.Rules()
	require.Len(t, rs, 2)
	assert.Equal(t, "first", rs[0].Name)
	assert.Equal(t, "d1 more", rs[0].Desc)
	assert.Equal(t, "out1 more", rs[0].Output)
	assert.Equal(t, []string{"t1", "t2", "t3"}, rs[0].Tags)
	assert.Equal(t, Critical, rs[0].Priority)
	assert.False(t, rs[0].Enabled)
	assert.Equal(t, "m and conform.num < 9", rs[0].Condition)
	assert.Equal(t, "((conform.num > 1 or conform.num = 0) and conform.num < 9)", filter.String(rs[0].Filter.Expr()))
	assert.Equal(t, "conform.str = b", rs[1].Condition)
	assert.Equal(t, "replaced", rs[1].Output)
	assert.Equal(t, []string{"a", "b"}, l.Lists()[0].Items)
}

func TestRedefinitionKeepsIndex(t *testing.T) {
	l := conformLoader(t)
	rule := func(name, cond string) string {
		return "- rule: " + name + "\n  desc: d\n  condition: " + cond + "\n  output: o\n  priority: info\n  source: conform\n"
	}
	res := l.Load("f.yaml", []byte(rule("a", "conform.num > 1")+rule("b", "conform.num > 2")+"- list: l\n  items: [x]\n- list: l\n  items: [y]\n"+rule("a", "conform.str in (l)")))
	require.True(t, res.OK(), res.Text(true))
	rs := l.Rules()
	require.Len(t, rs, 2)
	assert.Equal(t, "a", rs[0].Name)
	assert.Equal(t, "conform.str in (l)", rs[0].Condition)
	assert.Equal(t, Pos{File: "f.yaml", Line: 16, Column: 2, Offset: rs[0].Pos.Offset}, rs[0].Pos)
	assert.Equal(t, []string{"y"}, l.Lists()[0].Items)
	assert.Equal(t, 14, l.Lists()[0].Pos.Line)
}

func TestMultiFile(t *testing.T) {
	l := conformLoader(t)
	res := l.Load("a.yaml", []byte("- rule: r\n  desc: d\n  condition: m\n  output: o\n  priority: info\n  source: conform\n"))
	require.False(t, res.OK())
	assert.Equal(t, "Undefined macro 'm' used in filter.", res.Errors[0].Msg)
	assert.Nil(t, l.Rules())
	res = l.Load("b.yaml", []byte("- macro: m\n  condition: conform.num > 1\n"))
	require.True(t, res.OK(), res.Text(true))
	require.Len(t, l.Rules(), 1)
	// unknown-source rules are collected, so later overrides find them
	res = l.Load("c.yaml", []byte("- rule: k\n  desc: d\n  condition: ka.verb = x\n  output: o\n  priority: info\n  source: k8s_audit\n- rule: k\n  desc: e\n  override:\n    desc: append\n"))
	require.True(t, res.OK(), res.Text(true))
	checkDiags(t, "warnings", res.Warnings, []diag{{WarnUnknownSource, "Unknown source k8s_audit, skipping", "rule@0:2"}})
	require.Len(t, l.Rules(), 1)
}

func TestAppendOutput(t *testing.T) {
	l := NewLoader(Env{Registry: conformRegistry(t), Sources: []string{"conform"}, AppendOutput: []AppendOutput{
		{ExtraOutput: "all=%conform.num"},
		{Tags: []string{"x"}, ExtraOutput: "tagged", ExtraFields: []ExtraField{{Key: "conform.str", Raw: true}, {Key: "f", Format: "v=%conform.num"}}},
		{Rule: "other", ExtraOutput: "never"},
		{Source: "nope", ExtraOutput: "never"},
	}})
	res := l.Load("f.yaml", []byte("- rule: r\n  desc: d\n  condition: conform.num > 1\n  output: base\n  priority: info\n  source: conform\n  tags: [x, y]\n"))
	require.True(t, res.OK(), res.Text(true))
	r := l.Rules()[0]
	assert.Equal(t, "base all=%conform.num tagged", r.Output)
	require.Len(t, r.ExtraFields, 2)
	assert.Equal(t, "conform.str", r.ExtraFields[0].Key)
	assert.True(t, r.ExtraFields[0].Raw)
	assert.Equal(t, "%conform.str", r.ExtraFields[0].Format.Text())
	assert.Equal(t, "v=%conform.num", r.ExtraFields[1].Format.Text())
}

func TestPluginRequirements(t *testing.T) {
	src := `- required_plugin_versions:
  - name: k8saudit
    version: 0.7.0
    alternatives:
    - name: k8saudit-eks
      version: 0.4.0
  - name: json
    version: 0.2.0
`
	tests := []struct {
		name   string
		loaded []PluginVersion
		strict bool
		want   string
	}{
		{"ok", []PluginVersion{{"k8saudit", "0.18.0"}, {"json", "0.7.4"}}, false, ""},
		{"alternative", []PluginVersion{{"k8saudit-eks", "0.4.1"}, {"json", "0.7.4"}}, false, ""},
		{"too old", []PluginVersion{{"k8saudit", "0.6.9"}, {"json", "0.7.4"}}, false, "Plugin 'k8saudit' version '0.6.9' is not compatible with required plugin version '0.7.0'"},
		{"normalized", []PluginVersion{{"k8saudit", "0.5.0-rc1"}, {"json", "0.7.4"}}, false, "Plugin 'k8saudit' version '0.5.0' is not compatible with required plugin version '0.7.0'"},
		{"other major", []PluginVersion{{"k8saudit", "1.0.0"}, {"json", "0.7.4"}}, false, "Plugin 'k8saudit' version '1.0.0' is not compatible with required plugin version '0.7.0'"},
		{"first alternative decides", []PluginVersion{{"k8saudit", "0.1.0"}, {"k8saudit-eks", "0.9.0"}, {"json", "0.7.4"}}, false, "Plugin 'k8saudit' version '0.1.0' is not compatible with required plugin version '0.7.0'"},
		{"strict tries all", []PluginVersion{{"k8saudit", "0.1.0"}, {"k8saudit-eks", "0.9.0"}, {"json", "0.7.4"}}, true, ""},
		{"none loaded", []PluginVersion{{"json", "0.7.4"}}, false, "Plugin requirement not satisfied, must load one of: k8saudit (>= 0.7.0), k8saudit-eks (>= 0.4.0)"},
		{"second group", []PluginVersion{{"k8saudit", "0.7.0"}}, false, "Plugin requirement not satisfied, must load one of: json (>= 0.2.0)"},
		{"invalid loaded version", []PluginVersion{{"k8saudit", "x"}}, false, "Plugin 'k8saudit' has invalid version string 'x'"},
	}
	l := conformLoader(t)
	require.True(t, l.Load("f.yaml", []byte(src)).OK())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := l.CheckPluginRequirements(tc.loaded, tc.strict)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.ErrorIs(t, err, ErrRequirement)
		})
	}
	// requirements merge across files
	require.True(t, l.Load("g.yaml", []byte("- required_plugin_versions: [{name: extra, version: 1.0.0}]\n")).OK())
	assert.Len(t, l.Requirements(), 3)
	assert.EqualError(t, l.CheckPluginRequirements([]PluginVersion{{"k8saudit", "0.18.0"}, {"json", "0.7.4"}}, false),
		"Plugin requirement not satisfied, must load one of: extra (>= 1.0.0)")
}

func TestEngineVersion(t *testing.T) {
	for _, v := range []string{"10", "0.10.0", "0.62.0", "0x3e", "0.62.0-rc1", "0.62"} {
		l := conformLoader(t)
		res := l.Load("f.yaml", []byte("- required_engine_version: "+v+"\n"))
		if v == "0.62" {
			require.False(t, res.OK())
			assert.Equal(t, "Unable to parse engine version '0.62' as a semver string. Expected \"x.y.z\" semver format.", res.Errors[0].Msg)
			continue
		}
		require.True(t, res.OK(), v+": "+res.Text(true))
	}
	l := NewLoader(Env{EngineVersion: "0.63.0"})
	assert.True(t, l.Load("f.yaml", []byte("- required_engine_version: 63\n")).OK())
	assert.Equal(t, "0.63.0", l.RequiredEngineVersion())
	assert.Equal(t, "0.7.0", implicitEngineVersion(7))
}

func TestLoadStopsAtFirstError(t *testing.T) {
	l := conformLoader(t)
	res := l.Load("f.yaml", []byte("- list: a\n  items: [x]\n- list: b\n- list: c\n"))
	require.Len(t, res.Errors, 1)
	assert.Equal(t, "Item has no mapping for key 'items'", res.Errors[0].Msg)
	assert.Empty(t, res.Warnings, "nothing compiled after a read error")
	// what was read before the error stays collected
	res = l.Load("g.yaml", []byte("- list: a\n  items: [y]\n  override:\n    items: append\n"))
	require.True(t, res.OK(), res.Text(true))
	assert.Equal(t, []string{"x", "y"}, l.Lists()[0].Items)
}

func TestExceptionsReplaceAndUnknownSource(t *testing.T) {
	l := conformLoader(t)
	base := "- rule: r\n  desc: d\n  condition: conform.num > 1\n  output: o\n  priority: info\n  source: conform\n"
	// exceptions: replace is not validated by the collector: no default comps
	res := l.Load("f.yaml", []byte(base+"- rule: r\n  exceptions:\n  - name: e\n    fields: [conform.str]\n    values: [[a]]\n  override:\n    exceptions: replace\n"))
	require.False(t, res.OK())
	assert.Equal(t, "(conform.num > 1) and not (( conform.str  a))", res.Errors[0].alt)
	assert.Equal(t, ErrCompileCondition, res.Errors[0].Code)

	// a rule of an unknown source does not have its exception fields checked
	l = conformLoader(t)
	res = l.Load("g.yaml", []byte("- rule: k\n  desc: d\n  condition: x\n  output: o\n  priority: info\n  source: k8s_audit\n  exceptions:\n  - name: e\n    fields: [ka.nope]\n    comps: [like]\n"))
	require.False(t, res.OK(), "comps are still checked")
	assert.Equal(t, "'like' is not a supported comparison operator", res.Errors[0].Msg)
	res = l.Load("h.yaml", []byte("- rule: k2\n  desc: d\n  condition: x\n  output: o\n  priority: info\n  source: k8s_audit\n  exceptions:\n  - name: e\n    fields: [ka.nope]\n"))
	require.True(t, res.OK(), res.Text(true))
}

func TestSuggestedOutput(t *testing.T) {
	l := NewLoader(Env{Registry: conformRegistry(t), Sources: []string{"conform"}, AppendOutput: []AppendOutput{
		{SuggestedOutput: true},
		{Source: "other", SuggestedOutput: true},
	}})
	res := l.Load("f.yaml", []byte("- rule: r\n  desc: d\n  condition: conform.num > 1\n  output: base\n  priority: info\n  source: conform\n"))
	require.True(t, res.OK(), res.Text(true))
	assert.Equal(t, "base conform_payload=%conform.payload", l.Rules()[0].Output)
	assert.Equal(t, "base", l.Rules()[0].RawOutput)
}
