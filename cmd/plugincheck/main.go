// Command plugincheck checks Falco plugin shared libraries: it loads each one
// as the plugin framework does, runs every validation check, initializes and
// destroys it, and reports the outcome per check with the plugin's metadata.
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
//	--timeout DURATION   time limit per file when isolated, 0 for none (default 1m)
//
// The checks are, in order: library, api_version, required_symbols, info,
// version, capabilities, event_source, fields, event_sources, async_events,
// init_schema, init_config and init. Each one passes, passes with warnings
// ("warn"), fails, or is skipped after a failure.
//
// A plugin can take down the process that loads it (a Go panic inside a Go
// plugin, a segfault in C). So by default each file is checked in a child
// process, a copy of plugincheck; if the child dies, the check it was running
// fails with the exit status and the end of its stderr: "library" while
// loading (dlopen and the plugin_get_* calls), "init" in plugin_init or
// plugin_destroy. Plugin logs and anything a plugin prints go to stderr.
//
// Exit status: 0 if every plugin passed (warnings allowed), 1 if any check
// failed, 2 on a usage error.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
