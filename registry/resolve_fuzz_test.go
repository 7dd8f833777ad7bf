package registry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/plughost/plughost/registry"
)

// Resolve parses user text (filters, outputs): it must never panic, and an
// accepted reference must be well formed, the longest possible, and stable.
func FuzzResolve(f *testing.F) {
	r := build(f, load(f, "source_only", "extract_only", "reg_longest", "reg_all")...)
	for _, s := range []string{
		"fixture.idx[3]", "reg.a.b", "reg.a[k]", "fixture.key[a[0]] x", "fixture.idx[", "fixture.u64[1]",
		"reg.a.c", "fixture.key[[]", "", "]", "reg.all\x00",
	} {
		f.Add(s)
	}
	sources := r.Sources()
	f.Fuzz(func(t *testing.T, text string) {
		for _, src := range sources {
			res, err := r.Resolve(src, text)
			if err != nil {
				var re *registry.Error
				if !errors.As(err, &re) || !(errors.Is(err, registry.ErrUnknownField) || errors.Is(err, registry.ErrFieldArg)) {
					t.Fatalf("Resolve(%q, %q): unexpected error %T %v", src, text, err, err)
				}
				continue
			}
			want := res.Field.Name
			if res.HasArg {
				want += "[" + res.Arg + "]"
			}
			if res.Text != want || !strings.HasPrefix(text, res.Text) {
				t.Fatalf("Resolve(%q, %q): consumed %q, want %q", src, text, res.Text, want)
			}
			if _, ok := res.Plugin.Field(res.Field.Name); !ok {
				t.Fatalf("Resolve(%q, %q): %s has no field %s", src, text, res.Plugin.Name, res.Field.Name)
			}
			rest := text[len(res.Text):]
			if !res.HasArg && strings.HasPrefix(rest, "[") {
				t.Fatalf("Resolve(%q, %q): left an argument unparsed", src, text)
			}
			for _, p := range r.Extractors(src) {
				for _, fl := range p.Fields {
					n := len(fl.Name)
					if n > len(res.Field.Name) && strings.HasPrefix(text, fl.Name) &&
						(n == len(text) || !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.", rune(text[n]))) {
						t.Fatalf("Resolve(%q, %q): chose %s over the longer %s", src, text, res.Field.Name, fl.Name)
					}
				}
			}
			again, err := r.Resolve(src, res.Text)
			if err != nil || again.Plugin != res.Plugin || again.Field.Name != res.Field.Name ||
				again.Arg != res.Arg || again.HasArg != res.HasArg || again.Text != res.Text {
				t.Fatalf("Resolve(%q, %q) = %+v, %v; want %+v", src, res.Text, again, err, res)
			}
		}
	})
}
