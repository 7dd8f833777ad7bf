package filter_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// lazyEnv loads the filter_lazy fixture, whose fields count their own
// extractions, and returns a compile env and an initialized state.
func lazyEnv(t *testing.T) (filter.Env, *loader.State) {
	t.Helper()
	p, err := loader.Load(fixtures.C(t, "filter_lazy"), loader.Options{})
	require.NoError(t, err)
	reg := registry.New()
	require.NoError(t, reg.Add(p))
	s, err := p.Init("")
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	return filter.Env{Registry: reg, Source: p.EventSource}, s
}

// evalAll streams n events through f and returns the numbers (evt.num) of
// the matching events.
func evalAll(t *testing.T, f *filter.Filter, s *loader.State, n string) []uint64 {
	t.Helper()
	ev, err := f.NewEvaluator(func(*loader.Plugin) (*loader.State, error) { return s, nil })
	require.NoError(t, err)
	defer ev.Close()
	src, err := capability.NewSource(s)
	require.NoError(t, err)
	st, err := src.Open(n)
	require.NoError(t, err)
	defer st.Close()
	var got []uint64
	for {
		err := st.Next(context.Background(), func(b *capability.Batch) error {
			idx, err := ev.Eval(b)
			for _, i := range idx {
				got = append(got, b.Num(int(i)))
			}
			return err
		})
		if errors.Is(err, io.EOF) {
			return got
		}
		require.NoError(t, err)
	}
}

// nextBatch opens s's source with params and lends its first batch to fn.
func nextBatch(t *testing.T, s *loader.State, params string, fn func(*capability.Batch) error) {
	t.Helper()
	src, err := capability.NewSource(s)
	require.NoError(t, err)
	st, err := src.Open(params)
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Next(context.Background(), fn))
}

// calls reads how many times the fixture extracted field so far.
func calls(t *testing.T, s *loader.State, field string) uint64 {
	t.Helper()
	x, err := capability.NewExtractor(s, "fixture_src", []string{"lazy.calls[" + field + "]"}, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	var n uint64
	nextBatch(t, s, "1", func(b *capability.Batch) error {
		res, err := x.ExtractBatch(b)
		if err == nil {
			n, _ = res.Uint64(0, 0)
		}
		return err
	})
	return n
}

func TestEvalExtractsLazily(t *testing.T) {
	cases := []struct {
		filter string
		match  []uint64          // evt.num of matching events (event i is evt.num i+1)
		calls  map[string]uint64 // extractions per field over 10 events
	}{
		{"lazy.even = true and lazy.num > 3", []uint64{5, 7, 9},
			map[string]uint64{"lazy.even": 10, "lazy.num": 5, "lazy.str": 0}},
		{"lazy.num < 2 or lazy.str = s-5", []uint64{1, 2, 6},
			map[string]uint64{"lazy.num": 10, "lazy.str": 8, "lazy.even": 0}},
		// lazy.num is needed by both branches: still once per event.
		{"(lazy.even = true and lazy.num = 2) or (lazy.even = false and lazy.num = 3)", []uint64{3, 4},
			map[string]uint64{"lazy.even": 10, "lazy.num": 10}},
		{"not lazy.even = true and lazy.str startswith s-", []uint64{2, 4, 6, 8, 10},
			map[string]uint64{"lazy.even": 10, "lazy.str": 5}},
		{"lazy.num in (1, 2) and lazy.num != 1", []uint64{3},
			map[string]uint64{"lazy.num": 10}},
		{"evt.num > 8 and lazy.num exists", []uint64{9, 10},
			map[string]uint64{"lazy.num": 2}},
	}
	for _, c := range cases {
		t.Run(c.filter, func(t *testing.T) {
			env, s := lazyEnv(t)
			f, err := filter.Compile(c.filter, env)
			require.NoError(t, err)
			require.Equal(t, c.match, evalAll(t, f, s, "10"))
			for field, want := range c.calls {
				require.Equal(t, want, calls(t, s, field), "extractions of %s", field)
			}
		})
	}
}

func TestEvalAllocatesNothingPerBatch(t *testing.T) {
	env, s := lazyEnv(t)
	f, err := filter.Compile(`(lazy.even = true and lazy.num > 3) or lazy.str in (s-1, s-3) or evt.num = 7`, env)
	require.NoError(t, err)
	ev, err := f.NewEvaluator(func(*loader.Plugin) (*loader.State, error) { return s, nil })
	require.NoError(t, err)
	defer ev.Close()
	src, err := capability.NewSource(s)
	require.NoError(t, err)
	for round := 0; round < 3; round++ {
		st, err := src.Open("1000")
		require.NoError(t, err)
		require.NoError(t, st.Next(context.Background(), func(b *capability.Batch) error {
			var matched int
			allocs := testing.AllocsPerRun(20, func() {
				idx, err := ev.Eval(b)
				require.NoError(t, err)
				matched = len(idx)
			})
			require.Equal(t, 500, matched)
			if round > 0 && !raceEnabled {
				require.Zero(t, allocs)
			}
			return nil
		}))
		st.Close()
	}
}

func TestEvalExpandsListsFromEnv(t *testing.T) {
	env, s := lazyEnv(t)
	env.Lists = map[string][]string{"small": {"1", "2"}, "none": {}}
	for text, want := range map[string][]uint64{
		"lazy.num in (small, 5)":          {2, 3, 6},
		"lazy.num in small":               {2, 3},
		"lazy.num in (none)":              nil,
		"lazy.str startswith anyof small": nil,
		"lazy.num = small":                nil, // not a list operator: the literal "small"
	} {
		f, err := filter.Compile(text, env)
		if text == "lazy.num = small" {
			require.EqualError(t, err, "small is not a valid number", text)
			continue
		}
		require.NoError(t, err, text)
		require.Equal(t, want, evalAll(t, f, s, "10"), text)
	}
}

func TestCompileWarnings(t *testing.T) {
	env, _ := lazyEnv(t)
	for text, want := range map[string][]string{
		"lazy.str = lazy.num":            {"'lazy.num' may be a valid field misused as a const string value"},
		"lazy.str in (evt.num, x)":       {"'evt.num' may be a valid field misused as a const string value"},
		"lazy.str = 'tolower(lazy.str)'": {"'tolower(lazy.str)' may be a valid field transformer misused as a const string value"},
		"lazy.str regex s-1":             {"regex check with 's-1' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'"},
		"lazy.str regex 's-[0-9]'":       nil,
		"lazy.str = val(lazy.str)":       nil,
	} {
		f, err := filter.Compile(text, env)
		require.NoError(t, err, text)
		var got []string
		for _, w := range f.Warnings() {
			got = append(got, w.Msg)
		}
		require.Equal(t, want, got, text)
	}
}

func TestCompileErrorsNameFieldOperatorAndPosition(t *testing.T) {
	env, _ := lazyEnv(t)
	cases := []struct {
		text string
		want filter.CompileError
	}{
		{"lazy.even = true and lazy.num contains 7", filter.CompileError{Pos: filter.Pos{Offset: 21, Line: 1, Col: 22},
			Field: "lazy.num", Op: "contains", Msg: "filter error: 'contains' operator not supported for numeric filters"}},
		{"lazy.num = 1 or\n  lazy.even = maybe", filter.CompileError{Pos: filter.Pos{Offset: 30, Line: 2, Col: 15},
			Field: "lazy.even", Op: "=", Msg: "filter error: unrecognized boolean value maybe"}},
		{"lazy.num = 1 and lazy.nope exists", filter.CompileError{Pos: filter.Pos{Offset: 17, Line: 1, Col: 18},
			Field: "lazy.nope", Msg: "filter_check called with nonexistent field lazy.nope"}},
	}
	for _, c := range cases {
		_, err := filter.Compile(c.text, env)
		var ce *filter.CompileError
		require.ErrorAs(t, err, &ce, c.text)
		require.Equal(t, c.want, *ce, c.text)
	}
}

func TestEvalOneCallPerEvent(t *testing.T) {
	env, s := lazyEnv(t)
	f, err := filter.Compile("lazy.even = true and (lazy.num > 3 or lazy.str = s-1)", env)
	require.NoError(t, err)
	ev, err := f.NewEvaluatorOptions(func(*loader.Plugin) (*loader.State, error) { return s, nil },
		filter.EvalOptions{OneCallPerEvent: true})
	require.NoError(t, err)
	defer ev.Close()
	var got []uint64
	nextBatch(t, s, "10", func(b *capability.Batch) error {
		idx, err := ev.Eval(b)
		for _, i := range idx {
			got = append(got, b.Num(int(i)))
		}
		return err
	})
	require.Equal(t, []uint64{5, 7, 9}, got)
	// Every field in the one call, for every event the first check saw.
	for _, field := range []string{"lazy.even", "lazy.num", "lazy.str"} {
		require.Equal(t, uint64(10), calls(t, s, field), field)
	}
}

func TestEvalNDecidesOnlyThePrefix(t *testing.T) {
	env, s := lazyEnv(t)
	f, err := filter.Compile("lazy.num >= 0", env)
	require.NoError(t, err)
	ev, err := f.NewEvaluator(func(*loader.Plugin) (*loader.State, error) { return s, nil })
	require.NoError(t, err)
	defer ev.Close()
	nextBatch(t, s, "10", func(b *capability.Batch) error {
		idx, err := ev.EvalN(b, 4)
		require.Equal(t, []int32{0, 1, 2, 3}, idx)
		return err
	})
	require.Equal(t, uint64(4), calls(t, s, "lazy.num"))
}
