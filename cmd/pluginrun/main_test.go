package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/plughost/plughost/internal/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// Alert times print in local time (evt.time): the goldens are in UTC.
func init() { time.Local = time.UTC }

// setupDir is a Falco setup in a temporary directory: a plugins directory
// with the official plugins linked in, and a falco.yaml.
type setupDir struct {
	dir, pluginsDir, config string
	k8sRules, ctRules       string
	repl                    *strings.Replacer
}

const k8sVersion, jsonVersion, ctVersion = "v0.18.0", "v0.7.4", "v0.17.1"

func newSetup(t *testing.T, yaml string) *setupDir {
	t.Helper()
	if testing.Short() {
		t.Skip("builds official plugins")
	}
	s := &setupDir{dir: t.TempDir()}
	s.pluginsDir = filepath.Join(s.dir, "plugins")
	if err := os.Mkdir(s.pluginsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, lib := range map[string]string{
		"libk8saudit.so":   fixtures.Official(t, "k8saudit", k8sVersion),
		"libjson.so":       fixtures.Official(t, "json", jsonVersion),
		"libcloudtrail.so": fixtures.Official(t, "cloudtrail", ctVersion),
	} {
		if err := os.Symlink(lib, filepath.Join(s.pluginsDir, name)); err != nil {
			t.Fatal(err)
		}
	}
	s.k8sRules = fixtures.OfficialRules(t, "k8saudit", k8sVersion, "k8s_audit_rules.yaml")
	s.ctRules = fixtures.OfficialRules(t, "cloudtrail", ctVersion, "aws_cloudtrail_rules.yaml")
	root := fixtures.Root()
	s.repl = strings.NewReplacer(
		"$EVENTS", filepath.Join(root, "testdata", "events"),
		"$K8S_RULES", s.k8sRules,
		"$CT_RULES", s.ctRules,
		"$DIR", s.dir,
	)
	s.config = filepath.Join(s.dir, "falco.yaml")
	if err := os.WriteFile(s.config, []byte(s.repl.Replace(yaml)), 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}

// args expands $-placeholders and adds -c and --plugins-dir.
func (s *setupDir) args(args ...string) []string {
	out := []string{"-c", s.config, "--plugins-dir", s.pluginsDir}
	for _, a := range args {
		out = append(out, s.repl.Replace(a))
	}
	return out
}

// unplace turns the setup's paths back into placeholders, for goldens.
func (s *setupDir) unplace(text string) string {
	root := fixtures.Root()
	return strings.NewReplacer(
		s.k8sRules, "$K8S_RULES",
		s.ctRules, "$CT_RULES",
		s.dir, "$DIR",
		filepath.Join(root, "testdata", "events"), "$EVENTS",
	).Replace(text)
}

type runResult struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, args ...string) runResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, &stdout, &stderr)
	return runResult{code, stdout.String(), stderr.String()}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n--- got ---\n%s\n--- want ---\n%s", file, got, want)
	}
}

const k8sConfig = `
plugins:
  - name: k8saudit
    library_path: libk8saudit.so
    open_params: $EVENTS/rules/audit.log
  - name: json
    library_path: libjson.so
load_plugins: [k8saudit, json]
rules_files: [$K8S_RULES]
stdout_output: {enabled: true}
`

const ctConfig = `
plugins:
  - name: cloudtrail
    library_path: libcloudtrail.so
    open_params: $EVENTS/rules/trail.json
  - name: json
    library_path: libjson.so
load_plugins: [cloudtrail, json]
rules_files: [$CT_RULES]
stdout_output: {enabled: true}
`

// TestAlerts runs the official rules over the bundled inputs in both
// formats and both rule_matching modes, and pins every alert line and the
// statistics.
func TestAlerts(t *testing.T) {
	t.Setenv("FALCO_HOSTNAME", "plughost-test")
	tests := []struct {
		name, config string
		args         []string
	}{
		{"k8saudit_text_first", k8sConfig, nil},
		{"k8saudit_text_all", k8sConfig, []string{"-o", "rule_matching=all"}},
		{"k8saudit_json_all", k8sConfig, []string{"-o", "rule_matching=all", "-o", "json_output=true"}},
		{"k8saudit_json_message_iso", k8sConfig, []string{"-o", "json_output=true", "-o", "json_include_message_property=true", "-o", "time_format_iso_8601=true", "-o", "json_include_tags_property=false"}},
		{"k8saudit_priority_warning", k8sConfig, []string{"-o", "priority=warning"}},
		{"cloudtrail_text_all", ctConfig, []string{"-o", "rule_matching=all"}},
		{"cloudtrail_json_first", ctConfig, []string{"-o", "json_output=true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSetup(t, tt.config)
			r := runCmd(t, s.args(tt.args...)...)
			if r.code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			checkGolden(t, tt.name, s.unplace(r.stdout))
		})
	}
}

// TestCommands pins the listings, validation and error paths: stdout,
// stderr and the exit code.
func TestCommands(t *testing.T) {
	badRules := "- rule: broken\n  desc: d\n  condition: ka.verb = \n  output: o\n  priority: WARNING\n  source: k8s_audit\n"
	tests := []struct {
		name, config string
		args         []string
		files        map[string]string // written under $DIR
		code         int
	}{
		{"list_plugins", k8sConfig, []string{"--list-plugins"}, nil, exitOK},
		{"describe_all", k8sConfig, []string{"-L"}, nil, exitOK},
		{"describe_one", k8sConfig, []string{"-l", "Create Privileged Pod"}, nil, exitOK},
		{"describe_unknown", k8sConfig, []string{"-l", "No Such Rule"}, nil, exitFailed},
		{"validate_ok", k8sConfig, []string{"-V", "$K8S_RULES"}, nil, exitOK},
		{"validate_ok_json", k8sConfig, []string{"-o", "json_output=true", "-V", "$K8S_RULES"}, nil, exitOK},
		{"validate_error", k8sConfig, []string{"-V", "$K8S_RULES", "-V", "$DIR/bad.yaml"}, map[string]string{"bad.yaml": badRules}, exitFailed},
		{"validate_error_json", k8sConfig, []string{"-o", "json_output=true", "-V", "$DIR/bad.yaml"}, map[string]string{"bad.yaml": badRules}, exitFailed},
		{"rules_error", k8sConfig, []string{"-r", "$DIR/bad.yaml"}, map[string]string{"bad.yaml": badRules}, exitFailed},
		{"dry_run", k8sConfig, []string{"--dry-run"}, nil, exitOK},
		{"requirement_not_loaded", strings.Replace(k8sConfig, "load_plugins: [k8saudit, json]", "load_plugins: [k8saudit]", 1), nil, nil, exitFailed},
		{"plugin_name_mismatch", k8sConfig, []string{"-o", "plugins[1].name=jsonx", "-o", "load_plugins[1]=jsonx"}, nil, exitFailed},
		{"no_rules_files", k8sConfig, []string{"-r", "$DIR/missing.yaml"}, nil, exitFailed},
		{"unknown_load_plugin", k8sConfig, []string{"-o", "load_plugins[]=nope"}, nil, exitFailed},
		{"bad_priority", k8sConfig, []string{"-o", "priority=loud"}, nil, exitFailed},
		{"bad_override", k8sConfig, []string{"-o", "priority"}, nil, exitFailed},
		{"usage_unknown_flag", k8sConfig, []string{"--nope"}, nil, exitUsage},
		{"usage_missing_value", k8sConfig, []string{"-r"}, nil, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSetup(t, tt.config)
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(s.dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := runCmd(t, s.args(tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			checkGolden(t, "cmd_"+tt.name, s.unplace("-- stdout\n"+r.stdout+"-- stderr\n"+r.stderr))
		})
	}
}

func TestHelp(t *testing.T) {
	r := runCmd(t, "--help")
	if r.code != exitOK || r.stdout != usageText {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestMissingConfig(t *testing.T) {
	r := runCmd(t, "-c", "/nonexistent/falco.yaml")
	if r.code != exitFailed {
		t.Errorf("exit %d", r.code)
	}
	want := "Error: /nonexistent/falco.yaml: Cannot read config file (/nonexistent/falco.yaml): open /nonexistent/falco.yaml: no such file or directory\n"
	if r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
}

// TestFileOutput checks that file_output gets the same alert lines as
// stdout.
func TestFileOutput(t *testing.T) {
	s := newSetup(t, k8sConfig+"file_output: {enabled: true, filename: $DIR/alerts.txt}\n")
	r := runCmd(t, s.args()...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	file, err := os.ReadFile(filepath.Join(s.dir, "alerts.txt"))
	if err != nil {
		t.Fatal(err)
	}
	alerts := r.stdout[:strings.Index(r.stdout, "Events detected: ")]
	if string(file) != alerts || strings.Count(alerts, "\n") != 25 {
		t.Errorf("file_output differs from stdout:\n%s\n--- stdout ---\n%s", file, alerts)
	}
}

// webhookConfig is k8sConfig with k8saudit listening as a webhook on a
// free loopback port, and that port's address.
func webhookConfig(t *testing.T) (config, addr string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = l.Addr().String()
	l.Close()
	return strings.Replace(k8sConfig, "open_params: $EVENTS/rules/audit.log", "open_params: http://"+addr+"/k8s-audit", 1), addr
}

// postAuditLog posts each event of the bundled audit log to the webhook at
// addr, retrying while it is not listening yet.
func postAuditLog(addr string) error {
	lines, err := os.ReadFile(filepath.Join(fixtures.Root(), "testdata", "events", "rules", "audit.log"))
	if err != nil {
		return err
	}
	for _, line := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
		for try := 0; ; try++ {
			resp, err := http.Post("http://"+addr+"/k8s-audit", "application/json", strings.NewReader(line))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return fmt.Errorf("POST: %s", resp.Status)
				}
				break
			}
			if try == 100 {
				return err
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

// TestDurationWebhook runs k8saudit as a webhook on loopback, posts the
// bundled audit log to it while pluginrun runs, and stops it with -M:
// every alert of the posted events is printed before the statistics.
func TestDurationWebhook(t *testing.T) {
	cfg, addr := webhookConfig(t)
	s := newSetup(t, cfg)
	posted := make(chan error, 1)
	go func() { posted <- postAuditLog(addr) }()
	r := runCmd(t, s.args("-M", "4")...)
	if err := <-posted; err != nil {
		t.Fatal(err)
	}
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Events detected: 25\n") {
		t.Errorf("want the 25 alerts of the posted log, got:\n%s", r.stdout)
	}
}

// TestSignalStops builds pluginrun, runs it on a k8saudit webhook, posts
// the bundled log, and stops it with SIGINT and with SIGTERM once every
// alert is out: it exits 0 and prints the statistics.
func TestSignalStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pluginrun and official plugins")
	}
	exe := filepath.Join(t.TempDir(), "pluginrun")
	build := exec.Command("go", "build", "-o", exe, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cfg, addr := webhookConfig(t)
			s := newSetup(t, cfg)
			cmd := exec.Command(exe, s.args()...)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if err := postAuditLog(addr); err != nil {
				cmd.Process.Kill()
				t.Fatal(err)
			}
			// Every alert is flushed as it is raised (buffered_outputs is
			// false): wait for the 25th, then signal.
			var out strings.Builder
			buf := make([]byte, 64<<10)
			for strings.Count(out.String(), "\n") < 25 {
				n, err := stdout.Read(buf)
				out.Write(buf[:n])
				if err != nil {
					t.Fatalf("%v after:\n%s\nstderr:\n%s", err, out.String(), stderr.String())
				}
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(stdout)
			out.Write(rest)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("%v; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(out.String(), "\nEvents detected: 25\n") {
				t.Errorf("no statistics:\n%s", out.String())
			}
		})
	}
}
