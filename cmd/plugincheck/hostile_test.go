package main

import (
	"fmt"
	"strings"
	"testing"

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
