package rules

import (
	stdcontext "context"
	"os"
	"path/filepath"
	"testing"

	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// benchAuditLog writes the bundled audit log repeated until it holds at
// least n events, and returns its path and event count.
func benchAuditLog(b *testing.B, n int) (string, int) {
	b.Helper()
	one, err := os.ReadFile(filepath.Join(fixtures.Root(), "testdata", "events", "rules", "audit.log"))
	if err != nil {
		b.Fatal(err)
	}
	perCopy := 0
	for _, c := range one {
		if c == '\n' {
			perCopy++
		}
	}
	path := filepath.Join(b.TempDir(), "audit.log")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	events := 0
	for events < n {
		if _, err := f.Write(one); err != nil {
			b.Fatal(err)
		}
		events += perCopy
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, events
}

func benchK8sRegistry(b *testing.B) *registry.Registry {
	b.Helper()
	reg := registry.New()
	for _, nv := range [][2]string{{"k8saudit", "v0.18.0"}, {"json", "v0.7.4"}} {
		p, err := loader.Load(fixtures.Official(b, nv[0], nv[1]), loader.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := reg.Add(p); err != nil {
			b.Fatal(err)
		}
	}
	return reg
}

// BenchmarkEngineK8sAudit is the library path pluginrun runs: every rule
// of the official k8s_audit_rules.yaml enabled (the disabled ones too),
// rule_matching all, over ~100k audit events, alerts formatted and
// discarded. "filter-only" runs one rule's filter through the same bus
// with no formatting, the floor the engine adds to.
func BenchmarkEngineK8sAudit(b *testing.B) {
	if testing.Short() {
		b.Skip("builds official plugins")
	}
	reg := benchK8sRegistry(b)
	l := NewLoader(Env{Registry: reg, Sources: reg.Sources()})
	res := l.LoadFile(fixtures.OfficialRules(b, "k8saudit", "v0.18.0", "k8s_audit_rules.yaml"))
	if !res.OK() {
		b.Fatal(res.Text(true))
	}
	path, events := benchAuditLog(b, 100_000)
	open := map[string]string{"k8s_audit": path}

	run := func(b *testing.B, attach func(bus *eventbus.Bus) error) {
		b.ReportAllocs()
		for b.Loop() {
			bus, err := eventbus.New(eventbus.Config{Registry: reg, OpenParams: open})
			if err != nil {
				b.Fatal(err)
			}
			if err := attach(bus); err != nil {
				b.Fatal(err)
			}
			if err := bus.Run(stdcontext.Background()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*events), "ns/event")
		b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	}
	engineRun := func(format AlertFormat, matching Matching, perEvent bool) func(b *testing.B) {
		return func(b *testing.B) {
			e, err := NewEngine(EngineConfig{Registry: reg, Rules: l.Rules(), MinPriority: Debug, Matching: matching,
				Format: format, Selections: []Selection{{Enable: true, Rule: "*"}},
				Eval: filter.EvalOptions{OneCallPerEvent: perEvent}})
			if err != nil {
				b.Fatal(err)
			}
			run(b, func(bus *eventbus.Bus) error {
				return e.Attach(bus, func(*Detection) error { return nil })
			})
		}
	}
	jsonFormat := DefaultAlertFormat()
	jsonFormat.JSON = true
	b.Run("rules=all/text", engineRun(DefaultAlertFormat(), MatchAll, false))
	b.Run("rules=all/text/one-call-per-event", engineRun(DefaultAlertFormat(), MatchAll, true))
	b.Run("rules=all/json", engineRun(jsonFormat, MatchAll, false))
	b.Run("rules=all/first", engineRun(DefaultAlertFormat(), MatchFirst, false))
	b.Run("rules=all/first/one-call-per-event", engineRun(DefaultAlertFormat(), MatchFirst, true))
	b.Run("filter-only", func(b *testing.B) {
		f := l.Rules()[0].Filter
		run(b, func(bus *eventbus.Bus) error {
			return bus.Subscribe(eventbus.Subscriber{Source: "k8s_audit", Filter: f, OnBatch: func(*eventbus.Delivery) error { return nil }})
		})
	})
}
