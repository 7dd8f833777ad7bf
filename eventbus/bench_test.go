package eventbus_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/internal/fixtures"
)

// BenchmarkSubscribeRecords reports the allocations per event of the
// copying API, for records of one string and one uint64 field.
func BenchmarkSubscribeRecords(b *testing.B) {
	reg, states := setup(b, fixtures.GoSDK(b, "gocounter"))
	const events = 20000
	var mallocs, n uint64
	for b.Loop() {
		bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states), OpenParams: map[string]string{"gocounter": "20000"}})
		require.NoError(b, err)
		var kept []eventbus.Record
		require.NoError(b, bus.SubscribeRecords("gocounter", []string{"gocounter.text", "gocounter.value"}, func(r eventbus.Record) error {
			if len(kept) < 1 {
				kept = append(kept, r)
			}
			return nil
		}))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		require.NoError(b, bus.Run(context.Background()))
		runtime.ReadMemStats(&after)
		mallocs += after.Mallocs - before.Mallocs
		n += events
	}
	b.ReportMetric(float64(mallocs)/float64(n), "allocs/event")
}
