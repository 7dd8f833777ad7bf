package pluginapi_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/plughost/plughost/pluginapi"
)

// TestEventSizeCaps: libscap's MAX_EVENT_SIZE (64 KiB) bounds the types
// with 16-bit parameter lengths; the EF_LARGE_PAYLOAD types (322, 324, 402)
// get MaxLargeEventSize. The cap is checked before the buffer size, so a
// claim of 4 GiB is rejected for what it is.
func TestEventSizeCaps(t *testing.T) {
	if pluginapi.MaxEventSize != 65536 {
		t.Fatalf("MaxEventSize = %d, want libscap's MAX_EVENT_SIZE 64 * 1024", pluginapi.MaxEventSize)
	}
	for _, typ := range []uint16{pluginapi.EventTypePlugin, pluginapi.EventTypeAsync, pluginapi.EventTypeContainerJSON2} {
		if !pluginapi.IsLargePayload(typ) || pluginapi.MaxEventLen(typ) != pluginapi.MaxLargeEventSize {
			t.Errorf("type %d: not a large-payload type", typ)
		}
	}
	if pluginapi.IsLargePayload(3) || pluginapi.MaxEventLen(3) != pluginapi.MaxEventSize {
		t.Errorf("type 3 is a large-payload type")
	}
	hdr := func(typ uint16, length uint32) []byte {
		b := make([]byte, pluginapi.EventHeaderLen)
		pluginapi.PutHeader(b, pluginapi.EventHeader{Len: length, Type: typ})
		return b
	}
	for _, tc := range []struct {
		typ    uint16
		length uint32
		want   string
	}{
		{3, pluginapi.MaxEventSize + 1, "malformed event: length 65537 exceeds libscap's MAX_EVENT_SIZE (65536 bytes) for type 3"},
		{3, pluginapi.MaxEventSize, "malformed event: length 65536 exceeds the 26 bytes available"},
		{pluginapi.EventTypePlugin, 1<<32 - 1, "malformed event: length 4294967295 exceeds the host's 67108864-byte limit on large-payload events (type 322; libscap's MAX_EVENT_SIZE, 65536, bounds the other types)"},
		{pluginapi.EventTypeAsync, pluginapi.MaxLargeEventSize + 1, "malformed event: length 67108865 exceeds the host's 67108864-byte limit on large-payload events (type 402; libscap's MAX_EVENT_SIZE, 65536, bounds the other types)"},
		{pluginapi.EventTypeAsync, pluginapi.MaxLargeEventSize, "malformed event: length 67108864 exceeds the 26 bytes available"},
	} {
		_, err := pluginapi.DecodeHeader(hdr(tc.typ, tc.length))
		if err == nil || err.Error() != tc.want {
			t.Errorf("type %d length %d: %v, want %s", tc.typ, tc.length, err, tc.want)
		}
	}

	// A 4 GiB plugin event whose lengths agree is rejected by the decoder.
	ev := pluginapi.AppendPluginEvent(nil, 1, 7, []byte("x"))
	binary.LittleEndian.PutUint32(ev[pluginapi.EventLenOffset:], 1<<32-1)
	binary.LittleEndian.PutUint32(ev[pluginapi.EventHeaderLen+4:], 1<<32-1-pluginapi.PluginEventPayloadOffset)
	if _, err := pluginapi.DecodePluginEvent(ev); err == nil || !strings.Contains(err.Error(), "limit on large-payload events") {
		t.Errorf("4 GiB plugin event: %v", err)
	}
	// The largest plugin event is accepted.
	big := pluginapi.AppendPluginEvent(nil, 1, 7, make([]byte, pluginapi.MaxLargeEventSize-pluginapi.PluginEventPayloadOffset))
	if pe, err := pluginapi.DecodePluginEvent(big); err != nil || len(pe.Data) != pluginapi.MaxLargeEventSize-pluginapi.PluginEventPayloadOffset {
		t.Errorf("a %d-byte plugin event: %v", len(big), err)
	}
}
