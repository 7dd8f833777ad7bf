package checkreport

import (
	"context"
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
		// values; a failure past the limit, in the last batch, fails too.
		{fixture: "extract_fails", params: "3", events: 10,
			want:   "pass read 3 events (eof), extracted 30 values",
			stream: &Stream{Events: 3, FieldsExtracted: 30, EOF: true, Errors: []string{}}},
		{fixture: "extract_fails", params: "10", events: 10,
			want:   "fail plugin 'extract_fails': plugin_extract_fields: event 3 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract from evt-3",
			stream: &Stream{Events: 3, FieldsExtracted: 30, Errors: []string{"plugin 'extract_fails': plugin_extract_fields: event 3 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract from evt-3"}}},
		{fixture: "extract_fails", params: "10", events: 2,
			want:   "fail plugin 'extract_fails': plugin_extract_fields: event 3 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract from evt-3",
			stream: &Stream{Events: 2, FieldsExtracted: 20, Errors: []string{"plugin 'extract_fails': plugin_extract_fields: event 3 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract from evt-3"}}},
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
		rep, c := runStream(context.Background(), s, n, strconv.Itoa(n))
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
