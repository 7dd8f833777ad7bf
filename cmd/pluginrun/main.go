// Command pluginrun runs Falco plugin event sources through Falco rules and
// prints the alerts as Falco prints them. It reads falco.yaml (plugins,
// load_plugins, rules_files and the output keys), loads the configured
// plugins, loads and checks the rules files, opens every event source
// concurrently and evaluates the rules of each source on its events.
//
// Usage:
//
//	pluginrun [-c falco.yaml] [-r RULES]... [-o key=value]... [-M seconds]
//	          [-L] [-l RULE] [--list[=SOURCE]] [--list-plugins] [-V RULES]...
//	          [--dry-run] [--plugins-dir DIR]
//
// Exit codes: 0 when the sources end (EOF, -M, SIGINT or SIGTERM) or a
// listing was printed, 1 on a config, plugin, rules or runtime error (and
// when -V finds an error), 2 on a bad command line.
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
