// Package eventbus runs one pipeline per open event source and hands each
// batch to subscribers as a zero-copy Delivery, with the fields they asked
// for extracted once per event whatever the number of subscribers.
//
// Pipeline stages, per batch (see DESIGN.md):
//
//	next_batch -> validate -> [parse] -> extract (one pass per extractor) -> subscribers
//
// A Delivery lends plugin memory (events) and host memory (values) for the
// duration of OnBatch only; Delivery.Copy and SubscribeRecords give owned
// copies to consumers that keep events.
package eventbus

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// Config describes what the bus runs. The zero value of each optional
// member is valid.
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
}

// Subscriber receives the batches of one event source.
type Subscriber struct {
	Source string
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
	OnBatch func(d *Delivery) error
}

// Bus is a set of source pipelines. Subscribe before Run.
type Bus struct {
	cfg     Config
	sources map[string]*pipeline
	order   []string
	running bool
}

// New prepares a bus; nothing is opened until Run.
func New(cfg Config) (*Bus, error) {
	if cfg.Registry == nil {
		return nil, errors.New("eventbus: Config.Registry is nil")
	}
	return &Bus{cfg: cfg, sources: map[string]*pipeline{}}, nil
}

// fieldRef locates a subscriber field: extractor k, request r.
type fieldRef struct{ extractor, req int }

type subscription struct {
	sub        Subscriber
	refs       []fieldRef
	eval       int   // index in pipeline.filters, -1 without a filter
	formatters []int // index in pipeline.formats of each Subscriber.Formats entry
}

// filterRun is one distinct Filter of a pipeline with its Evaluator and
// the matches of the current batch.
type filterRun struct {
	f     *filter.Filter
	ev    *filter.Evaluator
	match []int32
	err   error
}

type formatRun struct {
	f  *filter.Format
	fm *filter.Formatter
}

type extractorSpec struct {
	plugin *loader.Plugin
	fields []string
	index  map[string]int
	x      *capability.Extractor
}

type pipeline struct {
	source     string
	plugin     *loader.Plugin
	extractors []*extractorSpec
	subs       []*subscription
	filters    []*filterRun
	formats    []*formatRun
}

// Subscribe registers s; its fields are resolved through the registry now,
// so an unknown field fails here, not in Run.
func (b *Bus) Subscribe(s Subscriber) error {
	if b.running {
		return errors.New("eventbus: Subscribe after Run")
	}
	p, ok := b.sources[s.Source]
	if !ok {
		sp, found := b.cfg.Registry.SourcePlugin(s.Source)
		if !found {
			return fmt.Errorf("eventbus: no plugin provides event source '%s'", s.Source)
		}
		p = &pipeline{source: s.Source, plugin: sp}
		b.sources[s.Source] = p
		b.order = append(b.order, s.Source)
	}
	sub := &subscription{sub: s, eval: -1}
	if s.Filter != nil {
		if s.Filter.Source() != s.Source {
			return fmt.Errorf("eventbus: the filter was compiled for source '%s', not '%s'", s.Filter.Source(), s.Source)
		}
		sub.eval = p.filterFor(s.Filter)
	}
	for _, f := range s.Formats {
		if f.Source() != s.Source {
			return fmt.Errorf("eventbus: format '%s' was compiled for source '%s', not '%s'", f.Text(), f.Source(), s.Source)
		}
		sub.formatters = append(sub.formatters, p.formatFor(f))
	}
	for _, text := range s.Fields {
		res, err := b.cfg.Registry.Resolve(s.Source, text)
		if err != nil {
			return err
		}
		if res.Text != text {
			return fmt.Errorf("eventbus: field '%s': unexpected text after '%s'", text, res.Text)
		}
		k := p.extractorFor(res.Plugin)
		spec := p.extractors[k]
		r, ok := spec.index[text]
		if !ok {
			r = len(spec.fields)
			spec.fields = append(spec.fields, text)
			spec.index[text] = r
		}
		sub.refs = append(sub.refs, fieldRef{k, r})
	}
	p.subs = append(p.subs, sub)
	return nil
}

func (p *pipeline) filterFor(f *filter.Filter) int {
	return indexOrAdd(&p.filters, func(r *filterRun) bool { return r.f == f }, &filterRun{f: f})
}

func (p *pipeline) formatFor(f *filter.Format) int {
	return indexOrAdd(&p.formats, func(r *formatRun) bool { return r.f == f }, &formatRun{f: f})
}

// indexOrAdd returns the index of the first element of *list that is, or
// appends fresh and returns its index.
func indexOrAdd[T any](list *[]T, is func(T) bool, fresh T) int {
	for k, v := range *list {
		if is(v) {
			return k
		}
	}
	*list = append(*list, fresh)
	return len(*list) - 1
}

func (p *pipeline) extractorFor(plugin *loader.Plugin) int {
	for k, e := range p.extractors {
		if e.plugin == plugin {
			return k
		}
	}
	p.extractors = append(p.extractors, &extractorSpec{plugin: plugin, index: map[string]int{}})
	return len(p.extractors) - 1
}

// SubscribeRecords is the copying API: fn receives each event with its
// values as owned Go values, which it may keep.
func (b *Bus) SubscribeRecords(source string, fields []string, fn func(Record) error) error {
	return b.Subscribe(Subscriber{Source: source, Fields: fields, OnBatch: func(d *Delivery) error {
		for i := 0; i < d.Len(); i++ {
			if err := fn(d.Copy(i)); err != nil {
				return err
			}
		}
		return nil
	}})
}

// Run opens every subscribed source and streams each in its own goroutine
// until all reach EOF (nil), ctx is done (ctx.Err()), or one fails (its
// error; the others are stopped). Every stream, extractor and goroutine is
// released before Run returns. A Bus runs once.
func (b *Bus) Run(ctx context.Context) error {
	if b.running {
		return errors.New("eventbus: Run called twice")
	}
	b.running = true
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for _, name := range b.order {
		p := b.sources[name]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.runPipeline(ctx, p); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

func (b *Bus) runPipeline(ctx context.Context, p *pipeline) error {
	states := map[*loader.Plugin]*loader.State{}
	defer func() {
		for _, s := range states {
			s.Destroy()
		}
	}()
	stateOf := func(plugin *loader.Plugin) (*loader.State, error) {
		if s, ok := states[plugin]; ok {
			return s, nil
		}
		s, err := plugin.Init(b.cfg.InitConfig[plugin.Name])
		if err != nil {
			return nil, err
		}
		states[plugin] = s
		return s, nil
	}
	srcState, err := stateOf(p.plugin)
	if err != nil {
		return err
	}
	for _, e := range p.extractors {
		state, err := stateOf(e.plugin)
		if err != nil {
			return err
		}
		x, err := capability.NewExtractor(state, p.source, e.fields, capability.ExtractOptions{ValueOffsets: b.cfg.ValueOffsets})
		if err != nil {
			return err
		}
		e.x = x
		defer x.Close()
	}
	stateFn := filter.States(stateOf)
	for _, r := range p.filters {
		ev, err := r.f.NewEvaluator(stateFn)
		if err != nil {
			return err
		}
		r.ev = ev
		defer ev.Close()
	}
	for _, r := range p.formats {
		fm, err := r.f.NewFormatter(stateFn)
		if err != nil {
			return err
		}
		r.fm = fm
		defer fm.Close()
	}
	src, err := capability.NewSource(srcState)
	if err != nil {
		return err
	}
	st, err := src.Open(b.cfg.OpenParams[p.source])
	if err != nil {
		return err
	}
	defer st.Close()
	d := &Delivery{results: make([]*capability.Results, len(p.extractors)), formats: p.formats}
	for {
		err := st.Next(ctx, func(batch *capability.Batch) error {
			return p.deliver(d, batch)
		})
		switch {
		case errors.Is(err, capability.EOF):
			return nil
		case err != nil:
			return err
		}
	}
}

// deliver evaluates each distinct filter and extracts once per extractor,
// then lends the batch to every subscriber, narrowed to the events its
// filter matched. If an evaluation or an extraction fails at event k,
// subscribers still get what came before k, then the error stops the
// pipeline.
func (p *pipeline) deliver(d *Delivery, batch *capability.Batch) error {
	d.batch, d.n = batch, batch.Len()
	var stageErr error
	note := func(err error) {
		if err != nil && stageErr == nil {
			stageErr = err
		}
	}
	for _, r := range p.filters {
		r.match, r.err = r.ev.Eval(batch)
		note(r.err)
	}
	for k, e := range p.extractors {
		res, err := e.x.ExtractBatch(batch)
		d.results[k] = res
		note(err)
		if res.Len() < d.n {
			d.n = res.Len()
		}
	}
	all := d.n
	for _, s := range p.subs {
		d.refs, d.index, d.n, d.subFormats = s.refs, nil, all, s.formatters
		if s.eval >= 0 {
			d.index = p.filters[s.eval].match
			k := len(d.index)
			for k > 0 && int(d.index[k-1]) >= all {
				k--
			}
			d.index, d.n = d.index[:k], k
		}
		for _, k := range s.formatters {
			note(p.formats[k].fm.Extract(batch, d.index))
		}
		if d.n == 0 && s.eval >= 0 {
			continue
		}
		if err := s.sub.OnBatch(d); err != nil {
			return err
		}
	}
	return stageErr
}

// Delivery is one batch lent to a subscriber with the values of its
// fields: every event of the batch, or only those its filter matched.
type Delivery struct {
	batch      *capability.Batch
	n          int
	index      []int32 // delivered event -> batch index; nil: identity
	results    []*capability.Results
	refs       []fieldRef
	formats    []*formatRun
	subFormats []int
}

// Len is the number of events.
func (d *Delivery) Len() int { return d.n }

// BatchIndex is the position of delivered event i in its batch.
func (d *Delivery) BatchIndex(i int) int {
	if d.index == nil {
		return i
	}
	return int(d.index[i])
}

// Event returns event i, valid during OnBatch.
func (d *Delivery) Event(i int) capability.Event { return d.batch.Event(d.BatchIndex(i)) }

// Value returns the value of the subscriber's field f (its index in
// Subscriber.Fields) for event i, valid during OnBatch.
func (d *Delivery) Value(i, f int) capability.Value {
	r := d.refs[f]
	return d.results[r.extractor].Value(d.BatchIndex(i), r.req)
}

// AppendText appends Subscriber.Formats[k] rendered for event i to dst
// (see filter.Formatter.AppendText).
func (d *Delivery) AppendText(dst []byte, i, k int) ([]byte, bool) {
	return d.formats[d.subFormats[k]].fm.AppendText(dst, d.BatchIndex(i))
}

// AppendJSON appends Subscriber.Formats[k] rendered as JSON for event i.
func (d *Delivery) AppendJSON(dst []byte, i, k int) ([]byte, bool) {
	return d.formats[d.subFormats[k]].fm.AppendJSON(dst, d.BatchIndex(i))
}

// Record is an event with its field values, owned by the receiver.
type Record struct {
	Event  capability.OwnedEvent
	Values []any // one per subscriber field; nil when the field has no value
}

// Copy returns event i and its values as a Record.
func (d *Delivery) Copy(i int) Record {
	rec := Record{Event: d.Event(i).Copy(), Values: make([]any, len(d.refs))}
	for f := range d.refs {
		rec.Values[f] = d.Value(i, f).Any()
	}
	return rec
}
