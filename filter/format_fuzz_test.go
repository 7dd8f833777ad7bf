package filter_test

import (
	"testing"
	"time"

	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// FuzzFormat compiles arbitrary output formats against a real plugin: no
// panic, an error or a format whose fields all compile, and compile time
// bounded by the input's length.
func FuzzFormat(f *testing.F) {
	path, err := fixtures.BuildC("filter_lazy")
	if err != nil {
		f.Fatal(err)
	}
	p, err := loader.Load(path, loader.Options{})
	if err != nil {
		f.Fatal(err)
	}
	reg := registry.New()
	if err := reg.Add(p); err != nil {
		f.Fatal(err)
	}
	env := filter.Env{Registry: reg, Source: p.EventSource}
	f.Fuzz(func(t *testing.T, text string) {
		start := time.Now()
		fm, err := filter.CompileFormat(text, env)
		if d := time.Since(start); d > 50*time.Millisecond+time.Duration(len(text))*20*time.Microsecond {
			t.Fatalf("compiling %d bytes took %v", len(text), d)
		}
		if err != nil {
			return
		}
		for _, field := range fm.Fields() {
			if _, err := filter.CompileFormat("%"+field, env); err != nil {
				t.Fatalf("field %q of %q does not compile alone: %v", field, text, err)
			}
		}
	})
}
