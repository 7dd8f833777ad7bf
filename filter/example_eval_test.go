package filter_test

import (
	"context"
	"fmt"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// A filter and an output format over a plugin's fields: Compile binds them
// to the plugin through the registry, and an Evaluator and a Formatter
// decide and render each batch the plugin's source produces.
func ExampleCompile() {
	path, err := fixtures.BuildC("filter_lazy") // lazy.num = i, lazy.str = "s-<i>"
	if err != nil {
		panic(err)
	}
	p, err := loader.Load(path, loader.Options{})
	if err != nil {
		panic(err)
	}
	reg := registry.New()
	if err := reg.Add(p); err != nil {
		panic(err)
	}
	env := filter.Env{Registry: reg, Source: p.EventSource}

	f, err := filter.Compile("lazy.num > 6 and lazy.str != s-8", env)
	if err != nil {
		panic(err)
	}
	format, err := filter.CompileFormat("event %evt.num: %lazy.str (%lazy.num)", env)
	if err != nil {
		panic(err)
	}
	fmt.Println(f, f.Fields())

	state, err := p.Init("")
	if err != nil {
		panic(err)
	}
	defer state.Destroy()
	states := func(*loader.Plugin) (*loader.State, error) { return state, nil }
	ev, err := f.NewEvaluator(states)
	if err != nil {
		panic(err)
	}
	defer ev.Close()
	fm, err := format.NewFormatter(states)
	if err != nil {
		panic(err)
	}
	defer fm.Close()

	src, err := capability.NewSource(state)
	if err != nil {
		panic(err)
	}
	st, err := src.Open("10")
	if err != nil {
		panic(err)
	}
	defer st.Close()
	err = st.Next(context.Background(), func(b *capability.Batch) error {
		match, err := ev.Eval(b)
		if err != nil {
			return err
		}
		if err := fm.Extract(b, match); err != nil {
			return err
		}
		var line []byte
		for _, i := range match {
			line, _ = fm.AppendText(line[:0], int(i))
			fmt.Println(string(line))
		}
		return nil
	})
	if err != nil {
		panic(err)
	}

	_, err = filter.Compile("lazy.num contains 7", env)
	fmt.Println(err)
	_, err = filter.Compile("lazy.nope = 1", env)
	fmt.Println(err)
	// Output:
	// (lazy.num > 6 and lazy.str != s-8) [lazy.num lazy.str]
	// event 8: s-7 (7)
	// event 10: s-9 (9)
	// filter error: 'contains' operator not supported for numeric filters
	// filter_check called with nonexistent field lazy.nope
}
