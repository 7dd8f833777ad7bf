package filter

import (
	"errors"
	"testing"
)

func mustParse(t *testing.T, s string) Expr {
	t.Helper()
	e, err := Parse(s, ParseOptions{MaxDepth: 1000})
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return e
}

func macroTable(t *testing.T, defs map[string]string) func(string) (Expr, bool) {
	m := map[string]Expr{}
	for name, cond := range defs {
		if cond == "" {
			m[name] = nil
			continue
		}
		m[name] = mustParse(t, cond)
	}
	return func(name string) (Expr, bool) {
		e, ok := m[name]
		return e, ok
	}
}

func TestExpandMacros(t *testing.T) {
	defs := map[string]string{
		"m_or":     "p.q = 1 or p.q = 2",
		"m_and":    "r.s exists and not r.t exists",
		"m_check":  "u.v = w",
		"m_nested": "m_or and m_check",
		"m_alias":  "m_check",
		"m_deep":   "not m_nested",
		"m_self":   "m_self or a.b exists",
		"m_a":      "m_b",
		"m_b":      "x.y exists and m_a",
		"m_loop3":  "m_loop4",
		"m_loop4":  "m_loop5",
		"m_loop5":  "m_loop3",
		"m_undef":  "a.b exists and nope",
		"m_nil":    "",
		"m_list":   "x.y in my_list",
	}
	lookup := macroTable(t, defs)
	for _, c := range []struct{ in, want, err string }{
		{"x.y exists", "x.y exists", ""},
		{"m_check", "u.v = w", ""},
		{"a.b exists and m_or", "(a.b exists and (p.q = 1 or p.q = 2))", ""},
		{"m_or or a.b exists", "((p.q = 1 or p.q = 2) or a.b exists)", ""},
		{"not m_and", "not (r.s exists and not r.t exists)", ""},
		{"m_nested", "((p.q = 1 or p.q = 2) and u.v = w)", ""},
		{"m_alias and m_alias", "(u.v = w and u.v = w)", ""},
		{"m_deep or (m_alias)", "(not ((p.q = 1 or p.q = 2) and u.v = w) or u.v = w)", ""},
		{"x.y in (m_check) and x.y = m_check and x.y in m_check", "(x.y in (m_check) and x.y = m_check and x.y in m_check)", ""},
		{"x.y = oneof m_check", "x.y = oneof m_check", ""},
		{"m_list", "x.y in my_list", ""},
		{"nope", "", "Undefined macro 'nope' used in filter."},
		{"a.b exists and (nope or nope2)", "", "Undefined macro 'nope' used in filter."},
		{"m_undef", "", "Undefined macro 'nope' used in filter."},
		{"m_nil", "", "Undefined macro 'm_nil' used in filter."},
		{"m_self", "", "reference loop in macro 'm_self'"},
		{"m_a", "", "reference loop in macro 'm_a'"},
		{"m_b", "", "reference loop in macro 'm_b'"},
		{"m_loop3", "", "reference loop in macro 'm_loop3'"},
		{"m_loop5", "", "reference loop in macro 'm_loop5'"},
		// A loop is reported before an undefined name met earlier.
		{"nope or m_a", "", "reference loop in macro 'm_a'"},
		{"m_undef and m_self", "", "reference loop in macro 'm_self'"},
	} {
		e := mustParse(t, c.in)
		before := String(e)
		got, err := ExpandMacros(e, lookup)
		if String(e) != before {
			t.Errorf("%q: the input was changed to %q", c.in, String(e))
		}
		if c.err != "" {
			var me *MacroError
			if !errors.As(err, &me) || me.Msg != c.err || err.Error() != c.err {
				t.Errorf("ExpandMacros(%q) = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ExpandMacros(%q): %v", c.in, err)
			continue
		}
		if s := String(got); s != c.want {
			t.Errorf("ExpandMacros(%q) = %q, want %q", c.in, s, c.want)
		}
	}
}

func TestExpandMacrosPositions(t *testing.T) {
	lookup := macroTable(t, map[string]string{
		"m1": "  a.b exists and m2",
		"m2": "\n\nc.d exists or bad",
		"m3": "m3",
	})
	e := mustParse(t, "x.y exists and\n m1")
	_, err := ExpandMacros(e, lookup)
	var me *MacroError
	if !errors.As(err, &me) {
		t.Fatal(err)
	}
	// The position is the identifier's, in the text of the macro it was
	// parsed from.
	if want := (Pos{Offset: 16, Line: 3, Col: 15}); me.Pos != want || me.Name != "bad" || me.Loop {
		t.Errorf("got %+v, want bad at %+v", me, want)
	}
	_, err = ExpandMacros(mustParse(t, "a.b exists or  m3"), lookup)
	if !errors.As(err, &me) || me.Pos != (Pos{Offset: 0, Line: 1, Col: 1}) || !me.Loop || me.Name != "m3" {
		t.Errorf("loop: %+v", err)
	}

	// A substituted macro keeps its own positions.
	lookup = macroTable(t, map[string]string{"m": "  a.b exists"})
	got, err := ExpandMacros(mustParse(t, "x.y exists and m"), lookup)
	if err != nil {
		t.Fatal(err)
	}
	sub := got.(*And).Children[1]
	if p := sub.Position(); p != (Pos{Offset: 2, Line: 1, Col: 3}) {
		t.Errorf("substituted node at %+v", p)
	}
}

func TestExpandMacrosClones(t *testing.T) {
	m := mustParse(t, "a.b = c or d.e exists")
	lookup := func(string) (Expr, bool) { return m, true }
	got, err := ExpandMacros(mustParse(t, "m and m"), lookup)
	if err != nil {
		t.Fatal(err)
	}
	kids := got.(*And).Children
	if kids[0] == m || kids[1] == m || kids[0] == kids[1] {
		t.Fatal("macro AST not cloned")
	}
	kids[0].(*Or).Children[0].(*BinaryCheck).Right.(*Value).Text = "changed"
	if String(m) != "(a.b = c or d.e exists)" || String(kids[1]) != "(a.b = c or d.e exists)" {
		t.Errorf("clones share nodes: %s / %s", String(m), String(kids[1]))
	}
}

func TestClone(t *testing.T) {
	for _, in := range roundTripInputs {
		e := mustParse(t, in)
		c := Clone(e)
		if !Equal(e, c) || dump(e) != dump(c) {
			t.Errorf("Clone(%q) = %s", in, dump(c))
		}
	}
	e := mustParse(t, "tolower(a.b[x]) in (p, q) and join(',', (c.d, 'e')) exists")
	c := Clone(e)
	c.(*And).Children[0].(*BinaryCheck).Right.(*List).Items[0] = "z"
	c.(*And).Children[0].(*BinaryCheck).Left.(*Transformer).Args[0].(*Field).Arg = "y"
	c.(*And).Children[1].(*UnaryCheck).Left.(*Transformer).Args[1].(*TransformerList).Items[0].(*Field).Name = "f.g"
	if got := String(e); got != "(tolower(a.b[x]) in (p, q) and join(,,(c.d,e)) exists)" {
		t.Errorf("Clone shares nodes: %s", got)
	}
	if Clone(nil) != nil {
		t.Error("Clone(nil)")
	}
}
