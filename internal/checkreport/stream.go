package checkreport

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

// Stream is what the stream check read from a plugin's event source. When
// the process died while streaming (see Options.BeforeStep), the counts are
// unknown and left at 0, and Errors says where it died.
type Stream struct {
	// Events is how many events were read and validated: at most
	// Options.Events; on an error, those before the failing one.
	Events uint64 `json:"events"`
	// FieldsExtracted counts the values present (the plugin returned at
	// least one value, res_len > 0) over every event read and every field
	// requested.
	FieldsExtracted uint64 `json:"fields_extracted"`
	// EOF is set when the plugin reported the end of its events before
	// Options.Events were read.
	EOF bool `json:"eof"`
	// Errors are the failures that ended the stream (empty when none).
	Errors []string `json:"errors"`
}

// Summary describes the stream in one line: "5 events, 15 values
// extracted", then ", eof" and ", N errors" when they apply.
func (s *Stream) Summary() string {
	msg := fmt.Sprintf("%d %s, %d %s extracted", s.Events, plural(s.Events, "event"), s.FieldsExtracted, plural(s.FieldsExtracted, "value"))
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

// runStream opens state's source with params and reads up to limit events,
// extracting StreamFields from each with one Extractor, one ExtractBatch
// per batch. The loop allocates nothing per event and reads values with
// Results.Column, a couple of loads per value.
// ctx ending stops the stream with an error.
func runStream(ctx context.Context, state *loader.State, limit int, params string) (*Stream, CheckResult) {
	rep := &Stream{Errors: []string{}}
	p := state.Plugin()
	fail := func(err error) (*Stream, CheckResult) {
		rep.Errors = append(rep.Errors, err.Error())
		return rep, CheckResult{Name: string(CheckStream), Status: Fail, Message: err.Error()}
	}

	src, err := capability.NewSource(state)
	if err != nil {
		return fail(err)
	}
	st, err := src.Open(params)
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

	want := uint64(limit)
	var events, present uint64
	// One callback for every batch: Next lends the batch, ExtractBatch
	// fills the extractor's reused buffers, and values are only counted.
	read := func(b *capability.Batch) error {
		take := min(uint64(b.Len()), want-events)
		if x == nil {
			events += take
			return nil
		}
		// The batch is the unit, as in the library: the capability layer
		// validated all of it, and it is extracted whole. Only the events
		// up to the limit count, but a failure anywhere in it fails the
		// stream, as a malformed event past the limit does.
		res, err := x.ExtractBatch(b)
		done := int(min(uint64(res.Len()), take))
		for r := range nreq {
			col, n := res.Column(r), uint64(0)
			for i := range done {
				if col.Count(i) > 0 {
					n++
				}
			}
			present += n
		}
		events += uint64(done)
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
	if streamErr != nil {
		return fail(streamErr)
	}

	msg := fmt.Sprintf("read %d %s", events, plural(events, "event"))
	if rep.EOF {
		msg += " (eof)"
	} else {
		msg += " (limit reached)"
	}
	if note != "" {
		msg += "; " + note
	} else {
		msg += fmt.Sprintf(", extracted %d %s", present, plural(present, "value"))
	}
	return rep, CheckResult{Name: string(CheckStream), Status: Pass, Message: msg}
}

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
