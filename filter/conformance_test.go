package filter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// The conformance tables in testdata/conformance hold what libsinsp 0.25.4
// (Falco 0.44.1) answers for filters and output formats over the fields of
// the conform fixture plugin (testdata/c/conform.c), whose field values come
// from each event's payload. See testdata/conformance/README.md.

type filterCase struct {
	Name    string   `json:"name"`
	Filter  string   `json:"filter"`
	Events  []string `json:"events"`
	Match   []bool   `json:"match"`
	Error   *string  `json:"error"`
	Comment string   `json:"comment"`
}

type formatCase struct {
	Name        string            `json:"name"`
	Format      string            `json:"format"`
	Events      []string          `json:"events"`
	Text        []*string         `json:"text"`
	JSON        []json.RawMessage `json:"json"`
	JSONOk      []bool            `json:"json_ok"`
	Error       *string           `json:"error"`
	RequiresUTC bool              `json:"requires_utc"`
	Comment     string            `json:"comment"`
}

// conformEnv is the conform plugin, loaded and initialized once, and a
// registry holding it.
type conformEnv struct {
	reg   *registry.Registry
	state *loader.State
	src   *capability.Source
}

func newConformEnv(t *testing.T) *conformEnv {
	t.Helper()
	p, err := loader.Load(fixtures.C(t, "conform"), loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	state, err := p.Init("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(state.Destroy)
	reg := registry.New()
	if err := reg.Add(p); err != nil {
		t.Fatal(err)
	}
	src, err := capability.NewSource(state)
	if err != nil {
		t.Fatal(err)
	}
	return &conformEnv{reg: reg, state: state, src: src}
}

// env compiles with Falco's depth limit for rule conditions (1000): libs
// 0.25.4 has no effective limit, we enforce one on purpose (RATIONALE.md),
// and the table's deepest case fits in Falco's.
func (c *conformEnv) env() filter.Env {
	return filter.Env{Registry: c.reg, Source: "conform", MaxDepth: 1000}
}

func (c *conformEnv) states(*loader.Plugin) (*loader.State, error) { return c.state, nil }

// stream opens the fixture on events (one payload per event) and calls fn
// for each batch with the stream index of its first event.
func (c *conformEnv) stream(t *testing.T, events []string, fn func(b *capability.Batch, first int)) int {
	t.Helper()
	var params strings.Builder
	for _, e := range events {
		params.WriteString(e)
		params.WriteByte('\n')
	}
	st, err := c.src.Open(params.String())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer st.Close()
	n := 0
	for {
		err := st.Next(context.Background(), func(b *capability.Batch) error {
			fn(b, n)
			n += b.Len()
			return nil
		})
		if errors.Is(err, capability.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next: %v", err)
		}
	}
	if n != len(events) {
		t.Fatalf("the fixture produced %d events, want %d", n, len(events))
	}
	return n
}

func loadTable(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "conformance", name))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func checkNames(t *testing.T, file string, names []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[n] {
			t.Fatalf("%s: empty or duplicate case name %q", file, n)
		}
		seen[n] = true
	}
}

func TestConformanceFilters(t *testing.T) {
	var cases []filterCase
	loadTable(t, "filters.json", &cases)
	names := make([]string, len(cases))
	for i, c := range cases {
		names[i] = c.Name
		if (c.Error == nil) == (c.Match == nil) || len(c.Match) != len(c.Events) {
			t.Fatalf("filters.json: case %q needs either error, or one match per event", c.Name)
		}
	}
	checkNames(t, "filters.json", names)
	ce := newConformEnv(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			f, err := filter.Compile(c.Filter, ce.env())
			if c.Error != nil {
				if err == nil {
					t.Fatalf("filter %q compiled, want error\n  want: %s", c.Filter, *c.Error)
				}
				if err.Error() != *c.Error {
					t.Fatalf("filter %q: wrong error\n  got:  %s\n  want: %s", c.Filter, err.Error(), *c.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("filter %q: %v", c.Filter, err)
			}
			ev, err := f.NewEvaluator(ce.states)
			if err != nil {
				t.Fatalf("NewEvaluator: %v", err)
			}
			defer ev.Close()
			got := make([]bool, len(c.Events))
			ce.stream(t, c.Events, func(b *capability.Batch, first int) {
				idx, err := ev.Eval(b)
				if err != nil {
					t.Fatalf("Eval: %v", err)
				}
				prev := int32(-1)
				for _, i := range idx {
					if i <= prev || int(i) >= b.Len() {
						t.Fatalf("Eval returned indices %v for a batch of %d", idx, b.Len())
					}
					prev = i
					got[first+int(i)] = true
				}
			})
			var diff []string
			for i := range got {
				if got[i] != c.Match[i] {
					diff = append(diff, fmt.Sprintf("  event %d %q: got %v, want %v", i, c.Events[i], got[i], c.Match[i]))
				}
			}
			if diff != nil {
				t.Errorf("filter %q:\n%s", c.Filter, strings.Join(diff, "\n"))
			}
		})
	}
}

// short abbreviates long strings in failure messages.
func short(s string) string {
	if len(s) <= 200 {
		return s
	}
	return fmt.Sprintf("%s...(%d bytes)", s[:200], len(s))
}

// textDiff describes how got differs from want, around the first
// differing byte.
func textDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-40)
	clip := func(s string) string { return s[from:min(len(s), i+40)] }
	return fmt.Sprintf("first difference at byte %d (got %d bytes, want %d)\n    got  ...%q\n    want ...%q",
		i, len(got), len(want), clip(got), clip(want))
}

// canonicalJSON re-encodes a JSON value with sorted keys and exact numbers.
func canonicalJSON(data []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if dec.More() {
		return "", errors.New("trailing data after the JSON value")
	}
	out, err := json.Marshal(v)
	return string(out), err
}

// localIsUTC tells whether local time is UTC at the fixture's timestamps.
func localIsUTC() bool {
	_, off := time.Unix(1700000000, 0).In(time.Local).Zone()
	return off == 0
}

func TestConformanceFormats(t *testing.T) {
	var cases []formatCase
	loadTable(t, "formats.json", &cases)
	names := make([]string, len(cases))
	for i, c := range cases {
		names[i] = c.Name
		n := len(c.Events)
		if c.Error == nil && (len(c.Text) != n || len(c.JSON) != n || (c.JSONOk != nil && len(c.JSONOk) != n)) {
			t.Fatalf("formats.json: case %q needs one text and one json per event", c.Name)
		}
	}
	checkNames(t, "formats.json", names)
	ce := newConformEnv(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if c.RequiresUTC && !localIsUTC() {
				t.Skip("needs local time to be UTC (run with TZ=UTC)")
			}
			fm, err := filter.CompileFormat(c.Format, ce.env())
			if c.Error != nil {
				if err == nil {
					t.Fatalf("format %q compiled, want error\n  want: %s", c.Format, *c.Error)
				}
				if err.Error() != *c.Error {
					t.Fatalf("format %q: wrong error\n  got:  %s\n  want: %s", c.Format, err.Error(), *c.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("format %q: %v", c.Format, err)
			}
			fr, err := fm.NewFormatter(ce.states)
			if err != nil {
				t.Fatalf("NewFormatter: %v", err)
			}
			defer fr.Close()
			var diff []string
			ce.stream(t, c.Events, func(b *capability.Batch, first int) {
				idx := make([]int32, b.Len())
				for i := range idx {
					idx[i] = int32(i)
				}
				if err := fr.Extract(b, idx); err != nil {
					t.Fatalf("Extract: %v", err)
				}
				for i := 0; i < b.Len(); i++ {
					k := first + i
					line, ok := fr.AppendText(nil, i)
					want := c.Text[k]
					switch {
					case want == nil && ok:
						diff = append(diff, fmt.Sprintf("  event %d %q text: got %q, want formatting to fail", k, short(c.Events[k]), short(string(line))))
					case want != nil && !ok:
						diff = append(diff, fmt.Sprintf("  event %d %q text: formatting failed (partial %q), want %q", k, short(c.Events[k]), short(string(line)), short(*want)))
					case want != nil && string(line) != *want:
						diff = append(diff, fmt.Sprintf("  event %d %q text: %s", k, short(c.Events[k]), textDiff(string(line), *want)))
					}
					wantOK := string(c.JSON[k]) != "null"
					if c.JSONOk != nil {
						wantOK = c.JSONOk[k]
					}
					obj, ok := fr.AppendJSON(nil, i)
					switch {
					case !wantOK && ok:
						diff = append(diff, fmt.Sprintf("  event %d %q json: got %s, want formatting to fail", k, c.Events[k], obj))
					case wantOK && !ok:
						diff = append(diff, fmt.Sprintf("  event %d %q json: formatting failed (partial %s), want %s", k, c.Events[k], obj, c.JSON[k]))
					case wantOK:
						g, gerr := canonicalJSON(obj)
						w, werr := canonicalJSON(c.JSON[k])
						if werr != nil {
							t.Fatalf("formats.json: case %q: bad json %s: %v", c.Name, c.JSON[k], werr)
						}
						if gerr != nil || g != w {
							diff = append(diff, fmt.Sprintf("  event %d %q json:\n    got  %s (%v)\n    want %s", k, c.Events[k], obj, gerr, w))
						}
					}
				}
			})
			if diff != nil {
				t.Errorf("format %q:\n%s", c.Format, strings.Join(diff, "\n"))
			}
		})
	}
}

// JSON strings are escaped as jsoncpp 1.9.5 writes them for libsinsp's
// formatter. The expected texts were printed by libsinsp 0.25.4 (built
// with Debian's jsoncpp 1.9.5) for the same conform payloads.
func TestFormatJSONEscapesAsJsoncpp(t *testing.T) {
	c := newConformEnv(t)
	cases := map[string]string{
		"%C3%A9%01x%22/%F0%9F%98%80": `"\u00e9\u0001x\"/\ud83d\ude00"`,
		"%FFa":                       `"\ufffda"`,
		"%C3":                        `"\ufffd"`,
		"%C3a":                       `"\u00e1"`,
		"%C0%80":                     `"\ufffd"`,
		"%ED%A0%80":                  `"\ufffd"`,
		"%F4%90%80%80":               `"\ud800\udc00"`,
		"%F5%80%80%80":               `"\ud8c0\udc00"`,
		"%F7%BF%BF%BF":               `"\udbbf\udfff"`,
		"%F4%8F%BF%BF":               `"\udbff\udfff"`,
		"%7Fz":                       "\"\x7fz\"",
		"%E2%82%AC":                  `"\u20ac"`,
		"%80%80":                     `"\ufffd"`,
		"%F0%90%80":                  `"\ufffd\u0400"`,
		"a%5Cb%09%0A%0D%08%0C%1F":    `"a\\b\t\n\r\b\f\u001f"`,
	}
	for payload, want := range cases {
		got := c.formatJSON(t, "%conform.str", "str="+payload)
		require.Equal(t, `{"conform.str":`+want+`}`, got, payload)
	}
}

// formatJSON renders format as JSON for one event with payload.
func (c *conformEnv) formatJSON(t *testing.T, format, payload string) string {
	t.Helper()
	fm, err := filter.CompileFormat(format, c.env())
	require.NoError(t, err)
	fr, err := fm.NewFormatter(c.states)
	require.NoError(t, err)
	defer fr.Close()
	var out string
	c.stream(t, []string{payload}, func(b *capability.Batch, _ int) {
		require.NoError(t, fr.Extract(b, nil))
		js, _ := fr.AppendJSON(nil, 0)
		out = string(js)
	})
	return out
}
