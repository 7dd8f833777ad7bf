package loader

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/internal/plugstate"
	"github.com/plughost/plughost/pluginapi"
)

// State is an initialized plugin: the ss_plugin_t returned by plugin_init
// together with the host resources lent to it. It is safe to Destroy from
// any goroutine, once or many times.
type State struct {
	plugin *Plugin
	config string // the config the plugin received, after normalization

	// ExtractEventTypes and ParseEventTypes are what get_extract_event_types
	// and get_parse_event_types returned after init (nil: not declared).
	ExtractEventTypes []uint16
	ParseEventTypes   []uint16
	// RequiredEventSchemaVersion is the plugin's answer, or "3.0.0".
	RequiredEventSchemaVersion string

	mu        sync.Mutex
	handle    uintptr // ss_plugin_t*; 0 after Destroy
	owner     *ffi.Owner
	input     uintptr // C heap ss_plugin_init_input, kept until Destroy
	configC   uintptr // C heap config string referenced by input
	destroyed bool
}

type pluginLogger struct {
	name   string
	logger *slog.Logger
}

var severityLevels = map[pluginapi.LogSeverity]slog.Level{
	pluginapi.LogFatal: slog.LevelError + 4, pluginapi.LogCritical: slog.LevelError + 2,
	pluginapi.LogError: slog.LevelError, pluginapi.LogWarning: slog.LevelWarn,
	pluginapi.LogNotice: slog.LevelInfo + 2, pluginapi.LogInfo: slog.LevelInfo,
	pluginapi.LogDebug: slog.LevelDebug, pluginapi.LogTrace: slog.LevelDebug - 4,
}

var severityNames = map[pluginapi.LogSeverity]string{
	pluginapi.LogFatal: "fatal", pluginapi.LogCritical: "critical", pluginapi.LogError: "error",
	pluginapi.LogWarning: "warning", pluginapi.LogNotice: "notice", pluginapi.LogInfo: "info",
	pluginapi.LogDebug: "debug", pluginapi.LogTrace: "trace",
}

// Log routes log_fn to slog; a NULL component means the plugin itself.
func (l pluginLogger) Log(component, msg string, sev pluginapi.LogSeverity) {
	if component == "" {
		component = l.name
	}
	level, ok := severityLevels[sev]
	if !ok {
		level = slog.LevelInfo
	}
	name, ok := severityNames[sev]
	if !ok {
		name = fmt.Sprintf("severity(%d)", sev)
	}
	l.logger.Log(context.Background(), level, msg, "plugin", l.name, "component", component, "severity", name)
}

// Init validates config against the plugin's init schema (when it declares
// one; "" becomes "{}") and calls plugin_init with a complete set of host
// callbacks. On failure it returns an *Error carrying the plugin's
// get_last_error text.
func (p *Plugin) Init(config string) (*State, error) {
	fail := func(c Check, symbol, field, format string, args ...any) error {
		return &Error{Path: p.Path, Plugin: p.Name, Check: c, Symbol: symbol, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if p.lib == nil {
		return nil, fail(CheckInit, "", "", "library is not loaded")
	}
	if p.schema != nil {
		normalized, problem := p.schema.validate(config)
		if problem != nil {
			return nil, p.configError(problem)
		}
		config = normalized
	}
	logger := p.opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	cb := ffi.Callbacks()
	s := &State{plugin: p, config: config, RequiredEventSchemaVersion: pluginapi.DefaultEventSchemaVersion}
	s.owner = ffi.NewOwner(pluginLogger{name: p.Name, logger: logger})
	s.configC = ffi.CString(config)
	s.input = ffi.Alloc(sizeOfInitInput)
	ffi.Put(s.input, pluginapi.InitInput{
		Config:            s.configC,
		Owner:             s.owner.ID(),
		GetOwnerLastError: cb.GetOwnerLastError,
		Tables:            cb.Tables,
		LogFn:             cb.LogFn,
	})
	handle, rc := p.api.CallInit(s.input)
	s.handle = handle
	if rc != pluginapi.RcSuccess {
		msg := "plugin_init returned no state to read the error from"
		if handle != 0 {
			msg = initErrorMessage(p.api.LastError(handle))
		}
		s.Destroy()
		return nil, fail(CheckInit, "plugin_init", "", "could not initialize plugin: %s", msg)
	}
	if handle == 0 {
		s.Destroy()
		return nil, fail(CheckInit, "plugin_init", "", "returned SS_PLUGIN_SUCCESS with a NULL state")
	}
	if p.api.GetExtractEventTypes != 0 && p.Has(pluginapi.CapExtraction) {
		s.ExtractEventTypes = p.api.ExtractEventTypes(handle)
	}
	if p.api.GetParseEventTypes != 0 && p.Has(pluginapi.CapParsing) {
		s.ParseEventTypes = p.api.ParseEventTypes(handle)
	}
	if p.api.GetRequiredEventSchemaVersion != 0 {
		if v, ok := p.api.RequiredEventSchemaVersion(handle); ok {
			s.RequiredEventSchemaVersion = v
		}
	}
	return s, nil
}

// initErrorMessage is what to say of a failed plugin_init, given its
// get_last_error answer.
func initErrorMessage(lastError string, notNull bool) string {
	switch {
	case !notNull:
		return "the plugin gave no error message (plugin_get_last_error returned NULL)"
	case lastError == "":
		return "the plugin gave no error message (plugin_get_last_error returned an empty string)"
	}
	return lastError
}

func (p *Plugin) configError(problem *configProblem) error {
	return &Error{Path: p.Path, Plugin: p.Name, Check: CheckInitConfig, ConfigPath: problem.path, Msg: problem.msg}
}

var sizeOfInitInput = int(ffi.SizeOf[pluginapi.InitInput]())

// Plugin returns the plugin this state was initialized from.
func (s *State) Plugin() *Plugin { return s.plugin }

// Config returns the config string the plugin received.
func (s *State) Config() string { return s.config }

// SetConfig validates config like Init does and calls plugin_set_config.
func (s *State) SetConfig(config string) error {
	p := s.plugin
	fail := func(c Check, symbol, field, format string, args ...any) error {
		return &Error{Path: p.Path, Plugin: p.Name, Check: c, Symbol: symbol, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if p.schema != nil {
		normalized, problem := p.schema.validate(config)
		if problem != nil {
			return p.configError(problem)
		}
		config = normalized
	}
	if p.api.SetConfig == 0 {
		return fail(CheckInit, "plugin_set_config", "", "not implemented")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handle == 0 {
		return ErrDestroyed
	}
	if rc := p.api.CallSetConfig(s.handle, config); rc != pluginapi.RcSuccess {
		msg, _ := p.api.LastError(s.handle)
		return fail(CheckInit, "plugin_set_config", "", "%s: %s", rc, msg)
	}
	s.config = config
	return nil
}

// Metric is one value from plugin_get_metrics, named "<plugin>.<metric>".
type Metric struct {
	Name      string
	Type      pluginapi.MetricType
	ValueType pluginapi.MetricValueType
	Value     float64
}

// Metrics calls plugin_get_metrics; nil when the plugin has none.
func (s *State) Metrics() []Metric {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handle == 0 || s.plugin.api.GetMetrics == 0 {
		return nil
	}
	raw := s.plugin.api.Metrics(s.handle)
	out := make([]Metric, len(raw))
	for i, m := range raw {
		out[i] = Metric{Name: s.plugin.Name + "." + m.Name, Type: m.Type, ValueType: m.ValueType, Value: ffi.MetricValue(m.ValueType, m.Value)}
	}
	return out
}

// Destroy calls plugin_destroy and releases what the host lent. It is
// idempotent. The library itself stays mapped.
func (s *State) Destroy() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.destroyed {
		return
	}
	s.destroyed = true
	if s.handle != 0 {
		s.plugin.api.CallDestroy(s.handle)
		s.handle = 0
	}
	s.owner.Release()
	ffi.Free(s.input)
	ffi.Free(s.configC)
}

func init() {
	plugstate.Resolve = func(v any) (plugstate.Raw, bool) {
		s, ok := v.(*State)
		if !ok {
			return plugstate.Raw{}, false
		}
		return plugstate.Raw{API: s.plugin.api, Owner: s.owner, Handle: s.handle}, true
	}
}
