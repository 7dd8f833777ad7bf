package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/plughost/plughost/internal/nlohmann"
	"sort"
)

// Falco builds its JSON alerts with nlohmann::json and dumps them with
// error_handler_t::replace. These helpers write the same bytes: object keys
// sorted, strings with only '"', '\\' and control characters escaped
// (\u00xx in lower case), other text raw, and each maximal invalid UTF-8
// subpart replaced by one U+FFFD.

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
		return nlohmann.AppendString(dst, v)
	case []string:
		dst = append(dst, '[')
		for i, s := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = nlohmann.AppendString(dst, s)
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
			dst = nlohmann.AppendString(dst, k)
			dst = append(dst, ':')
			dst = appendJSONValue(dst, v[k])
		}
		return append(dst, '}')
	}
	panic(fmt.Sprintf("rules: no JSON form for %T", v))
}
