package main

import (
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
