// Package eventbus runs one pipeline per open event source and hands each
// batch to subscribers as a zero-copy Delivery, with the fields they asked
// for extracted once per event whatever the number of subscribers.
//
// Pipeline stages, per batch (see DESIGN.md):
//
//	next_batch -> validate -> [parse] -> extract (one pass per extractor) -> subscribers
//
// A Delivery lends plugin memory (events) and host memory (values) for the
// duration of OnBatch only; Delivery.Copy, Delivery.Records and
// SubscribeRecords give owned copies to consumers that keep events.
//
// Each pipeline initializes its own state of every plugin it uses; a
// subscriber reaches them, and the pipeline's stream, through the Pipeline
// its Open, OnBatch (Delivery.Pipeline) and Close hooks receive.
package eventbus

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"

	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/registry"
)

// Config describes what the bus runs. The zero value of each optional
// member is valid. New copies the maps and the slice, so the caller may
// change them afterwards.
type Config struct {
	// Registry holds the loaded plugins; it decides which plugin sources
	// each event source and which extracts each field.
	Registry *registry.Registry
	// InitConfig is each plugin's init config, by plugin name ("" when
	// absent). The bus initializes every plugin a pipeline uses once for
	// that pipeline, as Falco initializes plugins once per event source: a
	// plugin state is never shared by two sources' goroutines (plugins keep
	// per-state buffers and caches keyed by event number).
	InitConfig map[string]string
	// OpenParams are the open params per event source ("" when absent).
	OpenParams map[string]string
	// ValueOffsets asks extractors for value offsets.
	ValueOffsets bool
	// Sources, when not nil, are the event sources Run opens, in this
	// order, whether subscribed or not (a source without subscribers is
	// still read, so Stats counts its events, as Falco reads every enabled
	// source); subscribing to another source fails. Nil opens every
	// subscribed source.
	Sources []string
}

// Subscriber receives the batches of one event source.
type Subscriber struct {
	Source string
	// Fields are extracted for every delivered event; Delivery.Value reads
	// them by index, Delivery.Field maps a name to its index.
	Fields []string
	// Filter, when set, narrows each Delivery to the events that match it;
	// it must be compiled for Source (filter.Compile). Several subscribers
	// may share one Filter: it is evaluated once per batch.
	Filter *filter.Filter
	// Formats are output formats compiled for Source (filter.CompileFormat),
	// rendered on demand for delivered events by Delivery.AppendText and
	// AppendJSON; their fields are extracted only for those events.
	Formats []*filter.Format
	// OnBatch is called from the source's goroutine with each batch. The
	// Delivery is valid only until OnBatch returns. An error stops the bus.
	// A subscriber with neither Filter nor Fields (nor Formats) gets every
	// event of every batch and causes no extraction. OnBatch may be nil.
	OnBatch func(d *Delivery) error
	// Open is called once per pipeline of Source on that pipeline's
	// goroutine, after its states are initialized and its stream opened,
	// before the first batch; an error stops the bus.
	Open func(p *Pipeline) error
	// Close is called once per pipeline after the last batch (EOF, cancel
	// or error), before the bus destroys the states; it is called for
	// every subscriber whose Open returned nil or is nil, in reverse
	// subscription order, and for no subscriber if the pipeline failed
	// before the Open calls.
	Close func(p *Pipeline)
}

// Bus is a set of source pipelines. Subscribe before Run.
type Bus struct {
	cfg Config

	mu      sync.Mutex // guards pipes, order and started
	pipes   map[string]*Pipeline
	order   []*Pipeline
	started bool
}

// SourceStats counts what one source's pipeline read.
type SourceStats struct {
	Source  string
	Events  uint64 // events read from the plugin, delivered or not
	Batches uint64 // next_batch calls that returned events
}

// New prepares a bus; no stream is opened until Run.
//
// It checks the init config of every plugin of the registry, as Falco
// initializes every plugin it loads, so that a bad config fails here and
// names its plugin. The loader validates a config against the init schema
// only inside Init, and the plugin may reject a config the schema allows,
// so New initializes each plugin once and destroys the state at once;
// compiling the schema here would duplicate the loader's limits and
// messages and still miss the plugin's own checks.
func New(cfg Config) (*Bus, error) {
	if cfg.Registry == nil {
		return nil, &Error{Kind: ErrNoRegistry, Msg: "Config.Registry is nil"}
	}
	cfg.InitConfig = maps.Clone(cfg.InitConfig)
	cfg.OpenParams = maps.Clone(cfg.OpenParams)
	if cfg.Sources != nil {
		cfg.Sources = slices.Clone(cfg.Sources)
	}
	names := slices.Collect(maps.Keys(cfg.InitConfig))
	sort.Strings(names)
	for _, name := range names {
		if _, ok := cfg.Registry.ByName(name); !ok {
			return nil, &Error{Kind: ErrUnknownPlugin, Plugin: name,
				Msg: fmt.Sprintf("Config.InitConfig names plugin '%s', which is not in the registry", name)}
		}
	}
	for _, p := range cfg.Registry.Plugins() {
		s, err := p.Init(cfg.InitConfig[p.Name])
		if err != nil {
			return nil, &Error{Kind: ErrInitConfig, Plugin: p.Name,
				Msg: fmt.Sprintf("invalid init config for plugin '%s'", p.Name), Err: err}
		}
		s.Destroy()
	}
	b := &Bus{cfg: cfg, pipes: map[string]*Pipeline{}}
	for _, source := range cfg.Sources {
		if _, err := b.pipeline(source, true); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// pipeline returns the pipeline of source, made when create is set.
// Callers hold b.mu, or own b.
func (b *Bus) pipeline(source string, create bool) (*Pipeline, error) {
	if p, ok := b.pipes[source]; ok {
		return p, nil
	}
	sp, found := b.cfg.Registry.SourcePlugin(source)
	if !found {
		return nil, &Error{Kind: ErrUnknownSource, Source: source,
			Msg: fmt.Sprintf("no plugin provides event source '%s'", source)}
	}
	if !create {
		return nil, &Error{Kind: ErrSourceNotEnabled, Source: source,
			Msg: fmt.Sprintf("event source '%s' is not in Config.Sources", source)}
	}
	p := &Pipeline{bus: b, source: source, plugin: sp}
	b.pipes[source] = p
	b.order = append(b.order, p)
	return p, nil
}

// Subscribe registers s; its fields are resolved through the registry now,
// so an unknown field fails here, not in Run. On error nothing changes.
func (b *Bus) Subscribe(s Subscriber) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started {
		return &Error{Kind: ErrSubscribeAfterRun, Source: s.Source, Msg: "Subscribe after Run"}
	}
	if s.Filter != nil && s.Filter.Source() != s.Source {
		return &Error{Kind: ErrSourceMismatch, Source: s.Source,
			Msg: fmt.Sprintf("the filter was compiled for source '%s', not '%s'", s.Filter.Source(), s.Source)}
	}
	for _, f := range s.Formats {
		if f.Source() != s.Source {
			return &Error{Kind: ErrSourceMismatch, Source: s.Source,
				Msg: fmt.Sprintf("format '%s' was compiled for source '%s', not '%s'", f.Text(), f.Source(), s.Source)}
		}
	}
	var resolved []registry.Resolved
	for _, text := range s.Fields {
		res, err := b.cfg.Registry.Resolve(s.Source, text)
		switch {
		case errors.Is(err, registry.ErrUnknownSource):
			return &Error{Kind: ErrUnknownSource, Source: s.Source,
				Msg: fmt.Sprintf("no plugin provides event source '%s'", s.Source)}
		case errors.Is(err, registry.ErrUnknownField):
			return &Error{Kind: ErrUnknownField, Source: s.Source, Field: text, Err: err}
		case err != nil:
			return &Error{Kind: ErrField, Source: s.Source, Field: text,
				Msg: fmt.Sprintf("source '%s': field '%s'", s.Source, text), Err: err}
		case res.Text != text:
			return &Error{Kind: ErrField, Source: s.Source, Field: text,
				Msg: fmt.Sprintf("source '%s': field '%s': unexpected text after '%s'", s.Source, text, res.Text)}
		}
		resolved = append(resolved, res)
	}
	p, err := b.pipeline(s.Source, b.cfg.Sources == nil)
	if err != nil {
		return err
	}
	p.subscribe(s, resolved)
	return nil
}

// SubscribeRecords is the copying API: fn receives each event with its
// values as owned Go values, which it may keep.
func (b *Bus) SubscribeRecords(source string, fields []string, fn func(Record) error) error {
	return b.Subscribe(Subscriber{Source: source, Fields: fields, OnBatch: func(d *Delivery) error {
		for _, r := range d.Records() {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}})
}

// Run opens every source (Config.Sources, or every subscribed one) and
// streams each in its own goroutine until all reach EOF (nil), ctx is done
// (ctx.Err()), or one fails (its error; the others are stopped). Every
// stream, extractor, plugin state and goroutine is released before Run
// returns. A Bus runs once.
func (b *Bus) Run(ctx context.Context) error {
	b.mu.Lock()
	if b.started {
		b.mu.Unlock()
		return &Error{Kind: ErrAlreadyRun, Msg: "Run called twice"}
	}
	b.started = true
	pipes := b.order
	b.mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for _, p := range pipes {
		wg.Go(func() {
			if err := p.run(ctx); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				cancel()
			}
		})
	}
	wg.Wait()
	return firstErr
}

// Stats returns what each pipeline read, in the order sources are opened.
// It is exact once Run has returned; during Run it is a snapshot.
func (b *Bus) Stats() []SourceStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]SourceStats, len(b.order))
	for k, p := range b.order {
		out[k] = SourceStats{Source: p.source, Events: p.events.Load(), Batches: p.batches.Load()}
	}
	return out
}
