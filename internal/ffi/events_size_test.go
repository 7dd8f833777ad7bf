package ffi_test

import (
	"encoding/binary"
	"testing"

	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/pluginapi"
)

// claim rewrites a plugin event to claim payload bytes (lengths agreeing),
// without growing it: the validators read only the first 38 bytes.
func claim(ev []byte, payload uint32) []byte {
	binary.LittleEndian.PutUint32(ev[pluginapi.EventLenOffset:], uint32(pluginapi.PluginEventPayloadOffset+uint64(payload)))
	binary.LittleEndian.PutUint32(ev[pluginapi.EventHeaderLen+4:], payload)
	return ev
}

func rawHeader(typ uint16, length uint32) []byte {
	b := make([]byte, 64)
	pluginapi.PutHeader(b, pluginapi.EventHeader{Len: length, Type: typ})
	return b
}

func oneValid(t *testing.T, b []byte, id uint32) bool {
	t.Helper()
	m := cEvent(t, b)
	ptrs := putPtrs(t, m.Addr)
	now := func() uint64 { return fuzzNow }
	if id == 0 {
		return ffi.ValidateRawEvents(ptrs, 1, now) == 1
	}
	return ffi.ValidatePluginEvents(ptrs, 1, id, now) == 1
}

// TestValidateEventSizeCaps: self-consistent lengths above the caps fail
// (the 4 GiB event of event_len_4gib used to pass), at the caps they pass,
// and an id-0 source's type-322 event must be a whole plugin event.
func TestValidateEventSizeCaps(t *testing.T) {
	ev := func(payload uint32) []byte {
		return claim(pluginapi.AppendPluginEvent(nil, 1, 0, make([]byte, 26)), payload)
	}
	const maxPayload = pluginapi.MaxLargeEventSize - pluginapi.PluginEventPayloadOffset
	for _, id := range []uint32{991, 0} {
		for _, tc := range []struct {
			payload uint32
			ok      bool
		}{
			{maxPayload, true},
			{maxPayload + 1, false},
			{1<<32 - 1 - pluginapi.PluginEventPayloadOffset, false},
			{1<<32 - 1, false}, // 38 + payload wraps to 37 in 32 bits
		} {
			if got := oneValid(t, ev(tc.payload), id); got != tc.ok {
				t.Errorf("id %d: a plugin event of %d payload bytes: valid=%v, want %v", id, tc.payload, got, tc.ok)
			}
		}
	}
	for _, tc := range []struct {
		typ    uint16
		length uint32
		ok     bool
	}{
		{3, pluginapi.MaxEventSize, true},
		{3, pluginapi.MaxEventSize + 1, false},
		{3, 1<<32 - 1, false},
		{3, 26, true},
		{3, 25, false},
		{pluginapi.EventTypeAsync, pluginapi.MaxLargeEventSize, true},
		{pluginapi.EventTypeAsync, pluginapi.MaxLargeEventSize + 1, false},
		{pluginapi.EventTypeContainerJSON2, pluginapi.MaxEventSize + 1, true},
		{pluginapi.EventTypePlugin, 26, false}, // source_id0_short_plugin_event
		{pluginapi.EventTypePlugin, 38, false}, // 0 params
	} {
		if got := oneValid(t, rawHeader(tc.typ, tc.length), 0); got != tc.ok {
			t.Errorf("id-0 event of type %d, length %d: valid=%v, want %v", tc.typ, tc.length, got, tc.ok)
		}
	}
	// A whole plugin event from an id-0 source keeps its id, even 0.
	for _, pid := range []uint32{0, 5} {
		b := pluginapi.AppendPluginEvent(nil, 1, pid, []byte("x"))
		m := cEvent(t, b)
		if got := ffi.ValidateRawEvents(putPtrs(t, m.Addr), 1, func() uint64 { return fuzzNow }); got != 1 {
			t.Errorf("id-0 source, plugin event of plugin %d rejected", pid)
		}
		if got := ffi.Get[uint32](m.Addr + pluginapi.PluginEventIDOffset); got != pid {
			t.Errorf("plugin id rewritten to %d, want %d", got, pid)
		}
	}
}
