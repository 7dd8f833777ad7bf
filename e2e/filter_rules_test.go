package e2e

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
	"github.com/plughost/plughost/rules"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in e2e/testdata")

// Falco prints evt.time in local time. The golden alert lines are in UTC:
// the whole e2e test binary runs with time.Local = time.UTC, set here
// before TestMain and before any goroutine starts (t.Setenv("TZ", "UTC")
// would not do: time.Local is read from TZ once, at start-up). No other
// test of this package depends on the local zone.
func init() { time.Local = time.UTC }

// matches is a hand-verified expectation: the event numbers (from 1, in
// delivery order) a rule matches in each input. The reasons are in
// testdata/events/rules/README.md.
type matches struct {
	rule string
	in   [2][]uint64 // [0]: the plugin's bundled input, [1]: testdata/events/rules
}

func ev(nums ...uint64) []uint64 { return nums }

// k8sRuleMatches lists every rule of k8s_audit_rules.yaml (v0.18.0), in file
// order: [0] is testdata/events/k8saudit/audit.log (23 events),
// [1] testdata/events/rules/audit.log (32 events).
var k8sRuleMatches = []matches{
	{"Disallowed K8s User", [2][]uint64{ev(2, 4, 6, 8, 22, 23), ev(1, 3, 5, 10, 13, 14, 15, 17, 19, 20, 21, 24, 25, 26, 30)}},
	{"Create Disallowed Pod", [2][]uint64{}}, // allowed_k8s_containers is always true
	{"Create Privileged Pod", [2][]uint64{ev(2), ev(10, 32)}},
	{"Create Sensitive Mount Pod", [2][]uint64{ev(2), ev(32)}},
	{"Create HostNetwork Pod", [2][]uint64{ev(2), ev(7)}},
	{"Create HostPid Pod", [2][]uint64{ev(2), nil}},
	{"Create HostIPC Pod", [2][]uint64{nil, ev(10)}},
	{"Create NodePort Service", [2][]uint64{nil, ev(21)}},
	{"Create/Modify Configmap With Private Credentials", [2][]uint64{nil, ev(1, 2)}},
	{"Anonymous Request Allowed", [2][]uint64{ev(9), ev(29)}},
	{"Attach/Exec Pod", [2][]uint64{ev(3), ev(11)}},
	{"port-forward", [2][]uint64{nil, ev(12, 13)}},
	{"EphemeralContainers Created", [2][]uint64{nil, ev(14)}},
	{"Create Disallowed Namespace", [2][]uint64{nil, ev(5)}},
	{"Pod Created in Kube Namespace", [2][]uint64{nil, ev(7)}},
	{"Service Account Created in Kube Namespace", [2][]uint64{nil, ev(15)}},
	{"System ClusterRole Modified/Deleted", [2][]uint64{nil, ev(17)}},
	{"Attach to cluster-admin Role", [2][]uint64{ev(12), nil}},
	{"ClusterRole With Wildcard Created", [2][]uint64{nil, ev(19)}},
	{"ClusterRole With Write Privileges Created", [2][]uint64{nil, ev(19)}},
	{"ClusterRole With Pod Exec Created", [2][]uint64{nil, ev(19)}},
	{"K8s Deployment Created", [2][]uint64{nil, ev(22)}},
	{"K8s Deployment Deleted", [2][]uint64{nil, ev(23)}},
	{"K8s Service Created", [2][]uint64{nil, ev(21)}},
	{"K8s Service Deleted", [2][]uint64{}},
	{"K8s ConfigMap Created", [2][]uint64{nil, ev(1)}},
	{"K8s ConfigMap Deleted", [2][]uint64{}},
	{"K8s Namespace Created", [2][]uint64{nil, ev(5, 6)}},
	{"K8s Namespace Deleted", [2][]uint64{ev(19), nil}},
	{"K8s Serviceaccount Created", [2][]uint64{nil, ev(15, 16)}},
	{"K8s Serviceaccount Deleted", [2][]uint64{}},
	{"K8s Role Created", [2][]uint64{nil, ev(19)}},
	{"K8s Role Deleted", [2][]uint64{}},
	{"K8s ClusterRole Created", [2][]uint64{ev(15), nil}},
	{"K8s ClusterRole Deleted", [2][]uint64{}},
	{"K8s RoleBinding Created", [2][]uint64{nil, ev(20)}},
	{"K8s RoleBinding Deleted", [2][]uint64{}},
	{"K8s ClusterRoleBinding Created", [2][]uint64{ev(12), nil}},
	{"K8s ClusterRoleBinding Deleted", [2][]uint64{}},
	{"K8s Secret Created", [2][]uint64{nil, ev(24)}},
	{"K8s Secret Deleted", [2][]uint64{nil, ev(25)}},
	{"K8s Secret Get Successfully", [2][]uint64{ev(7, 20), nil}},
	{"K8s Secret Get Unsuccessfully Tried", [2][]uint64{nil, ev(26)}},
	{"All K8s Audit Events", [2][]uint64{}},           // consider_all_events is never true
	{"Full K8s Administrative Access", [2][]uint64{}}, // allowed_full_admin_users is always true
	{"Ingress Object without TLS Certificate Created", [2][]uint64{nil, ev(30)}},
	{"Untrusted Node Successfully Joined the Cluster", [2][]uint64{}},          // allow_all_k8s_nodes
	{"Untrusted Node Unsuccessfully Tried to Join the Cluster", [2][]uint64{}}, // allow_all_k8s_nodes
}

// ctRuleMatches lists every rule of aws_cloudtrail_rules.yaml (v0.17.1), in
// file order: [0] is the directory testdata/events/cloudtrail (17 events:
// trail.json then trail.json.gz), [1] testdata/events/rules/trail.json (17).
var ctRuleMatches = []matches{
	// Disabled in the file, but compiled by Falco all the same; evt.num > 0.
	{"All Cloudtrail Events", [2][]uint64{seq(17), seq(17)}},
	{"Console Login Through Assume Role", [2][]uint64{nil, ev(1)}},
	{"Console Login Without MFA", [2][]uint64{ev(11), ev(2)}},
	{"Console Root Login Without MFA", [2][]uint64{ev(11), nil}},
	{"Deactivate MFA for Root User", [2][]uint64{nil, ev(3)}},
	{"Create AWS user", [2][]uint64{ev(3), nil}},
	{"Create Group", [2][]uint64{nil, ev(4)}},
	{"Delete Group", [2][]uint64{nil, ev(5)}},
	{"ECS Service Created", [2][]uint64{nil, ev(7)}},
	{"ECS Task Run or Started", [2][]uint64{nil, ev(8)}},
	{"Create Lambda Function", [2][]uint64{nil, ev(9)}},
	{"Update Lambda Function Code", [2][]uint64{nil, ev(10)}},
	{"Update Lambda Function Configuration", [2][]uint64{nil, ev(11)}},
	{"Run Instances", [2][]uint64{ev(8), nil}},
	{"Run Instances in Non-approved Region", [2][]uint64{ev(8), nil}},
	{"Delete Bucket Encryption", [2][]uint64{nil, ev(12)}},
	{"Delete Bucket Public Access Block", [2][]uint64{nil, ev(13)}},
	{"List Buckets", [2][]uint64{ev(16), nil}}, // disabled in the file
	{"Put Bucket ACL", [2][]uint64{nil, ev(15)}},
	{"Put Bucket Policy", [2][]uint64{ev(5), nil}},
	{"CloudTrail Trail Created", [2][]uint64{nil, ev(16)}},
	{"CloudTrail Logging Disabled", [2][]uint64{ev(12), ev(17)}},
}

func seq(n uint64) []uint64 {
	s := make([]uint64, n)
	for i := range s {
		s[i] = uint64(i + 1)
	}
	return s
}

// TestFilterK8sAuditRules compiles every rule of the official
// k8s_audit_rules.yaml for source k8s_audit (k8saudit and json loaded),
// runs each over the bundled audit logs, checks exactly which events each
// one matches, and renders each match's alert (Falco's text line and the
// JSON of its fields) against e2e/testdata/filter_rules_k8saudit.golden.
func TestFilterK8sAuditRules(t *testing.T) {
	runRules(t, rulesCase{
		plugins: []official{k8sAudit, jsonPlugin},
		rules:   officialRule{k8sAudit, "rules/k8s_audit_rules.yaml"},
		source:  "k8s_audit",
		inputs: [2]string{
			filepath.Join("k8saudit", "audit.log"),
			filepath.Join("rules", "audit.log"),
		},
		counts: [2]int{23, 32},
		want:   k8sRuleMatches,
		golden: "filter_rules_k8saudit.golden",
	})
}

// TestFilterCloudTrailRules is TestFilterK8sAuditRules for the official
// aws_cloudtrail_rules.yaml, source aws_cloudtrail (cloudtrail and json).
func TestFilterCloudTrailRules(t *testing.T) {
	runRules(t, rulesCase{
		plugins: []official{cloudTrail, jsonPlugin},
		rules:   officialRule{cloudTrail, "rules/aws_cloudtrail_rules.yaml"},
		source:  "aws_cloudtrail",
		inputs: [2]string{
			"cloudtrail",
			filepath.Join("rules", "trail.json"),
		},
		counts: [2]int{17, 17},
		want:   ctRuleMatches,
		golden: "filter_rules_cloudtrail.golden",
	})
}

type officialRule struct {
	plugin official
	path   string // inside the module
}

type rulesCase struct {
	plugins []official // the first is the source plugin
	rules   officialRule
	source  string
	inputs  [2]string // under testdata/events
	counts  [2]int    // events in each input
	want    []matches
	golden  string // under e2e/testdata
}

// compiledRule is a rule as the rules loader compiled it, with the alert
// format Falco builds from its priority and output.
type compiledRule struct {
	name   string
	filter *filter.Filter
	format *filter.Format
}

// loadOfficialRules loads one official rules file with the rules package,
// against reg, for source.
func loadOfficialRules(t *testing.T, reg *registry.Registry, o officialRule, source string) []*rules.Rule {
	t.Helper()
	skipShort(t)
	l := rules.NewLoader(rules.Env{Registry: reg, Sources: []string{source}})
	res := l.LoadFile(fixtures.OfficialRules(t, o.plugin.name, o.plugin.version, filepath.Base(o.path)))
	if !res.OK() {
		t.Fatal(res.Text(true))
	}
	return l.Rules()
}

// alertFormat is the format of a rule's whole alert line.
func alertFormat(r *rules.Rule) string {
	return "*%evt.time: " + r.Priority.String() + " " + r.Output
}

func runRules(t *testing.T, c rulesCase) {
	reg, states := setup(t, c.plugins...)
	env := filter.Env{Registry: reg, Source: c.source}

	var compiled []compiledRule
	for _, r := range loadOfficialRules(t, reg, c.rules, c.source) {
		if w := r.Filter.Warnings(); len(w) > 0 {
			t.Errorf("rule %q: unexpected warnings %v", r.Name, w)
		}
		fm, err := filter.CompileFormat(alertFormat(r), env)
		if err != nil {
			t.Errorf("rule %q: output does not compile: %v", r.Name, err)
			continue
		}
		compiled = append(compiled, compiledRule{r.Name, r.Filter, fm})
	}
	rules := compiled
	var names, wantNames []string
	for _, r := range rules {
		names = append(names, r.name)
	}
	for _, w := range c.want {
		wantNames = append(wantNames, w.rule)
	}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("compiled rules:\n %q\nthe table lists:\n %q", names, wantNames)
	}

	var golden bytes.Buffer
	for in, input := range c.inputs {
		fmt.Fprintf(&golden, "### %s rules over testdata/events/%s\n", c.source, filepath.ToSlash(input))
		got, lines := evalRules(t, states, rules, eventsPath(input), c.counts[in])
		for i, w := range c.want {
			if !slices.Equal(got[i], w.in[in]) {
				t.Errorf("%s: rule %q matches %v, want %v", input, w.rule, got[i], w.in[in])
			}
		}
		golden.WriteString(lines)
	}
	checkGolden(t, c.golden, golden.Bytes())

	covered := 0
	for _, w := range c.want {
		if len(w.in[0])+len(w.in[1]) > 0 {
			covered++
		}
	}
	t.Logf("%s: %d rules compiled, %d of them match some event", c.rules.path, len(rules), covered)
}

// evalRules streams one input from the source plugin, evaluates every rule
// on every batch (as Falco does with rule_matching: all) and formats every
// match. It returns, per rule, the matching event numbers, and the golden
// text: per event, in rule order, the alert's text line and its JSON.
func evalRules(t *testing.T, states []*loader.State, rules []compiledRule, path string, count int) ([][]uint64, string) {
	t.Helper()
	byName := map[string]*loader.State{}
	for _, s := range states {
		byName[s.Plugin().Name] = s
	}
	st := func(p *loader.Plugin) (*loader.State, error) {
		if s, ok := byName[p.Name]; ok {
			return s, nil
		}
		return nil, fmt.Errorf("no state for plugin %s", p.Name)
	}
	evs := make([]*filter.Evaluator, len(rules))
	fms := make([]*filter.Formatter, len(rules))
	for i, r := range rules {
		var err error
		if evs[i], err = r.filter.NewEvaluator(st); err != nil {
			t.Fatalf("rule %q: %v", r.name, err)
		}
		defer evs[i].Close()
		if fms[i], err = r.format.NewFormatter(st); err != nil {
			t.Fatalf("rule %q: %v", r.name, err)
		}
		defer fms[i].Close()
	}

	src, err := capability.NewSource(states[0])
	if err != nil {
		t.Fatal(err)
	}
	stream, err := src.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()

	got := make([][]uint64, len(rules))
	type alert struct {
		rule       int
		text, json string
	}
	perEvent := map[uint64][]alert{}
	events := 0
	for {
		err := stream.Next(ctx, func(b *capability.Batch) error {
			events += b.Len()
			for r := range rules {
				idx, err := evs[r].Eval(b)
				if err != nil {
					return fmt.Errorf("rule %q: %w", rules[r].name, err)
				}
				if len(idx) == 0 {
					continue
				}
				if err := fms[r].Extract(b, idx); err != nil {
					return fmt.Errorf("rule %q: output: %w", rules[r].name, err)
				}
				for _, i := range idx {
					num := b.Num(int(i))
					got[r] = append(got[r], num)
					text, ok := fms[r].AppendText(nil, int(i))
					if !ok {
						text = append(text, "<AppendText: not ok>"...)
					}
					obj, ok := fms[r].AppendJSON(nil, int(i))
					if !ok {
						obj = append(obj, "<AppendJSON: not ok>"...)
					}
					perEvent[num] = append(perEvent[num], alert{r, string(text), string(obj)})
				}
			}
			return nil
		})
		if errors.Is(err, capability.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if events != count {
		t.Errorf("%s: %d events, want %d", path, events, count)
	}
	var sb strings.Builder
	for num := uint64(1); num <= uint64(events); num++ {
		for _, a := range perEvent[num] {
			fmt.Fprintf(&sb, "#%d %s\n%s\n%s\n", num, rules[a.rule].name, a.text, a.json)
		}
	}
	return got, sb.String()
}

// checkGolden compares got with e2e/testdata/<name>, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(fixtures.Root(), "e2e", "testdata", name)
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs from the golden file at line %d (run with -update to rewrite it):\n got %q\nwant %q", name, i+1, g, w)
		}
	}
}

// TestFilterRulesCompile compiles every rule condition and output of both
// official rules files twice: with every plugin the file requires loaded
// (all must compile), and with the source plugin alone, where exactly the
// rules that use json.* / jevt.* fields must fail, with libsinsp's
// unknown-field error.
func TestFilterRulesCompile(t *testing.T) {
	for _, c := range []struct {
		rules    officialRule
		source   string
		wantRule int // rules in the file
		wantJSON int // of which use json.* or jevt.* in their condition
	}{
		{officialRule{k8sAudit, "rules/k8s_audit_rules.yaml"}, "k8s_audit", 48, 48},
		{officialRule{cloudTrail, "rules/aws_cloudtrail_rules.yaml"}, "aws_cloudtrail", 22, 4},
	} {
		t.Run(c.source, func(t *testing.T) {
			skipShort(t)
			full := compileRegistry(t, c.rules.plugin, jsonPlugin)
			alone := filter.Env{Registry: compileRegistry(t, c.rules.plugin), Source: c.source}
			loaded := loadOfficialRules(t, full, c.rules, c.source)
			if len(loaded) != c.wantRule {
				t.Errorf("%d rules, want %d", len(loaded), c.wantRule)
			}
			fullEnv := filter.Env{Registry: full, Source: c.source}
			var failedAlone, outputsAlone int
			for _, r := range loaded {
				if _, err := filter.CompileFormat(alertFormat(r), fullEnv); err != nil {
					t.Errorf("rule %q: output: %v", r.Name, err)
				}
				// Without json, a condition that uses json.value or
				// jevt.* fails on that field; every other compiles.
				_, err := filter.CompileExpr(r.Filter.Expr(), alone)
				field := jsonField(r.Filter)
				switch {
				case field == "" && err != nil:
					t.Errorf("rule %q without json: %v", r.Name, err)
				case field != "" && err == nil:
					t.Errorf("rule %q without json compiled, though it uses %s", r.Name, field)
				case field != "":
					failedAlone++
					var ce *filter.CompileError
					want := "filter_check called with nonexistent field " + field
					if !errors.As(err, &ce) || ce.Msg != want || ce.Field != field {
						t.Errorf("rule %q without json: %#v, want a CompileError %q on %s", r.Name, err, want, field)
					}
				}
				if _, err := filter.CompileFormat(alertFormat(r), alone); err != nil {
					outputsAlone++
				}
			}
			if failedAlone != c.wantJSON {
				t.Errorf("%d rules fail without json, want %d", failedAlone, c.wantJSON)
			}
			t.Logf("%s: %d rules; with %s alone %d fail on an unknown json field (and %d outputs do not compile)",
				c.rules.path, len(loaded), c.rules.plugin.name, failedAlone, outputsAlone)
		})
	}
}

// compileRegistry loads the plugins into a fresh registry (no state
// needed to compile).
func compileRegistry(t *testing.T, plugins ...official) *registry.Registry {
	t.Helper()
	reg := registry.New()
	for _, o := range plugins {
		p, err := loader.Load(fixtures.Official(t, o.name, o.version), loader.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	return reg
}

// jsonField is the first json.* or jevt.* field that the compiled
// condition reads ("" if none): compile order is left to right, so that is
// the field the error must name.
func jsonField(f *filter.Filter) string {
	for _, field := range f.Fields() {
		if strings.HasPrefix(field, "json.") || strings.HasPrefix(field, "jevt.") {
			return field
		}
	}
	return ""
}
