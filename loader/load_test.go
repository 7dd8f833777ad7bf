package loader_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

// One C fixture per libsinsp rule (and per rule of ours); each must fail at
// exactly its check with exactly this message.
func TestLoadRejectsBrokenFixtures(t *testing.T) {
	tests := []struct {
		fixture string
		check   loader.Check
		symbol  string
		field   string
		msg     string
	}{
		// API version (plugin_check_required_api_version).
		{"api_invalid", loader.CheckAPIVersion, "plugin_get_required_api_version", "", "plugin provided an invalid required API version: 'three' is not a semantic version X.Y.Z"},
		{"api_null", loader.CheckAPIVersion, "plugin_get_required_api_version", "", "returned NULL instead of a version string"},
		{"api_major_mismatch", loader.CheckAPIVersion, "", "", "plugin required API version '2.0.0' not compatible with the framework's API version '3.12.0': major versions disagree"},
		{"api_minor_too_new", loader.CheckAPIVersion, "", "", "plugin required API version '3.99.0' not compatible with the framework's API version '3.12.0': framework's minor is less than the requested one"},
		{"api_patch_too_new", loader.CheckAPIVersion, "", "", "plugin required API version '3.12.7' not compatible with the framework's API version '3.12.0': framework's patch is less than the requested one"},
		// Required symbols (plugin_check_required_symbols).
		{"missing_get_required_api_version", loader.CheckRequiredSymbols, "", "", "required symbol not implemented: 'get_required_api_version'"},
		{"missing_get_version", loader.CheckRequiredSymbols, "", "", "required symbol not implemented: 'get_version'"},
		{"missing_get_name", loader.CheckRequiredSymbols, "", "", "required symbol not implemented: 'get_name'"},
		{"missing_get_description", loader.CheckRequiredSymbols, "", "", "required symbol not implemented: 'get_description'"},
		{"missing_get_contact", loader.CheckRequiredSymbols, "", "", "required symbol not implemented: 'get_contact'"},
		{"missing_init", loader.CheckRequiredSymbols, "", "", "required symbol not implemented: 'init'"},
		{"missing_destroy", loader.CheckRequiredSymbols, "", "", "required symbol not implemented: 'destroy'"},
		{"missing_get_last_error", loader.CheckRequiredSymbols, "", "", "required symbol not implemented: 'get_last_error'"},
		{"not_a_plugin", loader.CheckLibrary, "", "", "exports none of the plugin API's plugin_* symbols; not a Falco plugin"},
		// Plugin version.
		{"version_invalid", loader.CheckVersion, "plugin_get_version", "", "plugin provided an invalid version string: '1.2' is not a semantic version X.Y.Z"},
		{"version_not_semver", loader.CheckVersion, "plugin_get_version", "", "plugin provided an invalid version string: 'v1.2.3' is not a semantic version X.Y.Z"},
		{"version_null", loader.CheckVersion, "plugin_get_version", "", "returned NULL instead of a version string"},
		// Capabilities (plugin_get_capabilities).
		{"caps_open_without_next_batch", loader.CheckCapabilities, "", "", "broken plugin capabilities: must implement all of 'plugin_open', 'plugin_close', and 'plugin_next_batch' (event sourcing)"},
		{"caps_id_without_source", loader.CheckCapabilities, "", "", "broken plugin capabilities: must implement both 'plugin_get_id' and 'plugin_get_event_source' or neither (event sourcing)"},
		{"caps_source_without_id", loader.CheckCapabilities, "", "", "broken plugin capabilities: must implement both 'plugin_get_id' and 'plugin_get_event_source' or neither (event sourcing)"},
		{"caps_extract_without_fields", loader.CheckCapabilities, "", "", "broken plugin capabilities: must implement both 'plugin_get_fields' and 'plugin_extract_fields' (field extraction)"},
		{"caps_async_handler_without_events", loader.CheckCapabilities, "", "", "broken plugin capabilities: must implement both 'plugin_get_async_events' and 'plugin_set_async_event_handler' (async events)"},
		{"caps_capture_open_without_close", loader.CheckCapabilities, "", "", "broken plugin capabilities: must implement both 'plugin_capture_open' and 'plugin_capture_close' (capture listening)"},
		{"caps_none", loader.CheckCapabilities, "", "", "plugin does not implement any capability"},
		{"caps_two_broken", loader.CheckCapabilities, "", "", "broken plugin capabilities: must implement all of 'plugin_open', 'plugin_close', and 'plugin_next_batch' (event sourcing), must implement both 'plugin_get_fields' and 'plugin_extract_fields' (field extraction)"},
		// Sourcing.
		{"source_reserved_syscall", loader.CheckEventSource, "plugin_get_event_source", "", "plugin can't implement the reserved event source 'syscall'"},
		// Fields JSON.
		{"fields_null", loader.CheckFields, "plugin_get_fields", "", "get_fields returned a null string"},
		{"fields_invalid_json", loader.CheckFields, "plugin_get_fields", "", "returned invalid JSON: unexpected end of JSON input"},
		{"fields_not_array", loader.CheckFields, "plugin_get_fields", "", "did not return a JSON array"},
		{"fields_empty", loader.CheckFields, "plugin_get_fields", "", "plugins with extraction capability must export at least one field"},
		{"fields_no_type", loader.CheckFields, "plugin_get_fields", "", "field JSON entry 1 has no type"},
		{"fields_no_name", loader.CheckFields, "plugin_get_fields", "", "field JSON entry 1 has no name"},
		{"fields_no_desc", loader.CheckFields, "plugin_get_fields", "fixture.nodesc", "field JSON entry has no desc"},
		{"fields_bad_type", loader.CheckFields, "plugin_get_fields", "fixture.badtype", "invalid field type 'int32' (want string, uint64, reltime, abstime, bool, ipaddr or ipnet)"},
		{"fields_islist_not_bool", loader.CheckFields, "plugin_get_fields", "fixture.list", "isList property is not boolean"},
		{"fields_addoutput_not_bool", loader.CheckFields, "plugin_get_fields", "fixture.out", "addOutput property is not boolean"},
		{"fields_isrequired_not_bool", loader.CheckFields, "plugin_get_fields", "fixture.idx", "arg isRequired property is not boolean"},
		{"fields_isindex_not_bool", loader.CheckFields, "plugin_get_fields", "fixture.idx", "arg isIndex property is not boolean"},
		{"fields_iskey_not_bool", loader.CheckFields, "plugin_get_fields", "fixture.key", "arg isKey property is not boolean"},
		{"fields_required_without_index_or_key", loader.CheckFields, "plugin_get_fields", "fixture.req", "arg has isRequired true, but none of isKey nor isIndex is true"},
		{"fields_properties_not_array", loader.CheckFields, "plugin_get_fields", "fixture.props", "properties property is not an array"},
		{"fields_property_not_string", loader.CheckFields, "plugin_get_fields", "fixture.props", "properties value 1 is not a string"},
		{"fields_duplicate_name", loader.CheckFields, "plugin_get_fields", "dup.field", "entry 1 repeats the name of entry 0"},
		// Event source lists and async event names.
		{"extract_sources_not_array", loader.CheckEventSources, "plugin_get_extract_event_sources", "", `did not return a JSON array of strings: "{}"`},
		{"extract_sources_not_strings", loader.CheckEventSources, "plugin_get_extract_event_sources", "", "did not return a JSON array of strings: element 1 is not a string"},
		{"parse_sources_not_array", loader.CheckEventSources, "plugin_get_parse_event_sources", "", `did not return a JSON array of strings: "{}"`},
		{"async_sources_not_array", loader.CheckEventSources, "plugin_get_async_event_sources", "", `did not return a JSON array of strings: "{}"`},
		{"async_events_empty_string", loader.CheckAsyncEvents, "plugin_get_async_events", "", "returned an empty string; want a JSON array of async event names"},
		{"async_events_not_array", loader.CheckAsyncEvents, "plugin_get_async_events", "", `did not return a JSON array of strings: "{}"`},
		{"async_events_empty_array", loader.CheckAsyncEvents, "plugin_get_async_events", "", "returned an empty array; a plugin with the async capability must declare at least one event name"},
		// Init schema.
		{"schema_not_object", loader.CheckInitSchema, "plugin_get_init_schema", "", "did not return a json object"},
		{"schema_invalid_json", loader.CheckInitSchema, "plugin_get_init_schema", "", "did not return a json object"},
		{"schema_deep", loader.CheckInitSchema, "plugin_get_init_schema", "", "init schema is nested 9801 levels deep, above the limit of 128"},
		{"schema_patterns", loader.CheckInitSchema, "plugin_get_init_schema", "", "init schema is 1488922 bytes, above the limit of 1048576"},
		{"schema_patterns_small", loader.CheckInitSchema, "plugin_get_init_schema", "", "init schema has 20000 patterns, above the limit of 100"},
		{"schema_wide", loader.CheckInitSchema, "plugin_get_init_schema", "", "init schema has 20001 subschemas, above the limit of 4096"},
		{"schema_ref_file", loader.CheckInitSchema, "plugin_get_init_schema", "", "$ref 'file:///proc/self/fd/0' at '/properties/a/$ref' points outside the init schema; only refs into the schema itself ('#...') are resolved"},
		{"schema_ref_relative", loader.CheckInitSchema, "plugin_get_init_schema", "", "$ref 'other.json#/x' at '/properties/a/$ref' points outside the init schema; only refs into the schema itself ('#...') are resolved"},
		{"schema_ref_http", loader.CheckInitSchema, "plugin_get_init_schema", "", "$ref 'http://127.0.0.1:9/s.json' at '/items/0/$ref' points outside the init schema; only refs into the schema itself ('#...') are resolved"},
		{"schema_ref_meta", loader.CheckInitSchema, "plugin_get_init_schema", "", `not a valid JSON Schema: failing loading "file:///proc/self/fd/0": the init schema may only refer to itself; 'file:///proc/self/fd/0' is not read`},
		{"schema_cyclic", loader.CheckInitSchema, "plugin_get_init_schema", "", "init schema has a $ref cycle that never descends into the config: #/$defs/a -> #/$defs/b -> #/$defs/b/allOf/0 -> #/$defs/a"},
		// Long versions, invalid UTF-8.
		{"version_long", loader.CheckVersion, "plugin_get_version", "", "plugin provided an invalid version string: '1.2.3-aaaaaaaaaaaaaaaaaaaaaaaaaa...' is 306 bytes long; plughost reads semantic versions of at most 256 bytes (libsinsp reads only the leading X.Y.Z)"},
		{"name_bad_utf8", loader.CheckInfo, "plugin_get_name", "", "returned invalid UTF-8 at byte 3"},
		{"contact_bad_utf8", loader.CheckInfo, "plugin_get_contact", "", "returned invalid UTF-8 at byte 2"},
		{"fields_bad_utf8", loader.CheckFields, "plugin_get_fields", "", "returned invalid UTF-8 at byte 48 of its JSON"},
		{"fields_bad_utf8_name", loader.CheckFields, "plugin_get_fields", "", "returned invalid UTF-8 at byte 34 of its JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			path := fixtures.C(t, tt.fixture)
			p, err := loader.Load(path, loader.Options{})
			require.Error(t, err)
			assert.Nil(t, p)
			var le *loader.Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tt.check, le.Check)
			assert.Equal(t, tt.symbol, le.Symbol)
			assert.Equal(t, tt.field, le.Field)
			assert.Equal(t, tt.msg, le.Msg)
			assert.Equal(t, path, le.Path)
			assert.True(t, strings.HasPrefix(err.Error(), path+": "), err.Error())
			assert.True(t, strings.HasSuffix(err.Error(), tt.msg), err.Error())
			sentinels := map[loader.Check]error{
				loader.CheckLibrary: loader.ErrLibrary, loader.CheckAPIVersion: loader.ErrAPIVersion,
				loader.CheckRequiredSymbols: loader.ErrRequiredSymbols, loader.CheckVersion: loader.ErrVersion,
				loader.CheckCapabilities: loader.ErrCapabilities, loader.CheckEventSource: loader.ErrEventSource, loader.CheckInfo: loader.ErrInfo,
				loader.CheckFields: loader.ErrFields, loader.CheckEventSources: loader.ErrEventSources,
				loader.CheckAsyncEvents: loader.ErrAsyncEvents, loader.CheckInitSchema: loader.ErrInitSchema,
			}
			assert.ErrorIs(t, err, sentinels[tt.check])
		})
	}
}

func TestLoadNamesThePluginOnceKnown(t *testing.T) {
	path := fixtures.C(t, "fields_no_desc")
	_, err := loader.Load(path, loader.Options{})
	assert.EqualError(t, err, path+": plugin 'fields_no_desc': plugin_get_fields: field 'fixture.nodesc': field JSON entry has no desc")
}

func TestLoadRejectsFilesThatAreNotLibraries(t *testing.T) {
	tests := []struct {
		name, path, msg string
	}{
		{"missing", "/nonexistent/plugin.so", "file does not exist"},
		{"directory", t.TempDir(), "is a directory, not a shared library"},
		{"text", fixtures.NotELF(), "not an ELF shared library: the file does not start with the ELF magic number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loader.Load(tt.path, loader.Options{})
			var le *loader.Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, loader.CheckLibrary, le.Check)
			assert.Equal(t, tt.msg, le.Msg)
			assert.ErrorIs(t, err, loader.ErrLibrary)
		})
	}
}

// Fixtures that libsinsp loads; some carry our warnings.
func TestLoadAcceptsValidFixtures(t *testing.T) {
	tests := []struct {
		fixture  string
		caps     []string
		warnings []string
	}{
		{"source_only", []string{"sourcing"}, nil},
		{"source_id0", []string{"sourcing"}, nil},
		{"extract_only", []string{"extraction"}, nil},
		{"parse_only", []string{"parsing"}, nil},
		{"async_only", []string{"async"}, nil},
		{"capture_listen_only", []string{"capture_listening"}, nil},
		{"full", []string{"sourcing", "extraction", "parsing", "async", "capture_listening"}, nil},
		{"api_trailing_text", []string{"extraction"}, nil},
		{"extract_sources_empty_strings", []string{"extraction"}, nil},
		{"null_strings", []string{"extraction"}, []string{"plugin_get_description: returned NULL", "plugin_get_contact: returned NULL"}},
		{"fields_bad_name", []string{"extraction"}, []string{"plugin_get_fields: field 'nodot': name cannot be used in filters or outputs (want letters, digits and '_' in two or more dot-separated parts)"}},
		{"fields_bad_name_chars", []string{"extraction"}, []string{"plugin_get_fields: field 'bad.na-me': name cannot be used in filters or outputs (want letters, digits and '_' in two or more dot-separated parts)"}},
		{"fields_unknown_property", []string{"extraction"}, []string{"plugin_get_fields: field 'fixture.props': unknown property 'sparkly' is ignored"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			p, err := loader.Load(fixtures.C(t, tt.fixture), loader.Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.caps, p.Capabilities.Names())
			var got []string
			for _, w := range p.Warnings {
				got = append(got, w.String())
			}
			assert.Equal(t, tt.warnings, got)
		})
	}
}

func TestLoadReadsSourcingAndFieldMetadata(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "source_only"), loader.Options{})
	require.NoError(t, err)
	assert.Equal(t, uint32(991), p.ID)
	assert.Equal(t, "fixture_src", p.EventSource)

	p, err = loader.Load(fixtures.C(t, "source_id0"), loader.Options{})
	require.NoError(t, err)
	assert.Zero(t, p.ID)
	assert.Empty(t, p.EventSource)

	p, err = loader.Load(fixtures.C(t, "extract_sources_empty_strings"), loader.Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"fixture_src"}, p.ExtractEventSources)

	p, err = loader.Load(fixtures.C(t, "full"), loader.Options{})
	require.NoError(t, err)
	// A source plugin always extracts from its own source.
	assert.Equal(t, []string{"fixture_full"}, p.ExtractEventSources)
	assert.Equal(t, []string{"fixture_full"}, p.ParseEventSources)
	assert.NotEmpty(t, p.InitSchema)

	p, err = loader.Load(fixtures.C(t, "extract_only"), loader.Options{})
	require.NoError(t, err)
	types := map[string]pluginapi.FieldType{}
	for _, f := range p.Fields {
		types[f.Name] = f.Type
	}
	for _, want := range []pluginapi.FieldType{pluginapi.FieldTypeString, pluginapi.FieldTypeUint64, pluginapi.FieldTypeRelTime,
		pluginapi.FieldTypeAbsTime, pluginapi.FieldTypeBool, pluginapi.FieldTypeIPAddr, pluginapi.FieldTypeIPNet} {
		assert.Contains(t, types, fieldNameOfType(p, want))
	}
}

func fieldNameOfType(p *loader.Plugin, t pluginapi.FieldType) string {
	for _, f := range p.Fields {
		if f.Type == t {
			return f.Name
		}
	}
	return "<none of type " + t.String() + ">"
}

func TestLoadChecksAgainstAnotherFrameworkVersion(t *testing.T) {
	path := fixtures.C(t, "extract_only") // requires 3.12.0
	_, err := loader.Load(path, loader.Options{APIVersion: "3.11.0"})
	var le *loader.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "plugin required API version '3.12.0' not compatible with the framework's API version '3.11.0': framework's minor is less than the requested one", le.Msg)

	_, err = loader.Load(path, loader.Options{APIVersion: "3.12.5"})
	assert.NoError(t, err)

	_, err = loader.Load(path, loader.Options{APIVersion: "three"})
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "framework API version 'three' is not a semantic version X.Y.Z", le.Msg)
}

func TestErrorsMatchSentinels(t *testing.T) {
	_, err := loader.Load(fixtures.C(t, "caps_none"), loader.Options{})
	assert.True(t, errors.Is(err, loader.ErrCapabilities))
	assert.False(t, errors.Is(err, loader.ErrFields))
}

func TestLoadRejectsTruncatedELF(t *testing.T) {
	src, err := os.ReadFile(fixtures.C(t, "extract_only"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "truncated.so")
	require.NoError(t, os.WriteFile(path, src[:100], 0o644))
	_, err = loader.Load(path, loader.Options{})
	var le *loader.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, loader.CheckLibrary, le.Check)
	assert.True(t, strings.HasPrefix(le.Msg, "malformed ELF file: "), le.Msg)
}

// A path without a slash names a file in the working directory, not a
// library on the search path (dlopen's reading of such a name).
func TestLoadTakesANameWithoutSlashFromTheWorkingDirectory(t *testing.T) {
	src, err := os.ReadFile(fixtures.C(t, "extract_only"))
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "libhere.so"), src, 0o755))
	t.Chdir(dir)

	p, err := loader.Load("libhere.so", loader.Options{})
	require.NoError(t, err)
	assert.Equal(t, "extract_only", p.Name)
	assert.Equal(t, "libhere.so", p.Path)
	s, err := p.Init("")
	require.NoError(t, err)
	s.Destroy()

	p, err = loader.Load("./libhere.so", loader.Options{})
	require.NoError(t, err)
	assert.Equal(t, "./libhere.so", p.Path)

	// libc is on the search path but not here.
	_, err = loader.Load("libc.so.6", loader.Options{})
	var le *loader.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, loader.CheckLibrary, le.Check)
	assert.Equal(t, "file does not exist", le.Msg)
	assert.Equal(t, "libc.so.6", le.Path)
}
