package capability_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
)

// extract_mixed_src "4" yields [t3, evt-0, t3, evt-1, t3, evt-2, evt-3]: the
// batch index of each plugin event, and -1 for the type-3 events.
var mixedPluginEvent = []int{-1, 0, -1, 1, -1, 2, 3}

// An id-0 source may produce any event type: an extractor that only takes
// plugin events filters the batch, and results stay indexed by batch.
func TestExtractFilteredBatchExtra(t *testing.T) {
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) {
			src := initPlugin(t, fixtures.C(t, "extract_mixed_src"), "")
			ext := initPlugin(t, fixtures.C(t, "extract_bad_count"), "")
			x, err := capability.NewExtractor(ext, "syscall", []string{"bad.str", "bad.num"}, capability.ExtractOptions{})
			require.NoError(t, err)
			defer x.Close()
			if portable {
				x.UsePortableDriver()
			}
			// extract_bad_count fails on evt-2: give it evt-0 and evt-1 only
			// ([t3, evt-0, t3, evt-1]).
			err = openStream(t, src, "2").Next(context.Background(), func(b *capability.Batch) error {
				require.Equal(t, 4, b.Len())
				res, err := x.ExtractBatch(b)
				require.NoError(t, err)
				require.Equal(t, 4, res.Len())
				col := res.Uint64Column(1)
				for i := 0; i < 4; i++ {
					k := mixedPluginEvent[i]
					u, ok := res.Uint64(i, 1)
					cu, cok := col.At(i)
					if k < 0 {
						assert.Equal(t, []any{nil, nil}, rowOf(res, i, 2), "event %d", i)
						assert.False(t, ok, "event %d", i)
						assert.False(t, cok, "event %d", i)
						continue
					}
					assert.Equal(t, []any{"ok-" + strconv.Itoa(k), uint64(k)}, rowOf(res, i, 2), "event %d", i)
					assert.True(t, ok)
					assert.Equal(t, uint64(k), u)
					assert.True(t, cok)
					assert.Equal(t, uint64(k), cu)
				}
				// Lent events of another type are skipped one by one too.
				res, err = x.Extract(b.Event(0))
				require.NoError(t, err)
				assert.Equal(t, 1, res.Len())
				assert.False(t, res.Value(0, 0).Present())
				res, err = x.Extract(b.Event(3))
				require.NoError(t, err)
				assert.Equal(t, []any{"ok-1", uint64(1)}, rowOf(res, 0, 2))
				return nil
			})
			require.NoError(t, err)
		})
	}
}

// A failure in a filtered batch names the event by its index in the batch
// (evt-2 is event 5), and Results.Len() covers the events before it.
func TestExtractFilteredBatchFailureIndexExtra(t *testing.T) {
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) {
			src := initPlugin(t, fixtures.C(t, "extract_mixed_src"), "")
			ext := initPlugin(t, fixtures.C(t, "extract_bad_rc"), "")
			x, err := capability.NewExtractor(ext, "syscall", []string{"bad.str", "bad.num"}, capability.ExtractOptions{})
			require.NoError(t, err)
			defer x.Close()
			if portable {
				x.UsePortableDriver()
			}
			err = openStream(t, src, "4").Next(context.Background(), func(b *capability.Batch) error {
				require.Equal(t, 7, b.Len())
				res, err := x.ExtractBatch(b)
				assert.EqualError(t, err, "plugin 'extract_bad_rc': plugin_extract_fields: event 5 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract evt-2")
				var ce *capability.Error
				if assert.ErrorAs(t, err, &ce) {
					assert.Equal(t, 5, ce.Event, "the index in the batch, not among the plugin events")
				}
				require.NotNil(t, res)
				assert.Equal(t, 5, res.Len())
				for i := 0; i < b.Len(); i++ {
					k := mixedPluginEvent[i]
					if k < 0 || k >= 2 {
						assert.Equal(t, []any{nil, nil}, rowOf(res, i, 2), "event %d", i)
						continue
					}
					assert.Equal(t, []any{"ok-" + strconv.Itoa(k), uint64(k)}, rowOf(res, i, 2), "event %d", i)
				}
				return nil
			})
			require.NoError(t, err)
		})
	}
}
