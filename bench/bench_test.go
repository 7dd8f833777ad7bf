package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/internal/floor"
	"github.com/plughost/plughost/loader"
)

var fourFields = []string{"noop.u1", "noop.u2", "noop.u3", "noop.u4"}

type hostCase struct {
	path, config, params, source string
	fields                       []string
	opts                         loader.Options
}

// runHost streams b.N events through the library path: next_batch,
// validation and (when fields are given) one ExtractBatch per batch.
func runHost(b *testing.B, c hostCase) {
	p, err := loader.Load(c.path, c.opts)
	if err != nil {
		b.Fatal(err)
	}
	s, err := p.Init(c.config)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Destroy()
	src, err := capability.NewSource(s)
	if err != nil {
		b.Fatal(err)
	}
	var x *capability.Extractor
	if len(c.fields) > 0 {
		if x, err = capability.NewExtractor(s, c.source, c.fields, capability.ExtractOptions{}); err != nil {
			b.Fatal(err)
		}
		defer x.Close()
	}
	params := c.params
	if params == "" {
		params = fmt.Sprintf(`{"start":1,"maxEvents":%d}`, b.N+1)
	}
	st, err := src.Open(params)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var sink uint64
	onBatch := func(batch *capability.Batch) error {
		if x == nil {
			return nil
		}
		res, err := x.ExtractBatch(batch)
		if err != nil {
			return err
		}
		col := res.Uint64Column(0)
		for i := 0; i < res.Len(); i++ {
			v, _ := col.At(i)
			sink += v
		}
		return nil
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; {
		err := st.Next(context.Background(), func(batch *capability.Batch) error {
			n += batch.Len()
			return onBatch(batch)
		})
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
	_ = sink
}

// runFloor runs the C harness with b.N events and reports its loop time.
func runFloor(b *testing.B, plugin, mode, params, config string, env map[string]string) {
	h, err := floor.Harness()
	if err != nil {
		b.Fatal(err)
	}
	events := max(b.N, 1000)
	if params == "" {
		params = fmt.Sprintf(`{"start":1,"maxEvents":%d}`, events+1)
	}
	r, err := floor.Run(h, plugin, mode, events, params, config, env)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(r.NsPerEvent, "ns/event")
	b.ReportMetric(0, "ns/op") // the harness times itself; process startup is not the subject
}

func BenchmarkNoop(b *testing.B) {
	path := fixtures.C(b, "bench_noop")
	noop := func(fields []string) hostCase {
		return hostCase{path: path, params: "512", source: "bench_noop", fields: fields}
	}
	b.Run("path=batch/impl=host", func(b *testing.B) { runHost(b, noop(nil)) })
	b.Run("path=batch/impl=floor", func(b *testing.B) { runFloor(b, path, floor.ModeBatch, "512", "", nil) })
	b.Run("path=extract1/impl=host", func(b *testing.B) { runHost(b, noop(fourFields[:1])) })
	b.Run("path=extract1/impl=floor", func(b *testing.B) {
		runFloor(b, path, "extract1", "512", "", map[string]string{"FLOOR_FIELDS": "noop.u1"})
	})
	b.Run("path=extract4/impl=host", func(b *testing.B) { runHost(b, noop(fourFields)) })
	b.Run("path=extract4/impl=floor", func(b *testing.B) {
		runFloor(b, path, "extract4", "512", "", map[string]string{"FLOOR_FIELDS": "noop.u1,noop.u2,noop.u3,noop.u4"})
	})
}

// BenchmarkDummy runs the official dummy plugin (Go SDK) under both Go
// runtime settings: GOMAXPROCS=1 (the host default) and the environment's
// (every CPU). A library's Go runtime is configured once per process and
// path, so the second setting loads a copy of the library.
func BenchmarkDummy(b *testing.B) {
	path := fixtures.Official(b, "dummy", "v0.11.5")
	inherit := filepath.Join(b.TempDir(), "dummy-inherit.so")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(inherit, data, 0o755); err != nil {
		b.Fatal(err)
	}
	fields := []string{"dummy.value"}
	b.Run("gomaxprocs=1/impl=host", func(b *testing.B) {
		runHost(b, hostCase{path: path, config: `{"jitter":10}`, source: "dummy", fields: fields})
	})
	b.Run("gomaxprocs=1/impl=floor", func(b *testing.B) {
		runFloor(b, path, "extract1", "", `{"jitter":10}`, map[string]string{"GOMAXPROCS": "1", "FLOOR_FIELDS": "dummy.value"})
	})
	b.Run("gomaxprocs=all/impl=host", func(b *testing.B) {
		runHost(b, hostCase{path: inherit, config: `{"jitter":10}`, source: "dummy", fields: fields, opts: loader.Options{GoMaxProcs: -1}})
	})
	b.Run("gomaxprocs=all/impl=floor", func(b *testing.B) {
		runFloor(b, path, "extract1", "", `{"jitter":10}`, map[string]string{"FLOOR_FIELDS": "dummy.value"})
	})
}
