package loader

import (
	"testing"
)

// get_fields and the source lists are JSON from the plugin: never panic, and
// every accepted field must satisfy the rules parseFields enforces.
func FuzzParseFields(f *testing.F) {
	f.Add(`[{"type":"string","name":"a.b","desc":"d"}]`)
	f.Add(`[{"type":"uint64","name":"a.b","desc":"d","isList":true,"arg":{"isIndex":true,"isRequired":true},"properties":["hidden"]}]`)
	f.Add(`[{"type":"ipnet","name":"x","desc":"d","arg":{"isRequired":true}}]`)
	f.Add(`{}`)
	f.Add(`[1,null,"x"]`)
	f.Fuzz(func(t *testing.T, js string) {
		fields, _, err := parseFields(js)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, fl := range fields {
			if fl.Name == "" || fl.Desc == "" || seen[fl.Name] {
				t.Fatalf("accepted an invalid field: %+v", fl)
			}
			if fl.Arg.IsRequired && !fl.Arg.Allowed() {
				t.Fatalf("accepted a required arg of no kind: %+v", fl)
			}
			seen[fl.Name] = true
		}
		_, _ = parseSourceList(js)
	})
}
