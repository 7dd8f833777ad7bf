package registry_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
	"github.com/plughost/plughost/registry"
)

// referenceValid checks a whole set at once, the way Falco does at start-up
// (names, ids, then every loaded source's fields), independently of Add.
func referenceValid(set []*loader.Plugin) bool {
	nameSeen := map[string]bool{}
	idSeen := map[uint32]bool{}
	var sources []string
	for _, p := range set {
		if nameSeen[p.Name] {
			return false
		}
		nameSeen[p.Name] = true
		if !p.Has(pluginapi.CapSourcing) {
			continue
		}
		if p.ID != 0 {
			if idSeen[p.ID] {
				return false
			}
			idSeen[p.ID] = true
		}
		sources = append(sources, refOwn(p))
	}
	for _, s := range sources {
		fields := map[string]bool{}
		for _, p := range set {
			if !refExtracts(p, s) {
				continue
			}
			for _, f := range p.Fields {
				if fields[f.Name] {
					return false
				}
				fields[f.Name] = true
			}
		}
	}
	return true
}

func refOwn(p *loader.Plugin) string {
	if p.ID == 0 {
		return "syscall"
	}
	return p.EventSource
}

func refExtracts(p *loader.Plugin, s string) bool {
	if !p.Has(pluginapi.CapExtraction) {
		return false
	}
	if p.Has(pluginapi.CapSourcing) && refOwn(p) == s {
		return true
	}
	if len(p.ExtractEventSources) == 0 {
		return true
	}
	for _, x := range p.ExtractEventSources {
		if x == s {
			return true
		}
	}
	return false
}

// The design claim of the package: checking each Add against what is known
// so far accepts exactly the sets a one-shot check over the final set
// accepts, whatever the load order, so no final Validate is needed.
func TestIncrementalMatchesWholeSetCheck(t *testing.T) {
	pool := load(t, "source_only", "extract_only", "reg_overlap", "reg_all_overlap", "full", "reg_all",
		"reg_shadow", "reg_nowhere", "reg_longest", "source_id0", "reg_id0", "reg_dup_id", "parse_only")
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 500; round++ {
		order := append([]*loader.Plugin(nil), pool...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		r := registry.New()
		var accepted []*loader.Plugin
		for _, p := range order {
			err := r.Add(p)
			with := append(accepted[:len(accepted):len(accepted)], p)
			require.Equal(t, referenceValid(with), err == nil,
				"round %d: adding %s to %v: %v", round, p.Name, names(accepted), err)
			if err == nil {
				accepted = with
			}
			require.Equal(t, names(accepted), names(r.Plugins()))
		}
	}
}
