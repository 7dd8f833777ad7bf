package filter_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/loader"
)

// formatAll renders format for the first n events of a fresh stream.
func formatAll(t *testing.T, fm *filter.Format, s *loader.State, n string, json bool) []string {
	t.Helper()
	fr, err := fm.NewFormatter(func(*loader.Plugin) (*loader.State, error) { return s, nil })
	require.NoError(t, err)
	defer fr.Close()
	var out []string
	nextBatch(t, s, n, func(b *capability.Batch) error {
		if err := fr.Extract(b, nil); err != nil {
			return err
		}
		for i := 0; i < b.Len(); i++ {
			var line []byte
			var ok bool
			if json {
				line, ok = fr.AppendJSON(nil, i)
			} else {
				line, ok = fr.AppendText(nil, i)
			}
			if !ok {
				line = append(line, "<false>"...)
			}
			out = append(out, string(line))
		}
		return nil
	})
	return out
}

func TestFormatText(t *testing.T) {
	env, s := lazyEnv(t)
	cases := []struct{ format, text, json string }{
		{"%lazy.num %lazy.str %lazy.even", "1 s-1 false", `{"lazy.even":false,"lazy.num":1,"lazy.str":"s-1"}`},
		{"[%4lazy.str][%1lazy.str]", "[s-1 ][s]", `{"lazy.str":"s-1"}`},
		{"%lazy.strx!", "s-1x!", `{"lazy.str":"s-1"}`},
		{"%toupper(lazy.str) %len(lazy.str)", "S-1 3", `{"lazy.str":"s-1"}`},
		{"%lazy.calls[nope] after", "", "null<false>"},
		{"*%lazy.calls[nope] after", "<NA> after", `{"lazy.calls[nope]":null}`},
		{"%evt.num %evt.rawtime.s %evt.source %evt.pluginname %evt.plugininfo", "2 1700000000 fixture_src filter_lazy datalen=5 data=evt-1",
			`{"evt.num":2,"evt.plugininfo":"datalen=5 data=evt-1","evt.pluginname":"filter_lazy","evt.rawtime.s":1700000000,"evt.source":"fixture_src"}`},
		{"%evt.rawtime.ns %evt.reltime", "000000001 000000001", `{"evt.rawtime.ns":1,"evt.reltime":1}`},
		{"no fields", "no fields", "null"},
	}
	for _, c := range cases {
		t.Run(c.format, func(t *testing.T) {
			fm, err := filter.CompileFormat(c.format, env)
			require.NoError(t, err)
			text := formatAll(t, fm, s, "2", false)
			if c.text == "" {
				require.Equal(t, "<false>", text[1])
			} else {
				require.Equal(t, c.text, text[1])
			}
			require.Equal(t, c.json, formatAll(t, fm, s, "2", true)[1])
		})
	}
}

func TestFormatErrors(t *testing.T) {
	env, _ := lazyEnv(t)
	for format, want := range map[string]string{
		"":               "empty formatting token",
		"a %":            "invalid formatting syntax: formatting cannot end with a %",
		"a %12":          "invalid formatting syntax: formatting cannot end with a number",
		"%nope.field":    "unknown filter: unexpected token after '",
		"%(lazy.num)":    "unknown filter: unexpected token after '",
		"%val(lazy.num)": "unknown filter: unexpected token after '",
	} {
		_, err := filter.CompileFormat(format, env)
		require.EqualError(t, err, want, format)
	}
}

func TestFormatAllocatesNothingPerEvent(t *testing.T) {
	env, s := lazyEnv(t)
	fm, err := filter.CompileFormat("*%evt.num %evt.time %lazy.str %5lazy.num %toupper(lazy.str) %lazy.calls[x]", env)
	require.NoError(t, err)
	fr, err := fm.NewFormatter(func(*loader.Plugin) (*loader.State, error) { return s, nil })
	require.NoError(t, err)
	defer fr.Close()
	nextBatch(t, s, "100", func(b *capability.Batch) error {
		require.NoError(t, fr.Extract(b, nil))
		buf := make([]byte, 0, 4096)
		allocs := testing.AllocsPerRun(50, func() {
			for i := 0; i < b.Len(); i++ {
				buf, _ = fr.AppendText(buf[:0], i)
				buf, _ = fr.AppendJSON(buf[:0], i)
			}
		})
		if !raceEnabled {
			require.Zero(t, allocs)
		}
		return nil
	})
}

// One compiled filter and format, evaluated by several pipelines at once,
// each with its own plugin state (run under -race).
func TestFilterIsSafeForConcurrentPipelines(t *testing.T) {
	env, _ := lazyEnv(t)
	f, err := filter.Compile("lazy.even = true and lazy.num > 10 or lazy.str endswith 7", env)
	require.NoError(t, err)
	fm, err := filter.CompileFormat("%lazy.num:%lazy.str", env)
	require.NoError(t, err)
	p := env.Registry.Plugins()[0]
	var wg sync.WaitGroup
	results := make([][]uint64, 4)
	for k := range results {
		s, err := p.Init("")
		require.NoError(t, err)
		defer s.Destroy()
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[k] = evalAll(t, f, s, "100")
			_ = formatAll(t, fm, s, "50", false)
		}()
	}
	wg.Wait()
	for k := range results {
		require.Len(t, results[k], 45+10-1, "pipeline %d", k)
		require.Equal(t, results[0], results[k])
	}
}

// Compiling a format costs time linear in its length, even for tokens that
// never compile (libsinsp shortens them one byte at a time).
func TestFormatCompileIsLinear(t *testing.T) {
	env, _ := lazyEnv(t)
	shapes := map[string]func(n int) string{
		"long unknown field": func(n int) string { return "%a." + strings.Repeat("b", n) },
		"long field prefix":  func(n int) string { return "%lazy.str" + strings.Repeat("x", n) },
		"many tokens":        func(n int) string { return strings.Repeat("%lazy.num ", n/10) },
		"long argument":      func(n int) string { return "%lazy.calls[" + strings.Repeat("k", n) + "]" },
		"long literal":       func(n int) string { return strings.Repeat("text ", n/5) },
		"unclosed transformer": func(n int) string {
			return "%tolower(" + strings.Repeat("a", n)
		},
	}
	for name, shape := range shapes {
		t.Run(name, func(t *testing.T) {
			cost := func(n int) time.Duration {
				text := shape(n)
				start := time.Now()
				for k := 0; k < 3; k++ {
					_, _ = filter.CompileFormat(text, env)
				}
				return time.Since(start)
			}
			cost(1000)
			small, large := cost(4000), cost(32000)
			require.Less(t, large, 45*small+50*time.Millisecond, fmt.Sprintf("4000: %v, 32000: %v", small, large))
		})
	}
}
