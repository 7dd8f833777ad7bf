package capability_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
)

// nextOnce runs one Next and returns what every accessor of every lent
// event gives, and Next's error. It reads each event whole (Bytes, Data,
// Copy), as the eventbus and subscribers do.
func nextOnce(t *testing.T, st *capability.Stream) ([]capability.OwnedEvent, error) {
	t.Helper()
	var got []capability.OwnedEvent
	err := st.Next(context.Background(), func(b *capability.Batch) error {
		for i := 0; i < b.Len(); i++ {
			e := b.Event(i)
			_ = b.Ts(i) + uint64(b.Type(i))
			assert.Len(t, e.Bytes(), len(e.Copy().Raw))
			c := e.Copy()
			assert.Equal(t, e.Data(), c.Data())
			assert.Equal(t, uint32(len(c.Raw)), c.Header().Len)
			got = append(got, c)
		}
		return nil
	})
	return got, err
}

// TestSourceRejectsEventClaiming4GiB: the second event's lengths agree
// (len = 38 + payload length = 2^32-1) but its buffer is 64 bytes. It used
// to pass validation, and Event.Copy (the eventbus) then read 4 GiB of
// plugin memory and segfaulted.
func TestSourceRejectsEventClaiming4GiB(t *testing.T) {
	st := openStream(t, initPlugin(t, fixtures.C(t, "event_len_4gib"), ""), "")
	got, err := nextOnce(t, st)
	require.EqualError(t, err, "plugin 'event_len_4gib': plugin_next_batch: event 1 of the batch: "+
		"length 4294967295 exceeds the host's 67108864-byte limit on large-payload events (type 322; libscap's MAX_EVENT_SIZE, 65536, bounds the other types)")
	assert.ErrorIs(t, err, capability.ErrMalformedEvent)
	require.Len(t, got, 1, "the good event before the huge one is delivered")
	assert.Equal(t, "good", string(got[0].Data()))
}

// TestSourceID0RejectsShortPluginEvent: an id-0 source's 26-byte event of
// type 322 used to pass validation (an id-0 event only needed a header);
// Event.Data then sliced the payload at byte 38 and panicked.
func TestSourceID0RejectsShortPluginEvent(t *testing.T) {
	st := openStream(t, initPlugin(t, fixtures.C(t, "source_id0_short_plugin_event"), ""), "")
	got, err := nextOnce(t, st)
	require.EqualError(t, err, "plugin 'source_id0_short_plugin_event': plugin_next_batch: event 1 of the batch: "+
		"type 322 has 0 params, want 2")
	assert.ErrorIs(t, err, capability.ErrMalformedEvent)
	require.Len(t, got, 1)
	assert.Equal(t, "good", string(got[0].Data()))
	assert.Equal(t, []byte{0xe7, 0x03, 0, 0}, got[0].Raw[34:38], "its plugin id (999) is kept")
}
