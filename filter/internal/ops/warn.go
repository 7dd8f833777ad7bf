package ops

import "strings"

// RegexWarning reports whether libsinsp's compiler warns about the regex
// value v (check_warnings_regex_value): v has no regex syntax beyond a
// leading '^', a trailing '$', and a leading or trailing ".*", ".+" or
// ".?", so a simpler operator would do. The warning is RegexWarningText.
func RegexWarning(v string) bool {
	const special = ".+*?^$()[]{}|\\"
	const occurrence = "+*?"
	// strchr finds the terminator too: a NUL counts as in both sets
	in := func(set string, c byte) bool { return c == 0 || strings.IndexByte(set, c) >= 0 }
	n := len(v)
	for i := 0; i < n; i++ {
		if (i == 0 && v[i] == '^') || (i == n-1 && v[i] == '$') {
			continue
		}
		if ((i == 0 && n > 1) || i == n-2) && v[i] == '.' && in(occurrence, v[i+1]) {
			i++
			continue
		}
		if in(special, v[i]) {
			return false
		}
	}
	return true
}

// RegexWarningText is the warning RegexWarning stands for.
func RegexWarningText(v string) string {
	return "regex check with '" + v + "' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'"
}

// TransformerValueWarning reports whether libsinsp's compiler warns that
// the constant v looks like a transformer (check_warnings_transformer_value):
// with its blanks removed it reads NAME(...) for val, tolower, toupper, b64,
// basename, len, join, concat or getopt. The warning is
// "'v' may be a valid field transformer misused as a const string value".
func TransformerValueWarning(v string) bool {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if !isCSpace(v[i]) {
			b.WriteByte(v[i])
		}
	}
	s := b.String()
	for _, t := range [...]string{"val", "tolower", "toupper", "b64", "basename", "len", "join", "concat", "getopt"} {
		if len(s) >= len(t)+2 && strings.HasPrefix(s, t) && s[len(t)] == '(' && s[len(s)-1] == ')' {
			return true
		}
	}
	return false
}
