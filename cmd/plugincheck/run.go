package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/checkreport"
	"github.com/plughost/plughost/pluginapi"
)

// Exit codes, listed in the usage text and README.md.
const (
	exitOK          = 0 // every plugin passed, possibly with warnings
	exitFailed      = 1 // a check failed, or plugincheck itself could not work
	exitUsage       = 2 // bad command line
	exitCrashed     = 3 // --isolate=false: a plugin crashed plugincheck
	exitInterrupted = 4 // SIGINT or SIGTERM stopped plugincheck
)

// interruptedError says that the context ended (a signal) before every
// file was checked.
type interruptedError struct{ err error }

func (e *interruptedError) Error() string { return "interrupted: " + e.err.Error() }
func (e *interruptedError) Unwrap() error { return e.err }

// usageError is a bad command line; the message and the usage have already
// been printed.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// checksFailedError says that at least one plugin failed a check; the
// report has already been printed.
type checksFailedError struct{ failed, total int }

func (e *checksFailedError) Error() string {
	return fmt.Sprintf("%d of %d plugins failed", e.failed, e.total)
}

// exitCode maps the error of plugincheck to the exit status.
func exitCode(err error) int {
	var ue *usageError
	var cf *checksFailedError
	var ie *interruptedError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &cf):
		return exitFailed
	case errors.As(err, &ie):
		return exitInterrupted
	}
	var ce *crashedError
	var es *exitStatusError
	switch {
	case errors.As(err, &ce):
		return exitCrashed
	case errors.As(err, &es):
		return es.code
	}
	return exitFailed
}

// run is main without the process: it parses args, checks the files and
// writes the report to stdout, and returns the exit status. With the child
// environment variable set it is the child of an isolated check instead.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if os.Getenv(childEnv) == "1" {
		return runChild(ctx, args, stdout, stderr)
	}
	err := plugincheck(ctx, args, stdout, stderr)
	var ue *usageError
	var cf *checksFailedError
	var es *exitStatusError
	if err != nil && !errors.Is(err, flag.ErrHelp) && !errors.As(err, &ue) && !errors.As(err, &cf) && !errors.As(err, &es) {
		fmt.Fprintf(stderr, "plugincheck: %v\n", err)
	}
	code := exitCode(err)
	inProcessSay("exit %d", code)
	return code
}

// config is the parsed command line.
type config struct {
	files      []string
	initConfig string
	apiVersion string
	format     string
	isolate    bool
	timeout    time.Duration
	openParams string
	events     int
	filter     string
	filterSet  bool // --filter was given, maybe empty
	output     string
	outputSet  bool // --output was given, maybe empty
	maxOutputs int
}

const usageText = `Usage: plugincheck [flags] PLUGIN.so...

Loads each Falco plugin library as the plugin framework does, runs every
validation check, initializes the plugin, reads events from its source if
--events asks for it, destroys it, and reports the outcome of each check with
the metadata the plugin declares.

Flags:
  --init-config STR     config passed to plugin_init (default "")
  --api-version X.Y.Z   framework API version to check against (default %s)
  --format text|json    output format (default text)
  --isolate             check each file in a child process, so that a
                        crashing plugin is reported instead of killing
                        plugincheck (default true; --isolate=false to turn off)
  --timeout DURATION    time limit per file, 0 for none (default %s);
                        isolated, the child is killed; in process, the file
                        is reported as timed out and plugincheck stops
                        waiting for the plugin call (it is not interrupted)
  --events N            after plugin_init, open the event source of each
                        sourcing plugin and read up to N events, extracting
                        from each every field that needs no argument
                        (default 0: no stream check)
  --open-params STR     open params passed to plugin_open (default "")
  --filter EXPR         with --events: count the events read that match the
                        Falco filter condition EXPR ("matched"), compiled for
                        the plugin's event source and fields as Falco
                        compiles a rule condition; --events N still bounds
                        the events read, not the matches. A filter that does
                        not compile fails the plugin (exit 1), shown with a
                        caret under the offending column
  --output FMT          with --events: format each matching event (each
                        event read, without --filter) with the output format
                        FMT (%%field tokens, as a rule's output; a missing
                        value prints <NA>): in text, one line per event after
                        the plugin's report; in JSON, "outputs" in the
                        plugin's "stream", one object per event
  --max-outputs N       the most formatted events kept per plugin; the others
                        are counted as dropped (default %d)

Exit status: 0 if every plugin passed (warnings allowed), 1 if any check
failed, 2 on a usage error, 3 if a plugin crashed plugincheck
(--isolate=false), 4 if SIGINT or SIGTERM stopped it.

In process (--isolate=false) every file is checked in one copy of
plugincheck, watched by plugincheck. A plugin that crashes it (a segfault,
abort, Go runtime panic or exit) ends the checks: plugincheck names the
file and exits 3, without the reports of that file and those after it.
What plugins print goes to stderr. Nothing protects the checks from a
plugin that corrupts memory or state that later checks use; a plugin call
that never returns is left running when plugincheck gives up on it and
exits.
`

const defaultTimeout = time.Minute

// defaultMaxOutputs is the default of --max-outputs.
const defaultMaxOutputs = 100

// parseArgs parses the command line. Flags may come before, between or
// after the files; "--" ends the flags. Errors are printed to stderr with
// the usage and returned as *usageError (flag.ErrHelp for -h).
func parseArgs(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("plugincheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, usageText, pluginapi.APIVersion, defaultTimeout, defaultMaxOutputs) }
	fs.StringVar(&cfg.initConfig, "init-config", "", "")
	fs.StringVar(&cfg.apiVersion, "api-version", pluginapi.APIVersion, "")
	fs.StringVar(&cfg.format, "format", "text", "")
	fs.BoolVar(&cfg.isolate, "isolate", true, "")
	fs.DurationVar(&cfg.timeout, "timeout", defaultTimeout, "")
	fs.IntVar(&cfg.events, "events", 0, "")
	fs.StringVar(&cfg.openParams, "open-params", "", "")
	fs.StringVar(&cfg.filter, "filter", "", "")
	fs.StringVar(&cfg.output, "output", "", "")
	fs.IntVar(&cfg.maxOutputs, "max-outputs", defaultMaxOutputs, "")

	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()} // flag printed it and the usage
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			cfg.files = append(cfg.files, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		cfg.files, args = append(cfg.files, rest[0]), rest[1:]
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "filter":
			cfg.filterSet = true
		case "output":
			cfg.outputSet = true
		}
	})

	bad := func(format string, a ...any) (*config, error) {
		msg := fmt.Sprintf(format, a...)
		fmt.Fprintln(stderr, msg)
		fs.Usage()
		return nil, &usageError{msg}
	}
	switch {
	case len(cfg.files) == 0:
		return bad("no plugin files given")
	case cfg.format != "text" && cfg.format != "json":
		return bad("invalid value %q for --format: want text or json", cfg.format)
	case cfg.timeout < 0:
		return bad("invalid value %q for --timeout: must not be negative", cfg.timeout)
	case cfg.events < 0:
		return bad("invalid value %d for --events: must not be negative", cfg.events)
	case cfg.filterSet && cfg.events == 0:
		return bad("--filter needs --events N, N > 0: the filter runs on the events read")
	case cfg.outputSet && cfg.events == 0:
		return bad("--output needs --events N, N > 0: it formats the events read")
	case cfg.maxOutputs < 0:
		return bad("invalid value %d for --max-outputs: must not be negative", cfg.maxOutputs)
	}
	if _, err := semver.StrictNewVersion(cfg.apiVersion); err != nil {
		return bad("invalid value %q for --api-version: want a version X.Y.Z", cfg.apiVersion)
	}
	return cfg, nil
}

// checkOptions are the options of checkreport.Check for this command line;
// plugin logs go to logs, and ctx bounds the stream check.
func (cfg *config) checkOptions(ctx context.Context, logs io.Writer) checkreport.Options {
	return checkreport.Options{
		InitConfig: cfg.initConfig,
		APIVersion: cfg.apiVersion,
		Logger:     pluginLogger(logs),
		Events:     cfg.events,
		OpenParams: cfg.openParams,
		Filter:     cfg.filter,
		Output:     cfg.output,
		OutputJSON: cfg.format == "json",
		MaxOutputs: cfg.maxOutputs,
		Context:    ctx,
	}
}

// checkExprs fails on what is wrong with --filter and --output whatever
// the plugin: a filter that does not parse, an empty output. The rest
// (fields, operators, values) is compiled for each plugin, in its check.
func (cfg *config) checkExprs() error {
	if cfg.filterSet {
		if _, err := filter.Parse(cfg.filter, filter.ParseOptions{MaxDepth: checkreport.FilterMaxDepth}); err != nil {
			return errors.New(checkreport.ExprError("--filter", cfg.filter, err))
		}
	}
	if cfg.outputSet && cfg.output == "" {
		return errors.New(checkreport.ExprError("--output", cfg.output,
			&filter.CompileError{Pos: filter.Pos{Line: 1, Col: 1}, Msg: "empty formatting token"}))
	}
	return nil
}

// pluginLogger writes the plugins' log_fn messages as logfmt lines without
// a timestamp.
func pluginLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// plugincheck checks the files of the command line and prints the report.
func plugincheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	if err := cfg.checkExprs(); err != nil {
		return err
	}
	if !cfg.isolate && inProcessStatus == nil {
		return watchInProcess(ctx, args, stdout, stderr)
	}
	// In process, files are checked one at a time and plugin logs go
	// straight to stderr: they are not lost if a plugin kills the process.
	check := func(ctx context.Context, path string) (checkreport.PluginReport, []byte, error) {
		inProcessSay("checking %s", path)
		return checkInProcess(ctx, path, cfg, stderr)
	}
	workers := 1
	if cfg.isolate {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("cannot re-execute itself to isolate checks (use --isolate=false): %w", err)
		}
		check = func(ctx context.Context, path string) (checkreport.PluginReport, []byte, error) {
			return checkInChild(ctx, exe, path, cfg)
		}
		workers = isolatedWorkers(len(cfg.files))
	}

	var out reportWriter = &textWriter{w: stdout}
	if cfg.format == "json" {
		out = &jsonWriter{w: stdout}
	}
	var reports []checkreport.PluginReport
	err = checkAll(ctx, cfg.files, workers, check, func(r checkreport.PluginReport, logs []byte) error {
		if _, err := stderr.Write(logs); err != nil {
			return err
		}
		reports = append(reports, r)
		return out.plugin(r)
	})
	if err != nil {
		return err
	}
	report := checkreport.NewReport(reports)
	if err := out.finish(report); err != nil {
		return err
	}
	if !report.OK {
		failed := 0
		for _, r := range reports {
			if !r.OK {
				failed++
			}
		}
		return &checksFailedError{failed: failed, total: len(reports)}
	}
	return nil
}

// checkInProcess checks path in this process, giving up on it after
// cfg.timeout, or when ctx ends, even if a plugin call never returns: the
// check goes on in its goroutine, which the exit of plugincheck ends.
func checkInProcess(ctx context.Context, path string, cfg *config, logs io.Writer) (checkreport.PluginReport, []byte, error) {
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if cfg.timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, cfg.timeout)
	}
	defer cancel()
	var mu sync.Mutex
	var ifDies *checkreport.PluginReport
	opts := cfg.checkOptions(cctx, logs)
	opts.BeforeStep = func(step checkreport.Step, r checkreport.PluginReport) {
		limitReport(&r) // a copy: the check goes on with its own
		mu.Lock()
		ifDies = &r
		mu.Unlock()
	}
	done := make(chan checkreport.PluginReport, 1)
	go func() {
		r := checkreport.Check(path, opts)
		limitReport(&r)
		done <- r
	}()
	select {
	case r := <-done:
		return r, nil, ctx.Err()
	case <-cctx.Done():
	}
	if err := ctx.Err(); err != nil {
		return checkreport.PluginReport{}, nil, err
	}
	mu.Lock()
	last := ifDies
	mu.Unlock()
	if last != nil {
		r := *last
		r.Checks = slices.Clone(r.Checks)
		for i, c := range r.Checks {
			r.Checks[i].Message = strings.Replace(c.Message, "the process died", "timed out", 1)
		}
		last = &r
	}
	how := fmt.Sprintf("the %s time limit (--timeout) passed; in process, plugincheck cannot stop the call, it stopped waiting", cfg.timeout)
	return diedReport(path, last, "timed out", how), nil, nil
}
