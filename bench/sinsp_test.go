package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// pipelineEnv makes the test binary run pipelineMain instead of its tests:
// its value is a pipelineArgs in JSON.
const pipelineEnv = "PLUGHOST_BENCH_PIPELINE"

// pipelineArgs is one run of the whole-process pipeline, sinsp-example's
// equivalent: one plugin, a filter, an output format.
type pipelineArgs struct {
	Plugin, Config, Params string
	Filter, Format         string
	JSON                   bool
}

// pipelineMain loads a.Plugin, streams every event of its source, decides
// it with a.Filter and, for every match, writes the a.Format line (text, or
// JSON with a.JSON) and a newline on stdout with one write, as
// sinsp-example does (`cout << line << endl`). It reports on stderr
// "events=N matched=M loop_ns=T", T being the time from the first
// next_batch to EOF.
func pipelineMain() int {
	var a pipelineArgs
	if err := json.Unmarshal([]byte(os.Getenv(pipelineEnv)), &a); err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		return 2
	}
	if err := runWholePipeline(a, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		return 1
	}
	return 0
}

func runWholePipeline(a pipelineArgs, stdout, stderr io.Writer) error {
	p, err := loader.Load(a.Plugin, loader.Options{})
	if err != nil {
		return err
	}
	reg := registry.New()
	if err := reg.Add(p); err != nil {
		return err
	}
	s, err := p.Init(a.Config)
	if err != nil {
		return err
	}
	defer s.Destroy()
	env := filter.Env{Registry: reg, Source: p.EventSource}
	f, err := filter.Compile(a.Filter, env)
	if err != nil {
		return err
	}
	format, err := filter.CompileFormat(a.Format, env)
	if err != nil {
		return err
	}
	states := func(*loader.Plugin) (*loader.State, error) { return s, nil }
	ev, err := f.NewEvaluator(states)
	if err != nil {
		return err
	}
	defer ev.Close()
	fm, err := format.NewFormatter(states)
	if err != nil {
		return err
	}
	defer fm.Close()
	src, err := capability.NewSource(s)
	if err != nil {
		return err
	}
	st, err := src.Open(a.Params)
	if err != nil {
		return err
	}
	defer st.Close()
	var events, matched int
	line := make([]byte, 0, 4096)
	start := time.Now()
	for {
		err := st.Next(context.Background(), func(b *capability.Batch) error {
			events += b.Len()
			match, err := ev.Eval(b)
			if err != nil {
				return err
			}
			matched += len(match)
			if err := fm.Extract(b, match); err != nil {
				return err
			}
			for _, i := range match {
				if a.JSON {
					line, _ = fm.AppendJSON(line[:0], int(i))
				} else {
					line, _ = fm.AppendText(line[:0], int(i))
				}
				line = append(line, '\n')
				if _, err := stdout.Write(line); err != nil {
					return err
				}
			}
			return nil
		})
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "events=%d matched=%d loop_ns=%d\n", events, matched, time.Since(start).Nanoseconds())
	return nil
}

var pipelineResult = regexp.MustCompile(`events=([0-9]+) matched=([0-9]+) loop_ns=([0-9]+)`)

// sinspFilter and sinspFormat are the filter and format of /work/oracle's
// README timing (and BENCHMARKS.md).
const (
	sinspFilter = "dummy.value > 5"
	sinspFormat = "%evt.num %dummy.value %dummy.strvalue"
)

// BenchmarkSinspExample times whole processes on b.N official dummy events
// (v0.11.5, jitter 0, GOMAXPROCS=1 for the plugin): the filter
// "dummy.value > 5" and, for each of the b.N-4 matches, the line of
// "%evt.num %dummy.value %dummy.strvalue" (out=text, or out=json) written
// to /dev/null with one write per line.
//
// impl=host is this test binary re-executed as pipelineMain (the library
// path: Stream.Next, Evaluator.Eval, Formatter.Extract, AppendText or
// AppendJSON); it also reports loop-ns/event (first next_batch to EOF).
// impl=libsinsp is libsinsp 0.25.4's sinsp-example with the same plugin,
// filter and format (-j for JSON), run only when $SINSP_EXAMPLE names it.
// ns/event is the wall time of the whole process (exec to exit) over b.N.
func BenchmarkSinspExample(b *testing.B) {
	plugin := fixtures.Official(b, "dummy", "v0.11.5")
	for _, out := range []string{"text", "json"} {
		b.Run("out="+out+"/impl=host", func(b *testing.B) {
			events := max(b.N, 10)
			a := pipelineArgs{Plugin: plugin, Config: `{"jitter":0}`, Params: dummyParams(b, events),
				Filter: sinspFilter, Format: sinspFormat, JSON: out == "json"}
			arg, err := json.Marshal(a)
			if err != nil {
				b.Fatal(err)
			}
			exe, err := os.Executable()
			if err != nil {
				b.Fatal(err)
			}
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), pipelineEnv+"="+string(arg))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			wall := runToDevNull(b, cmd)
			m := pipelineResult.FindStringSubmatch(stderr.String())
			if m == nil {
				b.Fatalf("%s: no result line in stderr:\n%s", cmd, stderr.String())
			}
			n, _ := strconv.Atoi(m[1])
			matched, _ := strconv.Atoi(m[2])
			loop, _ := strconv.ParseFloat(m[3], 64)
			if n != events || matched != events-4 {
				b.Fatalf("%d events, %d matches; want %d and %d", n, matched, events, events-4)
			}
			b.ReportMetric(float64(wall.Nanoseconds())/float64(events), "ns/event")
			b.ReportMetric(loop/float64(events), "loop-ns/event")
			b.ReportMetric(0, "ns/op")
		})
		b.Run("out="+out+"/impl=libsinsp", func(b *testing.B) {
			exe := os.Getenv("SINSP_EXAMPLE")
			if exe == "" {
				b.Skip("set $SINSP_EXAMPLE to libsinsp's sinsp-example")
			}
			events := max(b.N, 10)
			args := []string{"-p", plugin + `|{"jitter":0}|` + dummyParams(b, events), "-f", sinspFilter, "-o", sinspFormat}
			if out == "json" {
				args = append(args, "-j")
			}
			cmd := exec.Command(exe, args...)
			cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			wall := runToDevNull(b, cmd)
			if stderr.Len() > 0 {
				b.Fatalf("%s: stderr:\n%s", cmd, stderr.String())
			}
			b.ReportMetric(float64(wall.Nanoseconds())/float64(events), "ns/event")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// runToDevNull runs cmd with stdout on /dev/null and returns its wall time
// from start to exit.
func runToDevNull(b *testing.B, cmd *exec.Cmd) time.Duration {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer null.Close()
	cmd.Stdout = null
	b.ResetTimer()
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	b.StopTimer()
	if err != nil {
		b.Fatalf("%s: %v", cmd, err)
	}
	return wall
}

// TestWholePipeline checks the pipeline of BenchmarkSinspExample in this
// process on a few dummy events: the lines sinsp-example prints.
func TestWholePipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an official plugin")
	}
	plugin := fixtures.Official(t, "dummy", "v0.11.5")
	for _, tc := range []struct {
		json bool
		want string
	}{
		{false, "5 6 6\n6 7 7\n7 8 8\n"},
		{true, `{"dummy.strvalue":"6","dummy.value":6,"evt.num":5}` + "\n" +
			`{"dummy.strvalue":"7","dummy.value":7,"evt.num":6}` + "\n" +
			`{"dummy.strvalue":"8","dummy.value":8,"evt.num":7}` + "\n"},
	} {
		var stdout, stderr bytes.Buffer
		a := pipelineArgs{Plugin: plugin, Config: `{"jitter":0}`, Params: dummyParams(t, 7),
			Filter: sinspFilter, Format: sinspFormat, JSON: tc.json}
		if err := runWholePipeline(a, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		if stdout.String() != tc.want || !pipelineResult.MatchString(stderr.String()) {
			t.Errorf("json=%v: stdout %q, want %q; stderr %q", tc.json, stdout.String(), tc.want, stderr.String())
		}
	}
}
