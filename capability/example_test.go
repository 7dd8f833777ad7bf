package capability_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

// Read every event of a source plugin. Events are lent to the callback;
// Copy keeps one beyond it.
func ExampleSource() {
	path, err := fixtures.BuildC("source_only") // any sourcing plugin .so
	if err != nil {
		panic(err)
	}
	plugin, err := loader.Load(path, loader.Options{})
	if err != nil {
		panic(err)
	}
	state, err := plugin.Init("")
	if err != nil {
		panic(err)
	}
	defer state.Destroy()

	src, err := capability.NewSource(state)
	if err != nil {
		panic(err)
	}
	stream, err := src.Open("3")
	if err != nil {
		panic(err)
	}
	defer stream.Close()
	for {
		err := stream.Next(context.Background(), func(b *capability.Batch) error {
			for i := 0; i < b.Len(); i++ {
				ev := b.Event(i)
				fmt.Printf("#%d %s id=%d\n", ev.Num(), ev.Data(), ev.PluginID())
			}
			return nil
		})
		if errors.Is(err, capability.EOF) {
			break
		}
		if err != nil {
			panic(err)
		}
	}
	// Output:
	// #1 evt-0 id=991
	// #2 evt-1 id=991
	// #3 evt-2 id=991
}

// Extract fields from every event of a batch in one call into the plugin.
func ExampleExtractor() {
	load := func(name string) *loader.State {
		path, err := fixtures.BuildC(name)
		if err != nil {
			panic(err)
		}
		p, err := loader.Load(path, loader.Options{})
		if err != nil {
			panic(err)
		}
		s, err := p.Init("")
		if err != nil {
			panic(err)
		}
		return s
	}
	source, extractor := load("source_only"), load("extract_only")
	defer source.Destroy()
	defer extractor.Destroy()

	x, err := capability.NewExtractor(extractor, "fixture_src",
		[]string{"fixture.u64", "fixture.list", "fixture.idx[7]"}, capability.ExtractOptions{})
	if err != nil {
		panic(err)
	}
	defer x.Close()

	src, _ := capability.NewSource(source)
	stream, _ := src.Open("2")
	defer stream.Close()
	_ = stream.Next(context.Background(), func(b *capability.Batch) error {
		res, err := x.ExtractBatch(b)
		if err != nil {
			return err
		}
		for i := 0; i < res.Len(); i++ {
			fmt.Println(res.Value(i, 0).Uint64(0), res.Value(i, 1).Any(), res.Value(i, 2).Any())
		}
		return nil
	})
	// Output:
	// 42 [a b c] 7
	// 42 [a b c] 7
}
