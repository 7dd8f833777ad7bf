package capability_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/pluginapi"
)

// extract_types only wants async events (402) and fails if extract_fields
// is ever called: plugin events (322) must be skipped without a call.
func TestExtractHonoursExtractEventTypesExtra(t *testing.T) {
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) {
			src := initPlugin(t, fixtures.C(t, "source_only"), "")
			ext := initPlugin(t, fixtures.C(t, "extract_types"), "")
			assert.Equal(t, []uint16{pluginapi.EventTypeAsync}, ext.ExtractEventTypes)
			x, err := capability.NewExtractor(ext, "fixture_src", []string{"types.str"}, capability.ExtractOptions{ValueOffsets: true})
			require.NoError(t, err)
			defer x.Close()
			if portable {
				x.UsePortableDriver()
			}
			var owned []capability.OwnedEvent
			st := openStream(t, src, "20")
			for {
				err := st.Next(context.Background(), func(b *capability.Batch) error {
					res, err := x.ExtractBatch(b)
					require.NoError(t, err)
					assert.Equal(t, b.Len(), res.Len(), "every event is covered, none has values")
					for i := 0; i < b.Len(); i++ {
						v := res.Value(i, 0)
						assert.False(t, v.Present(), "event %d", i)
						assert.Nil(t, v.Any())
						start, length := v.Offset()
						assert.Zero(t, start)
						assert.Zero(t, length)
					}
					for i := 0; i < b.Len(); i++ {
						res, err := x.Extract(b.Event(i))
						require.NoError(t, err)
						assert.Equal(t, 1, res.Len())
						assert.False(t, res.Value(0, 0).Present())
						owned = append(owned, b.Event(i).Copy())
					}
					return nil
				})
				if errors.Is(err, capability.EOF) {
					break
				}
				require.NoError(t, err)
			}
			require.Len(t, owned, 20)
			for _, o := range owned {
				res, err := x.ExtractOwned(o)
				require.NoError(t, err)
				assert.Equal(t, 1, res.Len())
				assert.False(t, res.Value(0, 0).Present())
			}
		})
	}
}
