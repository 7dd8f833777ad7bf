package ops

import "bytes"

// The element comparisons below are libsinsp's flt_compare for one left
// value and one right value. `in` and `intersects` compare like `=` here
// (the set forms live in the checks).

func cmpNum(op Op, a, b uint64) bool {
	switch op {
	case OpEq, OpIn, OpIntersects:
		return a == b
	case OpNe:
		return a != b
	case OpLt:
		return a < b
	case OpLe:
		return a <= b
	case OpGt:
		return a > b
	case OpGe:
		return a >= b
	}
	return false
}

// cmpBool compares two PT_BOOL values, which libsinsp reads as uint32.
func cmpBool(op Op, a, b uint64) bool {
	switch op {
	case OpEq, OpIn, OpIntersects:
		return uint32(a) == uint32(b)
	case OpNe:
		return uint32(a) != uint32(b)
	}
	return false
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// indexFold is strcasestr in the C locale: the first place where needle
// occurs in hay, ignoring ASCII case; -1 if none.
func indexFold(hay, needle []byte) int {
	if len(needle) == 0 {
		return 0
	}
	first := lowerASCII(needle[0])
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		if lowerASCII(hay[i]) != first {
			continue
		}
		for j := 1; j < len(needle); j++ {
			if lowerASCII(hay[i+j]) != lowerASCII(needle[j]) {
				continue outer
			}
		}
		return i
	}
	return -1
}

// cmpString compares two CHARBUF values as C strings. b is the right-hand
// value (the pattern for glob and iglob).
func cmpString(op Op, a, b []byte) bool {
	a, b = CStr(a), CStr(b)
	switch op {
	case OpEq, OpIn, OpIntersects:
		return bytes.Equal(a, b)
	case OpNe:
		return !bytes.Equal(a, b)
	case OpContains:
		return bytes.Contains(a, b)
	case OpIContains:
		return indexFold(a, b) >= 0
	case OpStartsWith:
		return bytes.HasPrefix(a, b)
	case OpEndsWith:
		return bytes.HasSuffix(a, b)
	case OpGlob:
		return globMatch(b, a, false)
	case OpIGlob:
		return globMatch(b, a, true)
	case OpLt:
		return bytes.Compare(a, b) < 0
	case OpLe:
		return bytes.Compare(a, b) <= 0
	case OpGt:
		return bytes.Compare(a, b) > 0
	case OpGe:
		return bytes.Compare(a, b) >= 0
	}
	return false
}

// cmpBuffer compares two BYTEBUF values by their bytes and lengths.
func cmpBuffer(op Op, a, b []byte) bool {
	switch op {
	case OpEq, OpIn, OpIntersects:
		return bytes.Equal(a, b)
	case OpNe:
		return !bytes.Equal(a, b)
	case OpContains, OpBContains:
		return bytes.Contains(a, b)
	case OpStartsWith, OpBStartsWith:
		return bytes.HasPrefix(a, b)
	case OpEndsWith:
		return bytes.HasSuffix(a, b)
	}
	return false
}

// cmpIPAddr compares two IPADDR values: a family mismatch is unequal.
// A left value that is neither 4 nor 16 bytes long makes libsinsp throw
// at evaluation time; here it compares false.
func cmpIPAddr(op Op, a, b []byte) bool {
	if len(a) != 4 && len(a) != 16 {
		return false
	}
	if len(b) != len(a) {
		return op == OpNe
	}
	switch op {
	case OpEq, OpIn, OpIntersects:
		return bytes.Equal(a, b)
	case OpNe:
		return !bytes.Equal(a, b)
	}
	return false
}

// cmpIPNet tests an address against a network: `=` is containment. A
// family mismatch is "not equal"; a bad address length compares false
// (libsinsp throws).
func cmpIPNet(op Op, a []byte, n *ipNet) bool {
	switch len(a) {
	case 4:
		if n.v6 {
			return op == OpNe
		}
	case 16:
		if !n.v6 {
			return op == OpNe
		}
	default:
		return false
	}
	switch op {
	case OpEq, OpIn, OpIntersects:
		return n.contains(a)
	case OpNe:
		return !n.contains(a)
	}
	return false
}

// craft is libsinsp's craft_filter_value for a left value: a string loses
// its trailing NULs (embedded ones stay); other values are unchanged.
func craft(t Type, b []byte) []byte {
	if t == String {
		for len(b) > 0 && b[len(b)-1] == 0 {
			b = b[:len(b)-1]
		}
	}
	return b
}

// effLen is the length libsinsp gives value b: a string that came out of
// a string transformer counts a terminating NUL unless it already ends in
// one.
func effLen(b []byte, nulTerm bool) int {
	if nulTerm && (len(b) == 0 || b[len(b)-1] != 0) {
		return len(b) + 1
	}
	return len(b)
}

// effEqual compares two values byte for byte as libsinsp holds them
// (memcmp with lengths), terminating NULs included.
func effEqual(a []byte, aNul bool, b []byte, bNul bool) bool {
	la, lb := effLen(a, aNul), effLen(b, bNul)
	if la != lb {
		return false
	}
	n := len(a)
	if len(b) < n {
		n = len(b)
	}
	if !bytes.Equal(a[:n], b[:n]) {
		return false
	}
	// the remaining byte, if any, is an implied NUL on one side
	for _, x := range a[n:] {
		if x != 0 {
			return false
		}
	}
	for _, x := range b[n:] {
		if x != 0 {
			return false
		}
	}
	return true
}
