package ops

import (
	"errors"
	"regexp"
)

// ConstCheck compares an operand with constant right-hand values. It is
// immutable once built and safe for concurrent use.
type ConstCheck struct {
	op   Op
	mod  Modifier
	typ  Type
	list bool

	nums []uint64 // numeric types
	bufs [][]byte // strings, buffers, addresses
	nets []ipNet  // IPNET
	rxs  []*regexp.Regexp

	// set holds the values for membership tests (in and intersects, and
	// "= anyof" / "!= allof", which libsinsp answers with its value set).
	hasSet bool
	numSet map[uint64]struct{}
	bufSet map[string]struct{}

	paths *pathTrie // pmatch
}

// NewConstCheck parses values (one for single-value operators; the list
// items for in/intersects/pmatch and modifiers) as libsinsp's value parser
// does for type t, and prepares the comparison. Errors are libsinsp's
// words, e.g. "0x10 is not a valid number", "filter error: unrecognized
// boolean value yes", "invalid regex pattern: ...".
//
// It first checks Comparable(op, mod, t, list) and returns its error with
// the "filter error: " prefix the compiler adds. For a single-value
// operator given several values, every value is parsed but only the first
// is compared (as libsinsp does).
func NewConstCheck(op Op, mod Modifier, t Type, list bool, values []string) (*ConstCheck, error) {
	if err := Comparable(op, mod, t, list); err != nil {
		return nil, errors.New("filter error: " + err.Error())
	}
	c := &ConstCheck{op: op, mod: mod, typ: t, list: list}
	if op == OpExists {
		return c, nil
	}
	for _, v := range values {
		if err := c.add(v); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// usesSet tells whether libsinsp keeps the values in its membership set.
func (c *ConstCheck) usesSet() bool {
	return c.op == OpIn || c.op == OpIntersects ||
		(c.mod != ModNone && (c.op == OpEq || c.op == OpNe))
}

func (c *ConstCheck) add(v string) error {
	if c.op == OpBContains || c.op == OpBStartsWith {
		b, ok := unhex(v)
		if !ok {
			return errors.New("filter error: bcontains and bstartswith operator support hex strings only")
		}
		v = string(b)
	}
	switch c.typ {
	case Uint64, RelTime, AbsTime:
		x, err := parseU64(v)
		if err != nil {
			return err
		}
		c.addNum(x)
	case Bool:
		x, err := parseBool(v)
		if err != nil {
			return err
		}
		c.addNum(x)
	case IPAddr:
		b, err := parseIPAddr(v)
		if err != nil {
			return err
		}
		c.addBuf(b)
	case IPNet:
		n, err := parseIPNet(v)
		if err != nil {
			return err
		}
		c.nets = append(c.nets, n)
		// libsinsp's set holds the parsed networks, which never equal an
		// address: "= anyof" on IPNET is always false, "!= allof" true
		c.hasSet = c.hasSet || c.usesSet()
	case Bytes:
		b, err := parseBytes([]byte(v))
		if err != nil {
			return err
		}
		c.addBuf(b)
	default:
		b, err := parseString(v)
		if err != nil {
			return err
		}
		switch c.op {
		case OpRegex:
			rx, err := compileRegex(string(b))
			if err != nil {
				return err
			}
			c.rxs = append(c.rxs, rx)
		case OpPmatch:
			if c.paths == nil {
				c.paths = newPathTrie()
			}
			c.paths.add(b)
		}
		c.addBuf(b)
	}
	return nil
}

func (c *ConstCheck) addNum(x uint64) {
	if c.typ == Bool {
		x = uint64(uint32(x))
	}
	c.nums = append(c.nums, x)
	if c.usesSet() {
		if c.numSet == nil {
			c.numSet = make(map[uint64]struct{})
		}
		c.numSet[x] = struct{}{}
		c.hasSet = true
	}
}

func (c *ConstCheck) addBuf(b []byte) {
	c.bufs = append(c.bufs, b)
	if c.usesSet() {
		if c.bufSet == nil {
			c.bufSet = make(map[string]struct{})
		}
		c.bufSet[string(b)] = struct{}{}
		c.hasSet = true
	}
}

// count is the number of right-hand values.
func (c *ConstCheck) count() int {
	switch {
	case c.op == OpRegex:
		return len(c.rxs)
	case c.typ.Numeric():
		return len(c.nums)
	case c.typ == IPNet:
		return len(c.nets)
	}
	return len(c.bufs)
}

// Match reports whether l satisfies the check; false when l.N == 0.
//
// An empty list that was produced (l.EmptyList) is not missing: `exists`
// and a list `in` are true for it, a list `intersects` is false.
func (c *ConstCheck) Match(l *Vals) bool {
	if !l.Present() {
		return false
	}
	if c.op == OpExists {
		return true
	}
	if c.list {
		return c.matchList(l)
	}
	if l.N != 1 {
		// libsinsp: no value is false; several throw at evaluation time
		return false
	}
	if c.mod != ModNone {
		return c.matchMod(l)
	}
	switch c.op {
	case OpIn, OpIntersects:
		return c.member(l, 0, true)
	case OpPmatch:
		return c.paths != nil && c.paths.match(craft(c.typ, l.Buf[0]))
	case OpRegex:
		return len(c.rxs) > 0 && regexFull(c.rxs[0], craft(c.typ, l.Buf[0]))
	}
	if c.count() == 0 {
		return false
	}
	return c.elem(c.op, l, 0, 0)
}

// elem compares left value li with right value ri by op (flt_compare).
func (c *ConstCheck) elem(op Op, l *Vals, li, ri int) bool {
	switch c.typ {
	case Uint64, RelTime, AbsTime:
		return cmpNum(op, l.Num[li], c.nums[ri])
	case Bool:
		return cmpBool(op, l.Num[li], c.nums[ri])
	case String:
		return cmpString(op, l.Buf[li], c.bufs[ri])
	case Bytes:
		return cmpBuffer(op, l.Buf[li], c.bufs[ri])
	case IPAddr:
		return cmpIPAddr(op, l.Buf[li], c.bufs[ri])
	case IPNet:
		return cmpIPNet(op, l.Buf[li], &c.nets[ri])
	}
	return false
}

// member tells whether left value li is in the value set. crafted: the
// value is a single (non-list) value, whose trailing NULs libsinsp drops
// first; list items are compared as they are, their terminator included.
func (c *ConstCheck) member(l *Vals, li int, crafted bool) bool {
	switch c.typ {
	case Uint64, RelTime, AbsTime:
		_, ok := c.numSet[l.Num[li]]
		return ok
	case Bool:
		_, ok := c.numSet[uint64(uint32(l.Num[li]))]
		return ok
	case IPNet:
		// libsinsp loops here with CIDR containment
		for i := range c.nets {
			if cmpIPNet(OpEq, l.Buf[li], &c.nets[i]) {
				return true
			}
		}
		return false
	}
	b := l.Buf[li]
	if crafted {
		b = craft(c.typ, b)
	} else if c.typ == String && l.NulTerm {
		// the value counts a NUL, which no parsed string holds
		return false
	}
	_, ok := c.bufSet[string(b)]
	return ok
}

// matchList is a list field's in (every value in the set) or intersects
// (some value in the set).
func (c *ConstCheck) matchList(l *Vals) bool {
	switch c.op {
	case OpIn:
		for i := 0; i < l.N; i++ {
			if !c.member(l, i, false) {
				return false
			}
		}
		return true
	case OpIntersects:
		for i := 0; i < l.N; i++ {
			if c.member(l, i, false) {
				return true
			}
		}
	}
	return false
}

// matchMod applies a modifier: oneof (exactly one value satisfies the
// operator), anyof (at least one), allof (all); false with no value.
func (c *ConstCheck) matchMod(l *Vals) bool {
	op := c.op
	if c.typ == IPNet && op != OpEq && op != OpNe && op != OpRegex {
		op = OpEq
	}
	n := c.count()
	if n == 0 {
		return false
	}
	switch c.mod {
	case ModOneOf:
		hits := 0
		for i := 0; i < n; i++ {
			if c.modElem(op, l, i) {
				hits++
				if hits > 1 {
					return false
				}
			}
		}
		return hits == 1
	case ModAnyOf:
		if op == OpEq && c.hasSet {
			return c.setHas(l)
		}
		for i := 0; i < n; i++ {
			if c.modElem(op, l, i) {
				return true
			}
		}
		return false
	case ModAllOf:
		if op == OpNe && c.hasSet {
			return !c.setHas(l)
		}
		for i := 0; i < n; i++ {
			if !c.modElem(op, l, i) {
				return false
			}
		}
		return true
	}
	return false
}

// setHas is the set lookup of "= anyof" and "!= allof".
func (c *ConstCheck) setHas(l *Vals) bool {
	if c.typ == IPNet {
		return false
	}
	return c.member(l, 0, true)
}

func (c *ConstCheck) modElem(op Op, l *Vals, i int) bool {
	if op == OpRegex {
		return regexFull(c.rxs[i], craft(c.typ, l.Buf[0]))
	}
	// a crafted string loses only trailing NULs, which a C-string
	// comparison ignores anyway
	return c.elem(op, l, 0, i)
}
