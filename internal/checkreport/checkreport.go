// Package checkreport checks one plugin library the way plugincheck does and
// describes the outcome as a PluginReport: one result per check, in the order
// the host runs them, plus the metadata the plugin declared.
//
// The report types are also the wire format between plugincheck and the
// child process it runs each check in, so they round-trip through
// encoding/json without loss.
package checkreport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

// Status is the outcome of one check.
type Status string

const (
	Pass Status = "pass" // the check passed
	Warn Status = "warn" // the check passed with warnings
	Fail Status = "fail" // the check failed; later checks are skipped
	Skip Status = "skip" // not run: an earlier check failed (no message), or the message says why
)

// Report is the outcome of a plugincheck run.
type Report struct {
	OK      bool           `json:"ok"`
	Plugins []PluginReport `json:"plugins"`
}

// NewReport wraps plugin reports; OK is set when every plugin passed.
func NewReport(plugins []PluginReport) Report {
	r := Report{OK: true, Plugins: plugins}
	if r.Plugins == nil {
		r.Plugins = []PluginReport{}
	}
	for _, p := range plugins {
		r.OK = r.OK && p.OK
	}
	return r
}

// PluginReport is the outcome of checking one file. Metadata is filled from
// what the loader read; it stays empty when the library did not load (Name
// excepted, when the failure happened after plugin_get_name).
type PluginReport struct {
	Path                string        `json:"path"`
	OK                  bool          `json:"ok"`
	Name                string        `json:"name"`
	Version             string        `json:"version"`
	RequiredAPIVersion  string        `json:"required_api_version"`
	ID                  uint32        `json:"id"`
	EventSource         string        `json:"event_source"`
	Capabilities        []string      `json:"capabilities"`
	ExtractEventSources []string      `json:"extract_event_sources"`
	Fields              []Field       `json:"fields"`
	Checks              []CheckResult `json:"checks"`
	// Stream is what the stream check read; nil unless streaming was
	// requested (Options.Events > 0) for a plugin with the sourcing
	// capability that loaded and initialized.
	Stream *Stream `json:"stream,omitempty"`
}

// Field is one extraction field.
type Field struct {
	Name       string   `json:"name"`
	Type       string   `json:"type"`
	Desc       string   `json:"desc"`
	IsList     bool     `json:"is_list"`
	Arg        FieldArg `json:"arg"`
	Properties []string `json:"properties"`
}

// FieldArg is the kind of argument a field takes.
type FieldArg struct {
	IsRequired bool `json:"is_required"`
	IsIndex    bool `json:"is_index"`
	IsKey      bool `json:"is_key"`
}

// CheckResult is the outcome of one check.
type CheckResult struct {
	Name    string `json:"name"`
	Status  Status `json:"status"`
	Message string `json:"message"`
}

// CheckStream opens the plugin's event source and reads events from it,
// extracting every field that needs no argument (see Options.Events).
const CheckStream loader.Check = "stream"

// Checks lists the checks of a report, in order: loader.LoadChecks, then
// init_config, init and stream.
func Checks() []loader.Check {
	return append(append([]loader.Check(nil), loader.LoadChecks...), loader.CheckInitConfig, loader.CheckInit, CheckStream)
}

// Step names the part of Check that runs plugin code.
type Step string

const (
	StepLoad    Step = "load"    // loader.Load: dlopen and the plugin_get_* calls
	StepInit    Step = "init"    // Plugin.Init: config validation, then plugin_init
	StepStream  Step = "stream"  // plugin_open, plugin_next_batch, plugin_extract_fields, plugin_close
	StepDestroy Step = "destroy" // State.Destroy: plugin_destroy
)

// Options configure Check.
type Options struct {
	// InitConfig is passed to plugin_init (after validation against the
	// plugin's init schema, if it has one).
	InitConfig string
	// APIVersion is the framework version X.Y.Z to check against; empty
	// means pluginapi.APIVersion.
	APIVersion string
	// Logger receives the plugin's log_fn messages; nil means slog.Default().
	Logger *slog.Logger
	// Events, when positive, turns on the stream check for plugins with
	// the sourcing capability: between plugin_init and plugin_destroy, the
	// source is opened with OpenParams and up to Events events are read and
	// validated; if the plugin also extracts from its own event source,
	// every field that needs no argument is extracted from each of them.
	Events int
	// OpenParams is passed to plugin_open by the stream check.
	OpenParams string
	// Filter, when set, is a filter condition in Falco's language: the
	// stream check counts the events read that match it (Stream.Matched).
	// Events still bounds the events read, not the matches. The filter is
	// compiled for the plugin's event source against a registry holding
	// only the plugin, with FilterMaxDepth as Falco compiles rule
	// conditions, and evaluated with a filter.Evaluator; a filter that does
	// not compile fails the stream check (see ExprError), before
	// plugin_open.
	Filter string
	// Output, when set, is an output format (%field tokens, as a rule's
	// output) rendered for each event read that matches Filter, or for
	// each event read without a filter, through a filter.Formatter. It is
	// compiled like Filter, with a leading '*' unless it has one (see
	// OutputFormat).
	Output string
	// OutputJSON renders Output as JSON objects (Stream.Outputs) instead
	// of text lines (Stream.Lines).
	OutputJSON bool
	// MaxOutputs is how many formatted events the stream report keeps at
	// most; the others are counted in Stream.OutputsDropped.
	MaxOutputs int
	// Context bounds the stream check (a plugin may keep returning
	// timeouts); nil means context.Background().
	Context context.Context
	// BeforeStep, when set, is called before each step that runs plugin
	// code, with the report to give if that step kills the process: the
	// step's check failed with a message saying where the process died,
	// the checks before it as they turned out, the checks after it skipped.
	// StepDestroy comes last, after StepStream: its report fails init and
	// gives the stream check (and Stream) as they turned out.
	BeforeStep func(step Step, ifItDies PluginReport)
}

// Check loads the library at path, initializes it with opts.InitConfig,
// streams events from it if opts.Events asks for it, destroys the state, and
// reports the outcome of each check. It never panics on a bad file; a plugin
// may still take the process down (see Options.BeforeStep).
func Check(path string, opts Options) PluginReport {
	b := newBuilder(path)
	// before tells opts.BeforeStep what to report if step kills the process:
	// the results so far plus the check that fails with msg.
	before := func(s Step, soFar *builder, check loader.Check, msg string) {
		if opts.BeforeStep != nil {
			r := soFar.clone()
			r.fail(check, msg)
			opts.BeforeStep(s, r.finish())
		}
	}

	before(StepLoad, b, loader.CheckLibrary, "the process died while loading the library or calling its plugin_get_* functions")
	p, err := loader.Inspect(path, loader.Options{APIVersion: opts.APIVersion, Logger: opts.Logger})
	if err != nil {
		check, msg := explain(err, loader.LoadChecks, loader.CheckLibrary)
		if le := (*loader.Error)(nil); errors.As(err, &le) {
			b.report.Name = le.Plugin
		}
		if p != nil {
			// Inspect read the plugin up to the failed check.
			b.metadata(p)
		}
		for _, c := range loader.LoadChecks {
			if c == check {
				break
			}
			note := ""
			switch {
			case p != nil:
				note = passMessage(p, c, opts.APIVersion)
			case c == loader.CheckLibrary:
				note = "loaded"
			case c == loader.CheckInfo && b.report.Name != "":
				note = fmt.Sprintf("name '%s'", b.report.Name)
			}
			b.pass(c, note)
		}
		if p != nil {
			b.warnings(p.Warnings)
		}
		b.fail(check, msg)
		return b.finish()
	}
	b.metadata(p)
	for _, c := range loader.LoadChecks {
		b.pass(c, passMessage(p, c, opts.APIVersion))
	}
	b.warnings(p.Warnings)

	// Init validates the config before it calls plugin_init, so dying in
	// Init means the config passed.
	configOK := "no init schema"
	if p.InitSchema != "" {
		configOK = "valid for the init schema"
	}
	withConfig := b.clone()
	withConfig.pass(loader.CheckInitConfig, configOK)
	before(StepInit, withConfig, loader.CheckInit, "the process died in plugin_init")
	s, err := p.Init(opts.InitConfig)
	if err != nil {
		check, msg := explain(err, []loader.Check{loader.CheckInitConfig, loader.CheckInit}, loader.CheckInit)
		if check == loader.CheckInit {
			b.pass(loader.CheckInitConfig, configOK)
		}
		b.fail(check, msg)
		return b.finish()
	}
	b = withConfig

	// The stream check runs on the live state; its result is reported
	// after init, whose message says that plugin_destroy returned.
	var stream CheckResult
	var streamReport *Stream
	switch {
	case opts.Events <= 0:
		stream = CheckResult{Name: string(CheckStream), Status: Skip, Message: "not requested"}
	case !p.Has(pluginapi.CapSourcing):
		stream = CheckResult{Name: string(CheckStream), Status: Skip, Message: "no sourcing capability"}
	default:
		if opts.BeforeStep != nil {
			r := b.clone()
			r.pass(loader.CheckInit, "plugin_init succeeded")
			r.fail(CheckStream, streamDied)
			r.report.Stream = &Stream{Errors: []string{streamDied}}
			opts.BeforeStep(StepStream, r.finish())
		}
		ctx := opts.Context
		if ctx == nil {
			ctx = context.Background()
		}
		streamReport, stream = runStream(ctx, s, opts)
	}
	if opts.BeforeStep != nil {
		r := b.clone()
		r.fail(loader.CheckInit, "plugin_init succeeded, then the process died in plugin_destroy")
		r.report.Checks = append(r.report.Checks, stream)
		r.report.Stream = streamReport.clone()
		opts.BeforeStep(StepDestroy, r.finish())
	}
	s.Destroy()
	b.pass(loader.CheckInit, "plugin_init succeeded; plugin_destroy returned")
	b.report.Checks = append(b.report.Checks, stream)
	b.report.Stream = streamReport
	return b.finish()
}

// Died returns the report for a file whose check killed the process before
// it could say anything: the library check fails with msg.
func Died(path, msg string) PluginReport {
	b := newBuilder(path)
	b.fail(loader.CheckLibrary, msg)
	return b.finish()
}

// explain maps an error from the loader to the check it failed and the
// message to show: the full error text, which names the file, plugin,
// symbol and field involved.
// An error naming a check outside of expected is reported as fallback.
func explain(err error, expected []loader.Check, fallback loader.Check) (loader.Check, string) {
	var le *loader.Error
	if errors.As(err, &le) && slices.Contains(expected, le.Check) {
		return le.Check, err.Error()
	}
	return fallback, err.Error()
}

// passMessage says what a passed load check found.
func passMessage(p *loader.Plugin, c loader.Check, apiVersion string) string {
	switch c {
	case loader.CheckLibrary:
		if p.GoRuntime {
			return "loaded (embeds a Go runtime)"
		}
		return "loaded"
	case loader.CheckAPIVersion:
		if apiVersion == "" {
			apiVersion = pluginapi.APIVersion
		}
		return fmt.Sprintf("requires %s, compatible with %s", p.RequiredAPIVersion, apiVersion)
	case loader.CheckRequiredSymbols:
		return "all 8 required symbols present"
	case loader.CheckInfo:
		return fmt.Sprintf("name '%s'", p.Name)
	case loader.CheckVersion:
		return p.Version
	case loader.CheckCapabilities:
		return strings.Join(p.Capabilities.Names(), ", ")
	case loader.CheckEventSource:
		switch {
		case !p.Has(pluginapi.CapSourcing):
			return "not a source plugin"
		case p.ID == 0:
			return "id 0: events of any type, no event source"
		}
		return fmt.Sprintf("id %d, event source '%s'", p.ID, p.EventSource)
	case loader.CheckFields:
		switch n := len(p.Fields); {
		case !p.Has(pluginapi.CapExtraction):
			return "no extraction capability"
		case n == 1:
			return "1 field"
		default:
			return fmt.Sprintf("%d fields", n)
		}
	case loader.CheckEventSources:
		var parts []string
		for _, l := range []struct {
			c    pluginapi.Capabilities
			what string
			list []string
		}{
			{pluginapi.CapExtraction, "extract", p.ExtractEventSources},
			{pluginapi.CapParsing, "parse", p.ParseEventSources},
			{pluginapi.CapAsync, "async", p.AsyncEventSources},
		} {
			if p.Has(l.c) {
				parts = append(parts, l.what+": "+sourceList(l.list))
			}
		}
		if len(parts) == 0 {
			return "no extraction, parsing or async capability"
		}
		return strings.Join(parts, "; ")
	case loader.CheckAsyncEvents:
		if !p.Has(pluginapi.CapAsync) {
			return "no async capability"
		}
		return "events: " + strings.Join(p.AsyncEvents, ", ")
	case loader.CheckInitSchema:
		if p.InitSchema == "" {
			return "no init schema"
		}
		return "valid JSON Schema"
	}
	return ""
}

// sourceList renders an event source list; empty means every source.
func sourceList(list []string) string {
	if len(list) == 0 {
		return "any"
	}
	return strings.Join(list, ", ")
}

// builder accumulates check results in order.
type builder struct {
	report PluginReport
}

func newBuilder(path string) *builder {
	return &builder{report: PluginReport{
		Path:                path,
		Capabilities:        []string{},
		ExtractEventSources: []string{},
		Fields:              []Field{},
		Checks:              []CheckResult{},
	}}
}

func (b *builder) clone() *builder {
	c := *b
	c.report.Checks = append([]CheckResult(nil), b.report.Checks...)
	return &c
}

func (b *builder) pass(c loader.Check, msg string) {
	b.report.Checks = append(b.report.Checks, CheckResult{Name: string(c), Status: Pass, Message: msg})
}

func (b *builder) fail(c loader.Check, msg string) {
	b.report.Checks = append(b.report.Checks, CheckResult{Name: string(c), Status: Fail, Message: msg})
}

// warnings turns passed checks with warnings into "warn", the message being
// the warnings joined with "; ".
func (b *builder) warnings(ws []loader.Warning) {
	by := map[string][]string{}
	for _, w := range ws {
		by[string(w.Check)] = append(by[string(w.Check)], w.String())
	}
	for i, c := range b.report.Checks {
		if msgs := by[c.Name]; len(msgs) > 0 && c.Status == Pass {
			b.report.Checks[i].Status = Warn
			b.report.Checks[i].Message = strings.Join(msgs, "; ")
		}
	}
}

func (b *builder) metadata(p *loader.Plugin) {
	r := &b.report
	r.Name, r.Version, r.RequiredAPIVersion = p.Name, p.Version, p.RequiredAPIVersion
	r.ID, r.EventSource = p.ID, p.EventSource
	r.Capabilities = p.Capabilities.Names()
	r.ExtractEventSources = append([]string{}, p.ExtractEventSources...)
	for _, f := range p.Fields {
		r.Fields = append(r.Fields, Field{
			Name:       f.Name,
			Type:       f.Type.String(),
			Desc:       f.Desc,
			IsList:     f.IsList,
			Arg:        FieldArg{IsRequired: f.Arg.IsRequired, IsIndex: f.Arg.IsIndex, IsKey: f.Arg.IsKey},
			Properties: append([]string{}, f.Properties...),
		})
	}
}

// finish skips the checks not run and computes OK.
func (b *builder) finish() PluginReport {
	r := b.report
	r.Checks = append([]CheckResult(nil), r.Checks...)
	for _, c := range Checks()[len(r.Checks):] {
		r.Checks = append(r.Checks, CheckResult{Name: string(c), Status: Skip})
	}
	r.OK = true
	for _, c := range r.Checks {
		if c.Status == Fail {
			r.OK = false
		}
	}
	return r
}
