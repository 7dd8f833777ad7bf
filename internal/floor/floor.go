// Package floor measures the "floor" of plugin event processing: the cost
// of driving a plugin's next_batch and extract_fields straight from C, with
// no host in between. A host's numbers are meaningful relative to it.
//
// The measuring program is testdata/c/floor/floor_harness.c (see its opening
// comment for the command line, the modes and $FLOOR_FIELDS); Harness builds
// it and Run runs it once.
package floor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/plughost/plughost/internal/fixtures"
)

// Modes of the harness.
const (
	ModeBatch    = "batch"    // next_batch only
	ModeExtract1 = "extract1" // plus one extract_fields call per event, 1 field
	ModeExtract2 = "extract2" // plus one extract_fields call per event, 2 fields
	ModeExtract4 = "extract4" // plus one extract_fields call per event, 4 fields
	// ModeFilter1 applies one check ($FLOOR_CHECKS) to one field: one
	// extract_fields call per event.
	ModeFilter1 = "filter1"
	// ModeFilter5 evaluates c1 and (c2 or c3) and c4 and c5 with
	// short-circuit: one extract_fields call per event and field a clause
	// still needs.
	ModeFilter5 = "filter5"
	// ModeOutput3 renders a 3-field line with snprintf: one extract_fields
	// call per event for the 3 fields.
	ModeOutput3 = "output3"
)

// Modes lists every mode.
var Modes = []string{ModeBatch, ModeExtract1, ModeExtract2, ModeExtract4, ModeFilter1, ModeFilter5, ModeOutput3}

// ExtractModes lists the modes that need neither $FLOOR_CHECKS nor a
// particular number of fields.
var ExtractModes = []string{ModeBatch, ModeExtract1, ModeExtract2, ModeExtract4}

// Timeout bounds one run of the harness.
var Timeout = 5 * time.Minute

// harnessSource is the path of the harness below testdata/c.
const harnessSource = "floor/floor_harness.c"

// Harness builds the harness (cached like the C fixtures) and returns the
// path of the executable.
func Harness() (string, error) {
	return fixtures.BuildCProgram(harnessSource)
}

// Result is what one run of the harness measured.
type Result struct {
	Events     int     // events consumed
	NsPerEvent float64 // wall-clock nanoseconds per event, loop only
	Batches    int     // next_batch calls that returned events
	Matched    int     // filter modes: events that matched
	Bytes      int     // output mode: total length of the lines
	// Lines are the lines that $FLOOR_PRINT asked for (output mode).
	Lines []string
}

func (r Result) String() string {
	s := fmt.Sprintf("events=%d ns_per_event=%.2f batches=%d", r.Events, r.NsPerEvent, r.Batches)
	if r.Matched > 0 {
		s += fmt.Sprintf(" matched=%d", r.Matched)
	}
	if r.Bytes > 0 {
		s += fmt.Sprintf(" bytes=%d", r.Bytes)
	}
	return s
}

var resultLine = regexp.MustCompile(`^events=([0-9]+) ns_per_event=([0-9]+(?:\.[0-9]+)?) batches=([0-9]+)(?: matched=([0-9]+))?(?: bytes=([0-9]+))?$`)

const linePrefix = "floor_harness: line: "

// Run runs harness on plugin in the given mode until events events were
// consumed (or the plugin returned EOF), with the given open params and
// init config, and parses its result line.
//
// env holds environment overrides for the harness (e.g. FLOOR_FIELDS,
// FLOOR_CHECKS, FLOOR_PRINT, GOMAXPROCS); an empty value removes the
// variable from the environment inherited from this process.
func Run(harness, plugin, mode string, events int, openParams, config string, env map[string]string) (Result, error) {
	if events <= 0 {
		return Result{}, fmt.Errorf("floor: events must be positive, not %d", events)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	args := []string{plugin, mode, strconv.Itoa(events), openParams, config}
	cmd := exec.CommandContext(ctx, harness, args...)
	cmd.Env = mergeEnv(os.Environ(), env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	describe := func() string {
		var b strings.Builder
		for _, k := range sortedKeys(env) {
			fmt.Fprintf(&b, "%s=%q ", k, env[k])
		}
		fmt.Fprintf(&b, "%s", harness)
		for _, a := range args {
			fmt.Fprintf(&b, " %q", a)
		}
		return b.String()
	}
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (timeout %v)", err, Timeout)
		}
		return Result{}, fmt.Errorf("floor: %s: %w\nstdout: %s\nstderr: %s", describe(), err,
			strings.TrimSpace(stdout.String()), strings.TrimSpace(stderr.String()))
	}
	res, err := parse(stdout.String())
	if err != nil {
		return Result{}, fmt.Errorf("floor: %s: %w\nstderr: %s", describe(), err, strings.TrimSpace(stderr.String()))
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if line, ok := strings.CutPrefix(l, linePrefix); ok {
			res.Lines = append(res.Lines, line)
		}
	}
	return res, nil
}

// parse parses the single line the harness prints.
func parse(out string) (Result, error) {
	line := strings.TrimSuffix(out, "\n")
	if strings.Contains(line, "\n") {
		return Result{}, fmt.Errorf("want one line of output, got %q", out)
	}
	m := resultLine.FindStringSubmatch(line)
	if m == nil {
		return Result{}, fmt.Errorf("unexpected output %q", out)
	}
	var r Result
	var err1, err2, err3, err4, err5 error
	r.Events, err1 = strconv.Atoi(m[1])
	r.NsPerEvent, err2 = strconv.ParseFloat(m[2], 64)
	r.Batches, err3 = strconv.Atoi(m[3])
	if m[4] != "" {
		r.Matched, err4 = strconv.Atoi(m[4])
	}
	if m[5] != "" {
		r.Bytes, err5 = strconv.Atoi(m[5])
	}
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return Result{}, fmt.Errorf("output %q: %w", out, err)
	}
	if math.IsInf(r.NsPerEvent, 0) || math.IsNaN(r.NsPerEvent) {
		return Result{}, fmt.Errorf("output %q: ns_per_event is not finite", out)
	}
	return r, nil
}

// mergeEnv returns base with the overrides applied: KEY=VALUE entries of
// base are replaced, and removed for an empty value.
func mergeEnv(base []string, overrides map[string]string) []string {
	out := make([]string, 0, len(base)+len(overrides))
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := overrides[k]; !ok {
			out = append(out, kv)
		}
	}
	for _, k := range sortedKeys(overrides) {
		if v := overrides[k]; v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
