package checkreport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
	"github.com/plughost/plughost/registry"
)

// Stream is what the stream check read from a plugin's event source. When
// the process died while streaming (see Options.BeforeStep), the counts are
// unknown and left at 0, and Errors says where it died.
type Stream struct {
	// Events is how many events were read and validated: at most
	// Options.Events; on an error, those before the failing one.
	Events uint64 `json:"events"`
	// Matched is how many of the events read matched Options.Filter; nil
	// without a filter.
	Matched *uint64 `json:"matched,omitempty"`
	// FieldsExtracted counts the values present (the plugin returned at
	// least one value, res_len > 0) over every event read and every field
	// requested.
	FieldsExtracted uint64 `json:"fields_extracted"`
	// EOF is set when the plugin reported the end of its events before
	// Options.Events were read.
	EOF bool `json:"eof"`
	// Errors are the failures that ended the stream (empty when none).
	Errors []string `json:"errors"`
	// Filter is Options.Filter, when given.
	Filter string `json:"filter,omitempty"`
	// Output is Options.Output, when given, as given.
	Output string `json:"output,omitempty"`
	// Outputs are, with Options.OutputJSON, the first Options.MaxOutputs
	// events that matched (every event read, without a filter) formatted
	// with Output as JSON objects (filter.Formatter.AppendJSON); empty but
	// not nil when Output is given and nothing was kept.
	Outputs []json.RawMessage `json:"outputs,omitzero"`
	// Lines are the same without Options.OutputJSON: the events formatted
	// with Output as text (filter.Formatter.AppendText). Invalid UTF-8 in
	// Lines and Outputs is replaced by U+FFFD, so that the report
	// round-trips through JSON (plugincheck's child processes).
	Lines []string `json:"lines,omitzero"`
	// OutputsDropped counts the formatted events that were not kept in
	// Outputs or Lines: those past Options.MaxOutputs, or past
	// MaxOutputBytes of output in all.
	OutputsDropped uint64 `json:"outputs_dropped,omitempty"`
}

// MaxOutputBytes bounds the output a stream report keeps (Stream.Outputs
// or Stream.Lines), whatever Options.MaxOutputs is: the report must fit in
// what plugincheck reads of a child process.
const MaxOutputBytes = 1 << 20

// Summary describes the stream in one line: "5 events, 15 values
// extracted" ("5 events, 2 matched, 15 values extracted" with a filter),
// then ", eof" and ", N errors" when they apply.
func (s *Stream) Summary() string {
	msg := fmt.Sprintf("%d %s", s.Events, plural(s.Events, "event"))
	if s.Matched != nil {
		msg += fmt.Sprintf(", %d matched", *s.Matched)
	}
	msg += fmt.Sprintf(", %d %s extracted", s.FieldsExtracted, plural(s.FieldsExtracted, "value"))
	if s.EOF {
		msg += ", eof"
	}
	if n := uint64(len(s.Errors)); n > 0 {
		msg += fmt.Sprintf(", %d %s", n, plural(n, "error"))
	}
	return msg
}

func (s *Stream) clone() *Stream {
	if s == nil {
		return nil
	}
	c := *s
	c.Errors = slices.Clone(s.Errors)
	if s.Matched != nil {
		m := *s.Matched
		c.Matched = &m
	}
	c.Outputs = slices.Clone(s.Outputs)
	c.Lines = slices.Clone(s.Lines)
	return &c
}

func plural(n uint64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// streamDied is the stream check's message if the process dies during it.
const streamDied = "the process died while streaming (plugin_open, plugin_next_batch, plugin_extract_fields or plugin_close)"

// StreamFields returns the fields the stream check extracts from p's events:
// every field that takes no required argument, requested without one. It is
// nil when p has no extraction capability or does not extract from its own
// event source.
func StreamFields(p *loader.Plugin) []string {
	if !extractsOwnEvents(p) {
		return nil
	}
	var fields []string
	for _, f := range p.Fields {
		if !f.Arg.IsRequired {
			fields = append(fields, f.Name)
		}
	}
	return fields
}

// extractsOwnEvents reports whether p extracts fields from the events it
// produces: it has both capabilities and its extract sources are all
// sources (empty) or include its own.
func extractsOwnEvents(p *loader.Plugin) bool {
	return p.Has(pluginapi.CapSourcing) && p.Has(pluginapi.CapExtraction) &&
		(len(p.ExtractEventSources) == 0 || slices.Contains(p.ExtractEventSources, p.EventSource))
}

// runStream opens state's source with opts.OpenParams and reads up to
// opts.Events events, extracting StreamFields from each with one
// Extractor, one ExtractBatch per batch. With opts.Filter, a
// filter.Evaluator decides each batch (its fields extracted lazily, one
// FFI transition per batch and field) and the matches among the events
// read are counted; with opts.Output, a filter.Formatter renders the
// matching events (every event read, without a filter), and the first
// opts.MaxOutputs are kept. The loop allocates nothing per event but the
// output it keeps, and reads values with Results.Column, a couple of
// loads per value. ctx ending stops the stream with an error.
func runStream(ctx context.Context, state *loader.State, opts Options) (*Stream, CheckResult) {
	rep := &Stream{Errors: []string{}, Filter: opts.Filter, Output: opts.Output}
	p := state.Plugin()
	fail := func(err error) (*Stream, CheckResult) {
		rep.Errors = append(rep.Errors, err.Error())
		return rep, CheckResult{Name: string(CheckStream), Status: Fail, Message: err.Error()}
	}

	// The filter and the format first: they fail before plugin_open.
	ev, fm, err := compileStream(state, opts)
	if ev != nil {
		defer ev.Close()
	}
	if fm != nil {
		defer fm.Close()
	}
	if err != nil {
		return fail(err)
	}
	var matched uint64
	if ev != nil {
		rep.Matched = &matched
	}
	var out *outputs
	if fm != nil {
		out = &outputs{fm: fm, json: opts.OutputJSON, max: max(0, opts.MaxOutputs)}
		if out.json {
			rep.Outputs = []json.RawMessage{}
		} else {
			rep.Lines = []string{}
		}
	}

	src, err := capability.NewSource(state)
	if err != nil {
		return fail(err)
	}
	st, err := src.Open(opts.OpenParams)
	if err != nil {
		return fail(err)
	}
	defer st.Close()

	note := "" // why nothing was extracted, if so
	var x *capability.Extractor
	nreq := 0
	switch fields := StreamFields(p); {
	case !p.Has(pluginapi.CapExtraction):
		note = "no extraction capability"
	case !extractsOwnEvents(p):
		note = fmt.Sprintf("not extracted: the plugin extracts from %s only", quoteList(p.ExtractEventSources))
	case len(fields) == 0:
		note = "no field without a required argument"
	default:
		x, err = capability.NewExtractor(state, p.EventSource, fields, capability.ExtractOptions{})
		if err != nil {
			return fail(err)
		}
		defer x.Close()
		nreq = len(fields)
	}

	want := uint64(opts.Events)
	var events, present uint64
	var all []int32 // 0, 1, 2...: the events read of a batch, without a filter
	// One callback for every batch: Next lends the batch, ExtractBatch
	// fills the extractor's reused buffers, and values are only counted.
	read := func(b *capability.Batch) error {
		take := int(min(uint64(b.Len()), want-events))
		done := take
		var err error
		if x != nil {
			// The capability layer validated the whole batch, but only
			// the events up to the limit are extracted: a batch of 10^8
			// events for --events 1 costs one extraction.
			var res *capability.Results
			var xerr error
			if take < b.Len() {
				for len(all) < take {
					all = append(all, int32(len(all)))
				}
				res, xerr = x.ExtractSome(b, all[:take])
				var ce *capability.Error
				if errors.As(xerr, &ce) && ce.Event >= 0 {
					done = min(done, ce.Event)
				}
			} else {
				res, xerr = x.ExtractBatch(b)
				done = min(res.Len(), take)
			}
			for r := range nreq {
				col, n := res.Column(r), uint64(0)
				for i := range done {
					if col.Count(i) > 0 {
						n++
					}
				}
				present += n
			}
			err = xerr
		}
		events += uint64(done)
		if ev == nil && out == nil {
			return err
		}
		var sel []int32
		if ev != nil {
			m, ferr := ev.EvalN(b, done)
			sel = m[:below(m, done)]
			matched += uint64(len(sel))
			if err == nil {
				err = ferr
			}
		} else {
			for len(all) < done {
				all = append(all, int32(len(all)))
			}
			sel = all[:done]
		}
		if out != nil {
			if oerr := out.add(b, sel); err == nil {
				err = oerr
			}
		}
		return err
	}
	var streamErr error
	for events < want {
		if err := st.Next(ctx, read); err != nil {
			switch {
			case errors.Is(err, capability.EOF):
				rep.EOF = true
			case ctx.Err() != nil && errors.Is(err, ctx.Err()):
				streamErr = fmt.Errorf("interrupted after %d events: %w", events, err)
			default:
				streamErr = err
			}
			break
		}
	}
	rep.Events, rep.FieldsExtracted = events, present
	if out != nil {
		rep.OutputsDropped = out.dropped
		if out.json {
			rep.Outputs = append(rep.Outputs, out.objects...)
		} else {
			rep.Lines = append(rep.Lines, out.lines...)
		}
	}
	if streamErr != nil {
		return fail(streamErr)
	}

	msg := fmt.Sprintf("read %d %s", events, plural(events, "event"))
	if rep.EOF {
		msg += " (eof)"
	} else {
		msg += " (limit reached)"
	}
	if ev != nil {
		msg += fmt.Sprintf(", %d matched the filter", matched)
	}
	if note != "" {
		msg += "; " + note
	} else {
		msg += fmt.Sprintf(", extracted %d %s", present, plural(present, "value"))
	}
	return rep, CheckResult{Name: string(CheckStream), Status: Pass, Message: msg}
}

// below returns how many of the ascending indices sel are below n.
func below(sel []int32, n int) int {
	k := len(sel)
	for k > 0 && int(sel[k-1]) >= n {
		k--
	}
	return k
}

// compileStream compiles opts.Filter and opts.Output for the plugin's own
// event source, against a registry holding only that plugin, and binds
// them to state. A compile error is worded by ExprError.
func compileStream(state *loader.State, opts Options) (*filter.Evaluator, *filter.Formatter, error) {
	if opts.Filter == "" && opts.Output == "" {
		return nil, nil, nil
	}
	p := state.Plugin()
	reg := registry.New()
	if err := reg.Add(p); err != nil {
		return nil, nil, err
	}
	env := filter.Env{Registry: reg, Source: p.EventSource, MaxDepth: FilterMaxDepth}
	states := func(q *loader.Plugin) (*loader.State, error) {
		if q != p {
			return nil, fmt.Errorf("plugin '%s' is not the one checked", q.Name)
		}
		return state, nil
	}
	var ev *filter.Evaluator
	if opts.Filter != "" {
		f, err := filter.Compile(opts.Filter, env)
		if err != nil {
			return nil, nil, errors.New(ExprError("--filter", opts.Filter, err))
		}
		if ev, err = f.NewEvaluator(states); err != nil {
			return nil, nil, fmt.Errorf("--filter: %w", err)
		}
	}
	if opts.Output == "" {
		return ev, nil, nil
	}
	format, shift := OutputFormat(opts.Output)
	f, err := filter.CompileFormat(format, env)
	if err != nil {
		return ev, nil, errors.New(ExprError("--output", opts.Output, unshift(err, shift)))
	}
	fm, err := f.NewFormatter(states)
	if err != nil {
		return ev, nil, fmt.Errorf("--output: %w", err)
	}
	return ev, fm, nil
}

// OutputFormat is the format that an output given as text is compiled
// with, and how many bytes it adds in front. Falco prints a rule's output
// with a leading '*', so that a missing value prints as <NA> instead of
// cutting the line short; so does plugincheck, unless text already starts
// with '*' (or is empty, which is an error).
func OutputFormat(text string) (format string, shift int) {
	if text == "" || text[0] == '*' {
		return text, 0
	}
	return "*" + text, 1
}

// unshift moves the position of a format error back by the shift bytes
// OutputFormat prepended (on the first line, so columns move too).
func unshift(err error, shift int) error {
	var ce *filter.CompileError
	if shift == 0 || !errors.As(err, &ce) {
		return err
	}
	c := *ce
	c.Offset = max(0, c.Offset-shift)
	if c.Line == 1 {
		c.Col = max(1, c.Col-shift)
	}
	return &c
}

// outputs keeps the formatted events of a stream.
type outputs struct {
	fm      *filter.Formatter
	json    bool
	max     int
	bytes   int
	buf     []byte
	objects []json.RawMessage
	lines   []string
	dropped uint64
}

// add formats the events sel of b (ascending batch indices), keeping
// them while there is room. On an extraction failure at event k, the
// events before k are formatted and the error returned.
func (o *outputs) add(b *capability.Batch, sel []int32) error {
	if len(sel) == 0 {
		return nil
	}
	if o.len() >= o.max || o.bytes >= MaxOutputBytes {
		// Nothing more is kept: count, without extracting.
		o.dropped += uint64(len(sel))
		return nil
	}
	err := o.fm.Extract(b, sel)
	if err != nil {
		k := int(sel[0])
		var ce *capability.Error
		if errors.As(err, &ce) && ce.Event >= 0 {
			k = ce.Event
		}
		sel = sel[:below(sel, k)]
	}
	for n, i := range sel {
		if o.len() >= o.max || o.bytes >= MaxOutputBytes {
			o.dropped += uint64(len(sel) - n)
			break
		}
		if o.json {
			o.buf, _ = o.fm.AppendJSON(o.buf[:0], int(i))
			o.objects = append(o.objects, json.RawMessage(bytes.ToValidUTF8(o.buf, []byte("\ufffd"))))
		} else {
			o.buf, _ = o.fm.AppendText(o.buf[:0], int(i))
			o.lines = append(o.lines, strings.ToValidUTF8(string(o.buf), "\uFFFD"))
		}
		o.bytes += len(o.buf)
	}
	return err
}

func (o *outputs) len() int { return len(o.objects) + len(o.lines) }

// quoteList renders sources as 'a', 'b'.
func quoteList(list []string) string {
	s := ""
	for i, v := range list {
		if i > 0 {
			s += ", "
		}
		s += "'" + v + "'"
	}
	return s
}
