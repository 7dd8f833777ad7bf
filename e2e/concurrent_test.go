package e2e

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plughost/plughost/eventbus"
)

// TestConcurrentGoPlugins runs four plugins that each embed a Go runtime
// in one bus: three sources (k8saudit, cloudtrail, dummy) streaming at the
// same time, each in its own pipeline goroutine, plus json extracting from
// k8s_audit. Each source must deliver its exact count, with values that
// belong to its own events. (json serves k8s_audit only here: see
// TestSharedExtractorStateAcrossSources.)
func TestConcurrentGoPlugins(t *testing.T) {
	const dummyN = 200_000
	reg, states := setup(t, k8sAudit, cloudTrail, jsonPlugin, dummy)
	bus := newBus(t, reg, states, map[string]string{
		"k8s_audit":      eventsPath("k8saudit", "audit.log"),
		"aws_cloudtrail": eventsPath("cloudtrail"),
		"dummy":          dummyParams(dummyN),
	})

	k8s := record(t, bus, "k8s_audit", []string{"ka.auditid", "json.value[/auditID]", "ka.verb"})
	ct := record(t, bus, "aws_cloudtrail", []string{"ct.id", "ct.name"})
	var dc dummyCheck
	if err := bus.Subscribe(eventbus.Subscriber{Source: "dummy", Fields: dummyFields, OnBatch: dc.onBatch}); err != nil {
		t.Fatal(err)
	}
	// A second zero-copy subscriber on k8s_audit shares the extraction.
	var k8sLent atomic.Int64
	if err := bus.Subscribe(eventbus.Subscriber{Source: "k8s_audit", Fields: []string{"ka.auditid"}, OnBatch: func(d *eventbus.Delivery) error {
		for i := 0; i < d.Len(); i++ {
			if d.Value(i, 0).String(0) != k8sWant[int(d.Event(i).Num())-1].values[0] {
				return fmt.Errorf("k8s_audit event %d: ka.auditid = %q", d.Event(i).Num(), d.Value(i, 0).String(0))
			}
		}
		k8sLent.Add(int64(d.Len()))
		return nil
	}}); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	if err := run(t, bus); err != nil {
		t.Fatal(err)
	}
	t.Logf("k8s_audit %d, aws_cloudtrail %d, dummy %d events in %v", len(*k8s), len(*ct), dc.n, time.Since(start))

	if len(*k8s) != len(k8sWant) || k8sLent.Load() != int64(len(k8sWant)) {
		t.Errorf("k8s_audit: %d records and %d lent events, want %d", len(*k8s), k8sLent.Load(), len(k8sWant))
	}
	for i, r := range *k8s {
		if i < len(k8sWant) && (r.Values[0] != k8sWant[i].values[0] || r.Values[1] != k8sWant[i].values[0] || r.Values[2] != k8sWant[i].values[2]) {
			t.Errorf("k8s_audit event %d: %v, want auditID %v twice and verb %v", i+1, r.Values, k8sWant[i].values[0], k8sWant[i].values[2])
		}
	}
	wantCT := append(append([]row(nil), ctTrailWant...), ctTrailGzWant...)
	if len(*ct) != len(wantCT) {
		t.Errorf("aws_cloudtrail: %d events, want %d", len(*ct), len(wantCT))
	}
	for i, r := range *ct {
		if i < len(wantCT) && (r.Values[0] != wantCT[i].values[0] || r.Values[1] != wantCT[i].values[2] || r.Event.Header().Ts != wantCT[i].ts) {
			t.Errorf("aws_cloudtrail event %d: %v at %d, want %v %v at %d", i+1, r.Values, r.Event.Header().Ts, wantCT[i].values[0], wantCT[i].values[2], wantCT[i].ts)
		}
	}
	if dc.n != dummyN || dc.sum != dummyN*(dummyN+1)/2 {
		t.Errorf("dummy: %d events summing to %d, want %d summing to %d", dc.n, dc.sum, dummyN, dummyN*(dummyN+1)/2)
	}
}
