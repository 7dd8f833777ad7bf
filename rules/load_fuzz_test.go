package rules

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary files to a loader: it must never panic, and
// its results must always render.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/load/*.yaml")
	for _, s := range seeds {
		if c, err := os.ReadFile(s); err == nil {
			f.Add(c)
		}
	}
	f.Add([]byte("- rule: r\n  desc: d\n  condition: conform.num > 1\n  output: o\n  priority: info\n  source: conform\n  exceptions:\n  - name: e\n    fields: [conform.str]\n    values: [[a]]\n"))
	f.Add([]byte("- macro: a\n  condition: b\n- macro: b\n  condition: a\n  override: {condition: append}\n"))
	f.Add([]byte("- &x {list: l, items: [*x]}\n"))
	f.Add([]byte("\n\n- list: \"\\u00e9\"\n  items: ['', \"a b\"]\n"))
	reg := conformRegistry(f)
	f.Fuzz(func(t *testing.T, content []byte) {
		l := NewLoader(Env{Registry: reg, Sources: []string{"conform"}})
		for i := 0; i < 2; i++ {
			res := l.Load("f.yaml", content)
			_ = res.Text(true)
			_ = res.Text(false)
			if !json.Valid(res.JSON()) {
				t.Fatalf("invalid JSON: %s", res.JSON())
			}
			for _, d := range append(res.Errors, res.Warnings...) {
				if len(d.Context) == 0 {
					t.Fatalf("diagnostic without context: %+v", d)
				}
			}
		}
		_ = l.CheckPluginRequirements(nil, true)
	})
}
