package checkreport

import (
	"testing"
	"time"

	"github.com/plughost/plughost/internal/fixtures"
)

// TestStreamHugeBatch: --events 1 over one batch of 10^8 events (2 MiB of
// plugin memory, batch_huge) extracts one event, not the batch (issue 10,
// item 3): it passes, quickly.
func TestStreamHugeBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("validates a batch of 10^8 events")
	}
	start := time.Now()
	r := Check(fixtures.C(t, "batch_huge"), Options{Events: 1, OpenParams: "100000000", Logger: quiet})
	c := r.Checks[len(r.Checks)-1]
	if c.Name != "stream" || c.Status != Pass || c.Message != "read 1 event (limit reached), extracted 10 values" {
		t.Fatalf("stream check: %+v", c)
	}
	t.Logf("%v", time.Since(start))
}

// TestStreamHugeBatchFiltered: the same with --filter and --output, which
// decide and format only the events the stream counts.
func TestStreamHugeBatchFiltered(t *testing.T) {
	if testing.Short() {
		t.Skip("validates a batch of 10^8 events")
	}
	r := Check(fixtures.C(t, "batch_huge"), Options{Events: 1, OpenParams: "100000000", Logger: quiet,
		Filter: "fixture.u64 = 42", Output: "%fixture.str"})
	c := r.Checks[len(r.Checks)-1]
	if c.Name != "stream" || c.Status != Pass || c.Message != "read 1 event (limit reached), 1 matched the filter, extracted 10 values" {
		t.Fatalf("stream check: %+v", c)
	}
}
