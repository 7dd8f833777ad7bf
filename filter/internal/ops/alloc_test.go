package ops

import (
	"fmt"
	"testing"
)

func mustConst(t testing.TB, op string, typ Type, lst bool, vals ...string) *ConstCheck {
	o, m, ok := ParseOp(op)
	if !ok {
		t.Fatalf("ParseOp(%q)", op)
	}
	c, err := NewConstCheck(o, m, typ, lst, vals)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestZeroAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = fmt.Sprintf("/usr/bin/tool%d", i)
	}
	u := nums(42)
	s := strs("/usr/bin/tool7")
	cases := []struct {
		name string
		c    *ConstCheck
		v    *Vals
	}{
		{"uint64 =", mustConst(t, "=", Uint64, false, "42"), u},
		{"uint64 in", mustConst(t, "in", Uint64, false, "1", "2", "42"), u},
		{"string =", mustConst(t, "=", String, false, "/usr/bin/tool7"), s},
		{"string in 10", mustConst(t, "in", String, false, ten...), s},
		{"string = anyof 10", mustConst(t, "= anyof", String, false, ten...), s},
		{"string list in 10", mustConst(t, "in", String, true, ten...), list(strs("/usr/bin/tool1", "/usr/bin/tool7"))},
		{"glob", mustConst(t, "glob", String, false, "/usr/*/tool[0-9]"), s},
		{"iglob", mustConst(t, "iglob", String, false, "*TOOL?"), s},
		{"contains", mustConst(t, "contains", String, false, "bin/"), s},
		{"icontains", mustConst(t, "icontains", String, false, "BIN/"), s},
		{"startswith anyof", mustConst(t, "startswith anyof", String, false, "/bin", "/usr"), s},
		{"pmatch", mustConst(t, "pmatch", String, false, "/usr/*", "/etc"), s},
		{"ipnet in", mustConst(t, "in", IPNet, false, "10.0.0.0/8", "fe80::/10"), ip("10.1.2.3")},
		{"regex", mustConst(t, "regex", String, false, "/usr/bin/tool[0-9]+"), s},
	}
	for _, c := range cases {
		if !c.c.Match(c.v) {
			t.Errorf("%s: no match", c.name)
		}
		if n := testing.AllocsPerRun(200, func() { c.c.Match(c.v) }); n != 0 {
			t.Errorf("%s: %v allocations per Match", c.name, n)
		}
	}
	fc, _ := NewFieldCheck(OpEq, ModNone, "a", String, false, "b", String, false)
	if n := testing.AllocsPerRun(200, func() { fc.Match(s, s) }); n != 0 {
		t.Errorf("FieldCheck: %v allocations", n)
	}
	in := list(strs("/USR/BIN/A", "Mixed Case"))
	var out Vals
	var scratch []byte
	for _, tr := range []Transformer{ToLower, ToUpper, Basename, B64, Len} {
		tr.Apply(String, in, &out, &scratch)
		if n := testing.AllocsPerRun(200, func() { tr.Apply(String, in, &out, &scratch) }); n != 0 {
			t.Errorf("%v: %v allocations per Apply", tr, n)
		}
	}
	argv := list(strs("-n", "-t", "value", "file"))
	Getopt(argv, []byte("nt:"), 0, false, &out, &scratch)
	if n := testing.AllocsPerRun(200, func() { Getopt(argv, []byte("nt:"), 0, false, &out, &scratch) }); n != 0 {
		t.Errorf("getopt: %v allocations", n)
	}
	sep := []byte(",")
	if n := testing.AllocsPerRun(200, func() { Join(sep, argv, &out, &scratch) }); n != 0 {
		t.Errorf("join: %v allocations", n)
	}
	args := []*Vals{strs("a"), strs("b")}
	if n := testing.AllocsPerRun(200, func() { Concat(args, &out, &scratch) }); n != 0 {
		t.Errorf("concat: %v allocations", n)
	}
}

func BenchmarkStringIn10(b *testing.B) {
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = fmt.Sprintf("/usr/bin/tool%d", i)
	}
	c := mustConst(b, "in", String, false, ten...)
	v := strs("/usr/bin/tool7")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.Match(v)
	}
}

func BenchmarkGlob(b *testing.B) {
	c := mustConst(b, "glob", String, false, "/usr/*/tool[0-9]")
	v := strs("/usr/local/bin/tool7")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.Match(v)
	}
}
