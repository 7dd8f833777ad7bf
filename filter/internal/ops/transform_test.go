package ops

import (
	"reflect"
	"testing"
)

func TestLookupTransformer(t *testing.T) {
	for i, name := range []string{"tolower", "toupper", "b64", "basename", "len"} {
		tr, ok := LookupTransformer(name)
		if !ok || tr.String() != name {
			t.Errorf("LookupTransformer(%q) = %v %v", name, tr, ok)
		}
		_ = i
	}
	for _, name := range []string{"storage", "join", "val", "TOLOWER", ""} {
		if _, ok := LookupTransformer(name); ok {
			t.Errorf("LookupTransformer(%q) ok", name)
		}
	}
	if got := UnknownTransformerError("join").Error(); got != "unknown field transfomer 'join'" {
		t.Error(got)
	}
}

func TestTransformedType(t *testing.T) {
	cases := []struct {
		tr    Transformer
		t     Type
		list  bool
		rt    Type
		rlist bool
		err   string
	}{
		{ToLower, String, false, String, false, ""},
		{ToLower, String, true, String, true, ""},
		{ToUpper, String, false, String, false, ""},
		{Basename, String, true, String, true, ""},
		{B64, String, false, String, false, ""},
		{B64, Bytes, false, Bytes, false, ""},
		{B64, Bytes, true, Bytes, true, ""},
		{Len, String, false, Uint64, false, ""},
		{Len, Bytes, false, Uint64, false, ""},
		{Len, String, true, Uint64, false, ""},
		{Len, Uint64, true, Uint64, false, ""},
		{Len, IPNet, true, Uint64, false, ""},
		{ToLower, Uint64, false, 0, false, "can't add field transformer: type 'UINT64' is not supported by 'tolower' transformer applied on field 'F'"},
		{ToLower, Uint64, true, 0, false, "can't add field transformer: type 'UINT64' is not supported by 'tolower' transformer applied on list field 'F'"},
		{ToUpper, Bytes, false, 0, false, "can't add field transformer: type 'BYTEBUF' is not supported by 'toupper' transformer applied on field 'F'"},
		{Basename, IPAddr, false, 0, false, "can't add field transformer: type 'IPADDR' is not supported by 'basename' transformer applied on field 'F'"},
		{B64, Bool, false, 0, false, "can't add field transformer: type 'BOOL' is not supported by 'b64' transformer applied on field 'F'"},
		{B64, RelTime, true, 0, false, "can't add field transformer: type 'RELTIME' is not supported by 'b64' transformer applied on list field 'F'"},
		{Len, Uint64, false, 0, false, "can't add field transformer: type 'UINT64' is not supported by 'len' transformer applied on field 'F'"},
		{Len, IPNet, false, 0, false, "can't add field transformer: type 'IPNET' is not supported by 'len' transformer applied on field 'F'"},
		{ToLower, AbsTime, false, 0, false, "can't add field transformer: type 'ABSTIME' is not supported by 'tolower' transformer applied on field 'F'"},
	}
	for _, c := range cases {
		rt, rlist, err := c.tr.TransformedType("F", c.t, c.list)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.err || (err == nil && (rt != c.rt || rlist != c.rlist)) {
			t.Errorf("%v.TransformedType(%v, %v) = %v %v %q, want %v %v %q", c.tr, c.t, c.list, rt, rlist, got, c.rt, c.rlist, c.err)
		}
	}
}

func TestApply(t *testing.T) {
	cases := []struct {
		tr   Transformer
		t    Type
		in   *Vals
		ok   bool
		want []string // string results
		num  []uint64 // len results
	}{
		{ToUpper, String, strs("hello"), true, []string{"HELLO"}, nil},
		{ToUpper, String, strs("WORLD"), true, []string{"WORLD"}, nil},
		{ToUpper, String, strs("eXcItED"), true, []string{"EXCITED"}, nil},
		{ToUpper, String, strs(""), true, []string{""}, nil},
		{ToUpper, String, list(strs("hello", "wOrLd", "ONE_1234")), true, []string{"HELLO", "WORLD", "ONE_1234"}, nil},
		{ToLower, String, strs("NoT eXcItED"), true, []string{"not excited"}, nil},
		{ToLower, String, strs("\xc3\x89A"), true, []string{"\xc3\x89a"}, nil},
		{ToLower, String, nulterm(strs("ABC")), true, []string{"abc"}, nil},
		{ToLower, String, missing(), false, nil, nil},
		{ToLower, Uint64, nums(1), false, nil, nil},
		{B64, String, strs("aGVsbG8="), true, []string{"hello"}, nil},
		{B64, String, strs("d29ybGQgIQ=="), true, []string{"world !"}, nil},
		{B64, String, strs(""), true, []string{""}, nil},
		{B64, String, strs("aGVsbG8"), true, []string{"hello"}, nil},
		{B64, String, strs("aGVsbG8=="), true, []string{"hello"}, nil},
		{B64, String, strs("YWFhLWJiYg"), true, []string{"aaa-bbb"}, nil},
		{B64, String, strs("YQ"), true, []string{"a"}, nil},
		{B64, String, strs("YR"), false, nil, nil},
		{B64, String, strs("YWI"), true, []string{"ab"}, nil},
		{B64, String, strs("YWJ"), false, nil, nil},
		{B64, String, strs("Y"), false, nil, nil},
		{B64, String, strs("YWJjZ"), false, nil, nil},
		{B64, String, strs("="), false, nil, nil},
		{B64, String, strs("=="), false, nil, nil},
		{B64, String, strs("a==="), false, nil, nil},
		{B64, String, strs("YW=J"), false, nil, nil},
		{B64, String, strs("!!!!"), false, nil, nil},
		{B64, String, strs("YW Jj"), false, nil, nil},
		{B64, String, strs("+/+/"), true, []string{"\xfb\xff\xbf"}, nil},
		{B64, String, strs("-_-_"), false, nil, nil},
		{B64, String, strs("AA=="), true, []string{"\x00"}, nil},
		{B64, String, list(strs("YQ==", "!")), false, nil, nil},
		{B64, String, list(strs("YQ==", "Yg==")), true, []string{"a", "b"}, nil},
		{B64, Bytes, strs("aGk="), true, []string{"hi\x00"}, nil},
		{B64, Bytes, strs("aGk=\x00\x00"), true, []string{"hi\x00"}, nil},
		{B64, Bytes, strs("AA=="), true, []string{"\x00"}, nil},
		{B64, Bytes, strs(""), true, []string{"\x00"}, nil},
		{Basename, String, strs("/home/ubuntu/hello.txt"), true, []string{"hello.txt"}, nil},
		{Basename, String, strs("/usr/local/bin/cat"), true, []string{"cat"}, nil},
		{Basename, String, strs("/"), true, []string{""}, nil},
		{Basename, String, strs("/hello/"), true, []string{""}, nil},
		{Basename, String, strs("hello"), true, []string{"hello"}, nil},
		{Basename, String, strs(""), true, []string{""}, nil},
		{Len, String, strs("/home/ubuntu/hello.txt"), true, nil, []uint64{22}},
		{Len, String, strs("/"), true, nil, []uint64{1}},
		{Len, String, strs(""), true, nil, []uint64{0}},
		{Len, String, nulterm(strs("abc")), true, nil, []uint64{3}},
		{Len, String, strs("a\x00b"), true, nil, []uint64{1}},
		{Len, String, list(strs("/hello")), true, nil, []uint64{1}},
		{Len, String, list(strs()), true, nil, []uint64{0}},
		{Len, Uint64, list(nums(1, 2, 3, 4, 5)), true, nil, []uint64{5}},
		{Len, Bytes, strs("\x01\x02\x03\x04\x05\x06"), true, nil, []uint64{6}},
		{Len, Bytes, strs("hi\x00"), true, nil, []uint64{3}},
		{Len, String, missing(), false, nil, nil},
		{Len, String, strs("a", "b"), false, nil, nil},
		{Len, Uint64, nums(7), false, nil, nil},
	}
	for _, c := range cases {
		var out Vals
		var scratch []byte
		ok := c.tr.Apply(c.t, c.in, &out, &scratch)
		if ok != c.ok {
			t.Errorf("%v(%v %s) ok = %v, want %v", c.tr, c.t, describe(c.in), ok, c.ok)
			continue
		}
		if !ok {
			if out.N != 0 {
				t.Errorf("%v(%s): failed with values", c.tr, describe(c.in))
			}
			continue
		}
		if c.num != nil {
			if !reflect.DeepEqual(out.Num[:out.N], c.num) || out.List {
				t.Errorf("%v(%s) = %v list=%v, want %v", c.tr, describe(c.in), out.Num, out.List, c.num)
			}
			continue
		}
		got := valsStrings(&out)
		if !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%v(%s) = %q, want %q", c.tr, describe(c.in), got, c.want)
		}
		if out.NulTerm != (c.t == String) || out.List != c.in.List {
			t.Errorf("%v(%s): NulTerm %v List %v", c.tr, describe(c.in), out.NulTerm, out.List)
		}
	}
}

// TestApplyChain: each stage has its own scratch; results are views.
func TestApplyChain(t *testing.T) {
	var a, b Vals
	var sa, sb []byte
	in := strs("/TMP/File")
	if !ToLower.Apply(String, in, &a, &sa) || !Basename.Apply(String, &a, &b, &sb) {
		t.Fatal("apply")
	}
	if got := valsStrings(&b); !reflect.DeepEqual(got, []string{"file"}) {
		t.Fatal(got)
	}
	// len(list) after tolower on a list
	l := list(strs("A", "B", "C"))
	var c, d Vals
	var sc, sd []byte
	if !ToLower.Apply(String, l, &c, &sc) || !Len.Apply(String, &c, &d, &sd) || d.Num[0] != 3 {
		t.Fatalf("len(tolower(list)) = %v", d.Num)
	}
	// ApplyList decides list-ness explicitly: libsinsp applies len() to a
	// getopt() result as to a single value
	if !Len.ApplyList(String, false, strs("abc"), &d, &sd) || d.Num[0] != 3 {
		t.Fatal("ApplyList")
	}
	// the transformed list no longer matches a constant list
	chk, _ := NewConstCheck(OpIn, ModNone, String, true, []string{"a", "b", "c"})
	if chk.Match(&c) {
		t.Error("tolower(list) in (...) matched")
	}
	if !chk.Match(list(strs("a", "b"))) {
		t.Error("plain list did not match")
	}
	// a transformed single value still does
	var e Vals
	var se []byte
	ToLower.Apply(String, strs("B"), &e, &se)
	chk2, _ := NewConstCheck(OpIn, ModNone, String, false, []string{"a", "b"})
	if !chk2.Match(&e) {
		t.Error("tolower(x) in (...) did not match")
	}
}

func TestMultiTransformerType(t *testing.T) {
	S, L := String, true
	cases := []struct {
		name   string
		types  []Type
		lists  []bool
		arg    string
		hasArg bool
		rt     Type
		rlist  bool
		err    string
	}{
		{"join", []Type{S, S}, []bool{false, L}, "", false, S, false, ""},
		{"join", []Type{Uint64, Uint64}, []bool{false, L}, "", false, S, false, ""},
		{"join", []Type{S}, []bool{false}, "", false, 0, false, "unknown field transfomer 'join'"},
		{"concat", []Type{S}, []bool{false}, "", false, 0, false, "unknown field transfomer 'concat'"},
		{"getopt", []Type{S}, []bool{L}, "", false, 0, false, "unknown field transfomer 'getopt'"},
		{"getopt", []Type{S}, []bool{L}, "n", true, 0, false, "filter error: transformer 'getopt' does not support field arguments"},
		{"join", []Type{S, S, S}, []bool{false, L, L}, "", false, 0, false, "join() requires exactly 2 arguments: separator and list"},
		{"join", []Type{S, S}, []bool{L, L}, "", false, 0, false, "join() first argument (separator) must be a single value, not a list"},
		{"join", []Type{S, S}, []bool{L, false}, "", false, 0, false, "join() first argument (separator) must be a single value, not a list"},
		{"join", []Type{S, S}, []bool{false, false}, "", false, 0, false, "join() second argument must be a list"},
		{"join", []Type{S, S}, []bool{false, L}, "x", true, 0, false, "transformer 'join' does not support field arguments"},
		{"concat", []Type{S, S}, []bool{false, false}, "", false, S, false, ""},
		{"concat", []Type{S, S, S}, []bool{false, false, false}, "", false, S, false, ""},
		{"concat", []Type{S, S}, []bool{L, false}, "", false, 0, false, "concat() arguments must be strings"},
		{"concat", []Type{S, Uint64}, []bool{false, false}, "", false, 0, false, "concat() arguments must be strings"},
		{"concat", []Type{S, S}, []bool{false, false}, "x", true, 0, false, "transformer 'concat' does not support field arguments"},
		{"getopt", []Type{S, S}, []bool{L, false}, "", false, S, true, ""},
		{"getopt", []Type{S, S}, []bool{L, false}, "t", true, S, false, ""},
		{"getopt", []Type{S, S}, []bool{L, false}, "", true, 0, false, "getopt() field argument must be a single option character"},
		{"getopt", []Type{S, S}, []bool{L, false}, "ab", true, 0, false, "getopt() field argument must be a single option character"},
		{"getopt", []Type{S, S, S}, []bool{L, false, false}, "", false, 0, false, "getopt() requires exactly 2 arguments: args list and optstring"},
		{"getopt", []Type{S, S}, []bool{false, false}, "", false, 0, false, "getopt() first argument must be a list"},
		{"getopt", []Type{S, S}, []bool{L, L}, "", false, 0, false, "getopt() second argument (optstring) must be a single value"},
		{"getopt", []Type{Uint64, S}, []bool{L, false}, "", false, 0, false, "getopt() arguments must be strings"},
		{"tolower", []Type{S, S}, []bool{false, false}, "", false, 0, false, "unknown multivalue transformer"},
		{"tolower", []Type{S}, []bool{false}, "x", true, 0, false, "filter error: transformer 'tolower' does not support field arguments"},
	}
	for _, c := range cases {
		rt, rlist, err := MultiTransformerTypeArg(c.name, c.types, c.lists, c.arg, c.hasArg)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.err || (err == nil && (rt != c.rt || rlist != c.rlist)) {
			t.Errorf("%s(%v %v)[%q %v] = %v %v %q, want %v %v %q", c.name, c.types, c.lists, c.arg, c.hasArg, rt, rlist, got, c.rt, c.rlist, c.err)
		}
	}
	if _, _, err := MultiTransformerType("getopt", []Type{S, S}, []bool{L, false}, nil, true); err != nil {
		t.Error(err)
	}
}

func TestJoinConcat(t *testing.T) {
	var out Vals
	var s []byte
	join := func(sep string, l *Vals) (string, bool) {
		ok := Join([]byte(sep), l, &out, &s)
		if !ok {
			return "", false
		}
		return string(out.Buf[0]), out.N == 1
	}
	cases := []struct {
		sep  string
		l    *Vals
		want string
		ok   bool
	}{
		{"-", list(strs("aaa", "bbb")), "aaa-bbb", true},
		{"->", list(strs("aaa", "bbb")), "aaa->bbb", true},
		{"->", list(strs("aaa")), "aaa", true},
		{",", list(strs()), "", true},
		{",", missing(), "", false},
		{"->", nulterm(list(strs("/TMP/FILE_TO_RUN", "aaa"))), "/TMP/FILE_TO_RUN->aaa", true},
		{"-", list(strs("a\x00b", "c")), "a-c", true},
		{"", list(strs("a", "b")), "ab", true},
		{",", list(nums(1, 1)), "\x01,\x01", true},
	}
	for _, c := range cases {
		got, ok := join(c.sep, c.l)
		if ok != c.ok || got != c.want {
			t.Errorf("join(%q, %s) = %q %v, want %q %v", c.sep, describe(c.l), got, ok, c.want, c.ok)
		}
	}
	// a transformed separator keeps its NUL (libsinsp reads it with its length)
	if !JoinVals(nulterm(strs("-")), list(strs("a", "b")), &out, &s) || string(out.Buf[0]) != "a-\x00b" {
		t.Errorf("JoinVals: %q", out.Buf)
	}
	if JoinVals(missing(), list(strs("a")), &out, &s) {
		t.Error("JoinVals with a missing separator")
	}
	// b64(join("W", ("YWFhL", "JiYg"))) = "aaa-bbb"
	Join([]byte("W"), list(strs("YWFhL", "JiYg")), &out, &s)
	var dec Vals
	var ds []byte
	if !B64.Apply(String, &out, &dec, &ds) || string(dec.Buf[0]) != "aaa-bbb" {
		t.Errorf("b64(join): %q", valsStrings(&dec))
	}

	concat := func(args ...*Vals) (string, bool) {
		if !Concat(args, &out, &s) {
			return "", false
		}
		return string(out.Buf[0]), true
	}
	for _, c := range []struct {
		args []*Vals
		want string
		ok   bool
	}{
		{[]*Vals{strs("aaa"), strs("bbb")}, "aaabbb", true},
		{[]*Vals{strs("aaa"), strs("bbb"), strs("ccc")}, "aaabbbccc", true},
		{[]*Vals{nulterm(strs("/TMP")), strs("aaa")}, "/TMPaaa", true},
		{[]*Vals{strs("a"), missing()}, "", false},
		{[]*Vals{strs("a\x00x"), strs("b")}, "ab", true},
		{[]*Vals{nums(22), strs("b")}, "\x16b", true},
		{[]*Vals{strs(""), strs("")}, "", true},
	} {
		got, ok := concat(c.args...)
		if ok != c.ok || got != c.want {
			t.Errorf("concat = %q %v, want %q %v", got, ok, c.want, c.ok)
		}
	}
}

// TestGetopt ports libsinsp's multivalue_transformer_getopt test: list
// results are checked with intersects, as there.
func TestGetopt(t *testing.T) {
	intersects := func(argv []string, optstring string, set ...string) bool {
		var out Vals
		var s []byte
		if !Getopt(list(strs(argv...)), []byte(optstring), 0, false, &out, &s) {
			return false
		}
		chk, err := NewConstCheck(OpIntersects, ModNone, String, true, set)
		if err != nil {
			t.Fatal(err)
		}
		return chk.Match(&out)
	}
	sel := func(argv []string, optstring string, opt byte) (string, bool) {
		var out Vals
		var s []byte
		if !Getopt(list(strs(argv...)), []byte(optstring), opt, true, &out, &s) {
			return "", false
		}
		if out.N != 1 || out.List {
			t.Fatalf("selector result %d values", out.N)
		}
		return string(out.Buf[0]), true
	}
	a := func(x ...string) []string { return x }
	type ic struct {
		argv []string
		opts string
		set  []string
		want bool
	}
	for _, c := range []ic{
		{a("-n", ""), "n", a("n"), true},
		{a("-t", "hello"), "t:", a("t", "hello"), true},
		{a("-nt", "hello"), "nt:", a("n", "t", "hello"), true},
		{a("-thello"), "t:", a("t", "hello"), true},
		{a("-n", "-t", "hello"), "nt:", a("n", "t", "hello"), true},
		{a("-n"), "n", a("t"), false},
		{a("-n", "--", "-t"), "nt:", a("n"), true},
		{a("-n", "--", "-t"), "nt:", a("t"), false},
		{a("-x", "-n"), "n", a("?", "n"), true},
		{a("-x", "-n"), "n", a("x"), false},
		{a("-l", "-p", "8080", "-e", "/bin/sh"), "lp:e:", a("l", "p", "e", "8080", "/bin/sh"), true},
		{a("-lpe", "/bin/sh"), "lp:e:", a("l", "p", "e"), true},
		{a("-lpe", "/bin/sh"), "lpe:", a("/bin/sh"), true},
		{a("-n", "-t"), "", a("n"), false},
		{a("-n", "-t"), "", a("t"), false},
		{a(""), "n", a("n"), false},
		{a("arg1", "arg2", "arg3"), "n", a("n"), false},
		{a("arg1", "-n", "arg2"), "n", a("n"), false},
		{a("-", "-n"), "n", a("n"), false},
		{a("-"), "n", a("n"), false},
		{a("-t"), "t:", a(""), true},
		{a("-t"), "t:", a("?"), false},
		{a("-t"), "t:", a("t"), false},
		{a("-t"), ":t:", a(""), true},
		{a("-t"), ":t:", a(":"), false},
		{a("-n", "--", "--"), "n", a("n"), true},
		{a("--", "-n"), "n", a("n"), false},
		{a("-nat", "hello"), "na:t", a("n", "a", "t"), true},
		{a("-abcvalue"), "abc:", a("a", "b", "c", "value"), true},
		{a("-abc", "value"), "abc:", a("a", "b", "c", "value"), true},
		{a("-t", "val1", "-t", "val2"), "t:", a("t", "val1", "val2"), true},
		{a("-p8080"), "p:", a("p", "8080"), true},
		{a("-t", "-123"), "t:", a("t", "-123"), true},
		{a("-t", ""), "t:", a("t", ""), true},
		{a("-xzf", "file.tar.gz"), "xzf:", a("x", "z", "f", "file.tar.gz"), true},
		{a("-rn", "pattern", "/path"), "rn", a("r", "n"), true},
		{a("regular_file", "-f", "another_file"), "f:", a("f", "another_file"), false},
		{a("-f", "another_file", "regular_file"), "f:", a("f", "another_file"), true},
		{a("", "-n", ""), "n", a("n"), false},
		{a("-@", "-+"), "@+", a("@", "+"), true},
		{a("-nx"), "n", a("n", "?"), true},
		{a("--exec"), "e:", a("?"), false},
		{a("--exec"), "e:", a("e"), false},
		{a("--exec", "-n"), "n", a("n"), true},
		{a("-n", "file", "-t"), "nt", a("n"), true},
		{a("-n", "file", "-t"), "nt", a("t"), false},
		{a("-:"), ":", a("?"), true},
	} {
		if got := intersects(c.argv, c.opts, c.set...); got != c.want {
			t.Errorf("getopt(%q, %q) intersects %q = %v, want %v", c.argv, c.opts, c.set, got, c.want)
		}
	}
	type sc struct {
		argv []string
		opts string
		opt  byte
		want string
		ok   bool
	}
	for _, c := range []sc{
		{a("-n", "-t", "hello"), "nt:", 't', "hello", true},
		{a("-n", "-t", "hello"), "nt:", 'n', "n", true},
		{a("-t", "v1", "-t", "v2"), "t:", 't', "v2", true},
		{a("-t?"), "t:", 't', "?", true},
		{a("-t:"), ":t:", 't', ":", true},
		{a("-t"), "t:", 't', "", true},
		{a("-t"), ":t:", 't', "", true},
		{a("-n"), "nt:", 't', "", false},
		{a("-t", "v1", "-t"), "t:", 't', "", true},
		{a("-x"), "n", 'x', "", false},
	} {
		got, ok := sel(c.argv, c.opts, c.opt)
		if ok != c.ok || got != c.want {
			t.Errorf("getopt(%q, %q)[%c] = %q %v, want %q %v", c.argv, c.opts, c.opt, got, ok, c.want, c.ok)
		}
	}
	// no option at all: an empty list, which is not missing
	var out Vals
	var s []byte
	if !Getopt(list(strs("ls")), []byte("n"), 0, false, &out, &s) || out.N != 0 || !out.EmptyList || !out.List {
		t.Fatalf("getopt((ls), n) = %d values, EmptyList %v", out.N, out.EmptyList)
	}
	in, _ := NewConstCheck(OpIn, ModNone, String, true, []string{"x"})
	ex, _ := NewConstCheck(OpExists, ModNone, String, true, nil)
	is, _ := NewConstCheck(OpIntersects, ModNone, String, true, []string{"x"})
	if !in.Match(&out) || !ex.Match(&out) || is.Match(&out) {
		t.Error("empty getopt result: in/exists/intersects")
	}
	if Getopt(missing(), []byte("n"), 0, false, &out, &s) {
		t.Error("getopt of a missing argv")
	}
	// a transformed argv's NUL is read as an option character
	if !Getopt(nulterm(list(strs("-n"))), []byte("n"), 0, false, &out, &s) || !reflect.DeepEqual(valsStrings(&out), []string{"n", "?"}) {
		t.Errorf("getopt(tolower(argv)) = %q", valsStrings(&out))
	}
	if got := RawBytes(nil, nulterm(strs("n:")), 0); string(got) != "n:\x00" {
		t.Errorf("RawBytes = %q", got)
	}
	if got := RawBytes(nil, nums(0x0102), 0); string(got) != "\x02\x01\x00\x00\x00\x00\x00\x00" {
		t.Errorf("RawBytes = %q", got)
	}
}
