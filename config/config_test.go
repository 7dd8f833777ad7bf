package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/plughost/plughost/rules"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func parse(t *testing.T, yaml string, opts Options) (*Config, error) {
	t.Helper()
	if opts.LookupEnv == nil {
		opts.LookupEnv = env(nil)
	}
	if opts.PluginsDir == "" {
		opts.PluginsDir = "/plugins"
	}
	return Parse("falco.yaml", []byte(yaml), opts)
}

func TestDefaults(t *testing.T) {
	c, err := parse(t, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{Path: "falco.yaml", JSONIncludeOutputProperty: true, JSONIncludeTagsProperty: true,
		JSONIncludeOutputFieldsProperty: true, Priority: rules.Debug, StdoutOutput: StdoutOutput{true}}
	c.root = nil
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
}

func TestPlugins(t *testing.T) {
	yaml := `
plugins:
  - name: a
    library_path: liba.so
    init_config:
      port: "8080"
      ratio: 0.5
      big: 1e20
      flag: yes
      name: 'x"y'
      list: [1, two]
      nested: {z: 1, a: ~}
      empty: {}
    open_params: "  file.log  "
  - name: b
    library_path: /abs/libb.so
    init_config: '{"raw": true}'
  - name: c
    library_path: sub/../libc.so
    init_config: {}
`
	c, err := parse(t, yaml, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Plugin{
		{Name: "a", LibraryPath: "/plugins/liba.so", OpenParams: "file.log", Line: 3,
			InitConfig: `{"big":1e+20,"empty":null,"flag":true,"list":[1,"two"],"name":"x\"y","nested":{"a":null,"z":1},"port":8080,"ratio":0.5}`},
		{Name: "b", LibraryPath: "/abs/libb.so", InitConfig: `{"raw": true}`, Line: 15},
		{Name: "c", LibraryPath: "/plugins/libc.so", InitConfig: "null", Line: 18},
	}
	if !reflect.DeepEqual(c.Plugins, want) {
		t.Errorf("got  %+v\nwant %+v", c.Plugins, want)
	}
	c, err = parse(t, yaml+"load_plugins: [c, a]\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Plugins) != 2 || c.Plugins[0].Name != "c" || c.Plugins[1].Name != "a" {
		t.Errorf("load_plugins: got %+v", c.Plugins)
	}
	c, err = parse(t, yaml+"load_plugins: []\n", Options{})
	if err != nil || len(c.Plugins) != 0 {
		t.Errorf("load_plugins []: %+v, %v", c, err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		opts       Options
		want       string
		is         error
	}{
		{"unknown load_plugins", "plugins:\n  - name: a\n    library_path: a.so\nload_plugins: [a, b]\n", Options{},
			"falco.yaml:4: load_plugins: Cannot load plugin 'b': plugin config not found for given name", ErrInvalidValue},
		{"escape plugins dir", "plugins:\n  - name: a\n    library_path: ../../etc/a.so\n", Options{},
			"falco.yaml:3: plugins.library_path: plugin library_path '../../etc/a.so' resolves outside the plugins directory (/plugins)", ErrInvalidValue},
		{"no library_path", "plugins:\n  - name: a\n", Options{},
			"falco.yaml:2: plugins: could not load plugins config: plugin entry has no library_path", ErrInvalidValue},
		{"bad priority", "priority: loud\n", Options{},
			`falco.yaml:1: priority: Unknown priority "loud"--must be one of emergency, alert, critical, error, warning, notice, informational, debug`, ErrInvalidValue},
		{"bad rule_matching", "rule_matching: some\n", Options{},
			`falco.yaml:1: rule_matching: Unknown rule matching strategy "some"--must be one of first, all`, ErrInvalidValue},
		{"both rules keys", "rules_files: [a]\nrules_file: b\n", Options{},
			"falco.yaml:1: rules_files: both 'rules_files' and 'rules_file' keys set", ErrInvalidValue},
		{"override without =", "", Options{Overrides: []string{"priority"}},
			`falco.yaml: Error parsing config option "priority". Must be of the form key=val or key.subkey=val`, ErrBadOverride},
		{"override bad index", "", Options{Overrides: []string{"a[x]=1"}},
			`falco.yaml: Config error at key "a[x]": Parsing error: expected a numeric index, found 'x'`, ErrBadOverride},
		{"override bad escape", "", Options{Overrides: []string{`a\q=1`}},
			`falco.yaml: Config error at key "a\q": Parsing error: invalid escape sequence '\q' at pos 1`, ErrBadOverride},
		{"override trailing backslash", "", Options{Overrides: []string{`a\=1`}},
			`falco.yaml: Config error at key "a\": Parsing error: trailing backslash at pos 1`, ErrBadOverride},
		{"override expected dot", "", Options{Overrides: []string{"a[0]b=1"}},
			`falco.yaml: Config error at key "a[0]b": Parsing error: expected '.' character at pos 3`, ErrBadOverride},
		{"override empty name", "", Options{Overrides: []string{"a..b=1"}},
			`falco.yaml: Config error at key "a..b": Parsing error: unexpected character at pos 2`, ErrBadOverride},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(t, tt.yaml, tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v) false", tt.is)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	yaml := "plugins:\n  - name: a\n    library_path: a.so\n    open_params: x\nappend_output: []\n"
	c, err := parse(t, yaml, Options{Overrides: []string{
		"json_output=true", "rule_matching=ALL", "priority=info",
		"plugins[0].open_params=  y ", "plugins[].name=b", "plugins[1].library_path=b.so",
		"append_output[]={match: {source: k8s_audit}, extra_output: 'x=%ka.verb', extra_fields: [ka.uri, {who: '%ka.user.name'}]}",
		`stdout_output.enabled=no`, `file_output={enabled: true, filename: /tmp/o.txt}`,
		"rules_files[0]=one.yaml", "rules_files[]=two.yaml",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !c.JSONOutput || c.RuleMatching != rules.MatchAll || c.Priority != rules.Informational || c.StdoutOutput.Enabled {
		t.Errorf("scalars: %+v", c)
	}
	if len(c.Plugins) != 2 || c.Plugins[0].OpenParams != "y" || c.Plugins[1].LibraryPath != "/plugins/b.so" {
		t.Errorf("plugins: %+v", c.Plugins)
	}
	wantAO := []rules.AppendOutput{{Source: "k8s_audit", ExtraOutput: "x=%ka.verb",
		ExtraFields: []rules.ExtraField{{Key: "ka.uri", Raw: true}, {Key: "who", Format: "%ka.user.name"}}}}
	if !reflect.DeepEqual(c.AppendOutput, wantAO) {
		t.Errorf("append_output: %+v", c.AppendOutput)
	}
	if c.FileOutput != (FileOutput{Enabled: true, Filename: "/tmp/o.txt"}) {
		t.Errorf("file_output: %+v", c.FileOutput)
	}
	if !reflect.DeepEqual(c.RulesFiles, []string{"one.yaml", "two.yaml"}) {
		t.Errorf("rules_files: %q", c.RulesFiles)
	}
	if v, ok := c.Get("plugins"); !ok || len(v.([]any)) != 2 {
		t.Errorf("Get: %v %v", v, ok)
	}
	c, err = parse(t, "annotations: {}\n", Options{Overrides: []string{`annotations.kubernetes\.io/role=master`}})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Get("annotations"); !reflect.DeepEqual(v, map[string]any{"kubernetes.io/role": "master"}) {
		t.Errorf("escaped key: %v", v)
	}
}

func TestEnvExpansion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"${A}", "aa"},
		{"x${A}y${B}z", "xaaybbz"},
		{"${UNSET}/x", "/x"},
		{"$${A}", "${A}"},
		{"${A", "${A"},
		{"cost $5 ${A}", "cost $5 ${A}"}, // a lone '$' ends expansion, as in Falco
		{"${NESTED}", "aa"},              // the value is expanded again
	}
	lookup := env(map[string]string{"A": "aa", "B": "bb", "NESTED": "${A}"})
	for _, tt := range tests {
		if got := expandEnv(tt.in, lookup); got != tt.want {
			t.Errorf("expandEnv(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	c, err := parse(t, "rules_file: ${DIR}/r.yaml\n", Options{LookupEnv: env(map[string]string{"DIR": "/etc/falco"})})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.RulesFiles, []string{"/etc/falco/r.yaml"}) || len(c.Warnings) != 1 ||
		c.Warnings[0].String() != "falco.yaml:1: rules_file: Using deprecated config key 'rules_file' (singular form). Please use new 'rules_files' config key (plural form)." {
		t.Errorf("got %q %v", c.RulesFiles, c.Warnings)
	}
}

func TestExpandRulesFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.yaml", "a.yml", "c.txt", "sub/d.yaml"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ExpandRulesFiles([]string{dir, filepath.Join(dir, "missing.yaml"), filepath.Join(dir, "c.txt"), filepath.Join(dir, "sub", "d.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.yml"), filepath.Join(dir, "b.yaml"), filepath.Join(dir, "sub", "d.yaml")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestNlohmannDouble(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{{0.5, "0.5"}, {1e20, "1e+20"}, {100, "100.0"}, {1e14, "100000000000000.0"}, {1e15, "1e+15"}, {0.0001, "0.0001"}, {0.00001, "1e-05"}, {-2.25, "-2.25"}}
	for _, tt := range tests {
		if got := string(appendNlohmannDouble(nil, tt.f)); got != tt.want {
			t.Errorf("%v: got %s, want %s", tt.f, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "plugins:\n  - name: a\n    library_path: a.so\n    init_config: {a: [1, {b: 2}]}\n", "priority: [", "a: &x {b: *x}", "load_plugins: x", "rules_files: ${X}$${Y}"} {
		f.Add(s, "a.b[0]=1")
	}
	f.Fuzz(func(t *testing.T, yaml, override string) {
		_, _ = Parse("f.yaml", []byte(yaml), Options{LookupEnv: env(nil), PluginsDir: "/p", Overrides: []string{override}})
	})
}
