package filter_test

import (
	"context"
	"testing"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// BenchmarkEvalNoop decides batches of 512 no-op plugin events; b.N counts
// events. The numbers that matter are in bench/ and BENCHMARKS.md; this one
// isolates the evaluator.
func BenchmarkEvalNoop(b *testing.B) {
	for _, c := range []struct{ name, filter string }{
		{"cmp", "noop.u1 = 1"},
		{"nomatch", "noop.u1 = 2"},
		{"str", "noop.str = constant"},
		{"five", "noop.u1 = 1 and (noop.u2 = 5 or noop.u3 = 3) and noop.u4 != 0 and noop.str startswith con"},
		{"extract-only", ""},
	} {
		b.Run("f="+c.name, func(b *testing.B) {
			p, err := loader.Load(fixtures.C(b, "bench_noop"), loader.Options{})
			if err != nil {
				b.Fatal(err)
			}
			reg := registry.New()
			if err := reg.Add(p); err != nil {
				b.Fatal(err)
			}
			s, err := p.Init("")
			if err != nil {
				b.Fatal(err)
			}
			defer s.Destroy()
			var ev *filter.Evaluator
			var x *capability.Extractor
			if c.filter != "" {
				f, err := filter.Compile(c.filter, filter.Env{Registry: reg, Source: p.EventSource})
				if err != nil {
					b.Fatal(err)
				}
				ev, err = f.NewEvaluator(func(*loader.Plugin) (*loader.State, error) { return s, nil })
				if err != nil {
					b.Fatal(err)
				}
				defer ev.Close()
			} else {
				x, err = capability.NewExtractor(s, p.EventSource, []string{"noop.u1"}, capability.ExtractOptions{})
				if err != nil {
					b.Fatal(err)
				}
				defer x.Close()
			}
			src, _ := capability.NewSource(s)
			st, err := src.Open("512")
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			var sink int
			b.ReportAllocs()
			b.ResetTimer()
			for n := 0; n < b.N; {
				err := st.Next(context.Background(), func(batch *capability.Batch) error {
					n += batch.Len()
					if ev != nil {
						idx, err := ev.Eval(batch)
						sink += len(idx)
						return err
					}
					res, err := x.ExtractBatch(batch)
					col := res.Uint64Column(0)
					for i := 0; i < res.Len(); i++ {
						if v, _ := col.At(i); v == 1 {
							sink++
						}
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
		})
	}
}

// BenchmarkFormatEvtTime renders Falco's alert prefix field, evt.time, for
// batches of 512 no-op plugin events; b.N counts events.
func BenchmarkFormatEvtTime(b *testing.B) {
	p, err := loader.Load(fixtures.C(b, "bench_noop"), loader.Options{})
	if err != nil {
		b.Fatal(err)
	}
	reg := registry.New()
	if err := reg.Add(p); err != nil {
		b.Fatal(err)
	}
	s, err := p.Init("")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Destroy()
	fm, err := filter.CompileFormat("*%evt.time: %noop.str", filter.Env{Registry: reg, Source: p.EventSource})
	if err != nil {
		b.Fatal(err)
	}
	fr, err := fm.NewFormatter(func(*loader.Plugin) (*loader.State, error) { return s, nil })
	if err != nil {
		b.Fatal(err)
	}
	defer fr.Close()
	src, _ := capability.NewSource(s)
	st, err := src.Open("512")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	line := make([]byte, 0, 256)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; {
		err := st.Next(context.Background(), func(batch *capability.Batch) error {
			n += batch.Len()
			if err := fr.Extract(batch, nil); err != nil {
				return err
			}
			for i := 0; i < batch.Len(); i++ {
				line, _ = fr.AppendText(line[:0], i)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
}
