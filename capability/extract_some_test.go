package capability_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
)

// extract_evtnum's fields, in this order in every test below.
var evtnumFields = []string{"num.idx", "num.evtnum", "num.calls", "num.str", "num.odd", "num.list"}

const (
	reqIdx = iota
	reqEvtnum
	reqCalls
	reqStr
	reqOdd
	reqList
)

// bothDrivers runs fn with the batch driver and with the portable one.
func bothDrivers(t *testing.T, fn func(t *testing.T, portable bool)) {
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) { fn(t, portable) })
	}
}

func newExtractor(t *testing.T, fixture, source string, fields []string, portable bool) *capability.Extractor {
	t.Helper()
	x, err := capability.NewExtractor(initPlugin(t, fixtures.C(t, fixture), ""), source, fields, capability.ExtractOptions{})
	require.NoError(t, err)
	t.Cleanup(x.Close)
	if portable {
		x.UsePortableDriver()
	}
	return x
}

// oneBatch reads the first batch of st and hands it to fn.
func oneBatch(t *testing.T, st *capability.Stream, fn func(b *capability.Batch)) {
	t.Helper()
	require.NoError(t, st.Next(context.Background(), func(b *capability.Batch) error { fn(b); return nil }))
}

// evtnumRow is what extract_evtnum returns for evt-<idx> at evtnum num,
// extracted by the calls-th extract_fields call.
func evtnumRow(idx, num, calls uint64) []any {
	var list any = []string{}
	if idx%4 != 0 {
		l := []string{}
		for j := range idx % 4 {
			l = append(l, fmt.Sprintf("%d.%d", idx, j))
		}
		list = l
	} else {
		list = nil
	}
	return []any{idx, num, calls, fmt.Sprintf("s-%d", idx), idx%2 == 1, list}
}

// columnRow reads the values of batch event i through Results.Column, in
// the shape of evtnumRow (nil for absent values).
func columnRow(res *capability.Results, i int) []any {
	row := make([]any, len(evtnumFields))
	for _, r := range []int{reqIdx, reqEvtnum, reqCalls} {
		if c := res.Column(r); c.Count(i) > 0 {
			row[r] = c.Uint64(i, 0)
		}
	}
	if c := res.Column(reqStr); c.Count(i) > 0 {
		row[reqStr] = string(c.Bytes(i, 0))
	}
	if c := res.Column(reqOdd); c.Count(i) > 0 {
		row[reqOdd] = c.Bool(i, 0)
	}
	if c := res.Column(reqList); c.Count(i) > 0 {
		l := []string{}
		for k := range c.Count(i) {
			l = append(l, string(c.Bytes(i, k)))
		}
		row[reqList] = l
	}
	return row
}

// checkRows checks every event of a batch of n: want[i] is the row of
// event i, nil when it must read as absent, by Value and by Column.
func checkRows(t *testing.T, res *capability.Results, n int, want map[int][]any) {
	t.Helper()
	absent := make([]any, len(evtnumFields))
	for i := range n {
		w, ok := want[i]
		if !ok {
			w = absent
		}
		assert.Equal(t, w, rowOf(res, i, len(evtnumFields)), "Value, event %d", i)
		assert.Equal(t, w, columnRow(res, i), "Column, event %d", i)
	}
}

// ExtractSome extracts only the events asked for, adds to the earlier calls
// for the same batch, gives the plugin each event's own evtnum, and calls
// extract_fields once per event extracted.
func TestExtractSomeAccumulates(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_evtnum", "fixture_src", evtnumFields, portable)
		oneBatch(t, openStream(t, src, "12"), func(b *capability.Batch) {
			require.Equal(t, 12, b.Len())
			want := map[int][]any{}
			calls := uint64(0)
			for _, events := range [][]int32{{1, 3, 5}, {0, 4, 11}, {}, {2, 6, 7, 8}} {
				res, err := x.ExtractSome(b, events)
				require.NoError(t, err)
				assert.Equal(t, 12, res.Len())
				for _, i := range events {
					calls++
					want[int(i)] = evtnumRow(uint64(i), uint64(i)+1, calls)
				}
				checkRows(t, res, 12, want)
			}
			// Events 9 and 10 were never asked for.
			res, err := x.ExtractSome(b, []int32{10})
			require.NoError(t, err)
			calls++
			want[10] = evtnumRow(10, 11, calls)
			checkRows(t, res, 12, want)
			assert.Equal(t, 0, res.Column(reqIdx).Count(9))
		})
	})
}

// A new batch, or any other extraction call, starts afresh; the plugin sees
// the evtnums of the second batch.
func TestExtractSomeNewBatch(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		x := newExtractor(t, "bench_pair", "bench_pair", []string{"pair.num", "pair.str"}, portable)
		st := openStream(t, initPlugin(t, fixtures.C(t, "bench_pair"), ""), "1024")
		var first *capability.Batch
		oneBatch(t, st, func(b *capability.Batch) {
			first = b
			res, err := x.ExtractSome(b, []int32{3, 5})
			require.NoError(t, err)
			assert.Equal(t, []int{0, 1, 0, 1}, []int{res.Column(0).Count(2), res.Column(0).Count(3), res.Column(1).Count(4), res.Column(1).Count(5)})
			assert.Equal(t, "constant", string(res.Column(1).Bytes(5, 0)))
			// After ExtractBatch, ExtractSome starts afresh on the same batch.
			res, err = x.ExtractBatch(b)
			require.NoError(t, err)
			assert.Equal(t, 1, res.Column(0).Count(100))
			res, err = x.ExtractSome(b, []int32{3})
			require.NoError(t, err)
			assert.Equal(t, []int{1, 0, 0}, []int{res.Column(0).Count(3), res.Column(0).Count(5), res.Column(0).Count(100)})
		})
		oneBatch(t, st, func(b *capability.Batch) {
			require.Same(t, first, b, "the stream reuses its Batch")
			assert.Equal(t, uint64(513), b.Num(0))
			// Event 3 of this batch is not event 3 of the last one.
			res, err := x.ExtractSome(b, []int32{3, 511})
			require.NoError(t, err)
			assert.Equal(t, []int{1, 0, 1}, []int{res.Column(0).Count(3), res.Column(0).Count(5), res.Column(0).Count(511)})
			assert.Equal(t, uint64(7), res.Column(0).Uint64(511, 0))
		})
	})
}

// Rows appended after the arena grew keep the rows before them: every
// event of extract_big is over 200 KiB.
func TestExtractSomeArenaGrowth(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_big", "fixture_src", []string{"big.list", "big.num"}, portable)
		oneBatch(t, openStream(t, src, "6"), func(b *capability.Batch) {
			check := func(res *capability.Results, i int) {
				t.Helper()
				list, num := res.Column(0), res.Column(1)
				require.Equal(t, 200, list.Count(i), "event %d", i)
				assert.Equal(t, uint64(i), num.Uint64(i, 0))
				for _, j := range []int{0, 1, 77, 199} {
					s := list.Bytes(i, j)
					prefix := fmt.Sprintf("%d/%d:", i, j)
					require.Len(t, s, 1024)
					assert.Equal(t, prefix, string(s[:len(prefix)]))
					assert.Equal(t, byte('a'+(7*i+j)%26), s[1023], "event %d string %d", i, j)
					assert.Equal(t, s, res.Value(i, 0).Bytes(j))
				}
			}
			var res *capability.Results
			var err error
			for _, events := range [][]int32{{1}, {2, 4}, {5}} {
				res, err = x.ExtractSome(b, events)
				require.NoError(t, err)
			}
			for _, i := range []int{1, 2, 4, 5} {
				check(res, i)
			}
			for _, i := range []int{0, 3} {
				assert.Equal(t, 0, res.Column(0).Count(i))
				assert.False(t, res.Value(i, 1).Present())
			}
		})
	})
}

// A failure names the batch index of the event; earlier events keep their
// values, and the failing event and those after it can be asked again.
func TestExtractSomeFailure(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_bad_rc", "fixture_src", []string{"bad.str", "bad.num"}, portable)
		oneBatch(t, openStream(t, src, "6"), func(b *capability.Batch) {
			ok := func(i int) []any { return []any{"ok-" + strconv.Itoa(i), uint64(i)} }
			absent := []any{nil, nil}
			_, err := x.ExtractSome(b, []int32{0, 5})
			require.NoError(t, err)
			res, err := x.ExtractSome(b, []int32{1, 2, 3})
			var ce *capability.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, 2, ce.Event)
			assert.EqualError(t, err, "plugin 'extract_bad_rc': plugin_extract_fields: event 2 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract evt-2")
			assert.Equal(t, 6, res.Len())
			for i, want := range [][]any{ok(0), ok(1), absent, absent, absent, ok(5)} {
				assert.Equal(t, want, rowOf(res, i, 2), "event %d", i)
				assert.Equal(t, want[1] != nil, res.Column(1).Count(i) == 1, "event %d", i)
			}
			res, err = x.ExtractSome(b, []int32{3, 4})
			require.NoError(t, err)
			for i, want := range [][]any{ok(0), ok(1), absent, ok(3), ok(4), ok(5)} {
				assert.Equal(t, want, rowOf(res, i, 2), "event %d", i)
			}
		})
	})
}

// A bad ipaddr (checked after the driver ran) in a later call fails at its
// batch index too.
func TestExtractSomeBadBuffer(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_bad_ipaddr", "fixture_src", []string{"bad.num", "bad.ip"}, portable)
		oneBatch(t, openStream(t, src, "4"), func(b *capability.Batch) {
			_, err := x.ExtractSome(b, []int32{0, 1})
			require.NoError(t, err)
			res, err := x.ExtractSome(b, []int32{2, 3})
			var ce *capability.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, 2, ce.Event)
			assert.Equal(t, "bad.ip", ce.Field)
			assert.Equal(t, []int{1, 1, 0, 0}, []int{res.Column(1).Count(0), res.Column(1).Count(1), res.Column(1).Count(2), res.Column(1).Count(3)})
			assert.Equal(t, []byte{10, 0, 0, 0}, res.Column(1).Bytes(0, 0))
			assert.Len(t, res.Column(1).Bytes(1, 0), 16)
		})
	})
}

// In a batch of mixed event types, events of other types are skipped (no
// extract_fields call: extract_evtnum fails on them) and every plugin event
// gets its own evtnum: filtered rows are not numbered by their position
// among the extracted events. This holds for ExtractBatch too.
func TestExtractFilteredEvtnum(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "extract_mixed_src"), "")
		x := newExtractor(t, "extract_evtnum", "syscall", evtnumFields, portable)
		oneBatch(t, openStream(t, src, "4"), func(b *capability.Batch) {
			// [t3, evt-0, t3, evt-1, t3, evt-2, evt-3], evtnums 1..7.
			require.Equal(t, 7, b.Len())
			res, err := x.ExtractBatch(b)
			require.NoError(t, err)
			checkRows(t, res, 7, map[int][]any{1: evtnumRow(0, 2, 1), 3: evtnumRow(1, 4, 2), 5: evtnumRow(2, 6, 3), 6: evtnumRow(3, 7, 4)})

			res, err = x.ExtractSome(b, []int32{0, 3, 4, 6})
			require.NoError(t, err)
			checkRows(t, res, 7, map[int][]any{3: evtnumRow(1, 4, 5), 6: evtnumRow(3, 7, 6)})
			// Skipped events may be asked again; they stay absent.
			res, err = x.ExtractSome(b, []int32{0, 1, 2})
			require.NoError(t, err)
			checkRows(t, res, 7, map[int][]any{1: evtnumRow(0, 2, 7), 3: evtnumRow(1, 4, 5), 6: evtnumRow(3, 7, 6)})
		})
	})
}

func TestExtractSomePanics(t *testing.T) {
	src := initPlugin(t, fixtures.C(t, "source_only"), "")
	x := newExtractor(t, "extract_evtnum", "fixture_src", evtnumFields, false)
	oneBatch(t, openStream(t, src, "5"), func(b *capability.Batch) {
		_, err := x.ExtractSome(b, []int32{1, 3})
		require.NoError(t, err)
		assert.PanicsWithValue(t, "plughost: ExtractSome: event 3 was already extracted from this batch", func() { x.ExtractSome(b, []int32{2, 3}) })
		for _, bad := range [][]int32{{4, 2}, {2, 2}, {5}, {-1}} {
			assert.Panics(t, func() { x.ExtractSome(b, bad) }, "%v", bad)
		}
		// The batch is still usable after the panics, which changed nothing.
		res, err := x.ExtractSome(b, []int32{4})
		require.NoError(t, err)
		assert.Equal(t, uint64(4), res.Column(reqIdx).Uint64(4, 0))
		assert.Equal(t, uint64(3), res.Column(reqCalls).Uint64(4, 0), "event 4: the third extract_fields call")
		// Reading an absent value panics: an event not extracted (2), an
		// empty list (4 % 4 == 0).
		assert.Equal(t, 0, res.Column(reqIdx).Count(2))
		assert.Panics(t, func() { res.Column(reqIdx).Uint64(2, 0) })
		assert.Panics(t, func() { res.Column(reqStr).Bytes(2, 0) })
		assert.Panics(t, func() { res.Column(reqList).Bytes(4, 0) })
		assert.Equal(t, "3.2", string(res.Column(reqList).Bytes(3, 2)))
	})
}

// Column reads what Value reads for every field type, for whole batches;
// its element readers panic outside the values and on another type.
func TestColumnEveryType(t *testing.T) {
	fields := []string{"fixture.str", "fixture.u64", "fixture.reltime", "fixture.abstime", "fixture.bool",
		"fixture.ipaddr", "fixture.ipnet", "fixture.list"}
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_only", "fixture_src", fields, portable)
		oneBatch(t, openStream(t, src, "3"), func(b *capability.Batch) {
			res, err := x.ExtractBatch(b)
			require.NoError(t, err)
			for i := range 3 {
				for r := range fields {
					c, v := res.Column(r), res.Value(i, r)
					require.Equal(t, v.Len(), c.Count(i), "%s", fields[r])
					for k := range c.Count(i) {
						switch r {
						case 0, 5, 6, 7:
							assert.Equal(t, v.Bytes(k), c.Bytes(i, k))
						case 4:
							assert.Equal(t, v.Bool(k), c.Bool(i, k))
						default:
							assert.Equal(t, v.Uint64(k), c.Uint64(i, k))
						}
					}
				}
			}
			assert.Equal(t, "c", string(res.Column(7).Bytes(2, 2)))
			assert.Equal(t, 0, res.Column(1).Count(3), "past the batch")
			assert.Equal(t, 0, res.Column(1).Count(-1))
			u, ok := res.Uint64Column(1).At(2)
			assert.True(t, ok)
			assert.Equal(t, uint64(42), u)
			_, ok = res.Uint64Column(0).At(2)
			assert.False(t, ok, "Uint64Column of a string field")
			for name, read := range map[string]func(){
				"past the batch":  func() { res.Column(1).Uint64(3, 0) },
				"k past the list": func() { res.Column(7).Bytes(0, 3) },
				"k < 0":           func() { res.Column(7).Bytes(0, -1) },
				"string as u64":   func() { res.Column(0).Uint64(0, 0) },
				"u64 as bytes":    func() { res.Column(1).Bytes(0, 0) },
				"u64 as bool":     func() { res.Column(1).Bool(0, 0) },
				"bool as u64":     func() { res.Column(4).Uint64(0, 0) },
			} {
				assert.Panics(t, read, name)
			}
		})
	})
}

// After a failed ExtractBatch, Column reads the events before the failure
// only, for whole and for type-filtered batches.
func TestColumnAfterFailure(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_bad_rc", "fixture_src", []string{"bad.str", "bad.num"}, portable)
		oneBatch(t, openStream(t, src, "5"), func(b *capability.Batch) {
			res, err := x.ExtractBatch(b)
			require.Error(t, err)
			require.Equal(t, 2, res.Len())
			c := res.Column(1)
			assert.Equal(t, []int{1, 1, 0, 0, 0}, []int{c.Count(0), c.Count(1), c.Count(2), c.Count(3), c.Count(4)})
		})
		mixed := initPlugin(t, fixtures.C(t, "extract_mixed_src"), "")
		y := newExtractor(t, "extract_bad_rc", "syscall", []string{"bad.str", "bad.num"}, portable)
		oneBatch(t, openStream(t, mixed, "4"), func(b *capability.Batch) {
			res, err := y.ExtractBatch(b)
			require.Error(t, err)
			c := res.Column(1)
			// [t3, evt-0, t3, evt-1, t3, evt-2 (fails), evt-3]
			assert.Equal(t, []int{0, 1, 0, 1, 0, 0, 0}, []int{c.Count(0), c.Count(1), c.Count(2), c.Count(3), c.Count(4), c.Count(5), c.Count(6)})
			assert.Equal(t, "ok-1", string(res.Column(0).Bytes(3, 0)))
		})
	})
}

// A field requested with two arguments takes two rounds (two calls per
// event); Columns of both rounds read by batch index, also for ExtractSome.
func TestColumnTwoRounds(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_only", "fixture_src", []string{"fixture.idx[3]", "fixture.u64", "fixture.idx[7]", "fixture.str"}, portable)
		oneBatch(t, openStream(t, src, "4"), func(b *capability.Batch) {
			res, err := x.ExtractSome(b, []int32{1, 3})
			require.NoError(t, err)
			for _, i := range []int{1, 3} {
				assert.Equal(t, uint64(3), res.Column(0).Uint64(i, 0))
				assert.Equal(t, uint64(42), res.Column(1).Uint64(i, 0))
				assert.Equal(t, uint64(7), res.Column(2).Uint64(i, 0))
				assert.Equal(t, "fixture-string", string(res.Column(3).Bytes(i, 0)))
				assert.Equal(t, uint64(7), res.Value(i, 2).Uint64(0))
			}
			for _, i := range []int{0, 2} {
				for r := range 4 {
					assert.Equal(t, 0, res.Column(r).Count(i))
				}
			}
		})
	})
}

// The steady state allocates nothing: ExtractSome, ExtractBatch, Column
// reads, the Batch accessors and Stream.Next, with either driver.
func TestExtractSomeNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	bothDrivers(t, testNoAllocs)
}

func testNoAllocs(t *testing.T, portable bool) {
	x := newExtractor(t, "bench_pair", "bench_pair", []string{"pair.num", "pair.str"}, portable)
	st := openStream(t, initPlugin(t, fixtures.C(t, "bench_pair"), ""), "")
	first, second := []int32{0, 2, 4, 100, 511}, []int32{1, 3, 200}
	var sink uint64
	next := func(b *capability.Batch) error {
		_, err := x.ExtractSome(b, first)
		return err
	}
	ctx := context.Background()
	assert.Zero(t, testing.AllocsPerRun(50, func() {
		if err := st.Next(ctx, next); err != nil {
			panic(err)
		}
	}), "Next and ExtractSome")
	oneBatch(t, st, func(b *capability.Batch) {
		allocs := testing.AllocsPerRun(100, func() {
			res, err := x.ExtractSome(b, first)
			if err != nil {
				panic(err)
			}
			if res, err = x.ExtractSome(b, second); err != nil {
				panic(err)
			}
			num, str := res.Column(0), res.Column(1)
			for i := range b.Len() {
				if num.Count(i) > 0 {
					sink += num.Uint64(i, 0) + uint64(len(str.Bytes(i, 0)))
				}
				sink += b.Num(i) + b.Ts(i) + uint64(b.Type(i))
			}
			if res, err = x.ExtractBatch(b); err != nil {
				panic(err)
			}
			sink += uint64(res.Column(0).Count(7))
		})
		assert.Zero(t, allocs)
	})
	assert.NotZero(t, sink)
}

// The Batch accessors read what Event reads, and panic once the callback
// has returned.
func TestBatchAccessors(t *testing.T) {
	src := initPlugin(t, fixtures.C(t, "source_only"), "")
	st := openStream(t, src, "3")
	var stale *capability.Batch
	oneBatch(t, st, func(b *capability.Batch) {
		stale = b
		for i := range b.Len() {
			e := b.Event(i)
			assert.Equal(t, e.Num(), b.Num(i))
			assert.Equal(t, uint64(i+1), b.Num(i))
			assert.Equal(t, e.Ts(), b.Ts(i))
			assert.Equal(t, e.Type(), b.Type(i))
			text, ok := b.EventToString(i)
			assert.True(t, ok)
			assert.Equal(t, "evt-"+strconv.Itoa(i), text)
		}
		assert.Equal(t, uint32(991), b.PluginID())
		assert.Equal(t, "source_only", b.PluginName())
		assert.Equal(t, "fixture_src", b.EventSource())
		assert.Panics(t, func() { b.Ts(3) })
		assert.Panics(t, func() { b.Num(-1) })
	})
	assert.Panics(t, func() { stale.Ts(0) })
	assert.Panics(t, func() { stale.Type(0) })
	assert.Panics(t, func() { stale.EventToString(0) })
	assert.Panics(t, func() { stale.Event(0).Ts() }, "an Event built after the callback is stale too")

	// A plugin without event_to_string.
	pair := openStream(t, initPlugin(t, fixtures.C(t, "bench_pair"), ""), "5")
	oneBatch(t, pair, func(b *capability.Batch) {
		_, ok := b.EventToString(0)
		assert.False(t, ok)
	})
	err := st.Next(context.Background(), func(*capability.Batch) error { return nil })
	assert.True(t, errors.Is(err, capability.EOF))
}

// String results of every length from 0 to 40, at every alignment, are
// copied exactly by both drivers.
func TestExtractStringLengths(t *testing.T) {
	bothDrivers(t, func(t *testing.T, portable bool) {
		src := initPlugin(t, fixtures.C(t, "source_only"), "")
		x := newExtractor(t, "extract_lens", "fixture_src", []string{"lens.text", "lens.one"}, portable)
		oneBatch(t, openStream(t, src, "24"), func(b *capability.Batch) {
			res, err := x.ExtractBatch(b)
			require.NoError(t, err)
			want := func(i, j int) string {
				s := make([]byte, j)
				for k := range s {
					s[k] = byte('a' + (i+j+k)%26)
				}
				return string(s)
			}
			text, one := res.Column(0), res.Column(1)
			for i := range b.Len() {
				require.Equal(t, 41, text.Count(i))
				for j := range 41 {
					require.Equal(t, want(i, j), string(text.Bytes(i, j)), "event %d string %d", i, j)
				}
				assert.Equal(t, want(i, i%41), string(one.Bytes(i, 0)), "event %d", i)
				assert.Equal(t, want(i, i%41), res.Value(i, 1).String(0), "event %d", i)
			}
		})
	})
}
