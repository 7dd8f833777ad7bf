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
//
// Strings are C strings, as in libsinsp: a consumer stops at the first NUL
// (only b64 and join can put one inside a value; see CStr).
//
// Three flags carry what libsinsp knows about the values beyond the bytes;
// the zero value of each is right for values read from a plugin:
//   - List: the operand is a list (EPF_IS_LIST after its transformers).
//     Apply needs it (len counts a list's items but measures a value).
//   - EmptyList: the operand is a list that was produced but holds no
//     value (a `()` transformer list, or getopt() finding no option). N is
//     0 but the operand is not missing: `exists` and list `in` are true.
//   - NulTerm: the values come out of tolower/toupper/b64/basename, whose
//     libsinsp copies count a terminating NUL in their length. The bytes
//     in Buf do not hold it; only byte-exact set membership sees it (so a
//     transformed list never matches `in (...)`, as in libsinsp).
type Vals struct {
	N   int
	Num []uint64
	Buf [][]byte

	List      bool
	EmptyList bool
	NulTerm   bool
}

// Reset empties v, keeping its storage.
func (v *Vals) Reset() {
	v.N, v.Num, v.Buf = 0, v.Num[:0], v.Buf[:0]
	v.List, v.EmptyList, v.NulTerm = false, false, false
}

// AddNum appends a numeric value.
func (v *Vals) AddNum(x uint64) { v.Num = append(v.Num, x); v.N++ }

// AddBuf appends a string, buffer or address value (a view, not copied).
func (v *Vals) AddBuf(b []byte) { v.Buf = append(v.Buf, b); v.N++ }

// Present reports whether the operand has a value: N > 0, or an empty
// list that was produced (EmptyList).
func (v *Vals) Present() bool { return v.N > 0 || v.EmptyList }

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
