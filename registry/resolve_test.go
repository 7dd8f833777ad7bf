package registry_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/fieldref"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

type resolveCase struct {
	source string
	text   string
	plugin string // want: plugin name; empty when an error is expected
	field  string
	arg    string
	hasArg bool
	// isIndex and index: Resolved.IsIndex and Index
	isIndex bool
	index   uint64
	used    string // Resolved.Text; empty means text
	err     string
	kind    error
}

func runResolve(t *testing.T, r *registry.Registry, tests []resolveCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.source+"/"+tt.text, func(t *testing.T) {
			res, err := r.Resolve(tt.source, tt.text)
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				assert.ErrorIs(t, err, tt.kind)
				var re *registry.Error
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.source, re.Source)
				assert.Equal(t, tt.text, re.Text)
				assert.Equal(t, tt.field, re.Field)
				assert.Equal(t, registry.Resolved{}, res)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.plugin, res.Plugin.Name)
			assert.Equal(t, tt.field, res.Field.Name)
			want, ok := res.Plugin.Field(tt.field)
			require.True(t, ok)
			assert.Equal(t, want, res.Field)
			assert.Equal(t, tt.arg, res.Arg)
			assert.Equal(t, tt.hasArg, res.HasArg)
			assert.Equal(t, tt.isIndex, res.IsIndex)
			assert.Equal(t, tt.index, res.Index)
			used := tt.used
			if used == "" {
				used = tt.text
			}
			assert.Equal(t, used, res.Text)
		})
	}
}

func TestResolve(t *testing.T) {
	r := build(t, load(t, "source_only", "extract_only", "reg_longest", "reg_all")...)
	const (
		src = "fixture_src"
		reg = "reg_src"
	)
	runResolve(t, r, []resolveCase{
		{source: src, text: "fixture.str", plugin: "extract_only", field: "fixture.str"},
		{source: src, text: "fixture.list", plugin: "extract_only", field: "fixture.list"},
		{source: src, text: "reg.all", plugin: "reg_all", field: "reg.all"},
		{source: reg, text: "reg.all", plugin: "reg_all", field: "reg.all"},

		// The name is the longest FieldName prefix (fieldref.Scan), looked
		// up exactly: reg.a does not match inside reg.a.c or reg.ab.
		{source: reg, text: "reg.a.b", plugin: "reg_longest", field: "reg.a.b"},
		{source: reg, text: "reg.a", plugin: "reg_longest", field: "reg.a"},
		{source: reg, text: "reg.a[k]", plugin: "reg_longest", field: "reg.a", arg: "k", hasArg: true},
		{source: reg, text: "reg.a.b rest", plugin: "reg_longest", field: "reg.a.b", used: "reg.a.b"},
		{source: reg, text: "reg.a]", plugin: "reg_longest", field: "reg.a", used: "reg.a"},
		{source: reg, text: "reg.a.c", err: "unknown field 'reg.a.c' for source 'reg_src'", kind: registry.ErrUnknownField},
		{source: reg, text: "reg.ab", err: "unknown field 'reg.ab' for source 'reg_src'", kind: registry.ErrUnknownField},
		{source: reg, text: "reg.a.b.", plugin: "reg_longest", field: "reg.a.b", used: "reg.a.b"},
		{source: reg, text: "reg.a.b.1", plugin: "reg_longest", field: "reg.a.b", used: "reg.a.b"},
		{source: reg, text: "reg", err: "unknown field 'reg' for source 'reg_src'", kind: registry.ErrUnknownField},

		// Trailing text after the reference, as in an output format.
		{source: src, text: "fixture.str and more", plugin: "extract_only", field: "fixture.str", used: "fixture.str"},
		{source: src, text: "fixture.str,fixture.u64", plugin: "extract_only", field: "fixture.str", used: "fixture.str"},
		{source: src, text: "fixture.str.", plugin: "extract_only", field: "fixture.str", used: "fixture.str"},
		{source: src, text: "fixture.idx[3] is %fixture.key[x]", plugin: "extract_only", field: "fixture.idx",
			arg: "3", hasArg: true, isIndex: true, index: 3, used: "fixture.idx[3]"},

		// Arguments: bare or quoted, checked like libsinsp's filtercheck.
		{source: src, text: "fixture.idx[3]", plugin: "extract_only", field: "fixture.idx", arg: "3", hasArg: true, isIndex: true, index: 3},
		{source: src, text: "fixture.idx[0]", plugin: "extract_only", field: "fixture.idx", arg: "0", hasArg: true, isIndex: true},
		{source: src, text: `fixture.idx["7"]`, plugin: "extract_only", field: "fixture.idx", arg: "7", hasArg: true, isIndex: true, index: 7},
		{source: src, text: "fixture.key", plugin: "extract_only", field: "fixture.key"},
		{source: src, text: `fixture.key[""]`, plugin: "extract_only", field: "fixture.key", hasArg: true},
		{source: src, text: "fixture.key[/a/b]", plugin: "extract_only", field: "fixture.key", arg: "/a/b", hasArg: true},
		{source: src, text: `fixture.key['a=b']`, plugin: "extract_only", field: "fixture.key", arg: "a=b", hasArg: true},
		{source: src, text: "fixture.key[a]]", plugin: "extract_only", field: "fixture.key", arg: "a", hasArg: true, used: "fixture.key[a]"},
		{source: reg, text: "reg.both[1]", plugin: "reg_longest", field: "reg.both", arg: "1", hasArg: true, isIndex: true, index: 1},
		{source: reg, text: "reg.both[01]", plugin: "reg_longest", field: "reg.both", arg: "01", hasArg: true},
		{source: reg, text: "reg.both[k]", plugin: "reg_longest", field: "reg.both", arg: "k", hasArg: true},

		// Argument errors: the lexer's, then the filtercheck's.
		{source: src, text: "fixture.idx", field: "fixture.idx",
			err: "filter 'fixture.idx': fixture.idx requires an argument but none provided", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.idx x", field: "fixture.idx",
			err: "filter 'fixture.idx': fixture.idx requires an argument but none provided", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.idx[03]", field: "fixture.idx",
			err: "filter fixture.idx[03] fixture.idx has an invalid index argument starting with 0: 03", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.idx[x]", field: "fixture.idx",
			err: "filter fixture.idx[x] fixture.idx has an invalid index argument not composed only by digits: x", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.idx[", field: "fixture.idx",
			err: "expected a valid field argument: a quoted string or a bare string", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.idx[3", field: "fixture.idx", err: "expected a ']' token", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.idx[[3]", field: "fixture.idx",
			err: "expected a valid field argument: a quoted string or a bare string", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.key[]", field: "fixture.key",
			err: "expected a valid field argument: a quoted string or a bare string", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.key[/a/b c]", field: "fixture.key", err: "expected a ']' token", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.key[a[0]]", field: "fixture.key", err: "expected a ']' token", kind: registry.ErrFieldArg},
		{source: src, text: `fixture.key["/a/b c"]`, field: "fixture.key",
			err: "filter 'fixture.key[/a/b': fixture.key has unbalanced argument brackets", kind: registry.ErrFieldArg},
		{source: src, text: `fixture.key["a]b"]`, field: "fixture.key",
			err: "filter_check called with nonexistent field fixture.key[a]b]", kind: registry.ErrFieldArg},
		{source: src, text: `fixture.key["\q"]`, field: "fixture.key",
			err: `unsupported string escape sequence: \q`, kind: registry.ErrFieldArg},
		{source: src, text: "fixture.u64[1]", field: "fixture.u64",
			err: "filter 'fixture.u64[1]': fixture.u64 does not allow nor require an argument but one is provided: 1", kind: registry.ErrFieldArg},
		{source: src, text: `fixture.u64[""]`, field: "fixture.u64",
			err: "filter 'fixture.u64[]': fixture.u64 does not allow nor require an argument but one is provided: ", kind: registry.ErrFieldArg},
		{source: src, text: "fixture.u64[", field: "fixture.u64",
			err: "expected a valid field argument: a quoted string or a bare string", kind: registry.ErrFieldArg},
		{source: reg, text: "reg.a.b[1]", field: "reg.a.b",
			err: "filter 'reg.a.b[1]': reg.a.b does not allow nor require an argument but one is provided: 1", kind: registry.ErrFieldArg},
		{source: reg, text: "reg.idx", field: "reg.idx",
			err: "filter 'reg.idx': reg.idx requires an argument but none provided", kind: registry.ErrFieldArg},
		// A lexing error wins over an unknown name, as in libsinsp's parser.
		{source: src, text: "fixture.nope[", err: "expected a valid field argument: a quoted string or a bare string", kind: registry.ErrFieldArg},

		// Unknown fields and sources.
		{source: src, text: "reg.a", err: "unknown field 'reg.a' for source 'fixture_src'", kind: registry.ErrUnknownField},
		{source: src, text: "fixture.strx", err: "unknown field 'fixture.strx' for source 'fixture_src'", kind: registry.ErrUnknownField},
		{source: src, text: "fixture.str.x", err: "unknown field 'fixture.str.x' for source 'fixture_src'", kind: registry.ErrUnknownField},
		{source: src, text: "fixture.nope[1] x", err: "unknown field 'fixture.nope' for source 'fixture_src'", kind: registry.ErrUnknownField},
		{source: src, text: "", err: "unknown field '' for source 'fixture_src'", kind: registry.ErrUnknownField},
		{source: src, text: "%fixture.str", err: "unknown field '%fixture.str' for source 'fixture_src'", kind: registry.ErrUnknownField},
		{source: "fixture_full", text: "fixture.str", err: "unknown event source 'fixture_full': no loaded plugin provides it", kind: registry.ErrUnknownSource},
		{source: "reg_missing", text: "reg.nowhere", err: "unknown event source 'reg_missing': no loaded plugin provides it", kind: registry.ErrUnknownSource},
	})
}

func TestResolveArgErrorNamesPlugin(t *testing.T) {
	r := build(t, load(t, "reg_longest")...)
	_, err := r.Resolve("reg_src", "reg.idx")
	var re *registry.Error
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "reg_longest", re.Plugin)
}

func TestLookup(t *testing.T) {
	r := build(t, load(t, "source_only", "extract_only", "reg_longest")...)
	res, err := r.Lookup("fixture_src", fieldref.Ref{Name: "fixture.key", Arg: "x=1", HasArg: true})
	require.NoError(t, err)
	assert.Equal(t, "extract_only", res.Plugin.Name)
	assert.Equal(t, "fixture.key", res.Field.Name)
	assert.Equal(t, "x=1", res.Arg)
	assert.Equal(t, `fixture.key["x=1"]`, res.Text)

	res, err = r.Lookup("reg_src", fieldref.Ref{Name: "reg.both", Arg: "12", HasArg: true})
	require.NoError(t, err)
	assert.True(t, res.IsIndex)
	assert.Equal(t, uint64(12), res.Index)

	for _, tt := range []struct {
		source string
		ref    fieldref.Ref
		err    string
		kind   error
	}{
		{"fixture_src", fieldref.Ref{Name: "fixture.key", Arg: "a b", HasArg: true},
			"filter 'fixture.key[a': fixture.key has unbalanced argument brackets", registry.ErrFieldArg},
		{"fixture_src", fieldref.Ref{Name: "fixture.idx"},
			"filter 'fixture.idx': fixture.idx requires an argument but none provided", registry.ErrFieldArg},
		{"fixture_src", fieldref.Ref{Name: "reg.a"}, "unknown field 'reg.a' for source 'fixture_src'", registry.ErrUnknownField},
		{"fixture_src", fieldref.Ref{}, "unknown field '' for source 'fixture_src'", registry.ErrUnknownField},
		{"nowhere", fieldref.Ref{Name: "reg.a"}, "unknown event source 'nowhere': no loaded plugin provides it", registry.ErrUnknownSource},
	} {
		res, err := r.Lookup(tt.source, tt.ref)
		assert.EqualError(t, err, tt.err)
		assert.ErrorIs(t, err, tt.kind)
		assert.Equal(t, registry.Resolved{}, res)
		var re *registry.Error
		if assert.ErrorAs(t, err, &re) {
			assert.Equal(t, tt.ref.String(), re.Text)
		}
	}
}

// json serves every source, k8saudit only its own; their prefixes differ,
// so nothing overlaps.
func TestOfficialK8sAuditAndJSON(t *testing.T) {
	ps := official(t, "json", "v0.7.4", "k8saudit", "v0.18.0", "cloudtrail", "v0.17.1")
	json, k8s, ct := ps[0], ps[1], ps[2]
	r := registry.New()
	require.NoError(t, r.Add(json))
	// Before any source, json serves nothing yet.
	assert.Equal(t, []string{unused("json")}, warningMsgs(r.Warnings()))
	require.NoError(t, r.Add(k8s))
	assert.Empty(t, r.Warnings())
	assert.Equal(t, []string{"k8s_audit"}, r.Sources())
	assert.Equal(t, []string{"k8saudit", "json"}, names(r.Extractors("k8s_audit")))
	p, ok := r.ByID(1)
	require.True(t, ok)
	assert.Same(t, k8s, p)

	runResolve(t, r, []resolveCase{
		{source: "k8s_audit", text: "ka.user.name", plugin: "k8saudit", field: "ka.user.name"},
		{source: "k8s_audit", text: "json.value[/user/username]", plugin: "json", field: "json.value", arg: "/user/username", hasArg: true},
		{source: "k8s_audit", text: "jevt.value[/x]", plugin: "json", field: "jevt.value", arg: "/x", hasArg: true},
		// An index-only field refuses a key, as libsinsp's filtercheck does.
		{source: "k8s_audit", text: "ka.req.pod.volumes.hostpath[/etc]", field: "ka.req.pod.volumes.hostpath", kind: registry.ErrFieldArg,
			err: "filter ka.req.pod.volumes.hostpath[/etc] ka.req.pod.volumes.hostpath has an invalid index argument not composed only by digits: /etc"},
		{source: "k8s_audit", text: "ka.req.pod.volumes.hostpath[1]", plugin: "k8saudit", field: "ka.req.pod.volumes.hostpath",
			arg: "1", hasArg: true, isIndex: true, index: 1},
		{source: "k8s_audit", text: "ka.req.pod.volumes.hostpath", plugin: "k8saudit", field: "ka.req.pod.volumes.hostpath"},
		{source: "k8s_audit", text: "ka.req.volume.hostpath[/etc]", plugin: "k8saudit", field: "ka.req.volume.hostpath", arg: "/etc", hasArg: true},
		{source: "k8s_audit", text: "ka.req.pod.containers.image[0]", plugin: "k8saudit", field: "ka.req.pod.containers.image", arg: "0", hasArg: true, isIndex: true},
		{source: "k8s_audit", text: "ka.req.pod.containers.image.repository[0]", plugin: "k8saudit",
			field: "ka.req.pod.containers.image.repository", arg: "0", hasArg: true, isIndex: true},
		{source: "k8s_audit", text: "ka.req.volume.hostpath", field: "ka.req.volume.hostpath",
			err: "filter 'ka.req.volume.hostpath': ka.req.volume.hostpath requires an argument but none provided", kind: registry.ErrFieldArg},
		{source: "k8s_audit", text: "ka.uri.param", field: "ka.uri.param",
			err: "filter 'ka.uri.param': ka.uri.param requires an argument but none provided", kind: registry.ErrFieldArg},
		{source: "k8s_audit", text: "json.value", field: "json.value",
			err: "filter 'json.value': json.value requires an argument but none provided", kind: registry.ErrFieldArg},
		{source: "k8s_audit", text: "json.obj[/x]", field: "json.obj",
			err: "filter 'json.obj[/x]': json.obj does not allow nor require an argument but one is provided: /x", kind: registry.ErrFieldArg},
		{source: "k8s_audit", text: "ka.nosuchfield", err: "unknown field 'ka.nosuchfield' for source 'k8s_audit'", kind: registry.ErrUnknownField},
	})

	// A second source: json serves it too, k8saudit does not.
	require.NoError(t, r.Add(ct))
	assert.Empty(t, r.Warnings())
	assert.Equal(t, []string{"k8s_audit", "aws_cloudtrail"}, r.Sources())
	assert.Equal(t, []string{"cloudtrail", "json"}, names(r.Extractors("aws_cloudtrail")))
	runResolve(t, r, []resolveCase{
		{source: "aws_cloudtrail", text: "ct.user", plugin: "cloudtrail", field: "ct.user"},
		{source: "aws_cloudtrail", text: "ct.user.arn", plugin: "cloudtrail", field: "ct.user.arn"},
		{source: "aws_cloudtrail", text: "json.value[/eventName]", plugin: "json", field: "json.value", arg: "/eventName", hasArg: true},
		{source: "aws_cloudtrail", text: "ka.user.name", err: "unknown field 'ka.user.name' for source 'aws_cloudtrail'", kind: registry.ErrUnknownField},
	})

	again := official(t, "k8saudit", "v0.18.0")[0]
	assert.EqualError(t, r.Add(again), "plugin 'k8saudit' is already loaded")
}

// goextract names the gocounter source before gocounter is loaded.
func TestGoSDKExtractorBeforeItsSource(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go plugins")
	}
	var ps []*loader.Plugin
	for _, n := range []string{"goextract", "gocounter"} {
		p, err := loader.Load(fixtures.GoSDK(t, n), loader.Options{})
		require.NoError(t, err)
		ps = append(ps, p)
	}
	r := registry.New()
	require.NoError(t, r.Add(ps[0]))
	assert.Equal(t, []string{unused("goextract")}, warningMsgs(r.Warnings()))
	require.NoError(t, r.Add(ps[1]))
	assert.Empty(t, r.Warnings())
	assert.Equal(t, []string{"gocounter", "goextract"}, names(r.Extractors("gocounter")))
	runResolve(t, r, []resolveCase{
		{source: "gocounter", text: "gocounter.arg[3]", plugin: "gocounter", field: "gocounter.arg", arg: "3", hasArg: true, isIndex: true, index: 3},
		{source: "gocounter", text: "goextract.square", plugin: "goextract", field: "goextract.square"},
		{source: "gocounter", text: "gocounter.arg", field: "gocounter.arg",
			err: "filter 'gocounter.arg': gocounter.arg requires an argument but none provided", kind: registry.ErrFieldArg},
	})
}
