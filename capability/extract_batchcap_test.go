package capability_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/internal/fixtures"
)

// A batch of more than ffi.MaxBatchEvents events is extracted up to the
// cap, and the events past it fail with a limit error naming the sizes
// (issue 10, item 3); the plugin pays 2 MiB for the pointer array.
func TestExtractBatchEventsCap(t *testing.T) {
	if testing.Short() {
		t.Skip("a batch of a million events")
	}
	bothDrivers(t, testExtractBatchEventsCap)
}

func testExtractBatchEventsCap(t *testing.T, portable bool) {
	st := initPlugin(t, fixtures.C(t, "batch_huge"), "")
	x, err := capability.NewExtractor(st, "fixture_src", []string{"fixture.u64"}, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	if portable {
		x.UsePortableDriver()
	}
	n := ffi.MaxBatchEvents + 5
	s := openStream(t, st, "1048581")
	require.NoError(t, s.Next(context.Background(), func(b *capability.Batch) error {
		require.Equal(t, n, b.Len())
		res, err := x.ExtractBatch(b)
		require.Error(t, err)
		assert.True(t, errors.Is(err, capability.ErrLimit), "%v", err)
		assert.Contains(t, err.Error(), "event 1048576 of the batch")
		assert.Contains(t, err.Error(), "1048581 events, more than the host's cap of 1048576")
		require.Equal(t, ffi.MaxBatchEvents, res.Len())
		assert.Equal(t, uint64(42), res.Column(0).Uint64(ffi.MaxBatchEvents-1, 0))
		assert.Equal(t, 0, res.Column(0).Count(ffi.MaxBatchEvents))

		// ExtractSome: the events below the cap are extracted, the first
		// one past it fails.
		res, err = x.ExtractSome(b, []int32{0, int32(ffi.MaxBatchEvents - 1), int32(ffi.MaxBatchEvents), int32(n - 1)})
		require.Error(t, err)
		assert.True(t, errors.Is(err, capability.ErrLimit), "%v", err)
		assert.Contains(t, err.Error(), "event 1048576 of the batch")
		assert.Equal(t, 1, res.Column(0).Count(0))
		assert.Equal(t, 1, res.Column(0).Count(ffi.MaxBatchEvents-1))
		assert.Equal(t, 0, res.Column(0).Count(n-1))

		// Rows of earlier ExtractSome calls survive the growth of the
		// records over several chunks.
		x.Restart()
		few := []int32{3, 5}
		_, err = x.ExtractSome(b, few)
		require.NoError(t, err)
		many := make([]int32, 0, 3*ffi.ChunkEvents)
		for i := int32(6); len(many) < cap(many); i++ {
			many = append(many, i)
		}
		res, err = x.ExtractSome(b, many)
		require.NoError(t, err)
		c := res.Column(0)
		for _, i := range []int{3, 5, 6, ffi.ChunkEvents + 7, 3*ffi.ChunkEvents + 5} {
			assert.Equal(t, 1, c.Count(i), "event %d", i)
			assert.Equal(t, uint64(42), c.Uint64(i, 0), "event %d", i)
		}
		for _, i := range []int{0, 4, 3*ffi.ChunkEvents + 6} {
			assert.Equal(t, 0, c.Count(i), "event %d", i)
		}
		return nil
	}))
}

// 1,024 events each with an 8 MiB list would take 8 GiB of copied values:
// under a 6 GiB address-space limit the host stops at the arena cap with
// a limit error instead of panicking out of C memory (issue 10, item 3).
// The extraction runs in a child test process under `ulimit -v`; it holds
// at most about 1.5 GiB (the 1 GiB arena while it grows).
func TestExtractHugeListsUnderUlimit(t *testing.T) {
	if os.Getenv("PLUGHOST_ULIMIT_CHILD") == "1" {
		hugeListsChild(t)
		return
	}
	if testing.Short() {
		t.Skip("1.5 GiB of C memory")
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory does not fit a 6 GiB address space")
	}
	// Build the fixtures here: the child finds them in the cache.
	fixtures.C(t, "source_only")
	fixtures.C(t, "extract_huge")
	cmd := exec.Command("bash", "-c", `ulimit -v 6291456 && exec "$0" -test.run='^TestExtractHugeListsUnderUlimit$' -test.v`, os.Args[0])
	cmd.Env = append(os.Environ(), "PLUGHOST_ULIMIT_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestExtractHugeListsUnderUlimit")
	assert.NotContains(t, string(out), "out of C memory")
}

func hugeListsChild(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_huge", "fixture_src", []string{"huge.list"}, portable)
		oneBatch(t, openStream(t, src, "1024"), func(b *capability.Batch) {
			res, err := x.ExtractBatch(b)
			require.Error(t, err)
			assert.True(t, errors.Is(err, capability.ErrLimit), "%v", err)
			assert.Contains(t, err.Error(), "plugin 'extract_huge': plugin_extract_fields: event 128 of the batch: field 'huge.list'")
			require.Equal(t, 128, res.Len())
			assert.Equal(t, uint64(12345), res.Column(0).Uint64(127, 12345))
		})
	})
}

// A batch of 2^32-1 event pointers (2 MiB of plugin memory: batch_huge
// maps one page of pointers 16,384 times) used to make the host calloc
// 32 GiB for its result records and panic. Now at most MaxBatchEvents
// events are extracted, the records grow as they are, and the rest fail
// with a limit error. The child runs under a 40 GiB address-space limit:
// the pointer array takes 32 GiB of it (virtual, shared: not RAM).
func TestExtractMaxPointersUnderUlimit(t *testing.T) {
	if os.Getenv("PLUGHOST_ULIMIT_CHILD") == "1" {
		maxPointersChild(t)
		return
	}
	if testing.Short() {
		t.Skip("validates 2^32-1 events (several seconds)")
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory does not fit the address-space limit")
	}
	fixtures.C(t, "batch_huge")
	cmd := exec.Command("bash", "-c", `ulimit -v 41943040 && exec "$0" -test.run='^TestExtractMaxPointersUnderUlimit$' -test.v`, os.Args[0])
	cmd.Env = append(os.Environ(), "PLUGHOST_ULIMIT_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestExtractMaxPointersUnderUlimit")
}

func maxPointersChild(t *testing.T) {
	st := initPlugin(t, fixtures.C(t, "batch_huge"), "")
	x, err := capability.NewExtractor(st, "fixture_src", []string{"fixture.u64", "fixture.str"}, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	require.NoError(t, openStream(t, st, "4294967295").Next(context.Background(), func(b *capability.Batch) error {
		require.Equal(t, 1<<32-1, b.Len())
		res, err := x.ExtractBatch(b)
		require.Error(t, err)
		assert.True(t, errors.Is(err, capability.ErrLimit), "%v", err)
		assert.Contains(t, err.Error(), "the batch has 4294967295 events, more than the host's cap of 1048576")
		require.Equal(t, ffi.MaxBatchEvents, res.Len())
		assert.Equal(t, "fixture-string", string(res.Column(1).Bytes(ffi.MaxBatchEvents-1, 0)))
		return nil
	}))
}
