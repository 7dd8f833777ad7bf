package eventbus_test

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// setup loads and initializes plugins in order and registers them.
func setup(t testing.TB, paths ...string) (*registry.Registry, []*loader.State) {
	t.Helper()
	reg := registry.New()
	var states []*loader.State
	for _, path := range paths {
		p, err := loader.Load(path, loader.Options{})
		require.NoError(t, err)
		require.NoError(t, reg.Add(p))
		s, err := p.Init("")
		require.NoError(t, err)
		t.Cleanup(s.Destroy)
		states = append(states, s)
	}
	return reg, states
}

// configs is the init config of each plugin, as its state received it.
func configs(states []*loader.State) map[string]string {
	m := map[string]string{}
	for _, s := range states {
		m[s.Plugin().Name] = s.Config()
	}
	return m
}

func TestBusExtractsOnceForManySubscribers(t *testing.T) {
	reg, states := setup(t, fixtures.GoSDK(t, "gocounter"), fixtures.GoSDK(t, "goextract"))
	bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states), OpenParams: map[string]string{"gocounter": "10000"}})
	require.NoError(t, err)

	var seen, squares atomic.Int64
	require.NoError(t, bus.Subscribe(eventbus.Subscriber{
		Source: "gocounter",
		Fields: []string{"gocounter.value", "goextract.square"},
		OnBatch: func(d *eventbus.Delivery) error {
			for i := 0; i < d.Len(); i++ {
				v := d.Value(i, 0).Uint64(0)
				if d.Value(i, 1).Uint64(0) != v*v {
					return errors.New("wrong square")
				}
				squares.Add(1)
			}
			return nil
		},
	}))
	var records []eventbus.Record
	require.NoError(t, bus.SubscribeRecords("gocounter", []string{"gocounter.text", "gocounter.value"}, func(r eventbus.Record) error {
		seen.Add(1)
		if len(records) < 3 {
			records = append(records, r)
		}
		return nil
	}))
	require.NoError(t, bus.Run(context.Background()))
	assert.Equal(t, int64(10000), squares.Load())
	assert.Equal(t, int64(10000), seen.Load())
	for _, r := range records {
		assert.Equal(t, strconv.FormatUint(r.Values[1].(uint64), 10), r.Values[0])
		assert.NotEmpty(t, r.Event.Data())
	}
}

func TestBusRunsSourcesConcurrently(t *testing.T) {
	reg, states := setup(t, fixtures.C(t, "source_only"), fixtures.GoSDK(t, "gocounter"), fixtures.C(t, "extract_only"))
	bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states),
		OpenParams: map[string]string{"fixture_src": "500", "gocounter": "700"}})
	require.NoError(t, err)
	counts := map[string]*atomic.Int64{"fixture_src": {}, "gocounter": {}}
	for src, fields := range map[string][]string{"fixture_src": {"fixture.str"}, "gocounter": {"gocounter.value"}} {
		n := counts[src]
		require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: src, Fields: fields, OnBatch: func(d *eventbus.Delivery) error {
			for i := 0; i < d.Len(); i++ {
				if !d.Value(i, 0).Present() {
					return errors.New("missing value")
				}
			}
			n.Add(int64(d.Len()))
			return nil
		}}))
	}
	require.NoError(t, bus.Run(context.Background()))
	assert.Equal(t, int64(500), counts["fixture_src"].Load())
	assert.Equal(t, int64(700), counts["gocounter"].Load())
}

func TestBusStopsOnSubscriberErrorAndCancel(t *testing.T) {
	reg, states := setup(t, fixtures.GoSDK(t, "gocounter"))
	t.Run("subscriber error", func(t *testing.T) {
		bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states), OpenParams: map[string]string{"gocounter": "10"}})
		require.NoError(t, err)
		boom := errors.New("boom")
		require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "gocounter", OnBatch: func(*eventbus.Delivery) error { return boom }}))
		assert.ErrorIs(t, bus.Run(context.Background()), boom)
	})
	t.Run("context", func(t *testing.T) {
		bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states), OpenParams: map[string]string{"gocounter": "100000000"}})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "gocounter", OnBatch: func(*eventbus.Delivery) error { return nil }}))
		assert.ErrorIs(t, bus.Run(ctx), context.DeadlineExceeded)
	})
}

func TestBusSubscribeErrors(t *testing.T) {
	reg, states := setup(t, fixtures.GoSDK(t, "gocounter"))
	bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states)})
	require.NoError(t, err)
	err = bus.Subscribe(eventbus.Subscriber{Source: "nosuch"})
	assert.EqualError(t, err, "eventbus: no plugin provides event source 'nosuch'")
	err = bus.Subscribe(eventbus.Subscriber{Source: "gocounter", Fields: []string{"gocounter.nope"}})
	assert.Error(t, err)
}

// Every C allocation a run makes (plugin states, streams, extractors,
// arenas) is released when Run returns.
func TestBusReleasesCMemory(t *testing.T) {
	reg, _ := setup(t, fixtures.C(t, "source_only"), fixtures.C(t, "extract_only"), fixtures.GoSDK(t, "gocounter"))
	run := func() {
		bus, err := eventbus.New(eventbus.Config{Registry: reg, OpenParams: map[string]string{"fixture_src": "100", "gocounter": "1000"}})
		require.NoError(t, err)
		require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "fixture_src", Fields: []string{"fixture.str", "fixture.list"},
			OnBatch: func(*eventbus.Delivery) error { return nil }}))
		extractOnly, _ := reg.ByName("extract_only")
		require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "gocounter", Fields: []string{"gocounter.text"},
			OnBatch: func(*eventbus.Delivery) error { return nil },
			// A state the pipeline does not use is the bus's to destroy too.
			Open: func(p *eventbus.Pipeline) error { _, err := p.State(extractOnly); return err }}))
		require.NoError(t, bus.Run(context.Background()))
	}
	run() // process-wide callbacks are made once, on first use
	before := ffi.LiveAllocs()
	for i := 0; i < 3; i++ {
		run()
	}
	assert.Equal(t, before, ffi.LiveAllocs())
}
