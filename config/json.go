package config

import (
	"github.com/plughost/plughost/internal/nlohmann"
	"math"
	"sort"
	"strconv"
	"strings"
)

// appendJSON writes n as Falco turns a YAML init_config map into JSON
// (yaml_helper's convert<nlohmann::json>, then dump): object keys sorted,
// each scalar tried as a 32-bit int, then a double, then a yaml-cpp bool,
// then a string, whatever its quoting; an empty map and a null are null.
func appendJSON(dst []byte, n *node, top bool) []byte {
	switch n.kind {
	case kindMap:
		if len(n.keys) == 0 {
			return append(dst, "null"...)
		}
		last := map[string]*node{}
		for i, k := range n.keys {
			last[k] = n.vals[i]
		}
		keys := make([]string, 0, len(last))
		for k := range last {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = nlohmann.AppendString(dst, k)
			dst = append(dst, ':')
			dst = appendJSON(dst, last[k], false)
		}
		return append(dst, '}')
	case kindSeq:
		if len(n.items) == 0 {
			return append(dst, "null"...)
		}
		dst = append(dst, '[')
		for i, it := range n.items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, it, false)
		}
		return append(dst, ']')
	case kindScalar:
		if i, ok := yamlInt(n.text); ok {
			return strconv.AppendInt(dst, int64(i), 10)
		}
		if f, ok := yamlDouble(n.text); ok {
			return appendNlohmannDouble(dst, f)
		}
		if b, ok := parseBool(n.text); ok {
			return strconv.AppendBool(dst, b)
		}
		return nlohmann.AppendString(dst, n.text)
	}
	return append(dst, "null"...)
}

// yamlInt is yaml-cpp's convert<int>: decimal, 0x hex or 0o octal, an
// optional sign, nothing else around it, within 32 bits.
func yamlInt(s string) (int32, bool) {
	if s == "" || strings.TrimSpace(s) != s {
		return 0, false
	}
	t, neg := s, false
	if t[0] == '-' || t[0] == '+' {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := 10
	switch {
	case strings.HasPrefix(t, "0x"):
		base, t = 16, t[2:]
	case strings.HasPrefix(t, "0o"):
		base, t = 8, t[2:]
	}
	if t == "" || t[0] == '+' || t[0] == '-' {
		return 0, false
	}
	v, err := strconv.ParseInt(t, base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return int32(v), true
}

// yamlDouble is yaml-cpp's convert<double>: a number stream extraction
// that uses the whole text, or .inf/.nan spellings.
func yamlDouble(s string) (float64, bool) {
	switch s {
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1), true
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1), true
	case ".nan", ".NaN", ".NAN":
		return math.NaN(), true
	}
	if s == "" || strings.ContainsAny(s, "_xXpP") || strings.TrimSpace(s) != s {
		return 0, false
	}
	lower := strings.ToLower(s)
	if strings.Contains(lower, "inf") || strings.Contains(lower, "nan") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// appendNlohmannDouble prints f as nlohmann::json dumps a double: the
// shortest round-trip digits, fixed notation for decimal exponents from
// -4 to 15 (with ".0" on integral values), else d.ddde+XX; NaN and the
// infinities as null.
func appendNlohmannDouble(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	if f == 0 {
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	k := len(digits)
	n := x + 1 // position of the decimal point
	switch {
	case k <= n && n <= 15:
		dst = append(dst, digits...)
		dst = append(dst, strings.Repeat("0", n-k)...)
		return append(dst, ".0"...)
	case 0 < n && n <= 15:
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		return append(dst, digits[n:]...)
	case -4 < n && n <= 0:
		dst = append(dst, "0."...)
		dst = append(dst, strings.Repeat("0", -n)...)
		return append(dst, digits...)
	}
	dst = append(dst, digits[0])
	if k > 1 {
		dst = append(dst, '.')
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'e')
	if x < 0 {
		dst = append(dst, '-')
		x = -x
	} else {
		dst = append(dst, '+')
	}
	if x < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(x), 10)
}
