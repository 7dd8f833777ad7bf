package fieldref

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ArgSpec is what a field declares about its argument (a plugin field's
// "arg" object: isRequired, isIndex, isKey).
type ArgSpec struct {
	Required bool
	Index    bool
	Key      bool
}

// Sentinels for errors.Is on the errors of CheckArg and ParseIndex.
var (
	// ErrArgRequired: the field requires an argument and has none.
	ErrArgRequired = errors.New("field argument required")
	// ErrArgNotAllowed: the field takes no argument and has one.
	ErrArgNotAllowed = errors.New("field argument not allowed")
	// ErrArgBrackets: the argument holds a space or ']', which libsinsp's
	// filtercheck cannot read back from the joined `name[arg]` text.
	ErrArgBrackets = errors.New("field argument unreadable by the filtercheck")
	// ErrArgIndex: an index-only field with an argument that is no index.
	// The error also wraps one of the ErrIndex* sentinels.
	ErrArgIndex = errors.New("invalid field index argument")

	ErrIndexLeadingZero = errors.New("invalid index argument starting with 0")
	ErrIndexNotDigits   = errors.New("invalid index argument not composed only by digits")
	ErrIndexRange       = errors.New("invalid index argument not representable on 64 bit")
)

// ArgError is an argument that CheckArg refuses. Msg is libsinsp's message;
// errors.Is matches Kind (an ErrArg* sentinel) and, for ErrArgIndex, the
// ParseIndex error.
type ArgError struct {
	Kind  error
	Msg   string
	cause error
}

func (e *ArgError) Error() string { return e.Msg }

func (e *ArgError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.Kind, e.cause}
	}
	return []error{e.Kind}
}

// ParseIndex reads an index argument as libsinsp's plugin filtercheck does
// (extract_arg_index): decimal ASCII digits only, no leading zero ("0" is
// an index, "" and "01" are not) and a value that fits in 64 bits. The
// error wraps ErrIndexLeadingZero, ErrIndexNotDigits or ErrIndexRange and
// reads like libsinsp's, e.g. "invalid index argument starting with 0: 01".
// As in libsinsp, "" is reported as starting with 0.
func ParseIndex(arg string) (uint64, error) {
	var kind error
	if arg == "" || len(arg) > 1 && arg[0] == '0' {
		kind = ErrIndexLeadingZero
	}
	for i := 0; i < len(arg); i++ {
		if arg[i] < '0' || arg[i] > '9' {
			kind = ErrIndexNotDigits
			break
		}
	}
	if kind == nil {
		v, err := strconv.ParseUint(arg, 10, 64)
		if err == nil {
			return v, nil
		}
		kind = ErrIndexRange
	}
	return 0, fmt.Errorf("%w: %s", kind, arg)
}

// CheckArg checks r's argument against spec as libsinsp's plugin
// filtercheck does when it compiles r (plugin_filtercheck.cpp,
// parse_field_name and extract_arg_index), in its order and with its
// messages; r.Name is the field's name.
//
// libsinsp hands the filtercheck the joined text `name[arg]` (Joined) and
// reads the argument back from it: the text is cut at its first space and
// the argument ends at its first ']'. So an argument holding a space or a
// ']', though the parser accepts it quoted, fails (ErrArgBrackets), after
// the checks below have run on the part libsinsp read.
//
//   - no argument: fine unless spec.Required;
//   - an argument on a field that takes none (no Index, Key or Required);
//   - Index: ParseIndex; an error is fatal unless the field is also Key,
//     which then takes the argument as a key. The index is returned with
//     isIndex true when it parses, for Index fields that are Key too.
//   - Key: any text, "" included.
func (r Ref) CheckArg(spec ArgSpec) (index uint64, isIndex bool, err error) {
	fail := func(kind error, cause error, format string, args ...any) (uint64, bool, error) {
		return 0, false, &ArgError{Kind: kind, Msg: fmt.Sprintf(format, args...), cause: cause}
	}
	// val is what libsinsp's messages quote: the joined text up to its
	// first space, trimmed.
	joined := r.Joined()
	val := joined
	if i := strings.IndexByte(val, ' '); i >= 0 {
		val = val[:i]
	}
	val = trimSpace(val)
	if !r.HasArg {
		if spec.Required {
			return fail(ErrArgRequired, nil, "filter '%s': %s requires an argument but none provided", val, r.Name)
		}
		return 0, false, nil
	}
	start := strings.IndexByte(val, '[') + 1
	if start-1 != len(r.Name) {
		// Not a field name (Scan never returns one with '[' or a space):
		// libsinsp's lookup would not match the field.
		return fail(ErrArgBrackets, nil, "filter_check called with nonexistent field %s", joined)
	}
	if start >= len(val) {
		return fail(ErrArgBrackets, nil, "filter '%s': %s terminates with incomplete argument brackets", val, r.Name)
	}
	arg := val[start:]
	end := strings.IndexByte(arg, ']')
	if end < 0 {
		return fail(ErrArgBrackets, nil, "filter '%s': %s has unbalanced argument brackets", val, r.Name)
	}
	arg = arg[:end]
	if !spec.Index && !spec.Key && !spec.Required {
		return fail(ErrArgNotAllowed, nil, "filter '%s': %s does not allow nor require an argument but one is provided: %s",
			val, r.Name, arg)
	}
	if spec.Index {
		v, err := ParseIndex(arg)
		switch {
		case err == nil:
			index, isIndex = v, true
		case !spec.Key:
			return fail(ErrArgIndex, err, "filter %s %s has an %v", val, r.Name, err)
		}
	}
	if start+end+1 != len(joined) {
		return fail(ErrArgBrackets, nil, "filter_check called with nonexistent field %s", joined)
	}
	return index, isIndex, nil
}

// trimSpace trims C isspace bytes from both ends, as libsinsp's trim_sv.
func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}
