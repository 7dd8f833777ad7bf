package loader_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

// 100,000 fields: every lookup by name is constant time (a linear Field made
// this 5*10^9 string comparisons, 28 s of stream setup).
func TestFieldLookupIsConstantTime(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "fields_many"), loader.Options{})
	require.NoError(t, err)
	require.Len(t, p.Fields, 100000)
	start := time.Now()
	for i := range 100000 {
		name := fmt.Sprintf("many.f%d", i)
		f, ok := p.Field(name)
		if !ok || f.Name != name {
			t.Fatalf("Field(%q) = %q, %v", name, f.Name, ok)
		}
	}
	_, ok := p.Field("many.nope")
	assert.False(t, ok)
	elapsed := time.Since(start)
	t.Logf("100,000 lookups: %v", elapsed)
	assert.Less(t, elapsed, 3*time.Second)
}

// A Plugin not built by Load, or whose Fields the caller replaced, still
// answers by name.
func TestFieldWithoutIndex(t *testing.T) {
	p := &loader.Plugin{Fields: []loader.Field{{Name: "a.b"}, {Name: "c.d"}}}
	f, ok := p.Field("c.d")
	assert.True(t, ok)
	assert.Equal(t, "c.d", f.Name)

	p, err := loader.Load(fixtures.C(t, "extract_only"), loader.Options{})
	require.NoError(t, err)
	p.Fields = []loader.Field{{Name: "x.y"}}
	f, ok = p.Field("x.y")
	assert.True(t, ok)
	assert.Equal(t, "x.y", f.Name)
}

// A schema nested 4,900 deep is refused before compiling, at once (it took
// over 200 s to compile); so is one of 20,000 flat properties (seconds).
func TestLargeSchemasAreRefusedQuickly(t *testing.T) {
	for _, fixture := range []string{"schema_deep", "schema_wide"} {
		t.Run(fixture, func(t *testing.T) {
			path := fixtures.C(t, fixture)
			start := time.Now()
			_, err := loader.Load(path, loader.Options{})
			elapsed := time.Since(start)
			t.Logf("%s load: %v", fixture, elapsed)
			assert.ErrorIs(t, err, loader.ErrInitSchema)
			assert.ErrorIs(t, err, loader.ErrInitSchemaLimit)
			assert.Less(t, elapsed, time.Second)
		})
	}
}

// 20,000 patterns (1.6 MB) are refused without compiling them (2.1 GB).
func TestManyPatternsAreRefusedInBoundedMemory(t *testing.T) {
	for _, fixture := range []string{"schema_patterns", "schema_patterns_small"} {
		t.Run(fixture, func(t *testing.T) {
			path := fixtures.C(t, fixture)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := loader.Load(path, loader.Options{})
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: %d MB allocated", fixture, allocated>>20)
			assert.ErrorIs(t, err, loader.ErrInitSchemaLimit)
			assert.Less(t, allocated, uint64(64<<20))
		})
	}
}

// A relative $ref is refused whatever the working directory holds (it was
// read from there).
func TestSchemaRefIgnoresTheWorkingDirectory(t *testing.T) {
	path := fixtures.C(t, "schema_ref_relative")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"x":{"type":"string"}}`), 0o644))
	t.Chdir(dir)
	_, err := loader.Load(path, loader.Options{})
	var le *loader.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "$ref 'other.json#/x' at '/properties/a/$ref' points outside the init schema; only refs into the schema itself ('#...') are resolved", le.Msg)
	assert.NotErrorIs(t, err, loader.ErrInitSchemaLimit)
}

// get_id and get_event_source answer differently on each call; each is read
// once, so the plugin is the source plugin its first answers describe.
func TestSourceIDAndEventSourceAreReadOnce(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "source_id_changes"), loader.Options{})
	require.NoError(t, err)
	assert.Equal(t, uint32(997), p.ID)
	assert.Equal(t, "fixture_src", p.EventSource)
	assert.Equal(t, []string{"sourcing"}, p.Capabilities.Names())
}

// get_name answers differently on each call; it is read once.
func TestNameIsReadOnce(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "name_changes"), loader.Options{})
	require.NoError(t, err)
	assert.Equal(t, "name_changes", p.Name)
	s, err := p.Init("")
	require.NoError(t, err)
	defer s.Destroy()
	assert.Equal(t, "name_changes", s.Plugin().Name)
}

// The plugin name in an invalid-UTF-8 error is printable.
func TestInvalidUTF8NameIsReplacedInTheError(t *testing.T) {
	path := fixtures.C(t, "name_bad_utf8")
	_, err := loader.Load(path, loader.Options{})
	assert.EqualError(t, err, path+": plugin 'bad\uFFFDname': plugin_get_name: returned invalid UTF-8 at byte 3")
}
