package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plughost/plughost/internal/fixtures"
)

// buildPluginrun builds cmd/pluginrun once per test process, as users do.
var buildPluginrun = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "plughost-bench-pluginrun-")
	if err != nil {
		return "", err
	}
	exe := filepath.Join(dir, "pluginrun")
	cmd := exec.Command("go", "build", "-o", exe, "./cmd/pluginrun")
	cmd.Dir = fixtures.Root()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s: %v\n%s", cmd, err, out)
	}
	return exe, nil
})

// BenchmarkPluginrun runs the whole `pluginrun` process with the official
// k8saudit and json plugins and every rule of k8saudit v0.18.0's own rules
// file enabled, rule_matching all, over the bundled audit log repeated to
// b.N events (at least 32), alerts written to a pipe that is drained.
// It reports ns/event, events/s and the alerts per event; compare it with
// rules.BenchmarkEngineK8sAudit, the library path of the same work.
func BenchmarkPluginrun(b *testing.B) {
	exe, err := buildPluginrun()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	plugins := filepath.Join(dir, "plugins")
	if err := os.Mkdir(plugins, 0o755); err != nil {
		b.Fatal(err)
	}
	for name, lib := range map[string]string{
		"libk8saudit.so": fixtures.Official(b, "k8saudit", "v0.18.0"),
		"libjson.so":     fixtures.Official(b, "json", "v0.7.4"),
	} {
		if err := os.Symlink(lib, filepath.Join(plugins, name)); err != nil {
			b.Fatal(err)
		}
	}
	one, err := os.ReadFile(filepath.Join(fixtures.Root(), "testdata", "events", "rules", "audit.log"))
	if err != nil {
		b.Fatal(err)
	}
	perCopy := bytes.Count(one, []byte("\n"))
	copies := max((b.N+perCopy-1)/perCopy, 1)
	events := copies * perCopy
	logPath := filepath.Join(dir, "audit.log")
	if err := os.WriteFile(logPath, bytes.Repeat(one, copies), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg := fmt.Sprintf(`plugins:
  - name: k8saudit
    library_path: libk8saudit.so
    open_params: %s
  - name: json
    library_path: libjson.so
load_plugins: [k8saudit, json]
rule_matching: all
buffered_outputs: true
rules:
  - enable: {rule: "*"}
`, logPath)
	cfgPath := filepath.Join(dir, "falco.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	rules := fixtures.OfficialRules(b, "k8saudit", "v0.18.0", "k8s_audit_rules.yaml")

	cmd := exec.Command(exe, "-c", cfgPath, "--plugins-dir", plugins, "-r", rules)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	b.ResetTimer()
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	b.StopTimer()
	if err != nil {
		b.Fatalf("%s: %v\n%s", cmd, err, stderr.String())
	}
	out := stdout.String()
	i := strings.LastIndex(out, "Events detected: ")
	if i < 0 {
		b.Fatalf("no statistics in the output:\n%s", out[max(0, len(out)-2000):])
	}
	var alerts int
	fmt.Sscanf(out[i:], "Events detected: %d", &alerts)
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(events), "ns/event")
	b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(alerts)/float64(events), "alerts/event")
	b.ReportMetric(0, "ns/op")
}
