// Package registry keeps the set of loaded plugins and answers, per event
// source, which plugin opens it and which plugins extract, parse and send
// async events for it; Resolve maps a field reference to its plugin.
//
// The rules are libsinsp's plugin manager and Falco's init_inspectors:
// unique names, unique ids among source plugins, one opened source plugin
// per event source (the first in load order), and no field name served
// twice for one event source.
//
// Validation is incremental and exact: Add accepts a plugin only if the
// whole set, with it, breaks no rule for any event source known at that
// point, and changes nothing when it refuses. A source added later cannot
// escape the check, because adding its source plugin checks every plugin
// that serves the new source, including extractors added before it (such
// as one with an empty source list). So after any sequence of Adds the
// registry is valid as it stands and no final Validate step exists. The
// only findings that depend on plugins still to come are warnings, and
// Warnings computes them from the current set on each call.
package registry

import (
	"fmt"
	"sync"

	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

// Registry is safe for concurrent use. Plugins are added at load time;
// queries and Resolve may run from any goroutine.
type Registry struct {
	mu           sync.RWMutex
	plugins      []*loader.Plugin
	byName       map[string]*loader.Plugin
	byID         map[uint32]*loader.Plugin // source plugins with id != 0
	sources      []string                  // event sources, in load order
	sourcePlugin map[string]*loader.Plugin // the first source plugin of each source
	// index maps, per event source, each field name served on it to its
	// plugin. Names are unique per source (checkOverlap). Rebuilt by Add
	// and never mutated afterwards, so Resolve reads it without the lock.
	index map[string]map[string]indexEntry
}

type indexEntry struct {
	plugin *loader.Plugin
	field  *loader.Field
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{
		byName:       map[string]*loader.Plugin{},
		byID:         map[uint32]*loader.Plugin{},
		sourcePlugin: map[string]*loader.Plugin{},
		index:        map[string]map[string]indexEntry{},
	}
}

// Add registers p after the plugins already added; call it in load order,
// which decides the opened source plugin of each source and error wording.
// On error the registry is unchanged.
func (r *Registry) Add(p *loader.Plugin) error {
	if p == nil {
		return &Error{Kind: ErrNilPlugin, Msg: "cannot add a nil plugin"}
	}
	r.mu.Lock()
	defer r.mu.Unlock()

	if _, dup := r.byName[p.Name]; dup {
		return &Error{Kind: ErrDuplicateName, Plugin: p.Name,
			Msg: fmt.Sprintf("plugin '%s' is already loaded", p.Name)}
	}
	if p.Has(pluginapi.CapSourcing) && p.ID != 0 {
		if other, dup := r.byID[p.ID]; dup {
			return &Error{Kind: ErrDuplicateID, Plugin: p.Name, Other: other.Name, ID: p.ID,
				Msg: fmt.Sprintf("plugin '%s' has id %d, already used by plugin '%s'", p.Name, p.ID, other.Name)}
		}
	}

	plugins := append(r.plugins[:len(r.plugins):len(r.plugins)], p)
	sources := r.sources
	src, sourcing := ownSource(p)
	newSource := sourcing && r.sourcePlugin[src] == nil
	if newSource {
		sources = append(sources[:len(sources):len(sources)], src)
	}
	for _, s := range sources {
		if (newSource && s == src) || extracts(p, s) {
			if err := checkOverlap(plugins, s); err != nil {
				return err
			}
		}
	}

	r.plugins, r.sources = plugins, sources
	r.byName[p.Name] = p
	if sourcing && p.ID != 0 {
		r.byID[p.ID] = p
	}
	if newSource {
		r.sourcePlugin[src] = p
	}
	r.rebuildIndex()
	return nil
}

// checkOverlap walks the extractors of source in load order, as Falco adds
// their filterchecks, and names the later plugin of the first clash.
func checkOverlap(plugins []*loader.Plugin, source string) error {
	seen := map[string]*loader.Plugin{}
	for _, p := range plugins {
		if !extracts(p, source) {
			continue
		}
		for _, f := range p.Fields {
			if other, dup := seen[f.Name]; dup && other != p {
				return &Error{Kind: ErrFieldOverlap, Plugin: p.Name, Other: other.Name, Source: source, Field: f.Name,
					Msg: fmt.Sprintf("Plugin '%s' supports extraction of field '%s' that is overlapping for source '%s' (also provided by plugin '%s')",
						p.Name, f.Name, source, other.Name)}
			}
			seen[f.Name] = p
		}
	}
	return nil
}

func (r *Registry) rebuildIndex() {
	index := make(map[string]map[string]indexEntry, len(r.sources))
	for _, s := range r.sources {
		entries := map[string]indexEntry{}
		for _, p := range r.extractors(s) {
			for i := range p.Fields {
				entries[p.Fields[i].Name] = indexEntry{plugin: p, field: &p.Fields[i]}
			}
		}
		index[s] = entries
	}
	r.index = index
}

// ownSource is the event source p opens. An id-0 source plugin produces
// libscap events of any type, which Falco treats as the syscall source.
func ownSource(p *loader.Plugin) (string, bool) {
	if !p.Has(pluginapi.CapSourcing) {
		return "", false
	}
	if p.ID == 0 {
		return pluginapi.ReservedSourceSyscall, true
	}
	return p.EventSource, true
}

// compatible is libsinsp's is_source_compatible: an empty list means all.
func compatible(list []string, source string) bool {
	if len(list) == 0 {
		return true
	}
	for _, s := range list {
		if s == source {
			return true
		}
	}
	return false
}

func isOwn(p *loader.Plugin, source string) bool {
	own, ok := ownSource(p)
	return ok && own == source
}

func extracts(p *loader.Plugin, source string) bool {
	return p.Has(pluginapi.CapExtraction) && (isOwn(p, source) || compatible(p.ExtractEventSources, source))
}

func parses(p *loader.Plugin, source string) bool {
	return p.Has(pluginapi.CapParsing) && (isOwn(p, source) || compatible(p.ParseEventSources, source))
}

func sendsAsync(p *loader.Plugin, source string) bool {
	return p.Has(pluginapi.CapAsync) && (isOwn(p, source) || compatible(p.AsyncEventSources, source))
}

// Plugins returns every added plugin, in load order.
func (r *Registry) Plugins() []*loader.Plugin {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]*loader.Plugin(nil), r.plugins...)
}

// Sources returns the event sources that have a source plugin, in the load
// order of their first source plugin. An id-0 source plugin provides
// "syscall".
func (r *Registry) Sources() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]string(nil), r.sources...)
}

// SourcePlugin returns the plugin opened for source: the first source
// plugin of that source in load order.
func (r *Registry) SourcePlugin(source string) (*loader.Plugin, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.sourcePlugin[source]
	return p, ok
}

// Extractors returns the plugins extracting fields from events of source:
// its source plugin first when it extracts, then the others in load order.
// Nil when no plugin provides source.
func (r *Registry) Extractors(source string) []*loader.Plugin {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.extractors(source)
}

func (r *Registry) extractors(source string) []*loader.Plugin {
	sp := r.sourcePlugin[source]
	if sp == nil {
		return nil
	}
	var out []*loader.Plugin
	if extracts(sp, source) {
		out = append(out, sp)
	}
	for _, p := range r.plugins {
		if p != sp && extracts(p, source) {
			out = append(out, p)
		}
	}
	return out
}

// Parsers returns the plugins parsing events of source, in load order (the
// order libsinsp calls them). Nil when no plugin provides source.
func (r *Registry) Parsers(source string) []*loader.Plugin {
	return r.filter(source, parses)
}

// AsyncPlugins returns the plugins whose async events may be injected in
// the stream of source, in load order. Nil when no plugin provides source.
func (r *Registry) AsyncPlugins(source string) []*loader.Plugin {
	return r.filter(source, sendsAsync)
}

func (r *Registry) filter(source string, keep func(*loader.Plugin, string) bool) []*loader.Plugin {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.sourcePlugin[source] == nil {
		return nil
	}
	var out []*loader.Plugin
	for _, p := range r.plugins {
		if keep(p, source) {
			out = append(out, p)
		}
	}
	return out
}

// ByName returns the plugin with that name.
func (r *Registry) ByName(name string) (*loader.Plugin, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.byName[name]
	return p, ok
}

// ByID returns the source plugin with that id, as a capture file's plugin
// events name it. Id 0 is never found: those events carry no plugin id.
func (r *Registry) ByID(id uint32) (*loader.Plugin, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.byID[id]
	return p, ok
}

// Warnings reports shadowed source plugins and plugins compatible with no
// loaded source, in load order. It reflects the current set: a plugin
// unused now may be used once its source is added.
//
// A capture-listening plugin counts as used as soon as any source exists,
// since it is told about every capture; Falco's live mode would reject it.
func (r *Registry) Warnings() []Warning {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []Warning
	for _, p := range r.plugins {
		if src, sourcing := ownSource(p); sourcing {
			if first := r.sourcePlugin[src]; first != p {
				out = append(out, Warning{Kind: WarnShadowedSource, Plugin: p.Name, Source: src, Other: first.Name,
					Msg: fmt.Sprintf("plugin '%s' (id %d) also provides event source '%s'; only the first, plugin '%s' (id %d), is opened",
						p.Name, p.ID, src, first.Name, first.ID)})
			}
			continue
		}
		if !r.used(p) {
			out = append(out, Warning{Kind: WarnUnused, Plugin: p.Name,
				Msg: fmt.Sprintf("Plugin '%s' is loaded but unused as not compatible with any known event source", p.Name)})
		}
	}
	return out
}

func (r *Registry) used(p *loader.Plugin) bool {
	if p.Has(pluginapi.CapCaptureListening) && len(r.sources) > 0 {
		return true
	}
	for _, s := range r.sources {
		if extracts(p, s) || parses(p, s) || sendsAsync(p, s) {
			return true
		}
	}
	return false
}
