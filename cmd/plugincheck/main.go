// Command plugincheck checks Falco plugin shared libraries: it loads each one
// as the plugin framework does, runs every validation check, initializes it,
// optionally reads events from its source, destroys it, and reports the
// outcome per check with the plugin's metadata.
//
// Usage:
//
//	plugincheck [flags] PLUGIN.so...
//
// Flags:
//
//	--init-config STR    config passed to plugin_init (default "")
//	--api-version X.Y.Z  framework API version to check against (default 3.12.0)
//	--format text|json   output format (default text)
//	--isolate            check each file in a child process (default true)
//	--timeout DURATION   time limit per file, 0 for none (default 1m)
//	--events N           events to read from each sourcing plugin (default 0: none)
//	--open-params STR    open params passed to plugin_open (default "")
//	--filter EXPR        with --events: count the events read that match EXPR
//	--output FMT         with --events: format each matching event with FMT
//	--max-outputs N      the most formatted events kept per plugin (default 100)
//
// The checks are, in order: library, api_version, required_symbols, info,
// version, capabilities, event_source, fields, event_sources, async_events,
// init_schema, init_config, init and stream. Each one passes, passes with
// warnings ("warn"), fails, or is skipped after a failure.
//
// The stream check runs when --events is positive, for plugins with the
// sourcing capability, between plugin_init and plugin_destroy: it opens the
// source with --open-params and reads up to N events, each validated as the
// host validates events. If the plugin also extracts fields from its own
// events, every field that needs no argument is extracted from every event
// read, with one extractor and one extraction per batch, as the library
// does. A malformed event, a failed plugin call or a failed extraction fails
// the check; the plugin reporting EOF before N events does not. The JSON
// report then has a "stream" object per plugin: events read,
// fields_extracted (values present), eof and errors. Otherwise the check is
// skipped, with the reason.
//
// --filter EXPR counts the events read that match a Falco filter condition
// ("matched" in the stream object, "M matched the filter" in the stream
// check's message): --events N still bounds the events read, and the
// matches are counted among them. --output FMT formats, with a Falco output
// format (%field tokens), each matching event, or each event read without
// --filter; a missing value prints <NA>, as in Falco's alerts (FMT gets a
// leading '*' unless it has one). In text, the lines follow the plugin's
// report; in JSON, "outputs" in the stream object holds one object per
// event (the fields and their values), with "outputs_dropped" counting
// those past --max-outputs (or past 1 MiB). Both need --events. They are
// compiled for each plugin, in its (isolated) check, for its own event
// source and fields, as Falco compiles a rule (parser depth limit 1000),
// and evaluated as the filter package does: fields are extracted lazily,
// one plugin call per batch and field. A filter that does not parse stops
// plugincheck before any check (exit 1); a filter or format that does not
// compile for a plugin, such as one naming a field the plugin does not
// have, fails its stream check (exit 1). Both errors show the offending
// line of the expression with a caret under the offending column.
//
// A plugin can take down the process that loads it (a Go panic inside a Go
// plugin, a segfault in C). So by default each file is checked in a child
// process, a copy of plugincheck; if the child dies, the check it was running
// fails with the exit status and the end of its stderr: "library" while
// loading (dlopen and the plugin_get_* calls), "init" in plugin_init or
// plugin_destroy, "stream" while streaming. Plugin logs and anything a
// plugin prints go to stderr, control characters other than newline and
// tab escaped.
//
// The child reports on a pipe of its own (file descriptor 3), so what a
// plugin prints cannot pass for a report, and a child that dies is never a
// pass. A plugin written to fool plugincheck can still write a report of
// its own on that descriptor and exit 0: isolation is not a sandbox. Every plugin-supplied string in a report is cut to 64 KiB, with a
// marker giving its length.
//
// With --isolate=false, --timeout still holds: a file whose check runs
// past it is reported as timed out, and plugincheck stops waiting for the
// plugin call (which goes on until plugincheck exits). SIGINT and SIGTERM
// stop plugincheck even during a blocking plugin call. The files are
// checked in one copy of plugincheck that it watches: if a plugin crashes
// that copy or makes it exit, plugincheck names the file and exits 3.
// What plugins print goes to stderr. Nothing protects the checks from a
// plugin that corrupts memory or state later checks use.
//
// Exit status: 0 if every plugin passed (warnings allowed), 1 if any check
// failed, 2 on a usage error, 3 if a plugin crashed plugincheck
// (--isolate=false), 4 if SIGINT or SIGTERM stopped it.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var stdout io.Writer = os.Stdout
	if inProcessOut != nil {
		stdout = inProcessOut
	}
	code := run(ctx, os.Args[1:], stdout, os.Stderr)
	stop()
	os.Exit(code)
}
