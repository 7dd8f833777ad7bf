package filter

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/plughost/plughost/fieldref"
)

// roundTripInputs are valid filters whose canonical text parses back to
// the same tree.
var roundTripInputs = []string{
	"a", "(a)", "a and b", "a or b", "a and b and c", "a or b or c",
	"a and b or c", "a or b and c", "a and (b or c)", "(a or b) and (c or d)",
	"((a and b) and c)", "(a and (b and c))", "((a or b) or c)",
	"not a", "not (a and b)", "not (a or b)", "a and not b", "not a or not b",
	"not x.y exists", "not tolower(x.y) = a", "a and(b)", "(a)or(b)",
	"not(a and b) and c", "macro and not_macro", "notb and andb and orb",
	"a \n and \n b", "a\r\n\tor\bb", "not", "not not not",
	"x.y exists", "x.y.z exists", "A.b_1.C2 exists", "x.y existsand m",
	"x.y[0] exists", "x.y[a.b] exists", "x.y['a b'] exists", `x.y[""] exists`,
	`x.y["a\"b"] = c`, `x.y['a=b'] = c`, `x.y[/a/b:c] = d`, "x.y[(a)] = b",
	`x.y["tab\t"] exists`, `x.y["a\\b"] exists`, "x.y[é] exists",
	"x.y = 1", "x.y == a", "x.y != a", "x.y =a", "x.y!=a", "x.y = a.b",
	"x.y glob *.txt", "x.y iglob A*", "x.y contains a", "x.y icontains a",
	"x.y bcontains 414243", "x.y startswith /a", "x.y bstartswith 41",
	"x.y endswith .so", "x.y regex '^a.*$'", "x.y regex \"a b\"",
	"x.y < 1", "x.y <= 1", "x.y > -1.5", "x.y >= 0x1f", "x.y > 1e+3",
	"x.y > +1.e-3", "x.y < 007", "x.y = 0x1F",
	"x.y in (a, b)", "x.y in (a)", "x.y in ()", "x.y in ( )", "x.y in(a,b)",
	"x.y intersects (a, b)", "x.y pmatch (/a, /b)", "x.y in my_list",
	"x.y intersects my_list", "x.y pmatch l", "x.y inside",
	`x.y in ("a b", 'c', 1, 0x2, x.z)`, `x.y in ('"', "'")`, `x.y in ("a, b", "( c)")`,
	"x.y = oneof (a, b)", "x.y == anyof (a)", "x.y != allof ()",
	"x.y = oneof my_list", "x.y contains anyof (a, b)",
	"x.y startswith oneof (a)", "x.y glob allof (*a, b*)",
	"x.y icontains oneof (a)", "x.y regex anyof ('a.*', b)",
	"x.y = oneof", "x.y = oneof and m", "x.y = anyof or m", "x.y = oneof oneof",
	"x.y = oneof andx", "x.y = oneof_x", "x.y = oneof\t(a)",
	"x.y = 'oneof' and (m or n)", "(a and x.y = allof)",
	"tolower(x.y) = a", "toupper( x.y ) exists", "b64(x.y) exists",
	"basename(x.y) = a", "len(x.y) > 2", "len(x.y) in (1, 2)",
	"tolower(toupper(b64(x.y))) exists", "tolower(x.y)[a] exists",
	"join(x.y) = a", "join(' ', (a.b, c.d)) = x", "concat(a.b, 'x y', c.d) = y",
	"concat(a.b, 1, 0x2, -3) exists", `getopt(proc.args, "n t")[t] = value`,
	`getopt(proc.args, "n t")[""] exists`, "join(' ', ()) = a",
	"join(' ', (a.b, ' ', 1, tolower(c.d))) = a",
	"join(' ', (tolower(a.b[1])[c])) = a", "len((a.b, c.d)) > 1",
	"x.y = val(a.b)", "x.y = val( a.b )", "x.y = val(a.b[1])",
	"x.y = val(a.b)[c]", "x.y > val(a.b)", "x.y in val(a.b)",
	"x.y = tolower(a.b)", "x.y in tolower(a.b)", "x.y = b64 and(m)",
	"tolower(x.y) = toupper(a.b[c])",
	`x.y = "a b"`, "x.y = 'a b'", `x.y = "a\"b"`, `x.y = 'a\'b'`,
	`x.y = "a'b"`, `x.y = 'a"b'`, `x.y = "a\ b"`, `x.y = "\\\\ "`,
	`x.y = "\t\n\r\b\f\/\\x"`, "x.y = \"multi\nline\"", `x.y = "a=b"`,
	"x.y = é", "x.y = \xe0\x80\x80", "x.y = \xf4\x90\x80\x80", "x.y = a\bb",
	"x.y = a\x00b", "x.y = <NA>", "x.y = /bin/sh", "x.y = a[0]:b!",
	"x.y = 'tolower (a.b)'", "x.y = 'and'", "x.y = 'not'",
	"(x.y = a or x.y = b) and not (x.z exists or tolower(x.w) in (c, d))",
	"not x.y in (a, b) and x.z = oneof (c) or len(x.w) >= 3",
	"a.b = 1 and (c.d = 2 or (e.f = 3 and (g.h = 4 or i.j = 5)))",
}

// reparsable reports whether String(e) reads back as e. libsinsp's printer
// is not lossless: it writes a string argument of a transformer without
// quotes, an empty value as nothing, a nested not as `not not` (which the
// parser folds away), a macro named `not` followed by a blank (which then
// reads as the keyword), and leaves alone the bytes that end a bare string
// ('(', ')', ',', '\v', invalid UTF-8) when nothing else makes it quote.
func reparsable(e Expr) bool { return reparsableIn(e, false) }

// reparsableIn: blankAfter tells whether the printer writes a blank right
// after e (e is an and/or operand other than the last).
func reparsableIn(e Expr, blankAfter bool) bool {
	switch e := e.(type) {
	case *And:
		return chainOK(e.Children)
	case *Or:
		return chainOK(e.Children)
	case *Not:
		_, notNot := e.X.(*Not)
		return !notNot && reparsableIn(e.X, blankAfter)
	case *Ident:
		return e.Name != "not" || !blankAfter
	case *UnaryCheck:
		return operandOK(e.Left)
	case *BinaryCheck:
		if !operandOK(e.Left) {
			return false
		}
		switch r := e.Right.(type) {
		case *Value:
			return valueOK(r.Text)
		case *List:
			for _, s := range r.Items {
				if !valueOK(s) {
					return false
				}
			}
			return true
		default:
			return operandOK(r)
		}
	}
	return false
}

func chainOK(children []Expr) bool {
	for i, c := range children {
		if !reparsableIn(c, i < len(children)-1) {
			return false
		}
	}
	return true
}

func allOf(es []Expr, f func(Expr) bool) bool {
	for _, e := range es {
		if !f(e) {
			return false
		}
	}
	return true
}

// valueOK: a string value prints as one token, quoted or bare.
func valueOK(s string) bool {
	if fieldref.EscapeStr(s) != s {
		return quotedOK(s)
	}
	return s != "" && scanExcept(s, stopBare) == len(s)
}

func quotedOK(s string) bool { return !strings.ContainsRune(s, 0) && !strings.HasSuffix(s, `\`) }

func argOK(arg string, has bool) bool {
	switch {
	case !has || arg == "":
		return true
	case fieldref.EscapeStr(arg) != arg:
		return quotedOK(arg)
	}
	return scanExcept(arg, stopArg) == len(arg)
}

func operandOK(e Expr) bool {
	switch e := e.(type) {
	case *Field:
		return argOK(e.Arg, e.HasArg)
	case *Transformer:
		return argOK(e.Arg, e.HasArg) && allOf(e.Args, transformerArgOK)
	}
	return false
}

// transformerArgOK: a literal argument reads back only as a number or
// when the printer quotes it.
func transformerArgOK(e Expr) bool {
	switch e := e.(type) {
	case *Value:
		if fieldref.EscapeStr(e.Text) != e.Text {
			return quotedOK(e.Text)
		}
		return isNumberToken(e.Text)
	case *TransformerList:
		return allOf(e.Items, transformerArgOK)
	}
	return operandOK(e)
}

func isNumberToken(s string) bool {
	if s != "" && scanNum(s) == len(s) {
		return true
	}
	if len(s) < 3 || s[0] != '0' || s[1] != 'x' && s[1] != 'X' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func checkRoundTrip(t *testing.T, in string, e Expr) {
	t.Helper()
	s := String(e)
	e2, err := Parse(s, ParseOptions{MaxDepth: MaxDepthLimit})
	if err != nil {
		t.Errorf("Parse(String(Parse(%q))) = Parse(%q): %v", in, s, err)
		return
	}
	if !Equal(e, e2) {
		t.Errorf("round trip of %q through %q:\n got  %s\n want %s", in, s, dump(e2), dump(e))
	}
	if s2 := String(e2); s2 != s {
		t.Errorf("String is not a fixpoint for %q: %q then %q", in, s, s2)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, in := range roundTripInputs {
		e, err := Parse(in, ParseOptions{})
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if !reparsable(e) {
			t.Errorf("%q: not reparsable", in)
			continue
		}
		checkRoundTrip(t, in, e)
	}
	for _, c := range parseCases {
		if e, err := Parse(c.in, ParseOptions{MaxDepth: c.depth}); err == nil && reparsable(e) {
			checkRoundTrip(t, c.in, e)
		}
	}
}

func TestRoundTripGenerated(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	ok, checked := 0, 0
	for range 100000 {
		in := genInput(rng)
		if rng.Intn(4) == 0 {
			in = mutate(rng, in)
		}
		e, err := Parse(in, ParseOptions{MaxDepth: 1000})
		if err != nil {
			continue
		}
		ok++
		if reparsable(e) {
			checked++
			checkRoundTrip(t, in, e)
		}
	}
	if checked < 4000 {
		t.Errorf("only %d of %d parsed inputs were checked", checked, ok)
	}
}

// libsinsp's printer output that does not read back, kept as it is.
func TestStringNotReparsable(t *testing.T) {
	for _, c := range []struct{ in, str string }{
		{`getopt(proc.args, "nt:")[t] = v`, "getopt(proc.args,nt:)[t] = v"},
		{`x.y = ""`, "x.y = "},
		{`x.y in ("", a)`, "x.y in (, a)"},
		{`x.y = "a,b"`, "x.y = a,b"},
		{`x.y in ("(a)")`, "x.y in ((a))"},
		{"not(not(a))", "not not a"},
		{"x.y = \"a\vb\"", "x.y = a\vb"},
		{`x.y = "a\ "`, `x.y = "a\\"`},
		{`x.y = a\`, `x.y = "a\\"`},
		{`x.y = 'tolower(a.b)'`, "x.y = tolower(a.b)"},
		{`x.y = "val(a.b)"`, "x.y = val(a.b)"},
		{`concat(a.b, "a.b") = c`, "concat(a.b,a.b) = c"},
		{`x.y["a]"] exists`, "x.y[a]] exists"},
		{"not\band a", "(not and a)"},
	} {
		e, err := Parse(c.in, ParseOptions{})
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := String(e); got != c.str {
			t.Errorf("String(Parse(%q)) = %q, want %q", c.in, got, c.str)
		}
		if reparsable(e) {
			t.Errorf("%q: reparsable says yes", c.in)
		}
		if e2, err := Parse(c.str, ParseOptions{}); err == nil && Equal(e, e2) {
			t.Errorf("%q: %q reads back after all", c.in, c.str)
		}
	}
}

func TestStringNodes(t *testing.T) {
	f := &Field{Name: "a.b"}
	for _, c := range []struct {
		e    Expr
		want string
	}{
		{&And{Children: []Expr{&Ident{Name: "a"}}}, "(a)"},
		{&Or{Children: []Expr{&Ident{Name: "a"}, &Ident{Name: "b"}}}, "(a or b)"},
		{&Not{X: &Not{X: &Ident{Name: "a"}}}, "not not a"},
		{&Value{Text: "a b"}, `"a b"`},
		{&Value{Text: "a'b"}, `"a'b"`},
		{&Value{Text: "é\x01"}, "é\x01"},
		{&List{Items: []string{"a", "b c", `d"`}}, `(a, "b c", "d\"")`},
		{&List{}, "()"},
		{&TransformerList{Items: []Expr{f, &Value{Text: "1"}}}, "(a.b,1)"},
		{&UnaryCheck{Left: f, Op: "exists"}, "a.b exists"},
		{&BinaryCheck{Left: f, Op: "=", Right: &Value{Text: "x"}}, "a.b = x"},
		{&Field{Name: "a.b", HasArg: true}, `a.b[""]`},
		{&Field{Name: "a.b", Arg: "x y", HasArg: true}, `a.b["x y"]`},
		{&Field{Name: "a.b", Arg: "x", HasArg: false}, "a.b"},
		{&Transformer{Name: "getopt", Args: []Expr{f, &Value{Text: "n t"}}, Arg: "t", HasArg: true}, `getopt(a.b,"n t")[t]`},
		{&Transformer{Name: "len", Args: []Expr{&TransformerList{}}, HasArg: true}, `len(())[""]`},
		{nil, ""},
	} {
		if got := String(c.e); got != c.want {
			t.Errorf("String(%#v) = %q, want %q", c.e, got, c.want)
		}
	}
}

func TestEqual(t *testing.T) {
	parse := func(s string) Expr {
		e, err := Parse(s, ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	same := [][2]string{
		{"a and b", "a\nand\n(b)"},
		{"x.y in (a, b)", "x.y in(a,b)"},
		{"x.y = 'a'", `x.y = "a"`},
		{"x.y = a", "x.y =a"},
		{"tolower(x.y)[a] exists", "tolower( x.y )[\"a\"] exists"},
		{"not a", "not(a)"},
		{"x.y in ()", "x.y in ( )"},
		{"x.y in ()", `x.y in ("\q")`},
	}
	for _, c := range same {
		if !Equal(parse(c[0]), parse(c[1])) {
			t.Errorf("%q and %q differ", c[0], c[1])
		}
	}
	differ := [][2]string{
		{"a and b", "b and a"},
		{"a and b", "a or b"},
		{"(a and b) and c", "a and b and c"},
		{"x.y = a", "x.y == a"},
		{"x.y[a] exists", "x.y exists"},
		{`x.y[""] exists`, "x.y exists"},
		{`tolower(x.y)[""] exists`, "tolower(x.y) exists"},
		{"x.y in (a)", "x.y in a"},
		{"x.y in (a)", "x.y in (a, b)"},
		{"x.y = val(a.b)", "x.y = a.b"},
		{"tolower(x.y) exists", "toupper(x.y) exists"},
		{"join('-', (a.b)) exists", "join('-', a.b) exists"},
		{"not a", "a"},
		{"x.y exists", "x.z exists"},
		{"x.y = 1", "x.y = 2"},
	}
	for _, c := range differ {
		if Equal(parse(c[0]), parse(c[1])) {
			t.Errorf("%q and %q are equal", c[0], c[1])
		}
	}
	if !Equal(nil, nil) || Equal(nil, &Ident{Name: "a"}) || Equal(&Ident{Name: "a"}, nil) {
		t.Error("Equal with nil")
	}
	if !Equal(&List{}, &List{Items: []string{}}) {
		t.Error("empty lists differ")
	}
}
