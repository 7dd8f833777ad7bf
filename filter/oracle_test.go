package filter

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Differential test against libsinsp's own parser. It runs only when
// FILTER_ORACLE names a program built with testdata/oracle/build.sh (the
// libs 0.25.4 parser, with the depth guard fixed as in libs#3033, behind a
// small driver); without it the test is skipped. FILTER_ORACLE_N sets the
// number of generated inputs (default 20000), FILTER_ORACLE_CORPUS adds a
// directory of fuzz inputs.

// dump is the driver's structural dump of an AST: every node with its
// kind, position and strings (hex).
func dump(e Expr) string {
	var b strings.Builder
	dumpTo(&b, e)
	return b.String()
}

func dumpTo(b *strings.Builder, e Expr) {
	pos := func(p Pos) string { return fmt.Sprintf("@%d:%d:%d", p.Offset, p.Line, p.Col) }
	kids := func(c []Expr) {
		b.WriteString("(")
		for i, k := range c {
			if i > 0 {
				b.WriteString(" ")
			}
			dumpTo(b, k)
		}
		b.WriteString(")")
	}
	arg := func(a string, has bool) {
		if has {
			b.WriteString("[" + hex.EncodeToString([]byte(a)) + "]")
		}
	}
	h := func(s string) string { return hex.EncodeToString([]byte(s)) }
	switch e := e.(type) {
	case *And:
		b.WriteString("and" + pos(e.Pos))
		kids(e.Children)
	case *Or:
		b.WriteString("or" + pos(e.Pos))
		kids(e.Children)
	case *Not:
		b.WriteString("not" + pos(e.Pos) + "(")
		dumpTo(b, e.X)
		b.WriteString(")")
	case *Ident:
		b.WriteString("id" + pos(e.Pos) + ":" + h(e.Name))
	case *Value:
		b.WriteString("val" + pos(e.Pos) + ":" + h(e.Text))
	case *List:
		b.WriteString("list" + pos(e.Pos) + "(")
		for i, v := range e.Items {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(h(v))
		}
		b.WriteString(")")
	case *TransformerList:
		b.WriteString("tlist" + pos(e.Pos))
		kids(e.Items)
	case *UnaryCheck:
		b.WriteString("unary" + pos(e.Pos) + ":" + h(e.Op) + "(")
		dumpTo(b, e.Left)
		b.WriteString(")")
	case *BinaryCheck:
		b.WriteString("binary" + pos(e.Pos) + ":" + h(e.Op) + "(")
		dumpTo(b, e.Left)
		b.WriteString(" ")
		dumpTo(b, e.Right)
		b.WriteString(")")
	case *Field:
		b.WriteString("field" + pos(e.Pos) + ":" + h(e.Name))
		arg(e.Arg, e.HasArg)
	case *Transformer:
		b.WriteString("tr" + pos(e.Pos) + ":" + h(e.Name))
		kids(e.Args)
		arg(e.Arg, e.HasArg)
	default:
		b.WriteString("?")
	}
}

// ours renders Parse (mode "p") or ParseFieldOrTransformer (mode "f") the
// way the driver prints libsinsp's result.
func ours(mode string, maxDepth int, in string) string {
	var e Expr
	var n int
	var err error
	if mode == "f" {
		e, n, err = ParseFieldOrTransformer(in, ParseOptions{MaxDepth: maxDepth})
	} else {
		e, err = Parse(in, ParseOptions{MaxDepth: maxDepth})
	}
	if err != nil {
		se := err.(*SyntaxError)
		return fmt.Sprintf("ERR\t%d %d %d\t%s", se.Offset, se.Line, se.Col, hex.EncodeToString([]byte(se.Msg)))
	}
	s := "OK\t" + hex.EncodeToString([]byte(String(e))) + "\t" + dump(e)
	if mode == "f" {
		s += "\t" + strconv.Itoa(n)
	}
	return s
}

type oracleCase struct {
	mode     string
	maxDepth int
	in       string
}

func runOracle(t *testing.T, prog string, cases []oracleCase) []string {
	t.Helper()
	var input strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&input, "%s %d %s\n", c.mode, c.maxDepth, hex.EncodeToString([]byte(c.in)))
	}
	cmd := exec.Command(prog)
	cmd.Stdin = strings.NewReader(input.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != len(cases) {
		t.Fatalf("oracle gave %d answers for %d inputs", len(lines), len(cases))
	}
	return lines
}

func TestOracle(t *testing.T) {
	prog := os.Getenv("FILTER_ORACLE")
	if prog == "" {
		t.Skip("FILTER_ORACLE not set (see testdata/oracle/build.sh)")
	}
	n := 20000
	if s := os.Getenv("FILTER_ORACLE_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	var cases []oracleCase
	add := func(in string) {
		cases = append(cases, oracleCase{"p", 0, in})
	}
	for _, c := range parseCases {
		add(c.in)
	}
	for _, in := range roundTripInputs {
		add(in)
	}
	for _, in := range seedInputs() {
		add(in)
	}
	// FILTER_ORACLE_CORPUS: a directory of more fuzz inputs, such as the
	// fuzzer's cache ($(go env GOCACHE)/fuzz/.../FuzzParse).
	if dir := os.Getenv("FILTER_ORACLE_CORPUS"); dir != "" {
		for _, in := range fuzzInputs(dir) {
			add(in)
		}
	}
	rng := rand.New(rand.NewSource(1))
	for range n {
		add(genInput(rng))
	}
	for range n / 4 {
		add(mutate(rng, genInput(rng)))
	}
	// Depth limits and output-format tokens.
	base := len(cases)
	for i := base - 1; i >= base-n/10 && i >= 0; i-- {
		cases = append(cases, oracleCase{"p", 1 + rng.Intn(40), cases[i].in})
		cases = append(cases, oracleCase{"f", 0, cases[i].in})
	}
	for _, in := range []string{"evt.num", "evt.arg[0] rest", "tolower(x.y)x", "val(x.y)", "", "x", "getopt(a.b, 'x')[y]z", "len( (a.b, 'c') )"} {
		cases = append(cases, oracleCase{"f", 0, in})
	}
	want := runOracle(t, prog, cases)
	fails := 0
	for i, c := range cases {
		if got := ours(c.mode, c.maxDepth, c.in); got != want[i] {
			fails++
			if fails <= 30 {
				t.Errorf("mode %s depth %d input %q:\n got  %s\n want %s", c.mode, c.maxDepth, c.in, got, want[i])
			}
		}
	}
	if fails > 0 {
		t.Errorf("%d of %d inputs differ", fails, len(cases))
	}
}

// genInput builds a random filter from the grammar's pieces, valid or
// nearly so.
func genInput(rng *rand.Rand) string {
	var b strings.Builder
	genExpr(rng, &b, 0)
	return b.String()
}

var (
	genBlanks  = []string{" ", " ", " ", "", "  ", "\t", "\n", "\r\n", "\b", "\v", "\f"}
	genFields  = []string{"proc.name", "fd.name", "evt.arg", "a.b", "x.y.z", "a.b_1", "some.field", "A.B"}
	genIdents  = []string{"a", "macro", "not_macro", "and_macro", "or_x", "oneof", "anyof", "allof", "val", "tolower", "notb", "andz", "in", "exists"}
	genOps     = []string{"exists", "=", "==", "!=", "<", "<=", ">", ">=", "glob", "iglob", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "regex", "in", "intersects", "pmatch", "= oneof", "== anyof", "!= allof", "contains oneof", "startswith anyof", "glob allof", "=oneof", "existsand", "inside"}
	genValues  = []string{"1", "-1", "+2.5", "1.5e+3", "1e5", "0x1F", "0xg", "abc", "/bin/sh", "*.log", "<NA>", "a[0]", "a:b", "\"q v\"", "'s q'", "\"\"", "''", `"a\"b"`, `'a\'b'`, `"a\'b"`, `'a\"b'`, `"\q"`, `"a\ b"`, `"\\"`, `"a\\"`, `"tab\t"`, "\"unterminated", "é", "\xc3", "\xff", "\xe0\x80\x80", "a\x00b", "oneof", "and", "or", "not", "(", ")", ",", "=", "x.y", "val(a.b)", "tolower(a.b)"}
	genTrans   = []string{"tolower", "toupper", "b64", "basename", "len", "join", "concat", "getopt", "val", "foo"}
	genArgs    = []string{"[0]", "[a]", `["k v"]`, `[""]`, "[]", "[", "[a", "[ a]", `['x']`, `["\q"]`, "[é]", "[a b]"}
	genTLItems = []string{"a.b", "'s'", "\"d\"", "1", "0x2", "bare", "tolower(a.b)", "(a.b)", ""}
)

func pick(rng *rand.Rand, l []string) string { return l[rng.Intn(len(l))] }

func blank(rng *rand.Rand, b *strings.Builder) {
	if rng.Intn(3) == 0 {
		b.WriteString(pick(rng, genBlanks))
	}
}

func genExpr(rng *rand.Rand, b *strings.Builder, depth int) {
	n := 1 + rng.Intn(3)
	for i := range n {
		if i > 0 {
			w := pick(rng, []string{"and", "or", "and", "or", "and(", "or(", "andx", "Or"})
			b.WriteString(" " + w)
			if !strings.HasSuffix(w, "(") {
				b.WriteString(pick(rng, []string{" ", " ", "\n", "", "("}))
			} else {
				genExpr(rng, b, depth+1)
				b.WriteString(")")
				continue
			}
		}
		blank(rng, b)
		for rng.Intn(4) == 0 {
			b.WriteString(pick(rng, []string{"not ", "not(", "not\t", "not", "not\v", "not\b"}))
		}
		genCheck(rng, b, depth)
		blank(rng, b)
	}
}

func genCheck(rng *rand.Rand, b *strings.Builder, depth int) {
	switch r := rng.Intn(10); {
	case r == 0 && depth < 4:
		b.WriteString("(")
		genExpr(rng, b, depth+1)
		if rng.Intn(10) > 0 {
			b.WriteString(")")
		}
	case r == 1:
		b.WriteString(pick(rng, genIdents))
	default:
		genOperand(rng, b, depth, false)
		blank(rng, b)
		op := pick(rng, genOps)
		b.WriteString(op)
		if op == "exists" || op == "existsand" || op == "inside" {
			return
		}
		b.WriteString(pick(rng, []string{" ", " ", "", "  "}))
		switch rng.Intn(5) {
		case 0:
			genList(rng, b)
		case 1:
			genOperand(rng, b, depth, true)
		case 2:
			b.WriteString(pick(rng, genIdents))
		default:
			b.WriteString(pick(rng, genValues))
		}
	}
}

func genList(rng *rand.Rand, b *strings.Builder) {
	b.WriteString("(")
	n := rng.Intn(4)
	for i := range n {
		if i > 0 {
			b.WriteString(pick(rng, []string{",", ", ", " , ", ",,"}))
		}
		blank(rng, b)
		b.WriteString(pick(rng, genValues))
	}
	blank(rng, b)
	if rng.Intn(12) > 0 {
		b.WriteString(")")
	}
}

func genOperand(rng *rand.Rand, b *strings.Builder, depth int, right bool) {
	if depth > 3 || rng.Intn(3) > 0 {
		b.WriteString(pick(rng, genFields))
		if rng.Intn(4) == 0 {
			b.WriteString(pick(rng, genArgs))
		}
		return
	}
	b.WriteString(pick(rng, genTrans) + "(")
	blank(rng, b)
	n := 1 + rng.Intn(3)
	for i := range n {
		if i > 0 {
			b.WriteString(pick(rng, []string{",", ", ", " ,"}))
		}
		switch rng.Intn(5) {
		case 0:
			b.WriteString(pick(rng, genValues))
		case 1:
			b.WriteString("(")
			m := rng.Intn(3)
			for j := range m {
				if j > 0 {
					b.WriteString(pick(rng, []string{",", ", "}))
				}
				b.WriteString(pick(rng, genTLItems))
			}
			b.WriteString(pick(rng, []string{")", ")", " )", ""}))
		default:
			genOperand(rng, b, depth+1, right)
		}
	}
	blank(rng, b)
	if rng.Intn(10) > 0 {
		b.WriteString(")")
	}
	if rng.Intn(5) == 0 {
		b.WriteString(pick(rng, genArgs))
	}
}

// mutate inserts, deletes or replaces a few bytes.
func mutate(rng *rand.Rand, s string) string {
	bs := []byte(s)
	for range 1 + rng.Intn(3) {
		if len(bs) == 0 {
			bs = append(bs, "x.y = 1"...)
		}
		i := rng.Intn(len(bs))
		special := []byte("()[],=\"'\\ \t\n\r\b\v\x00\xc3\xa9!<>.0x")
		switch rng.Intn(3) {
		case 0:
			bs = append(bs[:i], append([]byte{special[rng.Intn(len(special))]}, bs[i:]...)...)
		case 1:
			bs = append(bs[:i], bs[i+1:]...)
		default:
			bs[i] = special[rng.Intn(len(special))]
		}
	}
	return string(bs)
}
