package capability

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/internal/plugstate"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

// EOF is returned by Stream.Next once the plugin has reported the end of
// its events and every event has been delivered.
var EOF = io.EOF

// Source is the sourcing capability of an initialized plugin.
type Source struct {
	state  *loader.State
	plugin *loader.Plugin
	raw    plugstate.Raw
}

// NewSource wraps state; the plugin must have the sourcing capability.
func NewSource(state *loader.State) (*Source, error) {
	p := state.Plugin()
	if !p.Has(pluginapi.CapSourcing) {
		return nil, &Error{Plugin: p.Name, Event: -1, Msg: "plugin has no sourcing capability", Kind: ErrCapability}
	}
	raw, _ := plugstate.Resolve(state)
	return &Source{state: state, plugin: p, raw: raw}, nil
}

// Plugin returns the plugin behind the source.
func (s *Source) Plugin() *loader.Plugin { return s.plugin }

func (s *Source) fail(symbol string, kind error, format string, args ...any) error {
	return &Error{Plugin: s.plugin.Name, Symbol: symbol, Event: -1, Msg: fmt.Sprintf(format, args...), Kind: kind}
}

// OpenParam is one suggestion of list_open_params.
type OpenParam struct {
	Value     string `json:"value"`
	Desc      string `json:"desc"`
	Separator string `json:"separator"`
}

// OpenParams calls list_open_params and validates its JSON: an array of
// {value, desc, separator} objects. nil when the plugin does not list any.
func (s *Source) OpenParams() ([]OpenParam, error) {
	if s.raw.API.ListOpenParams == 0 {
		return nil, nil
	}
	js, ok, rc := s.raw.API.CallListOpenParams(s.raw.Handle)
	if rc != pluginapi.RcSuccess {
		return nil, s.fail("plugin_list_open_params", ErrOpenParams, "%s: %s", rc, s.raw.API.LastErrorOr(s.raw.Handle, ""))
	}
	if !ok || js == "" {
		return nil, nil
	}
	params, err := ParseOpenParams(js)
	if err != nil {
		return nil, s.fail("plugin_list_open_params", ErrOpenParams, "%v", err)
	}
	return params, nil
}

// ParseOpenParams validates list_open_params JSON: an array of objects with
// a non-empty string value and optional string desc and separator.
func ParseOpenParams(js string) ([]OpenParam, error) {
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		return nil, fmt.Errorf("did not return a JSON array of objects: %v", err)
	}
	if raw == nil {
		return nil, fmt.Errorf("did not return a JSON array of objects: %s", strings.TrimSpace(js))
	}
	params := make([]OpenParam, len(raw))
	for i, obj := range raw {
		for key, dst := range map[string]*string{"value": &params[i].Value, "desc": &params[i].Desc, "separator": &params[i].Separator} {
			v, ok := obj[key]
			if !ok {
				continue
			}
			if err := json.Unmarshal(v, dst); err != nil {
				return nil, fmt.Errorf("entry %d: '%s' is not a string", i, key)
			}
		}
		if params[i].Value == "" {
			return nil, fmt.Errorf("entry %d has no value", i)
		}
	}
	return params, nil
}

// Open calls plugin_open with params and returns the stream of events.
func (s *Source) Open(params string) (*Stream, error) {
	inst, rc := s.raw.API.CallOpen(s.raw.Handle, params)
	if rc != pluginapi.RcSuccess || inst == 0 {
		msg := s.raw.API.LastErrorOr(s.raw.Handle, "")
		if inst == 0 && rc == pluginapi.RcSuccess {
			msg = "returned SS_PLUGIN_SUCCESS with a NULL instance"
		}
		if inst != 0 {
			s.raw.API.CallClose(s.raw.Handle, inst)
		}
		return nil, s.fail("plugin_open", ErrOpen, "%s", msg)
	}
	st := &Stream{src: s, inst: inst, out: ffi.NewNextBatchOut(), lease: &lease{}, now: nowNanos}
	st.batch.stream = st
	return st, nil
}

func nowNanos() uint64 { return uint64(time.Now().UnixNano()) }

// Stream is an open instance of a source. It is not safe for concurrent
// use: one goroutine reads it, as libscap does.
type Stream struct {
	src    *Source
	inst   uintptr
	out    ffi.NextBatchOut
	lease  *lease
	batch  Batch
	evtnum uint64
	eof    bool
	closed bool
	now    func() uint64

	// Backoff bounds the sleep after a TIMEOUT with no events.
	backoff time.Duration
}

const (
	minBackoff = 50 * time.Microsecond
	maxBackoff = 10 * time.Millisecond
)

// Next reads the next non-empty batch and lends it to fn. The Batch and its
// Events are valid only until fn returns: use Event.Copy to keep one.
// Following libscap, events arrive with SUCCESS, TIMEOUT and EOF alike;
// TIMEOUT with no events waits (with backoff, honouring ctx) and asks
// again; after EOF, Next returns EOF. A malformed event at index k fails the
// batch: fn first receives events 0..k-1, then Next returns the error.
func (st *Stream) Next(ctx context.Context, fn func(*Batch) error) error {
	if st.closed {
		return st.src.fail("plugin_next_batch", ErrClosed, "stream is closed")
	}
	api, handle := st.src.raw.API, st.src.raw.Handle
	for {
		if st.eof {
			return EOF
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		n, evts, rc := api.CallNextBatch(handle, st.inst, st.out)
		switch rc {
		case pluginapi.RcSuccess, pluginapi.RcTimeout, pluginapi.RcEOF:
		case pluginapi.RcFailure:
			return st.src.fail("plugin_next_batch", ErrNextBatch, "%s", api.LastErrorOr(handle, "SS_PLUGIN_FAILURE"))
		default:
			return st.src.fail("plugin_next_batch", ErrNextBatch, "returned unexpected %s", rc)
		}
		if rc == pluginapi.RcEOF {
			st.eof = true
		}
		if n > 0 && evts == 0 {
			return st.src.fail("plugin_next_batch", ErrNextBatch, "returned %d events and a NULL array", n)
		}
		if n == 0 {
			switch rc {
			case pluginapi.RcSuccess:
				return st.src.fail("plugin_next_batch", ErrNextBatch, "returned SS_PLUGIN_SUCCESS with no events")
			case pluginapi.RcTimeout:
				if err := st.wait(ctx); err != nil {
					return err
				}
			}
			continue
		}
		st.backoff = 0
		good, bad := st.batch.fill(evts, int(n))
		if good > 0 {
			err := st.lend(fn)
			if err != nil {
				return err
			}
		}
		return bad
	}
}

func (st *Stream) lend(fn func(*Batch) error) error {
	defer st.lease.release()
	return fn(&st.batch)
}

func (st *Stream) wait(ctx context.Context) error {
	st.backoff = min(max(2*st.backoff, minBackoff), maxBackoff)
	t := time.NewTimer(st.backoff)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Progress calls get_progress: pct in hundredths of a percent (0..10000)
// and the plugin's text. ok is false when the plugin does not report it.
func (st *Stream) Progress() (pct uint32, text string, ok bool, err error) {
	api := st.src.raw.API
	if api.GetProgress == 0 || st.closed {
		return 0, "", false, nil
	}
	text, pct = api.CallGetProgress(st.src.raw.Handle, st.inst)
	if pct > 10000 {
		return 0, text, false, st.src.fail("plugin_get_progress", ErrProgress, "progress %d is above 10000 (100.00%%)", pct)
	}
	return pct, text, true, nil
}

// Close calls plugin_close; it is idempotent. Events lent earlier are stale.
func (st *Stream) Close() {
	if st.closed {
		return
	}
	st.closed = true
	st.lease.release()
	st.src.raw.API.CallClose(st.src.raw.Handle, st.inst)
	st.out.Free()
}

// Plugin returns the plugin behind the stream.
func (st *Stream) Plugin() *loader.Plugin { return st.src.plugin }

// lease ties events to the callback that lends them: release bumps the
// generation, and every Event accessor checks its own.
type lease struct{ gen uint64 }

func (l *lease) release() { l.gen++ }

// Batch is the events of one next_batch call, lent to a Next callback.
type Batch struct {
	stream *Stream
	ptrs   uintptr // plugin's ss_plugin_event** array
	n      int
	num0   uint64 // evtnum of the first event
	gen    uint64 // the lease generation the batch is lent under
}

// Len is the number of events in the batch.
func (b *Batch) Len() int { return b.n }

// Event returns event i. The value goes stale when the callback returns.
func (b *Batch) Event(i int) Event {
	if uint(i) >= uint(b.n) {
		panic("plughost: batch event index out of range")
	}
	return Event{addr: ffi.EventAt(b.ptrs, i), num: b.num0 + uint64(i), lease: b.stream.lease, gen: b.gen,
		source: b.stream.src.plugin.EventSource, pluginID: b.stream.src.plugin.ID}
}

// Source returns the plugin that produced the batch.
func (b *Batch) Source() *loader.Plugin { return b.stream.src.plugin }

// The accessors below read event i of the batch without building an Event
// (Event(i) has the same values) and allocate nothing. Those that read the
// event panic once the callback that lent the batch has returned, or when
// i is out of range.

// check panics unless event i is lent and in range; it returns its address.
func (b *Batch) check(i int) uintptr {
	if b.gen != b.stream.lease.gen {
		panic("plughost: batch used after the callback that lent it returned")
	}
	if uint(i) >= uint(b.n) {
		panic("plughost: batch event index out of range")
	}
	return ffi.EventAt(b.ptrs, i)
}

// typeAt is the type of event i, unchecked (for the extractor).
func (b *Batch) typeAt(i int) uint16 {
	return ffi.Get[uint16](ffi.EventAt(b.ptrs, i) + pluginapi.EventTypeOffset)
}

// Num is the event number of event i (evt.num), starting at 1 in the stream.
func (b *Batch) Num(i int) uint64 {
	if uint(i) >= uint(b.n) {
		panic("plughost: batch event index out of range")
	}
	return b.num0 + uint64(i)
}

// Ts is the timestamp of event i in nanoseconds since the epoch (evt.ts).
func (b *Batch) Ts(i int) uint64 { return ffi.Get[uint64](b.check(i)) }

// Type is the libscap event type of event i (322 for plugin events).
func (b *Batch) Type(i int) uint16 {
	return ffi.Get[uint16](b.check(i) + pluginapi.EventTypeOffset)
}

// PluginID is the id of the plugin that produced the batch's events, as
// Event.PluginID.
func (b *Batch) PluginID() uint32 { return b.stream.src.plugin.ID }

// PluginName is the name of the plugin that produced the batch's events.
func (b *Batch) PluginName() string { return b.stream.src.plugin.Name }

// EventSource is the event source of the batch's events ("" for id-0
// plugins), as Event.Source.
func (b *Batch) EventSource() string { return b.stream.src.plugin.EventSource }

// EventToString calls the source plugin's event_to_string for event i; ok
// is false when the plugin does not implement it.
func (b *Batch) EventToString(i int) (text string, ok bool) {
	return b.stream.EventToString(b.Event(i))
}

// fill validates the plugin's events in place. It returns how many leading
// events are good and, if one is malformed, the error for it.
func (b *Batch) fill(ptrs uintptr, n int) (int, error) {
	st := b.stream
	p := st.src.plugin
	b.ptrs, b.num0, b.gen = ptrs, st.evtnum+1, st.lease.gen
	var good int
	if p.ID != 0 {
		good = ffi.ValidatePluginEvents(ptrs, n, p.ID, st.now)
	} else {
		good = ffi.ValidateRawEvents(ptrs, n, st.now)
	}
	b.n = good
	st.evtnum += uint64(good)
	if good == n {
		return n, nil
	}
	return good, b.malformed(good, ffi.EventAt(ptrs, good), p)
}

// malformed words the error for the event the fast check rejected.
func (b *Batch) malformed(i int, addr uintptr, p *loader.Plugin) error {
	bad := func(format string, args ...any) error {
		return &Error{Plugin: p.Name, Symbol: "plugin_next_batch", Event: i, Msg: fmt.Sprintf(format, args...), Kind: ErrMalformedEvent}
	}
	if addr == 0 {
		return bad("event pointer is NULL")
	}
	length := ffi.EventLen(addr)
	if length < pluginapi.EventHeaderLen {
		return bad("length %d is shorter than the %d-byte header", length, pluginapi.EventHeaderLen)
	}
	typ := ffi.Get[uint16](addr + pluginapi.EventTypeOffset)
	if err := pluginapi.CheckEventLen(typ, length); err != nil {
		return bad("%s", err.(*pluginapi.EventError).Reason)
	}
	// A raw (id-0) event that gets here is a malformed plugin event.
	ev, err := pluginapi.DecodePluginEvent(ffi.Bytes(addr, int(length)))
	if err != nil {
		return bad("%s", err.(*pluginapi.EventError).Reason)
	}
	return bad("carries plugin id %d, but the plugin's id is %d", ev.PluginID, p.ID)
}

// EventToString calls event_to_string for a lent event; ok is false when
// the plugin does not implement it.
func (st *Stream) EventToString(e Event) (text string, ok bool) {
	e.check()
	api := st.src.raw.API
	if api.EventToString == 0 {
		return "", false
	}
	s, _ := api.CallEventToString(st.src.raw.Handle, e.addr, e.num, e.source)
	return s, true
}
