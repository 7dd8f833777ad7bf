package registry_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// load loads C fixtures, a fresh *loader.Plugin per name.
func load(tb testing.TB, names ...string) []*loader.Plugin {
	tb.Helper()
	out := make([]*loader.Plugin, len(names))
	for i, n := range names {
		p, err := loader.Load(fixtures.C(tb, n), loader.Options{})
		require.NoError(tb, err, n)
		out[i] = p
	}
	return out
}

func official(tb testing.TB, nameVersions ...string) []*loader.Plugin {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds official plugins")
	}
	var out []*loader.Plugin
	for i := 0; i < len(nameVersions); i += 2 {
		p, err := loader.Load(fixtures.Official(tb, nameVersions[i], nameVersions[i+1]), loader.Options{})
		require.NoError(tb, err, nameVersions[i])
		out = append(out, p)
	}
	return out
}

// build adds every plugin and fails on any error.
func build(tb testing.TB, plugins ...*loader.Plugin) *registry.Registry {
	tb.Helper()
	r := registry.New()
	for _, p := range plugins {
		require.NoError(tb, r.Add(p), p.Name)
	}
	return r
}

func names(ps []*loader.Plugin) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func warningMsgs(ws []registry.Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

func unused(name string) string {
	return "Plugin '" + name + "' is loaded but unused as not compatible with any known event source"
}

// Each case adds its plugins in order; all but the last must be accepted,
// and the last gives err (nil: accepted too).
func TestAddRules(t *testing.T) {
	tests := []struct {
		name     string
		plugins  []string
		err      *registry.Error
		sources  []string
		warnings []string
	}{
		{
			name:    "duplicate name",
			plugins: []string{"extract_only", "extract_only"},
			err: &registry.Error{Kind: registry.ErrDuplicateName, Plugin: "extract_only",
				Msg: "plugin 'extract_only' is already loaded"},
			sources:  []string{},
			warnings: []string{unused("extract_only")},
		},
		{
			name:    "duplicate id among source plugins",
			plugins: []string{"source_only", "reg_dup_id"},
			err: &registry.Error{Kind: registry.ErrDuplicateID, Plugin: "reg_dup_id", Other: "source_only", ID: 991,
				Msg: "plugin 'reg_dup_id' has id 991, already used by plugin 'source_only'"},
			sources:  []string{"fixture_src"},
			warnings: []string{},
		},
		{
			name:    "id 0 is never a duplicate; the second id-0 plugin is shadowed",
			plugins: []string{"source_id0", "reg_id0"},
			sources: []string{"syscall"},
			warnings: []string{"plugin 'reg_id0' (id 0) also provides event source 'syscall'; " +
				"only the first, plugin 'source_id0' (id 0), is opened"},
		},
		{
			name:    "same source, other id: kept, shadowed",
			plugins: []string{"source_only", "reg_shadow"},
			sources: []string{"fixture_src"},
			warnings: []string{"plugin 'reg_shadow' (id 2002) also provides event source 'fixture_src'; " +
				"only the first, plugin 'source_only' (id 991), is opened"},
		},
		{
			name:    "overlap on a loaded source",
			plugins: []string{"source_only", "extract_only", "reg_overlap"},
			err: &registry.Error{Kind: registry.ErrFieldOverlap, Plugin: "reg_overlap", Other: "extract_only",
				Source: "fixture_src", Field: "fixture.str",
				Msg: "Plugin 'reg_overlap' supports extraction of field 'fixture.str' that is overlapping for source 'fixture_src' (also provided by plugin 'extract_only')"},
			sources:  []string{"fixture_src"},
			warnings: []string{},
		},
		{
			// Both extractors are fine until fixture_src exists: adding its
			// source plugin is what breaks the set, so that Add fails.
			name:    "overlap surfaces when the source is added after its extractors",
			plugins: []string{"extract_only", "reg_overlap", "source_only"},
			err: &registry.Error{Kind: registry.ErrFieldOverlap, Plugin: "reg_overlap", Other: "extract_only",
				Source: "fixture_src", Field: "fixture.str",
				Msg: "Plugin 'reg_overlap' supports extraction of field 'fixture.str' that is overlapping for source 'fixture_src' (also provided by plugin 'extract_only')"},
			sources:  []string{},
			warnings: []string{unused("extract_only"), unused("reg_overlap")},
		},
		{
			name:    "an all-sources extractor overlaps with a source plugin added later",
			plugins: []string{"reg_all_overlap", "full"},
			err: &registry.Error{Kind: registry.ErrFieldOverlap, Plugin: "full", Other: "reg_all_overlap",
				Source: "fixture_full", Field: "fixture.u64",
				Msg: "Plugin 'full' supports extraction of field 'fixture.u64' that is overlapping for source 'fixture_full' (also provided by plugin 'reg_all_overlap')"},
			sources:  []string{},
			warnings: []string{unused("reg_all_overlap")},
		},
		{
			name:    "an all-sources extractor added after the source plugin",
			plugins: []string{"full", "reg_all_overlap"},
			err: &registry.Error{Kind: registry.ErrFieldOverlap, Plugin: "reg_all_overlap", Other: "full",
				Source: "fixture_full", Field: "fixture.u64",
				Msg: "Plugin 'reg_all_overlap' supports extraction of field 'fixture.u64' that is overlapping for source 'fixture_full' (also provided by plugin 'full')"},
			sources:  []string{"fixture_full"},
			warnings: []string{},
		},
		{
			name:    "an all-sources extractor overlaps on a second source",
			plugins: []string{"source_only", "extract_only", "reg_all_overlap"},
			err: &registry.Error{Kind: registry.ErrFieldOverlap, Plugin: "reg_all_overlap", Other: "extract_only",
				Source: "fixture_src", Field: "fixture.u64",
				Msg: "Plugin 'reg_all_overlap' supports extraction of field 'fixture.u64' that is overlapping for source 'fixture_src' (also provided by plugin 'extract_only')"},
			sources:  []string{"fixture_src"},
			warnings: []string{},
		},
		{
			// full and extract_only declare the same fields, but for
			// different sources.
			name:     "same field names on different sources",
			plugins:  []string{"full", "extract_only", "source_only"},
			sources:  []string{"fixture_full", "fixture_src"},
			warnings: []string{},
		},
		{
			name:     "extractor of an absent source",
			plugins:  []string{"source_only", "reg_nowhere"},
			sources:  []string{"fixture_src"},
			warnings: []string{unused("reg_nowhere")},
		},
		{
			name:     "extractor, parser and async plugin without their source",
			plugins:  []string{"extract_only", "parse_only", "async_only", "capture_listen_only"},
			sources:  []string{},
			warnings: []string{unused("extract_only"), unused("parse_only"), unused("async_only"), unused("capture_listen_only")},
		},
		{
			name:     "extractor, parser and async plugin with their source",
			plugins:  []string{"extract_only", "parse_only", "async_only", "capture_listen_only", "source_only"},
			sources:  []string{"fixture_src"},
			warnings: []string{},
		},
		{
			name:     "an all-sources plugin is used by any source",
			plugins:  []string{"reg_all", "source_id0"},
			sources:  []string{"syscall"},
			warnings: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plugins := load(t, tt.plugins...)
			r := build(t, plugins[:len(plugins)-1]...)
			err := r.Add(plugins[len(plugins)-1])
			accepted := plugins
			if tt.err == nil {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				var re *registry.Error
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.err, re)
				assert.EqualError(t, err, tt.err.Msg)
				assert.ErrorIs(t, err, tt.err.Kind)
				// A refused plugin leaves no trace.
				accepted = plugins[:len(plugins)-1]
			}
			assert.Equal(t, names(accepted), names(r.Plugins()))
			sources := r.Sources()
			if sources == nil {
				sources = []string{}
			}
			assert.Equal(t, tt.sources, sources)
			if tt.warnings == nil {
				tt.warnings = []string{}
			}
			assert.Equal(t, tt.warnings, warningMsgs(r.Warnings()))
		})
	}
}

func TestAddNil(t *testing.T) {
	err := registry.New().Add(nil)
	assert.ErrorIs(t, err, registry.ErrNilPlugin)
}

func TestWarningKinds(t *testing.T) {
	r := build(t, load(t, "source_only", "reg_shadow", "reg_nowhere")...)
	assert.Equal(t, []registry.Warning{
		{Kind: registry.WarnShadowedSource, Plugin: "reg_shadow", Source: "fixture_src", Other: "source_only",
			Msg: "plugin 'reg_shadow' (id 2002) also provides event source 'fixture_src'; only the first, plugin 'source_only' (id 991), is opened"},
		{Kind: registry.WarnUnused, Plugin: "reg_nowhere", Msg: unused("reg_nowhere")},
	}, r.Warnings())
}

func TestQueries(t *testing.T) {
	r := build(t, load(t,
		"reg_all", "source_only", "extract_only", "parse_only", "async_only", "full",
		"reg_longest", "reg_shadow", "source_id0", "reg_nowhere", "capture_listen_only")...)

	assert.Equal(t, []string{"reg_all", "source_only", "extract_only", "parse_only", "async_only", "full",
		"reg_longest", "reg_shadow", "source_id0", "reg_nowhere", "capture_listen_only"}, names(r.Plugins()))
	assert.Equal(t, []string{"fixture_src", "fixture_full", "reg_src", "syscall"}, r.Sources())

	for src, want := range map[string]string{
		"fixture_src": "source_only", "fixture_full": "full", "reg_src": "reg_longest", "syscall": "source_id0",
	} {
		p, ok := r.SourcePlugin(src)
		require.True(t, ok, src)
		assert.Equal(t, want, p.Name, src)
	}
	_, ok := r.SourcePlugin("reg_missing")
	assert.False(t, ok)

	tests := []struct {
		source                   string
		extractors, parsers, asy []string
	}{
		// The source plugin comes first among extractors even when loaded
		// after an all-sources extractor; parsers and async stay in load order.
		{"fixture_src", []string{"reg_all", "extract_only"}, []string{"reg_all", "parse_only"}, []string{"reg_all", "async_only"}},
		{"fixture_full", []string{"full", "reg_all"}, []string{"reg_all", "full"}, []string{"reg_all", "full"}},
		{"reg_src", []string{"reg_longest", "reg_all"}, []string{"reg_all"}, []string{"reg_all"}},
		{"syscall", []string{"reg_all"}, []string{"reg_all"}, []string{"reg_all"}},
		// reg_nowhere serves it, but no plugin provides it.
		{"reg_missing", []string{}, []string{}, []string{}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.extractors, names(r.Extractors(tt.source)), "extractors of %s", tt.source)
		assert.Equal(t, tt.parsers, names(r.Parsers(tt.source)), "parsers of %s", tt.source)
		assert.Equal(t, tt.asy, names(r.AsyncPlugins(tt.source)), "async plugins of %s", tt.source)
	}

	for name, id := range map[string]uint32{"source_only": 991, "full": 993, "reg_longest": 2001, "reg_shadow": 2002} {
		p, ok := r.ByID(id)
		require.True(t, ok, id)
		assert.Equal(t, name, p.Name)
		q, ok := r.ByName(name)
		require.True(t, ok, name)
		assert.Same(t, p, q)
	}
	for _, id := range []uint32{0, 999, 12345} {
		_, ok := r.ByID(id)
		assert.False(t, ok, id)
	}
	_, ok = r.ByName("nope")
	assert.False(t, ok)

	assert.Equal(t, []registry.WarningKind{registry.WarnShadowedSource, registry.WarnUnused},
		[]registry.WarningKind{r.Warnings()[0].Kind, r.Warnings()[1].Kind})

	// Returned slices are copies.
	r.Plugins()[0] = nil
	r.Sources()[0] = "x"
	assert.Equal(t, "reg_all", r.Plugins()[0].Name)
	assert.Equal(t, "fixture_src", r.Sources()[0])
}

// Readers run while plugins are added; run with -race.
func TestConcurrentUse(t *testing.T) {
	plugins := load(t, "source_only", "extract_only", "reg_longest", "reg_all", "full", "parse_only")
	r := registry.New()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, s := range r.Sources() {
					_, _ = r.Resolve(s, "fixture.idx[3]")
					_, _ = r.Resolve(s, "reg.a.b")
					_ = r.Extractors(s)
					_ = r.Parsers(s)
				}
				_ = r.Warnings()
				_, _ = r.ByID(991)
			}
		}()
	}
	for _, p := range plugins {
		require.NoError(t, r.Add(p))
	}
	close(stop)
	wg.Wait()
	res, err := r.Resolve("reg_src", "reg.a.b")
	require.NoError(t, err)
	assert.Equal(t, "reg_longest", res.Plugin.Name)
}
