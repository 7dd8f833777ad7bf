package capability_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
)

// badResult is a fixture whose extract_fields misbehaves on evt-2 only.
type badResult struct {
	fixture string
	fields  []string
	field   string // request named by the error, "" when the call failed
	msg     string // the error text after the event and field
	uintReq int    // request of a uint64 field holding the event index
	want    func(i int) []any
}

var badResults = []badResult{
	{
		fixture: "extract_bad_count", fields: []string{"bad.str", "bad.num"}, field: "bad.num", uintReq: 1,
		msg:  "extract_fields returned several values for a field that is not a list",
		want: func(i int) []any { return []any{"ok-" + strconv.Itoa(i), uint64(i)} },
	},
	{
		fixture: "extract_bad_null_res", fields: []string{"bad.str", "bad.num"}, field: "bad.str", uintReq: 1,
		msg:  "extract_fields returned a NULL value pointer",
		want: func(i int) []any { return []any{"ok-" + strconv.Itoa(i), uint64(i)} },
	},
	{
		fixture: "extract_bad_null_str", fields: []string{"bad.num", "bad.list"}, field: "bad.list", uintReq: 0,
		msg: "extract_fields returned a NULL value pointer",
		want: func(i int) []any {
			n := strconv.Itoa(i)
			return []any{uint64(i), []string{"x-" + n, "y-" + n, "z-" + n}}
		},
	},
	{
		fixture: "extract_bad_ipaddr", fields: []string{"bad.num", "bad.ip"}, field: "bad.ip", uintReq: 0,
		msg: "ipaddr value has 5 bytes, want 4 or 16",
		want: func(i int) []any {
			if i == 1 {
				return []any{uint64(1), netip.MustParseAddr("2001:db8::1")}
			}
			return []any{uint64(i), netip.AddrFrom4([4]byte{10, 0, 0, byte(i)})}
		},
	},
	{
		fixture: "extract_bad_rc", fields: []string{"bad.str", "bad.num"}, uintReq: 1,
		msg:  "extract_fields returned SS_PLUGIN_FAILURE: cannot extract evt-2",
		want: func(i int) []any { return []any{"ok-" + strconv.Itoa(i), uint64(i)} },
	},
}

func (c badResult) errorText(event int) string {
	s := fmt.Sprintf("plugin '%s': plugin_extract_fields: event %d of the batch: ", c.fixture, event)
	if c.field != "" {
		s += "field '" + c.field + "': "
	}
	return s + c.msg
}

func checkExtractError(t *testing.T, err error, c badResult, event int) {
	t.Helper()
	require.Error(t, err)
	assert.EqualError(t, err, c.errorText(event))
	assert.ErrorIs(t, err, capability.ErrExtract)
	var ce *capability.Error
	require.True(t, errors.As(err, &ce), "%T is not a *capability.Error", err)
	assert.Equal(t, event, ce.Event)
	assert.Equal(t, c.fixture, ce.Plugin)
	assert.Equal(t, "plugin_extract_fields", ce.Symbol)
	assert.Equal(t, c.field, ce.Field)
}

func rowOf(res *capability.Results, i, nreq int) []any {
	row := make([]any, nreq)
	for r := range row {
		row[r] = res.Value(i, r).Any()
	}
	return row
}

func newBadExtractor(t *testing.T, c badResult, portable bool) *capability.Extractor {
	t.Helper()
	ext := initPlugin(t, fixtures.C(t, c.fixture), "")
	x, err := capability.NewExtractor(ext, "fixture_src", c.fields, capability.ExtractOptions{})
	require.NoError(t, err)
	t.Cleanup(x.Close)
	if portable {
		x.UsePortableDriver()
	}
	return x
}

// A bad result at event 2 of a 5-event batch fails the batch with a precise
// error and keeps the results of events 0 and 1; the extractor still works
// for the next batch.
func TestExtractRejectsBadResultsKeepingThoseBeforeExtra(t *testing.T) {
	for _, c := range badResults {
		for _, portable := range []bool{false, true} {
			t.Run(c.fixture+"/portable="+strconv.FormatBool(portable), func(t *testing.T) {
				src := initPlugin(t, fixtures.C(t, "source_only"), "")
				x := newBadExtractor(t, c, portable)
				calls := 0
				err := openStream(t, src, "5").Next(context.Background(), func(b *capability.Batch) error {
					calls++
					require.Equal(t, 5, b.Len())
					res, err := x.ExtractBatch(b)
					checkExtractError(t, err, c, 2)
					require.NotNil(t, res)
					assert.Equal(t, 2, res.Len(), "Results.Len() is the number of events before the failing one")
					for i := 0; i < 2 && i < res.Len(); i++ {
						assert.Equal(t, c.want(i), rowOf(res, i, len(c.fields)), "event %d", i)
					}
					for i := res.Len(); i < b.Len(); i++ {
						for r := range c.fields {
							assert.False(t, res.Value(i, r).Present(), "event %d request %d has no value", i, r)
						}
						_, ok := res.Uint64(i, c.uintReq)
						assert.False(t, ok, "event %d", i)
						_, ok = res.Uint64Column(c.uintReq).At(i)
						assert.False(t, ok, "event %d", i)
					}
					return nil
				})
				require.NoError(t, err)
				require.Equal(t, 1, calls)

				// The next batch (evt-0, evt-1 only) extracts normally.
				rows := extractAll(t, openStream(t, src, "2"), x)
				assert.Equal(t, [][]any{c.want(0), c.want(1)}, rows)
			})
		}
	}
}

// The one-event paths (Extract, ExtractOwned) validate results the same way.
func TestExtractOneEventRejectsBadResultsExtra(t *testing.T) {
	for _, c := range badResults {
		for _, portable := range []bool{false, true} {
			t.Run(c.fixture+"/portable="+strconv.FormatBool(portable), func(t *testing.T) {
				src := initPlugin(t, fixtures.C(t, "source_only"), "")
				events, err := drain(t, openStream(t, src, "5"))
				require.NoError(t, err)
				require.Len(t, events, 5)
				x := newBadExtractor(t, c, portable)
				for i, ev := range events {
					res, err := x.ExtractOwned(ev)
					if i == 2 {
						checkExtractError(t, err, c, 0)
						if res != nil {
							assert.Equal(t, 0, res.Len(), "a failed extraction has no results")
						}
						continue
					}
					require.NoError(t, err, "event %d", i)
					require.Equal(t, 1, res.Len())
					assert.Equal(t, c.want(i), rowOf(res, 0, len(c.fields)), "event %d", i)
				}

				// Extract on lent events agrees with ExtractOwned.
				err = openStream(t, src, "5").Next(context.Background(), func(b *capability.Batch) error {
					for i := 0; i < b.Len(); i++ {
						res, err := x.Extract(b.Event(i))
						if i == 2 {
							checkExtractError(t, err, c, 0)
							continue
						}
						require.NoError(t, err, "event %d", i)
						assert.Equal(t, c.want(i), rowOf(res, 0, len(c.fields)), "event %d", i)
					}
					return nil
				})
				require.NoError(t, err)
			})
		}
	}
}

// bigString is string j of event i from extract_big.
func bigString(i, j int) string {
	prefix := fmt.Sprintf("%d/%d:", i, j)
	return prefix + strings.Repeat(string(rune('a'+(7*i+j)%26)), 1024-len(prefix))
}

func checkBigRow(t *testing.T, res *capability.Results, row, event int) {
	t.Helper()
	require.Equal(t, uint64(event), res.Value(row, 1).Any(), "big.num of event %d", event)
	require.Equal(t, uint64(event), res.Value(row, 2).Any(), "second big.num request of event %d", event)
	v := res.Value(row, 0)
	require.Equal(t, 200, v.Len(), "event %d", event)
	for j := 0; j < 200; j++ {
		if got := v.Bytes(j); !bytes.Equal(got, []byte(bigString(event, j))) {
			t.Fatalf("event %d string %d: got %d bytes %.40q..., want %.40q...", event, j, len(got), got, bigString(event, j))
		}
	}
}

// 100 events of 200 KiB of results each overflow the initial 64 KiB arena
// many times: the batch resumes after each growth and every value is exact.
func TestExtractBigResultsGrowArenaExtra(t *testing.T) {
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) {
			src := initPlugin(t, fixtures.C(t, "source_only"), "")
			ext := initPlugin(t, fixtures.C(t, "extract_big"), "")
			x, err := capability.NewExtractor(ext, "fixture_src", []string{"big.list", "big.num", "big.num"}, capability.ExtractOptions{ValueOffsets: true})
			require.NoError(t, err)
			defer x.Close()
			if portable {
				x.UsePortableDriver()
			}
			var owned []capability.OwnedEvent
			for round := 0; round < 2; round++ { // the second stream reuses the grown arena
				seen := 0
				st := openStream(t, src, "100")
				for {
					err := st.Next(context.Background(), func(b *capability.Batch) error {
						res, err := x.ExtractBatch(b)
						require.NoError(t, err)
						require.Equal(t, b.Len(), res.Len())
						for i := 0; i < b.Len(); i++ {
							checkBigRow(t, res, i, seen+i)
							col, ok := res.Uint64Column(1).At(i)
							require.True(t, ok)
							require.Equal(t, uint64(seen+i), col)
						}
						if round == 0 {
							owned = append(owned, b.Event(0).Copy(), b.Event(b.Len()-1).Copy())
						}
						seen += b.Len()
						return nil
					})
					if errors.Is(err, capability.EOF) {
						break
					}
					require.NoError(t, err)
				}
				require.Equal(t, 100, seen)
			}
			for _, o := range owned {
				res, err := x.ExtractOwned(o)
				require.NoError(t, err)
				require.Equal(t, 1, res.Len())
				checkBigRow(t, res, 0, int(o.Num-1))
			}
		})
	}
}

// When a field is requested twice, the second request goes in a second
// extract_fields call that may succeed past the event where the first call
// failed: every reader must still stop at Results.Len().
func TestExtractMultiRoundFailureReadersAgreeExtra(t *testing.T) {
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) {
			src := initPlugin(t, fixtures.C(t, "source_only"), "")
			ext := initPlugin(t, fixtures.C(t, "extract_bad_null_res"), "")
			// Round 1: bad.str, bad.num (fails at evt-2); round 2: bad.num.
			x, err := capability.NewExtractor(ext, "fixture_src", []string{"bad.str", "bad.num", "bad.num"}, capability.ExtractOptions{})
			require.NoError(t, err)
			defer x.Close()
			if portable {
				x.UsePortableDriver()
			}
			err = openStream(t, src, "5").Next(context.Background(), func(b *capability.Batch) error {
				res, err := x.ExtractBatch(b)
				assert.EqualError(t, err, "plugin 'extract_bad_null_res': plugin_extract_fields: event 2 of the batch: field 'bad.str': extract_fields returned a NULL value pointer")
				require.Equal(t, 2, res.Len())
				for i := 0; i < 2; i++ {
					assert.Equal(t, []any{"ok-" + strconv.Itoa(i), uint64(i), uint64(i)}, rowOf(res, i, 3))
				}
				for req := 1; req <= 2; req++ {
					col := res.Uint64Column(req)
					for i := 0; i < b.Len(); i++ {
						v, ok := res.Uint64(i, req)
						cv, cok := col.At(i)
						assert.Equal(t, i < 2, ok, "Results.Uint64(%d, %d)", i, req)
						assert.Equal(t, i < 2, cok, "Uint64Column(%d).At(%d) = %d, %v; Results.Len() = %d", req, i, cv, cok, res.Len())
						if ok && cok {
							assert.Equal(t, v, cv)
						}
					}
				}
				return nil
			})
			require.NoError(t, err)
		})
	}
}

// extract_bad_mixed returns a 5-byte ipaddr at evt-2 and a NULL string
// pointer at evt-3: the first bad event is the one reported, and the bad
// address is not left readable.
func TestExtractReportsFirstBadResultExtra(t *testing.T) {
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) {
			src := initPlugin(t, fixtures.C(t, "source_only"), "")
			ext := initPlugin(t, fixtures.C(t, "extract_bad_mixed"), "")
			x, err := capability.NewExtractor(ext, "fixture_src", []string{"bad.str", "bad.ip"}, capability.ExtractOptions{})
			require.NoError(t, err)
			defer x.Close()
			if portable {
				x.UsePortableDriver()
			}
			err = openStream(t, src, "5").Next(context.Background(), func(b *capability.Batch) error {
				res, err := x.ExtractBatch(b)
				assert.EqualError(t, err, "plugin 'extract_bad_mixed': plugin_extract_fields: event 2 of the batch: field 'bad.ip': ipaddr value has 5 bytes, want 4 or 16")
				require.NotNil(t, res)
				assert.Equal(t, 2, res.Len())
				for i := 0; i < res.Len(); i++ {
					v := res.Value(i, 1)
					if v.Present() {
						assert.Len(t, v.Bytes(0), 4, "event %d: bad.ip must be 4 or 16 bytes", i)
					}
				}
				return nil
			})
			require.NoError(t, err)
		})
	}
}
