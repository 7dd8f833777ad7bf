package checkreport

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// loadPasses are the messages of the load checks of an extraction-only C
// fixture with the default 11 fields, no init schema.
func extractOnlyPasses(name string, fields string) []string {
	return []string{
		"pass loaded",
		"pass requires 3.12.0, compatible with 3.12.0",
		"pass all 8 required symbols present",
		"pass name '" + name + "'",
		"pass 0.1.0",
		"pass extraction",
		"pass not a source plugin",
		"pass " + fields,
		"pass extract: any",
		"pass no async capability",
	}
}

func skips(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = "skip "
	}
	return s
}

// TestCheckMessages pins the status and message of every check for a
// handful of fixtures. "$P" stands for the path of the file.
func TestCheckMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fixture string // C fixture, or a path when it contains a '/'
		config  string
		api     string
		want    []string // "status message" per check, in order
	}{
		{fixture: "full", config: `{"level":3}`, want: []string{
			"pass loaded",
			"pass requires 3.12.0, compatible with 3.12.0",
			"pass all 8 required symbols present",
			"pass name 'full'",
			"pass 0.1.0",
			"pass sourcing, extraction, parsing, async, capture_listening",
			"pass id 993, event source 'fixture_full'",
			"pass 11 fields",
			"pass extract: fixture_full; parse: fixture_full; async: fixture_full",
			"pass events: fixture_async",
			"pass valid JSON Schema",
			"pass valid for the init schema",
			"pass plugin_init succeeded; plugin_destroy returned",
			"skip not requested",
		}},
		{fixture: "full", config: `{"level":99}`, want: append(slices.Concat(
			[]string{"pass loaded", "pass requires 3.12.0, compatible with 3.12.0", "pass all 8 required symbols present",
				"pass name 'full'", "pass 0.1.0", "pass sourcing, extraction, parsing, async, capture_listening",
				"pass id 993, event source 'fixture_full'", "pass 11 fields",
				"pass extract: fixture_full; parse: fixture_full; async: fixture_full",
				"pass events: fixture_async", "pass valid JSON Schema"}),
			"pass valid for the init schema",
			"fail $P: plugin 'full': plugin_init: could not initialize plugin: level too high",
			"skip ")},
		{fixture: "full", config: `{"level":-1}`, want: append(slices.Concat(
			[]string{"pass loaded", "pass requires 3.12.0, compatible with 3.12.0", "pass all 8 required symbols present",
				"pass name 'full'", "pass 0.1.0", "pass sourcing, extraction, parsing, async, capture_listening",
				"pass id 993, event source 'fixture_full'", "pass 11 fields",
				"pass extract: fixture_full; parse: fixture_full; async: fixture_full",
				"pass events: fixture_async", "pass valid JSON Schema"}),
			"fail $P: plugin 'full': init config at '/level': minimum: got -1, want 0",
			"skip ", "skip ")},
		{fixture: "full", api: "3.11.0", want: append([]string{
			"pass loaded",
			"fail $P: plugin required API version '3.12.0' not compatible with the framework's API version '3.11.0': framework's minor is less than the requested one",
		}, skips(12)...)},
		{fixture: "fields_bad_name", want: append(slices.Concat(extractOnlyPasses("fields_bad_name", "2 fields")[:7],
			[]string{"warn plugin_get_fields: field 'nodot': name cannot be used in filters or outputs (want letters, digits and '_' in two or more dot-separated parts)"},
			extractOnlyPasses("fields_bad_name", "")[8:]),
			"pass no init schema", "pass no init schema", "pass plugin_init succeeded; plugin_destroy returned", "skip not requested")},
		{fixture: "null_strings", want: append(slices.Concat(extractOnlyPasses("null_strings", "11 fields")[:3],
			[]string{"warn plugin_get_description: returned NULL; plugin_get_contact: returned NULL"},
			extractOnlyPasses("null_strings", "11 fields")[4:]),
			"pass no init schema", "pass no init schema", "pass plugin_init succeeded; plugin_destroy returned", "skip not requested")},
		{fixture: "init_fail", want: append(extractOnlyPasses("init_fail", "11 fields"),
			"pass no init schema", "pass no init schema",
			"fail $P: plugin 'init_fail': plugin_init: could not initialize plugin: init refused: bad config",
			"skip ")},
		{fixture: "init_echo", want: append(extractOnlyPasses("init_echo", "1 field"),
			"pass valid JSON Schema",
			"fail $P: plugin 'init_echo': init config: missing property 'name'",
			"skip ", "skip ")},
		{fixture: "init_echo", config: `{"name":"x"}`, want: append(extractOnlyPasses("init_echo", "1 field"),
			"pass valid JSON Schema", "pass valid for the init schema", "pass plugin_init succeeded; plugin_destroy returned",
			"skip not requested")},
		{fixture: "missing_get_name", want: append([]string{
			"pass loaded",
			"pass requires 3.12.0, compatible with 3.12.0",
			"fail $P: required symbol not implemented: 'get_name'",
		}, skips(11)...)},
		{fixture: "fields_no_desc", want: append(slices.Concat(
			[]string{"pass loaded", "pass requires 3.12.0, compatible with 3.12.0", "pass all 8 required symbols present",
				"pass name 'fields_no_desc'", "pass 0.1.0", "pass extraction", "pass not a source plugin"},
			[]string{"fail $P: plugin 'fields_no_desc': plugin_get_fields: field 'fixture.nodesc': field JSON entry has no desc"}),
			skips(6)...)},
		{fixture: "not_a_plugin", want: append([]string{
			"fail $P: exports none of the plugin API's plugin_* symbols; not a Falco plugin",
		}, skips(13)...)},
		{fixture: "testdata/does-not-exist.so", want: append([]string{
			"fail $P: file does not exist",
		}, skips(13)...)},
	} {
		t.Run(fmt.Sprintf("%s %s %s", tc.fixture, tc.config, tc.api), func(t *testing.T) {
			t.Parallel()
			path := tc.fixture
			if !strings.Contains(path, "/") {
				path = fixtures.C(t, tc.fixture)
			}
			r := Check(path, Options{InitConfig: tc.config, APIVersion: tc.api, Logger: quiet})
			var got []string
			for _, c := range r.Checks {
				got = append(got, string(c.Status)+" "+strings.ReplaceAll(c.Message, path, "$P"))
			}
			var names []string
			for _, c := range r.Checks {
				names = append(names, c.Name)
			}
			if want := checkNames(); !slices.Equal(names, want) {
				t.Errorf("checks %v, want %v", names, want)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			wantOK := !slices.ContainsFunc(tc.want, func(s string) bool { return strings.HasPrefix(s, "fail ") })
			if r.OK != wantOK || r.Path != path {
				t.Errorf("ok %v path %q, want %v %q", r.OK, r.Path, wantOK, path)
			}
		})
	}
}

func checkNames() []string {
	var names []string
	for _, c := range Checks() {
		names = append(names, string(c))
	}
	return names
}

func TestChecksOrder(t *testing.T) {
	want := []string{"library", "api_version", "required_symbols", "info", "version", "capabilities",
		"event_source", "fields", "event_sources", "async_events", "init_schema", "init_config", "init", "stream"}
	if got := checkNames(); !slices.Equal(got, want) {
		t.Errorf("Checks() = %v, want %v", got, want)
	}
}

// TestMetadata checks what a report says about a loaded plugin, and that
// a failed load keeps the name when the loader read it.
func TestMetadata(t *testing.T) {
	t.Parallel()
	r := Check(fixtures.C(t, "extract_only"), Options{Logger: quiet})
	if !r.OK || r.Name != "extract_only" || r.Version != "0.1.0" || r.RequiredAPIVersion != "3.12.0" ||
		r.ID != 0 || r.EventSource != "" || !slices.Equal(r.Capabilities, []string{"extraction"}) ||
		!slices.Equal(r.ExtractEventSources, []string{"fixture_src"}) || len(r.Fields) != 11 {
		t.Fatalf("report: %+v", r)
	}
	wantFields := map[string]Field{
		"fixture.str":   {Name: "fixture.str", Type: "string", Desc: "a constant string", Properties: []string{}},
		"fixture.list":  {Name: "fixture.list", Type: "string", Desc: "a constant list of strings", IsList: true, Properties: []string{}},
		"fixture.idx":   {Name: "fixture.idx", Type: "uint64", Desc: "echoes its index argument", Arg: FieldArg{IsRequired: true, IsIndex: true}, Properties: []string{}},
		"fixture.key":   {Name: "fixture.key", Type: "string", Desc: "echoes its key argument", Arg: FieldArg{IsKey: true}, Properties: []string{}},
		"fixture.props": {Name: "fixture.props", Type: "string", Desc: "a field with properties", Properties: []string{"hidden", "info", "conversation"}},
		"fixture.ipnet": {Name: "fixture.ipnet", Type: "ipnet", Desc: "a constant IPv4 network", Properties: []string{}},
	}
	for _, f := range r.Fields {
		if want, ok := wantFields[f.Name]; ok && fmt.Sprintf("%+v", f) != fmt.Sprintf("%+v", want) {
			t.Errorf("field %s:\n got %+v\nwant %+v", f.Name, f, want)
		}
	}

	r = Check(fixtures.C(t, "source_id0"), Options{Logger: quiet})
	if !r.OK || r.ID != 0 || r.EventSource != "" || !slices.Equal(r.Capabilities, []string{"sourcing"}) {
		t.Errorf("source_id0: %+v", r)
	}
	if c := r.Checks[6]; c.Message != "id 0: events of any type, no event source" {
		t.Errorf("source_id0 event_source: %+v", c)
	}

	r = Check(fixtures.C(t, "fields_no_desc"), Options{Logger: quiet})
	// The checks before the failed one still report what they read.
	if r.OK || r.Name != "fields_no_desc" || r.Version != "0.1.0" || len(r.Fields) != 0 ||
		!slices.Equal(r.Capabilities, []string{"extraction"}) {
		t.Errorf("fields_no_desc: %+v", r)
	}
}

// TestJSONShape checks the wire format: field names and empty arrays, not
// null, for a file that did not load.
func TestJSONShape(t *testing.T) {
	t.Parallel()
	r := NewReport([]PluginReport{Check("testdata/nope.so", Options{Logger: quiet})})
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ok":false,"plugins":[{"path":"testdata/nope.so","ok":false,"name":"","version":"","required_api_version":"","id":0,"event_source":"","capabilities":[],"extract_event_sources":[],"fields":[],"checks":[` +
		`{"name":"library","status":"fail","message":"testdata/nope.so: file does not exist"}`
	for _, c := range checkNames()[1:] {
		want += `,{"name":"` + c + `","status":"skip","message":""}`
	}
	want += `]}]}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
	if data, _ := json.Marshal(NewReport(nil)); string(data) != `{"ok":true,"plugins":[]}` {
		t.Errorf("empty report: %s", data)
	}

	// A loaded plugin round-trips.
	full := Check(fixtures.C(t, "full"), Options{Logger: quiet})
	data, err = json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	var back PluginReport
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", back) != fmt.Sprintf("%+v", full) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, full)
	}
}

// TestBeforeStep checks the reports given for a process that would die at
// each step.
func TestBeforeStep(t *testing.T) {
	t.Parallel()
	type call struct {
		step   Step
		report PluginReport
	}
	run := func(fixture, config string) (PluginReport, []call) {
		var calls []call
		r := Check(fixtures.C(t, fixture), Options{InitConfig: config, Logger: quiet, BeforeStep: func(s Step, ifDies PluginReport) {
			calls = append(calls, call{s, ifDies})
		}})
		return r, calls
	}
	statuses := func(r PluginReport) string {
		var b strings.Builder
		for _, c := range r.Checks {
			b.WriteString(string(c.Status)[:1])
		}
		return b.String()
	}
	failed := func(r PluginReport) CheckResult {
		for _, c := range r.Checks {
			if c.Status == Fail {
				return c
			}
		}
		return CheckResult{}
	}

	final, calls := run("full", "")
	if !final.OK || len(calls) != 3 {
		t.Fatalf("full: ok %v, %d calls", final.OK, len(calls))
	}
	for i, want := range []struct {
		step     Step
		statuses string
		failed   CheckResult
		name     string
	}{
		{StepLoad, "fsssssssssssss", CheckResult{"library", Fail, "the process died while loading the library or calling its plugin_get_* functions"}, ""},
		{StepInit, "ppppppppppppfs", CheckResult{"init", Fail, "the process died in plugin_init"}, "full"},
		{StepDestroy, "ppppppppppppfs", CheckResult{"init", Fail, "plugin_init succeeded, then the process died in plugin_destroy"}, "full"},
	} {
		c := calls[i]
		if c.step != want.step || statuses(c.report) != want.statuses || failed(c.report) != want.failed ||
			c.report.Name != want.name || c.report.OK {
			t.Errorf("call %d: step %s statuses %s failed %+v name %q ok %v; want %s %s %+v %q false",
				i, c.step, statuses(c.report), failed(c.report), c.report.Name, c.report.OK,
				want.step, want.statuses, want.failed, want.name)
		}
	}
	// The if-dies reports of later steps agree with the final report on
	// the checks already done.
	for i, c := range calls[1].report.Checks[:12] {
		if c != final.Checks[i] {
			t.Errorf("init step, check %s: %+v, final %+v", c.Name, c, final.Checks[i])
		}
	}

	// A load failure has no later step; an init config failure never
	// reaches destroy.
	if _, calls := run("not_a_plugin", ""); len(calls) != 1 || calls[0].step != StepLoad {
		t.Errorf("not_a_plugin: %d calls", len(calls))
	}
	if r, calls := run("init_echo", ""); len(calls) != 2 || calls[1].step != StepInit || r.OK {
		t.Errorf("init_echo: %d calls, ok %v", len(calls), r.OK)
	}
}

func TestDied(t *testing.T) {
	r := Died("x.so", "gone")
	if r.OK || r.Path != "x.so" || len(r.Checks) != len(Checks()) ||
		r.Checks[0] != (CheckResult{"library", Fail, "gone"}) || r.Checks[12] != (CheckResult{"init", Skip, ""}) ||
		r.Checks[13] != (CheckResult{"stream", Skip, ""}) || r.Stream != nil ||
		r.Capabilities == nil || r.Fields == nil || r.ExtractEventSources == nil {
		t.Errorf("Died: %+v", r)
	}
}

// TestLoaderChecks guards the assumption that every error the loader
// returns names one of the checks a report lists.
func TestLoaderChecks(t *testing.T) {
	for _, c := range loader.LoadChecks {
		if !slices.Contains(Checks(), c) {
			t.Errorf("load check %s is not reported", c)
		}
	}
}
