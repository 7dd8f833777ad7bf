// Package config reads falco.yaml as Falco 0.44 does, for the keys
// plughost serves: plugins, load_plugins, rules_files, the rule selection
// (rules), rule_matching, priority and the output keys. Values expand
// ${VAR} as Falco does; -o overrides use Falco's key syntax. Errors name
// the file, line and key.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/plughost/plughost/rules"
)

// DefaultPluginsDir is Falco's FALCO_ENGINE_PLUGINS_DIR.
const DefaultPluginsDir = "/usr/share/falco/plugins"

// Options tune Load; the zero value reads the file as Falco would.
type Options struct {
	// Overrides are -o key=value options, applied in order.
	Overrides []string
	// PluginsDir is where relative library_path values point; "" means
	// DefaultPluginsDir.
	PluginsDir string
	// LookupEnv resolves ${VAR}; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// RulesFiles, when non-nil, replaces rules_files (Falco's -r).
	RulesFiles []string
}

// Config is what pluginrun needs of falco.yaml.
type Config struct {
	Path string
	// Plugins are the plugins to load, in load order (after load_plugins).
	Plugins []Plugin
	// RulesFiles are the rules_files entries (or -r), not yet expanded.
	RulesFiles []string

	JSONOutput                      bool
	JSONIncludeOutputProperty       bool
	JSONIncludeTagsProperty         bool
	JSONIncludeMessageProperty      bool
	JSONIncludeOutputFieldsProperty bool
	RuleMatching                    rules.Matching
	Priority                        rules.Priority
	TimeFormatISO8601               bool
	BufferedOutputs                 bool
	AppendOutput                    []rules.AppendOutput
	StdoutOutput                    StdoutOutput
	FileOutput                      FileOutput
	Rules                           []RuleSelection
	Warnings                        []Warning

	root *node
}

// Plugin is one plugins entry.
type Plugin struct {
	Name        string
	LibraryPath string // resolved
	InitConfig  string
	OpenParams  string
	Line        int
}

type StdoutOutput struct{ Enabled bool }

type FileOutput struct {
	Enabled, KeepAlive bool
	Filename           string
}

// RuleSelection is one entry of falco.yaml's rules: enable or disable the
// rules named Rule (a `*` wildcard) or tagged Tag.
type RuleSelection struct {
	Enable bool
	Rule   string
	Tag    string
}

// Warning is something Falco accepts but warns about.
type Warning struct {
	File string
	Line int
	Key  string
	Msg  string
}

func (w Warning) String() string { return fmt.Sprintf("%s:%d: %s: %s", w.File, w.Line, w.Key, w.Msg) }

// Sentinels for errors.Is.
var (
	ErrYAML           = errors.New("config: not YAML")
	ErrInvalidValue   = errors.New("config: invalid value")
	ErrPluginNotFound = errors.New("config: plugin not found")
	ErrBadOverride    = errors.New("config: bad -o option")
)

// Error is a config that cannot be used. Msg is Falco's message.
type Error struct {
	File string
	Line int // 0 when unknown (a -o value)
	Key  string
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	var sb strings.Builder
	sb.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&sb, ":%d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&sb, ": %s", e.Key)
	}
	sb.WriteString(": ")
	sb.WriteString(e.Msg)
	return sb.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Load reads path, then applies opts.Overrides.
func Load(path string, opts Options) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("Cannot read config file (%s): %v", path, err), Err: err}
	}
	return Parse(path, data, opts)
}

// Parse is Load on bytes already read; name names them in errors.
func Parse(name string, data []byte, opts Options) (*Config, error) {
	root, err := parseTree(name, data)
	if err != nil {
		return nil, err
	}
	if root.kind == kindNull {
		root = &node{kind: kindMap}
	}
	if root.kind != kindMap {
		return nil, &Error{File: name, Line: root.line, Msg: "the config file must be a YAML map", Err: ErrInvalidValue}
	}
	lookup := opts.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	expandTree(root, lookup)
	for _, o := range opts.Overrides {
		if err := applyOverride(root, o); err != nil {
			return nil, &Error{File: name, Msg: err.Error(), Err: ErrBadOverride}
		}
	}
	r := &reader{name: name, root: root}
	c := r.read(opts)
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

// Get returns the raw value of a dotted key ("webserver.listen_port") as
// a string, a []any or a map[string]any, for keys this package does not
// read yet.
func (c *Config) Get(key string) (any, bool) {
	n := c.root
	for _, k := range strings.Split(key, ".") {
		n = n.get(k)
		if n == nil {
			return nil, false
		}
	}
	return plain(n), true
}

func plain(n *node) any {
	switch n.kind {
	case kindScalar:
		return n.text
	case kindSeq:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = plain(it)
		}
		return out
	case kindMap:
		out := map[string]any{}
		for i, k := range n.keys {
			out[k] = plain(n.vals[i])
		}
		return out
	}
	return nil
}

// expandTree resolves ${VAR} in every scalar value, as yaml_helper's
// pre_process_env_vars does, quirks included: an unset variable expands
// to nothing, `$${` is a literal `${`, and a `$` that starts neither ends
// the expansion of that value.
func expandTree(n *node, lookup func(string) (string, bool)) {
	switch n.kind {
	case kindScalar:
		n.text = expandEnv(n.text, lookup)
	case kindSeq:
		for _, it := range n.items {
			expandTree(it, lookup)
		}
	case kindMap:
		for _, v := range n.vals {
			expandTree(v, lookup)
		}
	}
}

func expandEnv(value string, lookup func(string) (string, bool)) string {
	start := strings.IndexByte(value, '$')
	for start >= 0 {
		sub := value[start:]
		switch {
		case strings.HasPrefix(sub, "${"):
			end := strings.IndexByte(sub, '}')
			if end < 0 {
				return value
			}
			name := sub[2:end]
			env, _ := lookup(name)
			value = value[:start] + env + value[start+end+1:]
		case strings.HasPrefix(sub, "$${"):
			if !strings.Contains(sub, "}") {
				return value
			}
			value = value[:start] + value[start+1:]
			start++
		default:
			start = len(value)
		}
		if start >= len(value) {
			break
		}
		i := strings.IndexByte(value[start:], '$')
		if i < 0 {
			break
		}
		start += i
	}
	return value
}

// reader reads the keys, keeping the first error.
type reader struct {
	name string
	root *node
	err  error
	warn []Warning
}

func (r *reader) fail(n *node, key, format string, args ...any) {
	if r.err == nil {
		line := 0
		if n != nil {
			line = n.line
		}
		r.err = &Error{File: r.name, Line: line, Key: key, Msg: fmt.Sprintf(format, args...), Err: ErrInvalidValue}
	}
}

// boolAt reads a bool as yaml-cpp's as<bool>(default): a value that does
// not convert is the default.
func (r *reader) boolAt(key string, def bool) bool {
	n := r.lookup(key)
	if n == nil || n.kind != kindScalar {
		return def
	}
	if b, ok := parseBool(n.text); ok {
		return b
	}
	return def
}

func (r *reader) stringAt(key, def string) (string, *node) {
	n := r.lookup(key)
	if n == nil || n.kind != kindScalar {
		return def, n
	}
	return n.text, n
}

func (r *reader) lookup(key string) *node {
	n := r.root
	for _, k := range strings.Split(key, ".") {
		n = n.get(k)
		if n == nil {
			return nil
		}
	}
	return n
}

// parseBool accepts yaml-cpp's spellings of true and false.
func parseBool(s string) (bool, bool) {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return true, true
	case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

func (r *reader) read(opts Options) *Config {
	c := &Config{Path: r.name, root: r.root}
	c.JSONOutput = r.boolAt("json_output", false)
	c.JSONIncludeOutputProperty = r.boolAt("json_include_output_property", true)
	c.JSONIncludeTagsProperty = r.boolAt("json_include_tags_property", true)
	c.JSONIncludeMessageProperty = r.boolAt("json_include_message_property", false)
	c.JSONIncludeOutputFieldsProperty = r.boolAt("json_include_output_fields_property", true)
	c.TimeFormatISO8601 = r.boolAt("time_format_iso_8601", false)
	c.BufferedOutputs = r.boolAt("buffered_outputs", false)
	c.StdoutOutput.Enabled = r.boolAt("stdout_output.enabled", true)
	c.FileOutput.Enabled = r.boolAt("file_output.enabled", false)
	c.FileOutput.KeepAlive = r.boolAt("file_output.keep_alive", false)
	c.FileOutput.Filename, _ = r.stringAt("file_output.filename", "")

	if s, n := r.stringAt("rule_matching", "first"); true {
		m, err := rules.ParseMatching(s)
		if err != nil {
			r.fail(n, "rule_matching", "%s", err.Error())
		}
		c.RuleMatching = m
	}
	if s, n := r.stringAt("priority", "debug"); true {
		p, ok := rules.ParsePriority(s)
		if !ok {
			r.fail(n, "priority", "Unknown priority \"%s\"--must be one of emergency, alert, critical, error, warning, notice, informational, debug", s)
		}
		c.Priority = p
	}
	c.Plugins = r.plugins(opts)
	c.RulesFiles = r.rulesFiles()
	if opts.RulesFiles != nil {
		c.RulesFiles = append([]string(nil), opts.RulesFiles...)
	}
	c.Rules = r.selections()
	c.AppendOutput = r.appendOutput()
	c.Warnings = r.warn
	return c
}

func (r *reader) plugins(opts Options) []Plugin {
	dir := opts.PluginsDir
	if dir == "" {
		dir = DefaultPluginsDir
	}
	list := r.root.get("plugins")
	var all []Plugin
	if list != nil && list.kind == kindSeq {
		for _, it := range list.items {
			p, ok := r.plugin(it, dir)
			if !ok {
				return nil
			}
			all = append(all, p)
		}
	} else if list != nil && list.kind != kindNull {
		r.fail(list, "plugins", "could not load plugins config: the plugins key must be a sequence")
		return nil
	}
	lp := r.root.get("load_plugins")
	if lp == nil || lp.kind == kindNull {
		return all
	}
	if lp.kind != kindSeq {
		r.fail(lp, "load_plugins", "load_plugins must be a sequence of plugin names")
		return nil
	}
	var out []Plugin
	for _, it := range lp.items {
		name := it.text
		found := false
		for _, p := range all {
			if p.Name == name {
				out = append(out, p)
				found = true
				break
			}
		}
		if !found {
			r.fail(it, "load_plugins", "Cannot load plugin '%s': plugin config not found for given name", name)
			return nil
		}
	}
	return out
}

func (r *reader) plugin(n *node, dir string) (Plugin, bool) {
	if n.kind != kindMap {
		r.fail(n, "plugins", "could not load plugins config: each plugin entry must be a map")
		return Plugin{}, false
	}
	name, lib := n.get("name"), n.get("library_path")
	for _, k := range []struct {
		key string
		v   *node
	}{{"name", name}, {"library_path", lib}} {
		if k.v == nil || k.v.kind != kindScalar || k.v.text == "" {
			r.fail(n, "plugins", "could not load plugins config: plugin entry has no %s", k.key)
			return Plugin{}, false
		}
	}
	p := Plugin{Name: name.text, Line: n.line}
	path := lib.text
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
		rel, err := filepath.Rel(filepath.Clean(dir), path)
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			r.fail(lib, "plugins.library_path", "plugin library_path '%s' resolves outside the plugins directory (%s)", lib.text, dir)
			return Plugin{}, false
		}
	}
	p.LibraryPath = path
	if ic := n.get("init_config"); ic != nil && ic.kind != kindNull {
		if ic.kind == kindMap {
			p.InitConfig = string(appendJSON(nil, ic, true))
		} else if ic.kind == kindScalar {
			p.InitConfig = ic.text
		} else {
			r.fail(ic, "plugins.init_config", "could not load plugins config: init_config must be a string or a map")
			return Plugin{}, false
		}
	}
	if op := n.get("open_params"); op != nil && op.kind == kindScalar {
		p.OpenParams = strings.TrimSpace(op.text)
	}
	return p, true
}

func (r *reader) rulesFiles() []string {
	files, single := r.root.get("rules_files"), r.root.get("rules_file")
	if files != nil && single != nil {
		r.fail(files, "rules_files", "both 'rules_files' and 'rules_file' keys set")
		return nil
	}
	key := "rules_files"
	if single != nil {
		files, key = single, "rules_file"
		r.warn = append(r.warn, Warning{r.name, single.line, "rules_file", "Using deprecated config key 'rules_file' (singular form). Please use new 'rules_files' config key (plural form)."})
	}
	if files == nil {
		return nil
	}
	switch files.kind {
	case kindScalar:
		return []string{files.text}
	case kindSeq:
		var out []string
		for _, it := range files.items {
			if it.kind == kindScalar {
				out = append(out, it.text)
			}
		}
		return out
	case kindNull:
		return nil
	}
	r.fail(files, key, "%s must be a sequence of paths", key)
	return nil
}

func (r *reader) selections() []RuleSelection {
	n := r.root.get("rules")
	if n == nil || n.kind != kindSeq {
		return nil
	}
	var out []RuleSelection
	for _, it := range n.items {
		for _, op := range []string{"enable", "disable"} {
			sel := it.get(op)
			if sel == nil {
				continue
			}
			s := RuleSelection{Enable: op == "enable"}
			if v := sel.get("rule"); v != nil && v.kind == kindScalar {
				s.Rule = v.text
			}
			if v := sel.get("tag"); v != nil && v.kind == kindScalar {
				s.Tag = v.text
			}
			if s.Rule == "" && s.Tag == "" {
				r.fail(sel, "rules", "Error reading config file (%s): an entry of rules must have a rule or a tag", r.name)
				return nil
			}
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) appendOutput() []rules.AppendOutput {
	n := r.root.get("append_output")
	if n == nil || n.kind != kindSeq {
		return nil
	}
	var out []rules.AppendOutput
	for _, it := range n.items {
		var ao rules.AppendOutput
		if m := it.get("match"); m != nil {
			if v := m.get("source"); v != nil && v.kind == kindScalar {
				ao.Source = v.text
			}
			if v := m.get("rule"); v != nil && v.kind == kindScalar {
				ao.Rule = v.text
			}
			if v := m.get("tags"); v != nil && v.kind == kindSeq {
				for _, t := range v.items {
					ao.Tags = append(ao.Tags, t.text)
				}
			}
		}
		if v := it.get("extra_output"); v != nil && v.kind == kindScalar {
			ao.ExtraOutput = v.text
		}
		if v := it.get("suggested_output"); v != nil && v.kind == kindScalar {
			ao.SuggestedOutput, _ = parseBool(v.text)
		}
		if v := it.get("extra_fields"); v != nil && v.kind == kindSeq {
			for _, f := range v.items {
				switch f.kind {
				case kindScalar:
					ao.ExtraFields = append(ao.ExtraFields, rules.ExtraField{Key: f.text, Raw: true})
				case kindMap:
					for i, k := range f.keys {
						ao.ExtraFields = append(ao.ExtraFields, rules.ExtraField{Key: k, Format: f.vals[i].text})
					}
				}
			}
		}
		out = append(out, ao)
	}
	return out
}

// ExpandRulesFiles turns rules_files entries into the files Falco loads,
// in order: a directory gives its regular *.yaml and *.yml files, sorted,
// not recursively; a missing entry is skipped silently.
func ExpandRulesFiles(entries []string) ([]string, error) {
	var out []string
	for _, e := range entries {
		fi, err := os.Stat(e)
		if err != nil {
			continue
		}
		if !fi.IsDir() {
			if isRulesFileName(e) {
				out = append(out, e)
			}
			continue
		}
		des, err := os.ReadDir(e)
		if err != nil {
			return nil, fmt.Errorf("Error reading rules directory %s: %w", e, err)
		}
		for _, de := range des {
			if !de.Type().IsRegular() {
				continue
			}
			if isRulesFileName(de.Name()) {
				out = append(out, filepath.Join(e, de.Name()))
			}
		}
	}
	return out, nil
}

func isRulesFileName(name string) bool {
	ext := filepath.Ext(name)
	return ext == ".yaml" || ext == ".yml"
}
