// Package ops holds the typed value model of the filter engine and
// everything that works on values alone: the comparison operators and
// modifiers with libsinsp's semantics, the parsing of constant right-hand
// values per field type, and the field transformers. It knows nothing of
// plugins, events or the AST.
package ops

// Type is a field type as libsinsp names it (ppm_param_type), restricted
// to what plugin fields, generic evt.* fields and transformers produce.
type Type uint8

const (
	Uint64  Type = iota // PT_UINT64
	RelTime             // PT_RELTIME
	AbsTime             // PT_ABSTIME
	Bool                // PT_BOOL
	String              // PT_CHARBUF
	Bytes               // PT_BYTEBUF
	IPAddr              // PT_IPADDR
	IPNet               // PT_IPNET
)

// String is libsinsp's name of the type in messages ("UINT64", "CHARBUF").
func (t Type) String() string {
	switch t {
	case Uint64:
		return "UINT64"
	case RelTime:
		return "RELTIME"
	case AbsTime:
		return "ABSTIME"
	case Bool:
		return "BOOL"
	case String:
		return "CHARBUF"
	case Bytes:
		return "BYTEBUF"
	case IPAddr:
		return "IPADDR"
	case IPNet:
		return "IPNET"
	}
	return "UNKNOWN"
}

// Numeric reports whether values of t live in Vals.Num (Uint64, RelTime,
// AbsTime, Bool as 0/1); the others live in Vals.Buf.
func (t Type) Numeric() bool { return t <= Bool }

// Vals is the values of one operand for one event: N of them (0 means
// missing), in Num[:N] for numeric types or Buf[:N] for the others (string
// bytes without a NUL, buffer bytes, 4- or 16-byte addresses). A Vals is
// reused from event to event; Buf entries are views valid for one event.
type Vals struct {
	N   int
	Num []uint64
	Buf [][]byte
}

// Reset empties v, keeping its storage.
func (v *Vals) Reset() { v.N, v.Num, v.Buf = 0, v.Num[:0], v.Buf[:0] }

// AddNum appends a numeric value.
func (v *Vals) AddNum(x uint64) { v.Num = append(v.Num, x); v.N++ }

// AddBuf appends a string, buffer or address value (a view, not copied).
func (v *Vals) AddBuf(b []byte) { v.Buf = append(v.Buf, b); v.N++ }

// Op is a comparison operator.
type Op uint8

const (
	OpExists Op = iota
	OpEq        // "=" and "=="
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpContains
	OpIContains
	OpBContains
	OpStartsWith
	OpBStartsWith
	OpEndsWith
	OpGlob
	OpIGlob
	OpPmatch
	OpRegex
	OpIn
	OpIntersects
)

// Modifier is a string-operator modifier.
type Modifier uint8

const (
	ModNone Modifier = iota
	ModOneOf
	ModAnyOf
	ModAllOf
)

// ParseOp maps an operator as the AST stores it ("=", "startswith anyof")
// to its Op and Modifier; ok is false for an unknown operator.
func ParseOp(text string) (op Op, mod Modifier, ok bool) {
	panic("ops: ParseOp not implemented")
}

// Comparable returns nil when op (with mod) may be applied to a field of
// type t (a list field when list), else an error whose text is libsinsp's
// flt_is_comparable message without the "filter error: " prefix, e.g.
// "'contains' operator not supported for numeric filters".
func Comparable(op Op, mod Modifier, t Type, list bool) error {
	panic("ops: Comparable not implemented")
}

// ConstCheck compares an operand with constant right-hand values. It is
// immutable once built and safe for concurrent use.
type ConstCheck struct {
	// implementation-defined
	op  Op
	mod Modifier
	typ Type
}

// NewConstCheck parses values (one for single-value operators; the list
// items for in/intersects/pmatch and modifiers) as libsinsp's value parser
// does for type t, and prepares the comparison. Errors are libsinsp's
// words, e.g. "0x10 is not a valid number", "filter error: unrecognized
// boolean value yes", "invalid regex pattern: ...".
func NewConstCheck(op Op, mod Modifier, t Type, list bool, values []string) (*ConstCheck, error) {
	panic("ops: NewConstCheck not implemented")
}

// Match reports whether l satisfies the check; false when l.N == 0.
func (c *ConstCheck) Match(l *Vals) bool {
	panic("ops: Match not implemented")
}

// FieldCheck compares an operand with a right-hand field's values (val()
// and transformers on the right side). Immutable, safe for concurrent use.
type FieldCheck struct {
	op  Op
	mod Modifier
	typ Type
}

// NewFieldCheck validates a check between a left operand (lname, of type
// lt, a list when llist) and a right one (rname, rt, rlist) and prepares
// it. Errors are libsinsp's words, e.g. "field 'a' has type 'CHARBUF'
// while the right-hand side field 'b' has incompatible type 'CHARBUF
// (list)'".
func NewFieldCheck(op Op, mod Modifier, lname string, lt Type, llist bool, rname string, rt Type, rlist bool) (*FieldCheck, error) {
	panic("ops: NewFieldCheck not implemented")
}

// Match reports whether l and r satisfy the check; false when either is
// missing.
func (c *FieldCheck) Match(l, r *Vals) bool {
	panic("ops: FieldCheck.Match not implemented")
}

// Transformer is a single-argument field transformer.
type Transformer uint8

const (
	ToLower Transformer = iota
	ToUpper
	B64
	Basename
	Len
)

// LookupTransformer maps "tolower" ... "len" to a Transformer.
func LookupTransformer(name string) (Transformer, bool) {
	panic("ops: LookupTransformer not implemented")
}

// TransformedType returns the type and list-ness after applying tr to a
// field named field of type t (list when list), or libsinsp's error, e.g.
// "can't add field transformer: type 'UINT64' is not supported by
// 'tolower' transformer applied on field 'F'".
func (tr Transformer) TransformedType(field string, t Type, list bool) (Type, bool, error) {
	panic("ops: TransformedType not implemented")
}

// Apply transforms in (of type t) into out, writing any new bytes into
// scratch (reused per event; out.Buf views point into it). It returns
// false when the result is missing (b64 of invalid input; an empty input).
func (tr Transformer) Apply(t Type, in *Vals, out *Vals, scratch *[]byte) bool {
	panic("ops: Apply not implemented")
}
