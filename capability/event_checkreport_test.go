package capability_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/internal/checkreport"
	"github.com/plughost/plughost/internal/fixtures"
)

// TestStreamCheckFailsHostileEvents is plugincheck's verdict on the two
// fixtures (checkreport.Check, as cmd/plugincheck runs it in process, with
// --events): the stream check fails on the bad event instead of passing
// (event_len_4gib used to pass it; the library then segfaulted copying the
// event in the eventbus).
func TestStreamCheckFailsHostileEvents(t *testing.T) {
	for _, tc := range []struct{ fixture, msg string }{
		{"event_len_4gib", "length 4294967295 exceeds the host's 67108864-byte limit on large-payload events"},
		{"source_id0_short_plugin_event", "type 322 has 0 params, want 2"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			rep := checkreport.Check(fixtures.C(t, tc.fixture), checkreport.Options{Events: 10})
			assert.False(t, rep.OK)
			var stream *checkreport.CheckResult
			for i := range rep.Checks {
				if rep.Checks[i].Name == string(checkreport.CheckStream) {
					stream = &rep.Checks[i]
				}
			}
			require.NotNil(t, stream, "checks: %+v", rep.Checks)
			assert.Equal(t, checkreport.Fail, stream.Status)
			assert.Contains(t, stream.Message, tc.msg)
			assert.Contains(t, stream.Message, "event 1 of the batch")
		})
	}
}
