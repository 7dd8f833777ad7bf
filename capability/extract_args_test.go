package capability_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
)

// The plugin sees arguments as libsinsp hands them: arg_index UINT64_MAX
// unless an index was given, arg_key NULL for a field that takes no key.
func TestExtractPassesArgumentsAsLibsinsp(t *testing.T) {
	fields := []string{"args.index_seen[k]", "args.index_seen", "args.key_seen[3]", "args.key_seen"}
	want := []any{uint64(18446744073709551615), uint64(18446744073709551615), "<null>", "<null>"}
	for _, portable := range []bool{false, true} {
		t.Run("portable="+strconv.FormatBool(portable), func(t *testing.T) {
			src := initPlugin(t, fixtures.C(t, "source_only"), "")
			ext := initPlugin(t, fixtures.C(t, "extract_args"), "")
			x, err := capability.NewExtractor(ext, "fixture_src", fields, capability.ExtractOptions{})
			require.NoError(t, err)
			defer x.Close()
			if portable {
				x.UsePortableDriver()
			}
			rows := extractAll(t, openStream(t, src, "3"), x)
			require.Len(t, rows, 3)
			for _, row := range rows {
				assert.Equal(t, want, row)
			}
		})
	}
}
