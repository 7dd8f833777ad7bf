package rules

import (
	"sync"
	"testing"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

var (
	conformOnce sync.Once
	conformReg  *registry.Registry
	conformErr  error
)

// conformRegistry holds the conform fixture, source "conform" with fields
// conform.num, conform.str, ...
func conformRegistry(t testing.TB) *registry.Registry {
	t.Helper()
	path := fixtures.C(t, "conform")
	conformOnce.Do(func() {
		p, err := loader.Load(path, loader.Options{})
		if err != nil {
			conformErr = err
			return
		}
		reg := registry.New()
		conformErr = reg.Add(p)
		conformReg = reg
	})
	if conformErr != nil {
		t.Fatal(conformErr)
	}
	return conformReg
}

func conformLoader(t testing.TB) *Loader {
	return NewLoader(Env{Registry: conformRegistry(t), Sources: []string{"conform"}})
}
