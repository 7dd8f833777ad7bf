package rules

import (
	"regexp"
	"strings"
)

const (
	warningAppend       = "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."
	warningEnabled      = "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace')."
	errorOverrideAppend = "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead."
	rgxIdentifier       = "([a-zA-Z]+[a-zA-Z0-9_]*)"
	rgxBareStr          = "([^()\"'[:space:]=,]+)"
)

var (
	identifierRE = regexp.MustCompile("^(?:" + rgxIdentifier + ")$")
	bareStrRE    = regexp.MustCompile("^(?:" + rgxBareStr + ")$")
)

// reader reads one file's items into the collector, as Falco's
// rule_loader::reader.
type reader struct {
	res *Result
	col *collector
	env *compileEnv
}

func yamlThrow(cond bool, msg string, ctx context) { throwIf(cond, ErrYAMLValidate, msg, ctx) }

// decodeScalar is decode_val_generic's checks; it returns the node, or
// nil when an optional key is absent or an empty value is allowed.
func decodeScalar(item *ynode, key string, ctx context, optional, canBeEmpty bool) *ynode {
	val := item.get(key)
	if val == nil && optional {
		return nil
	}
	yamlThrow(val == nil, "Item has no mapping for key '"+key+"'", ctx)
	if val.kind == yNull && canBeEmpty {
		return nil
	}
	yamlThrow(val.kind == yNull, "Mapping for key '"+key+"' is empty", ctx)
	vctx := ctx.child(val, ItemValueFor, key)
	yamlThrow(val.kind != yScalar, "Value is not a scalar value", vctx)
	if val.text == "" && canBeEmpty {
		return nil
	}
	yamlThrow(val.text == "", "Value must be non-empty", vctx)
	return val
}

func decodeString(item *ynode, key string, ctx context, optional, canBeEmpty bool) (string, bool) {
	if v := decodeScalar(item, key, ctx, optional, canBeEmpty); v != nil {
		return v.text, true
	}
	return "", false
}

func decodeBoolKey(item *ynode, key string, ctx context, optional bool) (bool, bool) {
	v := decodeScalar(item, key, ctx, optional, false)
	if v == nil {
		return false, false
	}
	b, ok := decodeBool(v.text)
	yamlThrow(!ok, "Can't decode YAML scalar value", ctx.child(v, ItemValueFor, key))
	return b, true
}

func decodeUintKey(item *ynode, key string, ctx context, optional bool, bits int) (uint64, bool) {
	v := decodeScalar(item, key, ctx, optional, false)
	if v == nil {
		return 0, false
	}
	n, ok := decodeUint(v.text, bits)
	yamlThrow(!ok, "Can't decode YAML scalar value", ctx.child(v, ItemValueFor, key))
	return n, true
}

func decodeSeq(item *ynode, key string, ctx context, optional bool) ([]string, bool) {
	val := item.get(key)
	if val == nil && optional {
		return nil, false
	}
	yamlThrow(val == nil, "Item has no mapping for key '"+key+"'", ctx)
	vctx := ctx.child(val, ItemValueFor, key)
	yamlThrow(val.kind != ySeq, "Value is not a sequence", vctx)
	out := []string{}
	for _, v := range val.items {
		ictx := vctx.child(v, ItemListItem, "")
		yamlThrow(v.kind != yScalar, "sequence value is not scalar", ictx)
		out = append(out, v.text)
	}
	return out, true
}

func decodeTags(item *ynode, ctx context) []string {
	tags, _ := decodeSeq(item, "tags", ctx, true)
	return tagSet(tags)
}

func decodeOverrides(item *ynode, canAppend, canReplace []string, ctx context) (appends, replaces []string) {
	val := item.get("override")
	if val == nil {
		return nil, nil
	}
	octx := ctx.child(item, ItemOverrides, "")
	if val.kind != yMap {
		// yaml-cpp iterates nothing over a scalar or null node
		return nil, nil
	}
	for i, k := range val.keys {
		key := k.asString()
		op := val.values[i].asString()
		switch op {
		case "append":
			yamlThrow(!contains(canAppend, key), "Key '"+key+"' cannot be appended to, use 'replace' instead", octx.child(k, ItemOverrides, key))
			appends = append(appends, key)
		case "replace":
			yamlThrow(!contains(canReplace, key), "Key '"+key+"' cannot be replaced", octx.child(k, ItemOverrides, key))
			replaces = append(replaces, key)
		default:
			msg := "Invalid override operation for key '" + key + "': '" + op + "'. Allowed values are: "
			if contains(canAppend, key) {
				msg += "append "
			}
			if contains(canReplace, key) {
				msg += "replace "
			}
			yamlThrow(true, msg, octx.child(val.values[i], ItemValueFor, key))
		}
	}
	return appends, replaces
}

func decodeExceptionEntry(val *ynode, key string, ctx context, optional bool) exceptionEntry {
	var out exceptionEntry
	if val == nil && optional {
		return out
	}
	yamlThrow(val == nil, "Item has no mapping for key '"+key+"'", ctx)
	vctx := ctx.child(val, ItemValueFor, key)
	switch val.kind {
	case yScalar:
		yamlThrow(val.text == "", "Value must be non-empty", vctx)
		out.item = val.text
	case ySeq:
		out.isList = true
		for _, v := range val.items {
			out.items = append(out.items, decodeExceptionEntry(v, "", vctx.child(v, ItemException, ""), false))
		}
	}
	return out
}

func (rd *reader) readExceptions(item *ynode, parent context, isAppend bool) []exceptionInfo {
	out := []exceptionInfo{}
	exs := item.get("exceptions")
	if exs == nil || exs.kind == yNull {
		return out
	}
	exsCtx := parent.child(exs, ItemExceptions, "")
	yamlThrow(exs.kind != ySeq, "Rule exceptions must be a sequence", exsCtx)
	for _, ex := range exs.items {
		tmp := exsCtx.child(ex, ItemException, "")
		yamlThrow(ex.kind != yMap, "Rule exception must be a mapping", tmp)
		name, _ := decodeString(ex, "name", tmp, false, false)
		exCtx := parent.child(ex, ItemException, name)
		v := exceptionInfo{ctx: exCtx, name: name}
		for _, prev := range out {
			if prev.name == name {
				rd.res.warn(WarnExceptionNameNotUnique, "Multiple definitions of exception '"+name+"' in the same rule", exCtx)
			}
		}
		v.fields = decodeExceptionEntry(ex.get("fields"), "fields", exCtx, isAppend)
		v.comps = decodeExceptionEntry(ex.get("comps"), "comps", exCtx, true)
		if vals := ex.get("values"); vals != nil {
			valsCtx := exCtx.child(vals, ItemExceptionValues, "")
			yamlThrow(vals.kind != ySeq, "Rule exception values must be a sequence", valsCtx)
			for _, val := range vals.items {
				vctx := valsCtx.child(val, ItemExceptionValue, "")
				v.values = append(v.values, decodeExceptionEntry(val, "", vctx, false))
			}
		} else if isAppend {
			rd.res.warn(WarnAppendNoValues, "Overriding/appending exception with no values", exCtx)
		}
		out = append(out, v)
	}
	return out
}

func (rd *reader) warnUnknownKeys(item *ynode, expected []string, ctx context) {
	for _, k := range item.keys {
		key := k.asString()
		if !contains(expected, key) {
			rd.res.warn(WarnUnknownKey, "Unknown key '"+key+"'. The key will be ignored.", ctx)
		}
	}
}

var (
	ruleAppendable  = []string{"condition", "output", "desc", "tags", "exceptions"}
	ruleReplaceable = []string{"condition", "output", "desc", "priority", "capture", "capture_duration", "tags", "exceptions", "enabled", "warn_evttypes", "skip-if-unknown-filter"}
	ruleKeys        = []string{"rule", "condition", "output", "desc", "priority", "source", "enabled", "capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter", "tags", "exceptions", "override", "append"}
)

func (rd *reader) readItem(item *ynode, parent context) {
	yamlThrow(item.kind != yMap, "Unexpected element type. Each element should be a yaml associative array.", parent.child(item, ItemRulesContentItem, ""))
	switch {
	case item.has("required_engine_version"):
		ctx := parent.child(item, ItemRequiredEngineVersion, "")
		var v version
		if n, ok := tryUint32(item, ctx); ok {
			v = version{major: engineMajor, minor: uint32(n), patch: enginePatch, valid: true}
		} else {
			s, _ := decodeString(item, "required_engine_version", ctx, false, false)
			v = parseVersion(s)
			yamlThrow(!v.valid, "Unable to parse engine version '"+s+"' as a semver string. Expected \"x.y.z\" semver format.", ctx)
		}
		rd.col.defineEngineVersion(v, ctx, rd.env.engineVersion)
		rd.warnUnknownKeys(item, []string{"required_engine_version"}, ctx)
	case item.has("required_plugin_versions"):
		reqs := item.get("required_plugin_versions")
		ctx := parent.child(reqs, ItemRequiredPluginVersions, "")
		yamlThrow(reqs.kind != ySeq, "Value of required_plugin_versions must be a sequence", ctx)
		for _, p := range reqs.items {
			tmp := ctx.child(p, ItemRequiredPluginEntry, "")
			yamlThrow(p.kind != yMap, "Plugin version must be a mapping", tmp)
			var r PluginRequirement
			r.Name, _ = decodeString(p, "name", tmp, false, false)
			pctx := ctx.child(p, ItemRequiredPluginEntry, r.Name)
			r.Version, _ = decodeString(p, "version", pctx, false, false)
			alts := []PluginRequirement{r}
			if as := p.get("alternatives"); as != nil {
				yamlThrow(as.kind != ySeq, "Value of plugin version alternatives must be a sequence", pctx)
				for _, a := range as.items {
					tmp := pctx.child(a, ItemRequiredPluginAlterative, "")
					yamlThrow(a.kind != yMap, "Plugin version alternative must be a mapping", tmp)
					r.Name, _ = decodeString(a, "name", tmp, false, false)
					tmp = pctx.child(a, ItemRequiredPluginAlterative, r.Name)
					r.Version, _ = decodeString(a, "version", tmp, false, false)
					alts = append(alts, r)
				}
			}
			rd.col.definePluginVersions(alts, pctx)
		}
		rd.warnUnknownKeys(item, []string{"required_plugin_versions"}, parent.child(item, ItemRequiredPluginVersions, ""))
	case item.has("list"):
		name, _ := decodeString(item, "list", parent.child(item, ItemList, ""), false, false)
		ctx := parent.child(item, ItemList, name)
		if !bareStrRE.MatchString(name) {
			rd.res.warn(WarnInvalidListName, "List has an invalid name. List names should match a regular expression: "+rgxBareStr, ctx)
		}
		l := &listInfo{ctx: ctx, name: name}
		l.items, _ = decodeSeq(item, "items", ctx, false)
		isAppend, _ := decodeBoolKey(item, "append", ctx, true)
		if isAppend {
			rd.res.warn(WarnDeprecatedItem, warningAppend, ctx)
		}
		ap, rp := decodeOverrides(item, []string{"items"}, []string{"items"}, ctx)
		yamlThrow(isAppend && len(ap)+len(rp) > 0, errorOverrideAppend, ctx)
		if isAppend || contains(ap, "items") {
			rd.col.appendList(l)
		} else {
			rd.col.defineList(l)
		}
		rd.warnUnknownKeys(item, []string{"list", "items", "append", "override"}, ctx)
	case item.has("macro"):
		name, _ := decodeString(item, "macro", parent.child(item, ItemMacro, ""), false, false)
		ctx := parent.child(item, ItemMacro, name)
		if !identifierRE.MatchString(name) {
			rd.res.warn(WarnInvalidMacroName, "Macro has an invalid name. Macro names should match a regular expression: "+rgxIdentifier, ctx)
		}
		m := &macroInfo{ctx: ctx, name: name}
		m.cond, _ = decodeString(item, "condition", ctx, false, false)
		m.condCtx = ctx.child(item.get("condition"), ItemMacroCondition, "")
		isAppend, _ := decodeBoolKey(item, "append", ctx, true)
		if isAppend {
			rd.res.warn(WarnDeprecatedItem, warningAppend, ctx)
		}
		ap, rp := decodeOverrides(item, []string{"condition"}, []string{"condition"}, ctx)
		yamlThrow(isAppend && len(ap)+len(rp) > 0, errorOverrideAppend, ctx)
		if isAppend || contains(ap, "condition") {
			rd.col.appendMacro(m)
		} else {
			rd.col.defineMacro(m)
		}
		rd.warnUnknownKeys(item, []string{"macro", "condition", "append", "override"}, ctx)
	case item.has("rule"):
		rd.readRule(item, parent)
	default:
		rd.res.warn(WarnUnknownItem, "Unknown top level item", parent.child(item, ItemRulesContentItem, ""))
	}
}

// tryUint32 is the first attempt of Falco's required_engine_version
// decoding: any failure falls back to the string form.
func tryUint32(item *ynode, ctx context) (n uint64, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isLoad := r.(*loadError); !isLoad {
				panic(r)
			}
			ok = false
		}
	}()
	return decodeUintKey(item, "required_engine_version", ctx, false, 32)
}

func (rd *reader) readRule(item *ynode, parent context) {
	name, _ := decodeString(item, "rule", parent.child(item, ItemRule, ""), false, false)
	ctx := parent.child(item, ItemRule, name)
	source, _ := decodeString(item, "source", ctx, true, true)
	hasAppendFlag, _ := decodeBoolKey(item, "append", ctx, true)
	if hasAppendFlag {
		rd.res.warn(WarnDeprecatedItem, warningAppend, ctx)
	}
	ap, rp := decodeOverrides(item, ruleAppendable, ruleReplaceable, ctx)
	yamlThrow(hasAppendFlag && len(ap)+len(rp) > 0, errorOverrideAppend, ctx)
	switch {
	case len(ap)+len(rp) > 0:
		expected := map[string]bool{}
		for _, k := range append(append([]string(nil), ruleAppendable...), ruleReplaceable...) {
			if item.has(k) {
				expected[k] = true
			}
		}
		check := func(overrides []string, kind, key string) bool {
			if !contains(overrides, key) {
				return false
			}
			yamlThrow(!expected[key], "An "+kind+" override for '"+key+"' was specified but '"+key+"' is not defined", ctx)
			delete(expected, key)
			return true
		}
		str := func(key string) *string {
			s, _ := decodeString(item, key, ctx, false, false)
			return &s
		}
		boolean := func(key string) *bool {
			b, _ := decodeBoolKey(item, key, ctx, false)
			return &b
		}
		if len(ap) > 0 {
			u := &ruleUpdate{ctx: ctx, condCtx: ctx, name: name}
			if check(ap, "append", "condition") {
				u.source = source
				u.cond = str("condition")
			}
			if check(ap, "append", "exceptions") {
				ex := rd.readExceptions(item, ctx, true)
				u.exceptions = &ex
			}
			if check(ap, "append", "output") {
				u.output = str("output")
			}
			if check(ap, "append", "desc") {
				u.desc = str("desc")
			}
			if check(ap, "append", "tags") {
				t := decodeTags(item, ctx)
				u.tags = &t
			}
			rd.col.appendRule(u, rd.env, rd.res)
		}
		if len(rp) > 0 {
			u := &ruleUpdate{ctx: ctx, condCtx: ctx, name: name}
			if check(rp, "replace", "condition") {
				u.source = source
				u.cond = str("condition")
			}
			if check(rp, "replace", "exceptions") {
				ex := rd.readExceptions(item, ctx, false)
				u.exceptions = &ex
			}
			if check(rp, "replace", "output") {
				u.output = str("output")
			}
			if check(rp, "replace", "desc") {
				u.desc = str("desc")
			}
			if check(rp, "replace", "tags") {
				t := decodeTags(item, ctx)
				u.tags = &t
			}
			if check(rp, "replace", "priority") {
				s := *str("priority")
				p, ok := ParsePriority(s)
				yamlThrow(!ok, "Invalid priority", ctx.child(item.get("priority"), ItemRulePriority, ""))
				u.priority = &p
			}
			if check(rp, "replace", "capture") {
				u.capture = boolean("capture")
			}
			if check(rp, "replace", "capture_duration") {
				n, _ := decodeUintKey(item, "capture_duration", ctx, false, 32)
				u.captureDuration = &n
			}
			if check(rp, "replace", "enabled") {
				u.enabled = boolean("enabled")
			}
			if check(rp, "replace", "warn_evttypes") {
				u.warnEvttypes = boolean("warn_evttypes")
			}
			if check(rp, "replace", "skip-if-unknown-filter") {
				u.skipIfUnknownFilter = boolean("skip-if-unknown-filter")
			}
			rd.col.replaceRule(u, rd.env)
		}
		// std::set order
		var left []string
		for k := range expected {
			left = append(left, k)
		}
		left = tagSet(left)
		for _, k := range left {
			yamlThrow(true, "Unexpected key '"+k+"': no corresponding entry under 'override' is defined.", ctx.child(item.get(k), ItemOverrides, k))
		}
	case hasAppendFlag:
		u := &ruleUpdate{ctx: ctx, condCtx: ctx, name: name, source: source}
		if c := item.get("condition"); c != nil {
			u.condCtx = ctx.child(c, ItemRuleCondition, "")
			s, _ := decodeString(item, "condition", ctx, false, false)
			u.cond = &s
		}
		if item.has("exceptions") {
			ex := rd.readExceptions(item, ctx, true)
			u.exceptions = &ex
		}
		rd.col.appendRule(u, rd.env, rd.res)
	default:
		r := &ruleInfo{ctx: ctx, condCtx: ctx, outputCtx: ctx, name: name, enabled: true, warnEvttypes: true, priority: Debug}
		if !item.has("condition") && !item.has("output") && !item.has("desc") && !item.has("priority") {
			r.enabled, _ = decodeBoolKey(item, "enabled", ctx, false)
			rd.res.warn(WarnDeprecatedItem, warningEnabled, ctx)
			rd.col.enableRule(name, r.enabled, ctx)
		} else {
			r.cond, _ = decodeString(item, "condition", ctx, false, false)
			r.condCtx = ctx.child(item.get("condition"), ItemRuleCondition, "")
			r.output, _ = decodeString(item, "output", ctx, false, false)
			r.outputCtx = ctx.child(item.get("output"), ItemRuleOutput, "")
			r.desc, _ = decodeString(item, "desc", ctx, false, false)
			pri, _ := decodeString(item, "priority", ctx, false, false)
			r.output = strings.Trim(r.output, " \t\n\r\f\v")
			r.source = "syscall"
			p, ok := ParsePriority(pri)
			yamlThrow(!ok, "Invalid priority", ctx.child(item.get("priority"), ItemRulePriority, ""))
			r.priority = p
			if s, ok := decodeString(item, "source", ctx, true, false); ok {
				r.source = s
			}
			if b, ok := decodeBoolKey(item, "enabled", ctx, true); ok {
				r.enabled = b
			}
			if b, ok := decodeBoolKey(item, "capture", ctx, true); ok {
				r.capture = b
			}
			if n, ok := decodeUintKey(item, "capture_duration", ctx, true, 32); ok {
				r.captureDuration = n
			}
			if b, ok := decodeBoolKey(item, "warn_evttypes", ctx, true); ok {
				r.warnEvttypes = b
			}
			if b, ok := decodeBoolKey(item, "skip-if-unknown-filter", ctx, true); ok {
				r.skipIfUnknownFilter = b
			}
			r.tags = decodeTags(item, ctx)
			r.exceptions = rd.readExceptions(item, ctx, false)
			rd.col.defineRule(r, rd.env, rd.res)
		}
	}
	rd.warnUnknownKeys(item, ruleKeys, ctx)
}

// read reads content into the collector; false when it stopped at an
// error (already added to the result).
func (rd *reader) read(name string, content []byte) (ok bool) {
	ctx := rootContext(name)
	docs, perr := parseYAML(content)
	if perr != nil {
		loc := ctx.child(&ynode{line: perr.line, col: perr.col, off: perr.off}, ItemValueFor, "")
		rd.res.add(ErrYAMLParse, perr.msg, loc, "")
		return false
	}
	rd.res.SchemaWarnings = validateSchema(docs)
	rd.res.SchemaChecked = len(rd.res.SchemaWarnings) > 0
	defer func() {
		if r := recover(); r != nil {
			le, isLoad := r.(*loadError)
			if !isLoad {
				panic(r)
			}
			if le.badConversion {
				le.ctx = ctx
			}
			rd.res.add(le.code, le.msg, le.ctx, "")
			ok = false
		}
	}()
	for _, doc := range docs {
		if doc == nil || doc.kind == yNull {
			continue
		}
		yamlThrow(doc.kind != yMap && doc.kind != ySeq, "Rules content is not yaml", ctx)
		yamlThrow(doc.kind != ySeq, "Rules content is not yaml array of objects", ctx)
		for _, it := range doc.items {
			if it.kind != yNull {
				rd.readItem(it, ctx)
			}
		}
	}
	return true
}
