package loader_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

// Official plugins built from the module proxy and our Go SDK fixtures: each
// embeds its own Go runtime, and all of them live in this one test process,
// loaded without RTLD_DEEPBIND.
func TestLoadGoRuntimePlugins(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go plugins")
	}
	tests := []struct {
		name        string
		path        func(testing.TB) string
		version     string
		apiVersion  string
		id          uint32
		source      string
		caps        []string
		fields      int
		extractFrom []string
	}{
		{"dummy", func(tb testing.TB) string { return fixtures.Official(tb, "dummy", "v0.11.5") },
			"0.11.5", "3.11.0", 3, "dummy", []string{"sourcing", "extraction"}, 3, []string{"dummy"}},
		{"json", func(tb testing.TB) string { return fixtures.Official(tb, "json", "v0.7.4") },
			"0.7.4", "3.11.0", 0, "", []string{"extraction"}, 6, []string{}},
		{"k8saudit", func(tb testing.TB) string { return fixtures.Official(tb, "k8saudit", "v0.18.0") },
			"0.18.0", "3.11.0", 1, "k8s_audit", []string{"sourcing", "extraction"}, 100, []string{"k8s_audit"}},
		{"cloudtrail", func(tb testing.TB) string { return fixtures.Official(tb, "cloudtrail", "v0.17.1") },
			"0.17.1", "3.11.0", 2, "aws_cloudtrail", []string{"sourcing", "extraction"}, 73, []string{"aws_cloudtrail"}},
		{"gocounter", func(tb testing.TB) string { return fixtures.GoSDK(tb, "gocounter") },
			"0.1.0", "3.11.0", 998, "gocounter", []string{"sourcing", "extraction"}, 6, []string{"gocounter"}},
		{"goextract", func(tb testing.TB) string { return fixtures.GoSDK(tb, "goextract") },
			"0.2.0", "3.11.0", 0, "", []string{"extraction"}, 1, []string{"gocounter"}},
	}
	var states []*loader.State
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := loader.Load(tt.path(t), loader.Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.name, p.Name)
			assert.Equal(t, tt.version, p.Version)
			assert.Equal(t, tt.apiVersion, p.RequiredAPIVersion)
			assert.Equal(t, tt.id, p.ID)
			assert.Equal(t, tt.source, p.EventSource)
			assert.Equal(t, tt.caps, p.Capabilities.Names())
			assert.Len(t, p.Fields, tt.fields)
			assert.Equal(t, tt.extractFrom, p.ExtractEventSources)
			assert.True(t, p.GoRuntime)
			assert.Empty(t, p.Warnings)
			// k8saudit fails init on "": only the schema normalization to
			// "{}" lets it start with an empty config.
			s, err := p.Init("")
			require.NoError(t, err)
			states = append(states, s)
		})
	}
	for _, s := range states {
		s.Destroy()
	}
}

func TestLoadWithDeepBind(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "parse_only"), loader.Options{DeepBind: true})
	require.NoError(t, err)
	s, err := p.Init("")
	require.NoError(t, err)
	s.Destroy()
}
