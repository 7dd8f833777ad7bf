package rules

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/load")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "load", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./rules -update")
	assert.Equal(t, string(want), string(got), name)
}

func TestGoldenResults(t *testing.T) {
	files, err := filepath.Glob("testdata/load/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(base, func(t *testing.T) {
			content, err := os.ReadFile(f)
			require.NoError(t, err)
			res := conformLoader(t).Load(base+".yaml", content)
			j := res.JSON()
			require.True(t, json.Valid(j))
			var out bytes.Buffer
			out.WriteString(res.Text(false) + "\n=====\n" + res.Text(true))
			golden(t, base+".txt", out.Bytes())
			golden(t, base+".json", append(j, '\n'))
		})
	}
}

func TestValidate(t *testing.T) {
	read := func(name string) NamedContent {
		c, err := os.ReadFile(filepath.Join("testdata", "load", name))
		require.NoError(t, err)
		return NamedContent{Name: name, Content: c}
	}
	env := Env{Registry: conformRegistry(t), Sources: []string{"conform"}}
	files := []NamedContent{read("ok.yaml"), read("warnings.yaml"), read("bad_output.yaml")}
	v := Validate(env, files, nil, false)
	require.Error(t, v.Err)
	assert.ErrorIs(t, v.Err, ErrLoad)
	require.Len(t, v.Warnings, 1)
	assert.True(t, strings.HasPrefix(v.Warnings[0], "warnings.yaml: Ok, with warnings\n6 Schema warnings:\n"), v.Warnings[0])
	assert.Contains(t, v.Warnings[0], "\n\n5 Warnings:\n")
	golden(t, "validate.stdout", []byte(v.Stdout))
	vj := Validate(env, files, nil, true)
	require.True(t, json.Valid([]byte(vj.Stdout)))
	golden(t, "validate.json", []byte(vj.Stdout))

	ok := Validate(env, files[:1], nil, false)
	require.NoError(t, ok.Err)
	assert.Equal(t, "ok.yaml: Ok\n", ok.Stdout)

	req := Validate(env, []NamedContent{{Name: "r.yaml", Content: []byte("- required_plugin_versions: [{name: x, version: 1.0.0}]\n")}}, nil, false)
	assert.ErrorIs(t, req.Err, ErrRequirement)
	assert.EqualError(t, req.Err, "Plugin requirement not satisfied, must load one of: x (>= 1.0.0)")
	assert.Empty(t, req.Stdout)

	_, err := ValidateFiles(env, []string{"testdata/load/missing.yaml"}, nil, false)
	assert.EqualError(t, err, "Could not open file testdata/load/missing.yaml for reading")
}

func TestLoadFileMissing(t *testing.T) {
	res := conformLoader(t).LoadFile("testdata/load/missing.yaml")
	require.Len(t, res.Errors, 1)
	assert.Equal(t, ErrFileRead, res.Errors[0].Code)
	assert.Equal(t, "Could not open file testdata/load/missing.yaml for reading", res.Errors[0].Msg)
}

func TestSchemaWarnings(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"- rule: r\n  priority: WARNING\n", []string{"ok"}},
		{"- list: l\n  items: [1, a, [b]]\n", []string{
			"failed for <root>[0][items][2]: Value type not permitted by 'type' constraint.",
			"failed for <root>[0][items][2]: Value type not permitted by 'type' constraint.",
			"failed for <root>[0][items][2]: Failed to validate against any schemas allowed by anyOf constraint.",
			"failed for <root>[0][items]: Failed to validate item #2 in array.",
			"failed for <root>[0]: Failed to validate against schema associated with property name 'items'.",
			"failed for <root>: Failed to validate item #0 in array."}},
		{"- rule: r\n  enabled: yes\n  override: {}\n  exceptions: [{fields: x}]\n", []string{
			"failed for <root>[0][enabled]: Value type not permitted by 'type' constraint.",
			"failed for <root>[0]: Failed to validate against schema associated with property name 'enabled'.",
			"failed for <root>[0][exceptions][0]: Missing required property 'name'.",
			"failed for <root>[0][exceptions]: Failed to validate item #0 in array.",
			"failed for <root>[0]: Failed to validate against schema associated with property name 'exceptions'.",
			"failed for <root>[0][override]: Object should have no fewer than 1 properties.",
			"failed for <root>[0]: Failed to validate against schema associated with property name 'override'.",
			"failed for <root>: Failed to validate item #0 in array."}},
		{"- required_plugin_versions: [{name: a, alternatives: [{name: b, version: 1}]}]\n---\n- macro: m\n", []string{
			"failed for <root>[0][required_plugin_versions][0]: Missing required property 'version'.",
			"failed for <root>[0][required_plugin_versions]: Failed to validate item #0 in array.",
			"failed for <root>[0]: Failed to validate against schema associated with property name 'required_plugin_versions'.",
			"failed for <root>: Failed to validate item #0 in array.",
			"ok"}},
		{"- capture_duration: ' 12'\n- capture_duration: 0x10\n", []string{
			"failed for <root>[1][capture_duration]: Value type not permitted by 'type' constraint.",
			"failed for <root>[1]: Failed to validate against schema associated with property name 'capture_duration'.",
			"failed for <root>: Failed to validate item #1 in array."}},
	}
	for _, tc := range tests {
		docs, perr := parseYAML([]byte(tc.src))
		require.Nil(t, perr)
		assert.Equal(t, tc.want, validateSchema(docs), tc.src)
	}
	// only the first document's status decides validity
	res := conformLoader(t).Load("f.yaml", []byte("- list: l\n  items: []\n---\n- list: m\n  items: []\n  x: 1\n"))
	assert.True(t, res.schemaValid())
	assert.Contains(t, string(res.JSON()), `"schema_valid":true,"schema_warnings":[]`)
}

func TestDeprecatedFieldRendering(t *testing.T) {
	res := conformLoader(t).Load("f.yaml", []byte("- rule: r\n  condition: conform.num > 1\n  desc: d\n  output: evt.dir\n  priority: INFO\n  source: conform\n"))
	require.Len(t, res.Warnings, 1)
	assert.Equal(t, "f.yaml: Ok, with warnings\n 1 warnings: [LOAD_DEPRECATED_ITEM (Used deprecated item: field 'evt.dir')]", res.Text(false))
	assert.Contains(t, string(res.JSON()), `"code":"LOAD_DEPRECATED_ITEM","codedesc":"A deprecated item is employed by lists, macros, or rules.",`)
	assert.Contains(t, string(res.JSON()), `"deprecated_field":"evt.dir"`)
}

func TestCodes(t *testing.T) {
	assert.Equal(t, "LOAD_ERR_EXTENSION", ErrExtension.String())
	assert.Equal(t, "LOAD_UNKNOWN_KEY", WarnUnknownKey.String())
	assert.Equal(t, "Warning in rule condition", WarnCompileCondition.Short())
	assert.Equal(t, "This occurs when a condition string can not be compiled to a filter object.", ErrCompileCondition.Description())
	assert.True(t, WarnUnknownSource.IsWarning())
	assert.False(t, ErrExtension.IsWarning())
}

func TestSnippetEdges(t *testing.T) {
	assert.Equal(t, "<No context available>\n", snippet("", 0))
	assert.Equal(t, "abc\n ^\n", snippet("abc\n", 1))
	assert.Equal(t, "abc\n  ^\n", snippet("abc\n", 99), "past the end goes back to the last character")
	// content starting with a newline, position 0: Falco's unsigned
	// arithmetic wraps, giving the rest of the text elided and no caret
	assert.Equal(t, "...\n", snippet("\nab\n", 0))
}
