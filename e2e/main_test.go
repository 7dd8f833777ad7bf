package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// official is an official plugin at a pinned version with its init config.
type official struct{ name, version, config string }

var (
	k8sAudit   = official{"k8saudit", "v0.18.0", ""}
	cloudTrail = official{"cloudtrail", "v0.17.1", "{}"}
	jsonPlugin = official{"json", "v0.7.4", ""}
	// jitter 0 makes the dummy samples deterministic: start+1, start+2, ...
	dummy = official{"dummy", "v0.11.5", `{"jitter":0}`}
)

// runTimeout bounds every bus run, so that a plugin that never reaches EOF
// fails the test instead of hanging it.
const runTimeout = 2 * time.Minute

func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: builds and runs the official Go plugins")
	}
}

// setup loads, registers and initializes the plugins in order; the states
// are destroyed when the test ends.
func setup(t *testing.T, plugins ...official) (*registry.Registry, []*loader.State) {
	t.Helper()
	skipShort(t)
	reg := registry.New()
	var states []*loader.State
	for _, o := range plugins {
		p, err := loader.Load(fixtures.Official(t, o.name, o.version), loader.Options{})
		if err != nil {
			t.Fatalf("load %s %s: %v", o.name, o.version, err)
		}
		if err := reg.Add(p); err != nil {
			t.Fatalf("register %s: %v", o.name, err)
		}
		s, err := p.Init(o.config)
		if err != nil {
			t.Fatalf("init %s with %q: %v", o.name, o.config, err)
		}
		t.Cleanup(s.Destroy)
		states = append(states, s)
	}
	return reg, states
}

func newBus(t *testing.T, reg *registry.Registry, states []*loader.State, params map[string]string) *eventbus.Bus {
	t.Helper()
	cfg := map[string]string{}
	for _, s := range states {
		cfg[s.Plugin().Name] = s.Config()
	}
	bus, err := eventbus.New(eventbus.Config{Registry: reg, InitConfig: cfg, OpenParams: params})
	if err != nil {
		t.Fatal(err)
	}
	return bus
}

func run(t *testing.T, bus *eventbus.Bus) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	return bus.Run(ctx)
}

// eventsPath is the absolute path of a file under testdata/events.
func eventsPath(parts ...string) string {
	return filepath.Join(append([]string{fixtures.Root(), "testdata", "events"}, parts...)...)
}

// record collects the records of one source, in delivery order.
func record(t *testing.T, bus *eventbus.Bus, source string, fields []string) *[]eventbus.Record {
	t.Helper()
	var got []eventbus.Record
	if err := bus.SubscribeRecords(source, fields, func(r eventbus.Record) error {
		got = append(got, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return &got
}

// row is the expected outcome for one event: its timestamp (ns since the
// epoch) and one value per field (nil: the field has no value).
type row struct {
	ts     uint64
	values []any
}

// checkRows compares records with rows: same count, event numbers 1..n in
// order, timestamps, and every value with its exact Go type.
func checkRows(t *testing.T, source string, fields []string, got []eventbus.Record, want []row) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d events, want %d", source, len(got), len(want))
	}
	for i := 0; i < min(len(got), len(want)); i++ {
		r, w := got[i], want[i]
		if r.Event.Num != uint64(i+1) {
			t.Errorf("%s event %d: Num = %d", source, i+1, r.Event.Num)
		}
		if r.Event.Source != source {
			t.Errorf("%s event %d: Source = %q", source, i+1, r.Event.Source)
		}
		if ts := r.Event.Header().Ts; ts != w.ts {
			t.Errorf("%s event %d: ts = %d (%s), want %d (%s)", source, i+1,
				ts, time.Unix(0, int64(ts)).UTC().Format(time.RFC3339Nano),
				w.ts, time.Unix(0, int64(w.ts)).UTC().Format(time.RFC3339Nano))
		}
		if len(w.values) != len(fields) || len(r.Values) != len(fields) {
			t.Fatalf("%s event %d: %d values, %d expected, %d fields", source, i+1, len(r.Values), len(w.values), len(fields))
		}
		for f, field := range fields {
			if !reflect.DeepEqual(r.Values[f], w.values[f]) {
				t.Errorf("%s event %d: %s = %s, want %s", source, i+1, field, show(r.Values[f]), show(w.values[f]))
			}
		}
	}
}

func show(v any) string {
	if v == nil {
		return "<no value>"
	}
	return fmt.Sprintf("%#v", v)
}
