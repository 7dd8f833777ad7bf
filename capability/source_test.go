package capability_test

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

func initPlugin(t testing.TB, path, config string) *loader.State {
	t.Helper()
	p, err := loader.Load(path, loader.Options{})
	require.NoError(t, err)
	s, err := p.Init(config)
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	return s
}

func openStream(t testing.TB, state *loader.State, params string) *capability.Stream {
	t.Helper()
	src, err := capability.NewSource(state)
	require.NoError(t, err)
	st, err := src.Open(params)
	require.NoError(t, err)
	t.Cleanup(st.Close)
	return st
}

// drain reads a stream to its end, copying every event.
func drain(t testing.TB, st *capability.Stream) ([]capability.OwnedEvent, error) {
	var out []capability.OwnedEvent
	for {
		err := st.Next(context.Background(), func(b *capability.Batch) error {
			for i := 0; i < b.Len(); i++ {
				out = append(out, b.Event(i).Copy())
			}
			return nil
		})
		if errors.Is(err, capability.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

func TestSourceStreamsValidatedEvents(t *testing.T) {
	st := openStream(t, initPlugin(t, fixtures.C(t, "source_only"), ""), "5")
	events, err := drain(t, st)
	require.NoError(t, err)
	require.Len(t, events, 5)
	for i, ev := range events {
		assert.Equal(t, uint64(i+1), ev.Num)
		h := ev.Header()
		assert.Equal(t, pluginapi.EventTypePlugin, h.Type)
		assert.Equal(t, pluginapi.NoTid, h.Tid)
		pe, err := pluginapi.DecodePluginEvent(ev.Raw)
		require.NoError(t, err)
		assert.Equal(t, uint32(991), pe.PluginID, "plugin id 0 is replaced by the plugin's id")
		assert.Equal(t, "evt-"+string(rune('0'+i)), string(ev.Data()))
	}
	// After EOF, Next keeps returning EOF without calling the plugin.
	assert.ErrorIs(t, st.Next(context.Background(), func(*capability.Batch) error { return nil }), capability.EOF)
}

func TestSourceOpenParamsProgressAndToString(t *testing.T) {
	state := initPlugin(t, fixtures.C(t, "source_only"), "")
	src, err := capability.NewSource(state)
	require.NoError(t, err)
	params, err := src.OpenParams()
	require.NoError(t, err)
	assert.Equal(t, []capability.OpenParam{{Value: "3", Desc: "three events"}}, params)

	st, err := src.Open("2")
	require.NoError(t, err)
	defer st.Close()
	err = st.Next(context.Background(), func(b *capability.Batch) error {
		text, ok := st.EventToString(b.Event(0))
		assert.True(t, ok)
		assert.NotEmpty(t, text)
		return nil
	})
	require.NoError(t, err)
	pct, _, ok, err := st.Progress()
	require.NoError(t, err)
	assert.True(t, ok)
	assert.LessOrEqual(t, pct, uint32(10000))
}

func TestSourceRejectsMalformedEventsKeepingThoseBefore(t *testing.T) {
	path := fixtures.C(t, "source_faults")
	tests := []struct {
		mode string
		msg  string
	}{
		{"short_len", "plugin 'source_faults': plugin_next_batch: event 2 of the batch: length 20 is shorter than the 26-byte header"},
		{"len_mismatch", "plugin 'source_faults': plugin_next_batch: event 2 of the batch: length 42 is not header plus parameters (41)"},
		{"wrong_type", "plugin 'source_faults': plugin_next_batch: event 2 of the batch: type 3 is not a plugin event (322)"},
		{"foreign_id", "plugin 'source_faults': plugin_next_batch: event 2 of the batch: carries plugin id 7, but the plugin's id is 990"},
		{"null_event", "plugin 'source_faults': plugin_next_batch: event 2 of the batch: event pointer is NULL"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			st := openStream(t, initPlugin(t, path, ""), tt.mode)
			events, err := drain(t, st)
			assert.EqualError(t, err, tt.msg)
			assert.ErrorIs(t, err, capability.ErrMalformedEvent)
			require.Len(t, events, 2, "the events before the bad one are delivered")
			assert.Equal(t, "good-0", string(events[0].Data()))
			assert.Equal(t, "good-1", string(events[1].Data()))
		})
	}
}

func TestSourceBatchOutcomes(t *testing.T) {
	path := fixtures.C(t, "source_faults")
	t.Run("failure carries the last error", func(t *testing.T) {
		_, err := drain(t, openStream(t, initPlugin(t, path, ""), "fail"))
		assert.EqualError(t, err, "plugin 'source_faults': plugin_next_batch: the source broke")
		assert.ErrorIs(t, err, capability.ErrNextBatch)
	})
	t.Run("success with no events is an error", func(t *testing.T) {
		_, err := drain(t, openStream(t, initPlugin(t, path, ""), "empty_success"))
		assert.EqualError(t, err, "plugin 'source_faults': plugin_next_batch: returned SS_PLUGIN_SUCCESS with no events")
	})
	t.Run("timeouts back off, then EOF still delivers its events", func(t *testing.T) {
		events, err := drain(t, openStream(t, initPlugin(t, path, ""), "timeouts"))
		require.NoError(t, err)
		assert.Len(t, events, 3)
	})
	t.Run("unset timestamps become now", func(t *testing.T) {
		before := uint64(time.Now().UnixNano())
		events, err := drain(t, openStream(t, initPlugin(t, path, ""), "ts_unset"))
		require.NoError(t, err)
		require.Len(t, events, 3)
		assert.Equal(t, uint64(1000), events[0].Header().Ts)
		assert.GreaterOrEqual(t, events[2].Header().Ts, before)
		assert.Equal(t, pluginapi.NoTid, binary.LittleEndian.Uint64(events[2].Raw[8:]))
	})
	t.Run("open failure", func(t *testing.T) {
		src, err := capability.NewSource(initPlugin(t, path, ""))
		require.NoError(t, err)
		_, err = src.Open("refuse")
		assert.EqualError(t, err, "plugin 'source_faults': plugin_open: open refused")
		assert.ErrorIs(t, err, capability.ErrOpen)
	})
}

func TestSourceTimeoutHonoursContext(t *testing.T) {
	st := openStream(t, initPlugin(t, fixtures.GoSDK(t, "gocounter"), `{"jitter":true}`), "1000000")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := st.Next(ctx, func(*capability.Batch) error { return nil })
	assert.ErrorIs(t, err, context.Canceled)
}

func TestEventIsStaleAfterCallback(t *testing.T) {
	st := openStream(t, initPlugin(t, fixtures.C(t, "source_only"), ""), "3")
	var kept capability.Event
	require.NoError(t, st.Next(context.Background(), func(b *capability.Batch) error {
		kept = b.Event(0)
		assert.Equal(t, "evt-0", string(kept.Data()))
		return nil
	}))
	assert.PanicsWithValue(t, "plughost: event used after the callback that lent it returned; use Event.Copy to keep events", func() {
		_ = kept.Data()
	})
}

func TestNewSourceNeedsTheCapability(t *testing.T) {
	_, err := capability.NewSource(initPlugin(t, fixtures.C(t, "extract_only"), ""))
	assert.EqualError(t, err, "plugin 'extract_only': plugin has no sourcing capability")
	assert.ErrorIs(t, err, capability.ErrCapability)
}
