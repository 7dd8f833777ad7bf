package capability_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/plughost/plughost/capability"
)

// FuzzParseOpenParams: ParseOpenParams never panics, and what it accepts is
// a JSON array with one object per entry, each with a non-empty string
// value that the entry carries verbatim.
func FuzzParseOpenParams(f *testing.F) {
	for _, s := range []string{
		`[{"value":"3","desc":"three events"}]`,
		`[{"value":"a","desc":"d","separator":";"},{"value":"b"}]`,
		`[]`, `[{}]`, `[{"value":""}]`, `[{"value":1}]`, `{"value":"x"}`, `[null]`, `"x"`, ``,
		`[{"value":"x","desc":null,"separator":null}]`, `[{"value":"x","value":"y"}]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, js string) {
		params, err := capability.ParseOpenParams(js)
		if err != nil {
			if params != nil {
				t.Fatalf("error %v with params %#v", err, params)
			}
			return
		}
		if strings.TrimSpace(js) == "null" {
			// A known divergence, see TestParseOpenParamsRejectsJSONNullExtra.
			return
		}
		var entries []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(js), &entries); err != nil || entries == nil {
			t.Fatalf("accepted %q, which is not a JSON array of objects (%v)", js, err)
		}
		if len(entries) != len(params) {
			t.Fatalf("accepted %q as %d entries, the array has %d", js, len(params), len(entries))
		}
		for i, p := range params {
			if p.Value == "" {
				t.Fatalf("accepted %q with an empty value in entry %d", js, i)
			}
			var v string
			if err := json.Unmarshal(entries[i]["value"], &v); err != nil || v != p.Value {
				t.Fatalf("entry %d of %q: value %q, the JSON says %q (%v)", i, js, p.Value, v, err)
			}
		}
	})
}

// libsinsp (sinsp_plugin::list_open_params) rejects any document that is
// not a JSON array; ParseOpenParams must too, including a bare null.
func TestParseOpenParamsRejectsJSONNullExtra(t *testing.T) {
	for _, js := range []string{`null`, ` null `, `{}`, `"x"`, `3`} {
		params, err := capability.ParseOpenParams(js)
		assert.Error(t, err, "%q was accepted as %#v", js, params)
	}
}
