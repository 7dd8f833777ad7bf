package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/plughost/plughost/internal/checkreport"
)

// TestForgedVerdict checks that a plugin printing well-formed report lines
// of the child protocol and then dying is reported as having died.
func TestForgedVerdict(t *testing.T) {
	t.Parallel()
	args, _ := resolveArgs(t, []string{"@forge_verdict"})
	for _, mode := range []string{"report", "if-dies", "both"} {
		res := runCmd(t, "--format=json", "--init-config="+mode, args[0])
		if res.code != exitFailed {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, res.code, exitFailed, res.stdout, res.stderr)
			continue
		}
		report := decodeReport(t, res.stdout)
		p := report.Plugins[0]
		if p.OK || report.OK {
			t.Errorf("%s: reported as OK: %+v", mode, p)
		}
		c := checkByName(t, p, "init")
		if c.Status != checkreport.Fail {
			t.Errorf("%s: init check %s %q, want fail", mode, c.Status, c.Message)
		}
		// In process, the forged lines go to stderr and the abort ends
		// the checks.
		res = runCmd(t, "--isolate=false", "--init-config="+mode, args[0])
		if res.code != exitCrashed || strings.Contains(res.stdout, "passed") {
			t.Errorf("%s, in process: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, res.code, exitCrashed, res.stdout, res.stderr)
		}
	}
}

// TestHugePlugins checks plugins whose declarations or output are huge:
// isolated, they get the report they get in process (not "the process
// died"), with every plugin string cut to maxReportString and marked.
func TestHugePlugins(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fixture string
		code    int
		marked  string // a string of the report cut from this many bytes
	}{
		{"huge_fields_many", exitOK, ""},
		{"huge_field_name", exitOK, "1000005"},
		{"huge_field_desc", exitOK, "50000000"},
		{"huge_last_error", exitFailed, ""}, // the init message quotes the error
		{"huge_init_printf", exitOK, ""},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			args, _ := resolveArgs(t, []string{"@" + tc.fixture})
			var reports []checkreport.Report
			for _, isolate := range []string{"--isolate=true", "--isolate=false"} {
				res := runCmd(t, "--format=json", isolate, args[0])
				if res.code != tc.code {
					t.Fatalf("%s: exit %d, want %d\nstdout:\n%.2000s\nstderr:\n%.2000s", isolate, res.code, tc.code, res.stdout, res.stderr)
				}
				if len(res.stdout) > 3<<20 {
					t.Errorf("%s: report of %d bytes", isolate, len(res.stdout))
				}
				reports = append(reports, decodeReport(t, res.stdout))
			}
			if a, b := fmt.Sprintf("%+v", reports[0]), fmt.Sprintf("%+v", reports[1]); a != b {
				n := 0
				for n < min(len(a), len(b)) && a[n] == b[n] {
					n++
				}
				t.Errorf("isolated and in-process reports differ at byte %d:\n%.300s\n%.300s", n, a[n:], b[n:])
			}
			p := reports[0].Plugins[0]
			if tc.marked != "" {
				marker := "... [truncated by plugincheck: " + tc.marked + " bytes]"
				if len(p.Fields) != 1 || !strings.HasSuffix(p.Fields[0].Name, marker) && !strings.HasSuffix(p.Fields[0].Desc, marker) {
					t.Errorf("fields %.300v: want one cut with %q", p.Fields, marker)
				}
			}
			switch tc.fixture {
			case "huge_fields_many":
				if len(p.Fields) != 7000 {
					t.Errorf("%d fields, want 7000", len(p.Fields))
				}
			case "huge_last_error":
				c := checkByName(t, p, "init")
				if c.Status != checkreport.Fail || !strings.HasSuffix(c.Message, " bytes]") || strings.Contains(c.Message, "died") {
					t.Errorf("init: %s %.300q..., want a failure with the error cut", c.Status, c.Message)
				}
			}
		})
	}
}

// TestInProcessTimeout checks that --timeout holds in process too: the
// plugin call never returns, and plugincheck reports the timeout.
func TestInProcessTimeout(t *testing.T) {
	t.Parallel()
	args, _ := resolveArgs(t, []string{"@hang_init", "@full"})
	done := make(chan runResult, 1)
	go func() {
		done <- runCmd(t, "--isolate=false", "--format=json", "--timeout=1s", "--init-config=hang", args[0], args[1])
	}()
	var res runResult
	select {
	case res = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("plugincheck --isolate=false --timeout=1s still running after 30s")
	}
	if res.code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", res.code, exitFailed, res.stdout, res.stderr)
	}
	report := decodeReport(t, res.stdout)
	if len(report.Plugins) != 2 {
		t.Fatalf("%d plugins reported, want 2", len(report.Plugins))
	}
	c := checkByName(t, report.Plugins[0], "init")
	want := "timed out in plugin_init: the 1s time limit (--timeout) passed"
	if c.Status != checkreport.Fail || !strings.HasPrefix(c.Message, want) {
		t.Errorf("init: %s %q, want fail starting with %q", c.Status, c.Message, want)
	}
	if p := report.Plugins[1]; p.OK {
		t.Errorf("full with config hang passed: %+v", p) // it rejects the config
	}
}

// testMainEnv makes the test binary run main() itself.
const testMainEnv = "PLUGHOST_PLUGINCHECK_TEST_MAIN"

// TestInProcessSignal checks that SIGINT and SIGTERM stop plugincheck
// --isolate=false while a plugin call blocks.
func TestInProcessSignal(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args, _ := resolveArgs(t, []string{"@hang_init"})
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(exe, "--isolate=false", "--timeout=0", "--init-config=hang", args[0])
		cmd.Env = append(os.Environ(), testMainEnv+"=1")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second) // into plugin_init
		cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Fatalf("%v: plugincheck still running 20s later", sig)
		}
		if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
			t.Errorf("%v: exit %d (%v), want %d; stderr:\n%s", sig, code, cmd.ProcessState, exitInterrupted, stderr.String())
		}
		if !strings.Contains(stderr.String(), "plugincheck: interrupted") {
			t.Errorf("%v: stderr %q", sig, stderr.String())
		}
	}
}

// TestInProcessCrash checks the exit status of plugincheck --isolate=false
// when a plugin ends the process: exitCrashed, not the usage code and never
// a pass.
func TestInProcessCrash(t *testing.T) {
	t.Parallel()
	args, placeholders := resolveArgs(t, []string{"@crash_init", "@full"})
	for _, how := range []string{"segv", "abort", "exit0"} {
		res := runCmd(t, "--isolate=false", "--init-config="+how, args[0], args[1])
		if res.code != exitCrashed {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", how, res.code, exitCrashed, res.stdout, res.stderr)
		}
		want := "plugincheck: the process checking plugins in process ended while checking <fixtures>/crash_init.so: "
		if !strings.Contains(placeholders.Replace(res.stderr), want) {
			t.Errorf("%s: stderr lacks %q:\n%s", how, want, res.stderr)
		}
	}
	// Isolated, the same plugin fails its init check.
	res := runCmd(t, "--init-config=segv", args[0])
	if res.code != exitFailed {
		t.Errorf("isolated: exit %d, want %d", res.code, exitFailed)
	}
}

// TestParseChildReports checks the reading of the report pipe: a report
// after an unfinished line still counts, a report cut short does not.
func TestParseChildReports(t *testing.T) {
	t.Parallel()
	var checks []string
	for _, c := range checkreport.Checks() {
		checks = append(checks, `{"name":"`+string(c)+`","status":"pass","message":""}`)
	}
	report := `{"path":"p","ok":true,"checks":[` + strings.Join(checks, ",") + `]}`
	final, ifDies := parseChildReports([]byte("stray bytes\n" + reportPrefix + report + "\n"))
	if final == nil || ifDies != nil {
		t.Errorf("after stray bytes: final %v, if-dies %v", final, ifDies)
	}
	final, _ = parseChildReports([]byte(reportPrefix + report))
	if final != nil {
		t.Errorf("report without its newline: %v, want none", final)
	}
}

// TestPluginOutputEscaped checks that what a plugin prints reaches
// plugincheck's stderr with its terminal escapes, carriage returns and
// invalid UTF-8 escaped, isolated and in process.
func TestPluginOutputEscaped(t *testing.T) {
	t.Parallel()
	args, _ := resolveArgs(t, []string{"@text_forge"})
	for _, isolate := range []string{"--isolate=true", "--isolate=false"} {
		res := runCmd(t, isolate, "--init-config=print", args[0])
		if res.code != exitOK {
			t.Fatalf("%s: exit %d\nstdout:\n%s\nstderr:\n%q", isolate, res.code, res.stdout, res.stderr)
		}
		for _, want := range []string{
			`\x1b[1A\x1b[2K\rout.so: passed` + "\tok\\xff\n",
			`\x1b[1A\x1b[2K\rerr.so: passed` + "\tok\\xff\n",
		} {
			if !strings.Contains(res.stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%q", isolate, want, res.stderr)
			}
		}
		if strings.ContainsAny(res.stderr, "\x1b\r") || !utf8.ValidString(res.stderr) {
			t.Errorf("%s: stderr holds raw control bytes:\n%q", isolate, res.stderr)
		}
	}
}

// TestEscapeWriter checks that a UTF-8 sequence split across writes is
// kept whole and that an unfinished one is escaped at Flush.
func TestEscapeWriter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		writes []string
		want   string
	}{
		{[]string{"caf\xc3", "\xa9\n"}, "caf\u00e9\n"},
		{[]string{"\xe2\x82", "\xac \x1b[2K\r\n"}, "\u20ac \\x1b[2K\\r\n"},
		{[]string{"a\tb\n", "\xf0\x9f"}, "a\tb\n\\xf0\\x9f"},
		{[]string{"\xff\xc2\x9b", "x"}, "\\xff\\x9bx"},
		{[]string{"\u2028"}, "\\u2028"},
	} {
		var b strings.Builder
		w := &escapeWriter{w: &b}
		for _, s := range tc.writes {
			if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
				t.Errorf("Write(%q) = %d, %v", s, n, err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%q: got %q, want %q", tc.writes, b.String(), tc.want)
		}
	}
}
