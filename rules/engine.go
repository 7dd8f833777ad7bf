package rules

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/registry"
)

// AlertFormat is how alerts are printed: falco.yaml's json_output,
// json_include_*_property and time_format_iso_8601. DefaultAlertFormat
// gives Falco's defaults.
type AlertFormat struct {
	JSON                bool
	IncludeOutput       bool
	IncludeTags         bool
	IncludeMessage      bool
	IncludeOutputFields bool
	TimeISO8601         bool
	// Hostname is the JSON alert's hostname; "" means FALCO_HOSTNAME,
	// else the host name, as Falco picks it.
	Hostname string
}

// DefaultAlertFormat is Falco's: text lines; in JSON, output, tags and
// output_fields but not message.
func DefaultAlertFormat() AlertFormat {
	return AlertFormat{IncludeOutput: true, IncludeTags: true, IncludeOutputFields: true}
}

// Selection enables or disables rules after loading, as falco.yaml's
// `rules: [{enable: {rule: ...}}, {disable: {tag: ...}}]` does. Rule may
// hold `*` wildcards.
type Selection struct {
	Enable bool
	Rule   string
	Tag    string
}

// EngineConfig is what an Engine evaluates and how it prints alerts.
type EngineConfig struct {
	// Registry is the one the rules were compiled against.
	Registry *registry.Registry
	// Rules are the loaded rules in ruleset order (Loader.Rules).
	Rules []*Rule
	// Selections are applied in order after the rules' own enabled keys.
	Selections []Selection
	// Matching is rule_matching: the zero value is Falco's default, first.
	Matching Matching
	// MinPriority drops rules less severe than it (falco.yaml priority;
	// Falco's default is Debug, which keeps every rule).
	MinPriority Priority
	Format      AlertFormat
	// Eval tunes rule evaluation (filter.EvalOptions); the zero value
	// extracts each field lazily, per batch.
	Eval filter.EvalOptions
}

// Detection is one rule match, with its alert formatted.
type Detection struct {
	Rule     *Rule
	Source   string
	Priority Priority
	Time     uint64 // event timestamp, ns since the epoch
	Num      uint64 // the event's number in its source's stream, from 1
	// Line is the alert as Falco prints it, without the newline: the text
	// line, or the JSON object when Format.JSON is set.
	Line []byte
}

// Engine evaluates rules over an eventbus's sources and formats the alerts
// of the rules that match. It is the library form of pluginrun.
type Engine struct {
	cfg      EngineConfig
	hostname string
	active   map[string][]int // source -> indices into cfg.Rules, in evaluation order
	sets     map[string]*filter.Set
	prefix   map[string][]*filter.Format // source -> by priority
	// formats are the alert formats of each rule (by index into
	// cfg.Rules): its output and its extra fields, with the leading '*'
	// Falco adds so that a missing value prints <NA>.
	formats map[int]*ruleFormats
	stats   stats
}

type ruleFormats struct {
	message *filter.Format
	extras  []*filter.Format
}

// starred is a format as Falco renders alerts with it: with a leading '*'.
func starred(text string) string {
	if strings.HasPrefix(text, "*") {
		return text
	}
	return "*" + text
}

type stats struct {
	total      atomic.Uint64
	byRule     []atomic.Uint64
	byPriority [Debug + 1]atomic.Uint64
}

// ErrEngine is the sentinel of every error NewEngine and Attach return.
var ErrEngine = errors.New("rules engine")

// NewEngine prepares the rules of cfg: it applies the selections and the
// priority threshold, and groups the enabled rules by source.
func NewEngine(cfg EngineConfig) (*Engine, error) {
	if cfg.Registry == nil {
		return nil, fmt.Errorf("%w: no registry", ErrEngine)
	}
	e := &Engine{
		cfg:     cfg,
		active:  map[string][]int{},
		sets:    map[string]*filter.Set{},
		prefix:  map[string][]*filter.Format{},
		formats: map[int]*ruleFormats{},
	}
	e.stats.byRule = make([]atomic.Uint64, len(cfg.Rules))
	e.hostname = cfg.Format.Hostname
	if e.hostname == "" {
		e.hostname = falcoHostname()
	}

	enabled := make([]bool, len(cfg.Rules))
	var order []int
	for i, r := range cfg.Rules {
		enabled[i] = r.Enabled
		if r.Enabled {
			order = append(order, i)
		}
	}
	// Rules enabled by a selection go after those enabled by their files,
	// as in Falco; we keep them in rule order so that `first` is stable.
	for _, s := range cfg.Selections {
		for i, r := range cfg.Rules {
			if !s.matches(r) {
				continue
			}
			if s.Enable && !enabled[i] {
				order = append(order, i)
			}
			enabled[i] = s.Enable
		}
	}
	filters := map[string][]*filter.Filter{}
	for _, i := range order {
		r := cfg.Rules[i]
		if !enabled[i] || !r.Priority.AtLeast(cfg.MinPriority) || r.Filter == nil {
			continue
		}
		env := filter.Env{Registry: cfg.Registry, Source: r.Source}
		rf := &ruleFormats{}
		var err error
		if rf.message, err = filter.CompileFormat(starred(r.Output), env); err != nil {
			return nil, fmt.Errorf("%w: rule %q: output: %w", ErrEngine, r.Name, err)
		}
		for _, x := range r.ExtraFields {
			xf, err := filter.CompileFormat(starred(x.Format.Text()), env)
			if err != nil {
				return nil, fmt.Errorf("%w: rule %q: extra field %s: %w", ErrEngine, r.Name, x.Key, err)
			}
			rf.extras = append(rf.extras, xf)
		}
		e.formats[i] = rf
		e.active[r.Source] = append(e.active[r.Source], i)
		filters[r.Source] = append(filters[r.Source], r.Filter)
	}
	for src, fs := range filters {
		set, err := filter.NewSet(fs)
		if err != nil {
			return nil, fmt.Errorf("%w: source %s: %w", ErrEngine, src, err)
		}
		e.sets[src] = set
		byPrio := make([]*filter.Format, Debug+1)
		for p := Emergency; p <= Debug; p++ {
			text := "*%evt.time: " + p.String()
			if cfg.Format.TimeISO8601 {
				text = "*%evt.time.iso8601: " + p.String()
			}
			f, err := filter.CompileFormat(text, filter.Env{Registry: cfg.Registry, Source: src})
			if err != nil {
				return nil, fmt.Errorf("%w: source %s: alert prefix: %w", ErrEngine, src, err)
			}
			byPrio[p] = f
		}
		e.prefix[src] = byPrio
	}
	return e, nil
}

func (s Selection) matches(r *Rule) bool {
	if s.Tag != "" {
		for _, t := range r.Tags {
			if t == s.Tag {
				return true
			}
		}
		return false
	}
	return wildcardMatch(s.Rule, r.Name)
}

// wildcardMatch matches name against a pattern whose only special
// character is `*`, without backtracking, as Falco's rule selector does.
func wildcardMatch(pattern, name string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(name, p)
		if i < 0 {
			return false
		}
		name = name[i+len(p):]
	}
	return strings.HasSuffix(name, parts[len(parts)-1])
}

func falcoHostname() string {
	if h, ok := os.LookupEnv("FALCO_HOSTNAME"); ok && h != "" {
		return h
	}
	h, _ := os.Hostname()
	return h
}

// Sources lists the event sources that have at least one active rule.
func (e *Engine) Sources() []string {
	out := make([]string, 0, len(e.active))
	for s := range e.active {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// ActiveRules is the rules of source that the engine evaluates, in order.
func (e *Engine) ActiveRules(source string) []*Rule {
	var out []*Rule
	for _, i := range e.active[source] {
		out = append(out, e.cfg.Rules[i])
	}
	return out
}

// Attach subscribes the engine to every source of bus that has active
// rules. sink receives each source's alerts in event order (and, for one
// event, in rule order), from that source's goroutine; the Detection and its
// Line are valid only during the call. An error from sink stops the bus.
func (e *Engine) Attach(bus *eventbus.Bus, sink func(*Detection) error) error {
	for _, src := range e.Sources() {
		run := &sourceRun{e: e, source: src, sink: sink}
		err := bus.Subscribe(eventbus.Subscriber{
			Source:  src,
			Open:    run.open,
			OnBatch: run.onBatch,
			Close:   run.close,
		})
		if err != nil {
			return fmt.Errorf("%w: %w", ErrEngine, err)
		}
	}
	return nil
}

// sourceRun is the engine's state for one source; it holds one pipeline
// at a time (a bus opens each source once).
type sourceRun struct {
	e      *Engine
	source string
	sink   func(*Detection) error

	eval   *filter.SetEvaluator
	msgs   []*filter.Formatter   // per active rule
	extras [][]*filter.Formatter // per active rule, per extra field
	prefix []*filter.Formatter   // per priority

	remaining, rest []int32
	hits            []hit
	byRule          [][]int32
	buf, line       []byte
	alert           Detection
}

type hit struct{ event, rule int32 }

func (r *sourceRun) open(p *eventbus.Pipeline) error {
	states := p.States()
	ev, err := r.e.sets[r.source].NewEvaluator(states, r.e.cfg.Eval)
	if err != nil {
		return err
	}
	r.eval = ev
	n := len(r.e.active[r.source])
	r.msgs = make([]*filter.Formatter, n)
	r.extras = make([][]*filter.Formatter, n)
	r.byRule = make([][]int32, n)
	for k, i := range r.e.active[r.source] {
		rf := r.e.formats[i]
		if r.msgs[k], err = rf.message.NewFormatter(states); err != nil {
			r.close(p)
			return err
		}
		for _, x := range rf.extras {
			fm, err := x.NewFormatter(states)
			if err != nil {
				r.close(p)
				return err
			}
			r.extras[k] = append(r.extras[k], fm)
		}
	}
	for _, f := range r.e.prefix[r.source] {
		fm, err := f.NewFormatter(states)
		if err != nil {
			r.close(p)
			return err
		}
		r.prefix = append(r.prefix, fm)
	}
	return nil
}

func (r *sourceRun) close(*eventbus.Pipeline) {
	if r.eval != nil {
		r.eval.Close()
		r.eval = nil
	}
	for k, fm := range r.msgs {
		if fm != nil {
			fm.Close()
		}
		for _, x := range r.extras[k] {
			x.Close()
		}
	}
	for _, fm := range r.prefix {
		fm.Close()
	}
	r.msgs, r.extras, r.prefix = nil, nil, nil
}

func (r *sourceRun) onBatch(d *eventbus.Delivery) error {
	b := d.Batch()
	n := b.Len()
	first := r.e.cfg.Matching == MatchFirst
	r.hits = r.hits[:0]
	// An extraction failure at event j cuts the batch at j for every rule
	// of the set (filter.SetEvaluator.Eval): the matches returned are all
	// before j, so they are emitted, then the error stops the source.
	var evalErr error
	if first {
		r.remaining = r.remaining[:0]
		for i := 0; i < n; i++ {
			r.remaining = append(r.remaining, int32(i))
		}
	}
	for k := range r.byRule {
		r.byRule[k] = r.byRule[k][:0]
		if first && len(r.remaining) == 0 {
			continue
		}
		var sel []int32
		if first {
			sel = r.remaining
		}
		m, err := r.eval.Eval(b, k, sel)
		if err != nil && evalErr == nil {
			evalErr = err
		}
		for _, i := range m {
			r.hits = append(r.hits, hit{i, int32(k)})
		}
		r.byRule[k] = append(r.byRule[k], m...)
		if first {
			r.rest = minus(r.rest[:0], r.remaining, m)
			r.remaining, r.rest = r.rest, r.remaining
		}
	}
	if len(r.hits) == 0 {
		return evalErr
	}
	sort.Slice(r.hits, func(a, c int) bool {
		if r.hits[a].event != r.hits[c].event {
			return r.hits[a].event < r.hits[c].event
		}
		return r.hits[a].rule < r.hits[c].rule
	})
	if err := r.extract(b); err != nil {
		return err
	}
	for _, h := range r.hits {
		if err := r.emit(b, h); err != nil {
			return err
		}
	}
	return evalErr
}

func minus(dst, a, b []int32) []int32 {
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			continue
		}
		dst = append(dst, x)
	}
	return dst
}

// extract extracts the fields of every matched rule's output, for its
// matched events only.
func (r *sourceRun) extract(b *capability.Batch) error {
	var events []int32
	for k, ev := range r.byRule {
		if len(ev) == 0 {
			continue
		}
		if err := r.msgs[k].Extract(b, ev); err != nil {
			return err
		}
		for _, x := range r.extras[k] {
			if err := x.Extract(b, ev); err != nil {
				return err
			}
		}
		events = append(events, ev...)
	}
	if len(events) == 0 {
		return nil
	}
	sort.Slice(events, func(a, c int) bool { return events[a] < events[c] })
	for _, p := range r.prefix {
		if err := p.Extract(b, events); err != nil {
			return err
		}
	}
	return nil
}

func (r *sourceRun) emit(b *capability.Batch, h hit) error {
	idx := r.e.active[r.source][h.rule]
	rule := r.e.cfg.Rules[idx]
	i := int(h.event)
	r.e.stats.total.Add(1)
	r.e.stats.byRule[idx].Add(1)
	r.e.stats.byPriority[rule.Priority].Add(1)

	r.line = r.line[:0]
	prefix := r.prefix[rule.Priority]
	r.line, _ = prefix.AppendText(r.line, i)
	r.line = append(r.line, ' ')
	msgStart := len(r.line)
	r.line, _ = r.msgs[h.rule].AppendText(r.line, i)
	if r.e.cfg.Format.JSON {
		out, err := r.appendJSON(r.buf[:0], b, h, rule, r.line, r.line[msgStart:])
		if err != nil {
			return fmt.Errorf("%w: rule %q: %w", ErrEngine, rule.Name, err)
		}
		r.buf = out
		r.alert.Line = r.buf
	} else {
		r.alert.Line = r.line
	}
	r.alert.Rule = rule
	r.alert.Source = r.source
	r.alert.Priority = rule.Priority
	r.alert.Time = b.Ts(i)
	r.alert.Num = b.Num(i)
	return r.sink(&r.alert)
}

// appendJSON builds Falco's JSON alert object (formats.cpp).
func (r *sourceRun) appendJSON(dst []byte, b *capability.Batch, h hit, rule *Rule, output, message []byte) ([]byte, error) {
	f := r.e.cfg.Format
	i := int(h.event)
	obj := jsonObject{
		"hostname": r.e.hostname,
		"priority": rule.Priority.String(),
		"rule":     rule.Name,
		"source":   r.source,
		"time":     isoTime(b.Ts(i)),
	}
	if f.IncludeOutput {
		obj["output"] = string(output)
	}
	if f.IncludeTags {
		tags := rule.Tags
		if tags == nil {
			tags = []string{}
		}
		obj["tags"] = tags
	}
	if f.IncludeMessage {
		obj["message"] = string(message)
	}
	if f.IncludeOutputFields {
		var tmp []byte
		tmp, _ = r.msgs[h.rule].AppendJSON(tmp, i)
		fields, err := decodeJSONObject(tmp)
		if err != nil {
			return dst, err
		}
		tmp, _ = r.prefix[rule.Priority].AppendJSON(tmp[:0], i)
		pf, err := decodeJSONObject(tmp)
		if err != nil {
			return dst, err
		}
		for k, v := range pf {
			fields[k] = v
		}
		for x, ef := range rule.ExtraFields {
			fm := r.extras[h.rule][x]
			if ef.Raw {
				tmp, _ = fm.AppendJSON(tmp[:0], i)
				xf, err := decodeJSONObject(tmp)
				if err != nil {
					return dst, err
				}
				fields[ef.Key] = xf[ef.Key]
			} else {
				tmp, _ = fm.AppendText(tmp[:0], i)
				fields[ef.Key] = string(tmp)
			}
		}
		obj["output_fields"] = fields
	}
	return appendJSONValue(dst, obj), nil
}

// isoTime is the JSON alert's time: UTC, nanoseconds, a final Z.
func isoTime(ts uint64) string {
	t := time.Unix(int64(ts/1e9), int64(ts%1e9)).UTC()
	return t.Format("2006-01-02T15:04:05") + fmt.Sprintf(".%09dZ", ts%1e9)
}

// Stats is what Falco prints when it stops.
type Stats struct {
	Total      uint64
	ByPriority [Debug + 1]uint64
	// ByRule counts alerts per rule, in the order of EngineConfig.Rules.
	ByRule []RuleCount
}

// RuleCount is one rule's alert count.
type RuleCount struct {
	Rule  *Rule
	Count uint64
}

// Stats returns the alert counts so far.
func (e *Engine) Stats() Stats {
	s := Stats{Total: e.stats.total.Load()}
	for p := range s.ByPriority {
		s.ByPriority[p] = e.stats.byPriority[p].Load()
	}
	for i, r := range e.cfg.Rules {
		if c := e.stats.byRule[i].Load(); c > 0 {
			s.ByRule = append(s.ByRule, RuleCount{r, c})
		}
	}
	return s
}

// String is the statistics text Falco prints on stdout when it stops.
func (s Stats) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Events detected: %d\n", s.Total)
	sb.WriteString("Rule counts by severity:\n")
	for p, c := range s.ByPriority {
		if c > 0 {
			fmt.Fprintf(&sb, "   %s: %d\n", strings.ToUpper(Priority(p).ShortString()), c)
		}
	}
	sb.WriteString("Triggered rules by rule name:\n")
	for _, rc := range s.ByRule {
		fmt.Fprintf(&sb, "   %s: %d\n", rc.Rule.Name, rc.Count)
	}
	return sb.String()
}
