package fieldref_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/fieldref"
)

func TestScan(t *testing.T) {
	tests := []struct {
		in   string
		want fieldref.Ref
		n    int // bytes used; 0 with err
		err  string
		off  int
	}{
		// Names: two or more segments, each starting with a letter; the
		// longest such prefix.
		{in: "a.b", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "ka.user.name", want: fieldref.Ref{Name: "ka.user.name"}, n: 12},
		{in: "A_1.b_2.C3", want: fieldref.Ref{Name: "A_1.b_2.C3"}, n: 10},
		{in: "a.b.", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b.1", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b._c", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b..c", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b c", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b=1", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b]", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b-c", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b ", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a.b [x]", want: fieldref.Ref{Name: "a.b"}, n: 3},
		{in: "a", err: fieldref.MsgNoName},
		{in: "", err: fieldref.MsgNoName},
		{in: "a.", err: fieldref.MsgNoName},
		{in: "a.1", err: fieldref.MsgNoName},
		{in: "1.a", err: fieldref.MsgNoName},
		{in: "_a.b", err: fieldref.MsgNoName},
		{in: ".a.b", err: fieldref.MsgNoName},
		{in: " a.b", err: fieldref.MsgNoName},
		{in: "%a.b", err: fieldref.MsgNoName},
		{in: "é.b", err: fieldref.MsgNoName},

		// Bare arguments: anything but brackets, quotes and blanks.
		{in: "a.b[x]", want: fieldref.Ref{"a.b", "x", true}, n: 6},
		{in: "json.value[/user/name]", want: fieldref.Ref{"json.value", "/user/name", true}, n: 22},
		{in: "a.b[0]", want: fieldref.Ref{"a.b", "0", true}, n: 6},
		{in: "a.b[x=y,z(1)<2>!:]", want: fieldref.Ref{"a.b", "x=y,z(1)<2>!:", true}, n: 18},
		{in: `a.b[c\d]`, want: fieldref.Ref{"a.b", `c\d`, true}, n: 8},
		{in: `a.b[c\]`, want: fieldref.Ref{"a.b", `c\`, true}, n: 7},
		{in: "a.b[x] rest", want: fieldref.Ref{"a.b", "x", true}, n: 6},
		{in: "a.b[x]]", want: fieldref.Ref{"a.b", "x", true}, n: 6},
		{in: "a.b[x][y]", want: fieldref.Ref{"a.b", "x", true}, n: 6},
		{in: "a.b[é€😀]", want: fieldref.Ref{"a.b", "é€😀", true}, n: 4 + 2 + 3 + 4 + 1},
		{in: "a.b[\b\x00\x7f]", want: fieldref.Ref{"a.b", "\b\x00\x7f", true}, n: 8},
		// RE2's UTF-8: overlong E0/F0 forms and F4 past U+10FFFF pass;
		// stray continuation bytes, C0, C1, F5-FF and cut sequences stop.
		{in: "a.b[\xe0\x80\x80]", want: fieldref.Ref{"a.b", "\xe0\x80\x80", true}, n: 8},
		{in: "a.b[\xf4\x90\x80\x80]", want: fieldref.Ref{"a.b", "\xf4\x90\x80\x80", true}, n: 9},
		{in: "a.b[\xed\xa0\x80]", want: fieldref.Ref{"a.b", "\xed\xa0\x80", true}, n: 8},
		{in: "a.b[x\x80]", err: fieldref.MsgNoClose, off: 5},
		{in: "a.b[\xc0\x80]", err: fieldref.MsgBadArg, off: 4},
		{in: "a.b[\xff]", err: fieldref.MsgBadArg, off: 4},
		{in: "a.b[\xc3]", err: fieldref.MsgBadArg, off: 4},
		{in: "a.b[\xe2\x82]", err: fieldref.MsgBadArg, off: 4},

		// Quoted arguments, unescaped.
		{in: `a.b["x"]`, want: fieldref.Ref{"a.b", "x", true}, n: 8},
		{in: `a.b['x']`, want: fieldref.Ref{"a.b", "x", true}, n: 8},
		{in: `a.b[""]`, want: fieldref.Ref{"a.b", "", true}, n: 7},
		{in: `a.b['']`, want: fieldref.Ref{"a.b", "", true}, n: 7},
		{in: `a.b["/a b"]`, want: fieldref.Ref{"a.b", "/a b", true}, n: 11},
		{in: `a.b["a]b[c"]`, want: fieldref.Ref{"a.b", "a]b[c", true}, n: 12},
		{in: `a.b["'"]`, want: fieldref.Ref{"a.b", "'", true}, n: 8},
		{in: `a.b['"']`, want: fieldref.Ref{"a.b", `"`, true}, n: 8},
		{in: `a.b["\""]`, want: fieldref.Ref{"a.b", `"`, true}, n: 9},
		{in: `a.b["\b\f\n\r\t\\\/"]`, want: fieldref.Ref{"a.b", "\b\f\n\r\t\\/", true}, n: 21},
		{in: `a.b["a\ "]`, want: fieldref.Ref{"a.b", `a\`, true}, n: 10},
		// A backslash before the delimiter keeps the string open, even
		// an escaped one: "\\" goes on to the next quote.
		{in: `a.b["\\" x"]`, want: fieldref.Ref{"a.b", `\" x`, true}, n: 12},

		// Argument errors, where libsinsp's parser stands.
		{in: "a.b[", err: fieldref.MsgBadArg, off: 4},
		{in: "a.b[]", err: fieldref.MsgBadArg, off: 4},
		{in: "a.b[ x]", err: fieldref.MsgBadArg, off: 4},
		{in: "a.b[[x]]", err: fieldref.MsgBadArg, off: 4},
		{in: `a.b["x]`, err: fieldref.MsgBadArg, off: 4},
		{in: `a.b["x\"]`, err: fieldref.MsgBadArg, off: 4},
		{in: `a.b["a\\"]`, err: fieldref.MsgBadArg, off: 4},
		{in: "a.b[\"x\x00\"]", err: fieldref.MsgBadArg, off: 4},
		{in: "a.b[x", err: fieldref.MsgNoClose, off: 5},
		{in: "a.b[x y]", err: fieldref.MsgNoClose, off: 5},
		{in: "a.b[x\t]", err: fieldref.MsgNoClose, off: 5},
		{in: "a.b[x\v]", err: fieldref.MsgNoClose, off: 5},
		{in: "a.b[a[0]]", err: fieldref.MsgNoClose, off: 5},
		{in: `a.b[x"y"]`, err: fieldref.MsgNoClose, off: 5},
		{in: `a.b["x"y]`, err: fieldref.MsgNoClose, off: 7},
		{in: `a.b["x" ]`, err: fieldref.MsgNoClose, off: 7},
		{in: `a.b["x"`, err: fieldref.MsgNoClose, off: 7},
		{in: `a.b["\'"]`, err: `invalid \' escape in "-quoted string`, off: 8},
		{in: `a.b['\"']`, err: `invalid \" escape in '-quoted string`, off: 8},
		{in: `a.b["\x41"]`, err: `unsupported string escape sequence: \x`, off: 10},
		{in: `a.b["\u0041"]`, err: `unsupported string escape sequence: \u`, off: 12},
		{in: `a.b["\a"] and more`, err: `unsupported string escape sequence: \a`, off: 8},
		{in: "a.b[\"\\\xc3\xa9\"]", err: "unsupported string escape sequence: \\\xc3", off: 9},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, n, err := fieldref.Scan(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				var fe *fieldref.Error
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, &fieldref.Error{Offset: tt.off, Msg: tt.err}, fe)
				assert.Equal(t, tt.err, err.Error())
				assert.Zero(t, r)
				assert.Zero(t, n)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, r)
			assert.Equal(t, tt.n, n)
		})
	}
}

func TestParse(t *testing.T) {
	r, err := fieldref.Parse(`json.value["/a b"]`)
	require.NoError(t, err)
	assert.Equal(t, fieldref.Ref{Name: "json.value", Arg: "/a b", HasArg: true}, r)

	for in, want := range map[string]*fieldref.Error{
		"a.b x":     {Offset: 3, Msg: fieldref.MsgTrailing},
		"a.b.":      {Offset: 3, Msg: fieldref.MsgTrailing},
		"a.b[x]]":   {Offset: 6, Msg: fieldref.MsgTrailing},
		"a.b[x":     {Offset: 5, Msg: fieldref.MsgNoClose},
		"a":         {Offset: 0, Msg: fieldref.MsgNoName},
		"a.b[x] ":   {Offset: 6, Msg: fieldref.MsgTrailing},
		`a.b["\q"]`: {Offset: 8, Msg: `unsupported string escape sequence: \q`},
	} {
		_, err := fieldref.Parse(in)
		var fe *fieldref.Error
		if assert.ErrorAs(t, err, &fe, in) {
			assert.Equal(t, want, fe, in)
		}
	}
}

func TestScanQuoted(t *testing.T) {
	tests := []struct {
		in    string
		value string
		n     int
		err   string
	}{
		{in: `"abc" rest`, value: "abc", n: 5},
		{in: `'abc'`, value: "abc", n: 5},
		{in: `"a'b"`, value: "a'b", n: 5},
		{in: `'a"b'`, value: `a"b`, n: 5},
		{in: `'a\'b'`, value: "a'b", n: 6},
		{in: `"a\/b"`, value: "a/b", n: 6},
		{in: `"a\ b"`, value: `a\b`, n: 6},
		{in: `"\\\\"`, n: 0}, // ends in a backslash before the quote: never closes
		{in: `"a\\b"`, value: `a\b`, n: 6},
		{in: `""`, value: "", n: 2},
		{in: `"`, n: 0},
		{in: `"abc`, n: 0},
		{in: "\"a\x00\"", n: 0},
		{in: `abc`, n: 0},
		{in: ``, n: 0},
		{in: ` "a"`, n: 0},
		{in: `"\'"`, n: 4, err: `invalid \' escape in "-quoted string`},
		{in: `'\"'`, n: 4, err: `invalid \" escape in '-quoted string`},
		{in: `"\0"`, n: 4, err: `unsupported string escape sequence: \0`},
		{in: `"\v"`, n: 4, err: `unsupported string escape sequence: \v`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, n, err := fieldref.ScanQuoted(tt.in)
			assert.Equal(t, tt.n, n)
			if tt.err != "" {
				assert.Equal(t, &fieldref.Error{Offset: tt.n, Msg: tt.err}, err)
				assert.Empty(t, v)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.value, v)
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		ref      fieldref.Ref
		str, ast string // ast empty: same as str
	}{
		{ref: fieldref.Ref{Name: "a.b"}, str: "a.b"},
		{ref: fieldref.Ref{Name: "a.b", Arg: "ignored"}, str: "a.b"},
		{ref: fieldref.Ref{Name: "a.b", HasArg: true}, str: `a.b[""]`},
		{ref: fieldref.Ref{"a.b", "/user/name", true}, str: "a.b[/user/name]"},
		{ref: fieldref.Ref{"a.b", "0", true}, str: "a.b[0]"},
		{ref: fieldref.Ref{"a.b", "x,y(1)<>!:\x01\x7f", true}, str: "a.b[x,y(1)<>!:\x01\x7f]"},
		{ref: fieldref.Ref{"a.b", "/a b", true}, str: `a.b["/a b"]`},
		{ref: fieldref.Ref{"a.b", "k=v", true}, str: `a.b["k=v"]`},
		{ref: fieldref.Ref{"a.b", `it's`, true}, str: `a.b["it's"]`},
		{ref: fieldref.Ref{"a.b", `say "hi"`, true}, str: `a.b["say \"hi\""]`},
		{ref: fieldref.Ref{"a.b", `c:\d`, true}, str: `a.b["c:\\d"]`},
		{ref: fieldref.Ref{"a.b", "\b\f\n\r\t", true}, str: `a.b["\b\f\n\r\t"]`},
		{ref: fieldref.Ref{"a.b", "\x01 \x1f", true}, str: "a.b[\"\x01 \x1f\"]"},
		// Where libsinsp's text does not lex back.
		{ref: fieldref.Ref{"a.b", "a]b", true}, str: `a.b["a]b"]`, ast: "a.b[a]b]"},
		{ref: fieldref.Ref{"a.b", "a[0", true}, str: `a.b["a[0"]`, ast: "a.b[a[0]"},
		{ref: fieldref.Ref{"a.b", "a\vb", true}, str: "a.b[\"a\vb\"]", ast: "a.b[a\vb]"},
		{ref: fieldref.Ref{"a.b", "\xff", true}, str: "a.b[\"\xff\"]", ast: "a.b[\xff]"},
		{ref: fieldref.Ref{"a.b", `a\`, true}, str: `a.b["a\ "]`, ast: `a.b["a\\"]`},
		{ref: fieldref.Ref{"a.b", `a b\\`, true}, str: `a.b["a b\\\ "]`, ast: `a.b["a b\\\\"]`},
		{ref: fieldref.Ref{"a.b", "a\x00\\", true}, str: "a.b[a\x00\\]", ast: "a.b[\"a\x00\\\\\"]"},
		{ref: fieldref.Ref{"a.b", "\x00", true}, str: "a.b[\x00]"},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			assert.Equal(t, tt.str, tt.ref.String())
			ast := tt.ast
			if ast == "" {
				ast = tt.str
			}
			assert.Equal(t, ast, tt.ref.ASTString())
			if !tt.ref.HasArg {
				return
			}
			back, err := fieldref.Parse(tt.ref.String())
			require.NoError(t, err)
			assert.Equal(t, tt.ref, back)
		})
	}
}

func TestEscapeStr(t *testing.T) {
	for in, want := range map[string]string{
		"":       "",
		"abc":    "abc",
		"a b":    `"a b"`,
		"a=b":    `"a=b"`,
		"'":      `"'"`,
		`"`:      `"\""`,
		`\`:      `"\\"`,
		"\t\n":   `"\t\n"`,
		"\x01\v": "\x01\v",
		"(a,b)":  "(a,b)",
		"<NA>":   "<NA>",
		"a]b":    "a]b",
		"é b":    `"é b"`,
	} {
		assert.Equal(t, want, fieldref.EscapeStr(in), "%q", in)
	}
}

func TestJoined(t *testing.T) {
	assert.Equal(t, "a.b", fieldref.Ref{Name: "a.b"}.Joined())
	assert.Equal(t, "a.b[]", fieldref.Ref{Name: "a.b", HasArg: true}.Joined())
	assert.Equal(t, "a.b[x y]", fieldref.Ref{"a.b", "x y", true}.Joined())
}

func TestNames(t *testing.T) {
	for s, want := range map[string]int{"a.b": 3, "a.b.c": 5, "ab": 0, "a.b.": 3, "a.b[x]": 3, "x.y_z9.Q": 8, "": 0} {
		assert.Equal(t, want, fieldref.ScanName(s), s)
		assert.Equal(t, want > 0 && want == len(s), fieldref.IsName(s), s)
	}
}

func TestParseIndex(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		err  string
		kind error
	}{
		{in: "0", want: 0},
		{in: "7", want: 7},
		{in: "1234567890", want: 1234567890},
		{in: "18446744073709551615", want: 1<<64 - 1},
		{in: "", err: "invalid index argument starting with 0: ", kind: fieldref.ErrIndexLeadingZero},
		{in: "00", err: "invalid index argument starting with 0: 00", kind: fieldref.ErrIndexLeadingZero},
		{in: "01", err: "invalid index argument starting with 0: 01", kind: fieldref.ErrIndexLeadingZero},
		{in: "0x1", err: "invalid index argument not composed only by digits: 0x1", kind: fieldref.ErrIndexNotDigits},
		{in: "x", err: "invalid index argument not composed only by digits: x", kind: fieldref.ErrIndexNotDigits},
		{in: "-1", err: "invalid index argument not composed only by digits: -1", kind: fieldref.ErrIndexNotDigits},
		{in: "+1", err: "invalid index argument not composed only by digits: +1", kind: fieldref.ErrIndexNotDigits},
		{in: " 1", err: "invalid index argument not composed only by digits:  1", kind: fieldref.ErrIndexNotDigits},
		{in: "1.5", err: "invalid index argument not composed only by digits: 1.5", kind: fieldref.ErrIndexNotDigits},
		{in: "١", err: "invalid index argument not composed only by digits: ١", kind: fieldref.ErrIndexNotDigits},
		{in: "18446744073709551616", err: "invalid index argument not representable on 64 bit: 18446744073709551616", kind: fieldref.ErrIndexRange},
		{in: "99999999999999999999999", err: "invalid index argument not representable on 64 bit: 99999999999999999999999", kind: fieldref.ErrIndexRange},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := fieldref.ParseIndex(tt.in)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				assert.ErrorIs(t, err, tt.kind)
				assert.Zero(t, v)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, v)
		})
	}
}

func TestCheckArg(t *testing.T) {
	var (
		none     = fieldref.ArgSpec{}
		key      = fieldref.ArgSpec{Key: true}
		keyReq   = fieldref.ArgSpec{Key: true, Required: true}
		index    = fieldref.ArgSpec{Index: true}
		indexReq = fieldref.ArgSpec{Index: true, Required: true}
		both     = fieldref.ArgSpec{Index: true, Key: true}
		reqOnly  = fieldref.ArgSpec{Required: true} // rejected by the loader; libsinsp's order still applies
	)
	tests := []struct {
		ref     string // parsed with fieldref.Parse
		spec    fieldref.ArgSpec
		index   uint64
		isIndex bool
		err     string
		kind    error
	}{
		{ref: "a.b", spec: none},
		{ref: "a.b", spec: key},
		{ref: "a.b", spec: index},
		{ref: "a.b", spec: both},
		{ref: "a.b[k]", spec: key},
		{ref: `a.b[""]`, spec: key},
		{ref: `a.b[/x/y]`, spec: keyReq},
		{ref: "a.b[3]", spec: key}, // a key field sees "3" as a key
		{ref: "a.b[3]", spec: index, index: 3, isIndex: true},
		{ref: "a.b[0]", spec: indexReq, index: 0, isIndex: true},
		{ref: "a.b[18446744073709551615]", spec: index, index: 1<<64 - 1, isIndex: true},
		{ref: "a.b[3]", spec: both, index: 3, isIndex: true},
		{ref: "a.b[03]", spec: both},
		{ref: "a.b[k]", spec: both},
		{ref: `a.b[""]`, spec: both},
		{ref: "a.b[x]", spec: reqOnly},
		{ref: `a.b["a[0"]`, spec: key},
		{ref: "a.b[\"\t\"]", spec: key},

		{ref: "a.b", spec: keyReq, kind: fieldref.ErrArgRequired,
			err: "filter 'a.b': a.b requires an argument but none provided"},
		{ref: "a.b", spec: indexReq, kind: fieldref.ErrArgRequired,
			err: "filter 'a.b': a.b requires an argument but none provided"},
		{ref: "a.b[1]", spec: none, kind: fieldref.ErrArgNotAllowed,
			err: "filter 'a.b[1]': a.b does not allow nor require an argument but one is provided: 1"},
		{ref: `a.b[""]`, spec: none, kind: fieldref.ErrArgNotAllowed,
			err: "filter 'a.b[]': a.b does not allow nor require an argument but one is provided: "},
		{ref: "a.b[x]", spec: index, kind: fieldref.ErrIndexNotDigits,
			err: "filter a.b[x] a.b has an invalid index argument not composed only by digits: x"},
		{ref: "a.b[/etc]", spec: indexReq, kind: fieldref.ErrArgIndex,
			err: "filter a.b[/etc] a.b has an invalid index argument not composed only by digits: /etc"},
		{ref: "a.b[01]", spec: index, kind: fieldref.ErrIndexLeadingZero,
			err: "filter a.b[01] a.b has an invalid index argument starting with 0: 01"},
		{ref: `a.b[""]`, spec: index, kind: fieldref.ErrIndexLeadingZero,
			err: "filter a.b[] a.b has an invalid index argument starting with 0: "},
		{ref: "a.b[18446744073709551616]", spec: index, kind: fieldref.ErrIndexRange,
			err: "filter a.b[18446744073709551616] a.b has an invalid index argument not representable on 64 bit: 18446744073709551616"},

		// Spaces and ']' in a quoted argument: libsinsp cuts the joined
		// text at the first space and ends the argument at the first ']'.
		{ref: `a.b["/a b"]`, spec: key, kind: fieldref.ErrArgBrackets,
			err: "filter 'a.b[/a': a.b has unbalanced argument brackets"},
		{ref: `a.b[" x"]`, spec: key, kind: fieldref.ErrArgBrackets,
			err: "filter 'a.b[': a.b terminates with incomplete argument brackets"},
		{ref: `a.b[" "]`, spec: key, kind: fieldref.ErrArgBrackets,
			err: "filter 'a.b[': a.b terminates with incomplete argument brackets"},
		{ref: "a.b[\"\t x\"]", spec: key, kind: fieldref.ErrArgBrackets,
			err: "filter 'a.b[': a.b terminates with incomplete argument brackets"},
		{ref: "a.b[\"x\t y\"]", spec: key, kind: fieldref.ErrArgBrackets,
			err: "filter 'a.b[x': a.b has unbalanced argument brackets"},
		{ref: `a.b["a b"]`, spec: none, kind: fieldref.ErrArgBrackets,
			err: "filter 'a.b[a': a.b has unbalanced argument brackets"},
		{ref: `a.b["a]b"]`, spec: key, kind: fieldref.ErrArgBrackets,
			err: "filter_check called with nonexistent field a.b[a]b]"},
		{ref: `a.b["]"]`, spec: key, kind: fieldref.ErrArgBrackets,
			err: "filter_check called with nonexistent field a.b[]]"},
		{ref: `a.b["1]2"]`, spec: index, kind: fieldref.ErrArgBrackets,
			err: "filter_check called with nonexistent field a.b[1]2]"},
		{ref: `a.b["a]b c"]`, spec: key, kind: fieldref.ErrArgBrackets,
			err: "filter_check called with nonexistent field a.b[a]b c]"},
		// ... after the checks on the part before ']'.
		{ref: `a.b["a]b"]`, spec: none, kind: fieldref.ErrArgNotAllowed,
			err: "filter 'a.b[a]b]': a.b does not allow nor require an argument but one is provided: a"},
		{ref: `a.b["x]2"]`, spec: index, kind: fieldref.ErrArgIndex,
			err: "filter a.b[x]2] a.b has an invalid index argument not composed only by digits: x"},
		{ref: `a.b["a]b c"]`, spec: none, kind: fieldref.ErrArgNotAllowed,
			err: "filter 'a.b[a]b': a.b does not allow nor require an argument but one is provided: a"},
	}
	for _, tt := range tests {
		t.Run(tt.ref+"/"+specName(tt.spec), func(t *testing.T) {
			r, err := fieldref.Parse(tt.ref)
			require.NoError(t, err)
			index, isIndex, err := r.CheckArg(tt.spec)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				assert.ErrorIs(t, err, tt.kind)
				var ae *fieldref.ArgError
				require.ErrorAs(t, err, &ae)
				assert.Zero(t, index)
				assert.False(t, isIndex)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.index, index)
			assert.Equal(t, tt.isIndex, isIndex)
		})
	}
}

func TestCheckArgIndexErrorWrapsBoth(t *testing.T) {
	_, _, err := fieldref.Ref{Name: "a.b", Arg: "01", HasArg: true}.CheckArg(fieldref.ArgSpec{Index: true})
	assert.True(t, errors.Is(err, fieldref.ErrArgIndex) && errors.Is(err, fieldref.ErrIndexLeadingZero))
	assert.False(t, errors.Is(err, fieldref.ErrArgBrackets))
}

// Refs that are not Scan's output must not panic CheckArg.
func TestCheckArgOddNames(t *testing.T) {
	for _, r := range []fieldref.Ref{
		{Name: "a b", Arg: "x", HasArg: true},
		{Name: "a[b", Arg: "x", HasArg: true},
		{Name: " a.b", Arg: "x", HasArg: true},
	} {
		_, _, err := r.CheckArg(fieldref.ArgSpec{Key: true})
		assert.ErrorIs(t, err, fieldref.ErrArgBrackets, "%+v", r)
	}
	assert.NotPanics(t, func() { _, _, _ = fieldref.Ref{Arg: "]", HasArg: true}.CheckArg(fieldref.ArgSpec{Index: true}) })
}

func specName(s fieldref.ArgSpec) string {
	var parts []string
	for _, p := range []struct {
		on   bool
		name string
	}{{s.Required, "required"}, {s.Index, "index"}, {s.Key, "key"}} {
		if p.on {
			parts = append(parts, p.name)
		}
	}
	if parts == nil {
		return "none"
	}
	return strings.Join(parts, "+")
}
