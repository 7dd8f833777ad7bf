package rules

import (
	"sort"
	"strings"

	"github.com/plughost/plughost/filter"
)

// context is Falco's rule_loader::context: the chain of locations from
// the file down to the item a diagnostic is about. alt is the condition
// text a condition expression's snippet is cut from.
type context struct {
	locs []Location
	alt  string
}

func rootContext(name string) context {
	return context{locs: []Location{{Name: name, ItemType: ItemRulesContent}}}
}

// child is the context of node n (nil: an undefined node, marked -1 as
// yaml-cpp's null mark) inside c.
func (c context) child(n *ynode, itemType, itemName string) context {
	loc := Location{Name: c.locs[0].Name, ItemType: itemType, ItemName: itemName, Line: -1, Column: -1, Offset: -1}
	if n != nil {
		loc.Line, loc.Column, loc.Offset = n.line, n.col, n.off
	}
	locs := make([]Location, len(c.locs), len(c.locs)+1)
	copy(locs, c.locs)
	return context{locs: append(locs, loc)}
}

// conditionContext is the "condition expression" location of a filter
// position inside condition, relative to the last location of c (Falco
// adds the parser's 1-based line and column to yaml-cpp's 0-based mark).
func (c context) conditionContext(p filter.Pos, condition string) context {
	name := condition
	if len(name) > 20 {
		name = name[:17] + "..."
	}
	name = strings.NewReplacer("\n", " ", "\r", " ").Replace("\"" + name + "\"")
	last := c.locs[len(c.locs)-1]
	loc := Location{Name: name, ItemType: ItemConditionExpression,
		Line: p.Line + last.Line, Column: p.Col + last.Column, Offset: p.Offset + last.Offset}
	locs := make([]Location, len(c.locs), len(c.locs)+1)
	copy(locs, c.locs)
	return context{locs: append(locs, loc), alt: condition}
}

// loadError is a THROW of Falco's reader, collector or compiler.
type loadError struct {
	code          Code
	msg           string
	ctx           context
	badConversion bool // a yaml-cpp conversion exception: Falco reports it at the file
}

func throwIf(cond bool, code Code, msg string, ctx context) {
	if cond {
		panic(&loadError{code: code, msg: msg, ctx: ctx})
	}
}

type listInfo struct {
	ctx               context
	index, visibility int
	name              string
	items             []string
}

type macroInfo struct {
	ctx, condCtx      context
	index, visibility int
	name, cond        string
}

type exceptionEntry struct {
	isList bool
	item   string
	items  []exceptionEntry
}

func (e *exceptionEntry) valid() bool {
	return (e.isList && len(e.items) > 0) || (!e.isList && e.item != "")
}

type exceptionInfo struct {
	ctx    context
	name   string
	fields exceptionEntry
	comps  exceptionEntry
	values []exceptionEntry
}

type ruleInfo struct {
	ctx, condCtx, outputCtx context
	index, visibility       int
	unknownSource           bool
	name, cond, source      string
	desc, output            string
	tags                    []string // sorted set
	exceptions              []exceptionInfo
	priority                Priority
	capture                 bool
	captureDuration         uint64
	enabled                 bool
	warnEvttypes            bool
	skipIfUnknownFilter     bool
}

type ruleUpdate struct {
	ctx, condCtx        context
	name, source        string
	cond, output, desc  *string
	tags                *[]string
	exceptions          *[]exceptionInfo
	priority            *Priority
	capture             *bool
	captureDuration     *uint64
	enabled             *bool
	warnEvttypes        *bool
	skipIfUnknownFilter *bool
}

func (u *ruleUpdate) hasAnyValue() bool {
	return u.cond != nil || u.output != nil || u.desc != nil || u.tags != nil || u.exceptions != nil ||
		u.priority != nil || u.enabled != nil || u.capture != nil || u.captureDuration != nil ||
		u.warnEvttypes != nil || u.skipIfUnknownFilter != nil
}

// PluginRequirement is one alternative of a required_plugin_versions entry.
type PluginRequirement struct {
	Name, Version string
}

// collector accumulates the items of every file, as Falco's
// rule_loader::collector: items keep the index of their first definition.
type collector struct {
	curIndex       int
	lists          []*listInfo
	macros         []*macroInfo
	rules          []*ruleInfo
	engineVersion  version
	pluginVersions [][]PluginRequirement
}

func findByName[T any](items []*T, name func(*T) string, n string) *T {
	for _, it := range items {
		if name(it) == n {
			return it
		}
	}
	return nil
}

func (c *collector) list(n string) *listInfo {
	return findByName(c.lists, func(l *listInfo) string { return l.name }, n)
}
func (c *collector) macro(n string) *macroInfo {
	return findByName(c.macros, func(m *macroInfo) string { return m.name }, n)
}
func (c *collector) rule(n string) *ruleInfo {
	return findByName(c.rules, func(r *ruleInfo) string { return r.name }, n)
}

func (c *collector) nextID() int {
	id := c.curIndex
	c.curIndex++
	return id
}

func (c *collector) defineEngineVersion(v version, ctx context, engine version) {
	throwIf(!engine.compatibleWith(v), ErrValidate,
		"Rules require engine version "+v.String()+", but engine version is "+engine.String(), ctx)
	if c.engineVersion.less(v) {
		c.engineVersion = v
	}
}

func (c *collector) definePluginVersions(alts []PluginRequirement, ctx context) {
	seen := map[string]bool{}
	for _, r := range alts {
		throwIf(!parseVersion(r.Version).valid, ErrValidate,
			"Invalid required version '"+r.Version+"' for plugin '"+r.Name+"'", ctx)
		throwIf(seen[r.Name], ErrValidate,
			"Defined multiple alternative version requirements for plugin '"+r.Name+"'", ctx)
		seen[r.Name] = true
	}
	c.pluginVersions = append(c.pluginVersions, alts)
}

func (c *collector) defineList(l *listInfo) {
	id := c.nextID()
	if prev := c.list(l.name); prev != nil {
		l.index, l.visibility = prev.index, id
		*prev = *l
		return
	}
	l.index, l.visibility = id, id
	c.lists = append(c.lists, l)
}

func (c *collector) appendList(l *listInfo) {
	prev := c.list(l.name)
	throwIf(prev == nil, ErrValidate, "List uses 'append' or 'override.items: append' but no list by that name already exists", l.ctx)
	prev.items = append(prev.items, l.items...)
	prev.visibility = c.nextID()
}

func (c *collector) defineMacro(m *macroInfo) {
	id := c.nextID()
	if prev := c.macro(m.name); prev != nil {
		m.index, m.visibility = prev.index, id
		*prev = *m
		return
	}
	m.index, m.visibility = id, id
	c.macros = append(c.macros, m)
}

func (c *collector) appendMacro(m *macroInfo) {
	prev := c.macro(m.name)
	throwIf(prev == nil, ErrValidate, "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", m.ctx)
	prev.cond += " " + m.cond
	prev.visibility = c.nextID()
}

func (c *collector) findPrevRule(name, source string, ctx context) *ruleInfo {
	prev := c.rule(name)
	throwIf(prev != nil && prev.source != "" && source != "" && prev.source != source, ErrValidate,
		"Rule has been re-defined with a different source", ctx)
	return prev
}

func (c *collector) defineRule(r *ruleInfo, env *compileEnv, res *Result) {
	c.findPrevRule(r.name, r.source, r.ctx)
	known := env.hasSource(r.source)
	if !known {
		r.unknownSource = true
		res.warn(WarnUnknownSource, "Unknown source "+r.source+", skipping", r.ctx)
	}
	for i := range r.exceptions {
		ex := &r.exceptions[i]
		throwIf(!ex.fields.valid(), ErrValidate, "Rule exception item must have fields property with a list of fields", ex.ctx)
		env.validateException(known, r.source, ex)
	}
	id := c.nextID()
	if prev := c.rule(r.name); prev != nil {
		r.index, r.visibility = prev.index, id
		*prev = *r
		return
	}
	r.index, r.visibility = id, id
	c.rules = append(c.rules, r)
}

func (c *collector) updateSource(prev *ruleInfo, env *compileEnv, ctx context) bool {
	if prev.unknownSource {
		return false
	}
	throwIf(!env.hasSource(prev.source), ErrValidate, "Unknown source "+prev.source, ctx)
	return true
}

func (c *collector) appendRule(u *ruleUpdate, env *compileEnv, res *Result) {
	prev := c.findPrevRule(u.name, u.source, u.ctx)
	throwIf(prev == nil, ErrValidate, "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists", u.ctx)
	throwIf(!u.hasAnyValue(), ErrValidate, "Appended rule must have exceptions or condition property", u.ctx)
	known := c.updateSource(prev, env, u.ctx)
	if u.cond != nil && *u.cond != "" {
		prev.cond += " " + *u.cond
	}
	if u.output != nil && *u.output != "" {
		prev.output += " " + *u.output
	}
	if u.desc != nil && *u.desc != "" {
		prev.desc += " " + *u.desc
	}
	if u.tags != nil {
		prev.tags = tagSet(append(append([]string(nil), prev.tags...), *u.tags...))
	}
	if u.exceptions != nil {
		for i := range *u.exceptions {
			ex := &(*u.exceptions)[i]
			var pex *exceptionInfo
			for j := range prev.exceptions {
				if prev.exceptions[j].name == ex.name {
					pex = &prev.exceptions[j]
					break
				}
			}
			if pex == nil {
				throwIf(!ex.fields.valid(), ErrValidate, "Rule exception must have fields property with a list of fields", ex.ctx)
				throwIf(len(ex.values) == 0, ErrValidate, "Rule exception must have values property with a list of values", ex.ctx)
				env.validateException(known, prev.source, ex)
				prev.exceptions = append(prev.exceptions, *ex)
			} else {
				throwIf(ex.fields.valid(), ErrValidate, "Can not append exception fields to existing exception, only values", ex.ctx)
				throwIf(ex.comps.valid(), ErrValidate, "Can not append exception comps to existing exception, only values", ex.ctx)
				pex.values = append(pex.values, ex.values...)
			}
		}
	}
	prev.visibility = c.nextID()
}

func (c *collector) replaceRule(u *ruleUpdate, env *compileEnv) {
	prev := c.findPrevRule(u.name, u.source, u.ctx)
	throwIf(prev == nil, ErrValidate, "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists", u.ctx)
	throwIf(!u.hasAnyValue(), ErrValidate, "The rule must have at least one field that can be replaced", u.ctx)
	c.updateSource(prev, env, u.ctx)
	if u.cond != nil {
		prev.cond = *u.cond
	}
	if u.output != nil {
		prev.output = *u.output
	}
	if u.desc != nil {
		prev.desc = *u.desc
	}
	if u.tags != nil {
		prev.tags = *u.tags
	}
	if u.exceptions != nil {
		prev.exceptions = *u.exceptions
	}
	if u.priority != nil {
		prev.priority = *u.priority
	}
	if u.capture != nil {
		prev.capture = *u.capture
	}
	if u.captureDuration != nil {
		prev.captureDuration = *u.captureDuration
	}
	if u.enabled != nil {
		prev.enabled = *u.enabled
	}
	if u.warnEvttypes != nil {
		prev.warnEvttypes = *u.warnEvttypes
	}
	if u.skipIfUnknownFilter != nil {
		prev.skipIfUnknownFilter = *u.skipIfUnknownFilter
	}
	prev.visibility = c.nextID()
}

func (c *collector) enableRule(name string, enabled bool, ctx context) {
	prev := c.rule(name)
	throwIf(prev == nil, ErrValidate, "Rule has 'enabled' key but no rule by that name already exists", ctx)
	prev.enabled = enabled
}

func tagSet(tags []string) []string {
	sort.Strings(tags)
	out := tags[:0]
	for i, t := range tags {
		if i == 0 || t != tags[i-1] {
			out = append(out, t)
		}
	}
	return out
}

// Operators as libsinsp's parser lists them (supported_operators).
var (
	supportedOperators = []string{"exists", "<=", "<", ">=", ">", "==", "=", "!=", "glob", "iglob",
		"contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "regex",
		"intersects", "in", "pmatch"}
	listOperators     = []string{"intersects", "in", "pmatch"}
	modifiableOps     = []string{"=", "==", "!=", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "regex"}
	knownCmpOps       = []string{"=", "==", "!=", "<=", "<", ">=", ">", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "in", "intersects", "pmatch", "exists", "glob", "iglob", "regex"}
	operatorModifiers = []string{"oneof", "anyof", "allof"}
)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isStrOperatorWithModifier is Falco's is_str_operator_with_modifier: a
// string operator, one blank, and oneof/anyof/allof.
func isStrOperatorWithModifier(op string) bool {
	i := strings.IndexByte(op, ' ')
	if i < 0 {
		return false
	}
	base, mod := op[:i], op[i+1:]
	return contains(knownCmpOps, base) && contains(operatorModifiers, mod) && contains(modifiableOps, base)
}

func normalizeComp(s string) string { return strings.Trim(s, " \t\r\n") }

func (env *compileEnv) validateException(known bool, source string, ex *exceptionInfo) {
	if ex.fields.isList {
		if !ex.comps.valid() {
			ex.comps.isList = true
			for range ex.fields.items {
				ex.comps.items = append(ex.comps.items, exceptionEntry{item: "="})
			}
		}
		throwIf(len(ex.fields.items) != len(ex.comps.items), ErrValidate, "Fields and comps lists must have equal length", ex.ctx)
		for i := range ex.comps.items {
			v := &ex.comps.items[i]
			v.item = normalizeComp(v.item)
			throwIf(!contains(supportedOperators, v.item) && !isStrOperatorWithModifier(v.item), ErrValidate,
				"'"+v.item+"' is not a supported comparison operator", ex.ctx)
		}
		if known {
			for _, v := range ex.fields.items {
				throwIf(!env.validField(source, v.item), ErrValidate, "'"+v.item+"' is not a supported filter field", ex.ctx)
			}
		}
		return
	}
	if !ex.comps.valid() {
		ex.comps.isList = false
		ex.comps.item = "in"
	}
	throwIf(ex.comps.isList, ErrValidate, "Fields and comps must both be strings", ex.ctx)
	ex.comps.item = normalizeComp(ex.comps.item)
	c := ex.comps.item
	throwIf(c != "in" && c != "pmatch" && c != "intersects" && !isStrOperatorWithModifier(c), ErrValidate,
		"When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)", ex.ctx)
	if known {
		throwIf(!env.validField(source, ex.fields.item), ErrValidate, "'"+ex.fields.item+"' is not a supported filter field", ex.ctx)
	}
}
