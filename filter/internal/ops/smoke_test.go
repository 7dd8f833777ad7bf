package ops

import "testing"

func TestSmoke(t *testing.T) {
	s := func(xs ...string) *Vals {
		v := &Vals{}
		for _, x := range xs {
			v.AddBuf([]byte(x))
		}
		return v
	}
	n := func(xs ...uint64) *Vals {
		v := &Vals{}
		for _, x := range xs {
			v.AddNum(x)
		}
		return v
	}
	c, err := NewConstCheck(OpEq, ModNone, Uint64, false, []string{" +5"})
	if err != nil || !c.Match(n(5)) || c.Match(n(6)) || c.Match(n()) {
		t.Fatal("uint eq", err)
	}
	c, _ = NewConstCheck(OpIn, ModNone, String, false, []string{"a", "b"})
	if !c.Match(s("b")) || c.Match(s("c")) {
		t.Fatal("in")
	}
	c, _ = NewConstCheck(OpGlob, ModNone, String, false, []string{"/a/*"})
	if !c.Match(s("/a/b/c")) {
		t.Fatal("glob")
	}
	c, _ = NewConstCheck(OpPmatch, ModNone, String, false, []string{"/opt/*/subdir", "/x"})
	if !c.Match(s("/opt/dir/subdir/file")) || c.Match(s("/opt/dir")) || !c.Match(s("/x")) {
		t.Fatal("pmatch")
	}
	c, err = NewConstCheck(OpRegex, ModNone, String, false, []string{"ab+"})
	if err != nil || !c.Match(s("abb")) || c.Match(s("xabb")) {
		t.Fatal("regex", err)
	}
	c, _ = NewConstCheck(OpEq, ModNone, IPNet, false, []string{"10.0.0.0/8"})
	if !c.Match(s("\x0a\x01\x02\x03")) || c.Match(s("\x0b\x01\x02\x03")) {
		t.Fatal("ipnet")
	}
	_, err = NewConstCheck(OpEq, ModNone, Uint64, false, []string{"0x10"})
	if err == nil || err.Error() != "0x10 is not a valid number" {
		t.Fatal(err)
	}
}
