package rules

import (
	"os"

	"github.com/plughost/plughost/registry"
)

// Env is what rules are loaded against.
type Env struct {
	Registry *registry.Registry
	// Sources are the event sources loaded; a rule on another source gets
	// LOAD_UNKNOWN_SOURCE and is never compiled.
	Sources []string
	// AppendOutput is falco.yaml's append_output, applied at compile time.
	AppendOutput []AppendOutput
	// EngineVersion overrides the engine version required_engine_version
	// is checked against; "" means EngineVersion.
	EngineVersion string
}

// Loader accumulates rules files as Falco's engine does: one collection
// across files, recompiled whole by each Load. It is not safe for
// concurrent use; the Rules, Macros and Lists it returns are immutable.
type Loader struct {
	env      compileEnv
	col      collector
	out      *compiled
	contents map[string]string
}

// NewLoader returns a loader for env.
func NewLoader(env Env) *Loader {
	ev := env.EngineVersion
	if ev == "" {
		ev = EngineVersion
	}
	return &Loader{
		env: compileEnv{reg: env.Registry, sources: append([]string(nil), env.Sources...),
			appendOutput: append([]AppendOutput(nil), env.AppendOutput...), engineVersion: parseVersion(ev)},
		contents: map[string]string{},
	}
}

// Load adds one rules file, as falco_engine::load_rules does: it reads
// the file into the collection (stopping at its first error, keeping what
// came before), then recompiles the whole collection. The compiled rules
// change only when the result has no error.
func (l *Loader) Load(name string, content []byte) *Result {
	res := &Result{Name: name}
	l.contents[name] = string(content)
	rd := &reader{res: res, col: &l.col, env: &l.env}
	if rd.read(name, content) {
		out := l.env.compile(&l.col, res)
		if res.OK() && out != nil {
			l.out = out
		}
	}
	l.fillSnippets(res)
	return res
}

// LoadFile reads path and loads it under that name. A file that cannot be
// read is a LOAD_ERR_FILE_READ result with Falco's message.
func (l *Loader) LoadFile(path string) *Result {
	content, err := os.ReadFile(path)
	if err != nil {
		res := &Result{Name: path}
		res.add(ErrFileRead, "Could not open file "+path+" for reading", rootContext(path), "")
		l.fillSnippets(res)
		return res
	}
	return l.Load(path, content)
}

// Rules returns the compiled rules in Falco's ruleset order (first
// definition), disabled ones included; rules of unknown sources and rules
// skipped by skip-if-unknown-filter are not there.
func (l *Loader) Rules() []*Rule {
	if l.out == nil {
		return nil
	}
	return append([]*Rule(nil), l.out.rules...)
}

// Macros returns the compiled macros in collection order.
func (l *Loader) Macros() []*Macro {
	if l.out == nil {
		return nil
	}
	return append([]*Macro(nil), l.out.macros...)
}

// Lists returns the compiled lists in collection order.
func (l *Loader) Lists() []*List {
	if l.out == nil {
		return nil
	}
	var out []*List
	for _, cl := range l.out.lists {
		out = append(out, &List{Name: cl.name, Items: cl.items, RawItems: cl.raw, Used: cl.used, Pos: cl.pos})
	}
	return out
}

// RequiredEngineVersion is the highest required_engine_version seen so far
// ("0.0.0" when none).
func (l *Loader) RequiredEngineVersion() string { return l.col.engineVersion.String() }

func (l *Loader) fillSnippets(res *Result) {
	for _, ds := range [][]Diagnostic{res.Errors, res.Warnings} {
		for i := range ds {
			d := &ds[i]
			last := d.Context[len(d.Context)-1]
			content, ok := l.contents[last.Name]
			if d.alt != "" {
				content, ok = d.alt, true
			}
			if !ok {
				d.Snippet = "<No context for file + " + last.Name + ">\n"
				continue
			}
			d.Snippet = snippet(content, uint64(int64(last.Offset)))
		}
	}
}

func (r *Result) add(code Code, msg string, ctx context, _ string) {
	d := Diagnostic{Code: code, Msg: msg, Context: append([]Location(nil), ctx.locs...), alt: ctx.alt}
	if code.IsWarning() {
		r.Warnings = append(r.Warnings, d)
	} else {
		r.Errors = append(r.Errors, d)
	}
}

func (r *Result) warn(code Code, msg string, ctx context) { r.add(code, msg, ctx, "") }

func (r *Result) warnDeprecatedField(field, msg string, ctx context) {
	r.add(WarnDeprecatedItem, msg, ctx, "")
	r.Warnings[len(r.Warnings)-1].DeprecatedField = field
}
