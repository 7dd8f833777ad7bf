package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/internal/floor"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
	"github.com/plughost/plughost/registry"
)

// The workloads of BenchmarkFilters (the work= key of its sub-benchmarks).
const (
	workExtract1 = "extract1" // extract one field of every event and read it (no filter)
	workCmp      = "cmp"      // a one-field comparison that every event matches
	workNoMatch  = "nomatch"  // a one-field comparison that no event matches
	workAnd5     = "and5"     // c1 and (c2 or c3) and c4 and c5
	workOutput3  = "output3"  // a 3-field text output line for every event
)

var works = []string{workExtract1, workCmp, workNoMatch, workAnd5, workOutput3}

// floorFilter is a filter as the floor harness takes it: the field of each
// clause ($FLOOR_FIELDS) and its check ($FLOOR_CHECKS).
type floorFilter struct{ fields, checks string }

// filterPlugin is one plugin of BenchmarkFilters: how to build, init and
// open it, and its version of each workload, for the host (filter and
// format text) and for the floor harness.
type filterPlugin struct {
	name   string
	path   func(testing.TB) string
	config string
	// params returns the open params for a run of at least events events
	// (both the host and the floor read them).
	params func(tb testing.TB, events int) string

	single  string // the field of extract1 (and of cmp and nomatch)
	cmp     string
	nomatch string
	and5    string
	output3 string // format text

	floorCmp, floorNoMatch, floorAnd5 floorFilter
	floorOutput3                      string // $FLOOR_FIELDS of output3
}

// hostText is the filter or format text of work for the host.
func (p *filterPlugin) hostText(work string) string {
	switch work {
	case workCmp:
		return p.cmp
	case workNoMatch:
		return p.nomatch
	case workAnd5:
		return p.and5
	case workOutput3:
		return p.output3
	}
	return ""
}

// floorArgs are the floor harness mode and environment of work.
func (p *filterPlugin) floorArgs(work string) (string, map[string]string) {
	env := map[string]string{"GOMAXPROCS": "1"}
	var mode string
	var ff floorFilter
	switch work {
	case workExtract1:
		mode, ff = floor.ModeExtract1, floorFilter{fields: p.single}
	case workCmp:
		mode, ff = floor.ModeFilter1, p.floorCmp
	case workNoMatch:
		mode, ff = floor.ModeFilter1, p.floorNoMatch
	case workAnd5:
		mode, ff = floor.ModeFilter5, p.floorAnd5
	case workOutput3:
		mode, ff = floor.ModeOutput3, floorFilter{fields: p.floorOutput3}
	}
	env["FLOOR_FIELDS"] = ff.fields
	if ff.checks != "" {
		env["FLOOR_CHECKS"] = ff.checks
	}
	return mode, env
}

// dummyParams are dummy's open params for events events: values
// start+1, start+2, ... with the init config {"jitter":0}.
func dummyParams(_ testing.TB, events int) string {
	return fmt.Sprintf(`{"start":1,"maxEvents":%d}`, events)
}

var filterPlugins = []*filterPlugin{
	{
		name: "noop", path: func(tb testing.TB) string { return fixtures.C(tb, "bench_noop") },
		// Batches of 512, never EOF: a run reads whole batches.
		params: func(testing.TB, int) string { return "512" },
		single: "noop.u1",
		cmp:    "noop.u1 = 1", nomatch: "noop.u1 = 2",
		and5:    "noop.u1 = 1 and (noop.u2 = 5 or noop.u3 = 3) and noop.u4 != 0 and noop.str startswith con",
		output3: "%noop.u1 %noop.u2 %noop.str",

		floorCmp:     floorFilter{"noop.u1", "= 1"},
		floorNoMatch: floorFilter{"noop.u1", "= 2"},
		floorAnd5:    floorFilter{"noop.u1,noop.u2,noop.u3,noop.u4,noop.str", "= 1;= 5;= 3;!= 0;startswith con"},
		floorOutput3: "noop.u1,noop.u2,noop.str",
	},
	{
		name: "dummy", path: func(tb testing.TB) string { return fixtures.Official(tb, "dummy", "v0.11.5") },
		config: `{"jitter":0}`, params: dummyParams,
		single: "dummy.value",
		cmp:    "dummy.value > 5", nomatch: "dummy.value = 0",
		and5:    "dummy.value > 5 and (dummy.divisible[2] = 1 or dummy.divisible[3] = 1) and dummy.divisible[7] = 0 and dummy.strvalue startswith 1",
		output3: "%dummy.value %dummy.strvalue %dummy.divisible[3]",

		floorCmp:     floorFilter{"dummy.value", "> 5"},
		floorNoMatch: floorFilter{"dummy.value", "= 0"},
		floorAnd5: floorFilter{"dummy.value,dummy.divisible[2],dummy.divisible[3],dummy.divisible[7],dummy.strvalue",
			"> 5;= 1;= 1;= 0;startswith 1"},
		floorOutput3: "dummy.value,dummy.strvalue,dummy.divisible[3]",
	},
	{
		name: "k8saudit", path: func(tb testing.TB) string { return fixtures.Official(tb, "k8saudit", "v0.18.0") },
		config: "{}", params: auditLog,
		single: "ka.verb",
		cmp:    "ka.verb = create", nomatch: "ka.verb = nosuchverb",
		and5:    "ka.verb = create and (ka.target.resource = pods or ka.target.subresource = exec) and ka.user.name != kubernetes-admin and ka.target.namespace startswith pay",
		output3: "%ka.user.name %ka.target.namespace %ka.target.name",

		floorCmp:     floorFilter{"ka.verb", "= create"},
		floorNoMatch: floorFilter{"ka.verb", "= nosuchverb"},
		floorAnd5: floorFilter{"ka.verb,ka.target.resource,ka.target.subresource,ka.user.name,ka.target.namespace",
			"= create;= pods;= exec;!= kubernetes-admin;startswith pay"},
		floorOutput3: "ka.user.name,ka.target.namespace,ka.target.name",
	},
}

// auditLines are the lines of testdata/events/k8saudit/audit.log that
// k8saudit turns into events without logging anything (valid JSON, every
// event with a stageTimestamp), and the number of events they make.
func auditLines(tb testing.TB) ([][]byte, int) {
	data, err := os.ReadFile(filepath.Join(fixtures.Root(), "testdata", "events", "k8saudit", "audit.log"))
	if err != nil {
		tb.Fatal(err)
	}
	var lines [][]byte
	events := 0
	for _, line := range bytes.Split(data, []byte("\n")) {
		var v struct {
			Kind           string
			StageTimestamp string
			Items          []struct{ StageTimestamp string }
		}
		if len(line) == 0 || json.Unmarshal(line, &v) != nil {
			continue
		}
		n := 0
		switch v.Kind {
		case "Event":
			if v.StageTimestamp != "" {
				n = 1
			}
		case "EventList":
			n = len(v.Items)
			for _, it := range v.Items {
				if it.StageTimestamp == "" {
					n = 0
				}
			}
		}
		if n > 0 {
			lines = append(lines, line)
			events += n
		}
	}
	if events == 0 {
		tb.Fatal("audit.log: no usable event")
	}
	return lines, events
}

// auditLog writes, in a temporary directory, an audit log of copies of the
// usable lines of audit.log with at least events events (k8saudit's open
// params: the path).
func auditLog(tb testing.TB, events int) string {
	lines, per := auditLines(tb)
	path := filepath.Join(tb.TempDir(), "audit.log")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for n := 0; n < events; n += per {
		for _, l := range lines {
			w.Write(l)
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// pipelineSink receives the values extract1 reads.
var pipelineSink uint64

// hostResult is what a host run did.
type hostResult struct {
	events, matched, bytes int
	lines                  []string // the first output lines, as asked
	elapsed                time.Duration
	mallocs                uint64 // host heap allocations during the loop
}

// runPipeline runs work on plugin p through the library path for at least
// events events (whole batches; fewer at EOF): Stream.Next, then
// Evaluator.Eval (filters), Formatter.Extract and AppendText into a reused
// buffer for every event (output3), or ExtractBatch and a read of every
// value (extract1). With b non-nil, only the loop is timed.
func runPipeline(tb testing.TB, b *testing.B, p *filterPlugin, work, params string, events, keepLines int, opts filter.EvalOptions) hostResult {
	plugin, err := loader.Load(p.path(tb), loader.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	reg := registry.New()
	if err := reg.Add(plugin); err != nil {
		tb.Fatal(err)
	}
	s, err := plugin.Init(p.config)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Destroy()
	states := func(*loader.Plugin) (*loader.State, error) { return s, nil }
	env := filter.Env{Registry: reg, Source: plugin.EventSource}

	var r hostResult
	var line []byte
	var onBatch func(*capability.Batch) error
	switch work {
	case workExtract1:
		x, err := capability.NewExtractor(s, plugin.EventSource, []string{p.single}, capability.ExtractOptions{})
		if err != nil {
			tb.Fatal(err)
		}
		defer x.Close()
		numeric := x.Requests()[0].Field.Type == pluginapi.FieldTypeUint64
		onBatch = func(batch *capability.Batch) error {
			res, err := x.ExtractBatch(batch)
			if err != nil {
				return err
			}
			if numeric {
				col := res.Uint64Column(0)
				for i := 0; i < res.Len(); i++ {
					v, _ := col.At(i)
					pipelineSink += v
				}
			} else {
				col := res.Column(0)
				for i := 0; i < res.Len(); i++ {
					if col.Count(i) > 0 {
						pipelineSink += uint64(len(col.Bytes(i, 0)))
					}
				}
			}
			return nil
		}
	case workOutput3:
		format, err := filter.CompileFormat(p.output3, env)
		if err != nil {
			tb.Fatal(err)
		}
		fm, err := format.NewFormatter(states)
		if err != nil {
			tb.Fatal(err)
		}
		defer fm.Close()
		line = make([]byte, 0, 4096)
		onBatch = func(batch *capability.Batch) error {
			if err := fm.Extract(batch, nil); err != nil {
				return err
			}
			for i := 0; i < batch.Len(); i++ {
				line, _ = fm.AppendText(line[:0], i)
				r.bytes += len(line)
				if len(r.lines) < keepLines {
					r.lines = append(r.lines, string(line))
				}
			}
			return nil
		}
	default:
		f, err := filter.Compile(p.hostText(work), env)
		if err != nil {
			tb.Fatal(err)
		}
		ev, err := f.NewEvaluatorOptions(states, opts)
		if err != nil {
			tb.Fatal(err)
		}
		defer ev.Close()
		onBatch = func(batch *capability.Batch) error {
			match, err := ev.Eval(batch)
			r.matched += len(match)
			return err
		}
	}

	src, err := capability.NewSource(s)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := src.Open(params)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	next := func(batch *capability.Batch) error {
		r.events += batch.Len()
		return onBatch(batch)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	mallocs := ms.Mallocs
	if b != nil {
		b.ReportAllocs()
		b.ResetTimer()
	}
	start := time.Now()
	for r.events < events {
		err := st.Next(context.Background(), next)
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	r.elapsed = time.Since(start)
	if b != nil {
		b.StopTimer()
	}
	runtime.ReadMemStats(&ms)
	r.mallocs = ms.Mallocs - mallocs
	return r
}

// BenchmarkFilters measures three workloads on three plugins, the host
// (impl=host: the library path, see runPipeline) against the floor harness
// (impl=floor: the same next_batch calls and, per event, one
// extract_fields call per field a clause needs, the same comparisons in C;
// for output3 one extract_fields call for the 3 fields and the line
// rendered with snprintf). b.N counts events; both report ns/event, the
// host also allocs/event (its own heap allocations per event).
//
// plugin=noop is bench_noop (constant fields), plugin=dummy the official
// dummy v0.11.5 (GOMAXPROCS=1, jitter 0), plugin=k8saudit the official
// k8saudit v0.18.0 over copies of testdata/events/k8saudit/audit.log.
// The workloads (work=) are extract1 (one field, no filter: the extraction
// a one-field filter needs), cmp and nomatch (one comparison that every /
// no event matches), and5 (five clauses) and output3 (a 3-field text line).
func BenchmarkFilters(b *testing.B) {
	for _, p := range filterPlugins {
		b.Run("plugin="+p.name, func(b *testing.B) {
			for _, work := range works {
				b.Run("work="+work+"/impl=host", func(b *testing.B) {
					events := max(b.N, 1)
					r := runPipeline(b, b, p, work, p.params(b, events+1), events, 0, filter.EvalOptions{})
					b.ReportMetric(float64(r.elapsed.Nanoseconds())/float64(r.events), "ns/event")
					b.ReportMetric(float64(r.mallocs)/float64(r.events), "allocs/event")
				})
				if work == "and5" {
					// The same filter with every field of the plugin in
					// one call per event (filter.EvalOptions).
					b.Run("work="+work+"/impl=host-onecall", func(b *testing.B) {
						events := max(b.N, 1)
						r := runPipeline(b, b, p, work, p.params(b, events+1), events, 0, filter.EvalOptions{OneCallPerEvent: true})
						b.ReportMetric(float64(r.elapsed.Nanoseconds())/float64(r.events), "ns/event")
						b.ReportMetric(float64(r.mallocs)/float64(r.events), "allocs/event")
					})
				}
				b.Run("work="+work+"/impl=floor", func(b *testing.B) {
					events := max(b.N, 1000)
					h, err := floor.Harness()
					if err != nil {
						b.Fatal(err)
					}
					mode, env := p.floorArgs(work)
					params := p.params(b, events+1)
					b.ResetTimer() // B/op: not the generated audit log
					r, err := floor.Run(h, p.path(b), mode, events, params, p.config, env)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(r.NsPerEvent, "ns/event")
					b.ReportMetric(0, "ns/op") // the harness times itself
				})
			}
		})
	}
}

// TestFiltersAgree runs every workload of BenchmarkFilters on the same
// events with the host and the floor harness and checks that they agree:
// the same matches, the same total length of the output lines and the same
// first lines. Few events: it is here to keep the benchmark honest.
func TestFiltersAgree(t *testing.T) {
	h, err := floor.Harness()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range filterPlugins {
		t.Run(p.name, func(t *testing.T) {
			if p.name != "noop" && testing.Short() {
				t.Skip("builds an official plugin")
			}
			// A finite stream, the same for both: bench_noop's "512,N"
			// stops after N events.
			const events = 1200
			params := p.params(t, events)
			if p.name == "noop" {
				params = "512," + strconv.Itoa(events)
			}
			for _, work := range works[1:] {
				t.Run(work, func(t *testing.T) {
					hr := runPipeline(t, nil, p, work, params, 1<<62, 3, filter.EvalOptions{})
					mode, env := p.floorArgs(work)
					env["FLOOR_PRINT"] = "3"
					fr, err := floor.Run(h, p.path(t), mode, 1<<62, params, p.config, env)
					if err != nil {
						t.Fatal(err)
					}
					if hr.events < events || hr.events != fr.Events {
						t.Fatalf("events: host %d, floor %d, want %d or more", hr.events, fr.Events, events)
					}
					if hr.matched != fr.Matched || hr.bytes != fr.Bytes || fmt.Sprint(hr.lines) != fmt.Sprint(fr.Lines) {
						t.Errorf("host: matched=%d bytes=%d lines=%q\nfloor: matched=%d bytes=%d lines=%q",
							hr.matched, hr.bytes, hr.lines, fr.Matched, fr.Bytes, fr.Lines)
					}
					switch work {
					case workCmp:
						if hr.matched == 0 {
							t.Error("cmp matched nothing")
						}
					case workNoMatch:
						if hr.matched != 0 {
							t.Errorf("nomatch matched %d events", hr.matched)
						}
					case workAnd5:
						if hr.matched == 0 {
							t.Error("and5 matched nothing")
						}
					}
					t.Logf("%d events: matched=%d bytes=%d lines=%q", hr.events, hr.matched, hr.bytes, hr.lines)
				})
			}
		})
	}
}
