package ops

import "strings"

// test value builders

func strs(xs ...string) *Vals {
	v := &Vals{}
	for _, x := range xs {
		v.AddBuf([]byte(x))
	}
	return v
}

func nums(xs ...uint64) *Vals {
	v := &Vals{}
	for _, x := range xs {
		v.AddNum(x)
	}
	return v
}

func list(v *Vals) *Vals {
	v.List = true
	if v.N == 0 {
		v.EmptyList = true
	}
	return v
}

func nulterm(v *Vals) *Vals { v.NulTerm = true; return v }

func missing() *Vals { return &Vals{} }

func ip(s string) *Vals {
	b, err := parseIPAddr(s)
	if err != nil {
		panic(err)
	}
	return strs(string(b))
}

func ips(xs ...string) *Vals {
	v := &Vals{}
	for _, s := range xs {
		b, err := parseIPAddr(s)
		if err != nil {
			panic(err)
		}
		v.AddBuf(b)
	}
	return v
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

func valsStrings(v *Vals) []string {
	var out []string
	for i := 0; i < v.N; i++ {
		out = append(out, string(v.Buf[i]))
	}
	return out
}
