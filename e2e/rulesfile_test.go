package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
)

// This file is a test helper that reads the official Falco rules files
// shipped inside the plugin modules, just far enough to feed their real
// conditions and outputs to package filter. It is NOT the rules engine
// (that is a later issue) and must not grow into one: it collects lists
// and macros (with append), substitutes lists as text the way Falco does,
// parses macros to ASTs for filter.Env.Macros, and returns the rules with
// their condition, output, priority and source. It does not check
// required_engine_version or required_plugin_versions, macro visibility,
// unused items, rule append/override or exceptions (neither official file
// uses the last three: loadRules fails on them rather than ignoring them).

// rulesFile is the content of one rules file, in file order.
type rulesFile struct {
	path   string
	lists  []rulesList
	macros []rulesMacro
	rules  []rulesRule
}

type rulesList struct {
	name  string
	items []string
}

type rulesMacro struct {
	name      string
	condition string // as written (appends joined with a blank), lists not substituted
}

type rulesRule struct {
	name      string
	condition string // as written, lists not substituted
	output    string // trimmed, as Falco does
	priority  string // as written (WARNING, INFO, ...)
	source    string // "syscall" when absent, as in Falco
	enabled   bool
}

// rulesItem is one top-level YAML item. Which kind it is depends on the
// first of required_engine_version, required_plugin_versions, list, macro
// and rule that is present (Falco's order).
type rulesItem struct {
	RequiredEngineVersion  any               `yaml:"required_engine_version"`
	RequiredPluginVersions any               `yaml:"required_plugin_versions"`
	List                   *string           `yaml:"list"`
	Items                  []string          `yaml:"items"`
	Macro                  *string           `yaml:"macro"`
	Condition              *string           `yaml:"condition"`
	Rule                   *string           `yaml:"rule"`
	Output                 string            `yaml:"output"`
	Priority               string            `yaml:"priority"`
	Source                 string            `yaml:"source"`
	Enabled                *bool             `yaml:"enabled"`
	Append                 bool              `yaml:"append"`
	Override               map[string]string `yaml:"override"`
	Exceptions             any               `yaml:"exceptions"`
}

// loadRules reads and collects a rules file.
func loadRules(t *testing.T, path string) *rulesFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := parseRules(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rf.path = path
	return rf
}

func parseRules(data []byte) (*rulesFile, error) {
	var items []rulesItem
	if err := yaml.Unmarshal(data, &items); err != nil {
		return nil, err
	}
	rf := &rulesFile{}
	for i, it := range items {
	kind:
		switch {
		case it.RequiredEngineVersion != nil, it.RequiredPluginVersions != nil:
		case it.List != nil:
			appendTo := it.Append || it.Override["items"] == "append"
			for k := range rf.lists {
				if l := &rf.lists[k]; l.name == *it.List {
					if appendTo {
						l.items = append(l.items, it.Items...)
					} else {
						l.items = it.Items // a redefinition keeps the first position
					}
					break kind
				}
			}
			if appendTo {
				return nil, fmt.Errorf("item %d: list %q: append but no list by that name already exists", i, *it.List)
			}
			rf.lists = append(rf.lists, rulesList{*it.List, it.Items})
		case it.Macro != nil:
			if it.Condition == nil {
				return nil, fmt.Errorf("item %d: macro %q has no condition", i, *it.Macro)
			}
			appendTo := it.Append || it.Override["condition"] == "append"
			for k := range rf.macros {
				if m := &rf.macros[k]; m.name == *it.Macro {
					if appendTo {
						m.condition += " " + *it.Condition
					} else {
						m.condition = *it.Condition
					}
					break kind
				}
			}
			if appendTo {
				return nil, fmt.Errorf("item %d: macro %q: append but no macro by that name already exists", i, *it.Macro)
			}
			rf.macros = append(rf.macros, rulesMacro{*it.Macro, *it.Condition})
		case it.Rule != nil:
			if it.Append || it.Override != nil || it.Exceptions != nil {
				return nil, fmt.Errorf("item %d: rule %q: append, override and exceptions are not supported by this test helper", i, *it.Rule)
			}
			if it.Condition == nil || it.Output == "" || it.Priority == "" {
				return nil, fmt.Errorf("item %d: rule %q needs a condition, an output and a priority", i, *it.Rule)
			}
			r := rulesRule{name: *it.Rule, condition: *it.Condition, output: strings.TrimSpace(it.Output),
				priority: it.Priority, source: it.Source, enabled: it.Enabled == nil || *it.Enabled}
			if r.source == "" {
				r.source = "syscall"
			}
			rf.rules = append(rf.rules, r)
		default:
			return nil, fmt.Errorf("item %d: unknown top-level item", i)
		}
	}
	return rf, nil
}

// expandedLists returns the lists as Falco compiles them: an item that
// names a list defined before this one is replaced by that list's items
// (one level only, not recursively).
func (rf *rulesFile) expandedLists() []rulesList {
	out := make([]rulesList, len(rf.lists))
	for i, l := range rf.lists {
		out[i].name = l.name
		for _, item := range l.items {
			expanded := false
			for _, earlier := range rf.lists[:i] {
				if earlier.name == item {
					out[i].items = append(out[i].items, earlier.items...)
					expanded = true
					break
				}
			}
			if !expanded {
				out[i].items = append(out[i].items, item)
			}
		}
	}
	return out
}

// substituteLists replaces every list name in cond with its items, as
// text, like Falco's rule_loader_compiler resolve_list, for each list in
// order of definition. A name is replaced where it is bounded by the start
// or end of the text, a blank or one of "(),=" (inside quotes too); the
// blanks around it go, and the items, each quoted with " if it contains a
// space and does not start with a quote, joined by ", ", go in with one
// blank on each side. An empty list also takes away one neighbouring
// comma (the one on its left if any, else the one on its right).
func substituteLists(cond string, lists []rulesList) string {
	const blanks = " \t\n\r"
	const delims = blanks + "(),="
	for _, l := range lists {
		sub := make([]string, len(l.items))
		for i, item := range l.items {
			if strings.Contains(item, " ") && item[0] != '"' && item[0] != '\'' {
				item = `"` + item + `"`
			}
			sub[i] = item
		}
		repl := strings.Join(sub, ", ")
		for start := strings.Index(cond, l.name); start >= 0; {
			end := start + len(l.name)
			if (start == 0 || strings.IndexByte(delims, cond[start-1]) >= 0) &&
				(end >= len(cond) || strings.IndexByte(delims, cond[end]) >= 0) {
				for start > 0 && strings.IndexByte(blanks, cond[start-1]) >= 0 {
					start--
				}
				for end < len(cond) && strings.IndexByte(blanks, cond[end]) >= 0 {
					end++
				}
				if repl == "" {
					if start > 0 && cond[start-1] == ',' {
						start--
					} else if end < len(cond) && cond[end] == ',' {
						end++
					}
				}
				next := ""
				if start > 0 {
					next = cond[:start] + " "
				}
				next += repl + " " + cond[end:]
				cond = next
				start += len(repl) + 1
			}
			i := strings.Index(cond[min(start+1, len(cond)):], l.name)
			if i < 0 {
				break
			}
			start += 1 + i
		}
	}
	return cond
}

// parseOptions are Falco's for rule conditions and macros.
var parseOptions = filter.ParseOptions{MaxDepth: 1000}

// macroASTs parses every macro, lists substituted, for filter.Env.Macros.
// Like Falco, a macro that does not parse is an error even if no rule uses
// it.
func (rf *rulesFile) macroASTs() (map[string]filter.Expr, error) {
	lists := rf.expandedLists()
	out := make(map[string]filter.Expr, len(rf.macros))
	for _, m := range rf.macros {
		e, err := filter.Parse(substituteLists(m.condition, lists), parseOptions)
		if err != nil {
			return nil, fmt.Errorf("macro %q: %w", m.name, err)
		}
		out[m.name] = e
	}
	return out, nil
}

// env is the compile environment of the rules of one source: the file's
// macros, Falco's depth limit, lists already substituted as text.
func (rf *rulesFile) env(t *testing.T, base filter.Env) filter.Env {
	t.Helper()
	macros, err := rf.macroASTs()
	if err != nil {
		t.Fatalf("%s: %v", rf.path, err)
	}
	base.Macros = macros
	base.MaxDepth = parseOptions.MaxDepth
	return base
}

// compileRule compiles a rule's condition, lists substituted as text,
// macros through env.Macros.
func (rf *rulesFile) compileRule(r rulesRule, env filter.Env) (*filter.Filter, error) {
	return filter.Compile(substituteLists(r.condition, rf.expandedLists()), env)
}

// alertFormat is the text format Falco prints a rule's alert with
// (falco_outputs: "*%evt.time: <Priority> " + output; the leading '*'
// prints <NA> for missing values instead of stopping at the first).
func alertFormat(r rulesRule) string {
	return "*%evt.time: " + priorityName(r.priority) + " " + r.output
}

// priorityName is how Falco prints a priority in alerts.
func priorityName(p string) string {
	switch strings.ToLower(p) {
	case "emergency":
		return "Emergency"
	case "alert":
		return "Alert"
	case "critical":
		return "Critical"
	case "error":
		return "Error"
	case "warning":
		return "Warning"
	case "notice":
		return "Notice"
	case "info", "informational":
		return "Informational"
	case "debug":
		return "Debug"
	}
	return "<invalid priority " + p + ">"
}

// officialRulesPath is the path of a rules file inside an official plugin
// module in the Go module cache (never copied into this repository). The
// module is the one internal/fixtures builds the plugin from: building it
// first downloads it, unless the built library came from the fixture cache,
// in which case `go mod download` (a no-op when cached) brings it in.
func officialRulesPath(t *testing.T, o official, rel string) string {
	t.Helper()
	skipShort(t)
	fixtures.Official(t, o.name, o.version)
	mod := "github.com/falcosecurity/plugins/plugins/" + o.name + "@" + o.version
	dir := ""
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		dir = filepath.Join(strings.TrimSpace(string(out)), filepath.FromSlash(mod))
	}
	if _, err := os.Stat(filepath.Join(dir, rel)); dir == "" || err != nil {
		// Outside any module, like internal/fixtures does.
		cmd := exec.Command("go", "mod", "download", "-json", mod)
		cmd.Dir = t.TempDir()
		out, err := cmd.Output()
		var info struct{ Dir, Error string }
		if jerr := json.Unmarshal(out, &info); err != nil || jerr != nil || info.Dir == "" {
			t.Fatalf("go mod download %s: %v %v %s %s", mod, err, jerr, info.Error, out)
		}
		dir = info.Dir
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFilterRulesHelper checks the helper itself on a small file: list and
// macro append (both spellings), list items naming earlier lists, quoting,
// the empty-list comma rule and the name boundaries.
func TestFilterRulesHelper(t *testing.T) {
	rf, err := parseRules([]byte(`
- required_engine_version: 10
- list: empty
  items: []
- list: users
  items: [alice, "bob smith"]
- list: users
  append: true
  items: [carol]
- list: more_users
  items: [users, dave, empty]
- list: more_users
  override:
    items: append
  items: ['"quoted item"']
- macro: m
  condition: ka.user.name in (users)
- macro: m
  override:
    condition: append
  condition: or ka.user.name in (more_users, empty)
- rule: r
  desc: d
  condition: m and ka.verb in (empty, get) and ka.uri=users and ka.uri=xusers and users_x exists
  output: >
    out %ka.verb
  priority: INFO
  source: k8s_audit
  enabled: false
`))
	if err != nil {
		t.Fatal(err)
	}
	lists := rf.expandedLists()
	want := map[string][]string{
		"empty":      nil,
		"users":      {"alice", "bob smith", "carol"},
		"more_users": {"alice", "bob smith", "carol", "dave", `"quoted item"`},
	}
	if len(lists) != len(want) {
		t.Fatalf("lists = %v", lists)
	}
	for _, l := range lists {
		if fmt.Sprint(l.items) != fmt.Sprint(want[l.name]) {
			t.Errorf("list %s = %q, want %q", l.name, l.items, want[l.name])
		}
	}
	if len(rf.macros) != 1 || rf.macros[0].condition != "ka.user.name in (users) or ka.user.name in (more_users, empty)" {
		t.Errorf("macros = %+v", rf.macros)
	}
	if got, want := substituteLists(rf.macros[0].condition, lists),
		`ka.user.name in ( alice, "bob smith", carol ) or ka.user.name in ( alice, "bob smith", carol, dave, "quoted item" )`; got != want {
		t.Errorf("macro substituted:\n got %q\nwant %q", got, want)
	}
	if len(rf.rules) != 1 {
		t.Fatalf("rules = %+v", rf.rules)
	}
	r := rf.rules[0]
	if r.output != "out %ka.verb" || r.enabled || r.source != "k8s_audit" || priorityName(r.priority) != "Informational" {
		t.Errorf("rule = %+v", r)
	}
	if got, want := substituteLists(r.condition, lists),
		`m and ka.verb in (   get) and ka.uri= alice, "bob smith", carol and ka.uri=xusers and users_x exists`; got != want {
		t.Errorf("rule substituted:\n got %q\nwant %q", got, want)
	}
	for _, bad := range []string{
		"- list: x\n  append: true\n  items: [a]\n",
		"- macro: x\n  override: {condition: append}\n  condition: a.b exists\n",
		"- rule: x\n  condition: a.b exists\n  output: o\n  priority: INFO\n  exceptions: [{name: e}]\n",
		"- foo: bar\n",
	} {
		if _, err := parseRules([]byte(bad)); err == nil {
			t.Errorf("parseRules(%q) succeeded", bad)
		}
	}
}
