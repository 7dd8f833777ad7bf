package filter_test

import (
	"context"
	"fmt"
	"math/rand"
	"runtime"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// countEnv loads the extract_count fixture, whose fields count their own
// extractions and its extract calls, and returns a compile env, an
// initialized state and the States that give it.
func countEnv(t *testing.T) (filter.Env, *loader.State, filter.States) {
	t.Helper()
	p, err := loader.Load(fixtures.C(t, "extract_count"), loader.Options{})
	require.NoError(t, err)
	reg := registry.New()
	require.NoError(t, reg.Add(p))
	s, err := p.Init("")
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	return filter.Env{Registry: reg, Source: p.EventSource}, s, func(*loader.Plugin) (*loader.State, error) { return s, nil }
}

var counters = []string{"calls", "cnt.num", "cnt.mod", "cnt.even", "cnt.str", "cnt.key", "cnt.failat"}

// counts reads the fixture's counters: extractions of each field so far,
// and in "calls" the extract_fields calls before this reading.
func counts(t *testing.T, s *loader.State) map[string]uint64 {
	t.Helper()
	names := counters
	reqs := make([]string, len(names))
	for k, n := range names {
		reqs[k] = "cnt.count[" + n + "]"
	}
	x, err := capability.NewExtractor(s, "fixture_src", reqs, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	got := map[string]uint64{}
	nextBatch(t, s, "1", func(b *capability.Batch) error {
		res, err := x.ExtractBatch(b)
		if err == nil {
			for k, n := range names {
				got[n], _ = res.Uint64(0, k)
			}
		}
		return err
	})
	return got
}

// countsDuring is how many extractions (per field) and extract calls fn
// made.
func countsDuring(t *testing.T, s *loader.State, fn func()) map[string]uint64 {
	t.Helper()
	before := counts(t, s)
	fn()
	after := counts(t, s)
	d := map[string]uint64{}
	for k, v := range after {
		if v -= before[k]; v != 0 {
			d[k] = v
		}
	}
	d["calls"] -= uint64(len(counters)) // the reading of before: one call per counter (one field, several arguments)
	if d["calls"] == 0 {
		delete(d, "calls")
	}
	return d
}

func compileAll(t *testing.T, env filter.Env, texts []string) []*filter.Filter {
	t.Helper()
	fs := make([]*filter.Filter, len(texts))
	for k, text := range texts {
		f, err := filter.Compile(text, env)
		require.NoError(t, err, text)
		fs[k] = f
	}
	return fs
}

func newSetEvaluator(t *testing.T, fs []*filter.Filter, states filter.States, opts filter.EvalOptions) *filter.SetEvaluator {
	t.Helper()
	set, err := filter.NewSet(fs)
	require.NoError(t, err)
	ev, err := set.NewEvaluator(states, opts)
	require.NoError(t, err)
	t.Cleanup(ev.Close)
	return ev
}

func TestNewSet(t *testing.T) {
	env, _, _ := countEnv(t)
	fs := compileAll(t, env, []string{"cnt.num > 1 and cnt.key[a] = x", "evt.num = 3 or cnt.key[b] exists", "cnt.key[a] = y and cnt.num < 9"})
	set, err := filter.NewSet(fs)
	require.NoError(t, err)
	require.Equal(t, 3, set.Len())
	require.Equal(t, "fixture_src", set.Source())
	require.Same(t, fs[1], set.Filter(1))
	require.Equal(t, []string{"cnt.num", "cnt.key[a]", "evt.num", "cnt.key[b]"}, set.Fields())

	empty, err := filter.NewSet(nil)
	require.NoError(t, err)
	require.Zero(t, empty.Len())
	require.Empty(t, empty.Fields())

	for _, c := range []struct {
		filters []*filter.Filter
		want    filter.SetError
	}{
		{[]*filter.Filter{fs[0], nil}, filter.SetError{Index: 1, Msg: "filter: set filter 1 is nil"}},
		{[]*filter.Filter{nil}, filter.SetError{Index: 0, Msg: "filter: set filter 0 is nil"}},
	} {
		_, err := filter.NewSet(c.filters)
		var se *filter.SetError
		require.ErrorAs(t, err, &se)
		require.Equal(t, c.want, *se)
	}

	// Another plugin's fields on the same source: one set.
	lazy, _ := lazyEnv(t)
	other, err := filter.Compile("lazy.num = 1", lazy)
	require.NoError(t, err)
	mixed, err := filter.NewSet([]*filter.Filter{fs[0], other})
	require.NoError(t, err)
	require.Equal(t, []string{"cnt.num", "cnt.key[a]", "lazy.num"}, mixed.Fields())
}

func TestNewSetRejectsAnotherSource(t *testing.T) {
	env, _, _ := countEnv(t)
	f, err := filter.Compile("cnt.num = 1", env)
	require.NoError(t, err)
	cf := newConformEnv(t)
	g, err := filter.Compile("conform.num = 1", filter.Env{Registry: cf.reg, Source: "conform"})
	require.NoError(t, err)
	_, err = filter.NewSet([]*filter.Filter{f, f, g})
	var se *filter.SetError
	require.ErrorAs(t, err, &se)
	require.Equal(t, filter.SetError{Index: 2, Msg: "filter: set filter 2 is for source 'conform', filter 0 for 'fixture_src'"}, *se)
}

// evalEach decides every filter alone, with its own Evaluator, on b.
func evalEach(t *testing.T, fs []*filter.Filter, states filter.States, opts filter.EvalOptions, b *capability.Batch) ([][]int32, []error) {
	t.Helper()
	out := make([][]int32, len(fs))
	errs := make([]error, len(fs))
	for k, f := range fs {
		ev, err := f.NewEvaluatorOptions(states, opts)
		require.NoError(t, err)
		idx, err := ev.Eval(b)
		out[k], errs[k] = slices.Clone(idx), err
		ev.Close()
	}
	return out, errs
}

// intersect is the elements of a also in sel (both ascending).
func intersect(a, sel []int32) []int32 {
	var out []int32
	for _, x := range a {
		if _, ok := slices.BinarySearch(sel, x); ok {
			out = append(out, x)
		}
	}
	return out
}

var setAtoms = []string{
	"cnt.num > 7", "cnt.num < 4", "cnt.num in (1, 5, 9, 30)", "cnt.mod = 0", "cnt.mod != 2",
	"cnt.even = true", "cnt.even = false", "cnt.str startswith s-1", "cnt.str = s-12", "cnt.str exists",
	"cnt.key[a] = a-3", "cnt.key[a] endswith 0", "cnt.key[b] contains -2", "cnt.key[a] = val(cnt.str)",
	"evt.num > 20", "evt.num <= 5", "toupper(cnt.str) = S-7", "cnt.num = 11",
}

// randomFilter builds a filter of up to depth levels of and/or/not over
// setAtoms.
func randomFilter(r *rand.Rand, depth int) string {
	if depth == 0 || r.Intn(3) == 0 {
		return setAtoms[r.Intn(len(setAtoms))]
	}
	switch r.Intn(3) {
	case 0:
		return "not (" + randomFilter(r, depth-1) + ")"
	case 1:
		return "(" + randomFilter(r, depth-1) + " and " + randomFilter(r, depth-1) + ")"
	}
	return "(" + randomFilter(r, depth-1) + " or " + randomFilter(r, depth-1) + ")"
}

// TestSetMatchesEvaluators decides random sets of random filters, on every
// event and on random selections, in random filter order, and compares
// with each filter's own Evaluator; the set never extracts more than the
// union of its fields once per event.
func TestSetMatchesEvaluators(t *testing.T) {
	env, s, states := countEnv(t)
	const events = 40
	r := rand.New(rand.NewSource(1))
	for round := 0; round < 60; round++ {
		texts := make([]string, 1+r.Intn(12))
		for k := range texts {
			texts[k] = randomFilter(r, 3)
		}
		fs := compileAll(t, env, texts)
		for _, opts := range []filter.EvalOptions{{}, {OneCallPerEvent: true}} {
			name := fmt.Sprintf("round %d %+v: %q", round, opts, texts)
			ev := newSetEvaluator(t, fs, states, opts)
			nextBatch(t, s, fmt.Sprint(events), func(b *capability.Batch) error {
				want, errs := evalEach(t, fs, states, opts, b)
				for _, err := range errs {
					require.NoError(t, err)
				}
				order := r.Perm(len(fs))
				sels := make([][]int32, len(fs))
				for _, k := range order {
					if r.Intn(2) == 0 {
						for i := int32(0); i < events; i++ {
							if r.Intn(3) == 0 {
								sels[k] = append(sels[k], i)
							}
						}
						if sels[k] == nil {
							sels[k] = []int32{}
						}
					}
				}
				used := countsDuring(t, s, func() {
					for _, k := range order {
						got, err := ev.Eval(b, k, sels[k])
						require.NoError(t, err, name)
						w := want[k]
						if sels[k] != nil {
							w = intersect(w, sels[k])
						}
						if len(w) == 0 {
							require.Empty(t, got, "%s: filter %d", name, k)
						} else {
							require.Equal(t, w, got, "%s: filter %d", name, k)
						}
					}
				})
				// At most once per event and field: cnt.key[a] and
				// cnt.key[b] are two requests of cnt.key.
				for field, n := range used {
					limit := uint64(events)
					if field == "cnt.key" {
						limit *= 2
					}
					if field == "calls" {
						// one call per event and group: at most one group
						// per distinct request
						limit *= uint64(len(used))
					}
					require.LessOrEqual(t, n, limit, "%s: %s", name, field)
				}
				return nil
			})
		}
	}
}

// TestSetExtractsSharedFieldsOnce: rules reading the same fields cost the
// extractions of one rule, not of every rule.
func TestSetExtractsSharedFieldsOnce(t *testing.T) {
	var rules []string
	for k := 0; k < 10; k++ {
		rules = append(rules, fmt.Sprintf("cnt.even = true and cnt.num > %d and cnt.key[a] != a-%d", k, k))
	}
	rules = append(rules, "cnt.key[b] = b-3 or cnt.key[a] = a-5")
	cases := []struct {
		name  string
		opts  filter.EvalOptions
		set   map[string]uint64 // extractions and calls over 20 events, all rules
		alone map[string]uint64 // the same, summed over the rules alone
	}{
		// cnt.even on every event, cnt.num on the even ones, cnt.key[a]
		// where cnt.num > 0 held for some rule (even events but 0), then
		// the last rule: cnt.key[b] on every event, cnt.key[a] on those
		// cnt.key[b] failed on and not already extracted (0 and the odd
		// ones but 3).
		{"lazy", filter.EvalOptions{},
			map[string]uint64{"cnt.even": 20, "cnt.num": 10, "cnt.key": 9 + 20 + 10, "calls": 20 + 10 + 9 + 20 + 10},
			// Alone, rule k < 10 extracts cnt.key[a] on the even events over
			// k: 70 in all.
			map[string]uint64{"cnt.even": 200, "cnt.num": 100, "cnt.key": 70 + 20 + 19, "calls": 200 + 100 + 70 + 20 + 19}},
		// One call per event with every field of the set; two, in fact,
		// since cnt.key is asked with two arguments.
		{"one call per event", filter.EvalOptions{OneCallPerEvent: true},
			map[string]uint64{"cnt.even": 20, "cnt.num": 20, "cnt.key": 40, "calls": 40},
			map[string]uint64{"cnt.even": 200, "cnt.num": 200, "cnt.key": 200 + 40, "calls": 240}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, s, states := countEnv(t)
			fs := compileAll(t, env, rules)
			ev := newSetEvaluator(t, fs, states, c.opts)
			var got [][]int32
			nextBatch(t, s, "20", func(b *capability.Batch) error {
				require.Equal(t, c.set, countsDuring(t, s, func() {
					for k := range fs {
						idx, err := ev.Eval(b, k, nil)
						require.NoError(t, err)
						got = append(got, slices.Clone(idx))
					}
				}))
				// The same batch again: nothing left to extract.
				require.Empty(t, countsDuring(t, s, func() {
					for k := range fs {
						idx, err := ev.Eval(b, k, nil)
						require.NoError(t, err)
						require.Equal(t, got[k], idx)
					}
				}))
				var want [][]int32
				require.Equal(t, c.alone, countsDuring(t, s, func() { want, _ = evalEach(t, fs, states, c.opts, b) }))
				require.Equal(t, want, got)
				return nil
			})
			// Rule k matches the even events over k whose key is not a-k.
			require.Equal(t, []int32{2, 4, 6, 8, 10, 12, 14, 16, 18}, got[0])
			require.Equal(t, []int32{10, 12, 14, 16, 18}, got[9])
			require.Equal(t, []int32{3, 5}, got[10])
		})
	}
}

// TestSetEvalSelection: a rule decided on the matches of another extracts
// only for those, and only what the other did not extract.
func TestSetEvalSelection(t *testing.T) {
	env, s, states := countEnv(t)
	fs := compileAll(t, env, []string{"cnt.mod = 0", "cnt.num > 4 and cnt.mod = 0 and cnt.str endswith 2", "evt.num < 4"})
	ev := newSetEvaluator(t, fs, states, filter.EvalOptions{})
	nextBatch(t, s, "20", func(b *capability.Batch) error {
		var first, second []int32
		require.Equal(t, map[string]uint64{"cnt.mod": 20, "calls": 20}, countsDuring(t, s, func() {
			var err error
			first, err = ev.Eval(b, 0, nil)
			require.NoError(t, err)
		}))
		require.Equal(t, []int32{0, 3, 6, 9, 12, 15, 18}, first)
		// cnt.num on the 7 events of first; cnt.mod is known; cnt.str on
		// the 5 over 4.
		require.Equal(t, map[string]uint64{"cnt.num": 7, "cnt.str": 5, "calls": 12}, countsDuring(t, s, func() {
			var err error
			second, err = ev.Eval(b, 1, first)
			require.NoError(t, err)
		}))
		require.Equal(t, []int32{12}, second)
		// The results of filter 0 are still valid: Evals of other filters
		// leave them alone; and filter 0 on its own result is allowed.
		require.Equal(t, []int32{0, 3, 6, 9, 12, 15, 18}, first)
		again, err := ev.Eval(b, 0, first)
		require.NoError(t, err)
		require.Equal(t, []int32{0, 3, 6, 9, 12, 15, 18}, again)
		for _, c := range []struct {
			sel, want []int32
		}{
			{[]int32{}, nil},
			{[]int32{0, 2, 3, 19}, []int32{0, 2}},
			{[]int32{5}, nil},
		} {
			got, err := ev.Eval(b, 2, c.sel)
			require.NoError(t, err)
			if len(c.want) == 0 {
				require.Empty(t, got)
			} else {
				require.Equal(t, c.want, got)
			}
		}
		require.PanicsWithValue(t, "filter: SetEvaluator.Eval: sel is not ascending batch indices of b", func() { ev.Eval(b, 2, []int32{3, 3}) })
		require.PanicsWithValue(t, "filter: SetEvaluator.Eval: sel is not ascending batch indices of b", func() { ev.Eval(b, 2, []int32{20}) })
		require.PanicsWithValue(t, "filter: SetEvaluator.Eval: filter 3 of a set of 3", func() { ev.Eval(b, 3, nil) })
		return nil
	})
}

// TestSetEvalErrors: an extraction failure cuts the batch for the whole
// set; the next batch starts afresh.
func TestSetEvalErrors(t *testing.T) {
	env, s, states := countEnv(t)
	fs := compileAll(t, env, []string{"cnt.failat[7] >= 0", "cnt.num >= 0", "cnt.failat[3] >= 0 or cnt.num = 5", "evt.num > 0"})
	msg := func(i int) string {
		return fmt.Sprintf("plugin 'extract_count': plugin_extract_fields: event %d of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract evt-%d", i, i)
	}
	upTo := func(n int32) []int32 {
		var out []int32
		for i := int32(0); i < n; i++ {
			out = append(out, i)
		}
		return out
	}
	for _, c := range []struct {
		opts filter.EvalOptions
		cut  int32 // where filter 0 cuts the batch
	}{
		{filter.EvalOptions{}, 7},
		// One call per event brings cnt.failat[3], of filter 2, along.
		{filter.EvalOptions{OneCallPerEvent: true}, 3},
	} {
		ev := newSetEvaluator(t, fs, states, c.opts)
		nextBatch(t, s, "10", func(b *capability.Batch) error {
			got, err := ev.Eval(b, 0, nil)
			require.EqualError(t, err, msg(int(c.cut)))
			require.Equal(t, upTo(c.cut), got)
			if c.cut == 7 {
				alone, errs := evalEach(t, fs[:1], states, c.opts, b)
				require.Equal(t, alone[0], got)
				require.EqualError(t, errs[0], msg(7))
			}

			got, err = ev.Eval(b, 1, nil)
			require.EqualError(t, err, msg(int(c.cut)))
			require.Equal(t, upTo(c.cut), got)
			got, err = ev.Eval(b, 1, []int32{1, 2})
			require.NoError(t, err)
			require.Equal(t, []int32{1, 2}, got)
			got, err = ev.Eval(b, 3, []int32{2, 7, 9})
			require.EqualError(t, err, msg(int(c.cut)))
			require.Equal(t, []int32{2}, got)

			// A failure earlier in the batch moves the cut there.
			got, err = ev.Eval(b, 2, nil)
			require.EqualError(t, err, msg(3))
			require.Equal(t, upTo(3), got)
			got, err = ev.Eval(b, 1, []int32{1, 4})
			require.EqualError(t, err, msg(3))
			require.Equal(t, []int32{1}, got)
			return nil
		})
		// Events 0 to 2 only: no failure.
		nextBatch(t, s, "3", func(b *capability.Batch) error {
			got, err := ev.Eval(b, 1, nil)
			require.NoError(t, err)
			require.Equal(t, upTo(3), got)
			got, err = ev.Eval(b, 0, nil)
			require.NoError(t, err)
			require.Equal(t, upTo(3), got)
			return nil
		})
	}
}

// TestSetEvalAllocatesNothingPerBatch decides every rule of a set on new
// batches: once the buffers have grown, no allocation at all.
func TestSetEvalAllocatesNothingPerBatch(t *testing.T) {
	env, s, states := countEnv(t)
	var rules []string
	for k := 0; k < 20; k++ {
		rules = append(rules, fmt.Sprintf("(cnt.even = true and cnt.num > %d) or cnt.str in (s-%d, s-3) or evt.num = %d or toupper(cnt.key[a]) startswith A-%d",
			k*50, k, k+7, k))
	}
	fs := compileAll(t, env, rules)
	for _, opts := range []filter.EvalOptions{{}, {OneCallPerEvent: true}} {
		ev := newSetEvaluator(t, fs, states, opts)
		src, err := capability.NewSource(s)
		require.NoError(t, err)
		// The first rounds grow the buffers (selection arenas double).
		for round := 0; round < 8; round++ {
			st, err := src.Open("1000")
			require.NoError(t, err)
			require.NoError(t, st.Next(context.Background(), func(b *capability.Batch) error {
				var before, after runtime.MemStats
				matched := 0
				runtime.ReadMemStats(&before)
				for k := range fs {
					idx, err := ev.Eval(b, k, nil)
					if err != nil {
						return err
					}
					matched += len(idx)
				}
				runtime.ReadMemStats(&after)
				require.Positive(t, matched)
				if round >= 4 && !raceEnabled {
					require.Zero(t, after.Mallocs-before.Mallocs, "%+v round %d", opts, round)
				}
				return nil
			}))
			st.Close()
		}
	}
}

func TestSetEvaluatorBindsEveryPlugin(t *testing.T) {
	env, _, _ := countEnv(t)
	fs := compileAll(t, env, []string{"cnt.num = 1", "evt.num = 1"})
	set, err := filter.NewSet(fs)
	require.NoError(t, err)
	_, err = set.NewEvaluator(nil, filter.EvalOptions{})
	require.EqualError(t, err, "filter: no plugin states given for plugin fields")
	_, err = set.NewEvaluator(func(p *loader.Plugin) (*loader.State, error) {
		return nil, fmt.Errorf("no state for %s", p.Name)
	}, filter.EvalOptions{})
	require.EqualError(t, err, "no state for extract_count")
	// Generic fields only: no states needed.
	only, err := filter.NewSet(fs[1:])
	require.NoError(t, err)
	ev, err := only.NewEvaluator(nil, filter.EvalOptions{})
	require.NoError(t, err)
	ev.Close()
	ev.Close()
}

// TestSetTwoPlugins: fields of two plugins on one source; with one call per
// event, each plugin gets one call per event for all its fields.
func TestSetTwoPlugins(t *testing.T) {
	pc, err := loader.Load(fixtures.C(t, "extract_count"), loader.Options{})
	require.NoError(t, err)
	pl, err := loader.Load(fixtures.C(t, "filter_lazy"), loader.Options{})
	require.NoError(t, err)
	reg := registry.New()
	require.NoError(t, reg.Add(pc))
	require.NoError(t, reg.Add(pl))
	sc, err := pc.Init("")
	require.NoError(t, err)
	t.Cleanup(sc.Destroy)
	sl, err := pl.Init("")
	require.NoError(t, err)
	t.Cleanup(sl.Destroy)
	states := func(p *loader.Plugin) (*loader.State, error) {
		if p == pl {
			return sl, nil
		}
		return sc, nil
	}
	env := filter.Env{Registry: reg, Source: "fixture_src"}
	fs := compileAll(t, env, []string{"cnt.num > 5 and lazy.even = true", "lazy.num < 3 or cnt.str = s-9", "evt.num > 100 and lazy.str exists"})
	ev := newSetEvaluator(t, fs, states, filter.EvalOptions{OneCallPerEvent: true})
	lazyCounts := func() map[string]uint64 {
		m := map[string]uint64{}
		for _, f := range []string{"lazy.num", "lazy.even", "lazy.str"} {
			m[f] = calls(t, sl, f)
		}
		return m
	}
	nextBatch(t, sc, "12", func(b *capability.Batch) error {
		want, _ := evalEach(t, fs, states, filter.EvalOptions{OneCallPerEvent: true}, b)
		before := lazyCounts()
		// Rule 0 brings cnt.str along with cnt.num for every event, and the
		// three lazy fields for the events over 5; rule 1 the lazy fields
		// for the others.
		require.Equal(t, map[string]uint64{"calls": 12, "cnt.num": 12, "cnt.str": 12}, countsDuring(t, sc, func() {
			for k := range fs {
				got, err := ev.Eval(b, k, nil)
				require.NoError(t, err)
				require.Equal(t, want[k], got, "rule %d", k)
			}
		}))
		after := lazyCounts()
		for f, n := range after {
			require.Equal(t, uint64(12), n-before[f], f)
		}
		require.Equal(t, []int32{6, 8, 10}, want[0])
		require.Equal(t, []int32{0, 1, 2, 9}, want[1])
		require.Empty(t, want[2])
		return nil
	})
}
