package capability_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/internal/fixtures"
)

// A list of more than ffi.MaxListValues values is named as such, not as
// several values for a field that is not a list (issue 10, item 9).
func TestExtractListOverCap(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_huge", "fixture_src", []string{"huge.list", "huge.over"}, portable)
		oneBatch(t, openStream(t, src, "2"), func(b *capability.Batch) {
			res, err := x.ExtractBatch(b)
			require.Error(t, err)
			assert.True(t, errors.Is(err, capability.ErrLimit), "%v", err)
			assert.NotContains(t, err.Error(), "not a list")
			assert.Contains(t, err.Error(), "1048577 values for list field")
			assert.Contains(t, err.Error(), "huge.over")
			assert.Equal(t, 0, res.Len())
		})
		// Exactly MaxListValues values are accepted.
		x2 := newExtractor(t, "extract_huge", "fixture_src", []string{"huge.list"}, portable)
		oneBatch(t, openStream(t, src, "2"), func(b *capability.Batch) {
			res, err := x2.ExtractBatch(b)
			require.NoError(t, err)
			c := res.Column(0)
			require.Equal(t, ffi.MaxListValues, c.Count(1))
			assert.Equal(t, uint64(ffi.MaxListValues-1), c.Uint64(1, ffi.MaxListValues-1))
		})
	})
}

// The values of one batch are capped (their arena offsets are 32-bit):
// past the cap the batch ends with a limit error, never with wrong values
// (issue 10, item 4). The cap is lowered to 4 MiB for the test.
func TestExtractArenaCap(t *testing.T) {
	defer ffi.SetArenaLimitForTest(4 << 20)()
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_huge", "fixture_src", []string{"huge.str"}, portable)
		oneBatch(t, openStream(t, src, "10"), func(b *capability.Batch) {
			res, err := x.ExtractBatch(b)
			require.Error(t, err)
			assert.True(t, errors.Is(err, capability.ErrLimit), "%v", err)
			assert.Contains(t, err.Error(), "event 3 of the batch")
			assert.Contains(t, err.Error(), "4194304 bytes")
			require.Equal(t, 3, res.Len())
			for i := range 3 {
				s := res.Column(0).Bytes(i, 0)
				require.Len(t, s, 1<<20)
				assert.Equal(t, byte('x'), s[len(s)-1])
			}
			// ExtractSome accumulates into the same arena: the same cap.
			res, err = x.ExtractSome(b, []int32{0, 2, 5})
			require.NoError(t, err)
			_, err = x.ExtractSome(b, []int32{7})
			require.Error(t, err)
			assert.True(t, errors.Is(err, capability.ErrLimit), "%v", err)
			assert.Contains(t, err.Error(), "event 7 of the batch")
		})
	})
}

// A string longer than ffi.MaxValueBytes fails with a limit error naming
// its size, whatever room the arena has; one of exactly the cap is kept.
func TestExtractValueCap(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		for _, n := range []int{ffi.MaxValueBytes, ffi.MaxValueBytes + 1} {
			x, err := capability.NewExtractor(initPlugin(t, fixtures.C(t, "extract_huge"), strconv.Itoa(n)), "fixture_src", []string{"huge.str"}, capability.ExtractOptions{})
			require.NoError(t, err)
			if portable {
				x.UsePortableDriver()
			}
			oneBatch(t, openStream(t, src, "2"), func(b *capability.Batch) {
				res, err := x.ExtractBatch(b)
				if n == ffi.MaxValueBytes {
					require.NoError(t, err)
					assert.Len(t, res.Column(0).Bytes(1, 0), n)
					return
				}
				require.Error(t, err)
				assert.True(t, errors.Is(err, capability.ErrLimit), "%v", err)
				assert.Contains(t, err.Error(), "event 0 of the batch: field 'huge.str'")
				assert.Contains(t, err.Error(), "67108865 bytes")
				assert.Equal(t, 0, res.Len())
			})
			x.Close()
		}
	})
}
