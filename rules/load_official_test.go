package rules

import (
	"os"
	"testing"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func officialK8sRegistry(t *testing.T) *registry.Registry {
	t.Helper()
	reg := registry.New()
	for _, nv := range [][2]string{{"k8saudit", "v0.18.0"}, {"json", "v0.7.4"}} {
		p, err := loader.Load(fixtures.Official(t, nv[0], nv[1]), loader.Options{})
		require.NoError(t, err)
		require.NoError(t, reg.Add(p))
	}
	return reg
}

// TestOfficialK8sAuditRules loads the rules file k8saudit v0.18.0 ships,
// from the module cache, with the plugins it requires.
func TestOfficialK8sAuditRules(t *testing.T) {
	if testing.Short() {
		t.Skip("builds official plugins")
	}
	reg := officialK8sRegistry(t)
	path := fixtures.OfficialRules(t, "k8saudit", "v0.18.0", "k8s_audit_rules.yaml")
	content, err := os.ReadFile(path)
	require.NoError(t, err)
	l := NewLoader(Env{Registry: reg, Sources: []string{"k8s_audit"}})
	res := l.Load("k8s_audit_rules.yaml", content)
	require.True(t, res.OK(), res.Text(true))
	assert.Equal(t, "k8s_audit_rules.yaml: Ok", res.Text(false))
	assert.Empty(t, res.Warnings)
	assert.Len(t, l.Rules(), 48)
	assert.Len(t, l.Macros(), 45)
	assert.Len(t, l.Lists(), 18)
	assert.Equal(t, "0.15.0", l.RequiredEngineVersion())
	for _, r := range l.Rules() {
		assert.Equal(t, "k8s_audit", r.Source, r.Name)
		assert.NotNil(t, r.Filter, r.Name)
		assert.NotNil(t, r.Format, r.Name)
	}
	assert.NoError(t, l.CheckPluginRequirements([]PluginVersion{{"k8saudit", "0.18.0"}, {"json", "0.7.4"}}, false))
	assert.EqualError(t, l.CheckPluginRequirements([]PluginVersion{{"k8saudit", "0.17.1"}, {"json", "0.7.4"}}, false),
		"Plugin 'k8saudit' version '0.17.1' is not compatible with required plugin version '0.18.0'")
	assert.EqualError(t, l.CheckPluginRequirements([]PluginVersion{{"k8saudit", "0.18.0"}}, false),
		"Plugin requirement not satisfied, must load one of: json (>= 0.7.0)")

	// without the plugins' source, every rule is skipped and every macro
	// and list is unused
	l = NewLoader(Env{Registry: reg, Sources: nil})
	res = l.Load("k8s_audit_rules.yaml", content)
	require.True(t, res.OK(), res.Text(true))
	assert.Len(t, res.Warnings, 98)
	assert.Empty(t, l.Rules())
}

func TestK8sAuditWarnings(t *testing.T) {
	if testing.Short() {
		t.Skip("builds official plugins")
	}
	reg := officialK8sRegistry(t)
	src := `- rule: na
  desc: d
  condition: ka.user.name != <NA> and ka.verb in (get, "<NA>")
  output: "user=%ka.user.name"
  priority: INFO
  source: k8s_audit
- rule: field_as_value
  desc: d
  condition: ka.verb = ka.user.name
  output: o
  priority: INFO
  source: k8s_audit
- rule: unknown_skipped
  desc: d
  condition: ka.nope = x
  output: o
  priority: INFO
  source: k8s_audit
  skip-if-unknown-filter: true
- rule: output_skipped
  desc: d
  condition: ka.verb = x
  output: "%ka.nope"
  priority: INFO
  source: k8s_audit
  skip-if-unknown-filter: true
`
	l := NewLoader(Env{Registry: reg, Sources: []string{"k8s_audit"}})
	res := l.Load("k.yaml", []byte(src))
	require.True(t, res.OK(), res.Text(true))
	checkDiags(t, "warnings", res.Warnings, []diag{
		{WarnUnsafeNACheck, "", "condition expression@2:13"},
		{WarnCompileCondition, "'ka.user.name' may be a valid field misused as a const string value", ""},
		{WarnUnknownFilter, "filter_check called with nonexistent field ka.nope", ""},
		{WarnUnknownFilter, "unknown filter: unexpected token after '", "rule output@22:10"},
	})
	rs := l.Rules()
	require.Len(t, rs, 2)
	assert.Equal(t, "na", rs[0].Name)
	assert.Equal(t, "field_as_value", rs[1].Name)
}
