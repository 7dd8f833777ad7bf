package checkreport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

// extractFails builds testdata/extract_fails.c, a source whose extraction
// fails on its fourth event (payload "evt-3"), against the C fixtures'
// fixture.h.
var extractFails = sync.OnceValues(func() (string, error) {
	sdk, err := fixtures.SDKHeaderDir()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "checkreport-")
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "extract_fails.so")
	cc := "cc"
	if env := os.Getenv("CC"); env != "" {
		cc = env
	}
	cmd := exec.Command(cc, "-shared", "-fPIC", "-O2", "-Wall", "-Werror",
		"-I", filepath.Join(fixtures.Root(), "testdata", "c"), "-I", sdk,
		"-o", out, filepath.Join("testdata", "extract_fails.c"))
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s: %v\n%s", cmd, err, msg)
	}
	return out, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if path, err := extractFails(); err == nil {
		os.RemoveAll(filepath.Dir(path))
	}
	os.Exit(code)
}

// TestStream pins the stream check and the stream report: "$P" stands for
// the path of the file.
func TestStream(t *testing.T) {
	t.Parallel()
	const malformed = "plugin 'source_faults': plugin_next_batch: event 2 of the batch: "
	for _, tc := range []struct {
		fixture string // C fixture; "extract_fails" is built from testdata
		params  string
		events  int
		want    string  // "status message" of the stream check
		stream  *Stream // nil: no stream report
	}{
		// Not run.
		{fixture: "source_only", params: "5", events: 0, want: "skip not requested"},
		{fixture: "extract_only", events: 5, want: "skip no sourcing capability"},
		{fixture: "init_fail", events: 5, want: "skip "},
		// A source without extraction.
		{fixture: "source_only", params: "5", events: 5,
			want:   "pass read 5 events (limit reached); no extraction capability",
			stream: &Stream{Events: 5, Errors: []string{}}},
		{fixture: "source_only", params: "3", events: 10,
			want:   "pass read 3 events (eof); no extraction capability",
			stream: &Stream{Events: 3, EOF: true, Errors: []string{}}},
		{fixture: "source_only", params: "1", events: 1,
			want:   "pass read 1 event (limit reached); no extraction capability",
			stream: &Stream{Events: 1, Errors: []string{}}},
		{fixture: "source_only", params: "0", events: 1,
			want:   "pass read 0 events (eof); no extraction capability",
			stream: &Stream{EOF: true, Errors: []string{}}},
		{fixture: "source_only", params: "x", events: 1,
			want:   "fail plugin 'source_only': plugin_open: invalid open params 'x': want a decimal number of events",
			stream: &Stream{Errors: []string{"plugin 'source_only': plugin_open: invalid open params 'x': want a decimal number of events"}}},
		// Source and extraction: the 10 default fields that need no
		// argument (all but fixture.idx) have a value for every event.
		{fixture: "full", events: 10,
			want:   "pass read 3 events (eof), extracted 30 values",
			stream: &Stream{Events: 3, FieldsExtracted: 30, EOF: true, Errors: []string{}}},
		{fixture: "full", params: "1000", events: 999,
			want:   "pass read 999 events (limit reached), extracted 9990 values",
			stream: &Stream{Events: 999, FieldsExtracted: 9990, Errors: []string{}}},
		// Malformed events: the two good events before the bad one count.
		{fixture: "source_faults", params: "short_len", events: 3,
			want:   "fail " + malformed + "length 20 is shorter than the 26-byte header",
			stream: &Stream{Events: 2, Errors: []string{malformed + "length 20 is shorter than the 26-byte header"}}},
		{fixture: "source_faults", params: "len_mismatch", events: 3,
			want:   "fail " + malformed + "length 42 is not header plus parameters (41)",
			stream: &Stream{Events: 2, Errors: []string{malformed + "length 42 is not header plus parameters (41)"}}},
		{fixture: "source_faults", params: "wrong_type", events: 3,
			want:   "fail " + malformed + "type 3 is not a plugin event (322)",
			stream: &Stream{Events: 2, Errors: []string{malformed + "type 3 is not a plugin event (322)"}}},
		{fixture: "source_faults", params: "foreign_id", events: 3,
			want:   "fail " + malformed + "carries plugin id 7, but the plugin's id is 990",
			stream: &Stream{Events: 2, Errors: []string{malformed + "carries plugin id 7, but the plugin's id is 990"}}},
		{fixture: "source_faults", params: "null_event", events: 3,
			want:   "fail " + malformed + "event pointer is NULL",
			stream: &Stream{Events: 2, Errors: []string{malformed + "event pointer is NULL"}}},
		// The batch is validated whole: a bad event past the limit fails.
		{fixture: "source_faults", params: "null_event", events: 1,
			want:   "fail " + malformed + "event pointer is NULL",
			stream: &Stream{Events: 1, Errors: []string{malformed + "event pointer is NULL"}}},
		// next_batch and open failures.
		{fixture: "source_faults", params: "fail", events: 3,
			want:   "fail plugin 'source_faults': plugin_next_batch: the source broke",
			stream: &Stream{Errors: []string{"plugin 'source_faults': plugin_next_batch: the source broke"}}},
		{fixture: "source_faults", params: "empty_success", events: 3,
			want:   "fail plugin 'source_faults': plugin_next_batch: returned SS_PLUGIN_SUCCESS with no events",
			stream: &Stream{Errors: []string{"plugin 'source_faults': plugin_next_batch: returned SS_PLUGIN_SUCCESS with no events"}}},
		{fixture: "source_faults", params: "refuse", events: 3,
			want:   "fail plugin 'source_faults': plugin_open: open refused",
			stream: &Stream{Errors: []string{"plugin 'source_faults': plugin_open: open refused"}}},
		// Timeouts are waited out; events that come with EOF are read.
		{fixture: "source_faults", params: "timeouts", events: 10,
			want:   "pass read 3 events (eof); no extraction capability",
			stream: &Stream{Events: 3, EOF: true, Errors: []string{}}},
		{fixture: "source_faults", params: "ts_unset", events: 3,
			want:   "pass read 3 events (limit reached); no extraction capability",
			stream: &Stream{Events: 3, Errors: []string{}}},
		// A failed extraction: the events before it count, with their
		// values; only the events up to the limit are extracted, so a
		// failure past it, in the last batch, does not count.
		{fixture: "extract_fails", params: "3", events: 10,
			want:   "pass read 3 events (eof), extracted 30 values",
			stream: &Stream{Events: 3, FieldsExtracted: 30, EOF: true, Errors: []string{}}},
		{fixture: "extract_fails", params: "10", events: 10,
			want:   "fail plugin 'extract_fails': plugin_extract_fields: event 3 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract from evt-3",
			stream: &Stream{Events: 3, FieldsExtracted: 30, Errors: []string{"plugin 'extract_fails': plugin_extract_fields: event 3 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract from evt-3"}}},
		{fixture: "extract_fails", params: "10", events: 2,
			want:   "pass read 2 events (limit reached), extracted 20 values",
			stream: &Stream{Events: 2, FieldsExtracted: 20, Errors: []string{}}},
		// A batch past the host's cap of events extracted per batch
		// (2^20): only the events counted are extracted (issue 10, item 3).
		{fixture: "batch_huge", params: "1048581", events: 1,
			want:   "pass read 1 event (limit reached), extracted 10 values",
			stream: &Stream{Events: 1, FieldsExtracted: 10, Errors: []string{}}},
		{fixture: "batch_huge", params: "1048581", events: 1048581,
			want:   "fail plugin 'batch_huge': plugin_extract_fields: event 1048576 of the batch: the batch has 1048581 events, more than the host's cap of 1048576 events extracted per batch (MaxBatchEvents)",
			stream: &Stream{Events: 1048576, FieldsExtracted: 10485760, Errors: []string{"plugin 'batch_huge': plugin_extract_fields: event 1048576 of the batch: the batch has 1048581 events, more than the host's cap of 1048576 events extracted per batch (MaxBatchEvents)"}}},
	} {
		t.Run(fmt.Sprintf("%s %q %d", tc.fixture, tc.params, tc.events), func(t *testing.T) {
			t.Parallel()
			var path string
			if tc.fixture == "extract_fails" {
				var err error
				if path, err = extractFails(); err != nil {
					t.Fatal(err)
				}
			} else {
				path = fixtures.C(t, tc.fixture)
			}
			r := Check(path, Options{Events: tc.events, OpenParams: tc.params, Logger: quiet})
			c := r.Checks[len(r.Checks)-1]
			if c.Name != "stream" {
				t.Fatalf("last check %q", c.Name)
			}
			if got := string(c.Status) + " " + strings.ReplaceAll(c.Message, path, "$P"); got != tc.want {
				t.Errorf("stream check:\n got %s\nwant %s", got, tc.want)
			}
			if fmt.Sprintf("%+v", r.Stream) != fmt.Sprintf("%+v", tc.stream) {
				t.Errorf("stream report:\n got %+v\nwant %+v", r.Stream, tc.stream)
			}
			if wantOK := !strings.HasPrefix(tc.want, "fail ") && tc.fixture != "init_fail"; r.OK != wantOK {
				t.Errorf("ok %v, want %v", r.OK, wantOK)
			}
			// The other checks are those of a check without streaming.
			plain := Check(path, Options{Logger: quiet})
			if !slices.Equal(r.Checks[:len(r.Checks)-1], plain.Checks[:len(plain.Checks)-1]) {
				t.Errorf("checks differ from a check without streaming:\n%+v\n%+v", r.Checks, plain.Checks)
			}
		})
	}
}

func TestStreamSummary(t *testing.T) {
	for _, tc := range []struct {
		s    Stream
		want string
	}{
		{Stream{Errors: []string{}}, "0 events, 0 values extracted"},
		{Stream{Events: 1, FieldsExtracted: 1, EOF: true}, "1 event, 1 value extracted, eof"},
		{Stream{Events: 2, Errors: []string{"x"}}, "2 events, 0 values extracted, 1 error"},
		{Stream{Events: 5, FieldsExtracted: 15, EOF: true, Errors: []string{"x", "y"}}, "5 events, 15 values extracted, eof, 2 errors"},
	} {
		if got := tc.s.Summary(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestStreamFields checks which fields are extracted: those with no
// required argument, and only from a plugin that extracts from its own
// event source.
func TestStreamFields(t *testing.T) {
	t.Parallel()
	load := func(name string) *loader.Plugin {
		p, err := loader.Load(fixtures.C(t, name), loader.Options{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	want := []string{"fixture.str", "fixture.u64", "fixture.reltime", "fixture.abstime", "fixture.bool",
		"fixture.ipaddr", "fixture.ipnet", "fixture.list", "fixture.key", "fixture.props"}
	if got := StreamFields(load("full")); !slices.Equal(got, want) {
		t.Errorf("full: %v, want %v", got, want)
	}
	for _, name := range []string{"source_only", "extract_only"} {
		if got := StreamFields(load(name)); got != nil {
			t.Errorf("%s: %v, want none", name, got)
		}
	}
}

// TestStreamBeforeStep checks the reports given for a process that would
// die while streaming, or in plugin_destroy after streaming.
func TestStreamBeforeStep(t *testing.T) {
	t.Parallel()
	ifDies := map[Step]PluginReport{}
	final := Check(fixtures.C(t, "full"), Options{Events: 2, Logger: quiet, BeforeStep: func(s Step, r PluginReport) {
		ifDies[s] = r
	}})
	if !final.OK || len(ifDies) != 4 {
		t.Fatalf("ok %v, steps %v", final.OK, slices.Sorted(maps.Keys(ifDies)))
	}
	last2 := func(r PluginReport) []CheckResult { return r.Checks[len(r.Checks)-2:] }
	for _, tc := range []struct {
		step   Step
		checks []CheckResult
		stream *Stream
	}{
		{StepStream, []CheckResult{
			{"init", Pass, "plugin_init succeeded"},
			{"stream", Fail, streamDied}}, &Stream{Errors: []string{streamDied}}},
		{StepDestroy, []CheckResult{
			{"init", Fail, "plugin_init succeeded, then the process died in plugin_destroy"},
			{"stream", Pass, "read 2 events (limit reached), extracted 20 values"}}, &Stream{Events: 2, FieldsExtracted: 20, Errors: []string{}}},
	} {
		r := ifDies[tc.step]
		if got := last2(r); !slices.Equal(got, tc.checks) || r.OK || fmt.Sprintf("%+v", r.Stream) != fmt.Sprintf("%+v", tc.stream) {
			t.Errorf("%s: checks %+v stream %+v ok %v; want %+v %+v false", tc.step, got, r.Stream, r.OK, tc.checks, tc.stream)
		}
		if !slices.Equal(r.Checks[:12], final.Checks[:12]) {
			t.Errorf("%s: the checks before init differ from the final report", tc.step)
		}
	}
	if got := last2(final); !slices.Equal(got, []CheckResult{
		{"init", Pass, "plugin_init succeeded; plugin_destroy returned"},
		{"stream", Pass, "read 2 events (limit reached), extracted 20 values"}}) {
		t.Errorf("final: %+v", got)
	}

	// Not streaming, there is no stream step.
	steps := 0
	Check(fixtures.C(t, "extract_only"), Options{Events: 2, Logger: quiet, BeforeStep: func(s Step, r PluginReport) {
		steps++
		if s == StepStream {
			t.Errorf("stream step for a plugin without sourcing")
		}
	}})
	if steps != 3 {
		t.Errorf("extract_only: %d steps, want 3", steps)
	}
}

// TestStreamContext checks that a cancelled context stops the stream.
func TestStreamContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := Check(fixtures.C(t, "source_only"), Options{Events: 5, OpenParams: "5", Logger: quiet, Context: ctx})
	want := "interrupted after 0 events: context canceled"
	if c := r.Checks[len(r.Checks)-1]; c.Status != Fail || c.Message != want || r.OK ||
		r.Stream == nil || !slices.Equal(r.Stream.Errors, []string{want}) {
		t.Errorf("stream %+v, report %+v", c, r.Stream)
	}
}

// TestStreamAllocations checks that streaming costs no allocation per
// event: 100 times more events from the Go SDK counter (batches of 128)
// cost at most one allocation per 16 more events, which is what the
// library spends per batch. Not parallel, to count only its allocations.
func TestStreamAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go SDK plugin")
	}
	p, err := loader.Load(fixtures.GoSDK(t, "gocounter"), loader.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.Init("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Destroy()
	mallocs := func(n int) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		rep, c := runStream(context.Background(), s, Options{Events: n, OpenParams: strconv.Itoa(n)})
		runtime.ReadMemStats(&after)
		if c.Status != Pass || rep.Events != uint64(n) || rep.FieldsExtracted != uint64(n*len(StreamFields(p))) {
			t.Fatalf("%d events: %+v %+v", n, c, rep)
		}
		return after.Mallocs - before.Mallocs
	}
	mallocs(1000) // warm up
	small, large := mallocs(2000), mallocs(200000)
	if extra := int64(large) - int64(small); extra > 198000/16 {
		t.Errorf("2000 events: %d allocations; 200000 events: %d", small, large)
	} else {
		t.Logf("2000 events: %d allocations; 200000 events: %d", small, large)
	}
}

// TestStreamFilter pins --filter and --output in the stream check: the
// matches among the events read, the formatted events kept (text or
// JSON), those dropped, and compile errors, which fail before plugin_open.
func TestStreamFilter(t *testing.T) {
	t.Parallel()
	u := func(n uint64) *uint64 { return &n }
	for _, tc := range []struct {
		name    string
		fixture string
		opts    Options
		want    string // "status message" of the stream check
		stream  *Stream
	}{
		{name: "filter", fixture: "filter_lazy",
			opts: Options{Events: 10, OpenParams: "20", Filter: "lazy.num > 6 or lazy.even = true"},
			want: "pass read 10 events (limit reached), 7 matched the filter, extracted 30 values",
			stream: &Stream{Events: 10, Matched: u(7), FieldsExtracted: 30, Errors: []string{},
				Filter: "lazy.num > 6 or lazy.even = true"}},
		// The limit bounds the events read, not the matches.
		{name: "eof", fixture: "filter_lazy",
			opts: Options{Events: 100, OpenParams: "4", Filter: "lazy.num >= 3"},
			want: "pass read 4 events (eof), 1 matched the filter, extracted 12 values",
			stream: &Stream{Events: 4, Matched: u(1), FieldsExtracted: 12, EOF: true, Errors: []string{},
				Filter: "lazy.num >= 3"}},
		{name: "text", fixture: "filter_lazy",
			opts: Options{Events: 10, OpenParams: "20", Filter: "lazy.num > 6 or lazy.even = true",
				Output: "evt %evt.num: %lazy.str (%lazy.num)", MaxOutputs: 3},
			want: "pass read 10 events (limit reached), 7 matched the filter, extracted 30 values",
			stream: &Stream{Events: 10, Matched: u(7), FieldsExtracted: 30, Errors: []string{},
				Filter: "lazy.num > 6 or lazy.even = true", Output: "evt %evt.num: %lazy.str (%lazy.num)",
				Lines: []string{"evt 1: s-0 (0)", "evt 3: s-2 (2)", "evt 5: s-4 (4)"}, OutputsDropped: 4}},
		{name: "json", fixture: "filter_lazy",
			opts: Options{Events: 10, OpenParams: "20", Filter: "lazy.num in (2, 9)",
				Output: "%lazy.str %lazy.calls[nope]", OutputJSON: true, MaxOutputs: 5},
			want: "pass read 10 events (limit reached), 2 matched the filter, extracted 30 values",
			stream: &Stream{Events: 10, Matched: u(2), FieldsExtracted: 30, Errors: []string{},
				Filter: "lazy.num in (2, 9)", Output: "%lazy.str %lazy.calls[nope]",
				Outputs: []json.RawMessage{json.RawMessage(`{"lazy.calls[nope]":null,"lazy.str":"s-2"}`),
					json.RawMessage(`{"lazy.calls[nope]":null,"lazy.str":"s-9"}`)}}},
		// Without a filter every event read is formatted; a missing value
		// is <NA>, as in Falco's alerts, unless the format has its own '*'.
		{name: "all", fixture: "filter_lazy",
			opts: Options{Events: 3, OpenParams: "20", Output: "%lazy.num %lazy.calls[nope]", MaxOutputs: 100},
			want: "pass read 3 events (limit reached), extracted 9 values",
			stream: &Stream{Events: 3, FieldsExtracted: 9, Errors: []string{}, Output: "%lazy.num %lazy.calls[nope]",
				Lines: []string{"0 <NA>", "1 <NA>", "2 <NA>"}}},
		{name: "none kept", fixture: "filter_lazy",
			opts: Options{Events: 3, OpenParams: "20", Output: "%lazy.num", OutputJSON: true},
			want: "pass read 3 events (limit reached), extracted 9 values",
			stream: &Stream{Events: 3, FieldsExtracted: 9, Errors: []string{}, Output: "%lazy.num",
				Outputs: []json.RawMessage{}, OutputsDropped: 3}},
		// Generic fields need no extraction capability.
		{name: "generic", fixture: "source_only",
			opts: Options{Events: 5, OpenParams: "5", Filter: "evt.num > 3", Output: "%evt.num %evt.source", MaxOutputs: 9},
			want: "pass read 5 events (limit reached), 2 matched the filter; no extraction capability",
			stream: &Stream{Events: 5, Matched: u(2), Errors: []string{}, Filter: "evt.num > 3",
				Output: "%evt.num %evt.source", Lines: []string{"4 fixture_src", "5 fixture_src"}}},
		// Compile errors.
		{name: "unknown field", fixture: "source_only",
			opts: Options{Events: 5, OpenParams: "5", Filter: "lazy.num > 1"},
			want: "fail --filter: filter_check called with nonexistent field lazy.num (at index 0, line 1, column 1)\n  lazy.num > 1\n  ^",
			stream: &Stream{Errors: []string{"--filter: filter_check called with nonexistent field lazy.num (at index 0, line 1, column 1)\n  lazy.num > 1\n  ^"},
				Filter: "lazy.num > 1"}},
		{name: "syntax", fixture: "filter_lazy",
			opts: Options{Events: 5, OpenParams: "5", Filter: "lazy.num = 1 and\n\tlazy.even = true or"},
			want: "fail --filter: filter error at index 37, line 2, column 21: expected blank or '(' after 'or'\n   lazy.even = true or\n                      ^",
			stream: &Stream{Errors: []string{"--filter: filter error at index 37, line 2, column 21: expected blank or '(' after 'or'\n   lazy.even = true or\n                      ^"},
				Filter: "lazy.num = 1 and\n\tlazy.even = true or"}},
		{name: "format", fixture: "filter_lazy",
			opts: Options{Events: 5, OpenParams: "5", Filter: "lazy.num = 1", Output: "%lazy.str %"},
			want: "fail --output: invalid formatting syntax: formatting cannot end with a % (at index 10, line 1, column 11)\n  %lazy.str %\n            ^",
			stream: &Stream{Errors: []string{"--output: invalid formatting syntax: formatting cannot end with a % (at index 10, line 1, column 11)\n  %lazy.str %\n            ^"},
				Filter: "lazy.num = 1", Output: "%lazy.str %"}},
		{name: "format star", fixture: "filter_lazy",
			opts: Options{Events: 5, OpenParams: "5", Output: "*%lazy.str %"},
			want: "fail --output: invalid formatting syntax: formatting cannot end with a % (at index 11, line 1, column 12)\n  *%lazy.str %\n             ^",
			stream: &Stream{Errors: []string{"--output: invalid formatting syntax: formatting cannot end with a % (at index 11, line 1, column 12)\n  *%lazy.str %\n             ^"},
				Output: "*%lazy.str %"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := tc.opts
			opts.Logger = quiet
			r := Check(fixtures.C(t, tc.fixture), opts)
			c := r.Checks[len(r.Checks)-1]
			if got := string(c.Status) + " " + c.Message; got != tc.want {
				t.Errorf("stream check:\n got %q\nwant %q", got, tc.want)
			}
			got, _ := json.Marshal(r.Stream)
			want, _ := json.Marshal(tc.stream)
			if string(got) != string(want) {
				t.Errorf("stream report:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestStreamFilterExtractFails: a filter or an output whose extraction
// fails fails the stream; the events before the failure are counted and
// formatted.
func TestStreamFilterExtractFails(t *testing.T) {
	t.Parallel()
	path, err := extractFails()
	if err != nil {
		t.Fatal(err)
	}
	const msg = "plugin 'extract_fails': plugin_extract_fields: event 3 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract from evt-3"
	r := Check(path, Options{Events: 10, OpenParams: "10", Filter: "fixture.u64 = 42", Output: "%evt.num %fixture.str",
		MaxOutputs: 10, Logger: quiet})
	c := r.Checks[len(r.Checks)-1]
	if c.Status != Fail || c.Message != msg {
		t.Errorf("stream check %+v, want fail %q", c, msg)
	}
	if s := r.Stream; s == nil || s.Events != 3 || s.Matched == nil || *s.Matched != 3 ||
		!slices.Equal(s.Lines, []string{"1 fixture-string", "2 fixture-string", "3 fixture-string"}) {
		t.Errorf("stream %+v", s)
	}
}

func TestExprError(t *testing.T) {
	for _, tc := range []struct {
		text string
		err  error
		want string
	}{
		{"a", errors.New("plain"), "--filter: plain"},
		{"ab\ncd\r\nef", &filter.SyntaxError{Pos: filter.Pos{Offset: 4, Line: 2, Col: 2}, Msg: "m"},
			"--filter: filter error at index 4, line 2, column 2: m\n  cd\n   ^"},
		{"é\tx = 1", &filter.CompileError{Pos: filter.Pos{Offset: 3, Line: 1, Col: 4}, Msg: "m"},
			"--filter: m (at index 3, line 1, column 4)\n  é x = 1\n    ^"},
		{"x", &filter.MacroError{Pos: filter.Pos{Offset: 9, Line: 1, Col: 10}, Msg: "m"},
			"--filter: m (at index 9, line 1, column 10)\n  x\n   ^"},
		{"", &filter.SyntaxError{Pos: filter.Pos{Line: 1, Col: 1}, Msg: "filter input string is empty"},
			"--filter: filter error at index 0, line 1, column 1: filter input string is empty"},
	} {
		if got := ExprError("--filter", tc.text, tc.err); got != tc.want {
			t.Errorf("%q, %v:\n got %q\nwant %q", tc.text, tc.err, got, tc.want)
		}
	}
}

// TestStreamFilterAllocations: a filter and an output cost no allocation
// per event either, past the outputs kept (as TestStreamAllocations).
func TestStreamFilterAllocations(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "filter_lazy"), loader.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.Init("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Destroy()
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"filter", Options{Filter: "lazy.even = true and lazy.str != s-4"}},
		{"filter and output", Options{Filter: "lazy.num > 2 and lazy.str != s-4", Output: "%evt.num %lazy.str", MaxOutputs: 10}},
		{"output json", Options{Output: "%lazy.num %lazy.str", OutputJSON: true, MaxOutputs: 10}},
	} {
		mallocs := func(n int) uint64 {
			opts := tc.opts
			opts.Events, opts.OpenParams = n, strconv.Itoa(n)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rep, c := runStream(context.Background(), s, opts)
			runtime.ReadMemStats(&after)
			if c.Status != Pass || rep.Events != uint64(n) {
				t.Fatalf("%s, %d events: %+v %+v", tc.name, n, c, rep)
			}
			return after.Mallocs - before.Mallocs
		}
		mallocs(1000) // warm up
		small, large := mallocs(2000), mallocs(200000)
		if extra := int64(large) - int64(small); extra > 198000/16 {
			t.Errorf("%s: 2000 events: %d allocations; 200000 events: %d", tc.name, small, large)
		} else {
			t.Logf("%s: 2000 events: %d allocations; 200000 events: %d", tc.name, small, large)
		}
	}
}
