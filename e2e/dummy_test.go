package e2e

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/plughost/plughost/eventbus"
)

// dummyParams are dummy's open params for n events: with jitter 0 (init
// config) each sample is the previous one plus 1, so starting at 0 the
// samples are exactly 1..n, and the plugin returns EOF after maxEvents.
func dummyParams(n uint64) string {
	return fmt.Sprintf(`{"start":0,"maxEvents":%d}`, n)
}

// dummyCheck verifies every dummy event of a delivery against the
// plugin's formula (sample k of the stream is k, its payload is the decimal
// text) and accumulates the count and checksums. Fields must be
// dummyFields.
type dummyCheck struct {
	n, sum, div3, div7 uint64
	strBytes           uint64
}

var dummyFields = []string{"dummy.value", "dummy.strvalue", "dummy.divisible[3]", "dummy.divisible[7]"}

func (c *dummyCheck) onBatch(d *eventbus.Delivery) error {
	var buf []byte
	for i := 0; i < d.Len(); i++ {
		ev := d.Event(i)
		c.n++
		v := d.Value(i, 0).Uint64(0)
		if v != ev.Num() || v != c.n {
			return fmt.Errorf("event %d (stream #%d): dummy.value = %d", c.n, ev.Num(), v)
		}
		buf = strconv.AppendUint(buf[:0], v, 10)
		if s := d.Value(i, 1).Bytes(0); string(s) != string(buf) || string(ev.Data()) != string(buf) {
			return fmt.Errorf("event %d: dummy.strvalue = %q, payload %q, want %q", c.n, s, ev.Data(), buf)
		}
		d3, d7 := d.Value(i, 2).Uint64(0), d.Value(i, 3).Uint64(0)
		if d3 != b2u(v%3 == 0) || d7 != b2u(v%7 == 0) {
			return fmt.Errorf("event %d: dummy.divisible[3] = %d, [7] = %d", c.n, d3, d7)
		}
		c.sum += v
		c.div3 += d3
		c.div7 += d7
		c.strBytes += uint64(len(buf))
	}
	return nil
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// decimalDigits is the total length of the decimal texts of 1..n.
func decimalDigits(n uint64) uint64 {
	var total uint64
	for lo, digits := uint64(1), uint64(1); lo <= n; lo, digits = lo*10, digits+1 {
		hi := min(lo*10-1, n)
		total += (hi - lo + 1) * digits
	}
	return total
}

// TestDummyMillion streams 1,000,000 dummy v0.11.5 events through the bus,
// extracting all three dummy fields (dummy.divisible with two divisors),
// and checks each value against the plugin's formula, then the count and
// checksums: sum of 1..n, multiples of 3 and 7, total text length.
func TestDummyMillion(t *testing.T) {
	const n = 1_000_000
	reg, states := setup(t, dummy)
	bus := newBus(t, reg, states, map[string]string{"dummy": dummyParams(n)})
	var c dummyCheck
	batches := 0
	if err := bus.Subscribe(eventbus.Subscriber{Source: "dummy", Fields: dummyFields, OnBatch: func(d *eventbus.Delivery) error {
		batches++
		return c.onBatch(d)
	}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := run(t, bus); err != nil {
		t.Fatalf("after %d events: %v", c.n, err)
	}
	elapsed := time.Since(start)
	t.Logf("%d events in %d batches, %v: %.0f ns/event", c.n, batches, elapsed, float64(elapsed.Nanoseconds())/float64(max(c.n, 1)))

	if c.n != n {
		t.Errorf("count = %d, want %d", c.n, n)
	}
	if want := uint64(n) * (n + 1) / 2; c.sum != want { // 500000500000
		t.Errorf("sum of dummy.value = %d, want %d", c.sum, want)
	}
	if c.div3 != n/3 || c.div7 != n/7 { // 333333, 142857
		t.Errorf("dummy.divisible: %d multiples of 3, %d of 7; want %d and %d", c.div3, c.div7, n/3, n/7)
	}
	if want := decimalDigits(n); c.strBytes != want { // 5888897
		t.Errorf("total length of dummy.strvalue = %d, want %d", c.strBytes, want)
	}
}

// TestDummyDefaultJitter runs dummy with its default config (jitter 10)
// and default open params (start 1, 20 events): each sample exceeds the
// previous one by 1 to 11.
func TestDummyDefaultJitter(t *testing.T) {
	d := dummy
	d.config = ""
	reg, states := setup(t, d)
	bus := newBus(t, reg, states, nil)
	got := record(t, bus, "dummy", []string{"dummy.value", "dummy.strvalue"})
	if err := run(t, bus); err != nil {
		t.Fatal(err)
	}
	if len(*got) != 20 {
		t.Fatalf("got %d events, want the default 20", len(*got))
	}
	prev := uint64(1)
	for i, r := range *got {
		v, ok := r.Values[0].(uint64)
		if !ok || v < prev+1 || v > prev+11 || r.Values[1] != strconv.FormatUint(v, 10) {
			t.Errorf("event %d: dummy.value = %s, dummy.strvalue = %s after %d", i+1, show(r.Values[0]), show(r.Values[1]), prev)
		}
		prev = v
	}
}
