package rules

import (
	stdcontext "context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

var updateEngine = flag.Bool("update-engine", false, "rewrite rules/testdata/engine_*.golden")

// engineCase is an official plugin with its own rules file over a bundled
// input.
type engineCase struct {
	plugins   [][2]string // name, version; the first is the source
	rulesFile string
	input     string // relative to testdata/events
	source    string
}

var (
	k8sCase = engineCase{[][2]string{{"k8saudit", "v0.18.0"}, {"json", "v0.7.4"}}, "k8s_audit_rules.yaml", "rules/audit.log", "k8s_audit"}
	ctCase  = engineCase{[][2]string{{"cloudtrail", "v0.17.1"}, {"json", "v0.7.4"}}, "aws_cloudtrail_rules.yaml", "rules/trail.json", "aws_cloudtrail"}
)

// runEngine loads c's official rules with its plugins, runs them over the
// input and returns the alert lines and the statistics.
func runEngine(t *testing.T, c engineCase, cfg EngineConfig, appendOutput []AppendOutput) (lines []string, stats string) {
	t.Helper()
	stats = runEngineWith(t, c, cfg, appendOutput, func(d *Detection) { lines = append(lines, string(d.Line)) })
	return lines, stats
}

// runEngineSink runs c's rules with cfg and hands every detection to sink.
func runEngineSink(t *testing.T, c engineCase, cfg EngineConfig, sink func(*Detection)) {
	t.Helper()
	runEngineWith(t, c, cfg, nil, sink)
}

func runEngineWith(t *testing.T, c engineCase, cfg EngineConfig, appendOutput []AppendOutput, sink func(*Detection)) (stats string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds official plugins")
	}
	reg := registry.New()
	for _, nv := range c.plugins {
		p, err := loader.Load(fixtures.Official(t, nv[0], nv[1]), loader.Options{})
		require.NoError(t, err)
		require.NoError(t, reg.Add(p))
	}
	l := NewLoader(Env{Registry: reg, Sources: reg.Sources(), AppendOutput: appendOutput})
	res := l.LoadFile(fixtures.OfficialRules(t, c.plugins[0][0], c.plugins[0][1], c.rulesFile))
	require.True(t, res.OK(), res.Text(true))

	cfg.Registry = reg
	cfg.Rules = l.Rules()
	e, err := NewEngine(cfg)
	require.NoError(t, err)
	input := filepath.Join(fixtures.Root(), "testdata", "events", c.input)
	bus, err := eventbus.New(eventbus.Config{Registry: reg, OpenParams: map[string]string{c.source: input}})
	require.NoError(t, err)
	var mu sync.Mutex
	require.NoError(t, e.Attach(bus, func(d *Detection) error {
		mu.Lock()
		defer mu.Unlock()
		sink(d)
		return nil
	}))
	require.NoError(t, bus.Run(stdcontext.Background()))
	return e.Stats().String()
}

func checkEngineGolden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", "engine_"+name+".golden")
	if *updateEngine {
		require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "run with -update-engine to create it")
	if got != string(want) {
		t.Errorf("differs from %s (-update-engine to accept):\n--- got ---\n%s\n--- want ---\n%s", file, got, want)
	}
}

// TestEngineOfficialRules pins every alert the official k8saudit and
// cloudtrail rules raise over the bundled inputs (see
// testdata/events/rules/README.md for why each fires), in both formats and
// both rule_matching modes.
func TestEngineOfficialRules(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC // evt.time prints local time
	t.Cleanup(func() { time.Local = saved })

	jsonAll := DefaultAlertFormat()
	jsonAll.JSON = true
	jsonAll.Hostname = "plughost-test"
	jsonMsg := jsonAll
	jsonMsg.IncludeMessage = true
	jsonMsg.IncludeTags = false
	jsonMsg.TimeISO8601 = true
	text := DefaultAlertFormat()
	textISO := text
	textISO.TimeISO8601 = true
	tests := []struct {
		name string
		c    engineCase
		cfg  EngineConfig
		ao   []AppendOutput
	}{
		{"k8saudit_text_first", k8sCase, EngineConfig{Format: text, MinPriority: Debug}, nil},
		{"k8saudit_text_all", k8sCase, EngineConfig{Format: text, MinPriority: Debug, Matching: MatchAll}, nil},
		{"k8saudit_json_all", k8sCase, EngineConfig{Format: jsonAll, MinPriority: Debug, Matching: MatchAll}, nil},
		{"k8saudit_json_message_iso_first", k8sCase, EngineConfig{Format: jsonMsg, MinPriority: Debug}, nil},
		{"k8saudit_text_iso_warning", k8sCase, EngineConfig{Format: textISO, MinPriority: Warning, Matching: MatchAll}, nil},
		{"k8saudit_json_append_output", k8sCase, EngineConfig{Format: jsonAll, MinPriority: Debug}, []AppendOutput{
			{ExtraOutput: "cluster=prod", ExtraFields: []ExtraField{{Key: "ka.verb", Raw: true}, {Key: "who", Format: "%ka.user.name"}}},
			{Rule: "Disallowed K8s User", SuggestedOutput: true},
		}},
		{"cloudtrail_text_all", ctCase, EngineConfig{Format: text, MinPriority: Debug, Matching: MatchAll}, nil},
		{"cloudtrail_json_first", ctCase, EngineConfig{Format: jsonAll, MinPriority: Debug}, nil},
		{"cloudtrail_selection", ctCase, EngineConfig{Format: text, MinPriority: Debug, Matching: MatchAll, Selections: []Selection{
			{Enable: false, Rule: "Console*"}, {Enable: true, Rule: "All Cloudtrail Events"},
		}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, stats := runEngine(t, tt.c, tt.cfg, tt.ao)
			checkEngineGolden(t, tt.name, strings.Join(lines, "\n")+"\n--\n"+stats)
		})
	}
}

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"Create Privileged Pod", "Create Privileged Pod", true},
		{"Create*", "Create Privileged Pod", true},
		{"*Pod", "Create Privileged Pod", true},
		{"*Privileged*", "Create Privileged Pod", true},
		{"C*e*d", "Created", true},
		{"a*b*c", "abbc", true},
		{"a*b*c", "acb", false},
		{"*", "", true},
		{"Create", "Create Privileged Pod", false},
		{"x*", "Create", false},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.pattern, tt.name); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", tt.pattern, tt.name, got)
		}
	}
}

func TestStatsString(t *testing.T) {
	r1, r2 := &Rule{Name: "one"}, &Rule{Name: "two"}
	var s Stats
	s.Total = 3
	s.ByPriority[Critical] = 1
	s.ByPriority[Informational] = 2
	s.ByRule = []RuleCount{{r1, 1}, {r2, 2}}
	want := "Events detected: 3\nRule counts by severity:\n   CRITICAL: 1\n   INFO: 2\nTriggered rules by rule name:\n   one: 1\n   two: 2\n"
	if got := s.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestEngineExpectedDatasets runs the official rules, rule_matching all,
// over the datasets in testdata/k8saudit and testdata/cloudtrail, whose
// .expected files list, per event, the rules that must fire (derived from
// the rules files by hand; see their READMEs).
func TestEngineExpectedDatasets(t *testing.T) {
	for _, c := range []struct {
		name     string
		c        engineCase
		expected string
	}{
		{"k8saudit", engineCase{k8sCase.plugins, k8sCase.rulesFile, "../k8saudit/demo.jsonl", k8sCase.source}, "k8saudit/demo.expected"},
		{"cloudtrail", engineCase{ctCase.plugins, ctCase.rulesFile, "../cloudtrail/trail", ctCase.source}, "cloudtrail/demo.expected"},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(fixtures.Root(), "testdata", c.expected))
			require.NoError(t, err)
			got := map[uint64][]string{}
			var last uint64
			runEngineSink(t, c.c, EngineConfig{Format: DefaultAlertFormat(), MinPriority: Debug, Matching: MatchAll}, func(d *Detection) {
				got[d.Num] = append(got[d.Num], d.Rule.Name)
				last = max(last, d.Num)
			})
			lines := strings.Split(strings.TrimSpace(string(want)), "\n")
			var sb strings.Builder
			for i := range lines {
				rules := got[uint64(i+1)]
				if len(rules) == 0 {
					fmt.Fprintf(&sb, "%d: -\n", i+1)
				} else {
					fmt.Fprintf(&sb, "%d: %s\n", i+1, strings.Join(rules, " | "))
				}
			}
			if last > uint64(len(lines)) {
				t.Errorf("alerts for event %d, past the %d events expected", last, len(lines))
			}
			if sb.String() != strings.TrimSpace(string(want))+"\n" {
				t.Errorf("per-event rules differ from %s:\n--- got ---\n%s--- want ---\n%s", c.expected, sb.String(), want)
			}
		})
	}
}
