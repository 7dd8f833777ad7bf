package pluginapi_test

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/pluginapi"
)

func TestPluginEventRoundTrip(t *testing.T) {
	b := pluginapi.AppendPluginEvent(nil, 42, 7, []byte("hello"))
	require.Len(t, b, pluginapi.PluginEventPayloadOffset+5)
	ev, err := pluginapi.DecodePluginEvent(b)
	require.NoError(t, err)
	assert.Equal(t, uint64(42), ev.Ts)
	assert.Equal(t, pluginapi.NoTid, ev.Tid)
	assert.Equal(t, uint32(7), ev.PluginID)
	assert.Equal(t, "hello", string(ev.Data))
	assert.Equal(t, "hello", string(b[pluginapi.PluginEventPayloadOffset:]))
}

func TestAsyncEventRoundTrip(t *testing.T) {
	b := pluginapi.AppendAsyncEvent(nil, 1, 9, "sample", []byte{1, 2, 3})
	ev, err := pluginapi.DecodeAsyncEvent(b)
	require.NoError(t, err)
	assert.Equal(t, uint32(9), ev.PluginID)
	assert.Equal(t, "sample", ev.Name)
	assert.Equal(t, []byte{1, 2, 3}, ev.Data)
}

func TestDecodePluginEventErrors(t *testing.T) {
	good := pluginapi.AppendPluginEvent(nil, 1, 2, []byte("abc"))
	mutate := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	tests := []struct {
		name string
		b    []byte
		msg  string
	}{
		{"short", good[:10], "malformed event: 10 bytes is shorter than the 26-byte header"},
		{"len below header", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[16:], 20); return b }),
			"malformed event: length 20 is shorter than the 26-byte header"},
		{"len beyond buffer", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[16:], 100); return b }),
			"malformed event: length 100 exceeds the 41 bytes available"},
		{"wrong type", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[20:], 1); return b }),
			"malformed event: type 1 is not a plugin event (322)"},
		{"wrong nparams", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[22:], 3); return b }),
			"malformed event: type 322 has 3 params, want 2"},
		{"param overrun", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[30:], 50); return b }),
			"malformed event: parameter 1 (50 bytes at offset 38) overruns the event length 41"},
		{"len not sum", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[30:], 1); return b }),
			"malformed event: length 41 is not header plus parameters (39)"},
		{"id param size", mutate(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[26:], 2)
			binary.LittleEndian.PutUint32(b[30:], 5)
			return b
		}), "malformed event: plugin id parameter has 2 bytes, want 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pluginapi.DecodePluginEvent(tt.b)
			assert.EqualError(t, err, tt.msg)
			assert.ErrorIs(t, err, pluginapi.ErrMalformedEvent)
		})
	}
}

func TestDecodeAsyncEventRejectsUnterminatedName(t *testing.T) {
	b := pluginapi.AppendAsyncEvent(nil, 1, 9, "abc", nil)
	b[pluginapi.AsyncEventNameOffset+3] = 'x' // overwrite the NUL
	_, err := pluginapi.DecodeAsyncEvent(b)
	assert.EqualError(t, err, "malformed event: async event name is not NUL-terminated")
}

// Events come from plugins and capture files: decoding must never panic and
// must only return slices inside the input.
func FuzzDecodeEvent(f *testing.F) {
	f.Add(pluginapi.AppendPluginEvent(nil, 1, 2, []byte("payload")))
	f.Add(pluginapi.AppendAsyncEvent(nil, 1, 2, "name", []byte("payload")))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if ev, err := pluginapi.DecodePluginEvent(b); err == nil {
			if int(ev.Len) > len(b) || len(ev.Data) > int(ev.Len) {
				t.Fatalf("decoded beyond the input: %+v", ev)
			}
			again := pluginapi.AppendPluginEvent(nil, ev.Ts, ev.PluginID, ev.Data)
			if string(again[8:]) != string(b[8:ev.Len]) && ev.Tid == pluginapi.NoTid {
				t.Fatalf("re-encoding differs")
			}
		}
		if ev, err := pluginapi.DecodeAsyncEvent(b); err == nil && int(ev.Len) > len(b) {
			t.Fatalf("decoded beyond the input: %+v", ev)
		}
	})
}
