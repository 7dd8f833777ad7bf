package rules

import (
	"errors"
	"sort"
	"strings"

	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/registry"
)

// compileEnv is what the collector and compiler check items against.
type compileEnv struct {
	reg           *registry.Registry
	sources       []string
	appendOutput  []AppendOutput
	engineVersion version
}

func (e *compileEnv) hasSource(s string) bool { return contains(e.sources, s) }

func (e *compileEnv) filterEnv(source string) filter.Env {
	return filter.Env{Registry: e.reg, Source: source, MaxDepth: 1000}
}

// validField is falco_source::is_valid_lhs_field: a field (or
// transformer) the source's filter factory accepts.
func (e *compileEnv) validField(source, field string) bool {
	if e.reg == nil {
		return false
	}
	_, n, err := filter.ParseFieldOrTransformer(field, filter.ParseOptions{MaxDepth: 1000})
	if err != nil || n != len(field) {
		return false
	}
	_, err = filter.Compile(field+" exists", e.filterEnv(source))
	return err == nil
}

// Macro is a compiled macro.
type Macro struct {
	Name      string
	Condition string      // the text as collected (appends included)
	Expr      filter.Expr // parsed after list substitution, macros resolved
	Used      bool
	Pos       Pos
}

// List is a compiled list.
type List struct {
	Name  string
	Items []string // one level of nested lists expanded (items_compiled)
	// RawItems are the items as collected (what -L prints as items).
	RawItems []string
	Used     bool
	Pos      Pos
}

// Pos is where an item is defined: the file and the 0-based yaml-cpp mark.
type Pos struct {
	File         string
	Line, Column int
	Offset       int
}

// Exception is a rule exception as collected (default comps filled in).
type Exception struct {
	Name       string
	Fields     []string
	FieldsList bool // fields was a sequence
	Comps      []string
	Values     [][]string // each value; a single-field exception has one item per value
}

// CompiledExtraField is an append_output extra field compiled for a rule.
type CompiledExtraField struct {
	Key    string
	Format *filter.Format
	Raw    bool
}

// Rule is a compiled rule.
type Rule struct {
	Name, Desc, Source string
	Priority           Priority
	Tags               []string
	Enabled            bool
	// RawCondition is the condition as collected; Condition adds the
	// exceptions as Falco builds them (before list substitution), the
	// text whose positions diagnostics refer to.
	RawCondition string
	Condition    string
	Filter       *filter.Filter
	// Output is the rule's output after append_output extra_output and
	// the removal of %container.info.
	Output string
	// RawOutput is the output as collected (what -L prints as output).
	RawOutput           string
	Format              *filter.Format
	ExtraFields         []CompiledExtraField
	Exceptions          []Exception
	ExceptionFields     []string // sorted set
	Capture             bool
	CaptureDuration     uint64
	WarnEvttypes        bool
	SkipIfUnknownFilter bool
	Pos                 Pos
	// ID is the rule's index among the compiled rules.
	ID int
}

type compiledList struct {
	name  string
	items []string
	used  bool
	raw   []string
	pos   Pos
}

type compiled struct {
	lists  []*compiledList
	macros []*Macro
	rules  []*Rule
}

func posOf(c context) Pos {
	l := c.locs[len(c.locs)-1]
	return Pos{File: l.Name, Line: l.Line, Column: l.Column, Offset: l.Offset}
}

func quoteItem(e string) string {
	if strings.Contains(e, " ") && e[0] != '"' && e[0] != '\'' {
		return "\"" + e + "\""
	}
	return e
}

func parenItem(e string) string {
	if e == "" || e[0] != '(' {
		return "(" + e + ")"
	}
	return e
}

func isOperatorForList(op string) bool {
	return contains(listOperators, op) || isStrOperatorWithModifier(op)
}

// buildExceptionCondition is build_rule_exception_infos.
func buildExceptionCondition(exs []exceptionInfo, fields map[string]bool, condition string) string {
	condition = "(" + condition + ")"
	for _, ex := range exs {
		icond := ""
		// an exceptions: replace skips the collector, so comps may be
		// missing (Falco reads past its vector there)
		comp := func(k int) string {
			if k < len(ex.comps.items) {
				return ex.comps.items[k].item
			}
			return ""
		}
		if !ex.fields.isList {
			for _, val := range ex.values {
				throwIf(val.isList, ErrValidate, "Expected values array to contain a list of strings", ex.ctx)
				if icond == "" {
					icond += "(" + ex.fields.item + " " + ex.comps.item + " ("
				} else {
					icond += ", "
				}
				fields[ex.fields.item] = true
				icond += quoteItem(val.item)
			}
			if icond != "" {
				icond += "))"
			}
		} else {
			icond = "("
			for _, values := range ex.values {
				throwIf(len(ex.fields.items) != len(values.items), ErrValidate, "Fields and values lists must have equal length", ex.ctx)
				if icond != "(" {
					icond += " or "
				}
				icond += "("
				for k, field := range ex.fields.items {
					if k > 0 {
						icond += " and "
					}
					var istr string
					if values.items[k].isList {
						istr = "("
						for _, v := range values.items[k].items {
							if istr != "(" {
								istr += ", "
							}
							istr += quoteItem(v.item)
						}
						istr += ")"
					} else {
						istr = values.items[k].item
						if isOperatorForList(comp(k)) {
							istr = parenItem(istr)
						} else if istr != "" {
							istr = quoteItem(istr)
						}
					}
					icond += " " + field.item + " " + comp(k) + " " + istr
					fields[field.item] = true
				}
				icond += ")"
			}
			icond += ")"
			if icond == "()" {
				icond = ""
			}
		}
		if icond != "" {
			condition += " and not " + icond
		}
	}
	return condition
}

// resolveList is Falco's resolve_list: text substitution of a list name
// bounded by blanks or (),= with its quoted items.
func resolveList(cnd string, l *compiledList) (string, bool) {
	const blanks = " \t\n\r"
	const delims = blanks + "(),="
	used := false
	find := func(from int) int {
		if from > len(cnd) {
			return -1
		}
		i := strings.Index(cnd[from:], l.name)
		if i < 0 {
			return -1
		}
		return from + i
	}
	start := find(0)
	for start >= 0 {
		end := start + len(l.name)
		if (start == 0 || strings.IndexByte(delims, cnd[start-1]) >= 0) &&
			(end >= len(cnd) || strings.IndexByte(delims, cnd[end]) >= 0) {
			for start > 0 && strings.IndexByte(blanks, cnd[start-1]) >= 0 {
				start--
			}
			for end < len(cnd) && strings.IndexByte(blanks, cnd[end]) >= 0 {
				end++
			}
			sub := ""
			for _, v := range l.items {
				if sub != "" {
					sub += ", "
				}
				sub += quoteItem(v)
			}
			if sub == "" {
				if start > 0 && cnd[start-1] == ',' {
					start--
				} else if end < len(cnd) && cnd[end] == ',' {
					end++
				}
			}
			n := ""
			if start > 0 {
				n += cnd[:start] + " "
			}
			n += sub + " "
			if end <= len(cnd) {
				n += cnd[end:]
			}
			cnd = n
			start += len(sub) + 1
			used = true
		}
		start = find(start + 1)
	}
	return cnd, used
}

func parseCondition(condition string, lists []*compiledList, ctx context) filter.Expr {
	for _, l := range lists {
		var used bool
		if condition, used = resolveList(condition, l); used {
			l.used = true
		}
	}
	e, err := filter.Parse(condition, filter.ParseOptions{MaxDepth: 1000})
	if err != nil {
		var se *filter.SyntaxError
		if errors.As(err, &se) {
			panic(&loadError{code: ErrCompileCondition, msg: se.Msg, ctx: ctx.conditionContext(se.Pos, condition)})
		}
		panic(&loadError{code: ErrCompileCondition, msg: err.Error(), ctx: ctx.conditionContext(filter.Pos{}, condition)})
	}
	return e
}

// resolveMacros expands the macros visible below visibility (all of them
// for a rule) in e, marking every macro it uses.
func resolveMacros(col *collector, out []*Macro, e filter.Expr, condition string, visibility int, ctx context) filter.Expr {
	visible := map[string]*Macro{}
	for i, m := range col.macros {
		if m.index < visibility && out[i].Expr != nil {
			visible[m.name] = out[i]
		}
	}
	var used []*Macro
	res, err := filter.ExpandMacros(e, func(name string) (filter.Expr, bool) {
		m, ok := visible[name]
		if !ok {
			return nil, false
		}
		used = append(used, m)
		return m.Expr, true
	})
	if err != nil {
		var me *filter.MacroError
		if errors.As(err, &me) {
			panic(&loadError{code: ErrValidate, msg: me.Msg, ctx: ctx.conditionContext(me.Pos, condition)})
		}
		panic(&loadError{code: ErrValidate, msg: err.Error(), ctx: ctx})
	}
	for _, m := range used {
		m.Used = true
	}
	return res
}

func errIsUnknownTypeOrField(err string) bool {
	return strings.Contains(err, "nonexistent field") || strings.Contains(err, "invalid formatting token") ||
		strings.Contains(err, "unknown event type") || strings.Contains(err, "unknown filter:")
}

func tagsInclude(tags, want []string) bool {
	for _, w := range want {
		if !contains(tags, w) {
			return false
		}
	}
	return true
}

func (a *AppendOutput) matches(r *ruleInfo) bool {
	return (a.Source == "" || a.Source == r.source) && tagsInclude(r.tags, a.Tags) && (a.Rule == "" || a.Rule == r.name)
}

// suggestedOutput is the `name_with_underscores=%name` text of every plugin
// field with addOutput that the source's extractors serve.
func (e *compileEnv) suggestedOutputs(source string) []string {
	if e.reg == nil {
		return nil
	}
	var out []string
	for _, p := range e.reg.Extractors(source) {
		for _, f := range p.Fields {
			if f.AddOutput {
				out = append(out, strings.ReplaceAll(f.Name, ".", "_")+"=%"+f.Name)
			}
		}
	}
	return out
}

const containerInfoDeprecation = "%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output message."

// compile is rule_loader::compiler::compile over the whole collection.
func (e *compileEnv) compile(col *collector, res *Result) (out *compiled) {
	out = &compiled{}
	defer func() {
		if r := recover(); r != nil {
			le, ok := r.(*loadError)
			if !ok {
				panic(r)
			}
			res.add(le.code, le.msg, le.ctx, "")
			out = nil
		}
	}()
	// lists
	var usedNames []string
	for _, l := range col.lists {
		cl := &compiledList{name: l.name, items: []string{}, raw: append([]string{}, l.items...), pos: posOf(l.ctx)}
		for _, it := range l.items {
			if ref := col.list(it); ref != nil && ref.index < l.visibility {
				usedNames = append(usedNames, ref.name)
				cl.items = append(cl.items, ref.items...)
			} else {
				cl.items = append(cl.items, it)
			}
		}
		out.lists = append(out.lists, cl)
	}
	for _, n := range usedNames {
		for _, cl := range out.lists {
			if cl.name == n {
				cl.used = true
			}
		}
	}
	// macros
	for _, m := range col.macros {
		out.macros = append(out.macros, &Macro{Name: m.name, Condition: m.cond, Pos: posOf(m.ctx),
			Expr: parseCondition(m.cond, out.lists, m.condCtx)})
	}
	for i, m := range col.macros {
		out.macros[i].Expr = resolveMacros(col, out.macros, out.macros[i].Expr, m.cond, m.visibility, m.ctx)
	}
	// rules
	for _, r := range col.rules {
		if r.unknownSource {
			continue
		}
		throwIf(!e.hasSource(r.source), ErrValidate, "Unknown source at compile-time"+r.source, r.ctx)
		rule := e.compileRule(col, out, r, res)
		if rule != nil {
			rule.ID = len(out.rules)
			out.rules = append(out.rules, rule)
		}
	}
	for i, m := range out.macros {
		if !m.Used {
			res.warn(WarnUnusedMacro, "Macro not referred to by any other rule/macro", col.macros[i].ctx)
		}
	}
	for i, l := range out.lists {
		if !l.used {
			res.warn(WarnUnusedList, "List not referred to by any other rule/macro", col.lists[i].ctx)
		}
	}
	return out
}

func (e *compileEnv) compileRule(col *collector, out *compiled, r *ruleInfo, res *Result) *Rule {
	fenv := e.filterEnv(r.source)
	condition := r.cond
	exFields := map[string]bool{}
	if len(r.exceptions) > 0 {
		condition = buildExceptionCondition(r.exceptions, exFields, condition)
	}
	output := r.output
	for i := range e.appendOutput {
		a := &e.appendOutput[i]
		if !a.matches(r) {
			continue
		}
		if a.ExtraOutput != "" {
			output += " " + a.ExtraOutput
		}
		if a.SuggestedOutput {
			for _, s := range e.suggestedOutputs(r.source) {
				output += " " + s
			}
		}
	}
	if strings.Contains(output, "%container.info") {
		res.warn(WarnDeprecatedItem, containerInfoDeprecation, r.ctx)
		output = strings.ReplaceAll(output, "%container.info", "")
	}
	extra := map[string]ExtraField{}
	for i := range e.appendOutput {
		a := &e.appendOutput[i]
		if !a.matches(r) {
			continue
		}
		for _, f := range a.ExtraFields {
			if f.Raw {
				f.Format = "%" + f.Key
			}
			extra[f.Key] = f
		}
	}
	format, err := filter.CompileFormat(output, fenv)
	if err != nil {
		if errIsUnknownTypeOrField(err.Error()) && r.skipIfUnknownFilter {
			res.warn(WarnUnknownFilter, err.Error(), r.outputCtx)
			return nil
		}
		panic(&loadError{code: ErrCompileOutput, msg: err.Error(), ctx: r.outputCtx})
	}
	checkDeprecatedOutput(output, r.outputCtx, res)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var extraFields []CompiledExtraField
	for _, k := range keys {
		f := extra[k]
		ff, err := filter.CompileFormat(f.Format, fenv)
		if err != nil {
			panic(&loadError{code: ErrCompileOutput, msg: err.Error(), ctx: r.outputCtx})
		}
		checkDeprecatedOutput(f.Format, r.outputCtx, res)
		extraFields = append(extraFields, CompiledExtraField{Key: k, Format: ff, Raw: f.Raw})
	}
	// compile_condition
	ast := parseCondition(condition, out.lists, r.condCtx)
	ast = resolveMacros(col, out.macros, ast, condition, int(^uint(0)>>1), r.ctx)
	warnCondition(ast, r.condCtx.conditionContext(filter.Pos{}, condition), res)
	flt, err := filter.CompileExpr(ast, fenv)
	if err != nil {
		msg, pos := err.Error(), filter.Pos{}
		var ce *filter.CompileError
		if errors.As(err, &ce) {
			msg, pos = ce.Msg, ce.Pos
		}
		ctx := r.condCtx.conditionContext(pos, condition)
		if errIsUnknownTypeOrField(msg) && r.skipIfUnknownFilter {
			res.warn(WarnUnknownFilter, msg, ctx)
			return nil
		}
		panic(&loadError{code: ErrCompileCondition, msg: msg, ctx: ctx})
	}
	for _, w := range flt.Warnings() {
		res.warn(WarnCompileCondition, w.Msg, r.condCtx.conditionContext(w.Pos, condition))
	}
	rule := &Rule{Name: r.name, Desc: r.desc, Source: r.source, Priority: r.priority,
		Tags: append([]string{}, r.tags...), Enabled: r.enabled, RawCondition: r.cond, Condition: condition,
		Filter: flt, Output: output, RawOutput: r.output, Format: format, ExtraFields: extraFields, Capture: r.capture,
		CaptureDuration: r.captureDuration, WarnEvttypes: r.warnEvttypes, SkipIfUnknownFilter: r.skipIfUnknownFilter,
		Pos: posOf(r.ctx)}
	for f := range exFields {
		rule.ExceptionFields = append(rule.ExceptionFields, f)
	}
	sort.Strings(rule.ExceptionFields)
	for _, ex := range r.exceptions {
		x := Exception{Name: ex.name, FieldsList: ex.fields.isList}
		if ex.fields.isList {
			for _, f := range ex.fields.items {
				x.Fields = append(x.Fields, f.item)
			}
			for _, c := range ex.comps.items {
				x.Comps = append(x.Comps, c.item)
			}
		} else {
			x.Fields, x.Comps = []string{ex.fields.item}, []string{ex.comps.item}
		}
		for _, v := range ex.values {
			if v.isList {
				var row []string
				for _, it := range v.items {
					row = append(row, it.item)
				}
				x.Values = append(x.Values, row)
			} else {
				x.Values = append(x.Values, []string{v.item})
			}
		}
		rule.Exceptions = append(rule.Exceptions, x)
	}
	return rule
}

func checkDeprecatedOutput(format string, ctx context, res *Result) {
	for _, f := range deprecatedFields {
		if strings.Contains(format, f) {
			res.warnDeprecatedField(f, "usage of deprecated field '"+f+"' has been detected in the rule output", ctx)
		}
	}
}

// warnCondition is filter_warning_resolver: <NA> compared with ka.* or
// jevt.* fields, and deprecated fields.
func warnCondition(e filter.Expr, ctx context, res *Result) {
	unsafeNA := false
	deprecated := map[string]bool{}
	fieldName := func(x filter.Expr) (string, bool) {
		for {
			switch v := x.(type) {
			case *filter.Field:
				return v.Name, true
			case *filter.Transformer:
				if len(v.Args) == 0 {
					return "", false
				}
				x = v.Args[len(v.Args)-1]
			default:
				return "", false
			}
		}
	}
	noteField := func(x filter.Expr) bool {
		name, ok := fieldName(x)
		if !ok {
			return false
		}
		if contains(deprecatedFields, name) {
			deprecated[name] = true
		}
		return strings.HasPrefix(name, "ka.") || strings.HasPrefix(name, "jevt.")
	}
	var walk func(filter.Expr)
	walk = func(x filter.Expr) {
		switch v := x.(type) {
		case *filter.And:
			for _, c := range v.Children {
				walk(c)
			}
		case *filter.Or:
			for _, c := range v.Children {
				walk(c)
			}
		case *filter.Not:
			walk(v.X)
		case *filter.UnaryCheck:
			noteField(v.Left)
		case *filter.BinaryCheck:
			if noteField(v.Left) && contains([]string{"==", "=", "!=", "in", "intersects", "pmatch"}, v.Op) {
				switch rv := v.Right.(type) {
				case *filter.Value:
					if rv.Text == "<NA>" {
						unsafeNA = true
					}
				case *filter.List:
					if contains(rv.Items, "<NA>") {
						unsafeNA = true
					}
				}
			}
		}
	}
	walk(e)
	if unsafeNA {
		res.warn(WarnUnsafeNACheck, "", ctx)
	}
	for _, f := range deprecatedFields {
		if deprecated[f] {
			res.warnDeprecatedField(f, deprecatedFieldDesc(f), ctx)
		}
	}
}

// CompiledCondition is the condition as `falco -L` prints it
// (condition_compiled): the AST after list substitution and macro
// expansion, in libsinsp's canonical form.
func (r *Rule) CompiledCondition() string { return filter.String(r.Filter.Expr()) }

// CompiledCondition is the macro's condition after list substitution and
// macro expansion, in libsinsp's canonical form.
func (m *Macro) CompiledCondition() string { return filter.String(m.Expr) }
