package ops

import (
	"encoding/binary"
	"errors"
)

// The multi-value transformers join(sep, list), concat(a, b, ...) and
// getopt(argv, optstring)[c], as libsinsp 0.25 implements them
// (sinsp_filtercheck_multivalue_transformer.cpp).

// MultiTransformerType checks a transformer written with several
// arguments (or join/concat/getopt with one) and returns its result type
// and list-ness, or libsinsp's error. hasArg tells whether a `[c]` field
// argument follows; MultiTransformerTypeArg also checks its length.
//
// argTypes[i] and argLists[i] must be what libsinsp checks, which is the
// argument's field info before its own transformers: a field's declared
// type and list-ness even when a transformer is applied to it (so
// concat(len(x.s), "a") passes as a string), String non-list for a
// literal and for a nested join/concat/getopt (libsinsp's placeholder),
// String list for a `(a, b)` transformer list. argNames is not used in
// libsinsp's messages; it may be nil.
//
// Errors: "unknown field transfomer 'join'" (sic) for join, concat or
// getopt with one argument; "filter error: transformer 'X' does not
// support field arguments" for a one-argument transformer with `[c]`;
// "unknown multivalue transformer" for another name with several
// arguments; then join(), concat() and getopt()'s own messages.
func MultiTransformerType(name string, argTypes []Type, argLists []bool, argNames []string, hasArg bool) (Type, bool, error) {
	arg := ""
	if hasArg {
		arg = "c"
	}
	return MultiTransformerTypeArg(name, argTypes, argLists, arg, hasArg)
}

// MultiTransformerTypeArg is MultiTransformerType given the text of the
// field argument, so that getopt's "getopt() field argument must be a
// single option character" is reported too.
func MultiTransformerTypeArg(name string, argTypes []Type, argLists []bool, arg string, hasArg bool) (Type, bool, error) {
	if len(argTypes) == 1 {
		if hasArg {
			return 0, false, errors.New("filter error: transformer '" + name + "' does not support field arguments")
		}
		return 0, false, UnknownTransformerError(name)
	}
	n := len(argTypes)
	list := func(i int) bool { return i < len(argLists) && argLists[i] }
	switch name {
	case "join":
		switch {
		case n != 2:
			return 0, false, errors.New("join() requires exactly 2 arguments: separator and list")
		case list(0):
			return 0, false, errors.New("join() first argument (separator) must be a single value, not a list")
		case !list(1):
			return 0, false, errors.New("join() second argument must be a list")
		case hasArg:
			return 0, false, errors.New("transformer 'join' does not support field arguments")
		}
		return String, false, nil
	case "concat":
		if n < 2 {
			return 0, false, errors.New("concat() requires at least 2 arguments")
		}
		for i, t := range argTypes {
			if t != String || list(i) {
				return 0, false, errors.New("concat() arguments must be strings")
			}
		}
		if hasArg {
			return 0, false, errors.New("transformer 'concat' does not support field arguments")
		}
		return String, false, nil
	case "getopt":
		switch {
		case n != 2:
			return 0, false, errors.New("getopt() requires exactly 2 arguments: args list and optstring")
		case !list(0):
			return 0, false, errors.New("getopt() first argument must be a list")
		case list(1):
			return 0, false, errors.New("getopt() second argument (optstring) must be a single value")
		case argTypes[0] != String || argTypes[1] != String:
			return 0, false, errors.New("getopt() arguments must be strings")
		}
		if !hasArg {
			return String, true, nil
		}
		if len(arg) != 1 {
			return 0, false, errors.New("getopt() field argument must be a single option character")
		}
		return String, false, nil
	}
	return 0, false, errors.New("unknown multivalue transformer")
}

// rawValue appends to dst value i of v as libsinsp's (ptr, len) holds it:
// a number as its 8 little-endian bytes, a transformed string with its
// terminating NUL, anything else as it is.
func rawValue(dst []byte, v *Vals, i int) []byte {
	if i < len(v.Buf) {
		b := v.Buf[i]
		dst = append(dst, b...)
		if v.NulTerm && (len(b) == 0 || b[len(b)-1] != 0) {
			dst = append(dst, 0)
		}
		return dst
	}
	if i < len(v.Num) {
		return binary.LittleEndian.AppendUint64(dst, v.Num[i])
	}
	return dst
}

// rawView is rawValue without a copy when the bytes are already whole.
func rawView(tmp []byte, v *Vals, i int) []byte {
	if i < len(v.Buf) && !v.NulTerm {
		return v.Buf[i]
	}
	return rawValue(tmp, v, i)
}

// cValue appends value i of v read as a C string, as libsinsp's
// (char*)ptr does: up to the first NUL (a number's bytes up to their
// first zero byte; libsinsp would read past a number with none).
func cValue(dst []byte, v *Vals, i int) []byte {
	if i < len(v.Buf) {
		return append(dst, CStr(v.Buf[i])...)
	}
	if i < len(v.Num) {
		x := v.Num[i]
		for k := 0; k < 8 && byte(x) != 0; k++ {
			dst = append(dst, byte(x))
			x >>= 8
		}
	}
	return dst
}

// RawBytes appends to dst the bytes libsinsp holds for value i of v: what
// join's separator and getopt's optstring are read as (see rawValue).
func RawBytes(dst []byte, v *Vals, i int) []byte { return rawValue(dst, v, i) }

// Join is join(sep, list): the list's values, each read as a C string,
// separated by sep. sep is taken as it is (libsinsp reads the separator
// with its length: pass RawBytes of the separator's first value to keep a
// transformed separator's NUL). An empty list gives "". The result is one
// String value; it is not NulTerm. It returns false when list is missing.
// list must not live in *scratch, which Join truncates.
func Join(sep []byte, list *Vals, out *Vals, scratch *[]byte) bool {
	out.Reset()
	s := (*scratch)[:0]
	if !list.Present() {
		*scratch = s
		return false
	}
	for i := 0; i < list.N; i++ {
		s = cValue(s, list, i)
		if i != list.N-1 {
			s = append(s, sep...)
		}
	}
	*scratch = s
	out.AddBuf(s[:len(s):len(s)])
	return true
}

// JoinVals is Join with the separator given as its operand's values (its
// first value, read with its length as libsinsp does). It returns false
// when either operand is missing or the separator has no value.
func JoinVals(sep *Vals, list *Vals, out *Vals, scratch *[]byte) bool {
	if sep.N == 0 {
		out.Reset()
		return false
	}
	var tmp [64]byte
	sb := rawValue(tmp[:0], sep, 0)
	return Join(sb, list, out, scratch)
}

// Concat is concat(a, b, ...): the first value of each argument, read as
// a C string, end to end. It returns false when an argument is missing
// (or, unlike libsinsp, which reads past the end, is an empty list). The
// result is one String value, not NulTerm. No argument may live in
// *scratch, which Concat truncates.
func Concat(args []*Vals, out *Vals, scratch *[]byte) bool {
	out.Reset()
	s := (*scratch)[:0]
	for _, a := range args {
		if a.N == 0 {
			*scratch = s
			return false
		}
		s = cValue(s, a, 0)
	}
	*scratch = s
	out.AddBuf(s[:len(s):len(s)])
	return true
}

// getoptInfo is a parsed optstring.
type getoptInfo struct {
	valid, hasArg [256]bool
}

func parseOptstring(o []byte) *getoptInfo {
	var info getoptInfo
	i := 0
	if len(o) > 0 && o[0] == ':' {
		i = 1 // ':' first only changes getopt's error reporting
	}
	for ; i < len(o); i++ {
		c := o[i]
		if c == ':' {
			continue
		}
		info.valid[c] = true
		if i+1 < len(o) && o[i+1] == ':' {
			info.hasArg[c] = true
			i++
		}
	}
	return &info
}

// Getopt is getopt(argv, optstring) (hasOpt false) or
// getopt(argv, optstring)[opt] (hasOpt true), scanning argv as getopt(3)
// does: it stops at "--" and at the first argument that is not an option,
// skips long options ("--x"), and splits clusters ("-nt"). In list mode
// the result holds, in order, each option's character and, for one that
// takes an argument, the argument ("" when it is missing, in place of the
// character), and "?" for an unknown option; it may be an empty list
// (EmptyList). With [opt] the result is the last value of that option
// (its argument, or its character when it takes none) and is missing
// when the option does not occur.
//
// argv's values are read with their lengths (a transformed value's NUL
// counts as an option character); optstring is taken as it is (see
// RawBytes). It returns false when argv is missing. argv must not live in
// *scratch, which Getopt truncates. The results are not NulTerm.
func Getopt(argv *Vals, optstring []byte, opt byte, hasOpt bool, out *Vals, scratch *[]byte) bool {
	out.Reset()
	s := (*scratch)[:0]
	if !argv.Present() {
		*scratch = s
		return false
	}
	info := parseOptstring(optstring)
	// results are written to s; their end offsets go to out.Num until the
	// views are made at the end
	selStart, selEnd, selected := 0, 0, false
	emit := func(b []byte) {
		start := len(s)
		s = append(s, b...)
		if hasOpt {
			selStart, selEnd, selected = start, len(s), true
			return
		}
		out.Num = append(out.Num, uint64(start)<<32|uint64(len(s)))
	}
	var argBuf, valBuf [256]byte
	for ai := 0; ai < argv.N; ai++ {
		arg := rawView(argBuf[:0], argv, ai)
		if len(arg) == 2 && arg[0] == '-' && arg[1] == '-' {
			break
		}
		if len(arg) > 2 && arg[0] == '-' && arg[1] == '-' {
			continue
		}
		if len(arg) < 2 || arg[0] != '-' {
			break
		}
		for i := 1; i < len(arg); i++ {
			c := arg[i]
			if c == ':' || !info.valid[c] {
				if !hasOpt {
					emit([]byte{'?'})
				}
				continue
			}
			match := !hasOpt || c == opt
			if !info.hasArg[c] {
				if match {
					emit(arg[i : i+1])
				}
				continue
			}
			// the option's argument: the rest of this word, or the next one
			var val []byte
			found := false
			if i+1 < len(arg) {
				val, found = arg[i+1:], true
			} else if ai+1 < argv.N {
				ai++
				val, found = rawView(valBuf[:0], argv, ai), true
			}
			if match {
				if !found {
					emit(nil)
				} else if hasOpt {
					emit(val)
				} else {
					emit(arg[i : i+1])
					emit(val)
				}
			}
			break
		}
	}
	*scratch = s
	if hasOpt {
		out.Num = out.Num[:0]
		if !selected {
			return false
		}
		out.AddBuf(s[selStart:selEnd:selEnd])
		return true
	}
	n := len(out.Num)
	for k := 0; k < n; k++ {
		start, end := int(out.Num[k]>>32), int(uint32(out.Num[k]))
		out.Buf = append(out.Buf, s[start:end:end])
	}
	out.Num = out.Num[:0]
	out.N = n
	out.List = true
	out.EmptyList = n == 0
	return true
}
