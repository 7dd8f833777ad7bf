package filter

import (
	"fmt"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/loader"
)

// Set is filters compiled for one event source (each by Compile or
// CompileExpr), evaluated together, as a rules engine evaluates its rules:
// a SetEvaluator extracts each plugin field at most once per event for all
// of them, so rules reading the same fields cost one extraction, not one
// per rule. A Set is immutable and may be shared by several pipelines,
// each with its own SetEvaluator.
type Set struct {
	filters []*Filter
	source  string
	// prog is the union of the filters' plugin slots, one per field (with
	// its argument) and plugin, each in a group of its own; its scratch is
	// unused (every filter keeps its own).
	prog   program
	slotOf [][]int // filter -> slot of the filter -> slot of prog
}

// SetError is a filter NewSet cannot take: Index is its position in the
// list.
type SetError struct {
	Index int
	Msg   string
}

func (e *SetError) Error() string { return e.Msg }

// slotKey identifies a plugin field request across filters: the same text
// (name and argument, canonical) from the same plugin reads the same values.
type slotKey struct {
	plugin *loader.Plugin
	ref    string
}

// NewSet gathers filters compiled for one source. Filter k of the set is
// filters[k].
func NewSet(filters []*Filter) (*Set, error) {
	s := &Set{filters: append([]*Filter(nil), filters...), slotOf: make([][]int, len(filters))}
	slotOf := map[slotKey]int{}
	seen := map[string]bool{}
	for k, f := range filters {
		if f == nil {
			return nil, &SetError{Index: k, Msg: fmt.Sprintf("filter: set filter %d is nil", k)}
		}
		if k == 0 {
			s.source = f.source
		} else if f.source != s.source {
			return nil, &SetError{Index: k, Msg: fmt.Sprintf("filter: set filter %d is for source '%s', filter 0 for '%s'", k, f.source, s.source)}
		}
		s.slotOf[k] = make([]int, len(f.prog.slots))
		for i, spec := range f.prog.slots {
			key := slotKey{spec.plugin, spec.ref}
			g, ok := slotOf[key]
			if !ok {
				g = len(s.prog.slots)
				slotOf[key] = g
				s.prog.groups = append(s.prog.groups, spec.plugin)
				s.prog.slots = append(s.prog.slots, slotSpec{plugin: spec.plugin, ref: spec.ref, group: len(s.prog.groups) - 1})
			}
			s.slotOf[k][i] = g
		}
		for _, name := range f.prog.fields {
			if !seen[name] {
				seen[name] = true
				s.prog.fields = append(s.prog.fields, name)
			}
		}
	}
	return s, nil
}

// Len is the number of filters.
func (s *Set) Len() int { return len(s.filters) }

// Filter returns filter k.
func (s *Set) Filter(k int) *Filter { return s.filters[k] }

// Source is the event source of the filters ("" for an empty set).
func (s *Set) Source() string { return s.source }

// Fields returns every field the filters read, each once, in order of
// first use (filter 0's first).
func (s *Set) Fields() []string { return append([]string(nil), s.prog.fields...) }

// SetEvaluator decides the events of one pipeline's batches with the
// filters of a Set, sharing their extractions. It is not safe for
// concurrent use; a Set may have many SetEvaluators.
type SetEvaluator struct {
	set     *Set
	bs      *batchState
	members []setMember
	all     []int32
	// The batch whose extractions bs holds: the same *Batch is lent again
	// for a stream's next batch, whose first evt.num is another.
	n    int
	num0 uint64
}

// setMember is one filter of the set over its view of the shared state.
type setMember struct {
	Evaluator
	sel []int32 // the caller's selection, copied: it may be our own arena
}

// NewEvaluator binds the set to a pipeline (see Filter.NewEvaluator). With
// opts.OneCallPerEvent, all the fields a plugin serves to the whole set
// come in one extract call per event, for the events that reach a check
// of any filter needing that plugin. Close it before destroying the
// states.
func (s *Set) NewEvaluator(states States, opts EvalOptions) (*SetEvaluator, error) {
	p := &s.prog
	if opts.OneCallPerEvent {
		p = p.groupedByPlugin()
	}
	bs, err := newBatchState(p, s.source, states)
	if err != nil {
		return nil, err
	}
	e := &SetEvaluator{set: s, bs: bs, members: make([]setMember, len(s.filters))}
	for k, f := range s.filters {
		specs := make([]slotSpec, len(f.prog.slots))
		for i, g := range s.slotOf[k] {
			specs[i] = p.slots[g]
		}
		e.members[k].Evaluator = Evaluator{f: f, rt: bs.view(&f.prog, specs)}
	}
	return e, nil
}

// Close frees the evaluator's extractors.
func (e *SetEvaluator) Close() { e.bs.close() }

// Eval decides filter k on the events of b listed in sel (ascending batch
// indices; nil means every event of b) and returns the ascending subset
// that matches. The slice is valid until the next Eval of filter k on e;
// Evals of other filters leave it alone, so it may be passed to them as
// their sel.
//
// Fields are extracted lazily, as by Evaluator.Eval, and never twice for
// one event of b: what an earlier Eval of any filter of the set extracted
// from b is reused. A batch other than the last one given starts afresh.
//
// An extraction failure at event j cuts the batch at j for the whole set:
// this Eval, and every later Eval on b whose sel holds an event at or
// after j, return the matches among the events before j and the error of
// event j. Matches that Evals before the failure returned stand.
//
// Eval panics if k is out of range or sel is not ascending indices of b.
func (e *SetEvaluator) Eval(b *capability.Batch, k int, sel []int32) ([]int32, error) {
	if uint(k) >= uint(len(e.members)) {
		panic(fmt.Sprintf("filter: SetEvaluator.Eval: filter %d of a set of %d", k, len(e.members)))
	}
	m := &e.members[k]
	n := b.Len()
	if b != e.bs.batch || n != e.n || n > 0 && b.Num(0) != e.num0 {
		e.bs.begin(b)
		e.n = n
		if n > 0 {
			e.num0 = b.Num(0)
		}
	}
	if sel == nil {
		for len(e.all) < n {
			e.all = append(e.all, int32(len(e.all)))
		}
		sel = e.all[:n]
	} else {
		m.sel = append(m.sel[:0], sel...)
		sel = m.sel
		prev := int32(-1)
		for _, i := range sel {
			if i <= prev || int(i) >= n {
				panic("filter: SetEvaluator.Eval: sel is not ascending batch indices of b")
			}
			prev = i
		}
	}
	out, err := m.decide(sel)
	if err != nil && (len(sel) == 0 || sel[len(sel)-1] < e.bs.limit) {
		err = nil // every event of sel comes before the cut
	}
	return out, err
}
