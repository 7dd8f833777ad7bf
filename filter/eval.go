package filter

import (
	"errors"
	"os"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter/internal/ops"
)

// runtime is the mutable side of a program, for one pipeline: the
// extraction state it shares (batchState) and the operands' working memory.
type runtime struct {
	*batchState
	slots   []slotRun
	scratch []opScratch
}

// batchState is what the runtimes of one pipeline may share: extractors
// bound to that pipeline's plugin states and what they extracted from the
// current batch. An Evaluator or a Formatter has its own; a SetEvaluator
// shares one among the filters of a Set.
type batchState struct {
	batch    *capability.Batch
	limit    int32 // events at or after limit are not decided: extraction failed there
	err      error
	groups   []groupRun
	firstTs  uint64
	started  bool
	hostname string
	// zoneOffset is the local zone's offset (localOffset), read per batch.
	zoneOffset int64
}

type slotRun struct {
	group, req int
	col        capability.Column
}

type groupRun struct {
	x    *capability.Extractor
	res  *capability.Results
	done []bool // batch index -> already extracted
	need []int32
}

func newRuntime(p *program, source string, states States, perPlugin bool) (*runtime, error) {
	if perPlugin {
		p = p.groupedByPlugin()
	}
	bs, err := newBatchState(p, source, states)
	if err != nil {
		return nil, err
	}
	return bs.view(p, p.slots), nil
}

// newBatchState binds an extractor to each group of p.
func newBatchState(p *program, source string, states States) (*batchState, error) {
	bs := &batchState{groups: make([]groupRun, len(p.groups))}
	bs.hostname, _ = hostname()
	reqs := make([][]string, len(p.groups))
	for _, s := range p.slots {
		reqs[s.group] = append(reqs[s.group], s.ref)
	}
	for g, plugin := range p.groups {
		if states == nil {
			bs.close()
			return nil, errors.New("filter: no plugin states given for plugin fields")
		}
		state, err := states(plugin)
		if err != nil {
			bs.close()
			return nil, err
		}
		x, err := capability.NewExtractor(state, source, reqs[g], capability.ExtractOptions{})
		if err != nil {
			bs.close()
			return nil, err
		}
		bs.groups[g].x = x
	}
	return bs, nil
}

// view is a runtime over bs for the operands of p, with its own working
// memory; slot i of p reads the extractor group and request of slots[i].
func (bs *batchState) view(p *program, slots []slotSpec) *runtime {
	rt := &runtime{batchState: bs, slots: make([]slotRun, len(slots)), scratch: make([]opScratch, len(p.scratch))}
	for i, s := range slots {
		rt.slots[i] = slotRun{group: s.group, req: s.req}
	}
	for i, inputs := range p.scratch {
		rt.scratch[i].in = make([]ops.Vals, max(inputs, 1))
		rt.scratch[i].ptrs = make([]*ops.Vals, inputs)
	}
	return rt
}

// hostname is what evt.hostname reports. libsinsp reads the machine
// info's hostname, which honours $SCAP_HOSTNAME; Falco sets it from
// $FALCO_HOSTNAME.
func hostname() (string, error) {
	for _, env := range []string{"FALCO_HOSTNAME", "SCAP_HOSTNAME"} {
		if h := os.Getenv(env); h != "" {
			return h, nil
		}
	}
	return os.Hostname()
}

func (bs *batchState) close() {
	for _, g := range bs.groups {
		if g.x != nil {
			g.x.Close()
		}
	}
	bs.groups = nil
}

// begin starts a new batch.
func (rt *batchState) begin(b *capability.Batch) {
	n := b.Len()
	rt.batch, rt.limit, rt.err = b, int32(n), nil
	rt.zoneOffset = localOffset()
	if !rt.started && n > 0 {
		rt.firstTs, rt.started = b.Ts(0), true
	}
	for g := range rt.groups {
		gr := &rt.groups[g]
		gr.res = nil
		gr.x.Restart()
		if cap(gr.done) < n {
			gr.done = make([]bool, n)
		}
		gr.done = gr.done[:n]
		clear(gr.done)
	}
}

// ensure extracts group g's fields for the events of sel that it has not
// extracted yet. An extraction failure at event k stops every decision at
// k: the events before it keep their values.
func (rt *batchState) ensure(g int, sel []int32) {
	gr := &rt.groups[g]
	need := gr.need[:0]
	for _, i := range sel {
		if i < rt.limit && !gr.done[i] {
			gr.done[i] = true
			need = append(need, i)
		}
	}
	gr.need = need
	if len(need) == 0 {
		return
	}
	var res *capability.Results
	var err error
	if len(need) == rt.batch.Len() {
		// The whole batch, first thing: the plain batch path, which hands
		// the plugin's own pointer array to the driver.
		res, err = gr.x.ExtractBatch(rt.batch)
	} else {
		res, err = gr.x.ExtractSome(rt.batch, need)
	}
	gr.res = res
	if err != nil {
		// The error kept is that of the earliest failing event: the one
		// the decisions stop at.
		at := need[0]
		var ce *capability.Error
		if errors.As(err, &ce) && ce.Event >= 0 {
			at = int32(ce.Event)
		}
		if at < rt.limit {
			rt.limit, rt.err = at, err
		} else if rt.err == nil {
			rt.err = err
		}
	}
}

// column returns the reader of slot s, valid until the next extraction.
func (rt *runtime) column(s int) {
	sr := &rt.slots[s]
	if res := rt.groups[sr.group].res; res != nil {
		sr.col = res.Column(sr.req)
	} else {
		sr.col = capability.Column{}
	}
}

// Evaluator decides the events of one pipeline's batches with a Filter.
// It is not safe for concurrent use; a Filter may have many Evaluators.
type Evaluator struct {
	f     *Filter
	rt    *runtime
	arena []int32 // selection vectors of the current Eval
	used  int
	all   []int32
}

// NewEvaluator binds f to a pipeline: states gives the plugin state each
// plugin field is extracted with. Close it before destroying the states.
func (f *Filter) NewEvaluator(states States) (*Evaluator, error) {
	return f.NewEvaluatorOptions(states, EvalOptions{})
}

// EvalOptions tune an Evaluator; the zero value is the default.
type EvalOptions struct {
	// OneCallPerEvent extracts all the fields the filter reads from one
	// plugin in one extract call per event, for every event that reaches
	// the first check needing that plugin, instead of each field lazily
	// for just the events whose outcome depends on it. Plugins that keep
	// only the last event they decoded (k8saudit, json and cloudtrail
	// parse the event's JSON again whenever the event number changes)
	// then decode each event once, at the price of extracting fields some
	// events did not need. See BENCHMARKS.md for both on k8saudit.
	OneCallPerEvent bool
}

// NewEvaluatorOptions is NewEvaluator with options.
func (f *Filter) NewEvaluatorOptions(states States, opts EvalOptions) (*Evaluator, error) {
	rt, err := newRuntime(&f.prog, f.source, states, opts.OneCallPerEvent)
	if err != nil {
		return nil, err
	}
	return &Evaluator{f: f, rt: rt}, nil
}

// Close frees the evaluator's extractors.
func (e *Evaluator) Close() { e.rt.close() }

// Eval decides every event of b and returns the batch indices of those
// that match, ascending; the slice is valid until the next Eval. Fields
// are extracted lazily: each at most once per event, only for the events
// whose outcome still depends on it. If an extraction fails at event k,
// Eval returns the matches among the events before k and the error.
func (e *Evaluator) Eval(b *capability.Batch) ([]int32, error) { return e.EvalN(b, b.Len()) }

// EvalN is Eval on the first n events of b only: the others are neither
// extracted nor matched, as for a consumer that stops at a count.
func (e *Evaluator) EvalN(b *capability.Batch, n int) ([]int32, error) {
	e.rt.begin(b)
	n = max(0, min(n, b.Len()))
	e.rt.limit = int32(n)
	for len(e.all) < n {
		e.all = append(e.all, int32(len(e.all)))
	}
	return e.decide(e.all[:n])
}

// decide evaluates the filter on sel (ascending batch indices of the
// current batch), cutting the matches at the runtime's limit.
func (e *Evaluator) decide(sel []int32) ([]int32, error) {
	e.used = 0
	out := e.eval(e.f.root, sel)
	if e.rt.err != nil {
		k := 0
		for k < len(out) && out[k] < e.rt.limit {
			k++
		}
		out = out[:k]
	}
	return out, e.rt.err
}

// alloc returns an empty selection with room for n indices, from the
// evaluator's arena (reset by each Eval, grown until it fits the filter).
func (e *Evaluator) alloc(n int) []int32 {
	if e.used+n > len(e.arena) {
		e.arena = make([]int32, max(2*len(e.arena), e.used+n, 1024))
		e.used = 0
	}
	s := e.arena[e.used : e.used : e.used+n]
	e.used += n
	return s
}

func (e *Evaluator) eval(n node, sel []int32) []int32 {
	switch n := n.(type) {
	case *checkNode:
		return e.check(n, sel)
	case *andNode:
		for _, k := range n.kids {
			if len(sel) == 0 {
				break
			}
			sel = e.eval(k, sel)
		}
		return sel
	case *orNode:
		var out []int32
		rest := sel
		for _, k := range n.kids {
			if len(rest) == 0 {
				break
			}
			t := e.eval(k, rest)
			if len(t) == 0 {
				continue
			}
			out = e.union(out, t)
			rest = e.minus(rest, t)
		}
		return out
	case *notNode:
		return e.minus(sel, e.eval(n.kid, sel))
	}
	panic("filter: unknown node")
}

// union merges two disjoint ascending selections.
func (e *Evaluator) union(a, b []int32) []int32 {
	if len(a) == 0 {
		return b
	}
	out := e.alloc(len(a) + len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] < b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// minus returns a without the elements of b, a subset of a.
func (e *Evaluator) minus(a, b []int32) []int32 {
	if len(b) == 0 {
		return a
	}
	out := e.alloc(len(a) - len(b))
	j := 0
	for _, x := range a {
		if j < len(b) && b[j] == x {
			j++
			continue
		}
		out = append(out, x)
	}
	return out
}

func (e *Evaluator) check(n *checkNode, sel []int32) []int32 {
	rt := e.rt
	n.left.prepare(rt, sel)
	if n.right != nil {
		n.right.prepare(rt, sel)
	}
	out := e.alloc(len(sel))
	if n.fast != fastNone {
		return e.fastCheck(n, sel, out)
	}
	l := &rt.scratch[n.lv].in[0]
	switch {
	case n.exists:
		for _, i := range sel {
			n.left.load(rt, i, l)
			if l.Present() {
				out = append(out, i)
			}
		}
	case n.konst != nil:
		for _, i := range sel {
			n.left.load(rt, i, l)
			if n.konst.Match(l) {
				out = append(out, i)
			}
		}
	default:
		r := &rt.scratch[n.rv].in[0]
		for _, i := range sel {
			n.left.load(rt, i, l)
			n.right.load(rt, i, r)
			if n.fcheck.Match(l, r) {
				out = append(out, i)
			}
		}
	}
	return out
}

// fastCheck runs a check of one plain plugin field against one constant
// straight over the field's column: what ConstCheck.Match answers for a
// single value, without a Vals per event.
func (e *Evaluator) fastCheck(n *checkNode, sel, out []int32) []int32 {
	rt := e.rt
	col := rt.slots[n.slot].col
	limit := rt.limit
	if n.fast == fastString {
		for _, i := range sel {
			if i < limit && col.Count(int(i)) == 1 && ops.MatchString(n.op, col.Bytes(int(i), 0), n.str) {
				out = append(out, i)
			}
		}
		return out
	}
	k := n.num
	switch n.op {
	case ops.OpEq:
		for _, i := range sel {
			if i < limit && col.Count(int(i)) == 1 && col.Uint64(int(i), 0) == k {
				out = append(out, i)
			}
		}
	case ops.OpNe:
		for _, i := range sel {
			if i < limit && col.Count(int(i)) == 1 && col.Uint64(int(i), 0) != k {
				out = append(out, i)
			}
		}
	case ops.OpLt:
		for _, i := range sel {
			if i < limit && col.Count(int(i)) == 1 && col.Uint64(int(i), 0) < k {
				out = append(out, i)
			}
		}
	case ops.OpLe:
		for _, i := range sel {
			if i < limit && col.Count(int(i)) == 1 && col.Uint64(int(i), 0) <= k {
				out = append(out, i)
			}
		}
	case ops.OpGt:
		for _, i := range sel {
			if i < limit && col.Count(int(i)) == 1 && col.Uint64(int(i), 0) > k {
				out = append(out, i)
			}
		}
	case ops.OpGe:
		for _, i := range sel {
			if i < limit && col.Count(int(i)) == 1 && col.Uint64(int(i), 0) >= k {
				out = append(out, i)
			}
		}
	}
	return out
}
