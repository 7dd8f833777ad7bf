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

// offsetFields requests every field of extract_offsets; off.payload twice,
// so the second request goes in a second extract_fields call.
var offsetFields = []string{"off.payload", "off.const", "off.digits", "off.asked", "off.payload"}

type offset struct{ start, length uint32 }

// wantOffsets is what extract_offsets reports for a payload of n bytes.
func wantOffsets(n int, asked bool) []offset {
	if !asked {
		return make([]offset, len(offsetFields))
	}
	return []offset{{38, uint32(n)}, {0, 0}, {42, uint32(n - 4)}, {0, 0}, {38, uint32(n)}}
}

// checkOffsetRow checks the values and offsets of one event's results
// against its packed bytes.
func checkOffsetRow(t *testing.T, res *capability.Results, i int, raw []byte, asked bool) {
	t.Helper()
	payload := string(raw[pluginapi.PluginEventPayloadOffset:])
	assert.Equal(t, []any{payload, uint64(42), payload[4:], asked, payload},
		[]any{res.Value(i, 0).Any(), res.Value(i, 1).Any(), res.Value(i, 2).Any(), res.Value(i, 3).Any(), res.Value(i, 4).Any()},
		"values of %s", payload)
	want := wantOffsets(len(payload), asked)
	for r := range offsetFields {
		v := res.Value(i, r)
		start, length := v.Offset()
		assert.Equal(t, want[r], offset{start, length}, "offset of request %d (%s) for %s", r, offsetFields[r], payload)
		if length > 0 {
			// A reported offset points at the value's bytes in the event.
			require.LessOrEqual(t, int(start+length), len(raw))
			assert.Equal(t, v.String(0), string(raw[start:start+length]))
		}
	}
}

func TestExtractValueOffsetsExtra(t *testing.T) {
	for _, portable := range []bool{false, true} {
		for _, asked := range []bool{true, false} {
			t.Run("portable="+strconv.FormatBool(portable)+"/offsets="+strconv.FormatBool(asked), func(t *testing.T) {
				src := initPlugin(t, fixtures.C(t, "source_only"), "")
				ext := initPlugin(t, fixtures.C(t, "extract_offsets"), "")
				x, err := capability.NewExtractor(ext, "fixture_src", offsetFields, capability.ExtractOptions{ValueOffsets: asked})
				require.NoError(t, err)
				defer x.Close()
				if portable {
					x.UsePortableDriver()
				}
				st := openStream(t, src, "150")
				seen := 0
				for {
					err := st.Next(context.Background(), func(b *capability.Batch) error {
						res, err := x.ExtractBatch(b)
						require.NoError(t, err)
						require.Equal(t, b.Len(), res.Len())
						for i := 0; i < b.Len(); i++ {
							checkOffsetRow(t, res, i, b.Event(i).Bytes(), asked)
							seen++
						}
						// The one-event paths report offsets too.
						for _, i := range []int{0, 9, 10, 149} {
							if i >= b.Len() {
								continue
							}
							res, err := x.Extract(b.Event(i))
							require.NoError(t, err)
							require.Equal(t, 1, res.Len())
							checkOffsetRow(t, res, 0, b.Event(i).Bytes(), asked)
							owned := b.Event(i).Copy()
							res, err = x.ExtractOwned(owned)
							require.NoError(t, err)
							require.Equal(t, 1, res.Len())
							checkOffsetRow(t, res, 0, owned.Raw, asked)
						}
						return nil
					})
					if errors.Is(err, capability.EOF) {
						break
					}
					require.NoError(t, err)
				}
				assert.Equal(t, 150, seen)
			})
		}
	}
}
