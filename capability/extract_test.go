package capability_test

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/fieldref"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

// extractAll streams every event of st and returns, per event, the Any()
// value of each request.
func extractAll(t *testing.T, st *capability.Stream, x *capability.Extractor) [][]any {
	var rows [][]any
	for {
		err := st.Next(context.Background(), func(b *capability.Batch) error {
			res, err := x.ExtractBatch(b)
			if err != nil {
				return err
			}
			for i := 0; i < res.Len(); i++ {
				row := make([]any, len(x.Requests()))
				for r := range row {
					row[r] = res.Value(i, r).Any()
				}
				rows = append(rows, row)
			}
			return nil
		})
		if errors.Is(err, capability.EOF) {
			return rows
		}
		require.NoError(t, err)
	}
}

func TestExtractEveryTypeBothDrivers(t *testing.T) {
	fields := []string{"fixture.str", "fixture.u64", "fixture.reltime", "fixture.abstime", "fixture.bool",
		"fixture.ipaddr", "fixture.ipnet", "fixture.list", "fixture.idx[3]", "fixture.key[foo/bar]", "fixture.key",
		"fixture.idx[18446744073709551615]"}
	want := []any{"fixture-string", uint64(42), 1500 * time.Millisecond, time.Unix(0, 1700000000000000000), true,
		netip.MustParseAddr("192.168.0.1"), netip.MustParsePrefix("10.0.0.0/32"), []string{"a", "b", "c"},
		uint64(3), "foo/bar", "no-key", uint64(18446744073709551615)}
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) {
			src := initPlugin(t, fixtures.C(t, "source_only"), "")
			ext := initPlugin(t, fixtures.C(t, "extract_only"), "")
			x, err := capability.NewExtractor(ext, "fixture_src", fields, capability.ExtractOptions{ValueOffsets: true})
			require.NoError(t, err)
			defer x.Close()
			if portable {
				x.UsePortableDriver()
			}
			rows := extractAll(t, openStream(t, src, "200"), x)
			require.Len(t, rows, 200)
			for _, row := range rows {
				assert.Equal(t, want, row)
			}
		})
	}
}

func TestExtractGoSDKPlugin(t *testing.T) {
	state := initPlugin(t, fixtures.GoSDK(t, "gocounter"), "")
	x, err := capability.NewExtractor(state, "gocounter",
		[]string{"gocounter.value", "gocounter.even", "gocounter.text", "gocounter.digits", "gocounter.arg[2]", "gocounter.arg[5]"},
		capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	rows := extractAll(t, openStream(t, state, "1000"), x)
	require.Len(t, rows, 1000)
	for i, row := range rows {
		v := row[0].(uint64)
		assert.Equal(t, v%2 == 0, row[1], "event %d", i)
		assert.Equal(t, strconv.FormatUint(v, 10), row[2])
		var digits []string
		for _, c := range strconv.FormatUint(v, 10) {
			digits = append(digits, string(c))
		}
		assert.Equal(t, digits, row[3])
		// The same field with two arguments goes in two calls: the Go SDK
		// keeps one buffer per field.
		assert.Equal(t, v+2, row[4])
		assert.Equal(t, v+5, row[5])
	}
}

func TestCompileFieldErrors(t *testing.T) {
	state := initPlugin(t, fixtures.C(t, "extract_only"), "")
	// Messages after the field are libsinsp's (fieldref), but for an
	// unknown name, which libsinsp reports for a whole source.
	tests := []struct{ text, msg string }{
		{"fixture.nope", "plugin 'extract_only': field 'fixture.nope': plugin has no field 'fixture.nope'"},
		{"fixture.idx", "plugin 'extract_only': field 'fixture.idx': filter 'fixture.idx': fixture.idx requires an argument but none provided"},
		{"fixture.u64[1]", "plugin 'extract_only': field 'fixture.u64[1]': filter 'fixture.u64[1]': fixture.u64 does not allow nor require an argument but one is provided: 1"},
		{"fixture.idx[01]", "plugin 'extract_only': field 'fixture.idx[01]': filter fixture.idx[01] fixture.idx has an invalid index argument starting with 0: 01"},
		{"fixture.idx[x]", "plugin 'extract_only': field 'fixture.idx[x]': filter fixture.idx[x] fixture.idx has an invalid index argument not composed only by digits: x"},
		{"fixture.idx[18446744073709551616]", "plugin 'extract_only': field 'fixture.idx[18446744073709551616]': filter fixture.idx[18446744073709551616] fixture.idx has an invalid index argument not representable on 64 bit: 18446744073709551616"},
		{`fixture.idx[""]`, `plugin 'extract_only': field 'fixture.idx[""]': filter fixture.idx[] fixture.idx has an invalid index argument starting with 0: `},
		{"fixture.idx[]", "plugin 'extract_only': field 'fixture.idx[]': expected a valid field argument: a quoted string or a bare string"},
		{"fixture.key[abc", "plugin 'extract_only': field 'fixture.key[abc': expected a ']' token"},
		{"fixture.key[a b]", "plugin 'extract_only': field 'fixture.key[a b]': expected a ']' token"},
		{`fixture.key["a b"]`, `plugin 'extract_only': field 'fixture.key["a b"]': filter 'fixture.key[a': fixture.key has unbalanced argument brackets`},
		{"fixture.key[a] x", "plugin 'extract_only': field 'fixture.key[a] x': unexpected text after the field reference"},
		{"fixture", "plugin 'extract_only': field 'fixture': expected a field name"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			_, err := capability.NewExtractor(state, "fixture_src", []string{tt.text}, capability.ExtractOptions{})
			assert.EqualError(t, err, tt.msg)
			assert.ErrorIs(t, err, capability.ErrField)
		})
	}
}

func TestCompileField(t *testing.T) {
	p := initPlugin(t, fixtures.C(t, "extract_only"), "").Plugin()
	tests := []struct {
		text string
		want capability.FieldRequest // Field left out
	}{
		{"fixture.str", capability.FieldRequest{Text: "fixture.str"}},
		{"fixture.idx[0]", capability.FieldRequest{Text: "fixture.idx[0]", HasArg: true, Arg: "0", IsIndex: true}},
		{"fixture.idx[42]", capability.FieldRequest{Text: "fixture.idx[42]", HasArg: true, Arg: "42", IsIndex: true, ArgIndex: 42}},
		{"fixture.key[/a/b]", capability.FieldRequest{Text: "fixture.key[/a/b]", HasArg: true, Arg: "/a/b"}},
		{`fixture.key['/a/b']`, capability.FieldRequest{Text: `fixture.key['/a/b']`, HasArg: true, Arg: "/a/b"}},
		{`fixture.key[""]`, capability.FieldRequest{Text: `fixture.key[""]`, HasArg: true}},
		{`fixture.key["x=1"]`, capability.FieldRequest{Text: `fixture.key["x=1"]`, HasArg: true, Arg: "x=1"}},
	}
	for _, tt := range tests {
		r, err := capability.CompileField(p, tt.text)
		require.NoError(t, err, tt.text)
		assert.Equal(t, tt.text, r.Text)
		r.Field = loader.Field{}
		assert.Equal(t, tt.want, r, tt.text)
	}
	r, err := capability.CompileRef(p, fieldref.Ref{Name: "fixture.key", Arg: "k=v", HasArg: true})
	require.NoError(t, err)
	assert.Equal(t, `fixture.key["k=v"]`, r.Text)
	assert.Equal(t, "k=v", r.Arg)
	_, err = capability.CompileRef(p, fieldref.Ref{Name: "fixture.key", Arg: "a b", HasArg: true})
	assert.EqualError(t, err, `plugin 'extract_only': field 'fixture.key["a b"]': filter 'fixture.key[a': fixture.key has unbalanced argument brackets`)
}

// A quoted key reaches the plugin unquoted.
func TestExtractQuotedKey(t *testing.T) {
	src := initPlugin(t, fixtures.C(t, "source_only"), "")
	x, err := capability.NewExtractor(initPlugin(t, fixtures.C(t, "extract_only"), ""), "fixture_src",
		[]string{`fixture.key["a=b"]`, `fixture.key['it\'s']`, "fixture.key[a=b]"}, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	rows := extractAll(t, openStream(t, src, "1"), x)
	require.Len(t, rows, 1)
	assert.Equal(t, []any{"a=b", "it's", "a=b"}, rows[0])
}

func TestExtractOwnedEvent(t *testing.T) {
	src := initPlugin(t, fixtures.C(t, "source_only"), "")
	events, err := drain(t, openStream(t, src, "2"))
	require.NoError(t, err)
	x, err := capability.NewExtractor(initPlugin(t, fixtures.C(t, "extract_only"), ""), "fixture_src", []string{"fixture.str", "fixture.list"}, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	res, err := x.ExtractOwned(events[1])
	require.NoError(t, err)
	assert.Equal(t, "fixture-string", res.Value(0, 0).Any())
	assert.Equal(t, []string{"a", "b", "c"}, res.Value(0, 1).Any())
}

func TestUint64ReadersAgreeWithValue(t *testing.T) {
	state := initPlugin(t, fixtures.GoSDK(t, "gocounter"), "")
	x, err := capability.NewExtractor(state, "gocounter", []string{"gocounter.text", "gocounter.value"}, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	st := openStream(t, state, "300")
	seen := 0
	for {
		err := st.Next(context.Background(), func(b *capability.Batch) error {
			res, err := x.ExtractBatch(b)
			require.NoError(t, err)
			col := res.Uint64Column(1)
			for i := 0; i < res.Len(); i++ {
				want := res.Value(i, 1).Uint64(0)
				got, ok := col.At(i)
				assert.True(t, ok)
				assert.Equal(t, want, got)
				got, ok = res.Uint64(i, 1)
				assert.True(t, ok)
				assert.Equal(t, want, got)
				assert.Equal(t, strconv.FormatUint(want, 10), res.Value(i, 0).String(0))
				seen++
			}
			_, ok := col.At(res.Len())
			assert.False(t, ok, "past the end")
			return nil
		})
		if errors.Is(err, capability.EOF) {
			break
		}
		require.NoError(t, err)
	}
	assert.Equal(t, 300, seen)
}

func TestRepeatedRequestSharesOneExtraction(t *testing.T) {
	state := initPlugin(t, fixtures.GoSDK(t, "gocounter"), "")
	x, err := capability.NewExtractor(state, "gocounter",
		[]string{"gocounter.value", "gocounter.arg[1]", "gocounter.value", "gocounter.arg[1]", "gocounter.arg[2]"}, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	rows := extractAll(t, openStream(t, state, "50"), x)
	require.Len(t, rows, 50)
	for _, row := range rows {
		v := row[0].(uint64)
		assert.Equal(t, []any{v, v + 1, v, v + 1, v + 2}, row)
	}
}
