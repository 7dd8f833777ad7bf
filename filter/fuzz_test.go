package filter

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzParse: no input panics; an error is a SyntaxError positioned inside
// the input; a parsed filter prints, and when its text is reparsable it
// parses back to the same tree and is a fixpoint of String.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, in string) {
		for _, depth := range []int{0, 1000} {
			e, err := Parse(in, ParseOptions{MaxDepth: depth})
			if err != nil {
				checkSyntaxError(t, in, err)
				continue
			}
			if !Equal(e, Clone(e)) {
				t.Fatalf("%q: Clone differs", in)
			}
			if reparsable(e) {
				checkRoundTrip(t, in, e)
			} else {
				_ = String(e)
			}
			if _, err := ExpandMacros(e, func(string) (Expr, bool) { return e, true }); err != nil {
				var me *MacroError
				if !errors.As(err, &me) || !me.Loop {
					t.Fatalf("%q: ExpandMacros: %v", in, err)
				}
			}
		}
		if e, n, err := ParseFieldOrTransformer(in, ParseOptions{}); err != nil {
			checkSyntaxError(t, in, err)
		} else if n < 1 || n > len(in) || e == nil {
			t.Fatalf("ParseFieldOrTransformer(%q) used %d bytes", in, n)
		}
	})
}

func checkSyntaxError(t *testing.T, in string, err error) {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Parse(%q): %T %v", in, err, err)
	}
	if se.Offset < 0 || se.Offset > len(in) || se.Line < 1 || se.Col < 1 || se.Msg == "" && strings.IndexByte(in, 0) < 0 {
		t.Fatalf("Parse(%q): bad error %#v", in, se)
	}
	if want := lineCol(in, se.Offset); want != se.Pos {
		t.Fatalf("Parse(%q): error at %+v, offset says %+v", in, se.Pos, want)
	}
}

// lineCol is the position of offset i in s.
func lineCol(s string, i int) Pos {
	p := Pos{Offset: i, Line: 1, Col: 1}
	for k := 0; k < i; k++ {
		p.Col++
		if s[k] == '\r' || s[k] == '\n' {
			p.Line, p.Col = p.Line+1, 1
		}
	}
	return p
}

// seedInputs are the inputs of the committed fuzz corpus.
func seedInputs() []string { return fuzzInputs(filepath.Join("testdata", "fuzz", "FuzzParse")) }

// fuzzInputs reads the string inputs of a directory of fuzz corpus files.
func fuzzInputs(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, de := range entries {
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" {
			continue
		}
		lit, ok := strings.CutPrefix(lines[1], "string(")
		if !ok {
			continue
		}
		if s, err := strconv.Unquote(strings.TrimSuffix(lit, ")")); err == nil {
			out = append(out, s)
		}
	}
	return out
}

func TestFuzzCorpus(t *testing.T) {
	seeds := seedInputs()
	if len(seeds) < 40 {
		t.Fatalf("%d seeds", len(seeds))
	}
	ok := 0
	for _, s := range seeds {
		if _, err := Parse(s, ParseOptions{}); err == nil {
			ok++
		}
	}
	if ok < 20 || ok == len(seeds) {
		t.Errorf("%d of %d seeds parse; want a mix", ok, len(seeds))
	}
}

const megabyte = 1 << 20

func TestDepthLimit(t *testing.T) {
	deep := strings.Repeat("(", megabyte)
	notParen := strings.Repeat("not(", megabyte/4)
	tr := "x.y = " + strings.Repeat("tolower(", megabyte/8)
	for _, c := range []struct {
		name, in string
		depth    int
		want     string
	}{
		{"parens", deep, 0, "filter error at index 20, line 1, column 21: exceeded max depth limit of 100"},
		{"parens-1000", deep, 1000, "filter error at index 200, line 1, column 201: exceeded max depth limit of 1000"},
		{"parens-huge", deep, 1 << 30, "filter error at index 20000, line 1, column 20001: exceeded max depth limit of 100000"},
		{"not(", notParen, 0, "filter error at index 100, line 1, column 101: exceeded max depth limit of 100"},
		{"not(-1000", notParen, 1000, "filter error at index 1000, line 1, column 1001: exceeded max depth limit of 1000"},
		{"transformers", tr, 1000, "filter error at index 3982, line 1, column 3983: exceeded max depth limit of 1000"},
		// The guard's level leaks when try_parse_list_expr swallows its error.
		{"leak", strings.Repeat("(", 18) + "x.y in ()" + strings.Repeat(")", 18), 97, "filter error at index 45, line 1, column 46: parser fatal error: recursion is unbalanced"},
	} {
		start := time.Now()
		_, err := Parse(c.in, ParseOptions{MaxDepth: c.depth})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v", c.name, d)
		}
	}
	// `not` followed by a blank is a loop in libsinsp, not a recursion:
	// any number of them parses, and they cancel out in pairs.
	nots := strings.Repeat("not ", megabyte/4)
	for _, in := range []string{nots + "a", nots + "not a"} {
		e, err := Parse(in, ParseOptions{})
		if err != nil {
			t.Fatalf("not not ...: %v", err)
		}
		if got, want := String(e), map[bool]string{true: "a", false: "not a"}[in == nots+"a"]; got != want {
			t.Errorf("not not ...: %q, want %q", got, want)
		}
	}
	// One level of parentheses costs 5 guarded calls: 19 levels fit in
	// 100, 20 do not.
	for k, ok := range map[int]bool{19: true, 20: false} {
		_, err := Parse(strings.Repeat("(", k)+"a"+strings.Repeat(")", k), ParseOptions{})
		if (err == nil) != ok {
			t.Errorf("%d levels: %v", k, err)
		}
	}
	if _, err := Parse(strings.Repeat("(", 199)+"a"+strings.Repeat(")", 199), ParseOptions{MaxDepth: 1000}); err != nil {
		t.Errorf("199 levels at 1000: %v", err)
	}
}

// TestLinearTime parses inputs of size n and 8n for shapes that stress
// the lexer and the parser; the larger must not take more than 30 times as
// long (8 is linear).
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	shapes := []struct {
		name  string
		gen   func(n int) string
		depth int
	}{
		{"nesting", func(n int) string { return strings.Repeat("(", n/32) + "a" + strings.Repeat(")", n/32) }, MaxDepthLimit},
		{"nesting-error", func(n int) string { return strings.Repeat("(", n) }, MaxDepthLimit},
		{"transformers", func(n int) string {
			return strings.Repeat("tolower(", n/16) + "a.b" + strings.Repeat(")", n/16) + " exists"
		}, MaxDepthLimit},
		{"or-chain", func(n int) string { return strings.Repeat("a.b = c or ", n/11) + "a" }, 0},
		{"and-or", func(n int) string { return strings.Repeat("a and b or ", n/11) + "a" }, 0},
		{"nots", func(n int) string { return strings.Repeat("not ", n/4) + "a" }, 0},
		{"list", func(n int) string { return "x.y in (" + strings.Repeat("a, ", n/3) + "b)" }, 0},
		{"list-quoted", func(n int) string { return "x.y in (" + strings.Repeat(`"a\"", `, n/7) + "b)" }, 0},
		{"backslashes", func(n int) string { return `x.y = "` + strings.Repeat(`\\\"`, n/4) + `"` }, 0},
		{"unterminated", func(n int) string { return `x.y in ("` + strings.Repeat(`\"`, n/2) }, 0},
		{"quote-pairs", func(n int) string { return "x.y = " + strings.Repeat(`''`, n/2) }, 0},
		{"bare", func(n int) string { return "x.y = " + strings.Repeat("a", n) }, 0},
		{"bare-utf8", func(n int) string { return "x.y = " + strings.Repeat("é", n/2) + " z" }, 0},
		{"blanks", func(n int) string { return "a" + strings.Repeat(" \n\t\r\b", n/5) + "and b" }, 0},
		{"field-args", func(n int) string { return strings.Repeat("x.y[abc] exists and ", n/20) + "a" }, 0},
		{"modifiers", func(n int) string { return strings.Repeat("x.y = anyof and ", n/16) + "a" }, 0},
		{"unexpected", func(n int) string { return "x.y = " + strings.Repeat("a", n) + " b" }, 0},
	}
	const n = 1 << 15
	for _, s := range shapes {
		small, large := s.gen(n), s.gen(8*n)
		t1 := minParseTime(small, s.depth)
		t8 := minParseTime(large, s.depth)
		t.Logf("%s: %v for %d bytes, %v for %d", s.name, t1, len(small), t8, len(large))
		// 8x the input: linear is ~8x, quadratic 64x; the margin absorbs a loaded machine.
		if t8 > 45*t1 && t8 > 50*time.Millisecond {
			t.Errorf("%s: %d bytes in %v, %d bytes in %v", s.name, len(small), t1, len(large), t8)
		}
	}
}

func minParseTime(in string, depth int) time.Duration {
	best := time.Duration(1 << 62)
	for range 5 {
		start := time.Now()
		Parse(in, ParseOptions{MaxDepth: depth})
		if d := time.Since(start); d < best {
			best = d
		}
	}
	return best
}
