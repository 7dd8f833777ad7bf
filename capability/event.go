package capability

import (
	"time"

	"github.com/plughost/plughost/internal/ffi"

	"github.com/plughost/plughost/pluginapi"
)

// Event is an event lent by a Batch: a view of plugin memory, valid only
// inside the Next callback that received it. Every accessor panics once the
// callback has returned, so a stale event cannot be read by accident; slices
// returned by Bytes and Data must not be kept either — use Copy.
type Event struct {
	addr     uintptr // the event, in plugin memory
	num      uint64
	lease    *lease
	gen      uint64
	source   string
	pluginID uint32
}

func (e Event) check() {
	if e.lease == nil || e.lease.gen != e.gen {
		panic("plughost: event used after the callback that lent it returned; use Event.Copy to keep events")
	}
}

// Num is the event number in its stream, starting at 1 (evt.num).
func (e Event) Num() uint64 { return e.num }

// Source is the event source name ("" for id-0 plugins).
func (e Event) Source() string { return e.source }

// Ts is the timestamp in nanoseconds since the epoch.
func (e Event) Ts() uint64 { e.check(); return ffi.Get[uint64](e.addr) }

// Time is Ts as a time.Time.
func (e Event) Time() time.Time { return time.Unix(0, int64(e.Ts())) }

// Type is the libscap event type (322 for plugin events).
func (e Event) Type() uint16 { e.check(); return ffi.Get[uint16](e.addr + pluginapi.EventTypeOffset) }

// PluginID is the id of the plugin that produced the event.
func (e Event) PluginID() uint32 { e.check(); return e.pluginID }

// Bytes is the whole packed event (header included), in plugin memory: at
// most pluginapi.MaxEventLen of its type, as validation checked.
func (e Event) Bytes() []byte { e.check(); return e.raw() }

func (e Event) raw() []byte { return ffi.Bytes(e.addr, int(ffi.EventLen(e.addr))) }

// Data is the payload of a plugin event (nil for other event types).
// Validation lends only whole plugin events of type 322 (at least 38 bytes,
// length = 38 + payload length), from id-0 sources too; the length test
// below is a second guard, never taken for a lent event.
func (e Event) Data() []byte {
	e.check()
	if ffi.Get[uint16](e.addr+pluginapi.EventTypeOffset) != pluginapi.EventTypePlugin {
		return nil
	}
	raw := e.raw()
	if len(raw) < pluginapi.PluginEventPayloadOffset {
		return nil
	}
	return raw[pluginapi.PluginEventPayloadOffset:]
}

// Copy returns an OwnedEvent that outlives the callback.
func (e Event) Copy() OwnedEvent {
	e.check()
	return OwnedEvent{Num: e.num, Source: e.source, Raw: append([]byte(nil), e.raw()...)}
}

// OwnedEvent is an event in Go memory, owned by the caller.
type OwnedEvent struct {
	Num    uint64
	Source string
	Raw    []byte // the packed event, header included
}

// Header decodes the event header.
func (o OwnedEvent) Header() pluginapi.EventHeader {
	h, _ := pluginapi.DecodeHeader(o.Raw)
	return h
}

// Data is the payload of a plugin event (nil for other types).
func (o OwnedEvent) Data() []byte {
	ev, err := pluginapi.DecodePluginEvent(o.Raw)
	if err != nil {
		return nil
	}
	return ev.Data
}
