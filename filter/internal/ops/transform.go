package ops

import "errors"

// Transformer is a single-argument field transformer.
type Transformer uint8

const (
	ToLower Transformer = iota
	ToUpper
	B64
	Basename
	Len
)

var transformerNames = [...]string{
	ToLower:  "tolower",
	ToUpper:  "toupper",
	B64:      "b64",
	Basename: "basename",
	Len:      "len",
}

// String is the transformer's name ("tolower").
func (tr Transformer) String() string {
	if int(tr) < len(transformerNames) {
		return transformerNames[tr]
	}
	return "unknown"
}

// LookupTransformer maps "tolower" ... "len" to a Transformer.
func LookupTransformer(name string) (Transformer, bool) {
	for i, n := range transformerNames {
		if n == name {
			return Transformer(i), true
		}
	}
	return 0, false
}

// UnknownTransformerError is libsinsp's error for a one-argument
// transformer it does not know, such as join(x) (sic: "transfomer").
func UnknownTransformerError(name string) error {
	return errors.New("unknown field transfomer '" + name + "'")
}

// TransformedType returns the type and list-ness after applying tr to a
// field named field of type t (list when list), or libsinsp's error, e.g.
// "can't add field transformer: type 'UINT64' is not supported by
// 'tolower' transformer applied on field 'F'".
//
// t and list are the operand's after any inner transformer; field is the
// name of the field underneath (libsinsp names the original field). On a
// list the message says "applied on list field 'F'".
func (tr Transformer) TransformedType(field string, t Type, list bool) (Type, bool, error) {
	ok := false
	rt, rlist := t, list
	switch tr {
	case ToLower, ToUpper, Basename:
		ok = t == String
	case B64:
		ok = t == String || t == Bytes
	case Len:
		if list {
			ok, rt, rlist = true, Uint64, false
		} else if t == String || t == Bytes {
			ok, rt = true, Uint64
		}
	}
	if !ok {
		on := "field '"
		if list {
			on = "list field '"
		}
		return 0, false, errors.New("can't add field transformer: type '" + t.String() +
			"' is not supported by '" + tr.String() + "' transformer applied on " + on + field + "'")
	}
	return rt, rlist, nil
}

// Apply transforms in (of type t) into out, writing any new bytes into
// scratch (reused per event; out.Buf views point into it). It returns
// false when the result is missing (b64 of invalid input; an empty input).
//
// Apply truncates *scratch first, so in must not live in it (chain
// transformers with one scratch each), and in and out must differ. len
// counts the items when in.List is set (see ApplyList). String results
// have NulTerm set; a b64 BYTEBUF result ends with the NUL libsinsp adds.
// It does not allocate once scratch and out have grown enough.
func (tr Transformer) Apply(t Type, in *Vals, out *Vals, scratch *[]byte) bool {
	return tr.ApplyList(t, in.List, in, out, scratch)
}

// ApplyList is Apply with the input's list-ness given explicitly: list is
// what libsinsp believes of the input (EPF_IS_LIST of the field info its
// transformers start from).
func (tr Transformer) ApplyList(t Type, list bool, in *Vals, out *Vals, scratch *[]byte) bool {
	out.Reset()
	*scratch = (*scratch)[:0]
	if !in.Present() {
		return false
	}
	if tr == Len {
		return applyLen(t, list, in, out)
	}
	switch tr {
	case ToLower, ToUpper, Basename:
		if t != String {
			return false
		}
	case B64:
		if t != String && t != Bytes {
			return false
		}
	default:
		return false
	}
	// write every result into scratch first, keeping the end offsets in
	// out.Num, then make the views: scratch may move while it grows
	s := *scratch
	for i := 0; i < in.N; i++ {
		src := in.Buf[i]
		for len(src) > 0 && src[len(src)-1] == 0 {
			src = src[:len(src)-1]
		}
		start := len(s)
		switch tr {
		case ToLower:
			for _, c := range src {
				s = append(s, lowerASCII(c))
			}
		case ToUpper:
			for _, c := range src {
				if c >= 'a' && c <= 'z' {
					c -= 'a' - 'A'
				}
				s = append(s, c)
			}
		case Basename:
			j := len(src)
			for j > 0 && src[j-1] != '/' {
				j--
			}
			s = append(s, src[j:]...)
		case B64:
			var ok bool
			s, ok = b64Decode(s, src)
			if !ok {
				*scratch = s[:0]
				out.Reset()
				return false
			}
			if t == Bytes && (len(s) == start || s[len(s)-1] != 0) {
				s = append(s, 0)
			}
		}
		out.Num = append(out.Num, uint64(len(s)))
	}
	*scratch = s
	start := 0
	for i := 0; i < in.N; i++ {
		end := int(out.Num[i])
		out.Buf = append(out.Buf, s[start:end:end])
		start = end
	}
	out.Num = out.Num[:0]
	out.N = in.N
	out.List = in.List
	out.EmptyList = in.EmptyList
	out.NulTerm = t == String
	return true
}

func applyLen(t Type, list bool, in, out *Vals) bool {
	if list {
		out.AddNum(uint64(in.N))
		return true
	}
	if in.N != 1 {
		// none: no value; several (a non-list input holding more than one
		// value) makes libsinsp throw at evaluation time
		return false
	}
	switch t {
	case String:
		out.AddNum(uint64(len(CStr(in.Buf[0]))))
	case Bytes:
		out.AddNum(uint64(len(in.Buf[0])))
	default:
		return false
	}
	return true
}

// b64Value is the standard alphabet's reverse table: 64 marks a byte that
// is not in it.
var b64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 64
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// b64Decode appends the decoding of in to dst as libsinsp's
// Base64::decodeWithoutPadding does: up to two trailing '=' are dropped,
// the rest must be alphabet characters whose count is not 1 modulo 4,
// and the bits past the last whole byte must be zero. An empty input
// decodes to nothing.
func b64Decode(dst, in []byte) ([]byte, bool) {
	if len(in) == 0 {
		return dst, true
	}
	n := len(in)
	if in[n-1] == '=' {
		n--
		if n > 0 && in[n-1] == '=' {
			n--
		}
	}
	if n == 0 || n%4 == 1 {
		return dst, false
	}
	var acc uint32
	for i := 0; i < n; i++ {
		v := b64Value[in[i]]
		if v == 64 {
			return dst, false
		}
		acc = acc<<6 | uint32(v)
		if i%4 == 3 {
			dst = append(dst, byte(acc>>16), byte(acc>>8), byte(acc))
			acc = 0
		}
	}
	switch n % 4 {
	case 2:
		if acc&0xf != 0 {
			return dst, false
		}
		dst = append(dst, byte(acc>>4))
	case 3:
		if acc&0x3 != 0 {
			return dst, false
		}
		dst = append(dst, byte(acc>>10), byte(acc>>2))
	}
	return dst, true
}
