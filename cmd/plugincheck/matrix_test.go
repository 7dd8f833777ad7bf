package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// hostileCase is one adversarial fixture run through plugincheck: the
// exit status and a piece of plugincheck's output (stdout then stderr,
// paths as placeholders) expected isolated and in process.
type hostileCase struct {
	name string
	args []string // resolveArgs references
	// ulimit -v in KiB and -t in seconds for the whole plugincheck run,
	// children included.
	vmemKiB, cpuSeconds int
	isolated, inProcess hostileWant
}

type hostileWant struct {
	code int
	want string
}

// same is the want of a fixture that reports the same in both modes.
func same(code int, want string) (hostileWant, hostileWant) {
	return hostileWant{code, want}, hostileWant{code, want}
}

const (
	gib = 1 << 20 // in KiB, for ulimit -v
	// The host's own address space needs: a Go binary reserves little.
	vmemSmall = 4 * gib
)

// hostileCases has one case or more for each defect of the hardening
// issue, in its order.
var hostileCases = func() []hostileCase {
	c := func(name string, args []string, vmem, cpu int, isolated, inProcess hostileWant) hostileCase {
		return hostileCase{name, args, vmem, cpu, isolated, inProcess}
	}
	diedInInit := hostileWant{exitFailed, "FAIL  init              the process died in plugin_init: exit status 2"}
	crashed := func(fixture string) hostileWant {
		return hostileWant{exitCrashed, "plugincheck: the process checking plugins in process ended while checking <fixtures>/" + fixture + ".so: exit status 2"}
	}
	i, p := same(exitOK, "1 plugin checked: 1 passed, 0 failed")
	passes := func(name string, args []string, vmem, cpu int) hostileCase { return c(name, args, vmem, cpu, i, p) }
	passesWith := func(name string, args []string, vmem, cpu int, want string) hostileCase {
		i, p := same(exitOK, want)
		return c(name, args, vmem, cpu, i, p)
	}
	fails := func(name string, args []string, vmem, cpu int, want string) hostileCase {
		i, p := same(exitFailed, want)
		return c(name, args, vmem, cpu, i, p)
	}
	return []hostileCase{
		// 1. Forged verdicts.
		c("forged_report", []string{"--init-config=report", "@forge_verdict"}, vmemSmall, 30, diedInInit, crashed("forge_verdict")),
		c("forged_if_dies", []string{"--init-config=if-dies", "@forge_verdict"}, vmemSmall, 30, diedInInit, crashed("forge_verdict")),
		// 2. Valid plugins with huge declarations or output.
		passes("huge_fields_many", []string{"@huge_fields_many"}, vmemSmall, 60),
		passesWith("huge_field_name", []string{"@huge_field_name"}, vmemSmall, 60, "[truncated by plugincheck: 1000005 bytes]"),
		passesWith("huge_field_desc", []string{"@huge_field_desc"}, 8*gib, 60, "[truncated by plugincheck: 50000000 bytes]"),
		fails("huge_last_error", []string{"@huge_last_error"}, 8*gib, 60, "[truncated by plugincheck: 100000136 bytes]"),
		passes("huge_init_printf", []string{"@huge_init_printf"}, vmemSmall, 60),
		// 3. Memory bounded by the work asked. The plugin maps 32 GiB
		// of pointers for its 2^32-1 events, hence the larger limit.
		passesWith("batch_max_pointers", []string{"--events=10", "--open-params=4294967295", "@batch_huge"}, 40*gib, 120,
			"PASS  stream            read 10 events (limit reached), extracted 100 values"),
		passesWith("batch_1e8_events_1", []string{"--events=1", "--open-params=100000000", "@batch_huge"}, vmemSmall, 60,
			"PASS  stream            read 1 event (limit reached), extracted 10 values"),
		// 5. Events validation lets through.
		fails("event_len_4gib", []string{"--events=5", "@event_len_4gib"}, vmemSmall, 30,
			"plugin 'event_len_4gib': plugin_next_batch: event 1 of the batch: length 4294967295 exceeds the host's 67108864-byte limit on large-payload events"),
		fails("source_id0_short_plugin_event", []string{"--events=5", "@source_id0_short_plugin_event"}, vmemSmall, 30,
			"plugin_next_batch: event 1 of the batch: type 322 has 0 params, want 2"),
		// 6. Cost linear in what the plugin declares.
		passes("fields_many", []string{"@fields_many"}, vmemSmall, 20),
		fails("schema_deep", []string{"@schema_deep"}, vmemSmall, 20, "init schema is nested 9801 levels deep, above the limit of 128"),
		fails("schema_patterns", []string{"@schema_patterns"}, 2*gib, 20, "init schema is 1488922 bytes, above the limit of 1048576"),
		fails("schema_wide", []string{"@schema_wide"}, vmemSmall, 20, "init schema has 20001 subschemas, above the limit of 4096"),
		// 7. Init schemas read nothing from the host.
		fails("schema_ref_file", []string{"@schema_ref_file"}, vmemSmall, 20,
			"$ref 'file:///proc/self/fd/0' at '/properties/a/$ref' points outside the init schema; only refs into the schema itself ('#...') are resolved"),
		fails("schema_ref_http", []string{"@schema_ref_http"}, vmemSmall, 20,
			"$ref 'http://127.0.0.1:9/s.json' at '/items/0/$ref' points outside the init schema"),
		// 8. In process as isolated, wherever it can be.
		c("hang_init_timeout", []string{"--timeout=1s", "--init-config=hang", "@hang_init"}, vmemSmall, 30,
			hostileWant{exitFailed, "FAIL  init              the process died in plugin_init: killed after the 1s time limit (--timeout)"},
			hostileWant{exitFailed, "FAIL  init              timed out in plugin_init: the 1s time limit (--timeout) passed"}),
		c("crash_init_segv", []string{"--init-config=segv", "@crash_init"}, vmemSmall, 30, diedInInit, crashed("crash_init")),
		c("crash_init_exit0", []string{"--init-config=exit0", "@crash_init"}, vmemSmall, 30,
			hostileWant{exitFailed, "FAIL  init              the process died in plugin_init: exit status 0 without a report"},
			hostileWant{exitCrashed, "ended while checking <fixtures>/crash_init.so: exit status 0"}),
		// 9. Messages a plugin author can act on.
		fails("init_fail_null_error", []string{"@init_fail_null_error"}, vmemSmall, 20,
			"could not initialize plugin: the plugin gave no error message (plugin_get_last_error returned NULL)"),
		fails("version_long", []string{"@version_long"}, vmemSmall, 20,
			"is 306 bytes long; plughost reads semantic versions of at most 256 bytes"),
		passes("name_changes", []string{"@name_changes"}, vmemSmall, 20),
		passes("source_id_changes", []string{"@source_id_changes"}, vmemSmall, 20),
		fails("name_bad_utf8", []string{"@name_bad_utf8"}, vmemSmall, 20, "plugin_get_name: returned invalid UTF-8 at byte 3"),
		fails("fields_bad_utf8", []string{"@fields_bad_utf8"}, vmemSmall, 20, "plugin_get_fields: returned invalid UTF-8 at byte 48 of its JSON"),
		fails("schema_cyclic", []string{"@schema_cyclic"}, vmemSmall, 20,
			"init schema has a $ref cycle that never descends into the config: #/$defs/a -> #/$defs/b -> #/$defs/b/allOf/0 -> #/$defs/a"),
		fails("text_forge_init", []string{"--init-config=fail", "@text_forge"}, vmemSmall, 20,
			`could not initialize plugin: bad config`+"\n"+strings.Repeat(" ", 26)+`/some/plugin.so: passed`),
		passes("text_forge_print", []string{"--init-config=print", "@text_forge"}, vmemSmall, 20),
	}
}()

// plugincheckBuilds are plugincheck binaries built as users build them:
// with cgo and with CGO_ENABLED=0.
var plugincheckBuilds = sync.OnceValues(func() (map[string]string, error) {
	dir, err := os.MkdirTemp("", "plugincheck-builds-")
	if err != nil {
		return nil, err
	}
	builds := map[string]string{}
	for _, cgo := range []string{"1", "0"} {
		bin := filepath.Join(dir, "cgo"+cgo, "plugincheck")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("CGO_ENABLED=%s go build: %v\n%s", cgo, err, out)
		}
		builds["CGO_ENABLED="+cgo] = bin
	}
	return builds, nil
})

// TestHostileMatrix runs plugincheck, built with cgo and with
// CGO_ENABLED=0, on every adversarial fixture, isolated and in process,
// under ulimit -v and -t: each run must exit as expected and say what is
// expected, so that no build or mode crashes, hangs, runs out of memory or
// passes what it should not.
func TestHostileMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds plugincheck twice")
	}
	t.Parallel()
	builds, err := plugincheckBuilds()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(filepath.Dir(builds["CGO_ENABLED=0"]))) })
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args, placeholders := resolveArgs(t, tc.args)
			for _, build := range []string{"CGO_ENABLED=1", "CGO_ENABLED=0"} {
				for _, isolate := range []bool{true, false} {
					want := tc.isolated
					if !isolate {
						want = tc.inProcess
					}
					code, out := runLimited(t, builds[build], tc.vmemKiB, tc.cpuSeconds,
						append([]string{fmt.Sprintf("--isolate=%t", isolate)}, args...))
					out = placeholders.Replace(out)
					if code != want.code || !strings.Contains(out, want.want) {
						t.Errorf("%s --isolate=%t: exit %d, want %d with %q in:\n%.3000s", build, isolate, code, want.code, want.want, out)
					}
				}
			}
		})
	}
}

// runLimited runs bin with args under ulimit -v vmemKiB -t cpuSeconds and
// returns its exit status and its stdout followed by its stderr.
func runLimited(t *testing.T, bin string, vmemKiB, cpuSeconds int, args []string) (int, string) {
	t.Helper()
	script := fmt.Sprintf(`ulimit -v %d -t %d && exec "$0" "$@"`, vmemKiB, cpuSeconds)
	cmd := exec.Command("bash", append([]string{"-c", script, bin}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%s: %v", bin, err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String() + stderr.String()
}
