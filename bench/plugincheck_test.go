package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plughost/plughost/internal/checkreport"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/internal/floor"
)

// pairFields are bench_pair's fields as the floor harness takes them
// (ID:FTYPE:FLIST:NAME): the two fields plugincheck extracts from it.
const pairFields = "0:8:0:pair.num,1:9:0:pair.str"

// buildDir holds the plugincheck binary once built; TestMain removes it.
var buildDir string

func TestMain(m *testing.M) {
	if os.Getenv(pipelineEnv) != "" {
		os.Exit(pipelineMain()) // BenchmarkSinspExample's child
	}
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// buildPlugincheck builds cmd/plugincheck once per test process, as users
// build it (go build, the environment's CGO_ENABLED).
var buildPlugincheck = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "plughost-bench-")
	if err != nil {
		return "", err
	}
	buildDir = dir
	exe := filepath.Join(dir, "plugincheck")
	cmd := exec.Command("go", "build", "-o", exe, "./cmd/plugincheck")
	cmd.Dir = fixtures.Root()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s: %v\n%s", cmd, err, out)
	}
	return exe, nil
})

// runPlugincheck runs `plugincheck --events N --open-params N plugin` as a
// whole process (isolated child included, the default) and returns its wall
// time. It fails b unless the stream check read N events and counted two
// values per event.
func runPlugincheck(b *testing.B, exe, plugin string, events int) time.Duration {
	n := strconv.Itoa(events)
	cmd := exec.Command(exe, "--events", n, "--open-params", n, plugin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	want := fmt.Sprintf("read %d events (limit reached), extracted %d values", events, 2*events)
	if events == 1 {
		want = "read 1 event (limit reached), extracted 2 values"
	}
	if err != nil || !strings.Contains(stdout.String(), want) {
		b.Fatalf("%s: %v: want %q in the report\nstdout:\n%s\nstderr:\n%s", cmd, err, want, stdout.String(), stderr.String())
	}
	return elapsed
}

// BenchmarkPlugincheck measures `plugincheck --events N --open-params N` on
// bench_pair (one uint64 and one string field, no-op) against the floor
// harness doing the same next_batch and one extract_fields call per event
// for both fields (mode extract2). b.N counts events.
//
// whole=process times both whole processes from exec to exit and reports
// ns/event for plugincheck, floor-ns/event for the harness and their ratio
// (host/floor). whole=inprocess runs the same check in this process
// (checkreport.Check, without the child) for its allocations per event.
func BenchmarkPlugincheck(b *testing.B) {
	plugin := fixtures.C(b, "bench_pair")
	b.Run("whole=process", func(b *testing.B) {
		exe, err := buildPlugincheck()
		if err != nil {
			b.Fatal(err)
		}
		h, err := floor.Harness()
		if err != nil {
			b.Fatal(err)
		}
		events := max(b.N, 1)
		b.ResetTimer()
		start := time.Now()
		r, err := floor.Run(h, plugin, floor.ModeExtract2, events, strconv.Itoa(events), "", map[string]string{"FLOOR_FIELDS": pairFields})
		floorTime := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if r.Events != events {
			b.Fatalf("floor: %d events, want %d", r.Events, events)
		}
		hostTime := runPlugincheck(b, exe, plugin, events)
		b.StopTimer()
		host := float64(hostTime.Nanoseconds()) / float64(events)
		fl := float64(floorTime.Nanoseconds()) / float64(events)
		b.ReportMetric(host, "ns/event")
		b.ReportMetric(fl, "floor-ns/event")
		b.ReportMetric(r.NsPerEvent, "floor-loop-ns/event")
		b.ReportMetric(host/fl, "host/floor")
		b.ReportMetric(0, "ns/op") // both processes ran once: ns/op would add them up
	})
	b.Run("whole=inprocess", func(b *testing.B) {
		events := max(b.N, 1)
		b.ReportAllocs()
		b.ResetTimer()
		r := checkreport.Check(plugin, checkreport.Options{Events: events, OpenParams: strconv.Itoa(events)})
		b.StopTimer()
		if !r.OK || r.Stream == nil || r.Stream.Events != uint64(events) || r.Stream.FieldsExtracted != 2*uint64(events) {
			b.Fatalf("check: %+v (stream %+v)", r, r.Stream)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	})
}
