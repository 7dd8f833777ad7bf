package main

// Crash isolation. The parent re-executes its own binary once per file with
// childEnv=1 and the file; the child checks it in process and writes lines
// to a pipe of its own, file descriptor 3 (reportFD, os/exec ExtraFiles),
// never to its stdout or stderr, which belong to the plugin:
//
//	##plugincheck-if-dies## {report}   before each step that runs plugin code
//	##plugincheck-report## {report}    when done
//
// where {report} is a checkreport.PluginReport as one line of JSON, its
// plugin-supplied strings cut to maxReportString bytes (limitReport). An
// "if-dies" report is what to say if the child dies during the step that
// follows: the step's check ("library" while loading, "init" in plugin_init
// or plugin_destroy, "stream" while streaming) failed with a message saying
// where. The parent keeps the final report only if the child then exited
// with status 0; otherwise it takes the last if-dies report and appends to
// the failed check's message how the child ended and an excerpt of its
// stderr. That check is the first failed one: every check before the step
// passed, and only the stream check, which may have failed on its own,
// comes after "init" (whose step, plugin_destroy, runs last). A child that
// died is never a pass: an if-dies report without a failed check, or none
// at all, becomes a failed "library" check. The parent reads at most
// maxReportBytes from the report pipe. The child's stdout and stderr
// (whatever the plugin printed, and its logs) are captured separately, the
// first maxChildOutput bytes of each kept, and copied to the parent's
// stderr with their control characters other than newline and tab
// escaped (escapeOutput), so that a plugin cannot erase or rewrite the
// report on a terminal.
//
// A plugin runs inside the child and can, on purpose, write to descriptor
// 3 and exit with status 0: isolation protects against plugins that crash,
// hang or print, not against a plugin written to fool plugincheck.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/plughost/plughost/internal/checkreport"
)

// childEnv marks a child process: run checks one file and writes reports.
const childEnv = "PLUGHOST_PLUGINCHECK_CHILD"

const (
	ifDiesPrefix = "##plugincheck-if-dies## "
	reportPrefix = "##plugincheck-report## "
)

// reportFD is the child's file descriptor for reports: the first of
// exec.Cmd.ExtraFiles.
const reportFD = 3

// maxReportBytes caps what the parent reads from a child's report pipe.
// With every plugin string cut to maxReportString, only a plugin with
// thousands of huge fields comes near it.
const maxReportBytes = 256 << 20

// childHook, when set, is called by the child before each step; tests use
// it to make the child die at a given step.
var childHook func(step checkreport.Step)

// runChild is run in child mode: the flags of the parent and one file.
func runChild(ctx context.Context, args []string, _, stderr io.Writer) int {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		return exitCode(err)
	}
	if len(cfg.files) != 1 {
		fmt.Fprintf(stderr, "plugincheck: child process: want one file, got %d\n", len(cfg.files))
		return exitUsage
	}
	reports := os.NewFile(reportFD, "plugincheck-report")
	if _, err := reports.Stat(); err != nil {
		fmt.Fprintf(stderr, "plugincheck: child process: no report pipe on file descriptor %d: %v\n", reportFD, err)
		return exitFailed
	}
	defer reports.Close()
	var werr error
	emit := func(prefix string, r checkreport.PluginReport) {
		// Without HTML escaping, so that formatted outputs (raw JSON)
		// reach the parent as they were rendered. The encoder ends the
		// line.
		var data bytes.Buffer
		data.WriteString(prefix)
		enc := json.NewEncoder(&data)
		enc.SetEscapeHTML(false)
		limitReport(&r)
		err := enc.Encode(r)
		if err == nil {
			_, err = reports.Write(data.Bytes())
		}
		if err != nil && werr == nil {
			werr = err
		}
	}
	opts := cfg.checkOptions(ctx, stderr)
	opts.BeforeStep = func(step checkreport.Step, ifDies checkreport.PluginReport) {
		emit(ifDiesPrefix, ifDies)
		if childHook != nil {
			childHook(step)
		}
	}
	emit(reportPrefix, checkreport.Check(cfg.files[0], opts))
	if werr != nil {
		fmt.Fprintf(stderr, "plugincheck: child process: writing the report: %v\n", werr)
		return exitFailed
	}
	return exitOK
}

// isolatedWorkers is how many child processes run at once.
func isolatedWorkers(files int) int {
	return max(1, min(files, runtime.NumCPU()))
}

// maxChildOutput caps what is kept of each of the child's stdout and stderr
// (the rest is read and dropped).
const maxChildOutput = 4 << 20

// checkInChild checks path in a child process running exe. It returns the
// report, the output to copy to stderr, and an error only if ctx ended.
func checkInChild(ctx context.Context, exe, path string, cfg *config) (checkreport.PluginReport, []byte, error) {
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if cfg.timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, cfg.timeout)
	}
	defer cancel()
	args := []string{"--init-config=" + cfg.initConfig, "--api-version=" + cfg.apiVersion,
		"--format=" + cfg.format, "--events=" + strconv.Itoa(cfg.events), "--open-params=" + cfg.openParams,
		"--max-outputs=" + strconv.Itoa(cfg.maxOutputs)}
	if cfg.filterSet {
		args = append(args, "--filter="+cfg.filter)
	}
	if cfg.outputSet {
		args = append(args, "--output="+cfg.output)
	}
	cmd := exec.CommandContext(cctx, exe, append(args, "--", path)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	stdout := &cappedBuffer{max: maxChildOutput}
	stderr := &cappedBuffer{max: maxChildOutput}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A plugin may leave a process behind holding our pipes open.
	cmd.WaitDelay = 2 * time.Second
	pr, pw, err := os.Pipe()
	if err != nil {
		return checkreport.Died(path, "cannot create the report pipe of the checking process: "+err.Error()), nil, nil
	}
	cmd.ExtraFiles = []*os.File{pw}
	reports := &cappedBuffer{max: maxReportBytes}
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		io.Copy(reports, pr)
	}()
	runErr := cmd.Start()
	pw.Close()
	if runErr == nil {
		runErr = cmd.Wait()
	}
	// A process left behind may hold the write end open.
	select {
	case <-readDone:
	case <-time.After(cmd.WaitDelay):
	}
	pr.Close()
	<-readDone
	if err := ctx.Err(); err != nil {
		return checkreport.PluginReport{}, nil, err
	}

	final, ifDies := parseChildReports(reports.buf.Bytes())
	logs := append(escapeOutput(stdout.Bytes()), escapeOutput(stderr.Bytes())...)
	if final != nil && runErr == nil && cmd.ProcessState != nil && cmd.ProcessState.Success() {
		final.Path = path
		return *final, logs, nil
	}

	how := ""
	switch {
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		how = fmt.Sprintf("killed after the %s time limit (--timeout)", cfg.timeout)
	case cmd.ProcessState != nil:
		how = cmd.ProcessState.String()
		switch {
		case runErr == nil && reports.truncated:
			how += fmt.Sprintf(" with a report over the %d MiB limit", maxReportBytes>>20)
		case runErr == nil:
			how += " without a report"
		case final != nil:
			how += " after its report"
		}
	case runErr != nil:
		how = runErr.Error()
	}
	if excerpt := stderrExcerpt(stderr.Bytes()); len(excerpt) > 0 {
		how += "; stderr:\n" + strings.Join(excerpt, "\n")
	}
	return diedReport(path, ifDies, "the checking process died before it could report", how), logs, nil
}

// diedReport is what to report for path when the check stopped at the step
// of ifDies (nil if none was reached) for the reason how: ifDies, with how
// appended to the first failed check's message, or a failed library check
// saying orElse and how when there is no such check.
func diedReport(path string, ifDies *checkreport.PluginReport, orElse, how string) checkreport.PluginReport {
	if ifDies == nil || !slices.ContainsFunc(ifDies.Checks, func(c checkreport.CheckResult) bool { return c.Status == checkreport.Fail }) {
		return checkreport.Died(path, orElse+": "+how)
	}
	r := *ifDies
	r.Path = path
	r.OK = false
	r.Checks = slices.Clone(r.Checks)
	if r.Stream != nil {
		s := *r.Stream
		s.Errors = slices.Clone(s.Errors)
		r.Stream = &s
	}
	for i, c := range r.Checks {
		if c.Status == checkreport.Fail {
			r.Checks[i].Message = c.Message + ": " + how
			// Dying while streaming is also the stream's error.
			if c.Name == string(checkreport.CheckStream) && r.Stream != nil && len(r.Stream.Errors) > 0 {
				r.Stream.Errors[len(r.Stream.Errors)-1] = r.Checks[i].Message
			}
			break
		}
	}
	return r
}

// parseChildReports reads the child's report pipe: the final report if
// any, and the last if-dies report. Lines that are not whole reports are
// ignored.
func parseChildReports(out []byte) (final, ifDies *checkreport.PluginReport) {
	for line := range bytes.Lines(out) {
		if !bytes.HasSuffix(line, []byte("\n")) {
			break // cut short
		}
		text := strings.TrimRight(string(line), "\r\n")
		var dst **checkreport.PluginReport
		var data string
		switch {
		case strings.HasPrefix(text, reportPrefix):
			dst, data = &final, strings.TrimPrefix(text, reportPrefix)
		case strings.HasPrefix(text, ifDiesPrefix):
			dst, data = &ifDies, strings.TrimPrefix(text, ifDiesPrefix)
		default:
			continue
		}
		var r checkreport.PluginReport
		if err := json.Unmarshal([]byte(data), &r); err == nil && len(r.Checks) == len(checkreport.Checks()) {
			*dst = &r
		}
	}
	return final, ifDies
}

// crashHeadline matches the first line of a Go runtime crash report.
var crashHeadline = regexp.MustCompile(`^(panic: |fatal error: |SIG[A-Z]+: |unexpected signal)`)

const excerptLines = 8

// stderrExcerpt picks the part of stderr that says why the child died: from
// the Go runtime's crash headline if there is one, otherwise the last lines.
func stderrExcerpt(stderr []byte) []string {
	lines := strings.Split(strings.TrimRight(string(stderr), "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	start := max(0, len(lines)-excerptLines)
	for i, l := range lines {
		if crashHeadline.MatchString(l) {
			start = i
			break
		}
	}
	lines = lines[start:min(len(lines), start+excerptLines)]
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		if len(l) > 300 {
			l = l[:297] + "..."
		}
		lines[i] = l
	}
	// Keep the excerpt free of trailing blank lines.
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// cappedBuffer keeps the first max bytes written to it.
type cappedBuffer struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room < len(p) {
		b.truncated = true
		b.buf.Write(p[:max(0, room)])
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *cappedBuffer) Bytes() []byte {
	if b.truncated {
		return append(b.buf.Bytes(), "\n[plugincheck: output truncated]\n"...)
	}
	return b.buf.Bytes()
}

// checkFunc checks one file; the error is set only when ctx ended.
type checkFunc func(ctx context.Context, path string) (checkreport.PluginReport, []byte, error)

// checkAll checks files with up to workers checks at once and hands each
// result to emit in file order, as soon as it and those before it are done.
func checkAll(ctx context.Context, files []string, workers int, check checkFunc, emit func(checkreport.PluginReport, []byte) error) error {
	type result struct {
		report checkreport.PluginReport
		logs   []byte
		err    error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]chan result, len(files))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	go func() {
		sem := make(chan struct{}, workers)
		for i, f := range files {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] <- result{err: ctx.Err()}
				continue
			}
			go func() {
				defer func() { <-sem }()
				r, logs, err := check(ctx, f)
				results[i] <- result{r, logs, err}
			}()
		}
	}()
	for i := range files {
		// A check in process may be stuck in a plugin call: stop
		// waiting for it when ctx ends.
		var res result
		select {
		case res = <-results[i]:
		case <-ctx.Done():
			res.err = ctx.Err()
		}
		if res.err != nil {
			return &interruptedError{res.err}
		}
		if err := emit(res.report, res.logs); err != nil {
			return err
		}
	}
	return nil
}
