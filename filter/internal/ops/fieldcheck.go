package ops

import "errors"

// FieldCheck compares an operand with a right-hand field's values (val()
// and transformers on the right side). Immutable, safe for concurrent use.
type FieldCheck struct {
	op    Op
	mod   Modifier
	typ   Type
	llist bool
}

// typeDesc is a type as check_rhs_field_type_consistency prints it.
func typeDesc(t Type, list bool) string {
	if list {
		return t.String() + " (list)"
	}
	return t.String()
}

// NewFieldCheck validates a check between a left operand (lname, of type
// lt, a list when llist) and a right one (rname, rt, rlist) and prepares
// it. Errors are libsinsp's words, e.g. "field 'a' has type 'CHARBUF'
// while the right-hand side field 'b' has incompatible type 'CHARBUF
// (list)'".
//
// The checks run in libsinsp's order: Comparable on the left (its error
// with the "filter error: " prefix), then pmatch and regex ("operator
// 'PMATCH' doesn't support right-hand side fields"), then an IPNET left
// side, then the types. The names are libsinsp's field names (the field's
// own name even when transformed; "NA" for a multi-value transformer).
func NewFieldCheck(op Op, mod Modifier, lname string, lt Type, llist bool, rname string, rt Type, rlist bool) (*FieldCheck, error) {
	if err := Comparable(op, mod, lt, llist); err != nil {
		return nil, errors.New("filter error: " + err.Error())
	}
	if op == OpPmatch || op == OpRegex {
		return nil, errors.New("operator '" + op.upperName() + "' doesn't support right-hand side fields")
	}
	if lt == IPNet {
		return nil, errors.New("field type 'IPNET' doesn't support right-hand side fields")
	}
	if lt != rt || llist != rlist {
		return nil, errors.New("field '" + lname + "' has type '" + typeDesc(lt, llist) +
			"' while the right-hand side field '" + rname + "' has incompatible type '" +
			typeDesc(rt, rlist) + "'")
	}
	return &FieldCheck{op: op, mod: mod, typ: lt, llist: llist}, nil
}

// Match reports whether l and r satisfy the check; false when either is
// missing.
func (c *FieldCheck) Match(l, r *Vals) bool {
	if !l.Present() || !r.Present() {
		return false
	}
	if c.op == OpExists {
		return true
	}
	if c.llist {
		switch c.op {
		case OpIn:
			for i := 0; i < l.N; i++ {
				if !c.member(l, i, false, r) {
					return false
				}
			}
			return true
		case OpIntersects:
			for i := 0; i < l.N; i++ {
				if c.member(l, i, false, r) {
					return true
				}
			}
		}
		return false
	}
	if l.N != 1 {
		return false
	}
	if c.mod != ModNone {
		return c.matchMod(l, r)
	}
	switch c.op {
	case OpIn, OpIntersects:
		return c.member(l, 0, true, r)
	}
	if r.N == 0 {
		return false
	}
	return c.elem(c.op, l, r, 0)
}

func (c *FieldCheck) elem(op Op, l, r *Vals, ri int) bool {
	switch c.typ {
	case Uint64, RelTime, AbsTime:
		return cmpNum(op, l.Num[0], r.Num[ri])
	case Bool:
		return cmpBool(op, l.Num[0], r.Num[ri])
	case String:
		return cmpString(op, l.Buf[0], r.Buf[ri])
	case Bytes:
		return cmpBuffer(op, l.Buf[0], r.Buf[ri])
	case IPAddr:
		return cmpIPAddr(op, l.Buf[0], r.Buf[ri])
	}
	return false
}

// member is libsinsp's set membership of left value li among the right
// values, byte for byte as libsinsp holds them (a single left value is
// crafted first: trailing NULs dropped).
func (c *FieldCheck) member(l *Vals, li int, crafted bool, r *Vals) bool {
	if c.typ.Numeric() {
		x := l.Num[li]
		for j := 0; j < r.N; j++ {
			if c.typ == Bool && uint32(r.Num[j]) == uint32(x) || c.typ != Bool && r.Num[j] == x {
				return true
			}
		}
		return false
	}
	b, bNul := l.Buf[li], l.NulTerm && c.typ == String
	if crafted {
		b, bNul = craft(c.typ, b), false
	}
	for j := 0; j < r.N; j++ {
		if effEqual(b, bNul, r.Buf[j], r.NulTerm && c.typ == String) {
			return true
		}
	}
	return false
}

func (c *FieldCheck) matchMod(l, r *Vals) bool {
	if r.N == 0 {
		return false
	}
	switch c.mod {
	case ModOneOf:
		hits := 0
		for i := 0; i < r.N; i++ {
			if c.elem(c.op, l, r, i) {
				hits++
			}
		}
		return hits == 1
	case ModAnyOf:
		for i := 0; i < r.N; i++ {
			if c.elem(c.op, l, r, i) {
				return true
			}
		}
		return false
	case ModAllOf:
		for i := 0; i < r.N; i++ {
			if !c.elem(c.op, l, r, i) {
				return false
			}
		}
		return true
	}
	return false
}
