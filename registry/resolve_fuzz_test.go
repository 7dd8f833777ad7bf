package registry_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/plughost/plughost/fieldref"
	"github.com/plughost/plughost/registry"
)

// Resolve parses user text (filters, outputs): it must never panic, and an
// accepted reference must be what fieldref.Scan reads at the start of the
// text, a field of the source by that exact name, and stable: resolving
// the consumed text, or looking the Ref up, gives the same binding.
func FuzzResolve(f *testing.F) {
	r := build(f, load(f, "source_only", "extract_only", "reg_longest", "reg_all")...)
	for _, s := range []string{
		"fixture.idx[3]", "reg.a.b", "reg.a[k]", "fixture.key[a[0]] x", "fixture.idx[", "fixture.u64[1]",
		"reg.a.c", "fixture.key[[]", "", "]", "reg.all\x00", `fixture.key["a b"]`, `fixture.key['x']y`,
		"reg.both[01]", "reg.a.b.", `fixture.key["a\ "]`,
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
			ref, n, err := fieldref.Scan(text)
			if err != nil || res.Text != text[:n] || res.Field.Name != ref.Name || res.Arg != ref.Arg || res.HasArg != ref.HasArg {
				t.Fatalf("Resolve(%q, %q) = %+v; Scan = %+v, %d, %v", src, text, res, ref, n, err)
			}
			if !strings.HasPrefix(text, res.Text) {
				t.Fatalf("Resolve(%q, %q): consumed %q, not a prefix", src, text, res.Text)
			}
			if _, ok := res.Plugin.Field(res.Field.Name); !ok {
				t.Fatalf("Resolve(%q, %q): %s has no field %s", src, text, res.Plugin.Name, res.Field.Name)
			}
			again, err := r.Resolve(src, res.Text)
			if err != nil || !reflect.DeepEqual(again, res) {
				t.Fatalf("Resolve(%q, %q) = %+v, %v; want %+v", src, res.Text, again, err, res)
			}
			looked, err := r.Lookup(src, ref)
			res.Text = ref.String()
			if err != nil || !reflect.DeepEqual(looked, res) {
				t.Fatalf("Lookup(%q, %+v) = %+v, %v; want %+v", src, ref, looked, err, res)
			}
		}
	})
}
