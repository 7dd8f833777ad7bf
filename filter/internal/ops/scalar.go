package ops

// The accessors below let the evaluator run the commonest checks, one
// plain field against one constant, in a tight loop over a column instead
// of filling a Vals per event. They answer exactly as Match does for a
// single, non-list left value.

// Uint64Scalar returns op and the constant of a check on a numeric
// non-list field with one of = != < <= > >= and one value.
func (c *ConstCheck) Uint64Scalar() (op Op, v uint64, ok bool) {
	if c.list || c.mod != ModNone || (c.typ != Uint64 && c.typ != RelTime && c.typ != AbsTime) || len(c.nums) != 1 {
		return 0, 0, false
	}
	switch c.op {
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe:
		return c.op, c.nums[0], true
	}
	return 0, 0, false
}

// StringScalar returns op and the constant of a check on a string non-list
// field with one single-value string operator and one value (not pmatch,
// regex, in or intersects, whose constants are sets or compiled forms).
func (c *ConstCheck) StringScalar() (op Op, v []byte, ok bool) {
	if c.list || c.mod != ModNone || c.typ != String || len(c.bufs) != 1 {
		return 0, nil, false
	}
	switch c.op {
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpContains, OpIContains, OpStartsWith, OpEndsWith, OpGlob, OpIGlob:
		return c.op, c.bufs[0], true
	}
	return 0, nil, false
}

// MatchString compares one plugin string value a with constant b by op,
// as Match does (C-string semantics).
func MatchString(op Op, a, b []byte) bool { return cmpString(op, a, b) }
