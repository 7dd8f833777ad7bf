package fieldref_test

import (
	"strings"
	"testing"

	"github.com/plughost/plughost/fieldref"
)

// FuzzScan: Scan never panics, uses a prefix of its input, and what it
// reads prints (String) to text that parses back to the same Ref; the
// argument checks never panic on it either.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"a.b", "a.b[x]", `a.b["x y"]`, `a.b['it\'s']`, `a.b["a\ "]`, "a.b[", "a.b[]", `a.b[""]`,
		`a.b["\\" x"]`, "a.b[\xe0\x80\x80]", "a.b[x\x00]", `a.b["\x"]`, "ka.req.pod.containers.image[0]",
	} {
		f.Add(s)
	}
	specs := []fieldref.ArgSpec{{}, {Key: true}, {Index: true}, {Index: true, Key: true}, {Index: true, Required: true}}
	f.Fuzz(func(t *testing.T, s string) {
		r, n, err := fieldref.Scan(s)
		if err != nil {
			e, ok := err.(*fieldref.Error)
			if !ok || e.Offset < 0 || e.Offset > len(s) || n != 0 || r != (fieldref.Ref{}) {
				t.Fatalf("Scan(%q) = %+v, %d, %#v", s, r, n, err)
			}
			return
		}
		if n <= 0 || n > len(s) || !fieldref.IsName(r.Name) || !strings.HasPrefix(s, r.Name) {
			t.Fatalf("Scan(%q) = %+v, %d", s, r, n)
		}
		if again, m, err := fieldref.Scan(s[:n]); err != nil || m != n || again != r {
			t.Fatalf("Scan(%q) = %+v, %d, %v; want %+v, %d", s[:n], again, m, err, r, n)
		}
		if r.HasArg != (n > len(r.Name)) {
			t.Fatalf("Scan(%q) = %+v, %d: HasArg disagrees with the length", s, r, n)
		}
		checkRoundTrip(t, r)
		for _, spec := range specs {
			_, _, _ = r.CheckArg(spec)
		}
	})
}

// FuzzRoundTrip: every argument Scan can produce (any text without NUL,
// through quoting, and bare strings, which may hold NUL) round trips.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"", "x", "a b", `a\`, `\\`, `"`, `'`, "]", "[", "\v", "\xff", "a\x00", "\x00 ", `a\ `, `\"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		r := fieldref.Ref{Name: "a.b", Arg: arg, HasArg: true}
		s := r.String()
		if strings.IndexByte(arg, 0) >= 0 {
			if back, err := fieldref.Parse(s); err == nil && back != r {
				t.Fatalf("Parse(%q) = %+v, want %+v", s, back, r)
			}
			return
		}
		checkRoundTrip(t, r)
	})
}

func checkRoundTrip(t *testing.T, r fieldref.Ref) {
	t.Helper()
	s := r.String()
	back, err := fieldref.Parse(s)
	if err != nil || back != r {
		t.Fatalf("Parse(%q) = %+v, %v; want %+v", s, back, err, r)
	}
	if ast := r.ASTString(); ast != s && !strings.ContainsAny(r.Arg, "[]\v\\\x00") && r.Arg != "" {
		// String departs from libsinsp's printer only for these.
		if _, err := fieldref.Parse(ast); err == nil {
			t.Fatalf("ASTString %q and String %q differ though both parse", ast, s)
		}
	}
}
