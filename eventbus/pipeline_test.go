package eventbus_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

// An agent reaches each pipeline's plugin states (SetConfig, Metrics), its
// stream's progress and the batch's event_to_string through the hooks.
func TestPipelineExposesStatesAndStream(t *testing.T) {
	reg, _ := setup(t, fixtures.C(t, "full"), fixtures.C(t, "source_only"))
	full, _ := reg.ByName("full")
	sourceOnly, _ := reg.ByName("source_only")
	bus, err := eventbus.New(eventbus.Config{Registry: reg, OpenParams: map[string]string{"fixture_full": "4"}})
	require.NoError(t, err)

	var (
		opened, lazy *loader.State
		texts        []string
		metrics      []loader.Metric
		progress     string
		afterRun     *eventbus.Pipeline
	)
	require.NoError(t, bus.Subscribe(eventbus.Subscriber{
		Source: "fixture_full", Fields: []string{"fixture.str"},
		Open: func(p *eventbus.Pipeline) error {
			assert.Equal(t, "fixture_full", p.Source())
			assert.Same(t, full, p.SourcePlugin())
			s, err := p.State(full)
			if err != nil {
				return err
			}
			opened = s
			require.NoError(t, s.SetConfig(`{"level":2}`))
			assert.EqualError(t, s.SetConfig(`{"level":99}`), full.Path+": plugin 'full': plugin_set_config: SS_PLUGIN_FAILURE: level too high")
			return nil
		},
		OnBatch: func(d *eventbus.Delivery) error {
			s, err := d.Pipeline().State(full)
			require.NoError(t, err)
			assert.Same(t, opened, s, "the source and extractor share one state per pipeline")
			for i := 0; i < d.Batch().Len(); i++ {
				text, ok := d.Batch().EventToString(i)
				require.True(t, ok)
				texts = append(texts, text)
			}
			return nil
		},
		Close: func(p *eventbus.Pipeline) {
			s, err := p.State(full)
			require.NoError(t, err)
			metrics = s.Metrics()
			_, progress, _, err = p.Progress()
			require.NoError(t, err)
			afterRun = p
		},
	}))
	// A pipeline that does not use full gets its own state of it, once.
	require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "fixture_src", Open: func(p *eventbus.Pipeline) error {
		assert.Same(t, sourceOnly, p.SourcePlugin())
		var err error
		lazy, err = p.States()(full)
		require.NoError(t, err)
		again, err := p.State(full)
		require.NoError(t, err)
		assert.Same(t, lazy, again)
		return nil
	}}))
	require.NoError(t, bus.Run(context.Background()))

	assert.NotSame(t, opened, lazy)
	assert.Equal(t, []string{"evt-0", "evt-1", "evt-2", "evt-3"}, texts)
	assert.Equal(t, "100.00%", progress)
	require.Len(t, metrics, 2)
	assert.Equal(t, "full.fixture.extract_calls", metrics[0].Name)
	assert.Equal(t, `{"level":2}`, opened.Config())

	_, err = afterRun.State(full)
	assert.EqualError(t, err, "eventbus: source 'fixture_full': plugin 'full': the pipeline is not running")
	assert.ErrorIs(t, err, eventbus.ErrPipelineClosed)
	assert.ErrorIs(t, lazy.SetConfig(""), loader.ErrDestroyed, "the bus destroyed the state it initialized lazily")
}

// New copies Config's maps: changing them while Run reads its copy is no
// data race (run with -race).
func TestConfigMapsCopied(t *testing.T) {
	reg, states := setup(t, fixtures.C(t, "source_only"), fixtures.C(t, "extract_only"), fixtures.GoSDK(t, "gocounter"))
	initConfig, openParams := configs(states), map[string]string{"fixture_src": "300", "gocounter": "3000"}
	sources := []string{"fixture_src", "gocounter"}
	bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: initConfig, OpenParams: openParams, Sources: sources})
	require.NoError(t, err)
	var counted sync.Map
	for _, src := range sources {
		require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: src, OnBatch: func(d *eventbus.Delivery) error {
			n, _ := counted.LoadOrStore(src, new(int))
			*n.(*int) += d.Len()
			return nil
		}}))
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for k := 0; ; k++ {
			select {
			case <-stop:
				return
			default:
			}
			initConfig["extract_only"] = "changed"
			openParams["fixture_src"] = "1"
			delete(openParams, "gocounter")
			sources[0] = "gocounter"
		}
	}()
	err = bus.Run(context.Background())
	close(stop)
	<-done
	require.NoError(t, err)
	n, _ := counted.Load("fixture_src")
	assert.Equal(t, 300, *n.(*int))
	n, _ = counted.Load("gocounter")
	assert.Equal(t, 3000, *n.(*int))
}

// New checks every plugin's init config, schema first then the plugin's
// own init, and names the plugin.
func TestNewChecksInitConfigs(t *testing.T) {
	reg, _ := setup(t, fixtures.C(t, "full"), fixtures.C(t, "source_only"))
	full, _ := reg.ByName("full")
	tests := []struct {
		name   string
		config map[string]string
		msg    string
		is     []error
	}{
		{"schema", map[string]string{"full": `{"level":-1}`},
			"eventbus: invalid init config for plugin 'full': " + full.Path + ": plugin 'full': init config at '/level': minimum: got -1, want 0",
			[]error{eventbus.ErrInitConfig, loader.ErrInitConfig}},
		{"not JSON", map[string]string{"full": `{`},
			"eventbus: invalid init config for plugin 'full': " + full.Path + ": plugin 'full': init config: init config is not valid JSON: unexpected EOF",
			[]error{eventbus.ErrInitConfig, loader.ErrInitConfig}},
		{"plugin refuses", map[string]string{"full": `{"level":99}`},
			"eventbus: invalid init config for plugin 'full': " + full.Path + ": plugin 'full': plugin_init: could not initialize plugin: level too high",
			[]error{eventbus.ErrInitConfig, loader.ErrInit}},
		{"unknown plugin", map[string]string{"nosuch": "", "full": ""},
			"eventbus: Config.InitConfig names plugin 'nosuch', which is not in the registry",
			[]error{eventbus.ErrUnknownPlugin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: tt.config})
			assert.Nil(t, bus)
			require.EqualError(t, err, tt.msg)
			for _, target := range tt.is {
				assert.ErrorIs(t, err, target)
			}
			var e *eventbus.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.name == "unknown plugin", e.Plugin == "nosuch")
		})
	}
}

// Every error names what it is about and matches its sentinel.
func TestBusErrors(t *testing.T) {
	reg, states := setup(t, fixtures.C(t, "source_only"), fixtures.C(t, "extract_args"), fixtures.GoSDK(t, "gocounter"))
	initFail, err := loader.Load(fixtures.C(t, "init_fail"), loader.Options{})
	require.NoError(t, err)
	boom := errors.New("boom")
	nop := func(*eventbus.Delivery) error { return nil }
	newBus := func(t *testing.T, cfg eventbus.Config) *eventbus.Bus {
		cfg.Registry, cfg.InitConfig = reg, configs(states)
		bus, err := eventbus.New(cfg)
		require.NoError(t, err)
		return bus
	}
	tests := []struct {
		name string
		do   func(t *testing.T) error
		msg  string
		is   error
	}{
		{"no registry", func(*testing.T) error { _, err := eventbus.New(eventbus.Config{}); return err },
			"eventbus: Config.Registry is nil", eventbus.ErrNoRegistry},
		{"unknown source", func(t *testing.T) error {
			return newBus(t, eventbus.Config{}).Subscribe(eventbus.Subscriber{Source: "nosuch"})
		}, "eventbus: no plugin provides event source 'nosuch'", eventbus.ErrUnknownSource},
		{"unknown source in Sources", func(*testing.T) error {
			_, err := eventbus.New(eventbus.Config{Registry: reg, Sources: []string{"gocounter", "nosuch"}})
			return err
		}, "eventbus: no plugin provides event source 'nosuch'", eventbus.ErrUnknownSource},
		{"unknown source, Sources set", func(t *testing.T) error {
			return newBus(t, eventbus.Config{Sources: []string{"gocounter"}}).Subscribe(eventbus.Subscriber{Source: "nosuch"})
		}, "eventbus: no plugin provides event source 'nosuch'", eventbus.ErrUnknownSource},
		{"source not enabled", func(t *testing.T) error {
			return newBus(t, eventbus.Config{Sources: []string{"gocounter"}}).Subscribe(eventbus.Subscriber{Source: "fixture_src"})
		}, "eventbus: event source 'fixture_src' is not in Config.Sources", eventbus.ErrSourceNotEnabled},
		{"unknown field", func(t *testing.T) error {
			return newBus(t, eventbus.Config{}).Subscribe(eventbus.Subscriber{Source: "gocounter", Fields: []string{"gocounter.nope"}})
		}, "eventbus: unknown field 'gocounter.nope' for source 'gocounter'", eventbus.ErrUnknownField},
		{"field argument", func(t *testing.T) error {
			return newBus(t, eventbus.Config{}).Subscribe(eventbus.Subscriber{Source: "fixture_src", Fields: []string{"args.key_seen[x"}})
		}, "eventbus: source 'fixture_src': field 'args.key_seen[x': expected a ']' token", eventbus.ErrField},
		{"text after field", func(t *testing.T) error {
			return newBus(t, eventbus.Config{}).Subscribe(eventbus.Subscriber{Source: "gocounter", Fields: []string{"gocounter.value more"}})
		}, "eventbus: source 'gocounter': field 'gocounter.value more': unexpected text after 'gocounter.value'", eventbus.ErrField},
		{"Run twice", func(t *testing.T) error {
			bus := newBus(t, eventbus.Config{})
			require.NoError(t, bus.Run(context.Background()))
			return bus.Run(context.Background())
		}, "eventbus: Run called twice", eventbus.ErrAlreadyRun},
		{"Subscribe after Run", func(t *testing.T) error {
			bus := newBus(t, eventbus.Config{})
			require.NoError(t, bus.Run(context.Background()))
			return bus.Subscribe(eventbus.Subscriber{Source: "gocounter"})
		}, "eventbus: Subscribe after Run", eventbus.ErrSubscribeAfterRun},
		{"open", func(t *testing.T) error {
			bus := newBus(t, eventbus.Config{OpenParams: map[string]string{"fixture_src": "x"}})
			require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "fixture_src", OnBatch: nop}))
			return bus.Run(context.Background())
		}, "eventbus: source 'fixture_src': plugin 'source_only': open: plugin 'source_only': plugin_open: invalid open params 'x': want a decimal number of events", eventbus.ErrOpen},
		{"OnBatch", func(t *testing.T) error {
			bus := newBus(t, eventbus.Config{OpenParams: map[string]string{"gocounter": "10"}})
			require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "gocounter", OnBatch: func(*eventbus.Delivery) error { return boom }}))
			return bus.Run(context.Background())
		}, "eventbus: source 'gocounter': OnBatch: boom", eventbus.ErrSubscriber},
		{"Open", func(t *testing.T) error {
			bus := newBus(t, eventbus.Config{})
			require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "gocounter", Open: func(*eventbus.Pipeline) error { return boom }}))
			return bus.Run(context.Background())
		}, "eventbus: source 'gocounter': Open: boom", eventbus.ErrSubscriber},
		{"lazy init", func(t *testing.T) error {
			reg, _ := setup(t, fixtures.GoSDK(t, "gocounter"))
			bus, err := eventbus.New(eventbus.Config{Registry: reg})
			require.NoError(t, err)
			require.NoError(t, reg.Add(initFail)) // after New, which would have refused it
			require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "gocounter", Open: func(p *eventbus.Pipeline) error {
				_, err := p.State(initFail)
				return err
			}}))
			return bus.Run(context.Background())
		}, "eventbus: source 'gocounter': plugin 'init_fail': init: " + initFail.Path + ": plugin 'init_fail': plugin_init: could not initialize plugin: init refused: bad config", eventbus.ErrInit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do(t)
			require.EqualError(t, err, tt.msg)
			assert.ErrorIs(t, err, tt.is)
		})
	}
	t.Run("wraps the subscriber's error", func(t *testing.T) {
		bus := newBus(t, eventbus.Config{OpenParams: map[string]string{"gocounter": "10"}})
		require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "gocounter", OnBatch: func(*eventbus.Delivery) error { return boom }}))
		err := bus.Run(context.Background())
		assert.ErrorIs(t, err, boom)
		var e *eventbus.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "gocounter", e.Source)
	})
}

// Open runs once per pipeline before the first batch, Close once after the
// last, in reverse order, only for subscribers whose Open succeeded.
func TestSubscriberHooks(t *testing.T) {
	reg, states := setup(t, fixtures.C(t, "source_only"), fixtures.GoSDK(t, "gocounter"))
	var (
		mu  sync.Mutex
		log []string
	)
	note := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
	hooks := func(name string, openErr error) eventbus.Subscriber {
		return eventbus.Subscriber{Source: "fixture_src",
			Open:    func(p *eventbus.Pipeline) error { note(name + " open " + p.Source()); return openErr },
			OnBatch: func(d *eventbus.Delivery) error { note(name + " batch"); return nil },
			Close:   func(p *eventbus.Pipeline) { note(name + " close") },
		}
	}
	t.Run("EOF", func(t *testing.T) {
		log = nil
		bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states), OpenParams: map[string]string{"fixture_src": "2"}})
		require.NoError(t, err)
		require.NoError(t, bus.Subscribe(hooks("a", nil)))
		require.NoError(t, bus.Subscribe(hooks("b", nil)))
		require.NoError(t, bus.Run(context.Background()))
		assert.Equal(t, []string{"a open fixture_src", "b open fixture_src", "a batch", "b batch", "b close", "a close"}, log)
	})
	t.Run("an Open fails", func(t *testing.T) {
		log = nil
		bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states)})
		require.NoError(t, err)
		require.NoError(t, bus.Subscribe(hooks("a", nil)))
		require.NoError(t, bus.Subscribe(hooks("b", errors.New("no"))))
		require.NoError(t, bus.Subscribe(hooks("c", nil)))
		require.EqualError(t, bus.Run(context.Background()), "eventbus: source 'fixture_src': Open: no")
		assert.Equal(t, []string{"a open fixture_src", "b open fixture_src", "a close"}, log)
	})
	t.Run("cancel", func(t *testing.T) {
		log = nil
		bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states), OpenParams: map[string]string{"gocounter": "100000000"}})
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		closed := 0
		require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "gocounter",
			OnBatch: func(*eventbus.Delivery) error { cancel(); return nil },
			Close:   func(*eventbus.Pipeline) { closed++ }}))
		require.ErrorIs(t, bus.Run(ctx), context.Canceled)
		assert.Equal(t, 1, closed)
	})
}

// Stats counts every source's events and batches; Config.Sources opens a
// source nobody subscribes to, and a subscriber without Filter or Fields
// gets every event.
func TestStatsAndSources(t *testing.T) {
	reg, states := setup(t, fixtures.C(t, "source_only"), fixtures.GoSDK(t, "gocounter"))
	bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: configs(states),
		OpenParams: map[string]string{"fixture_src": "1500", "gocounter": "2500"}, Sources: []string{"gocounter", "fixture_src"}})
	require.NoError(t, err)
	var delivered, batches int
	require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "fixture_src", OnBatch: func(d *eventbus.Delivery) error {
		require.Equal(t, d.Batch().Len(), d.Len())
		delivered += d.Len()
		batches++
		return nil
	}}))
	require.NoError(t, bus.Run(context.Background()))
	stats := bus.Stats()
	require.Len(t, stats, 2)
	assert.Equal(t, eventbus.SourceStats{Source: "fixture_src", Events: 1500, Batches: uint64(batches)}, stats[1])
	assert.Equal(t, 1500, delivered)
	assert.Equal(t, "gocounter", stats[0].Source)
	assert.Equal(t, uint64(2500), stats[0].Events)
	assert.NotZero(t, stats[0].Batches)
}

// Records read values by field name; Records of one batch share a field
// index.
func TestRecordValueByName(t *testing.T) {
	reg, _ := setup(t, fixtures.C(t, "source_only"), fixtures.C(t, "extract_args"))
	bus, err := eventbus.New(eventbus.Config{Registry: reg, OpenParams: map[string]string{"fixture_src": "3"}})
	require.NoError(t, err)
	fields := []string{"args.key_seen[2]", "args.index_seen[a]", "args.key_seen[2]"}
	var records []eventbus.Record
	require.NoError(t, bus.SubscribeRecords("fixture_src", fields, func(r eventbus.Record) error {
		records = append(records, r)
		return nil
	}))
	require.NoError(t, bus.Run(context.Background()))
	require.Len(t, records, 3)
	for k, r := range records {
		assert.Equal(t, uint64(k+1), r.Event.Num)
		assert.Equal(t, fields, r.Fields())
		v, ok := r.Value("args.key_seen[2]")
		assert.True(t, ok)
		assert.Equal(t, r.Values[0], v)
		_, ok = r.Value("args.key_seen[3]")
		assert.False(t, ok, "not a field of the subscriber")
	}
	r := records[1]
	r.Values[1] = nil
	_, ok := r.Value("args.index_seen[a]")
	assert.False(t, ok, "no value")
	assert.Equal(t, "evt-1", string(slices.Clone(records[1].Event.Data())))
}

// When an extraction fails at event k, subscribers of the field get the
// events before k and one that extracts nothing gets the whole batch; then
// the error, naming source and plugin, stops the bus.
func TestExtractionFailure(t *testing.T) {
	reg, _ := setup(t, fixtures.C(t, "source_only"), fixtures.C(t, "extract_bad_rc"))
	bus, err := eventbus.New(eventbus.Config{Registry: reg, OpenParams: map[string]string{"fixture_src": "5"}})
	require.NoError(t, err)
	var withField, without int
	require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "fixture_src", Fields: []string{"bad.str"}, OnBatch: func(d *eventbus.Delivery) error {
		withField += d.Len()
		return nil
	}}))
	require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "fixture_src", OnBatch: func(d *eventbus.Delivery) error {
		without += d.Len()
		return nil
	}}))
	err = bus.Run(context.Background())
	require.EqualError(t, err, "eventbus: source 'fixture_src': plugin 'extract_bad_rc': plugin_extract_fields: event 2 of the batch: extract_fields returned SS_PLUGIN_FAILURE: cannot extract evt-2")
	assert.ErrorIs(t, err, eventbus.ErrStream)
	var e *eventbus.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "extract_bad_rc", e.Plugin)
	assert.Equal(t, 2, withField)
	assert.Equal(t, 5, without)
}
