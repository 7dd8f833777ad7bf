package ops

import (
	"fmt"
	"testing"
)

func TestParseOp(t *testing.T) {
	cases := []struct {
		text string
		op   Op
		mod  Modifier
		ok   bool
	}{
		{"exists", OpExists, ModNone, true},
		{"=", OpEq, ModNone, true},
		{"==", OpEq, ModNone, true},
		{"!=", OpNe, ModNone, true},
		{"<", OpLt, ModNone, true},
		{"<=", OpLe, ModNone, true},
		{">", OpGt, ModNone, true},
		{">=", OpGe, ModNone, true},
		{"contains", OpContains, ModNone, true},
		{"icontains", OpIContains, ModNone, true},
		{"bcontains", OpBContains, ModNone, true},
		{"startswith", OpStartsWith, ModNone, true},
		{"bstartswith", OpBStartsWith, ModNone, true},
		{"endswith", OpEndsWith, ModNone, true},
		{"glob", OpGlob, ModNone, true},
		{"iglob", OpIGlob, ModNone, true},
		{"pmatch", OpPmatch, ModNone, true},
		{"regex", OpRegex, ModNone, true},
		{"in", OpIn, ModNone, true},
		{"intersects", OpIntersects, ModNone, true},
		{"startswith anyof", OpStartsWith, ModAnyOf, true},
		{"== oneof", OpEq, ModOneOf, true},
		{"= allof", OpEq, ModAllOf, true},
		{"!= allof", OpNe, ModAllOf, true},
		{"regex oneof", OpRegex, ModOneOf, true},
		{"bcontains anyof", OpBContains, ModAnyOf, true},
		{"glob allof", OpGlob, ModAllOf, true},
		{"in anyof", 0, ModNone, false},
		{"< oneof", 0, ModNone, false},
		{"exists oneof", 0, ModNone, false},
		{"pmatch anyof", 0, ModNone, false},
		{"= any", 0, ModNone, false},
		{"=  anyof", 0, ModNone, false},
		{"startswith anyof ", 0, ModNone, false},
		{"foo", 0, ModNone, false},
		{"", 0, ModNone, false},
		{"IN", 0, ModNone, false},
		{"===", 0, ModNone, false},
	}
	for _, c := range cases {
		op, mod, ok := ParseOp(c.text)
		if ok != c.ok || (ok && (op != c.op || mod != c.mod)) {
			t.Errorf("ParseOp(%q) = %v %v %v, want %v %v %v", c.text, op, mod, ok, c.op, c.mod, c.ok)
		}
	}
}

func TestComparable(t *testing.T) {
	cases := []struct {
		op   string
		t    Type
		list bool
		err  string
	}{
		{"exists", Bytes, true, ""},
		{"exists", Uint64, false, ""},
		{"=", Uint64, false, ""},
		{"<=", RelTime, false, ""},
		{">", AbsTime, false, ""},
		{"in", Uint64, false, ""},
		{"intersects", Uint64, false, ""},
		{"= anyof", Uint64, false, ""},
		{"contains", Uint64, false, "'contains' operator not supported for numeric filters"},
		{"glob", AbsTime, false, "'glob' operator not supported for numeric filters"},
		{"pmatch", Uint64, false, "'pmatch' operator not supported for numeric filters"},
		{"regex", RelTime, false, "'regex' operator not supported for numeric filters"},
		{"startswith anyof", Uint64, false, "'startswith' operator not supported for numeric filters"},
		{"=", Bool, false, ""},
		{"!=", Bool, false, ""},
		{"in", Bool, false, ""},
		{"<", Bool, false, "'<' operator not supported for numeric filters"},
		{"contains", Bool, false, "'contains' operator not supported for numeric filters"},
		{"=", String, false, ""},
		{"<", String, false, ""},
		{"icontains", String, false, ""},
		{"iglob", String, false, ""},
		{"pmatch", String, false, ""},
		{"regex", String, false, ""},
		{"regex allof", String, false, ""},
		{"bcontains", String, false, "'bcontains' operator not supported for string filters"},
		{"bstartswith", String, false, "'bstartswith' operator not supported for string filters"},
		{"=", Bytes, false, ""},
		{"bcontains", Bytes, false, ""},
		{"bstartswith", Bytes, false, ""},
		{"contains", Bytes, false, ""},
		{"endswith", Bytes, false, ""},
		{"in", Bytes, false, ""},
		{"icontains", Bytes, false, "'icontains' operator not supported for buffer filters"},
		{"glob", Bytes, false, "'glob' operator not supported for buffer filters"},
		{"<", Bytes, false, "'<' operator not supported for buffer filters"},
		{"regex", Bytes, false, "'regex' operator not supported for buffer filters"},
		{"=", IPAddr, false, ""},
		{"!=", IPNet, false, ""},
		{"in", IPNet, false, ""},
		{"= anyof", IPNet, false, ""},
		{"!= allof", IPAddr, false, ""},
		{"contains", IPAddr, false, "'contains' operator not supported for ip address and network filters"},
		{"<", IPNet, false, "'<' operator not supported for ip address and network filters"},
		{"regex", IPAddr, false, "'regex' operator not supported for ip address and network filters"},
		{"contains anyof", IPAddr, false, "'contains' with modifier not supported for ip address and network filters"},
		{"regex allof", IPAddr, false, "'regex' with modifier not supported for ip address and network filters"},
		{"startswith allof", IPNet, false, "'startswith' with modifier not supported for ip address and network filters"},
		{"in", String, true, ""},
		{"intersects", IPNet, true, ""},
		{"in", Bool, true, ""},
		{"in", AbsTime, true, ""},
		{"=", String, true, "'=' operator not supported list filters"},
		{"==", Uint64, true, "'=' operator not supported list filters"},
		{"!=", IPAddr, true, "'!=' operator not supported list filters"},
		{"pmatch", String, true, "'pmatch' operator not supported list filters"},
		{"= anyof", String, true, "'=' operator not supported list filters"},
		{"in", Bytes, true, "list filters are not supported for type 'BYTEBUF'"},
		{"=", Bytes, true, "list filters are not supported for type 'BYTEBUF'"},
	}
	for _, c := range cases {
		op, mod, ok := ParseOp(c.op)
		if !ok {
			t.Fatalf("ParseOp(%q)", c.op)
		}
		err := Comparable(op, mod, c.t, c.list)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.err {
			t.Errorf("Comparable(%q, %v, list=%v) = %q, want %q", c.op, c.t, c.list, got, c.err)
		}
	}
}

func TestConstCheckErrors(t *testing.T) {
	long := repeat("a", 256)
	cases := []struct {
		op   string
		t    Type
		list bool
		vals []string
		err  string
	}{
		{"=", Uint64, false, []string{"0x10"}, "0x10 is not a valid number"},
		{"=", Uint64, false, []string{"1.5"}, "1.5 is not a valid number"},
		{"=", Uint64, false, []string{""}, " is not a valid number"},
		{"=", Uint64, false, []string{"5 "}, "5  is not a valid number"},
		{"=", Uint64, false, []string{"abc"}, "abc is not a valid number"},
		{">", RelTime, false, []string{"-"}, "- is not a valid number"},
		{"<", AbsTime, false, []string{"+-1"}, "+-1 is not a valid number"},
		{"in", Uint64, false, []string{"1", "x", "y"}, "x is not a valid number"},
		{"in", Uint64, true, []string{"1", "2e3"}, "2e3 is not a valid number"},
		{"=", Bool, false, []string{"yes"}, "filter error: unrecognized boolean value yes"},
		{"=", Bool, false, []string{"True"}, "filter error: unrecognized boolean value True"},
		{"=", Bool, false, []string{"1"}, "filter error: unrecognized boolean value 1"},
		{"=", IPAddr, false, []string{"10.0.0.0/8"}, "unrecognized IPv4 address 10.0.0.0/8"},
		{"=", IPAddr, false, []string{"localhost"}, "unrecognized IPv6 address localhost"},
		{"=", IPAddr, false, []string{"::ffff:1.2.3.4"}, "unrecognized IPv4 address ::ffff:1.2.3.4"},
		{"=", IPAddr, false, []string{"1.2.3.04"}, "unrecognized IPv4 address 1.2.3.04"},
		{"=", IPAddr, false, []string{""}, "unrecognized IPv6 address "},
		{"=", IPAddr, false, []string{"::1/128"}, "unrecognized IPv6 address ::1/128"},
		{"=", IPNet, false, []string{"10.0.0.1"}, "unrecognized IP network 10.0.0.1"},
		{"=", IPNet, false, []string{"10.0.0/8"}, "unrecognized IP address 10.0.0/8"},
		{"=", IPNet, false, []string{"10.0.0.0/33"}, "invalid netmask 33"},
		{"=", IPNet, false, []string{"10.0.0.0/300"}, "invalid netmask 300"},
		{"=", IPNet, false, []string{"10.0.0.0/-1"}, "invalid netmask -1"},
		{"=", IPNet, false, []string{"10.0.0.0/x"}, "x is not a valid number"},
		{"=", IPNet, false, []string{"10.0.0.0/"}, " is not a valid number"},
		{"=", IPNet, false, []string{"10.0.0.0/8/9"}, "8/9 is not a valid number"},
		{"=", IPNet, false, []string{"::1"}, "invalid v6 netmask: ::1"},
		{"=", IPNet, false, []string{"::/0"}, "invalid v6 netmask 0"},
		{"=", IPNet, false, []string{"::/129"}, "invalid v6 netmask 129"},
		{"=", IPNet, false, []string{"zz::/64"}, "unrecognized IPv6 address zz::/64"},
		{"=", IPNet, false, []string{"::/abc"}, "abc is not a valid number"},
		{"in", IPNet, true, []string{"10.0.0.0/8", "::ffff:10.0.0.0/104"}, "unrecognized IP address ::ffff:10.0.0.0/104"},
		{"bcontains", Bytes, false, []string{"zz"}, "filter error: bcontains and bstartswith operator support hex strings only"},
		{"bstartswith", Bytes, false, []string{"abc"}, "filter error: bcontains and bstartswith operator support hex strings only"},
		{"bcontains anyof", Bytes, false, []string{"00", "0g"}, "filter error: bcontains and bstartswith operator support hex strings only"},
		{"bcontains", Bytes, false, []string{repeat("ab", 256)}, "filter parameter too long (byte buf)"},
		{"=", Bytes, false, []string{long}, "filter parameter too long (byte buf)"},
		{"=", String, false, []string{long}, "filter parameter too long (used=257, available=256):" + long},
		{"in", String, false, []string{"a", repeat("b", 300)}, "filter parameter too long (used=301, available=256):" + repeat("b", 300)},
		{"regex", String, false, []string{repeat("a", 256)}, "filter parameter too long (used=257, available=256):" + long},
		{"regex", String, false, []string{"("}, "invalid regex pattern: missing ): ("},
		{"regex", String, false, []string{"a)"}, "invalid regex pattern: unexpected ): a)"},
		{"regex", String, false, []string{"[a"}, "invalid regex pattern: missing ]: [a"},
		{"regex", String, false, []string{`\d+`}, `invalid regex pattern: invalid escape sequence: \d`},
		{"regex", String, false, []string{`\bx`}, `invalid regex pattern: invalid escape sequence: \b`},
		{"regex", String, false, []string{"a{2,1}"}, "invalid regex pattern: invalid repetition size: {2,1}"},
		{"regex", String, false, []string{"a{1001}"}, "invalid regex pattern: invalid repetition size: {1001}"},
		{"regex", String, false, []string{"*a"}, "invalid regex pattern: no argument for repetition operator: *"},
		{"regex", String, false, []string{"(?i)a"}, "invalid regex pattern: no argument for repetition operator: ?"},
		{"regex", String, false, []string{"[z-a]"}, "invalid regex pattern: invalid character class range: z-a"},
		{"regex", String, false, []string{"[[:foo:]]"}, "invalid regex pattern: invalid character class range: [:foo:]"},
		{"regex", String, false, []string{`a\`}, `invalid regex pattern: trailing \`},
		{"regex", String, false, []string{"[a-"}, "invalid regex pattern: invalid UTF-8"},
		{"regex", String, false, []string{"\xff"}, "invalid regex pattern: invalid UTF-8"},
		{"regex anyof", String, false, []string{"a", "("}, "invalid regex pattern: missing ): ("},
		{"contains", Uint64, false, []string{"1"}, "filter error: 'contains' operator not supported for numeric filters"},
		{"=", String, true, []string{"a"}, "filter error: '=' operator not supported list filters"},
	}
	for _, c := range cases {
		op, mod, _ := ParseOp(c.op)
		_, err := NewConstCheck(op, mod, c.t, c.list, c.vals)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.err {
			t.Errorf("NewConstCheck(%q, %v, %v, %q) error %q, want %q", c.op, c.t, c.list, c.vals, got, c.err)
		}
	}
	// the longest values that fit
	for _, c := range []struct {
		op string
		t  Type
		v  string
	}{{"=", String, repeat("a", 255)}, {"=", Bytes, repeat("a", 255)}, {"bcontains", Bytes, repeat("ab", 255)}, {"=", IPNet, "10.0.0.0/288"}, {"bcontains", Bytes, ""}} {
		op, mod, _ := ParseOp(c.op)
		if _, err := NewConstCheck(op, mod, c.t, false, []string{c.v}); err != nil {
			t.Errorf("NewConstCheck(%q, %v, %q): %v", c.op, c.t, c.v, err)
		}
	}
}

type matchCase struct {
	op   string
	t    Type
	list bool
	vals []string
	l    *Vals
	want bool
}

func runMatch(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, c := range cases {
		op, mod, ok := ParseOp(c.op)
		if !ok {
			t.Fatalf("ParseOp(%q)", c.op)
		}
		chk, err := NewConstCheck(op, mod, c.t, c.list, c.vals)
		if err != nil {
			t.Errorf("NewConstCheck(%q, %v, %q): %v", c.op, c.t, c.vals, err)
			continue
		}
		if got := chk.Match(c.l); got != c.want {
			t.Errorf("%v %q %q (list=%v) on %s: %v, want %v", c.t, c.op, c.vals, c.list, describe(c.l), got, c.want)
		}
	}
}

func describe(v *Vals) string {
	if v.N == 0 {
		if v.EmptyList {
			return "()"
		}
		return "<missing>"
	}
	s := fmt.Sprintf("%q", valsStrings(v))
	if len(v.Num) > 0 {
		s = fmt.Sprint(v.Num)
	}
	if v.NulTerm {
		s += "+NUL"
	}
	return s
}

func TestMatchNumeric(t *testing.T) {
	const max = ^uint64(0)
	runMatch(t, []matchCase{
		{"=", Uint64, false, []string{"5"}, nums(5), true},
		{"=", Uint64, false, []string{"5"}, nums(6), false},
		{"=", Uint64, false, []string{"5"}, missing(), false},
		{"==", Uint64, false, []string{" +5"}, nums(5), true},
		{"=", Uint64, false, []string{"\t\n7"}, nums(7), true},
		{"!=", Uint64, false, []string{"5"}, nums(6), true},
		{"!=", Uint64, false, []string{"5"}, nums(5), false},
		{"!=", Uint64, false, []string{"5"}, missing(), false},
		{"<", Uint64, false, []string{"5"}, nums(4), true},
		{"<", Uint64, false, []string{"5"}, nums(5), false},
		{"<=", Uint64, false, []string{"5"}, nums(5), true},
		{">", Uint64, false, []string{"5"}, nums(6), true},
		{">", Uint64, false, []string{"5"}, nums(5), false},
		{">=", Uint64, false, []string{"5"}, nums(5), true},
		{">=", Uint64, false, []string{"5"}, nums(4), false},
		{"=", Uint64, false, []string{"-1"}, nums(max), true},
		{"=", Uint64, false, []string{"-5"}, nums(max - 4), true},
		{">", Uint64, false, []string{"-500"}, nums(1), false},
		{"=", Uint64, false, []string{"99999999999999999999"}, nums(max), true},
		{"=", Uint64, false, []string{"18446744073709551615"}, nums(max), true},
		{"=", Uint64, false, []string{"007"}, nums(7), true},
		{"=", Uint64, false, []string{"1", "2"}, nums(1), true},
		{"=", Uint64, false, []string{"1", "2"}, nums(2), false},
		{"in", Uint64, false, []string{"1", "2", "3"}, nums(2), true},
		{"in", Uint64, false, []string{"1", "2", "3"}, nums(4), false},
		{"in", Uint64, false, nil, nums(4), false},
		{"intersects", Uint64, false, []string{"1", "2"}, nums(2), true},
		{"<", RelTime, false, []string{"1000"}, nums(999), true},
		{">=", AbsTime, false, []string{"1700000000000000000"}, nums(1700000000000000001), true},
		{"in", AbsTime, false, []string{"3", "4"}, nums(4), true},
		{"exists", Uint64, false, nil, nums(0), true},
		{"exists", Uint64, false, nil, missing(), false},
		{"= anyof", Uint64, false, []string{"1", "2"}, nums(2), true},
		{"= anyof", Uint64, false, []string{"1", "2"}, nums(3), false},
		{"= anyof", Uint64, false, nil, nums(3), false},
		{"!= allof", Uint64, false, []string{"1", "2"}, nums(3), true},
		{"!= allof", Uint64, false, []string{"1", "2"}, nums(1), false},
		{"= oneof", Uint64, false, []string{"1", "1"}, nums(1), false},
		{"= oneof", Uint64, false, []string{"1", "2"}, nums(1), true},
		{"= allof", Uint64, false, []string{"1", "1"}, nums(1), true},
		{"!= oneof", Uint64, false, []string{"1", "2"}, nums(1), true},
		{"!= anyof", Uint64, false, []string{"1"}, nums(1), false},
		// bool
		{"=", Bool, false, []string{"true"}, nums(1), true},
		{"=", Bool, false, []string{"true"}, nums(0), false},
		{"=", Bool, false, []string{"false"}, nums(0), true},
		{"!=", Bool, false, []string{"true"}, nums(0), true},
		{"!=", Bool, false, []string{"true"}, missing(), false},
		{"=", Bool, false, []string{"true"}, nums(2), false},
		{"=", Bool, false, []string{"true"}, nums(1<<32 | 1), true},
		{"in", Bool, false, []string{"true"}, nums(1), true},
		{"in", Bool, false, []string{"false"}, nums(1), false},
		{"= anyof", Bool, false, []string{"false", "true"}, nums(1), true},
		// lists
		{"in", Uint64, true, []string{"1", "2", "3"}, list(nums(1, 2)), true},
		{"in", Uint64, true, []string{"1", "2", "3"}, list(nums(1, 4)), false},
		{"in", Uint64, true, []string{"1"}, list(nums()), true},
		{"in", Uint64, true, []string{"1"}, missing(), false},
		{"in", Uint64, true, nil, list(nums(1)), false},
		{"intersects", Uint64, true, []string{"1", "2"}, list(nums(3, 2)), true},
		{"intersects", Uint64, true, []string{"1", "2"}, list(nums(3)), false},
		{"intersects", Uint64, true, []string{"1", "2"}, list(nums()), false},
		{"exists", Uint64, true, nil, list(nums()), true},
		{"exists", Uint64, true, nil, list(nums(1)), true},
		{"exists", Uint64, true, nil, missing(), false},
		{"in", Bool, true, []string{"true"}, list(nums(1, 1)), true},
		{"intersects", RelTime, true, []string{"10"}, list(nums(5, 10)), true},
		// a non-list check never sees several values
		{"=", Uint64, false, []string{"1"}, nums(1, 1), false},
	})
}

func TestMatchString(t *testing.T) {
	runMatch(t, []matchCase{
		{"=", String, false, []string{"abc"}, strs("abc"), true},
		{"=", String, false, []string{"abc"}, strs("abd"), false},
		{"=", String, false, []string{"abc"}, strs("abc\x00zz"), true},
		{"=", String, false, []string{"abc\x00zz"}, strs("abc"), true},
		{"=", String, false, []string{""}, strs(""), true},
		{"=", String, false, []string{"abc"}, missing(), false},
		{"!=", String, false, []string{"abc"}, strs("abc"), false},
		{"!=", String, false, []string{"abc"}, strs("x"), true},
		{"!=", String, false, []string{"abc"}, missing(), false},
		{"<", String, false, []string{"b"}, strs("a"), true},
		{"<", String, false, []string{"b"}, strs("ab"), true},
		{"<", String, false, []string{"b"}, strs("b"), false},
		{"<=", String, false, []string{"b"}, strs("b"), true},
		{">", String, false, []string{"a"}, strs("\xff"), true},
		{">=", String, false, []string{"abc"}, strs("ab"), false},
		{"contains", String, false, []string{"/dir"}, strs("/opt/dir/SUBDIR/file.txt"), true},
		{"contains", String, false, []string{"bc"}, strs("abcd"), true},
		{"contains", String, false, []string{""}, strs("x"), true},
		{"contains", String, false, []string{""}, strs(""), true},
		{"contains", String, false, []string{"x"}, strs(""), false},
		{"contains", String, false, []string{"cd"}, strs("ab\x00cd"), false},
		{"icontains", String, false, []string{"/subdir"}, strs("/opt/dir/SUBDIR/file.txt"), true},
		{"icontains", String, false, []string{"NOTTHIS"}, strs("/opt/dir/SUBDIR/file.txt"), false},
		{"icontains", String, false, []string{"\xc3\x89"}, strs("\xc3\xa9"), false},
		{"icontains", String, false, []string{""}, strs(""), true},
		{"startswith", String, false, []string{""}, strs("x"), true},
		{"startswith", String, false, []string{"ab"}, strs("abc"), true},
		{"startswith", String, false, []string{"abc"}, strs("ab"), false},
		{"endswith", String, false, []string{"bc"}, strs("abc"), true},
		{"endswith", String, false, []string{""}, strs("abc"), true},
		{"endswith", String, false, []string{"xabc"}, strs("abc"), false},
		{"endswith", String, false, []string{"bc"}, strs("abc\x00x"), true},
		{"glob", String, false, []string{"*.txt"}, strs("a/b.txt"), true},
		{"glob", String, false, []string{"a?c"}, strs("abc"), true},
		{"glob", String, false, []string{"[!a]bc"}, strs("abc"), false},
		{"glob", String, false, []string{"[^a]bc"}, strs("xbc"), true},
		{"glob", String, false, []string{`\*`}, strs("*"), true},
		{"glob", String, false, []string{`\*`}, strs("a"), false},
		{"glob", String, false, []string{"a["}, strs("a["), true},
		{"glob", String, false, []string{"[[:digit:]]*"}, strs("1x"), true},
		{"glob", String, false, []string{"*.TXT"}, strs("a.txt"), false},
		{"glob", String, false, []string{""}, strs(""), true},
		{"glob", String, false, []string{`a\`}, strs(`a\`), false},
		{"iglob", String, false, []string{"*.TXT"}, strs("a.txt"), true},
		{"iglob", String, false, []string{"[A-Z]*"}, strs("abc"), true},
		{"regex", String, false, []string{"ab+"}, strs("abb"), true},
		{"regex", String, false, []string{"ab+"}, strs("xabb"), false},
		{"regex", String, false, []string{"^syscall$"}, strs("syscall"), true},
		{"regex", String, false, []string{"^[s]{1}ysca[l]{2}$"}, strs("syscall"), true},
		{"regex", String, false, []string{".*yscal"}, strs("syscall"), false},
		{"regex", String, false, []string{"syscal.*"}, strs("syscall"), true},
		{"regex", String, false, []string{"a|ab"}, strs("ab"), true},
		{"regex", String, false, []string{"[^a]"}, strs("\n"), true},
		{"regex", String, false, []string{"."}, strs("\n"), false},
		{"regex", String, false, []string{"^a$"}, strs("a\nb"), false},
		{"regex", String, false, []string{"a$\n^b"}, strs("a\nb"), true},
		{"regex", String, false, []string{"."}, strs("\xff"), false},
		{"regex", String, false, []string{".*"}, strs("a\xffb"), false},
		{"regex", String, false, []string{".*"}, strs("caf\xc3\xa9"), true},
		{"regex", String, false, []string{"[[:alpha:]]+"}, strs("abC"), true},
		{"regex", String, false, []string{""}, strs(""), true},
		{"regex", String, false, []string{"a"}, missing(), false},
		{"in", String, false, []string{"a", "b"}, strs("a"), true},
		{"in", String, false, []string{"a", "b"}, strs("c"), false},
		{"in", String, false, []string{"a", "b"}, strs("a\x00"), true},
		{"in", String, false, []string{"a", "b"}, strs("a\x00b"), false},
		{"in", String, false, []string{"a", "b"}, nulterm(strs("a")), true},
		{"in", String, false, nil, strs("a"), false},
		{"intersects", String, false, []string{"a", "b"}, strs("b"), true},
		{"in", String, true, []string{"a", "b"}, list(strs("a", "b")), true},
		{"in", String, true, []string{"a", "b"}, list(strs("a", "c")), false},
		{"in", String, true, []string{"a", "b"}, list(strs()), true},
		{"in", String, true, []string{"a", "b"}, nulterm(list(strs("a"))), false},
		{"intersects", String, true, []string{"a", "b"}, list(strs("c", "a")), true},
		{"intersects", String, true, []string{"a", "b"}, nulterm(list(strs("a"))), false},
		{"intersects", String, true, []string{"a"}, list(strs("c")), false},
		{"exists", String, false, nil, strs(""), true},
		{"exists", String, true, nil, list(strs()), true},
	})
}

func TestMatchPmatch(t *testing.T) {
	v := strs("/opt/dir/subdir/file.txt")
	runMatch(t, []matchCase{
		{"pmatch", String, false, []string{"/opt/dir"}, v, true},
		{"pmatch", String, false, []string{"/opt/dir/subdir"}, v, true},
		{"pmatch", String, false, []string{"/opt/dir2"}, v, false},
		{"pmatch", String, false, []string{"/opt/dir", "/opt/dir2"}, v, true},
		{"pmatch", String, false, []string{"/opt/dir3", "/opt/dir2"}, v, false},
		{"pmatch", String, false, []string{"/opt/*"}, v, true},
		{"pmatch", String, false, []string{"/opt/*/subdir"}, v, true},
		{"pmatch", String, false, []string{"/opt/di?/subdir"}, v, true},
		{"pmatch", String, false, []string{"/opt/dii?/subdir"}, v, false},
		{"pmatch", String, false, []string{"/opt/di[r]/subdir"}, v, true},
		{"pmatch", String, false, []string{"/opt/di[!r]/subdir"}, v, false},
		{"pmatch", String, false, []string{"/opt/di[t]/subdir"}, v, false},
		{"pmatch", String, false, []string{"/opt/di/subdir"}, v, false},
		{"pmatch", String, false, []string{"/opt/*/subdir2"}, v, false},
		{"pmatch", String, false, []string{"/opt/*/*"}, v, true},
		{"pmatch", String, false, []string{"/opt/*/*/subsubdir"}, v, false},
		{"pmatch", String, false, []string{"/"}, v, true},
		{"pmatch", String, false, []string{""}, strs(""), true},
		{"pmatch", String, false, []string{"/opt"}, strs(""), false},
		{"pmatch", String, false, []string{"opt/dir"}, v, true},
		{"pmatch", String, false, []string{"/opt//dir/"}, v, true},
		{"pmatch", String, false, []string{"/opt/dir"}, strs("opt/dir"), true},
		{"pmatch", String, false, []string{"/opt/dir"}, strs("/opt/dirx"), false},
		{"pmatch", String, false, []string{"/opt/dir"}, strs("/opt"), false},
		{"pmatch", String, false, []string{"/a/b/c", "/a"}, strs("/a/x"), true},
		{"pmatch", String, false, []string{"/a", "/a/b"}, strs("/a/z"), true},
		{"pmatch", String, false, []string{"/a/b"}, strs("/a"), false},
		{"pmatch", String, false, []string{"/a/*", "/a/b/c"}, strs("/a/b/d"), true},
		{"pmatch", String, false, []string{"/a/b/c", "/a/*/d"}, strs("/a/b/d"), true},
		{"pmatch", String, false, []string{"/a/b/c"}, strs("/a/b/c"), true},
		{"pmatch", String, false, []string{"/a"}, strs("/A"), false},
		{"pmatch", String, false, nil, v, false},
		{"pmatch", String, false, []string{"/opt"}, missing(), false},
	})
}

func TestMatchBytes(t *testing.T) {
	hello := strs("hello")
	runMatch(t, []matchCase{
		{"=", Bytes, false, []string{"hello"}, hello, true},
		{"=", Bytes, false, []string{"hello"}, strs("hello\x00"), false},
		{"!=", Bytes, false, []string{"hellx"}, hello, true},
		{"contains", Bytes, false, []string{"ell"}, hello, true},
		{"startswith", Bytes, false, []string{"he"}, hello, true},
		{"endswith", Bytes, false, []string{"llo"}, hello, true},
		{"endswith", Bytes, false, []string{"xhello"}, hello, false},
		{"bcontains", Bytes, false, []string{"68656c6c6f"}, hello, true},
		{"bcontains", Bytes, false, []string{"656c6C"}, hello, true},
		{"bcontains", Bytes, false, []string{"20"}, hello, false},
		{"bcontains", Bytes, false, []string{"656c6cAA"}, hello, false},
		{"bcontains", Bytes, false, []string{""}, hello, true},
		{"bstartswith", Bytes, false, []string{"68"}, hello, true},
		{"bstartswith", Bytes, false, []string{"68656c6c6f"}, hello, true},
		{"bstartswith", Bytes, false, []string{"65"}, hello, false},
		{"bstartswith", Bytes, false, []string{"656c6C"}, hello, false},
		{"bcontains", Bytes, false, []string{"00ff"}, strs("a\x00\xffb"), true},
		{"in", Bytes, false, []string{"ab", "hello"}, hello, true},
		{"in", Bytes, false, []string{"ab"}, strs("ab\x00"), false},
		{"bcontains anyof", Bytes, false, []string{"20", "6c6c"}, hello, true},
		{"bcontains allof", Bytes, false, []string{"20", "6c6c"}, hello, false},
		{"contains", Bytes, false, []string{"x"}, missing(), false},
	})
}

func TestMatchIP(t *testing.T) {
	sip := ip("142.251.111.147")
	v6 := ip("2001:4860:4860::8888")
	runMatch(t, []matchCase{
		{"==", IPAddr, false, []string{"142.251.111.147"}, sip, true},
		{"!=", IPAddr, false, []string{"142.251.111.147"}, sip, false},
		{"!=", IPAddr, false, []string{"0:0:0:0:0:0:0:1"}, sip, true},
		{"==", IPAddr, false, []string{"0:0:0:0:0:0:0:1"}, sip, false},
		{"==", IPAddr, false, []string{"2001:4860:4860::8888"}, v6, true},
		{"==", IPAddr, false, []string{"2001:4860:4860:0:0:0:0:8888"}, v6, true},
		{"!=", IPAddr, false, []string{"127.0.0.1"}, v6, true},
		{"==", IPAddr, false, []string{"127.0.0.1"}, v6, false},
		{"==", IPAddr, false, []string{"::ffff:7f00:1"}, ip("127.0.0.1"), false},
		{"in", IPAddr, false, []string{"10.0.0.1", "142.251.111.147"}, sip, true},
		{"in", IPAddr, false, []string{"10.0.0.1", "::1"}, ip("::1"), true},
		{"in", IPAddr, false, []string{"10.0.0.1"}, v6, false},
		{"= anyof", IPAddr, false, []string{"142.251.111.147"}, sip, true},
		{"= anyof", IPAddr, false, []string{"10.0.0.1", "142.251.111.147"}, sip, true},
		{"= anyof", IPAddr, false, []string{"10.0.0.1", "192.168.0.1"}, sip, false},
		{"= allof", IPAddr, false, []string{"142.251.111.147"}, sip, true},
		{"= allof", IPAddr, false, []string{"142.251.111.147", "10.0.0.1"}, sip, false},
		{"= oneof", IPAddr, false, []string{"10.0.0.1", "142.251.111.147"}, sip, true},
		{"= oneof", IPAddr, false, []string{"10.0.0.1", "192.168.0.1"}, sip, false},
		{"!= anyof", IPAddr, false, []string{"10.0.0.1"}, sip, true},
		{"!= anyof", IPAddr, false, []string{"142.251.111.147"}, sip, false},
		{"!= allof", IPAddr, false, []string{"10.0.0.1", "192.168.0.1"}, sip, true},
		{"!= allof", IPAddr, false, []string{"10.0.0.1", "142.251.111.147"}, sip, false},
		{"=", IPAddr, false, []string{"1.2.3.4"}, strs("\x01\x02\x03\x04\x05"), false},
		{"!=", IPAddr, false, []string{"1.2.3.4"}, strs("\x01\x02\x03\x04\x05"), false},
		{"in", IPAddr, true, []string{"1.2.3.4", "::1"}, list(ips("1.2.3.4", "::1")), true},
		{"in", IPAddr, true, []string{"1.2.3.4"}, list(ips("1.2.3.4", "::1")), false},
		{"intersects", IPAddr, true, []string{"::1"}, list(ips("1.2.3.4", "::1")), true},
		// networks
		{"==", IPNet, false, []string{"142.0.0.0/4"}, sip, true},
		{"==", IPNet, false, []string{"142.251.0.0/8"}, sip, true},
		{"==", IPNet, false, []string{"142.251.111.0/16"}, sip, true},
		{"!=", IPNet, false, []string{"10.0.0.0/8"}, sip, true},
		{"!=", IPNet, false, []string{"2001:db8:abcd:0012::0/64"}, sip, true},
		{"==", IPNet, false, []string{"10.0.0.0/8"}, sip, false},
		{"==", IPNet, false, []string{"2001:db8:abcd:0012::0/64"}, sip, false},
		{"==", IPNet, false, []string{"2001::0/16"}, v6, true},
		{"==", IPNet, false, []string{"2001:4860::0/32"}, v6, true},
		{"==", IPNet, false, []string{"2001:4860:4860::8888/48"}, v6, true},
		{"!=", IPNet, false, []string{"10::0/16"}, v6, true},
		{"!=", IPNet, false, []string{"10.0.0.0/8"}, v6, true},
		{"==", IPNet, false, []string{"10.0.0.0/8"}, v6, false},
		{"==", IPNet, false, []string{"2001:db8:abcd:0012::0/64"}, v6, false},
		{"=", IPNet, false, []string{"0.0.0.0/0"}, ip("255.1.2.3"), true},
		{"=", IPNet, false, []string{"10.0.0.0/288"}, ip("10.0.0.0"), true},
		{"=", IPNet, false, []string{"10.0.0.0/288"}, ip("10.0.0.1"), false},
		{"=", IPNet, false, []string{"10.0.0.0/264"}, ip("10.9.9.9"), true},
		{"=", IPNet, false, []string{"::/1"}, ip("7fff::1"), true},
		{"=", IPNet, false, []string{"::/1"}, ip("8000::1"), false},
		{"=", IPNet, false, []string{"2001:db8::/65"}, ip("2001:db8::7fff:0:0:1"), true},
		{"=", IPNet, false, []string{"2001:db8::/65"}, ip("2001:db8::8000:0:0:1"), false},
		{"=", IPNet, false, []string{"::1/128"}, ip("::1"), true},
		{"=", IPNet, false, []string{"::1/128"}, ip("::2"), false},
		{"=", IPNet, false, []string{"10.0.0.0/8"}, strs("\x0a\x00"), false},
		{"in", IPNet, false, []string{"10.0.0.0/8", "192.168.0.0/16"}, ip("192.168.1.1"), true},
		{"in", IPNet, false, []string{"10.0.0.0/8", "192.168.0.0/16"}, ip("11.0.0.1"), false},
		{"in", IPNet, false, []string{"10.0.0.0/8", "fe80::/10"}, ip("fe80::1"), true},
		// libsinsp answers "= anyof" and "!= allof" with its value set,
		// which holds networks: never an address
		{"= anyof", IPNet, false, []string{"10.0.0.0/8"}, ip("10.1.1.1"), false},
		{"!= allof", IPNet, false, []string{"10.0.0.0/8"}, ip("10.1.1.1"), true},
		{"= oneof", IPNet, false, []string{"10.0.0.0/8", "10.1.0.0/16"}, ip("10.1.1.1"), false},
		{"= oneof", IPNet, false, []string{"10.0.0.0/8", "10.1.0.0/16"}, ip("10.2.0.0"), true},
		{"= allof", IPNet, false, []string{"10.0.0.0/8", "10.1.0.0/16"}, ip("10.1.1.1"), true},
		{"!= anyof", IPNet, false, []string{"10.0.0.0/8", "11.0.0.0/8"}, ip("10.1.1.1"), true},
		{"!= oneof", IPNet, false, []string{"10.0.0.0/8", "11.0.0.0/8"}, ip("12.1.1.1"), false},
		{"in", IPNet, true, []string{"10.0.0.0/8"}, list(ips("10.1.1.1", "10.2.2.2")), true},
		{"in", IPNet, true, []string{"10.0.0.0/8"}, list(ips("10.1.1.1", "11.0.0.0")), false},
		{"intersects", IPNet, true, []string{"10.0.0.0/8"}, list(ips("11.0.0.0", "10.1.1.1")), true},
		{"intersects", IPNet, true, []string{"10.0.0.0/8"}, list(ips("11.0.0.0")), false},
	})
}

// TestModifiers ports libsinsp's filterchecks/cmp_operator_modifiers.cpp
// (proc.name = "myexe").
func TestModifiers(t *testing.T) {
	v := strs("myexe")
	type mc struct {
		op   string
		vals []string
		want bool
	}
	cases := []mc{
		{"== oneof", []string{"myexe", "bash"}, true},
		{"== oneof", []string{"myexe"}, true},
		{"== oneof", []string{"bash", "sh"}, false},
		{"== oneof", []string{"myexe", "myexe"}, false},
		{"== anyof", []string{"myexe", "bash"}, true},
		{"== anyof", []string{"bash", "sh"}, false},
		{"== anyof", []string{"myexe", "myexe"}, true},
		{"== allof", []string{"myexe"}, true},
		{"== allof", []string{"myexe", "bash"}, false},
		{"== allof", []string{"bash", "sh"}, false},
		{"== allof", []string{"myexe", "myexe"}, true},
		{"!= oneof", []string{"myexe", "myexe", "bash"}, true},
		{"!= oneof", []string{"myexe", "myexe"}, false},
		{"!= oneof", []string{"bash", "sh"}, false},
		{"!= oneof", []string{"myexe", "bash"}, true},
		{"!= anyof", []string{"bash", "sh"}, true},
		{"!= anyof", []string{"myexe", "bash"}, true},
		{"!= allof", []string{"bash", "sh"}, true},
		{"!= allof", []string{"myexe", "bash"}, false},
		{"contains oneof", []string{"myex", "bash"}, true},
		{"contains oneof", []string{"exe"}, true},
		{"contains oneof", []string{"bash", "sh"}, false},
		{"contains oneof", []string{"my", "exe"}, false},
		{"contains anyof", []string{"myex", "bash"}, true},
		{"contains anyof", []string{"bash", "sh"}, false},
		{"contains anyof", []string{"my", "exe"}, true},
		{"contains allof", []string{"my", "exe"}, true},
		{"contains allof", []string{"myex", "bash"}, false},
		{"icontains oneof", []string{"MYEX", "BASH"}, true},
		{"icontains oneof", []string{"MY", "EXE"}, false},
		{"icontains anyof", []string{"MY", "EXE"}, true},
		{"icontains allof", []string{"MY", "EXE"}, true},
		{"icontains allof", []string{"MYEX", "BASH"}, false},
		{"startswith oneof", []string{"my", "bash"}, true},
		{"startswith oneof", []string{"my", "mye"}, false},
		{"startswith anyof", []string{"my", "mye"}, true},
		{"startswith allof", []string{"my", "mye"}, true},
		{"startswith allof", []string{"my", "bash"}, false},
		{"endswith oneof", []string{"exe", "sh"}, true},
		{"endswith oneof", []string{"exe", "yexe"}, false},
		{"endswith anyof", []string{"sh", "bash"}, false},
		{"endswith allof", []string{"exe", "yexe"}, true},
		{"glob oneof", []string{"my*", "bash"}, true},
		{"glob oneof", []string{"my*", "*exe"}, false},
		{"glob anyof", []string{"bash", "sh*"}, false},
		{"glob anyof", []string{"my*", "*exe"}, true},
		{"glob allof", []string{"my*", "*exe"}, true},
		{"glob allof", []string{"bash", "sh*"}, false},
		{"iglob oneof", []string{"MY*", "BASH"}, true},
		{"iglob oneof", []string{"MY*", "*EXE"}, false},
		{"iglob anyof", []string{"MY*", "*EXE"}, true},
		{"iglob allof", []string{"MY*", "*EXE"}, true},
		{"regex oneof", []string{"my.*", "b.*"}, true},
		{"regex oneof", []string{"b.*", "sh.*"}, false},
		{"regex oneof", []string{"my.*", ".*exe"}, false},
		{"regex anyof", []string{"my.*", "b.*"}, true},
		{"regex anyof", []string{"b.*", "sh.*"}, false},
		{"regex allof", []string{"my.*", ".*exe"}, true},
		{"regex allof", []string{"my.*", "b.*"}, false},
		{"== oneof", nil, false},
		{"== anyof", nil, false},
		{"== allof", nil, false},
		{"!= oneof", nil, false},
		{"!= anyof", nil, false},
		{"!= allof", nil, false},
		{"regex allof", nil, false},
	}
	for _, c := range cases {
		runMatch(t, []matchCase{{c.op, String, false, c.vals, v, c.want}})
	}
	// "= anyof" is a set lookup of the value with its trailing NULs
	// dropped; "= oneof" compares C strings
	runMatch(t, []matchCase{
		{"= anyof", String, false, []string{"myexe"}, strs("myexe\x00x"), false},
		{"= oneof", String, false, []string{"myexe"}, strs("myexe\x00x"), true},
		{"= anyof", String, false, []string{"myexe"}, strs("myexe\x00"), true},
		{"!= allof", String, false, []string{"myexe"}, strs("myexe\x00x"), true},
		{"!= anyof", String, false, []string{"myexe"}, strs("myexe\x00x"), false},
		{"= anyof", String, false, []string{"MYEXE", "BASH"}, nulterm(strs("MYEXE")), true},
		{"== oneof", String, false, []string{"myexe"}, missing(), false},
	})
}

// TestMissingIsFalse: a missing operand fails every operator.
func TestMissingIsFalse(t *testing.T) {
	for op := OpExists; op <= OpIntersects; op++ {
		for _, typ := range []Type{Uint64, RelTime, AbsTime, Bool, String, Bytes, IPAddr, IPNet} {
			for _, lst := range []bool{false, true} {
				if Comparable(op, ModNone, typ, lst) != nil {
					continue
				}
				var vals []string
				switch {
				case op == OpExists:
				case typ.Numeric() && typ != Bool:
					vals = []string{"1"}
				case typ == Bool:
					vals = []string{"true"}
				case typ == IPAddr:
					vals = []string{"1.2.3.4"}
				case typ == IPNet:
					vals = []string{"1.2.3.0/24"}
				case op == OpBContains || op == OpBStartsWith:
					vals = []string{"00"}
				default:
					vals = []string{"x"}
				}
				c, err := NewConstCheck(op, ModNone, typ, lst, vals)
				if err != nil {
					t.Fatalf("%v %v %v: %v", op, typ, lst, err)
				}
				if c.Match(missing()) {
					t.Errorf("%v %v list=%v matches a missing value", op, typ, lst)
				}
			}
		}
	}
}

func TestFieldCheck(t *testing.T) {
	errs := []struct {
		op    string
		lt    Type
		llist bool
		rt    Type
		rlist bool
		err   string
	}{
		{"pmatch", String, false, String, false, "operator 'PMATCH' doesn't support right-hand side fields"},
		{"regex", String, false, String, false, "operator 'REGEX' doesn't support right-hand side fields"},
		{"=", IPNet, false, IPNet, false, "field type 'IPNET' doesn't support right-hand side fields"},
		{"in", IPNet, true, IPNet, true, "field type 'IPNET' doesn't support right-hand side fields"},
		{"=", String, false, String, true, "field 'a' has type 'CHARBUF' while the right-hand side field 'b' has incompatible type 'CHARBUF (list)'"},
		{"in", Uint64, true, String, false, "field 'a' has type 'UINT64 (list)' while the right-hand side field 'b' has incompatible type 'CHARBUF'"},
		{"=", Uint64, false, RelTime, false, "field 'a' has type 'UINT64' while the right-hand side field 'b' has incompatible type 'RELTIME'"},
		{"=", Bool, false, Uint64, false, "field 'a' has type 'BOOL' while the right-hand side field 'b' has incompatible type 'UINT64'"},
		{"contains", Uint64, false, Uint64, false, "filter error: 'contains' operator not supported for numeric filters"},
		{"pmatch", IPNet, false, String, false, "filter error: 'pmatch' operator not supported for ip address and network filters"},
		{"regex", String, true, String, true, "filter error: 'regex' operator not supported list filters"},
		{"=", String, false, String, false, ""},
		{"in", String, true, String, true, ""},
	}
	for _, c := range errs {
		op, mod, _ := ParseOp(c.op)
		_, err := NewFieldCheck(op, mod, "a", c.lt, c.llist, "b", c.rt, c.rlist)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.err {
			t.Errorf("NewFieldCheck(%q, %v %v, %v %v) = %q, want %q", c.op, c.lt, c.llist, c.rt, c.rlist, got, c.err)
		}
	}
	matches := []struct {
		op   string
		t    Type
		lst  bool
		l, r *Vals
		want bool
	}{
		{"=", String, false, strs("abc"), strs("abc"), true},
		{"=", String, false, strs("abc"), strs("abd"), false},
		{"=", String, false, strs("abc"), nulterm(strs("abc")), true},
		{"!=", String, false, strs("abc"), missing(), false},
		{"!=", String, false, missing(), strs("abc"), false},
		{"contains", String, false, strs("xabcx"), strs("abc"), true},
		{"glob", String, false, strs("abc"), strs("a*"), true},
		{"<", Uint64, false, nums(1), nums(2), true},
		{">=", Uint64, false, nums(1), nums(2), false},
		{"=", Bool, false, nums(1), nums(1), true},
		{"in", String, false, strs("abc"), strs("abc"), true},
		{"in", String, false, strs("abc"), nulterm(strs("abc")), false},
		{"in", String, false, nulterm(strs("abc")), strs("abc"), true},
		{"in", Uint64, false, nums(3), nums(3), true},
		{"in", String, true, list(strs("a", "b")), list(strs("b", "a", "c")), true},
		{"in", String, true, list(strs("a", "d")), list(strs("b", "a", "c")), false},
		{"in", String, true, nulterm(list(strs("a"))), nulterm(list(strs("a"))), true},
		{"in", String, true, nulterm(list(strs("a"))), list(strs("a")), false},
		{"in", String, true, list(strs()), list(strs("a")), true},
		{"in", String, true, list(strs("a")), list(strs()), false},
		{"intersects", String, true, list(strs("x", "a")), list(strs("a")), true},
		{"intersects", String, true, list(strs("x")), list(strs("a")), false},
		{"intersects", Uint64, true, list(nums(1, 2)), list(nums(2)), true},
		{"=", IPAddr, false, ip("1.2.3.4"), ip("1.2.3.4"), true},
		{"!=", IPAddr, false, ip("1.2.3.4"), ip("::1"), true},
		{"=", Bytes, false, strs("ab"), strs("ab\x00"), false},
		{"exists", String, false, strs("a"), strs("b"), true},
	}
	for _, c := range matches {
		op, mod, _ := ParseOp(c.op)
		fc, err := NewFieldCheck(op, mod, "a", c.t, c.lst, "b", c.t, c.lst)
		if err != nil {
			t.Fatal(err)
		}
		if got := fc.Match(c.l, c.r); got != c.want {
			t.Errorf("%v %q: %s vs %s = %v, want %v", c.t, c.op, describe(c.l), describe(c.r), got, c.want)
		}
	}
}

func TestRegexWarning(t *testing.T) {
	cases := map[string]bool{
		"syscall": true, "^syscall$": true, "^syscall": true, "syscall$": true,
		".*syscall": true, "syscall.*": true, ".*syscall.*": true, ".+syscall": true,
		"syscall.+": true, ".+syscall.+": true, ".?syscall.?": true, "": true, "a": true,
		"syscall.{1}": false, `syscall\.*`: false, "s.*l": false, "syscal[l]?": false,
		"a|b": false, "(a)": false, ".": false, ".*": true, "^": true, "$": true, "^$": true,
		"a\x00b": false, "..*": false,
	}
	for v, want := range cases {
		if got := RegexWarning(v); got != want {
			t.Errorf("RegexWarning(%q) = %v, want %v", v, got, want)
		}
	}
	if got := RegexWarningText("x"); got != "regex check with 'x' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'" {
		t.Error(got)
	}
	tw := map[string]bool{
		"tolower(evt.plugininfo)": true, "tolower": false, "tolow(evt.plugininfo)": false,
		" val ( x ) ": true, "len()": true, "getopt(a,b)": true, "b64(x": false, "basename(x)y": false,
	}
	for v, want := range tw {
		if got := TransformerValueWarning(v); got != want {
			t.Errorf("TransformerValueWarning(%q) = %v, want %v", v, got, want)
		}
	}
}
