// Command streamfields is a small library example: it loads plugins,
// streams events from the first event source through the event bus and
// prints a few fields of each event.
//
//	streamfields [-n N] [-open-params S] [-fields f1,f2] PLUGIN.so...
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

var errEnough = errors.New("enough events")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("streamfields", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 5, "events to print")
	params := fs.String("open-params", "", "open params of the source")
	fieldList := fs.String("fields", "", "comma-separated fields (default: every field of the plugins that needs no argument)")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: streamfields [-n N] [-open-params S] [-fields f1,f2] PLUGIN.so...")
		return 2
	}
	reg := registry.New()
	var fields []string
	for _, path := range fs.Args() {
		p, err := loader.Load(path, loader.Options{})
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if err := reg.Add(p); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		for _, f := range p.Fields {
			if !f.Arg.IsRequired && len(fields) < 4 {
				fields = append(fields, f.Name)
			}
		}
	}
	if *fieldList != "" {
		fields = strings.Split(*fieldList, ",")
	}
	sources := reg.Sources()
	if len(sources) == 0 {
		fmt.Fprintln(stderr, "streamfields: no plugin provides an event source")
		return 1
	}
	bus, err := eventbus.New(eventbus.Config{Registry: reg, OpenParams: map[string]string{sources[0]: *params}})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	printed := 0
	err = bus.SubscribeRecords(sources[0], fields, func(r eventbus.Record) error {
		var b strings.Builder
		fmt.Fprintf(&b, "%s #%d", sources[0], r.Event.Num)
		for _, f := range fields {
			v, _ := r.Value(f)
			fmt.Fprintf(&b, " %s=%v", f, v)
		}
		fmt.Fprintln(stdout, b.String())
		if printed++; printed >= *n {
			return errEnough
		}
		return nil
	})
	var busErr *eventbus.Error
	if errors.As(err, &busErr) && errors.Is(err, eventbus.ErrUnknownField) {
		err = busErr.Err // the registry's message, as Falco words it
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if err := bus.Run(ctx); err != nil && !errors.Is(err, errEnough) {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
