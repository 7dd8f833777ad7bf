package loader

import (
	"errors"
	"strings"
)

// Check names one validation step. Load runs them in this order, which is
// libsinsp's, and stops at the first failure.
type Check string

const (
	CheckLibrary         Check = "library"          // the file is a loadable shared library for this machine
	CheckAPIVersion      Check = "api_version"      // required API version parses and is compatible
	CheckRequiredSymbols Check = "required_symbols" // the 8 symbols every plugin exports
	CheckInfo            Check = "info"             // name, description, contact
	CheckVersion         Check = "version"          // the plugin's own version is semver
	CheckCapabilities    Check = "capabilities"     // at least one capability, none broken
	CheckEventSource     Check = "event_source"     // sourcing id and event source
	CheckFields          Check = "fields"           // get_fields JSON
	CheckEventSources    Check = "event_sources"    // extract/parse/async source lists
	CheckAsyncEvents     Check = "async_events"     // async event names
	CheckInitSchema      Check = "init_schema"      // get_init_schema returns a JSON Schema object
	CheckInitConfig      Check = "init_config"      // the init config is valid for the schema
	CheckInit            Check = "init"             // plugin_init succeeds
)

// LoadChecks lists the checks Load runs, in order.
var LoadChecks = []Check{
	CheckLibrary, CheckAPIVersion, CheckRequiredSymbols, CheckInfo, CheckVersion,
	CheckCapabilities, CheckEventSource, CheckFields, CheckEventSources,
	CheckAsyncEvents, CheckInitSchema,
}

// Sentinels matched with errors.Is; one per check.
var (
	ErrLibrary         = errors.New("not a loadable plugin library")
	ErrAPIVersion      = errors.New("incompatible or invalid required API version")
	ErrRequiredSymbols = errors.New("required symbol not implemented")
	ErrInfo            = errors.New("invalid plugin info")
	ErrVersion         = errors.New("invalid plugin version")
	ErrCapabilities    = errors.New("invalid capabilities")
	ErrEventSource     = errors.New("invalid event source")
	ErrFields          = errors.New("invalid fields")
	ErrEventSources    = errors.New("invalid event source list")
	ErrAsyncEvents     = errors.New("invalid async events")
	ErrInitSchema      = errors.New("invalid init schema")
	ErrInitConfig      = errors.New("invalid init config")
	ErrInit            = errors.New("plugin init failed")
	ErrDestroyed       = errors.New("plugin state already destroyed")
	// ErrInitSchemaLimit is also matched by an ErrInitSchema failure whose
	// schema is over MaxInitSchemaBytes, MaxInitSchemaDepth or
	// MaxInitSchemaPatterns: it was rejected before compiling.
	ErrInitSchemaLimit = errors.New("init schema over a size limit")
)

var sentinels = map[Check]error{
	CheckLibrary: ErrLibrary, CheckAPIVersion: ErrAPIVersion, CheckRequiredSymbols: ErrRequiredSymbols,
	CheckInfo: ErrInfo, CheckVersion: ErrVersion, CheckCapabilities: ErrCapabilities,
	CheckEventSource: ErrEventSource, CheckFields: ErrFields, CheckEventSources: ErrEventSources,
	CheckAsyncEvents: ErrAsyncEvents, CheckInitSchema: ErrInitSchema, CheckInitConfig: ErrInitConfig,
	CheckInit: ErrInit,
}

// Error is a validation or init failure. It names the file, the plugin when
// known, the symbol and field involved, and the rule broken (Msg).
type Error struct {
	Path   string
	Plugin string // empty until plugin_get_name has been read
	Check  Check
	Symbol string // e.g. "plugin_get_fields"; empty when not about one symbol
	Field  string // plugin field name; empty when not about one field
	// ConfigPath is the JSON pointer of the offending init config value
	// ("" for the root) when Check is CheckInitConfig.
	ConfigPath string
	Msg        string

	also error // a second sentinel matched by Is, e.g. ErrInitSchemaLimit
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Plugin != "" {
		b.WriteString(": plugin '" + e.Plugin + "'")
	}
	if e.Symbol != "" {
		b.WriteString(": " + e.Symbol)
	}
	if e.Field != "" {
		b.WriteString(": field '" + e.Field + "'")
	}
	if e.Check == CheckInitConfig {
		b.WriteString(": init config")
		if e.ConfigPath != "" {
			b.WriteString(" at '" + e.ConfigPath + "'")
		}
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Unwrap returns the sentinel of the failed check.
func (e *Error) Unwrap() error { return sentinels[e.Check] }

// Is matches the error's second sentinel, when it has one.
func (e *Error) Is(target error) bool { return e.also != nil && target == e.also }

// Warning is a finding that does not stop loading: something libsinsp
// accepts but that will bite a user later.
type Warning struct {
	Check  Check
	Symbol string
	Field  string
	Msg    string
}

func (w Warning) String() string {
	s := ""
	if w.Symbol != "" {
		s += w.Symbol + ": "
	}
	if w.Field != "" {
		s += "field '" + w.Field + "': "
	}
	return s + w.Msg
}
