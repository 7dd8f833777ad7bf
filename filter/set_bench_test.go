package filter_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// k8sRule is rule k of a rules file whose rules all read the same ka.*
// fields with other constants, like Falco's k8s_audit rules.
func k8sRule(k int) string {
	verbs := []string{"create", "update", "patch", "delete"}
	resources := []string{"pods", "deployments", "daemonsets", "configmaps", "secrets"}
	return fmt.Sprintf("ka.verb = %s and ka.target.resource = %s and ka.req.pod.containers.privileged intersects (true) and ka.user.name != user-%d",
		verbs[k%len(verbs)], resources[(k/len(verbs))%len(resources)], k)
}

// k8sAudit loads the official k8saudit plugin and writes an audit log of
// at least events events made of copies of testdata/events/k8saudit's
// lines that hold one JSON object each (its open params: the path).
func k8sAudit(tb testing.TB, events int) (filter.Env, *loader.State, string) {
	tb.Helper()
	p, err := loader.Load(fixtures.Official(tb, "k8saudit", "v0.18.0"), loader.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	reg := registry.New()
	if err := reg.Add(p); err != nil {
		tb.Fatal(err)
	}
	s, err := p.Init("{}")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Destroy)
	data, err := os.ReadFile(filepath.Join(fixtures.Root(), "testdata", "events", "k8saudit", "audit.log"))
	if err != nil {
		tb.Fatal(err)
	}
	var lines [][]byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		if bytes.HasPrefix(l, []byte(`{"kind":"Event"`)) && bytes.Contains(l, []byte(`"stageTimestamp"`)) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		tb.Fatal("audit.log: no single-event line")
	}
	path := filepath.Join(tb.TempDir(), "audit.log")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for n := 0; n < events; n += len(lines) {
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
	return filter.Env{Registry: reg, Source: p.EventSource}, s, path
}

// decideRules decides every rule on b, with a SetEvaluator or with one
// Evaluator per rule, and puts the matches of rule k in out[k].
type decideRules func(b *capability.Batch, out [][]int32) error

func setDecider(ev *filter.SetEvaluator) decideRules {
	return func(b *capability.Batch, out [][]int32) error {
		for k := range out {
			idx, err := ev.Eval(b, k, nil)
			if err != nil {
				return err
			}
			out[k] = idx
		}
		return nil
	}
}

func separateDecider(evs []*filter.Evaluator) decideRules {
	return func(b *capability.Batch, out [][]int32) error {
		for k, ev := range evs {
			idx, err := ev.Eval(b)
			if err != nil {
				return err
			}
			out[k] = idx
		}
		return nil
	}
}

// TestSetK8sAuditMatchesEvaluators streams an audit log through the
// official k8saudit plugin: over batches the stream lends in the same
// Batch, the set decides each rule as its own Evaluator does.
func TestSetK8sAuditMatchesEvaluators(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the official k8saudit plugin")
	}
	env, s, path := k8sAudit(t, 3000)
	rules := []string{"ka.verb = create", "ka.target.resource = pods and ka.verb in (create, delete)",
		"ka.req.pod.containers.privileged intersects (true)", "not ka.user.name startswith system:"}
	for k := 0; k < 12; k++ {
		rules = append(rules, k8sRule(k))
	}
	fs := compileAll(t, env, rules)
	states := func(*loader.Plugin) (*loader.State, error) { return s, nil }
	for _, opts := range []filter.EvalOptions{{}, {OneCallPerEvent: true}} {
		ev := newSetEvaluator(t, fs, states, opts)
		src, err := capability.NewSource(s)
		if err != nil {
			t.Fatal(err)
		}
		st, err := src.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		batches, matched := 0, 0
		got := make([][]int32, len(fs))
		for {
			err := st.Next(context.Background(), func(b *capability.Batch) error {
				batches++
				want, errs := evalEach(t, fs, states, opts, b)
				if err := setDecider(ev)(b, got); err != nil {
					return err
				}
				for k := range fs {
					if errs[k] != nil {
						return errs[k]
					}
					if !slices.Equal(want[k], got[k]) {
						t.Fatalf("%+v batch %d rule %q: set %v, alone %v", opts, batches, rules[k], got[k], want[k])
					}
					matched += len(got[k])
				}
				return nil
			})
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
		if batches < 2 || matched == 0 {
			t.Fatalf("%d batches, %d matches: the test decides nothing", batches, matched)
		}
	}
}

// BenchmarkSetK8sAudit decides 1, 10 and 100 rules over the same ka.*
// fields on k8saudit events, with a Set and with one Evaluator per rule;
// b.N counts events (the time to reopen the log at its end excluded).
// rules=0 is the source alone: what the plugin costs before any rule.
func BenchmarkSetK8sAudit(b *testing.B) {
	env, s, path := k8sAudit(b, 20000)
	states := func(*loader.Plugin) (*loader.State, error) { return s, nil }
	b.Run("rules=0/source", func(b *testing.B) {
		benchRules(b, s, path, func(*capability.Batch, [][]int32) error { return nil }, 0)
	})
	for _, rules := range []int{1, 10, 100} {
		texts := make([]string, rules)
		for k := range texts {
			texts[k] = k8sRule(k)
		}
		fs := make([]*filter.Filter, rules)
		for k, text := range texts {
			f, err := filter.Compile(text, env)
			if err != nil {
				b.Fatal(err)
			}
			fs[k] = f
		}
		for _, opts := range []filter.EvalOptions{{}, {OneCallPerEvent: true}} {
			mode := "lazy"
			if opts.OneCallPerEvent {
				mode = "onecall"
			}
			for _, how := range []string{"set", "separate"} {
				b.Run(fmt.Sprintf("rules=%d/%s/%s", rules, mode, how), func(b *testing.B) {
					var decide decideRules
					if how == "set" {
						set, err := filter.NewSet(fs)
						if err != nil {
							b.Fatal(err)
						}
						ev, err := set.NewEvaluator(states, opts)
						if err != nil {
							b.Fatal(err)
						}
						defer ev.Close()
						decide = setDecider(ev)
					} else {
						evs := make([]*filter.Evaluator, rules)
						for k, f := range fs {
							ev, err := f.NewEvaluatorOptions(states, opts)
							if err != nil {
								b.Fatal(err)
							}
							defer ev.Close()
							evs[k] = ev
						}
						decide = separateDecider(evs)
					}
					benchRules(b, s, path, decide, rules)
				})
			}
		}
	}
}

// benchRules streams the log at path through decide, reopening it at its
// end, and reports ns/event, eval-ns/event (the time in decide alone,
// without the source's, which varies by ±40% on k8saudit) and allocs/event
// (host heap allocations, the reopening excluded).
func benchRules(b *testing.B, s *loader.State, path string, decide decideRules, rules int) {
	src, err := capability.NewSource(s)
	if err != nil {
		b.Fatal(err)
	}
	out := make([][]int32, rules)
	matched := 0
	var st *capability.Stream
	defer func() {
		if st != nil {
			st.Close()
		}
	}()
	var m0, m1 runtime.MemStats
	var reopenMallocs uint64
	reopen := func() {
		b.StopTimer()
		runtime.ReadMemStats(&m0)
		if st != nil {
			st.Close()
		}
		if st, err = src.Open(path); err != nil {
			b.Fatal(err)
		}
		runtime.ReadMemStats(&m1)
		reopenMallocs += m1.Mallocs - m0.Mallocs
		b.StartTimer()
	}
	var start, end runtime.MemStats
	var inDecide time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	runtime.ReadMemStats(&start)
	reopen()
	for n := 0; n < b.N; {
		err := st.Next(context.Background(), func(batch *capability.Batch) error {
			n += batch.Len()
			t0 := time.Now()
			err := decide(batch, out)
			inDecide += time.Since(t0)
			if err != nil {
				return err
			}
			for _, m := range out {
				matched += len(m)
			}
			return nil
		})
		if errors.Is(err, io.EOF) {
			reopen()
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&end)
	if rules > 0 && matched == 0 {
		b.Fatal("no rule matched: the benchmark decides nothing")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
	b.ReportMetric(float64(inDecide.Nanoseconds())/float64(b.N), "eval-ns/event")
	b.ReportMetric(float64(end.Mallocs-start.Mallocs-reopenMallocs)/float64(b.N), "allocs/event")
}
