package eventbus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// Pipeline is one open source's pipeline as seen by a subscriber.
type Pipeline struct {
	bus    *Bus
	source string
	plugin *loader.Plugin

	// Set by Subscribe, read-only during Run.
	extractors []*extractorSpec
	subs       []*subscription
	filters    []*filterRun
	formats    []*formatRun

	mu        sync.Mutex // guards states, initOrder and live
	states    map[*loader.Plugin]*loader.State
	initOrder []*loader.State
	live      bool // between Run's first init and the destruction of the states

	stream          *capability.Stream // the pipeline goroutine's; set once open
	events, batches atomic.Uint64
}

// fieldRef locates a subscriber field: extractor k, request r.
type fieldRef struct{ extractor, req int }

// fieldIndex maps a subscriber's field names to their positions; its
// Deliveries and Records share it.
type fieldIndex struct {
	names []string
	pos   map[string]int // the first position of each name
}

type subscription struct {
	sub        Subscriber
	refs       []fieldRef
	fields     *fieldIndex
	eval       int   // index in Pipeline.filters, -1 without a filter
	formatters []int // index in Pipeline.formats of each Subscriber.Formats entry
}

// extracts reports whether the subscription needs any extraction.
func (s *subscription) extracts() bool {
	return len(s.refs) > 0 || s.eval >= 0 || len(s.formatters) > 0
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

// Source is the event source the pipeline reads.
func (p *Pipeline) Source() string { return p.source }

// SourcePlugin is the plugin whose stream the pipeline reads.
func (p *Pipeline) SourcePlugin() *loader.Plugin { return p.plugin }

// States gives the pipeline's initialized state of each plugin, as State
// does; an Evaluator or Formatter built on it must be closed before the
// pipeline's Close hooks return.
func (p *Pipeline) States() filter.States { return p.State }

// State returns the pipeline's state of pl, the one its stream and
// extractors use. For a plugin the pipeline does not use yet (an extractor
// only a rule needs) it initializes one with pl's Config.InitConfig; the
// bus owns it and destroys it at the end of Run. It may be called from any
// goroutine while the pipeline runs; calls on the state itself from
// another goroutine than the pipeline's are safe only as far as the
// plugin's own locking goes (Falco calls set_config and get_metrics from
// other threads too).
func (p *Pipeline) State(pl *loader.Plugin) (*loader.State, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pl == nil {
		return nil, &Error{Kind: ErrUnknownPlugin, Source: p.source, Msg: fmt.Sprintf("source '%s': nil plugin", p.source)}
	}
	if !p.live {
		return nil, &Error{Kind: ErrPipelineClosed, Source: p.source, Plugin: pl.Name,
			Msg: fmt.Sprintf("source '%s': plugin '%s': the pipeline is not running", p.source, pl.Name)}
	}
	if s, ok := p.states[pl]; ok {
		return s, nil
	}
	if reg, ok := p.bus.cfg.Registry.ByName(pl.Name); !ok || reg != pl {
		return nil, &Error{Kind: ErrUnknownPlugin, Source: p.source, Plugin: pl.Name,
			Msg: fmt.Sprintf("source '%s': plugin '%s' is not in the registry", p.source, pl.Name)}
	}
	s, err := pl.Init(p.bus.cfg.InitConfig[pl.Name])
	if err != nil {
		return nil, &Error{Kind: ErrInit, Source: p.source, Plugin: pl.Name,
			Msg: fmt.Sprintf("source '%s': plugin '%s': init", p.source, pl.Name), Err: err}
	}
	p.states[pl] = s
	p.initOrder = append(p.initOrder, s)
	return s, nil
}

// Progress is the source plugin's get_progress for the open stream (see
// capability.Stream.Progress); ok is false before the stream is open.
// Call it only from the pipeline's goroutine: Open, OnBatch or Close.
func (p *Pipeline) Progress() (pct uint32, text string, ok bool, err error) {
	if p.stream == nil {
		return 0, "", false, nil
	}
	return p.stream.Progress()
}

func (p *Pipeline) subscribe(s Subscriber, resolved []registry.Resolved) {
	sub := &subscription{sub: s, eval: -1, fields: &fieldIndex{names: slices.Clone(s.Fields), pos: map[string]int{}}}
	if s.Filter != nil {
		sub.eval = indexOrAdd(&p.filters, func(r *filterRun) bool { return r.f == s.Filter }, &filterRun{f: s.Filter})
	}
	for _, f := range s.Formats {
		sub.formatters = append(sub.formatters, indexOrAdd(&p.formats, func(r *formatRun) bool { return r.f == f }, &formatRun{f: f}))
	}
	for i, res := range resolved {
		text := s.Fields[i]
		k := indexOrAdd(&p.extractors, func(e *extractorSpec) bool { return e.plugin == res.Plugin },
			&extractorSpec{plugin: res.Plugin, index: map[string]int{}})
		spec := p.extractors[k]
		r, ok := spec.index[text]
		if !ok {
			r = len(spec.fields)
			spec.fields = append(spec.fields, text)
			spec.index[text] = r
		}
		sub.refs = append(sub.refs, fieldRef{k, r})
		if _, dup := sub.fields.pos[text]; !dup {
			sub.fields.pos[text] = i
		}
	}
	p.subs = append(p.subs, sub)
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

// destroyStates ends the pipeline's life: later State calls fail.
func (p *Pipeline) destroyStates() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.live = false
	for _, s := range slices.Backward(p.initOrder) {
		s.Destroy()
	}
	p.states, p.initOrder = nil, nil
}

func (p *Pipeline) openErr(plugin, what string, err error) error {
	return &Error{Kind: ErrOpen, Source: p.source, Plugin: plugin,
		Msg: fmt.Sprintf("source '%s': %s", p.source, what), Err: err}
}

// run is the pipeline's goroutine. Deferred calls release in reverse:
// Close hooks, then the stream, formatters, evaluators, extractors, and
// last the plugin states.
func (p *Pipeline) run(ctx context.Context) error {
	p.mu.Lock()
	p.states, p.live = map[*loader.Plugin]*loader.State{}, true
	p.mu.Unlock()
	defer p.destroyStates()

	srcState, err := p.State(p.plugin)
	if err != nil {
		return err
	}
	for _, e := range p.extractors {
		state, err := p.State(e.plugin)
		if err != nil {
			return err
		}
		x, err := capability.NewExtractor(state, p.source, e.fields, capability.ExtractOptions{ValueOffsets: p.bus.cfg.ValueOffsets})
		if err != nil {
			return p.openErr(e.plugin.Name, fmt.Sprintf("plugin '%s': extractor", e.plugin.Name), err)
		}
		e.x = x
		defer x.Close()
	}
	for _, r := range p.filters {
		ev, err := r.f.NewEvaluator(p.States())
		if err != nil {
			return p.openErr("", fmt.Sprintf("filter '%s'", r.f.String()), err)
		}
		r.ev = ev
		defer ev.Close()
	}
	for _, r := range p.formats {
		fm, err := r.f.NewFormatter(p.States())
		if err != nil {
			return p.openErr("", fmt.Sprintf("format '%s'", r.f.Text()), err)
		}
		r.fm = fm
		defer fm.Close()
	}
	src, err := capability.NewSource(srcState)
	if err != nil {
		return p.openErr(p.plugin.Name, fmt.Sprintf("plugin '%s': open", p.plugin.Name), err)
	}
	st, err := src.Open(p.bus.cfg.OpenParams[p.source])
	if err != nil {
		return p.openErr(p.plugin.Name, fmt.Sprintf("plugin '%s': open", p.plugin.Name), err)
	}
	p.stream = st
	defer func() {
		st.Close()
		p.stream = nil
	}()

	var opened []*subscription
	defer func() {
		for _, s := range slices.Backward(opened) {
			if s.sub.Close != nil {
				s.sub.Close(p)
			}
		}
	}()
	for _, s := range p.subs {
		if s.sub.Open != nil {
			if err := s.sub.Open(p); err != nil {
				return p.subscriberErr("Open", err)
			}
		}
		opened = append(opened, s)
	}

	d := &Delivery{pipe: p, results: make([]*capability.Results, len(p.extractors))}
	for {
		err := st.Next(ctx, func(batch *capability.Batch) error {
			p.batches.Add(1)
			p.events.Add(uint64(batch.Len()))
			return p.deliver(d, batch)
		})
		var own *Error
		switch {
		case err == nil:
		case errors.Is(err, capability.EOF):
			return nil
		case errors.As(err, &own):
			return err
		case ctx.Err() != nil && errors.Is(err, ctx.Err()):
			return err
		default:
			return p.streamErr(err)
		}
	}
}

// subscriberErr wraps the error a hook returned, unless it is the bus's
// own (a failed State call), which already names what failed.
func (p *Pipeline) subscriberErr(hook string, err error) error {
	var own *Error
	if errors.As(err, &own) {
		return err
	}
	return &Error{Kind: ErrSubscriber, Source: p.source, Msg: fmt.Sprintf("source '%s': %s", p.source, hook), Err: err}
}

// streamErr wraps a failure while reading, naming the plugin at fault.
func (p *Pipeline) streamErr(err error) error {
	e := &Error{Kind: ErrStream, Source: p.source, Msg: fmt.Sprintf("source '%s'", p.source), Err: err}
	var ce *capability.Error
	if errors.As(err, &ce) {
		e.Plugin = ce.Plugin
	}
	return e
}

// deliver evaluates each distinct filter and extracts once per extractor,
// then lends the batch to every subscriber, narrowed to the events its
// filter matched. If an evaluation or an extraction fails at event k,
// subscribers still get what came before k (a subscriber that extracts
// nothing gets the whole batch), then the error stops the pipeline.
func (p *Pipeline) deliver(d *Delivery, batch *capability.Batch) error {
	d.batch = batch
	var stageErr error
	note := func(err error) {
		if err != nil && stageErr == nil {
			stageErr = p.streamErr(err)
		}
	}
	for _, r := range p.filters {
		r.match, r.err = r.ev.Eval(batch)
		note(r.err)
	}
	extracted := batch.Len()
	for k, e := range p.extractors {
		res, err := e.x.ExtractBatch(batch)
		d.results[k] = res
		note(err)
		extracted = min(extracted, res.Len())
	}
	for _, s := range p.subs {
		d.sub, d.index, d.n = s, nil, batch.Len()
		if s.extracts() {
			d.n = extracted
		}
		if s.eval >= 0 {
			d.index = p.filters[s.eval].match
			k := len(d.index)
			for k > 0 && int(d.index[k-1]) >= extracted {
				k--
			}
			d.index, d.n = d.index[:k], k
		}
		for _, k := range s.formatters {
			note(p.formats[k].fm.Extract(batch, d.index))
		}
		if s.sub.OnBatch == nil || (d.n == 0 && s.eval >= 0) {
			continue
		}
		if err := s.sub.OnBatch(d); err != nil {
			return p.subscriberErr("OnBatch", err)
		}
	}
	d.batch, d.sub = nil, nil
	return stageErr
}
