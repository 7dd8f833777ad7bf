package filter

import (
	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/filter/internal/ops"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

// An operand produces the values of one side of a check, or of one output
// token, for the events of a batch: a plugin field, a generic evt.* field,
// a constant, or a transformer over other operands. Operands are compiled
// once and immutable; everything that changes per batch or per event lives
// in the runtime they are given.
type operand interface {
	// typ and list describe the values after every transformer.
	typ() ops.Type
	list() bool
	// text is the operand as written (canonical), for messages.
	text() string
	// prepare makes the values of the events sel (ascending batch indices)
	// available to load: it extracts the plugin fields those events still
	// need. An extraction error limits rt to the events before it.
	prepare(rt *runtime, sel []int32)
	// load writes the values for batch event i into v (v.N == 0: none).
	load(rt *runtime, i int32, v *ops.Vals)
}

// slotSpec is one plugin field request: a field of one plugin, with its
// argument, as the extractor is asked for it.
type slotSpec struct {
	plugin *loader.Plugin
	ref    string // name or name[arg], the text given to the extractor
	group  int    // extractor group: one per slot as compiled (see program.groupedByPlugin)
	req    int    // request index within the group's extractor
}

// pluginField reads one slot.
type pluginField struct {
	slot int
	t    ops.Type
	lst  bool
	name string
}

func (f *pluginField) typ() ops.Type { return f.t }
func (f *pluginField) list() bool    { return f.lst }
func (f *pluginField) text() string  { return f.name }

func (f *pluginField) prepare(rt *runtime, sel []int32) {
	rt.ensure(rt.slots[f.slot].group, sel)
	rt.column(f.slot)
}

func (f *pluginField) load(rt *runtime, i int32, v *ops.Vals) {
	v.Reset()
	v.List = f.lst
	if i >= rt.limit {
		return
	}
	c := &rt.slots[f.slot].col
	n := c.Count(int(i))
	switch f.t {
	case ops.Uint64, ops.RelTime, ops.AbsTime:
		for k := 0; k < n; k++ {
			v.AddNum(c.Uint64(int(i), k))
		}
	case ops.Bool:
		for k := 0; k < n; k++ {
			v.AddNum(uint64(c.Uint32(int(i), k)))
		}
	default:
		for k := 0; k < n; k++ {
			v.AddBuf(c.Bytes(int(i), k))
		}
	}
}

// constOperand is a literal argument of a multi-value transformer: one
// string, or a list of strings.
type constOperand struct {
	vals [][]byte
	lst  bool
	repr string
}

func (c *constOperand) typ() ops.Type             { return ops.String }
func (c *constOperand) list() bool                { return c.lst }
func (c *constOperand) text() string              { return c.repr }
func (c *constOperand) prepare(*runtime, []int32) {}
func (c *constOperand) load(_ *runtime, _ int32, v *ops.Vals) {
	v.Reset()
	v.List = c.lst
	for _, b := range c.vals {
		v.AddBuf(b)
	}
}

// transformed applies a single-argument transformer to its input.
type transformed struct {
	in  operand
	tr  ops.Transformer
	t   ops.Type
	lst bool
	// inList is what libsinsp believes of the input: its list-ness, except
	// that a join/concat/getopt result counts as one value.
	inList bool
	id     int // scratch index in the runtime
	repr   string
}

func (x *transformed) typ() ops.Type                  { return x.t }
func (x *transformed) list() bool                     { return x.lst }
func (x *transformed) text() string                   { return x.repr }
func (x *transformed) prepare(rt *runtime, s []int32) { x.in.prepare(rt, s) }
func (x *transformed) load(rt *runtime, i int32, v *ops.Vals) {
	sc := &rt.scratch[x.id]
	x.in.load(rt, i, &sc.in[0])
	v.Reset()
	if !sc.in[0].Present() || !x.tr.ApplyList(x.in.typ(), x.inList, &sc.in[0], v, &sc.buf) {
		v.Reset()
	}
}

// multi is join, concat or getopt over several operands.
type multi struct {
	name   string
	args   []operand
	opt    byte // getopt's [c]
	hasOpt bool
	t      ops.Type
	lst    bool
	id     int
	repr   string
}

func (m *multi) typ() ops.Type { return m.t }
func (m *multi) list() bool    { return m.lst }
func (m *multi) text() string  { return m.repr }
func (m *multi) prepare(rt *runtime, sel []int32) {
	for _, a := range m.args {
		a.prepare(rt, sel)
	}
}

func (m *multi) load(rt *runtime, i int32, v *ops.Vals) {
	sc := &rt.scratch[m.id]
	v.Reset()
	for k, a := range m.args {
		a.load(rt, i, &sc.in[k])
		if !sc.in[k].Present() {
			return
		}
	}
	ok := false
	switch m.name {
	case "join":
		ok = ops.JoinVals(&sc.in[0], &sc.in[1], v, &sc.buf)
	case "concat":
		for k := range m.args {
			sc.ptrs[k] = &sc.in[k]
		}
		ok = ops.Concat(sc.ptrs[:len(m.args)], v, &sc.buf)
	case "getopt":
		sc.raw = ops.RawBytes(sc.raw[:0], &sc.in[1], 0)
		ok = ops.Getopt(&sc.in[0], sc.raw, m.opt, m.hasOpt, v, &sc.buf)
	}
	if !ok {
		v.Reset()
	}
}

// opScratch is the per-runtime working memory of one transformer operand.
type opScratch struct {
	in   []ops.Vals
	ptrs []*ops.Vals
	buf  []byte
	raw  []byte
}

// baseType is the type libsinsp checks a multi-value transformer's
// argument by: the field's before its own transformers; a literal or a
// nested join/concat/getopt is a single CHARBUF, a transformer list a
// CHARBUF list.
func baseType(op operand) (ops.Type, bool) {
	switch op := op.(type) {
	case *transformed:
		return baseType(op.in)
	case *multi, *constOperand:
		return ops.String, false
	case *listOperand:
		return ops.String, true
	}
	return op.typ(), op.list()
}

// fieldType maps a plugin field type to the filter's.
func fieldType(t pluginapi.FieldType) ops.Type {
	switch t {
	case pluginapi.FieldTypeUint64:
		return ops.Uint64
	case pluginapi.FieldTypeRelTime:
		return ops.RelTime
	case pluginapi.FieldTypeAbsTime:
		return ops.AbsTime
	case pluginapi.FieldTypeBool:
		return ops.Bool
	case pluginapi.FieldTypeIPAddr:
		return ops.IPAddr
	case pluginapi.FieldTypeIPNet:
		return ops.IPNet
	}
	return ops.String
}

var _ = capability.EOF
