package filter

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/plughost/plughost/fieldref"
	"github.com/plughost/plughost/filter/internal/ops"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// Filter is a compiled filter: immutable, and safe to evaluate from several
// pipelines at once, each through its own Evaluator.
type Filter struct {
	expr     Expr
	source   string
	root     node
	prog     program
	warnings []Warning
}

// program is what a compiled filter or format needs at run time: the
// plugin field slots, their extractor groups, and the scratch memory of
// its operands. It is shared, read-only, by every runtime built from it.
type program struct {
	slots   []slotSpec
	groups  []*loader.Plugin // extractor group -> plugin
	scratch []int            // scratch id -> number of input Vals it needs
	fields  []string         // every field used, canonical, first use first
}

// groupedByPlugin is p with one extractor group per plugin (every field of
// a plugin in one extract call) instead of one per field.
func (p *program) groupedByPlugin() *program {
	q := *p
	q.groups = nil
	q.slots = make([]slotSpec, len(p.slots))
	groupOf := map[*loader.Plugin]int{}
	reqs := map[int]int{}
	for i, s := range p.slots {
		g, ok := groupOf[s.plugin]
		if !ok {
			g = len(q.groups)
			groupOf[s.plugin] = g
			q.groups = append(q.groups, s.plugin)
		}
		s.group, s.req = g, reqs[g]
		reqs[g]++
		q.slots[i] = s
	}
	return &q
}

// Warning is a compile warning, as libsinsp reports them for Falco's
// LOAD_COMPILE_CONDITION.
type Warning struct {
	Pos
	Msg string
}

// Source is the event source the filter was compiled for.
func (f *Filter) Source() string { return f.source }

// Expr is the filter's AST, after macro expansion.
func (f *Filter) Expr() Expr { return f.expr }

// Fields returns every field the filter reads (plugin fields with their
// argument, and generic evt.* fields), each once, in order of first use.
func (f *Filter) Fields() []string { return append([]string(nil), f.prog.fields...) }

// Warnings returns the compile warnings.
func (f *Filter) Warnings() []Warning { return append([]Warning(nil), f.warnings...) }

// node is a compiled boolean expression.
type node interface{ isNode() }

type andNode struct{ kids []node }
type orNode struct{ kids []node }
type notNode struct{ kid node }

// checkNode is one check: left operand, operator, and either constant
// right-hand values (konst), a right operand (fcheck), or neither (exists).
type checkNode struct {
	left   operand
	right  operand
	konst  *ops.ConstCheck
	fcheck *ops.FieldCheck
	exists bool
	lv, rv int // scratch ids of the left and right values

	// fast: a plain plugin field against one constant (see fastCheck).
	fast fastKind
	slot int
	op   ops.Op
	num  uint64
	str  []byte
}

type fastKind uint8

const (
	fastNone fastKind = iota
	fastUint64
	fastString
)

func (*andNode) isNode()   {}
func (*orNode) isNode()    {}
func (*notNode) isNode()   {}
func (*checkNode) isNode() {}

// compiler binds AST nodes to the fields of one event source.
type compiler struct {
	env      Env
	prog     *program
	slotOf   map[string]int
	sourced  bool // a source plugin serves env.Source: the evt.* fields exist
	seen     map[string]bool
	warnings []Warning
	maxName  int
}

func newCompiler(env Env) (*compiler, error) {
	if env.Registry == nil {
		return nil, errors.New("filter: Env.Registry is nil")
	}
	_, sourced := env.Registry.SourcePlugin(env.Source)
	return &compiler{env: env, prog: &program{}, slotOf: map[string]int{}, sourced: sourced, seen: map[string]bool{}}, nil
}

// compilerMark is the compiler's state before a tentative compilation.
type compilerMark struct{ slots, groups, scratch, fields int }

func (c *compiler) mark() compilerMark {
	return compilerMark{len(c.prog.slots), len(c.prog.groups), len(c.prog.scratch), len(c.prog.fields)}
}

// reset forgets what was compiled since m.
func (c *compiler) reset(m compilerMark) {
	for _, s := range c.prog.slots[m.slots:] {
		delete(c.slotOf, s.ref)
	}
	for _, f := range c.prog.fields[m.fields:] {
		delete(c.seen, f)
	}
	c.prog.slots, c.prog.groups = c.prog.slots[:m.slots], c.prog.groups[:m.groups]
	c.prog.scratch, c.prog.fields = c.prog.scratch[:m.scratch], c.prog.fields[:m.fields]
}

// maxNameLen is the length of the longest field name on the source.
func (c *compiler) maxNameLen() int {
	if c.maxName == 0 {
		for _, g := range genericFields {
			c.maxName = max(c.maxName, len(g.name))
		}
		for _, p := range c.env.Registry.Extractors(c.env.Source) {
			for _, f := range p.Fields {
				c.maxName = max(c.maxName, len(f.Name))
			}
		}
	}
	return c.maxName
}

func (c *compiler) fail(at Expr, format string, args ...any) error {
	return &CompileError{Pos: at.Position(), Msg: fmt.Sprintf(format, args...)}
}

func (c *compiler) newScratch(inputs int) int {
	c.prog.scratch = append(c.prog.scratch, inputs)
	return len(c.prog.scratch) - 1
}

func (c *compiler) use(name string) {
	if !c.seen[name] {
		c.seen[name] = true
		c.prog.fields = append(c.prog.fields, name)
	}
}

// CompileExpr compiles an AST for env.Source, expanding env.Macros first.
func CompileExpr(e Expr, env Env) (*Filter, error) {
	c, err := newCompiler(env)
	if err != nil {
		return nil, err
	}
	if env.Macros != nil {
		e, err = ExpandMacros(e, func(name string) (Expr, bool) {
			m, ok := env.Macros[name]
			return m, ok
		})
		if err != nil {
			return nil, err
		}
	}
	root, err := c.bool(e)
	if err != nil {
		return nil, err
	}
	return &Filter{expr: e, source: env.Source, root: root, prog: *c.prog, warnings: c.warnings}, nil
}

func (c *compiler) bool(e Expr) (node, error) {
	switch e := e.(type) {
	case *And:
		kids, err := c.bools(e.Children)
		return &andNode{kids: kids}, err
	case *Or:
		kids, err := c.bools(e.Children)
		return &orNode{kids: kids}, err
	case *Not:
		kid, err := c.bool(e.X)
		if err != nil {
			return nil, err
		}
		return &notNode{kid: kid}, nil
	case *UnaryCheck:
		return c.unary(e)
	case *BinaryCheck:
		return c.binary(e)
	case *Ident:
		return nil, c.fail(e, "filter error: unexpected identifier '%s'", e.Name)
	}
	return nil, c.fail(e, "filter error: unexpected expression '%s'", String(e))
}

func (c *compiler) bools(es []Expr) ([]node, error) {
	kids := make([]node, len(es))
	for k, e := range es {
		kid, err := c.bool(e)
		if err != nil {
			return nil, err
		}
		kids[k] = kid
	}
	return kids, nil
}

func (c *compiler) unary(e *UnaryCheck) (node, error) {
	left, _, _, err := c.checkLeft(e, e.Left, e.Op)
	if err != nil {
		return nil, err
	}
	return &checkNode{left: left, exists: true, lv: c.newScratch(0)}, nil
}

// checkLeft compiles the left side of a check and its operator, and checks
// that the operator applies to the operand's type.
func (c *compiler) checkLeft(at, leftExpr Expr, opText string) (operand, ops.Op, ops.Modifier, error) {
	left, err := c.operand(leftExpr)
	if err != nil {
		return nil, 0, 0, err
	}
	op, mod, ok := ops.ParseOp(opText)
	if !ok {
		return nil, 0, 0, c.checkErr(at, left, opText, fmt.Sprintf("filter error: unknown operator '%s'", opText))
	}
	if err := ops.Comparable(op, mod, left.typ(), left.list()); err != nil {
		return nil, 0, 0, c.checkErr(at, left, opText, "filter error: "+err.Error())
	}
	return left, op, mod, nil
}

func (c *compiler) checkErr(at Expr, left operand, op, msg string) error {
	return &CompileError{Pos: at.Position(), Field: left.text(), Op: op, Msg: msg}
}

func (c *compiler) binary(e *BinaryCheck) (node, error) {
	left, op, mod, err := c.checkLeft(e, e.Left, e.Op)
	if err != nil {
		return nil, err
	}
	n := &checkNode{left: left, lv: c.newScratch(0)}
	var values []string
	switch r := e.Right.(type) {
	case *Transformer:
		var right operand
		if r.Name == "val" {
			if r.HasArg {
				return nil, c.fail(r, "filter error: transformer 'val' does not support field arguments")
			}
			if len(r.Args) != 1 {
				return nil, c.fail(r, "expected a field within 'val' transformer")
			}
			right, err = c.operand(r.Args[0])
		} else {
			right, err = c.operand(r)
		}
		if err != nil {
			return nil, err
		}
		fc, err := ops.NewFieldCheck(op, mod, left.text(), left.typ(), left.list(), right.text(), right.typ(), right.list())
		if err != nil {
			return nil, &CompileError{Pos: r.Position(), Field: left.text(), Op: e.Op, Msg: err.Error()}
		}
		n.right, n.fcheck, n.rv = right, fc, c.newScratch(0)
		return n, nil
	case *List:
		values = r.Items
		if c.env.Lists != nil {
			values = nil
			for _, it := range r.Items {
				if items, ok := c.env.Lists[it]; ok {
					values = append(values, items...)
				} else {
					values = append(values, it)
				}
			}
		}
	case *Value:
		values = []string{r.Text}
		if items, ok := c.env.Lists[r.Text]; ok && (mod != ops.ModNone || op == ops.OpIn || op == ops.OpIntersects || op == ops.OpPmatch) {
			values = items
		}
	default:
		return nil, c.fail(e.Right, "filter error: unexpected right-hand side '%s'", String(e.Right))
	}
	for _, v := range values {
		c.warnValue(e.Right, op, v)
	}
	kc, err := ops.NewConstCheck(op, mod, left.typ(), left.list(), values)
	if err != nil {
		return nil, &CompileError{Pos: e.Right.Position(), Field: left.text(), Op: e.Op, Msg: err.Error()}
	}
	n.konst = kc
	if pf, ok := left.(*pluginField); ok && !pf.lst {
		if op, v, ok := kc.Uint64Scalar(); ok {
			n.fast, n.slot, n.op, n.num = fastUint64, pf.slot, op, v
		} else if op, v, ok := kc.StringScalar(); ok {
			n.fast, n.slot, n.op, n.str = fastString, pf.slot, op, v
		}
	}
	return n, nil
}

// warnValue adds libsinsp's warnings for a constant right-hand value: a
// regex that simpler operators could do, a field name or a transformer
// written as a string (a forgotten val()).
func (c *compiler) warnValue(at Expr, op ops.Op, v string) {
	warn := func(msg string) { c.warnings = append(c.warnings, Warning{Pos: at.Position(), Msg: msg}) }
	if op == ops.OpRegex && ops.RegexWarning(v) {
		warn(ops.RegexWarningText(v))
	}
	nospaces := strings.Map(func(r rune) rune {
		if r == ' ' || r >= '\t' && r <= '\r' {
			return -1
		}
		return r
	}, v)
	if c.isField(nospaces) {
		warn(fmt.Sprintf("'%s' may be a valid field misused as a const string value", v))
	}
	if ops.TransformerValueWarning(nospaces) {
		warn(fmt.Sprintf("'%s' may be a valid field transformer misused as a const string value", v))
	}
}

// isField reports whether text names a field of the source, as libsinsp's
// filtercheck factory would accept it.
func (c *compiler) isField(text string) bool {
	ref, err := fieldref.Parse(text)
	if err != nil {
		return false
	}
	if _, ok := lookupGeneric(ref.Name); ok && c.sourced && !ref.HasArg {
		return true
	}
	_, err = c.env.Registry.Lookup(c.env.Source, ref)
	return err == nil
}

// operand compiles a field, a transformer, or (as a transformer argument)
// a literal.
func (c *compiler) operand(e Expr) (operand, error) {
	switch e := e.(type) {
	case *Field:
		return c.field(e)
	case *Transformer:
		return c.transformer(e)
	case *Value:
		return &constOperand{vals: [][]byte{[]byte(e.Text)}, repr: e.Text}, nil
	case *TransformerList:
		return c.transformerList(e)
	}
	return nil, c.fail(e, "filter error: unexpected expression '%s'", String(e))
}

func (c *compiler) field(f *Field) (operand, error) {
	ref := fieldref.Ref{Name: f.Name, Arg: f.Arg, HasArg: f.HasArg}
	joined := ref.Joined() // what libsinsp hands its filtercheck factory
	nonexistent := func() error {
		return &CompileError{Pos: f.Pos, Field: joined, Msg: "filter_check called with nonexistent field " + joined}
	}
	if g, ok := lookupGeneric(f.Name); ok && c.sourced {
		if f.HasArg {
			return nil, nonexistent()
		}
		c.use(f.Name)
		return &genericField{info: g, id: c.newScratch(0)}, nil
	}
	res, err := c.env.Registry.Lookup(c.env.Source, ref)
	if err != nil {
		var re *registry.Error
		if errors.As(err, &re) && errors.Is(err, registry.ErrFieldArg) {
			return nil, &CompileError{Pos: f.Pos, Field: joined, Msg: re.Msg}
		}
		return nil, nonexistent()
	}
	text := ref.String()
	c.use(text)
	return &pluginField{slot: c.slot(res.Plugin, text), t: fieldType(res.Field.Type), lst: res.Field.IsList, name: text}, nil
}

// slot returns the slot of plugin field text, adding it on first use, in
// a group of its own: the program extracts each field lazily, and a runtime
// that wants one call per plugin regroups it (program.groupedByPlugin).
func (c *compiler) slot(p *loader.Plugin, text string) int {
	if s, ok := c.slotOf[text]; ok {
		return s
	}
	c.prog.groups = append(c.prog.groups, p)
	c.prog.slots = append(c.prog.slots, slotSpec{plugin: p, ref: text, group: len(c.prog.groups) - 1})
	c.slotOf[text] = len(c.prog.slots) - 1
	return len(c.prog.slots) - 1
}

func (c *compiler) transformer(t *Transformer) (operand, error) {
	if t.Name == "val" {
		return nil, c.fail(t, "filter error: transformer 'val' is only allowed on the right-hand side of a check")
	}
	args := make([]operand, len(t.Args))
	for k, a := range t.Args {
		op, err := c.operand(a)
		if err != nil {
			return nil, err
		}
		args[k] = op
	}
	repr := String(t)
	if len(args) == 1 {
		if t.HasArg {
			return nil, c.fail(t, "filter error: transformer '%s' does not support field arguments", t.Name)
		}
		tr, ok := ops.LookupTransformer(t.Name)
		if !ok {
			return nil, c.fail(t, "unknown field transfomer '%s'", t.Name)
		}
		typ, lst, err := tr.TransformedType(baseName(args[0]), args[0].typ(), args[0].list())
		if err != nil {
			return nil, &CompileError{Pos: t.Pos, Field: baseName(args[0]), Msg: err.Error()}
		}
		_, isMulti := args[0].(*multi)
		return &transformed{in: args[0], tr: tr, t: typ, lst: lst, inList: args[0].list() && !isMulti, id: c.newScratch(1), repr: repr}, nil
	}
	types := make([]ops.Type, len(args))
	lists := make([]bool, len(args))
	names := make([]string, len(args))
	for k, a := range args {
		types[k], lists[k] = baseType(a)
		names[k] = a.text()
	}
	typ, lst, err := ops.MultiTransformerTypeArg(t.Name, types, lists, t.Arg, t.HasArg)
	if err != nil {
		return nil, &CompileError{Pos: t.Pos, Msg: err.Error()}
	}
	m := &multi{name: t.Name, args: args, t: typ, lst: lst, repr: repr, id: c.newScratch(len(args))}
	if t.HasArg && len(t.Arg) > 0 {
		m.opt, m.hasOpt = t.Arg[0], true
	}
	return m, nil
}

// transformerList is `(a, b, ...)` as a transformer argument: the values of
// its items, concatenated into one list.
func (c *compiler) transformerList(l *TransformerList) (operand, error) {
	items := make([]operand, len(l.Items))
	for k, it := range l.Items {
		op, err := c.operand(it)
		if err != nil {
			return nil, err
		}
		items[k] = op
	}
	if len(items) == 0 {
		return nil, c.fail(l, "filter error: unexpected empty transformer list element")
	}
	return &listOperand{items: items, id: c.newScratch(len(items)), repr: String(l)}, nil
}

// baseName is the field libsinsp names in transformer errors: the field
// under every transformer.
func baseName(op operand) string {
	if t, ok := op.(*transformed); ok {
		return baseName(t.in)
	}
	return op.text()
}

// listOperand concatenates the values of its items into one CHARBUF list,
// numbers written in decimal, as libsinsp's list_check does.
type listOperand struct {
	items []operand
	id    int
	repr  string
}

func (l *listOperand) typ() ops.Type { return ops.String }
func (l *listOperand) list() bool    { return true }
func (l *listOperand) text() string  { return l.repr }
func (l *listOperand) prepare(rt *runtime, sel []int32) {
	for _, it := range l.items {
		it.prepare(rt, sel)
	}
}

func (l *listOperand) load(rt *runtime, i int32, v *ops.Vals) {
	sc := &rt.scratch[l.id]
	v.Reset()
	v.List = true
	sc.buf = sc.buf[:0]
	for k, it := range l.items {
		it.load(rt, i, &sc.in[k])
	}
	// Numbers become text in sc.buf first: the views are taken once it no
	// longer grows.
	for k, it := range l.items {
		if in := &sc.in[k]; it.typ().Numeric() {
			for j := 0; j < in.N; j++ {
				sc.buf = strconv.AppendUint(sc.buf, in.Num[j], 10)
			}
		}
	}
	off := 0
	for k, it := range l.items {
		in := &sc.in[k]
		for j := 0; j < in.N; j++ {
			if it.typ().Numeric() {
				n := len(strconv.AppendUint(sc.raw[:0], in.Num[j], 10))
				v.AddBuf(sc.buf[off : off+n])
				off += n
			} else {
				v.AddBuf(in.Buf[j])
			}
		}
	}
}
