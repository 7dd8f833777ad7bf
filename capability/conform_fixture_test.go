package capability_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
)

// The conform fixture (testdata/c/conform.c) backs the filter conformance
// tables in filter/testdata/conformance: these tests check that its
// payloads decode into the field values the tables assume.

// conformParams joins event payloads into the fixture's open params.
func conformParams(events []string) string {
	var b strings.Builder
	for _, e := range events {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestConformFixtureFieldValues(t *testing.T) {
	state := initPlugin(t, fixtures.C(t, "conform"), "")
	fields := []string{
		"conform.num", "conform.num2", "conform.str", "conform.str2", "conform.flag", "conform.rel",
		"conform.abs", "conform.ip", "conform.ip2", "conform.net", "conform.nums", "conform.strs",
		"conform.strs2", "conform.flags", "conform.ips", "conform.nets", "conform.idx[1]", "conform.idx",
		"conform.key[a=b]", "conform.key", "conform.req[k]", "conform.payload",
	}
	events := []string{
		"num=18446744073709551615;num2=0;str=a%3Bb%7Cc%3Dd%25e%20f%22g'h%5Ci%C3%A9;str2=;flag=true;" +
			"rel=1500;abs=1700000000000000000;ip=192.168.0.1;ip2=::ffff:1.2.3.4;net=fe80::1;" +
			"nums=1|2|3;strs=a||%7C;strs2=x;flags=false|true;ips=1.2.3.4|::1;nets=10.0.0.1;" +
			"idx=zero|one;key.a%3Db=kv;key.=empty;req.k=rk",
		"",
		"str=first;str=last;strs=;flag=false;idx=only;str2=a%00b",
	}
	prefix := func(s string) netip.Prefix { a := netip.MustParseAddr(s); return netip.PrefixFrom(a, a.BitLen()) }
	want := [][]any{
		{
			uint64(18446744073709551615), uint64(0), "a;b|c=d%e f\"g'h\\i\u00e9", "", true, 1500 * time.Nanosecond,
			time.Unix(0, 1700000000000000000), netip.MustParseAddr("192.168.0.1"), netip.MustParseAddr("::ffff:1.2.3.4"),
			prefix("fe80::1"), []uint64{1, 2, 3}, []string{"a", "", "|"}, []string{"x"}, []bool{false, true},
			[]netip.Addr{netip.MustParseAddr("1.2.3.4"), netip.MustParseAddr("::1")}, []netip.Prefix{prefix("10.0.0.1")},
			"one", nil, "kv", nil, "rk", events[0],
		},
		{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, ""},
		// The last entry for a key wins; an empty list has no value; a
		// string stops at an encoded NUL.
		{nil, nil, "last", "a", false, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, events[2]},
	}
	x, err := capability.NewExtractor(state, "conform", fields, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	st := openStream(t, state, conformParams(events))
	rows := extractAll(t, st, x)
	require.Len(t, rows, len(want))
	for i := range want {
		for j, f := range fields {
			assert.Equal(t, want[i][j], rows[i][j], "event %d field %s", i, f)
		}
	}
}

func TestConformFixtureEvents(t *testing.T) {
	state := initPlugin(t, fixtures.C(t, "conform"), "")
	for _, tt := range []struct {
		params string
		want   []string
	}{
		{"", nil},
		{"\n", []string{""}},
		{"num=1\n\nstr=x\n", []string{"num=1", "", "str=x"}},
		{"num=1\nstr=x", []string{"num=1", "str=x"}},
	} {
		st := openStream(t, state, tt.params)
		var got []string
		for {
			err := st.Next(context.Background(), func(b *capability.Batch) error {
				for i := 0; i < b.Len(); i++ {
					e := b.Event(i)
					assert.Equal(t, uint64(1700000000000000000+len(got)), e.Ts(), "ts of event %d", len(got))
					text, ok := st.EventToString(e)
					assert.True(t, ok)
					assert.Equal(t, string(e.Data()), text, "event_to_string is the payload")
					got = append(got, string(e.Data()))
				}
				return nil
			})
			if errors.Is(err, capability.EOF) {
				break
			}
			require.NoError(t, err)
		}
		assert.Equal(t, tt.want, got, "params %q", tt.params)
	}
}

func TestConformFixtureRejectsBadPayloads(t *testing.T) {
	state := initPlugin(t, fixtures.C(t, "conform"), "")
	src, err := capability.NewSource(state)
	require.NoError(t, err)
	for _, tt := range []struct{ params, msg string }{
		{"num=1\nbogus=1\n", "event 1: unknown key 'bogus'"},
		{"num\n", "event 0: entry 'num' has no '='"},
		{"num=x\n", "event 0: key 'num': 'x' is not a decimal uint64"},
		{"num=18446744073709551616\n", "event 0: key 'num': '18446744073709551616' is not a decimal uint64"},
		{"nums=1||2\n", "event 0: key 'nums': '' is not a decimal uint64"},
		{"flag=1\n", "event 0: key 'flag': '1' is not true or false"},
		{"ip=1.2.3\n", "event 0: key 'ip': '1.2.3' is not an IP address"},
		{"nets=10.0.0.0/8\n", "event 0: key 'nets': '10.0.0.0/8' is not an IP address"},
		{"str=%4\n", "event 0: key 'str': bad %-escape in '%4'"},
		{"str=%zz\n", "event 0: key 'str': bad %-escape in '%zz'"},
		{"%g=1\n", "event 0: bad %-escape in key '%g'"},
	} {
		st, err := src.Open(tt.params)
		if err == nil {
			st.Close()
		}
		assert.ErrorContains(t, err, tt.msg, "params %q", tt.params)
	}
}

// Every event payload of the conformance tables opens, one event each.
func TestConformFixtureTablePayloads(t *testing.T) {
	state := initPlugin(t, fixtures.C(t, "conform"), "")
	src, err := capability.NewSource(state)
	require.NoError(t, err)
	dir := filepath.Join(fixtures.Root(), "filter", "testdata", "conformance")
	for _, file := range []string{"filters.json", "formats.json"} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		require.NoError(t, err)
		var cases []struct {
			Name   string   `json:"name"`
			Events []string `json:"events"`
		}
		require.NoError(t, json.Unmarshal(data, &cases), file)
		require.NotEmpty(t, cases)
		for _, c := range cases {
			st, err := src.Open(conformParams(c.Events))
			if !assert.NoError(t, err, "%s: %s", file, c.Name) {
				continue
			}
			n := 0
			for {
				err := st.Next(context.Background(), func(b *capability.Batch) error { n += b.Len(); return nil })
				if errors.Is(err, capability.EOF) {
					break
				}
				require.NoError(t, err)
			}
			st.Close()
			assert.Equal(t, len(c.Events), n, "%s: %s", file, c.Name)
		}
	}
}
