package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"unicode/utf8"
)

// Falco builds its JSON alerts with nlohmann::json and dumps them with
// error_handler_t::replace. These helpers write the same bytes: object keys
// sorted, strings with only '"', '\\' and control characters escaped
// (\u00xx in lower case), other text raw, and each maximal invalid UTF-8
// subpart replaced by one U+FFFD.

// appendJSONString appends s as nlohmann's dump writes a string.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				dst = append(dst, '\\', '"')
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				if c < 0x20 {
					dst = fmt.Appendf(dst, "\\u%04x", c)
				} else {
					dst = append(dst, c)
				}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || n > 1 {
			dst = append(dst, s[i:i+n]...)
			i += n
			continue
		}
		dst = append(dst, "\uFFFD"...)
		i += invalidUTF8Len(s[i:])
	}
	return append(dst, '"')
}

// invalidUTF8Len is the length of the maximal subpart of an invalid UTF-8
// sequence at the start of s: the lead byte and the continuation bytes
// that could still have completed it (at least 1).
func invalidUTF8Len(s string) int {
	lo, hi, need := byte(0x80), byte(0xBF), 0
	switch c := s[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		lo, need = 0xA0, 2
	case c == 0xED:
		hi, need = 0x9F, 2
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		lo, need = 0x90, 3
	case c == 0xF4:
		hi, need = 0x8F, 3
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		if s[n] < lo || s[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
	}
	return n
}

// jsonObject is a JSON object whose values are kept as they were decoded,
// so that numbers keep their text.
type jsonObject map[string]any

// decodeJSONObject reads the object a filter.Formatter rendered as JSON;
// "null" (a format with no fields) is an empty object.
func decodeJSONObject(data []byte) (jsonObject, error) {
	obj := jsonObject{}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return obj, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	for k, v := range m {
		obj[k] = v
	}
	return obj, nil
}

// appendJSONValue appends v (as decoded with UseNumber, or built by the
// engine) as nlohmann dumps it.
func appendJSONValue(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		if v {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case json.Number:
		return append(dst, v...)
	case string:
		return appendJSONString(dst, v)
	case []string:
		dst = append(dst, '[')
		for i, s := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, s)
		}
		return append(dst, ']')
	case []any:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONValue(dst, e)
		}
		return append(dst, ']')
	case map[string]any:
		return appendJSONValue(dst, jsonObject(v))
	case jsonObject:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, k)
			dst = append(dst, ':')
			dst = appendJSONValue(dst, v[k])
		}
		return append(dst, '}')
	}
	panic(fmt.Sprintf("rules: no JSON form for %T", v))
}
