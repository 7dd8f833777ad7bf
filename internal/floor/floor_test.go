package floor

import (
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plughost/plughost/internal/fixtures"
)

// dummyFields are the fields requested from the official dummy plugin
// (v0.11.5: 0 dummy.divisible, uint64, index argument required; 1
// dummy.value, uint64; 2 dummy.strvalue, string): extract1 uses the first
// one, extract4 all four.
const dummyFields = "1:8:0:dummy.value,2:9:0:dummy.strvalue,0:8:0:dummy.divisible[3],0:8:0:dummy.divisible[7]"

// dummyConfig is the init config of the dummy plugin (its default jitter).
const dummyConfig = `{"jitter":10}`

func dummyOpenParams(events int) string {
	return fmt.Sprintf(`{"start":1,"maxEvents":%d}`, events)
}

// dummy builds the official dummy plugin; it skips t in short mode (no
// official plugins then, as elsewhere in the repository).
func dummy(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds an official Go plugin")
	}
	return fixtures.Official(t, "dummy", "v0.11.5")
}

func noop(t *testing.T) string {
	t.Helper()
	return fixtures.C(t, "bench_noop")
}

func pair(t *testing.T) string {
	t.Helper()
	return fixtures.C(t, "bench_pair")
}

func harness(t *testing.T) string {
	t.Helper()
	h, err := Harness()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// checkSane fails t unless r is a plausible result for a run of want events.
func checkSane(t *testing.T, r Result, want int) {
	t.Helper()
	if r.Events != want {
		t.Errorf("events = %d, want %d", r.Events, want)
	}
	if r.NsPerEvent < 0 || math.IsNaN(r.NsPerEvent) || math.IsInf(r.NsPerEvent, 0) {
		t.Errorf("ns_per_event = %v, want a finite non-negative number", r.NsPerEvent)
	}
	if r.Batches < 1 || r.Batches > r.Events {
		t.Errorf("batches = %d, want 1..%d", r.Batches, r.Events)
	}
}

// TestFloor measures bench_noop and the official dummy plugin in every mode,
// with GOMAXPROCS=1 and with GOMAXPROCS unset, and logs the numbers. Only
// the sanity of the results is checked: timings are not asserted.
//
// Each configuration is run up to 3 times (fewer once it has taken 5s: the
// async extraction of Go SDK plugins, used when GOMAXPROCS > 1, can be very
// slow on a loaded machine) and the minimum is reported along with every run.
func TestFloor(t *testing.T) {
	h := harness(t)
	noopEvents, dummyEvents := 1_000_000, 100_000
	if testing.Short() {
		noopEvents = 100_000 // and no dummy
	}
	const (
		repeats = 3
		budget  = 5 * time.Second
	)

	type plugin struct {
		name, openParams, config, fields string
		path                             func(*testing.T) string
		events                           int
		batch                            int // events per batch, when fixed
	}
	plugins := []plugin{
		// 512 events per batch, never EOF; default fields (noop.u1 for
		// extract1, noop.u1..noop.u4 for extract4).
		{name: "bench_noop", path: noop, openParams: "512", events: noopEvents, batch: 512},
		{name: "dummy", path: dummy, openParams: dummyOpenParams(dummyEvents), config: dummyConfig,
			fields: dummyFields, events: dummyEvents},
	}

	var summary []string
	for _, p := range plugins {
		for _, mode := range ExtractModes {
			for _, procs := range []string{"1", ""} {
				label := "default"
				if procs != "" {
					label = procs
				}
				t.Run(fmt.Sprintf("%s/%s/GOMAXPROCS=%s", p.name, mode, label), func(t *testing.T) {
					path := p.path(t)
					env := map[string]string{"GOMAXPROCS": procs, "FLOOR_FIELDS": p.fields}
					var runs []float64
					var last Result
					start := time.Now()
					for len(runs) < repeats && (len(runs) == 0 || time.Since(start) < budget) {
						r, err := Run(h, path, mode, p.events, p.openParams, p.config, env)
						if err != nil {
							t.Fatal(err)
						}
						checkSane(t, r, p.events)
						if p.batch > 0 {
							if want := (p.events + p.batch - 1) / p.batch; r.Batches != want {
								t.Errorf("batches = %d, want %d", r.Batches, want)
							}
						}
						runs = append(runs, r.NsPerEvent)
						last = r
					}
					line := fmt.Sprintf("%-10s %-8s GOMAXPROCS=%-7s min %10.2f ns/event  runs %s  (events=%d batches=%d)",
						p.name, mode, label, slices.Min(runs), fmtRuns(runs), last.Events, last.Batches)
					t.Log(line)
					summary = append(summary, line)
				})
			}
		}
	}
	t.Logf("summary (%s, %d CPUs, %s):\n%s", cpuNote(), runtime.NumCPU(), loadNote(), strings.Join(summary, "\n"))
}

// loadNote returns the load averages of the machine, if known.
func loadNote() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "load unknown"
	}
	return "load " + strings.Join(f[:3], " ")
}

func fmtRuns(runs []float64) string {
	s := make([]string, len(runs))
	for i, v := range runs {
		s[i] = fmt.Sprintf("%.2f", v)
	}
	return strings.Join(s, " ")
}

func cpuNote() string {
	if v, ok := os.LookupEnv("GOMAXPROCS"); ok {
		return "test process GOMAXPROCS=" + v
	}
	return "test process GOMAXPROCS unset"
}

// TestFieldSelection checks the ways of choosing fields: by name (looked up
// in get_fields), with an argument, and the errors.
func TestFieldSelection(t *testing.T) {
	h := harness(t)
	for _, tc := range []struct {
		name, mode, openParams, config, fields string
		plugin                                 func(*testing.T) string
	}{
		{"noop names and spec", ModeExtract4, "7,1000", "", "noop.str,4:9:0:noop.str,noop.u4", noop},
		{"noop string", ModeExtract1, "1000", "", "noop.str", noop},
		// bench_pair's open params are the number of events; its two
		// fields are the default ones.
		{"pair default fields", ModeExtract2, "1000", "", "", pair},
		{"pair spec", ModeExtract2, "1000", "", "0:8:0:pair.num,1:9:0:pair.str", pair},
		{"dummy index arg", ModeExtract4, dummyOpenParams(1000), dummyConfig, "dummy.divisible[2],dummy.strvalue", dummy},
		// Without FLOOR_FIELDS, dummy.divisible (argument required) is skipped.
		{"dummy default fields", ModeExtract4, dummyOpenParams(1000), "", "", dummy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Run(h, tc.plugin(t), tc.mode, 1000, tc.openParams, tc.config, map[string]string{"FLOOR_FIELDS": tc.fields})
			if err != nil {
				t.Fatal(err)
			}
			checkSane(t, r, 1000)
		})
	}

	for _, tc := range []struct {
		name, mode, openParams, fields, wantErr string
		plugin                                  func(*testing.T) string
	}{
		{"unknown field", ModeExtract1, "", "noop.nope", `no field "noop.nope"`, noop},
		{"bad open params", ModeBatch, "x", "", "invalid open params", noop},
		{"bad mode", "extract3", "", "", "unknown mode", noop},
		{"missing argument", ModeExtract1, "", "dummy.divisible", "requires an argument", dummy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(h, tc.plugin(t), tc.mode, 10, tc.openParams, "", map[string]string{"FLOOR_FIELDS": tc.fields})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestEOF checks that a plugin reaching EOF early ends the run.
func TestEOF(t *testing.T) {
	h := harness(t)
	r, err := Run(h, noop(t), ModeExtract1, 1000, "64,100", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Events != 100 || r.Batches != 2 {
		t.Errorf("got %v, want 100 events in 2 batches", r)
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Result{
		"events=10 ns_per_event=1.50 batches=2\n":           {Events: 10, NsPerEvent: 1.5, Batches: 2},
		"events=10 ns_per_event=1.50 batches=2 matched=7\n": {Events: 10, NsPerEvent: 1.5, Batches: 2, Matched: 7},
		"events=10 ns_per_event=1.50 batches=2 bytes=30\n":  {Events: 10, NsPerEvent: 1.5, Batches: 2, Bytes: 30},
	} {
		r, err := parse(in)
		if err != nil || !reflect.DeepEqual(r, want) {
			t.Errorf("parse(%q) = %v, %v; want %v", in, r, err, want)
		}
	}
	for _, bad := range []string{"", "events=1 ns_per_event=x batches=1\n", "a\nevents=1 ns_per_event=1.00 batches=1\n",
		"events=1 ns_per_event=1.00 batches=1 bytes=1 matched=1\n"} {
		if _, err := parse(bad); err == nil {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
}

func TestMergeEnv(t *testing.T) {
	got := mergeEnv([]string{"A=1", "B=2", "C=3"}, map[string]string{"B": "", "C": "4", "D": "5"})
	want := []string{"A=1", "C=4", "D=5"}
	if !slices.Equal(got, want) {
		t.Errorf("mergeEnv = %q, want %q", got, want)
	}
}

// TestFilterOutput checks the filter and output modes: matches, line
// lengths and lines, on bench_noop (constant fields) and the official dummy
// plugin (jitter 0: event n has dummy.value n+1), and their errors.
func TestFilterOutput(t *testing.T) {
	h := harness(t)
	const five = "= 1;= 5;= 3;!= 0;startswith con"
	dummy0 := `{"jitter":0}`
	for _, tc := range []struct {
		name, mode, openParams, config, fields, checks string
		plugin                                         func(*testing.T) string
		matched, bytes                                 int
		lines                                          []string
	}{
		{name: "noop all", mode: ModeFilter1, openParams: "64", fields: "noop.u1", checks: "= 1", plugin: noop, matched: 1000},
		{name: "noop none", mode: ModeFilter1, openParams: "64", fields: "noop.u1", checks: "= 2", plugin: noop},
		{name: "noop string", mode: ModeFilter1, openParams: "64", fields: "noop.str", checks: "> consta", plugin: noop, matched: 1000},
		{name: "noop five", mode: ModeFilter5, openParams: "64", fields: "noop.u1,noop.u2,noop.u3,noop.u4,noop.str", checks: five,
			plugin: noop, matched: 1000},
		{name: "noop five none", mode: ModeFilter5, openParams: "64", fields: "noop.u1,noop.u2,noop.u3,noop.u4,noop.str",
			checks: "= 1;= 5;= 3;!= 0;startswith x", plugin: noop},
		// One field in every clause: extracted once per event.
		{name: "noop shared field", mode: ModeFilter5, openParams: "64", fields: "noop.u1",
			checks: ">= 1;< 1;<= 1;!= 2;= 1", plugin: noop, matched: 1000},
		{name: "noop output", mode: ModeOutput3, openParams: "64", fields: "noop.u1,noop.u2,noop.str", plugin: noop,
			bytes: 1000 * len("1 2 constant"), lines: []string{"1 2 constant", "1 2 constant"}},
		// Values 2..1001: 996 are > 5.
		{name: "dummy value", mode: ModeFilter1, openParams: dummyOpenParams(1000), config: dummy0, fields: "dummy.value",
			checks: "> 5", plugin: dummy, matched: 996},
		{name: "dummy five", mode: ModeFilter5, openParams: dummyOpenParams(1000), config: dummy0,
			fields: "dummy.value,dummy.divisible[2],dummy.divisible[3],dummy.divisible[7],dummy.strvalue",
			checks: "> 5;= 1;= 1;= 0;startswith 1", plugin: dummy, matched: dummyFive(1000)},
		{name: "dummy output", mode: ModeOutput3, openParams: dummyOpenParams(1000), config: dummy0,
			fields: "dummy.value,dummy.strvalue,dummy.divisible[3]", plugin: dummy, bytes: dummyLineBytes(1000),
			lines: []string{"2 2 0", "3 3 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"FLOOR_FIELDS": tc.fields, "FLOOR_CHECKS": tc.checks, "FLOOR_PRINT": "2", "GOMAXPROCS": "1"}
			r, err := Run(h, tc.plugin(t), tc.mode, 1000, tc.openParams, tc.config, env)
			if err != nil {
				t.Fatal(err)
			}
			checkSane(t, r, 1000)
			if r.Matched != tc.matched || r.Bytes != tc.bytes || !slices.Equal(r.Lines, tc.lines) {
				t.Errorf("got matched=%d bytes=%d lines=%q, want matched=%d bytes=%d lines=%q",
					r.Matched, r.Bytes, r.Lines, tc.matched, tc.bytes, tc.lines)
			}
		})
	}

	for _, tc := range []struct {
		name, mode, fields, checks, wantErr string
	}{
		{"no checks", ModeFilter1, "noop.u1", "", "need $FLOOR_CHECKS"},
		{"too few checks", ModeFilter5, "noop.u1", "= 1;= 1", "has 2 checks, want 5"},
		{"too many checks", ModeFilter1, "noop.u1", "= 1;= 1", "more than 1 checks"},
		{"bad operator", ModeFilter1, "noop.u1", "== 1", `unknown operator "=="`},
		{"bad number", ModeFilter1, "noop.u1", "= x", `"x" is not a number`},
		{"no value", ModeFilter1, "noop.u1", "=", `want "OP VALUE"`},
		{"startswith number", ModeFilter1, "noop.u1", "startswith 1", "startswith needs a string field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(h, noop(t), tc.mode, 10, "", "", map[string]string{"FLOOR_FIELDS": tc.fields, "FLOOR_CHECKS": tc.checks})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// dummyFive counts the dummy events (values 2..n+1) that match
// value > 5 and (value%2 == 0 or value%3 == 0) and value%7 != 0 and
// the decimal starts with 1.
func dummyFive(n int) int {
	m := 0
	for v := 2; v <= n+1; v++ {
		if v > 5 && (v%2 == 0 || v%3 == 0) && v%7 != 0 && fmt.Sprint(v)[0] == '1' {
			m++
		}
	}
	return m
}

// dummyLineBytes is the total length of the lines "V V D" (D: 1 if V is
// divisible by 3) of the dummy events with values 2..n+1.
func dummyLineBytes(n int) int {
	b := 0
	for v := 2; v <= n+1; v++ {
		b += 2*len(fmt.Sprint(v)) + 3
	}
	return b
}
