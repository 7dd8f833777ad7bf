package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/plughost/plughost/internal/checkreport"
	"github.com/plughost/plughost/internal/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testDieEnv makes a child process die: "STEP:HOW" dies before STEP
// (load, init or destroy) in the way HOW (panic, kill, exit0 or hang);
// "start:exit3" exits before checking anything.
const testDieEnv = "PLUGHOST_PLUGINCHECK_TEST_DIE"

// TestMain runs the child mode when the test binary is re-executed by an
// isolated check (it is os.Executable() here).
func TestMain(m *testing.M) {
	if os.Getenv(testMainEnv) == "1" || os.Getenv(inProcessEnv) == "1" {
		os.Unsetenv(testMainEnv)
		main()
	}
	if os.Getenv(childEnv) == "1" {
		if die := os.Getenv(testDieEnv); die != "" {
			step, how, _ := strings.Cut(die, ":")
			if step == "start" {
				os.Exit(3)
			}
			childHook = func(s checkreport.Step) {
				if string(s) != step {
					return
				}
				fmt.Fprintln(os.Stderr, "about to die")
				switch how {
				case "panic":
					panic("simulated plugin crash")
				case "kill":
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
				case "exit0":
					os.Exit(0)
				case "hang":
					time.Sleep(time.Hour)
				}
			}
		}
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	// Children built with -race would otherwise sleep 1s before exiting.
	os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	os.Exit(m.Run())
}

// runResult is what run did.
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

// resolveArgs replaces fixture references in args with real paths:
// "@NAME" is the C fixture NAME, "@gosdk:NAME" the Go SDK fixture NAME,
// "@official:NAME@VERSION" the official plugin, "@events:PATH" the file
// testdata/events/PATH, "@notelf" the not-ELF file. It returns the real
// args and the replacements that turn real paths back into stable
// placeholders.
func resolveArgs(t *testing.T, args []string) (resolved []string, placeholders *strings.Replacer) {
	t.Helper()
	var pairs []string
	for _, a := range args {
		if name, ok := strings.CutPrefix(a, "@"); ok {
			path, placeholder := "", ""
			gosdk, isGoSDK := strings.CutPrefix(name, "gosdk:")
			official, isOfficial := strings.CutPrefix(name, "official:")
			events, isEvents := strings.CutPrefix(name, "events:")
			switch {
			case name == "notelf":
				path, placeholder = fixtures.NotELF(), "<testdata>/"+filepath.Base(fixtures.NotELF())
			case isGoSDK:
				path, placeholder = fixtures.GoSDK(t, gosdk), "<gosdk>/"+gosdk+".so"
			case isOfficial:
				plugin, version, _ := strings.Cut(official, "@")
				path, placeholder = fixtures.Official(t, plugin, version), "<official>/"+plugin+".so"
			case isEvents:
				path, placeholder = filepath.Join(fixtures.Root(), "testdata", "events", events), "<events>/"+events
			default:
				path, placeholder = fixtures.C(t, name), "<fixtures>/"+name+".so"
			}
			pairs = append(pairs, path, placeholder)
			a = path
		}
		resolved = append(resolved, a)
	}
	return resolved, strings.NewReplacer(pairs...)
}

var goldenCases = []struct {
	name string
	args []string
}{
	{"full_text", []string{"@full"}},
	{"full_json", []string{"--format", "json", "@full"}},
	{"api_major_mismatch", []string{"@api_major_mismatch"}},
	{"missing_get_name", []string{"@missing_get_name"}},
	{"caps_two_broken", []string{"@caps_two_broken"}},
	{"fields_no_desc", []string{"@fields_no_desc"}},
	{"fields_bad_name", []string{"@fields_bad_name"}},
	{"fields_bad_name_json", []string{"--format=json", "@fields_bad_name"}},
	{"source_reserved_syscall", []string{"@source_reserved_syscall"}},
	{"async_events_empty_array", []string{"@async_events_empty_array"}},
	{"schema_not_object", []string{"@schema_not_object"}},
	{"init_fail", []string{"@init_fail"}},
	{"init_echo_no_config", []string{"@init_echo"}},
	{"init_echo_config", []string{"--init-config", `{"name":"x"}`, "@init_echo"}},
	{"init_echo_bad_config", []string{"--init-config", `{"name":1}`, "@init_echo"}},
	{"missing_file", []string{"does-not-exist.so"}},
	{"not_elf", []string{"@notelf"}},
	{"not_a_plugin", []string{"@not_a_plugin"}},
	{"not_a_plugin_json", []string{"--format", "json", "@not_a_plugin"}},
	{"mixed", []string{"@full", "does-not-exist.so", "@fields_bad_name", "@init_fail", "@source_only"}},
	{"mixed_json", []string{"--format", "json", "@extract_only", "@caps_none", "@notelf"}},
	{"flags_after_files", []string{"@init_echo", "--init-config", `{"name":"y"}`, "--format", "json"}},
	{"api_version_3.11.0", []string{"--api-version", "3.11.0", "@full"}},
	{"api_version_3.12.0_explicit", []string{"--api-version=3.12.0", "@api_patch_too_new"}},
	{"text_forge", []string{"--events", "1", "--output", "%text.ctl", "@text_forge"}},
	{"text_forge_init", []string{"--init-config", "fail", "@text_forge"}},
	{"usage_no_args", nil},
	{"usage_no_files", []string{"--format", "json"}},
	{"usage_bad_flag", []string{"--bogus", "@full"}},
	{"usage_bad_format", []string{"--format", "yaml", "@full"}},
	{"usage_bad_api_version", []string{"--api-version", "3.12", "@full"}},
	{"usage_negative_timeout", []string{"--timeout", "-1s", "@full"}},
	{"usage_negative_events", []string{"--events", "-1", "@full"}},
	{"help", []string{"-h"}},
	// Streaming.
	{"stream_source_only", []string{"--events", "5", "--open-params", "5", "@source_only"}},
	{"stream_source_only_json", []string{"--format", "json", "--events", "5", "--open-params", "5", "@source_only"}},
	{"stream_gocounter", []string{"--events", "10", "--open-params", "100", "@gosdk:gocounter"}},
	{"stream_source_faults_short_len", []string{"--events", "3", "--open-params", "short_len", "@source_faults"}},
	{"stream_source_faults_short_len_json", []string{"--format", "json", "--events", "3", "--open-params", "short_len", "@source_faults"}},
	{"stream_source_faults_fail", []string{"--events", "3", "--open-params", "fail", "@source_faults"}},
	{"stream_mixed", []string{"--events", "2", "@full", "@extract_only", "@init_fail", "@source_only"}},
	// --filter and --output.
	{"filter_text", []string{"--events", "10", "--open-params", "20", "--filter", "lazy.num > 6 or lazy.even = true",
		"--output", "evt %evt.num: %lazy.str (%lazy.num)", "--max-outputs", "5", "@filter_lazy"}},
	{"filter_json", []string{"--format", "json", "--events", "10", "--open-params", "20", "--filter", "lazy.num > 6 or lazy.even = true",
		"--output", "evt %evt.num: %lazy.str (%lazy.num)", "--max-outputs", "5", "@filter_lazy"}},
	{"output_no_filter", []string{"--events", "3", "--open-params", "20", "--output", "%lazy.num %lazy.calls[nope] %evt.source", "@filter_lazy"}},
	{"filter_generic_json", []string{"--format", "json", "--events", "5", "--open-params", "5", "--filter", "evt.num > 3",
		"--output", "%evt.num %evt.pluginname", "@source_only"}},
	{"filter_syntax_error", []string{"--events", "5", "--filter", "lazy.num = 1 andlazy.even = true", "@filter_lazy", "@source_only"}},
	{"filter_syntax_error_multiline", []string{"--format", "json", "--events", "5", "--filter", "lazy.num = 1 and\n  (lazy.even = true or", "@filter_lazy"}},
	{"filter_empty", []string{"--events", "5", "--filter", "", "@filter_lazy"}},
	{"filter_unknown_field", []string{"--events", "5", "--open-params", "5", "--filter", "lazy.num > 3", "@filter_lazy", "@source_only"}},
	{"filter_unknown_field_json", []string{"--format", "json", "--events", "5", "--open-params", "5", "--filter", "lazy.num > 1 and lazy.nope = 1", "@filter_lazy"}},
	{"filter_bad_operator", []string{"--events", "5", "--open-params", "5", "--filter", "lazy.num contains 3", "@filter_lazy"}},
	{"output_format_error", []string{"--events", "5", "--open-params", "5", "--output", "%lazy.str at %", "@filter_lazy"}},
	{"output_unknown_field_json", []string{"--format", "json", "--events", "5", "--open-params", "5", "--filter", "lazy.num > 1",
		"--output", "%lazy.num %nope.x", "@filter_lazy"}},
	{"output_empty", []string{"--events", "5", "--output", "", "@filter_lazy"}},
	{"usage_filter_without_events", []string{"--filter", "lazy.num > 1", "@filter_lazy"}},
	{"usage_output_without_events", []string{"--output", "%lazy.num", "@filter_lazy"}},
	{"usage_negative_max_outputs", []string{"--events", "5", "--output", "%lazy.num", "--max-outputs", "-1", "@filter_lazy"}},
	// The official k8saudit plugin over the rule tests' audit log: the
	// privileged pods created (EXPECTED.md in testdata/events/rules).
	{"k8saudit_filter_text", []string{"--events", "100", "--open-params", "@events:rules/audit.log",
		"--filter", k8sPrivilegedPods, "--output", k8sOutput, "@official:k8saudit@v0.18.0"}},
	{"k8saudit_filter_json", []string{"--format", "json", "--events", "100", "--open-params", "@events:rules/audit.log",
		"--filter", k8sPrivilegedPods, "--output", k8sOutput, "--max-outputs", "2", "@official:k8saudit@v0.18.0"}},
	{"k8saudit_filter_unknown_field", []string{"--events", "100", "--open-params", "@events:rules/audit.log",
		"--filter", "ka.verb = create and ka.target.resources = pods", "@official:k8saudit@v0.18.0"}},
}

const (
	k8sPrivilegedPods = "ka.verb=create and ka.target.resource=pods and ka.req.pod.containers.privileged intersects (true)"
	k8sOutput         = "%ka.user.name %ka.target.namespace %ka.target.name"
)

// TestGolden runs plugincheck on fixtures and compares the exit status,
// stdout and stderr with testdata/golden/NAME.golden (-update rewrites them).
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if testing.Short() && slices.ContainsFunc(tc.args, func(a string) bool {
				return strings.HasPrefix(a, "@gosdk:") || strings.HasPrefix(a, "@official:")
			}) {
				t.Skip("builds a Go SDK or official plugin")
			}
			args, placeholders := resolveArgs(t, tc.args)
			res := runCmd(t, args...)
			got := fmt.Sprintf("# %s\n# exit %d\n-- stdout --\n%s-- stderr --\n%s",
				strings.TrimSpace("plugincheck "+shellQuote(tc.args)), res.code,
				placeholders.Replace(res.stdout), placeholders.Replace(res.stderr))
			file := filepath.Join("testdata", "golden", tc.name+".golden")
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
		})
	}
}

// shellQuote renders args for the golden file header, with "@NAME"
// fixtures shown as their placeholders.
func shellQuote(args []string) string {
	var parts []string
	for _, a := range args {
		if name, ok := strings.CutPrefix(a, "@"); ok {
			gosdk, isGoSDK := strings.CutPrefix(name, "gosdk:")
			official, isOfficial := strings.CutPrefix(name, "official:")
			events, isEvents := strings.CutPrefix(name, "events:")
			switch {
			case name == "notelf":
				a = "<testdata>/not-a-plugin.txt"
			case isGoSDK:
				a = "<gosdk>/" + gosdk + ".so"
			case isOfficial:
				plugin, _, _ := strings.Cut(official, "@")
				a = "<official>/" + plugin + ".so"
			case isEvents:
				a = "<events>/" + events
			default:
				a = "<fixtures>/" + name + ".so"
			}
			parts = append(parts, a)
			continue
		}
		if a == "" || strings.ContainsAny(a, " \"'{}$\\()*%<>!\n\t") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// TestExitCodes pins the exit status design.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"@full"}, exitOK},
		{[]string{"@fields_bad_name"}, exitOK}, // warnings only
		{[]string{"@full", "@fields_bad_name", "@source_only"}, exitOK},
		{[]string{"@full", "@init_fail"}, exitFailed},
		{[]string{"does-not-exist.so"}, exitFailed},
		{[]string{"--isolate=false", "@init_fail"}, exitFailed},
		{[]string{"--isolate=false", "@full"}, exitOK},
		{nil, exitUsage},
		{[]string{"--format", "xml", "@full"}, exitUsage},
		{[]string{"--api-version", "v3", "@full"}, exitUsage},
		{[]string{"--events", "x", "@full"}, exitUsage},
		{[]string{"--events", "-5", "@full"}, exitUsage},
		{[]string{"--events", "3", "@full", "@source_only"}, exitOK},
		{[]string{"--events", "3", "--open-params", "refuse", "@source_faults"}, exitFailed},
		{[]string{"--isolate=false", "--events", "3", "--open-params", "null_event", "@source_faults"}, exitFailed},
		{[]string{"--events", "3", "--filter", "evt.num > 1", "@source_only"}, exitOK},
		{[]string{"--events", "3", "--filter", "evt.num >", "@source_only"}, exitFailed},
		{[]string{"--isolate=false", "--events", "3", "--filter", "nope.x = 1", "@source_only"}, exitFailed},
		{[]string{"--events", "3", "--output", "%nope.x", "@source_only"}, exitFailed},
		{[]string{"--filter", "evt.num > 1", "@source_only"}, exitUsage},
		{[]string{"--events", "0", "--output", "%evt.num", "@source_only"}, exitUsage},
		{[]string{"--events", "1", "--max-outputs", "x", "@source_only"}, exitUsage},
		{[]string{"--nope"}, exitUsage},
		{[]string{"--help"}, exitOK},
	} {
		args, _ := resolveArgs(t, tc.args)
		if res := runCmd(t, args...); res.code != tc.want {
			t.Errorf("plugincheck %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.args, res.code, tc.want, res.stdout, res.stderr)
		}
	}
}

// TestInProcessMatchesIsolated checks that --isolate=false reports exactly
// what the child processes report.
func TestInProcessMatchesIsolated(t *testing.T) {
	t.Parallel()
	args, _ := resolveArgs(t, []string{"@full", "@init_echo", "@fields_bad_name", "@init_fail",
		"@caps_two_broken", "@not_a_plugin", "@notelf", "does-not-exist.so", "@api_null"})
	streamArgs, _ := resolveArgs(t, []string{"--events", "4", "@full", "@source_only", "@source_faults",
		"@extract_only", "@init_fail", "@notelf"})
	streamFaults, _ := resolveArgs(t, []string{"--events", "4", "--open-params", "wrong_type", "@source_faults", "@source_only"})
	// Formatted outputs travel from the child as raw JSON or text lines:
	// "<NA>", '&' and '\t' must arrive unescaped.
	filterArgs, _ := resolveArgs(t, []string{"--events", "9", "--open-params", "20", "--filter", "lazy.num > 2 and lazy.even = true",
		"--output", "%lazy.str <&>\t%lazy.calls[nope]", "--max-outputs", "2", "@filter_lazy", "@source_only", "@full"})
	for _, args := range [][]string{args, streamArgs, streamFaults, filterArgs} {
		for _, format := range []string{"text", "json"} {
			isolated := runCmd(t, append([]string{"--format", format}, args...)...)
			inProcess := runCmd(t, append([]string{"--format", format, "--isolate=false"}, args...)...)
			if isolated != inProcess {
				t.Errorf("--format %s: isolated and in-process runs differ:\n--- isolated ---\n%+v\n--- in process ---\n%+v", format, isolated, inProcess)
			}
		}
	}
}

// TestPluginLogs checks that log_fn messages reach stderr, isolated or not.
func TestPluginLogs(t *testing.T) {
	t.Parallel()
	args, _ := resolveArgs(t, []string{"@host_callbacks"})
	for _, isolate := range []string{"--isolate=true", "--isolate=false"} {
		res := runCmd(t, isolate, args[0])
		if res.code != exitOK {
			t.Fatalf("%s: exit %d\n%s%s", isolate, res.code, res.stdout, res.stderr)
		}
		for _, want := range []string{
			`level=INFO msg="hello from init" plugin=host_callbacks component=host_callbacks severity=info`,
			`level=WARN msg="warning from init" plugin=host_callbacks component=comp severity=warning`,
		} {
			if !strings.Contains(res.stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", isolate, want, res.stderr)
			}
		}
	}
}

func decodeReport(t *testing.T, stdout string) checkreport.Report {
	t.Helper()
	var r checkreport.Report
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decoding the JSON report: %v\n%s", err, stdout)
	}
	return r
}

func checkByName(t *testing.T, r checkreport.PluginReport, name string) checkreport.CheckResult {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", name, r.Checks)
	return checkreport.CheckResult{}
}

// TestChildDies makes the child process die at each step and checks what
// the parent reports. It changes the environment, so it is not parallel.
func TestChildDies(t *testing.T) {
	full := fixtures.C(t, "full")
	for _, tc := range []struct {
		die       string
		args      []string
		failed    string // the check reported as failed
		message   string // its message starts with this
		contains  string // and contains this
		loadPass  bool   // the load checks passed
		metadata  bool   // name etc. are known
		stderrHas string
		stream    string // "status message" of the stream check, when not the failed one
		events    uint64 // events in the stream report, if any
	}{
		{die: "load:panic", failed: "library",
			message:  "the process died while loading the library or calling its plugin_get_* functions: exit status 2; stderr:\npanic: simulated plugin crash\n",
			contains: "goroutine ", stderrHas: "about to die\npanic: simulated plugin crash"},
		{die: "init:kill", failed: "init", loadPass: true, metadata: true,
			message: "the process died in plugin_init: signal: killed; stderr:\nabout to die"},
		{die: "destroy:panic", failed: "init", loadPass: true, metadata: true,
			message: "plugin_init succeeded, then the process died in plugin_destroy: exit status 2; stderr:\npanic: simulated plugin crash"},
		{die: "init:exit0", failed: "init", loadPass: true, metadata: true,
			message: "the process died in plugin_init: exit status 0 without a report; stderr:\nabout to die"},
		{die: "init:hang", args: []string{"--timeout", "1s"}, failed: "init", loadPass: true, metadata: true,
			message: "the process died in plugin_init: killed after the 1s time limit (--timeout); stderr:\nabout to die"},
		{die: "start:exit3", failed: "library",
			message: "the checking process died before it could report: exit status 3"},
		{die: "stream:panic", args: []string{"--events", "2"}, failed: "stream", loadPass: true, metadata: true,
			message: "the process died while streaming (plugin_open, plugin_next_batch, plugin_extract_fields or plugin_close): exit status 2; stderr:\npanic: simulated plugin crash"},
		{die: "destroy:kill", args: []string{"--events", "2"}, failed: "init", loadPass: true, metadata: true,
			message: "plugin_init succeeded, then the process died in plugin_destroy: signal: killed; stderr:\nabout to die",
			stream:  "pass read 2 events (limit reached), extracted 20 values", events: 2},
	} {
		t.Run(tc.die, func(t *testing.T) {
			t.Setenv(testDieEnv, tc.die)
			res := runCmd(t, append(append([]string{"--format", "json"}, tc.args...), full)...)
			if res.code != exitFailed {
				t.Errorf("exit %d, want %d", res.code, exitFailed)
			}
			report := decodeReport(t, res.stdout)
			if report.OK || len(report.Plugins) != 1 {
				t.Fatalf("report: %+v", report)
			}
			p := report.Plugins[0]
			if p.Path != full || p.OK {
				t.Errorf("path %q ok %v", p.Path, p.OK)
			}
			c := checkByName(t, p, tc.failed)
			if c.Status != checkreport.Fail || !strings.HasPrefix(c.Message, tc.message) || !strings.Contains(c.Message, tc.contains) {
				t.Errorf("check %s: %s %q, want fail starting with %q containing %q", tc.failed, c.Status, c.Message, tc.message, tc.contains)
			}
			if got := strings.Count(c.Message, "\n"); got > excerptLines {
				t.Errorf("message has %d lines, want at most %d of stderr", got, excerptLines)
			}
			for _, c := range p.Checks {
				switch {
				case c.Name == tc.failed:
				case c.Name == "stream" && tc.stream != "":
					if got := string(c.Status) + " " + c.Message; got != tc.stream {
						t.Errorf("check stream: %s, want %s", got, tc.stream)
					}
				case c.Name == "stream" && tc.loadPass:
					// "not requested" when the state was destroyed,
					// no message when plugin_init did not return.
					if c.Status != checkreport.Skip {
						t.Errorf("check stream: %s %q, want skip", c.Status, c.Message)
					}
				case tc.loadPass && c.Name == "init" && tc.failed == "stream":
					if c.Status != checkreport.Pass || c.Message != "plugin_init succeeded" {
						t.Errorf("check init: %s %q, want pass", c.Status, c.Message)
					}
				case tc.loadPass && c.Name != "init":
					if c.Status != checkreport.Pass {
						t.Errorf("check %s: %s %q, want pass", c.Name, c.Status, c.Message)
					}
				case !tc.loadPass && c.Status != checkreport.Skip:
					t.Errorf("check %s: %s, want skip", c.Name, c.Status)
				}
			}
			switch {
			case tc.failed == "stream":
				if p.Stream == nil || !slices.Equal(p.Stream.Errors, []string{c.Message}) || p.Stream.Events != 0 {
					t.Errorf("stream report %+v, want the error %q", p.Stream, c.Message)
				}
			case tc.stream != "":
				if p.Stream == nil || len(p.Stream.Errors) != 0 || p.Stream.Events != tc.events {
					t.Errorf("stream report %+v, want %d events", p.Stream, tc.events)
				}
			case p.Stream != nil:
				t.Errorf("stream report %+v, want none", p.Stream)
			}
			if tc.metadata != (p.Name == "full" && p.ID == 993 && len(p.Fields) == 11) {
				t.Errorf("metadata known = %v, want %v: %+v", !tc.metadata, tc.metadata, p)
			}
			if !strings.Contains(res.stderr, tc.stderrHas) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderrHas, res.stderr)
			}
		})
	}

	// In text, a multi-line message continues under the message column.
	t.Setenv(testDieEnv, "init:kill")
	res := runCmd(t, full)
	want := "  FAIL  init              the process died in plugin_init: signal: killed; stderr:\n" +
		"                          about to die\n"
	if !strings.Contains(res.stdout, want) {
		t.Errorf("text output lacks\n%s\ngot:\n%s", want, res.stdout)
	}
}

// TestOfficialPlugins checks released plugins built with the Go SDK: they
// pass, and the metadata is what their sources declare.
func TestOfficialPlugins(t *testing.T) {
	if testing.Short() {
		t.Skip("builds official plugins")
	}
	t.Parallel()
	// Values from github.com/falcosecurity/plugins/plugins/<name>/pkg/<name>;
	// all three use plugin-sdk-go v0.8.3, whose plugin_api.h is 3.11.0.
	for _, tc := range []struct {
		name, version  string
		id             uint32
		source         string
		caps           []string
		extractSources []string
		fields         int
		someField      checkreport.Field
	}{
		{"dummy", "0.11.5", 3, "dummy", []string{"sourcing", "extraction"}, []string{"dummy"}, 3,
			checkreport.Field{Name: "dummy.divisible", Type: "uint64",
				Desc: "Return 1 if the value is divisible by the provided divisor, 0 otherwise",
				Arg:  checkreport.FieldArg{IsRequired: true, IsIndex: true}, Properties: []string{}}},
		{"json", "0.7.4", 0, "", []string{"extraction"}, []string{}, 6,
			checkreport.Field{Name: "json.obj", Type: "string", Desc: "The full json message as a text string.", Properties: []string{}}},
		// k8saudit: 71 fields listed in Fields(), plus the per-container
		// fields for initContainers (15, with host_port) and
		// ephemeralContainers (14).
		{"k8saudit", "0.18.0", 1, "k8s_audit", []string{"sourcing", "extraction"}, []string{"k8s_audit"}, 100,
			checkreport.Field{Name: "ka.req.pod.ephemeralContainers.image", Type: "string", IsList: true,
				Desc: "When the request object refers to a pod, the ephemeral containers images.",
				Arg:  checkreport.FieldArg{IsIndex: true}, Properties: []string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := fixtures.Official(t, tc.name, tc.version)
			res := runCmd(t, "--format", "json", path)
			if res.code != exitOK {
				t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
			}
			report := decodeReport(t, res.stdout)
			if !report.OK || len(report.Plugins) != 1 {
				t.Fatalf("report: %+v", report)
			}
			p := report.Plugins[0]
			if p.Name != tc.name || p.Version != tc.version || p.RequiredAPIVersion != "3.11.0" ||
				p.ID != tc.id || p.EventSource != tc.source || len(p.Fields) != tc.fields ||
				fmt.Sprint(p.Capabilities) != fmt.Sprint(tc.caps) ||
				fmt.Sprint(p.ExtractEventSources) != fmt.Sprint(tc.extractSources) {
				t.Errorf("got %s %s api %s id %d source %q caps %v extract %v, %d fields",
					p.Name, p.Version, p.RequiredAPIVersion, p.ID, p.EventSource, p.Capabilities, p.ExtractEventSources, len(p.Fields))
			}
			found := false
			for _, f := range p.Fields {
				if f.Name == tc.someField.Name {
					found = true
					if fmt.Sprintf("%+v", f) != fmt.Sprintf("%+v", tc.someField) {
						t.Errorf("field %s:\n got %+v\nwant %+v", f.Name, f, tc.someField)
					}
				}
			}
			if !found {
				t.Errorf("no field %s", tc.someField.Name)
			}
			for _, c := range p.Checks {
				if c.Status != checkreport.Pass && c != (checkreport.CheckResult{Name: "stream", Status: checkreport.Skip, Message: "not requested"}) {
					t.Errorf("check %s: %s %q", c.Name, c.Status, c.Message)
				}
			}
			if got := checkByName(t, p, "library").Message; got != "loaded (embeds a Go runtime)" {
				t.Errorf("library: %q", got)
			}
		})
	}
}

// TestInterrupted checks that a cancelled run stops with exit status 1
// and says so, without a report.
func TestInterrupted(t *testing.T) {
	t.Parallel()
	args, _ := resolveArgs(t, []string{"@full", "@init_fail"})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	if code != exitInterrupted || stdout.Len() != 0 || stderr.String() != "plugincheck: interrupted: context canceled\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestGoSDKPlugins checks plugins that embed a Go runtime, isolated and in
// process, with a config their schema accepts and one it rejects.
func TestGoSDKPlugins(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go SDK plugins")
	}
	t.Parallel()
	counter, extract := fixtures.GoSDK(t, "gocounter"), fixtures.GoSDK(t, "goextract")
	for _, isolate := range []string{"--isolate=true", "--isolate=false"} {
		res := runCmd(t, isolate, "--format=json", "--init-config", `{"start":5}`, counter, extract)
		if res.code != exitOK {
			t.Fatalf("%s: exit %d\n%s\n%s", isolate, res.code, res.stdout, res.stderr)
		}
		r := decodeReport(t, res.stdout)
		if len(r.Plugins) != 2 || r.Plugins[0].Name != "gocounter" || r.Plugins[0].ID != 998 ||
			r.Plugins[1].Name != "goextract" || checkByName(t, r.Plugins[0], "library").Message != "loaded (embeds a Go runtime)" {
			t.Errorf("%s: %+v", isolate, r)
		}

		res = runCmd(t, isolate, "--format=json", "--init-config", `{"start":"x"}`, counter)
		r = decodeReport(t, res.stdout)
		c := checkByName(t, r.Plugins[0], "init_config")
		if res.code != exitFailed || c.Status != checkreport.Fail ||
			c.Message != counter+": plugin 'gocounter': init config at '/start': got string, want integer" {
			t.Errorf("%s: exit %d, init_config %+v", isolate, res.code, c)
		}
	}
}

// TestStreamMillion streams a million events from the Go SDK counter in
// process and extracts its fields from each: the library path, one
// extractor and one extraction per batch.
func TestStreamMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go SDK plugin; streams a million events")
	}
	t.Parallel()
	counter := fixtures.GoSDK(t, "gocounter")
	start := time.Now()
	res := runCmd(t, "--isolate=false", "--format=json", "--events", "1000000", "--open-params", "1000000", counter)
	elapsed := time.Since(start)
	if res.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	p := decodeReport(t, res.stdout).Plugins[0]
	noArg := 0
	for _, f := range p.Fields {
		if !f.Arg.IsRequired {
			noArg++
		}
	}
	want := checkreport.Stream{Events: 1000000, FieldsExtracted: uint64(1000000 * noArg), Errors: []string{}}
	if p.Stream == nil || fmt.Sprintf("%+v", *p.Stream) != fmt.Sprintf("%+v", want) || noArg < 4 {
		t.Errorf("stream %+v, want %+v", p.Stream, want)
	}
	wantMsg := fmt.Sprintf("read 1000000 events (limit reached), extracted %d values", 1000000*noArg)
	if c := checkByName(t, p, "stream"); c.Status != checkreport.Pass || c.Message != wantMsg {
		t.Errorf("stream check %+v, want pass %q", c, wantMsg)
	}
	t.Logf("1000000 events, %d fields each: %v", noArg, elapsed)
}

// TestStreamOfficialDummy streams from the official dummy plugin, whose
// open params {"start":N,"maxEvents":M} bound the events to M; it extracts
// dummy.value and dummy.strvalue (dummy.divisible needs an argument).
func TestStreamOfficialDummy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an official plugin")
	}
	t.Parallel()
	dummy := fixtures.Official(t, "dummy", "v0.11.5")
	for _, tc := range []struct {
		events int
		want   checkreport.Stream
		msg    string
	}{
		{100, checkreport.Stream{Events: 7, FieldsExtracted: 14, EOF: true, Errors: []string{}}, "read 7 events (eof), extracted 14 values"},
		{5, checkreport.Stream{Events: 5, FieldsExtracted: 10, Errors: []string{}}, "read 5 events (limit reached), extracted 10 values"},
	} {
		for _, isolate := range []string{"--isolate=true", "--isolate=false"} {
			res := runCmd(t, isolate, "--format=json", "--events", fmt.Sprint(tc.events), "--open-params", `{"start":1,"maxEvents":7}`, dummy)
			if res.code != exitOK {
				t.Fatalf("%s --events %d: exit %d\n%s\n%s", isolate, tc.events, res.code, res.stdout, res.stderr)
			}
			p := decodeReport(t, res.stdout).Plugins[0]
			if p.Stream == nil || fmt.Sprintf("%+v", *p.Stream) != fmt.Sprintf("%+v", tc.want) {
				t.Errorf("%s --events %d: stream %+v, want %+v", isolate, tc.events, p.Stream, tc.want)
			}
			if c := checkByName(t, p, "stream"); c.Status != checkreport.Pass || c.Message != tc.msg {
				t.Errorf("%s --events %d: stream check %+v, want pass %q", isolate, tc.events, c, tc.msg)
			}
		}
	}
}

// TestPluginInWorkingDirectory runs `plugincheck libfull.so` in the
// plugin's folder: the argument is a file path, found in the working
// directory, not a library name dlopen looks up on the search path.
// Not parallel: it changes the working directory (children inherit it).
func TestPluginInWorkingDirectory(t *testing.T) {
	src, err := os.ReadFile(fixtures.C(t, "full"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "libfull.so"), src, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, isolate := range []string{"--isolate=true", "--isolate=false"} {
		res := runCmd(t, isolate, "--format", "json", "--events", "2", "libfull.so")
		if res.code != exitOK {
			t.Fatalf("plugincheck %s libfull.so: exit %d\nstdout:\n%s\nstderr:\n%s", isolate, res.code, res.stdout, res.stderr)
		}
		r := decodeReport(t, res.stdout)
		if len(r.Plugins) != 1 || r.Plugins[0].Path != "libfull.so" || r.Plugins[0].Name != "full" || !r.Plugins[0].OK {
			t.Errorf("plugincheck %s libfull.so: %+v", isolate, r.Plugins)
		}
		if c := checkByName(t, r.Plugins[0], "library"); c.Status != checkreport.Pass {
			t.Errorf("plugincheck %s libfull.so: library check %+v", isolate, c)
		}
	}
}
