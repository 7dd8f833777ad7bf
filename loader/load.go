package loader

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/Masterminds/semver/v3"

	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/pluginapi"
)

// Options configure Load. The zero value is valid: check against the
// implemented API version, no RTLD_DEEPBIND, Go plugins on one P.
type Options struct {
	// APIVersion is the framework version X.Y.Z the plugin is checked
	// against; empty means pluginapi.APIVersion.
	APIVersion string
	// DeepBind adds RTLD_DEEPBIND to dlopen. Off by default, as in libsinsp:
	// it breaks hosts with another allocator and made a Go host streaming
	// through Go plugins much slower; see RATIONALE.md.
	DeepBind bool
	// GoMaxProcs is the GOMAXPROCS a plugin that embeds a Go runtime starts
	// with, read by that runtime when the library is mapped. 0 means the
	// host default (1, see RATIONALE.md); -1 leaves the environment as is.
	// It has no effect on a library already loaded in this process.
	GoMaxProcs int
	// Logger receives the plugin's log_fn messages; nil means slog.Default().
	Logger *slog.Logger
}

// Plugin is a loaded and validated plugin library, not yet initialized:
// everything here was read from the library before plugin_init.
type Plugin struct {
	Path               string
	Name               string
	Version            string
	RequiredAPIVersion string
	Description        string
	Contact            string
	Capabilities       pluginapi.Capabilities

	// Sourcing: ID is 0 and EventSource empty for an "id 0" plugin that
	// produces events of any libscap type.
	ID          uint32
	EventSource string

	Fields              []Field
	ExtractEventSources []string // empty: compatible with every source
	ParseEventSources   []string
	AsyncEventSources   []string
	AsyncEvents         []string

	InitSchema string // JSON Schema; empty when the plugin declares none

	// GoRuntime reports that the library embeds a Go runtime; it is never
	// dlclose'd.
	GoRuntime bool

	Warnings []Warning

	fieldIndex   map[string]int // Fields by name, built by Load
	indexedLen   int            // len(Fields) when fieldIndex was built
	indexedFirst *Field         // &Fields[0] then

	lib    *ffi.Library
	api    *ffi.API
	schema *compiledSchema
	opts   Options
}

// Has reports whether the plugin has capability c.
func (p *Plugin) Has(c pluginapi.Capabilities) bool { return p.Capabilities.Has(c) }

// Field returns the named field of the plugin's schema. For a Plugin
// returned by Load or Inspect it takes constant time, from an index built at
// load; if the caller has replaced Fields or changed its length, it scans.
// Renaming a field in place is not seen by the index.
func (p *Plugin) Field(name string) (Field, bool) {
	if p.indexed() {
		if i, ok := p.fieldIndex[name]; ok {
			return p.Fields[i], true
		}
		return Field{}, false
	}
	for _, f := range p.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// indexed reports whether fieldIndex still describes Fields.
func (p *Plugin) indexed() bool {
	return p.fieldIndex != nil && len(p.Fields) == p.indexedLen && len(p.Fields) > 0 && &p.Fields[0] == p.indexedFirst
}

func (p *Plugin) indexFields() {
	p.fieldIndex = make(map[string]int, len(p.Fields))
	for i, f := range p.Fields {
		p.fieldIndex[f.Name] = i
	}
	p.indexedLen = len(p.Fields)
	if len(p.Fields) > 0 {
		p.indexedFirst = &p.Fields[0]
	}
}

var requiredSymbols = []string{
	"get_required_api_version", "get_version", "get_name", "get_description",
	"get_contact", "init", "destroy", "get_last_error",
}

// Registry conventions (falcosecurity/plugins registry.yaml); warnings only.
var (
	registryNamePattern   = regexp.MustCompile(`^[a-z]+[a-z0-9-_]*$`)
	registrySourcePattern = regexp.MustCompile(`^[a-z]+[a-z0-9_]*$`)
	registryReserved      = map[string]bool{"internal": true, "plugins": true}
)

const maxRegistryID = 1<<30 - 1

// dlopenMu serializes dlopen so the temporary GOMAXPROCS environment of one
// load is not seen by another.
var dlopenMu sync.Mutex

// Load opens the library at path and validates it as libsinsp does, in its
// order, plus the stricter rules documented on each check. On failure it
// returns an *Error; a library that failed validation after dlopen stays
// mapped only if it embeds a Go runtime.
//
// path is always a file path. A name without a slash, such as
// "libdummy.so", is the file of that name in the working directory: Load
// hands dlopen "./libdummy.so", never the bare name, which dlopen would
// look up on the library search path (LD_LIBRARY_PATH, ld.so.cache,
// /lib...) instead. Plugin.Path and Error.Path keep path as given.
func Load(path string, opts Options) (*Plugin, error) {
	p, err := Inspect(path, opts)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Inspect is Load for tools that report on a plugin: when validation fails
// it also returns the Plugin as read up to the failed check (metadata,
// warnings), which cannot be initialized. It returns nil with the error
// when the file could not be opened at all. path is read as by Load.
func Inspect(path string, opts Options) (*Plugin, error) {
	p := &Plugin{Path: path, opts: opts}
	fail := func(c Check, symbol, field, format string, args ...any) error {
		return &Error{Path: path, Plugin: p.Name, Check: c, Symbol: symbol, Field: field, Msg: fmt.Sprintf(format, args...)}
	}

	framework := pluginapi.FrameworkVersion()
	if opts.APIVersion != "" {
		v, err := parseVersion(opts.APIVersion)
		if err != nil {
			return nil, fail(CheckAPIVersion, "", "", "framework API version %v", err)
		}
		framework = v
	}

	facts, problem := inspectLibrary(path)
	if problem != "" {
		return nil, fail(CheckLibrary, "", "", "%s", problem)
	}
	p.GoRuntime = facts.goRuntime
	lib, err := openLibrary(dlopenPath(path), facts, opts)
	if err != nil {
		return nil, fail(CheckLibrary, "", "", "can't load plugin dynamic library: %v", err)
	}
	p.lib, p.api = lib, ffi.ResolveAPI(lib)
	if p.api.NoneFound() {
		p.unload()
		return nil, fail(CheckLibrary, "", "", "exports none of the plugin API's plugin_* symbols; not a Falco plugin")
	}
	if err := p.validate(framework, fail); err != nil {
		p.unload()
		return p, err
	}
	return p, nil
}

func openLibrary(path string, facts libraryFacts, opts Options) (*ffi.Library, error) {
	flags := ffi.RTLDNow | ffi.RTLDLocal
	if opts.DeepBind {
		flags |= ffi.RTLDDeepBind
	}
	dlopenMu.Lock()
	defer dlopenMu.Unlock()
	if !facts.goRuntime || opts.GoMaxProcs < 0 {
		return ffi.Open(path, flags)
	}
	procs := opts.GoMaxProcs
	if procs == 0 {
		procs = DefaultGoMaxProcs
	}
	var lib *ffi.Library
	var err error
	envErr := ffi.WithStartupEnv("GOMAXPROCS", strconv.Itoa(procs), func() {
		lib, err = ffi.Open(path, flags)
		if err == nil {
			// Any exported Go function waits until the plugin's runtime has
			// started, i.e. has read its environment.
			if sym := lib.Sym("plugin_get_required_api_version"); sym != 0 {
				ffi.Call(sym)
			}
		}
	})
	if envErr != nil && err == nil {
		slog.Warn("plughost: cannot set GOMAXPROCS for a Go plugin; it uses the process environment", "path", path, "error", envErr)
	}
	return lib, err
}

// DefaultGoMaxProcs is the GOMAXPROCS a Go plugin starts with unless
// Options.GoMaxProcs says otherwise. With more than one P the Go SDK hands
// every extract call to a spinning worker goroutine, which made each call
// from a C caller 30-80x slower on 2 cores (BENCHMARKS.md); the plugin's own
// goroutines still run, on one P.
const DefaultGoMaxProcs = 1

// unload releases the library unless it embeds a Go runtime, whose threads
// would keep running unmapped code.
func (p *Plugin) unload() {
	if p.lib != nil && !p.GoRuntime {
		_ = p.lib.Close()
	}
	p.lib = nil
}

type failFunc func(c Check, symbol, field, format string, args ...any) error

func (p *Plugin) validate(framework *semver.Version, fail failFunc) error {
	api := p.api

	// 1. Required API version, before anything else is called.
	if api.GetRequiredAPIVersion == 0 {
		return fail(CheckRequiredSymbols, "", "", "required symbol not implemented: 'get_required_api_version'")
	}
	reqStr, notNull := api.RequiredAPIVersion()
	if !notNull {
		return fail(CheckAPIVersion, "plugin_get_required_api_version", "", "returned NULL instead of a version string")
	}
	p.RequiredAPIVersion = reqStr
	req, err := parseVersion(reqStr)
	if err != nil {
		return fail(CheckAPIVersion, "plugin_get_required_api_version", "", "plugin provided an invalid required API version: %v", err)
	}
	if why := checkAPICompat(req, framework); why != "" {
		return fail(CheckAPIVersion, "", "", "plugin required API version '%s' not compatible with the framework's API version '%s': %s", reqStr, framework, why)
	}

	// 2. Required symbols.
	for _, s := range requiredSymbols {
		if !api.Has(s) {
			return fail(CheckRequiredSymbols, "", "", "required symbol not implemented: '%s'", s)
		}
	}

	// 3. Info strings: NULL reads as "", like libsinsp; an empty name is ours.
	var nameOK, descOK, contactOK bool
	p.Name, nameOK = api.Name()
	p.Description, descOK = api.Description()
	p.Contact, contactOK = api.Contact()
	for _, info := range []struct {
		symbol string
		value  *string
	}{{"plugin_get_name", &p.Name}, {"plugin_get_description", &p.Description}, {"plugin_get_contact", &p.Contact}} {
		if at := invalidUTF8(*info.value); at >= 0 {
			*info.value = strings.ToValidUTF8(*info.value, "\uFFFD")
			return fail(CheckInfo, info.symbol, "", "returned invalid UTF-8 at byte %d", at)
		}
	}
	if p.Name == "" {
		what := "an empty string"
		if !nameOK {
			what = "NULL"
		}
		return fail(CheckInfo, "plugin_get_name", "", "returned %s; a plugin needs a name", what)
	}
	if !registryNamePattern.MatchString(p.Name) {
		p.warn(CheckInfo, "plugin_get_name", "", "name '%s' does not follow the plugin registry convention ^[a-z]+[a-z0-9-_]*$", p.Name)
	}
	if !descOK {
		p.warn(CheckInfo, "plugin_get_description", "", "returned NULL")
	}
	if !contactOK {
		p.warn(CheckInfo, "plugin_get_contact", "", "returned NULL")
	}

	// 4. The plugin's own version.
	ver, verOK := api.Version()
	p.Version = ver
	if !verOK {
		return fail(CheckVersion, "plugin_get_version", "", "returned NULL instead of a version string")
	}
	if _, err := parseVersion(ver); err != nil {
		return fail(CheckVersion, "plugin_get_version", "", "plugin provided an invalid version string: %v", err)
	}

	// 5. Capabilities, exactly as plugin_loader.c decides them.
	caps, broken, id, source := detectCapabilities(api)
	p.Capabilities = caps
	if len(broken) > 0 {
		return fail(CheckCapabilities, "", "", "broken plugin capabilities: %s", strings.Join(broken, ", "))
	}
	if caps == 0 {
		return fail(CheckCapabilities, "", "", "plugin does not implement any capability")
	}

	// 6. Sourcing id and source.
	// get_id and get_event_source were read once, by detectCapabilities: a
	// plugin whose answers change between calls cannot contradict itself.
	if p.Has(pluginapi.CapSourcing) && id != 0 {
		p.ID, p.EventSource = id, source
		if at := invalidUTF8(p.EventSource); at >= 0 {
			p.EventSource = strings.ToValidUTF8(p.EventSource, "\uFFFD")
			return fail(CheckEventSource, "plugin_get_event_source", "", "returned invalid UTF-8 at byte %d", at)
		}
		if p.EventSource == pluginapi.ReservedSourceSyscall {
			return fail(CheckEventSource, "plugin_get_event_source", "", "plugin can't implement the reserved event source '%s'", p.EventSource)
		}
		if registryReserved[p.EventSource] {
			p.warn(CheckEventSource, "plugin_get_event_source", "", "event source '%s' is reserved by the plugin registry", p.EventSource)
		} else if !registrySourcePattern.MatchString(p.EventSource) {
			p.warn(CheckEventSource, "plugin_get_event_source", "", "event source '%s' does not follow the plugin registry convention ^[a-z]+[a-z0-9_]*$", p.EventSource)
		}
		if p.ID > maxRegistryID {
			p.warn(CheckEventSource, "plugin_get_id", "", "id %d is above the plugin registry's maximum %d", p.ID, maxRegistryID)
		}
	}

	// 7. Fields.
	if p.Has(pluginapi.CapExtraction) {
		js, notNull := api.Fields()
		if !notNull {
			return fail(CheckFields, "plugin_get_fields", "", "get_fields returned a null string")
		}
		if at := invalidUTF8(js); at >= 0 {
			return fail(CheckFields, "plugin_get_fields", "", "returned invalid UTF-8 at byte %d of its JSON", at)
		}
		fields, warnings, err := parseFields(js)
		if err != nil {
			fe := err.(*fieldError)
			return fail(CheckFields, "plugin_get_fields", fe.field, "%s", fe.msg)
		}
		p.Fields = fields
		p.indexFields()
		p.Warnings = append(p.Warnings, warnings...)
	}

	// 8. Event source lists.
	lists := []struct {
		capability pluginapi.Capabilities
		symbol     string
		fn         func() (string, bool)
		present    bool
		dst        *[]string
	}{
		{pluginapi.CapExtraction, "plugin_get_extract_event_sources", api.ExtractEventSources, api.GetExtractEventSources != 0, &p.ExtractEventSources},
		{pluginapi.CapParsing, "plugin_get_parse_event_sources", api.ParseEventSources, api.GetParseEventSources != 0, &p.ParseEventSources},
		{pluginapi.CapAsync, "plugin_get_async_event_sources", api.AsyncEventSources, api.GetAsyncEventSources != 0, &p.AsyncEventSources},
	}
	for _, l := range lists {
		if !p.Has(l.capability) {
			continue
		}
		list := []string{}
		if l.present {
			// NULL or "" means "every source", as in libsinsp.
			if js, _ := l.fn(); js != "" {
				if at := invalidUTF8(js); at >= 0 {
					return fail(CheckEventSources, l.symbol, "", "returned invalid UTF-8 at byte %d of its JSON", at)
				}
				if list, err = parseSourceList(js); err != nil {
					return fail(CheckEventSources, l.symbol, "", "%v", err)
				}
			}
		}
		// A source plugin always serves its own source.
		if p.EventSource != "" && !contains(list, p.EventSource) {
			list = append(list, p.EventSource)
		}
		*l.dst = list
	}

	// 9. Async event names: a non-empty array (libsinsp allows "[]"; we don't:
	// a plugin that can send no named event cannot send any).
	if p.Has(pluginapi.CapAsync) {
		js, _ := api.AsyncEvents()
		if js == "" {
			return fail(CheckAsyncEvents, "plugin_get_async_events", "", "returned an empty string; want a JSON array of async event names")
		}
		if at := invalidUTF8(js); at >= 0 {
			return fail(CheckAsyncEvents, "plugin_get_async_events", "", "returned invalid UTF-8 at byte %d of its JSON", at)
		}
		names, err := parseSourceList(js)
		if err != nil {
			return fail(CheckAsyncEvents, "plugin_get_async_events", "", "%v", err)
		}
		if len(names) == 0 {
			return fail(CheckAsyncEvents, "plugin_get_async_events", "", "returned an empty array; a plugin with the async capability must declare at least one event name")
		}
		p.AsyncEvents = names
	}

	// 10. Init schema (libsinsp checks it at init; we check it at load).
	if api.GetInitSchema != 0 {
		schema, typ, _ := api.InitSchema()
		switch {
		case typ == pluginapi.SchemaNone || schema == "":
		case typ != pluginapi.SchemaJSON:
			return fail(CheckInitSchema, "plugin_get_init_schema", "", "returned an unknown schema type %d", typ)
		default:
			if at := invalidUTF8(schema); at >= 0 {
				return fail(CheckInitSchema, "plugin_get_init_schema", "", "returned invalid UTF-8 at byte %d of its JSON", at)
			}
			if err := schemaLimits(schema); err != nil {
				return p.schemaFail(fail, err)
			}
			var obj map[string]any
			if err := json.Unmarshal([]byte(schema), &obj); err != nil || obj == nil {
				return fail(CheckInitSchema, "plugin_get_init_schema", "", "did not return a json object")
			}
			cs, err := compileSchema(schema)
			if se, ok := err.(*schemaError); ok {
				return p.schemaFail(fail, se)
			}
			if err != nil {
				return fail(CheckInitSchema, "plugin_get_init_schema", "", "not a valid JSON Schema: %v", err)
			}
			p.InitSchema, p.schema = schema, cs
		}
	}
	return nil
}

func (p *Plugin) schemaFail(fail failFunc, se *schemaError) error {
	err := fail(CheckInitSchema, "plugin_get_init_schema", "", "%s", se.msg)
	if se.limit {
		err.(*Error).also = ErrInitSchemaLimit
	}
	return err
}

func (p *Plugin) warn(c Check, symbol, field, format string, args ...any) {
	p.Warnings = append(p.Warnings, Warning{Check: c, Symbol: symbol, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// detectCapabilities mirrors plugin_get_capabilities: each capability needs
// its symbols together; a partial set is "broken" with libsinsp's message.
// It calls get_id and get_event_source (of a plugin with open, close and
// next_batch) once each and returns their answers.
func detectCapabilities(api *ffi.API) (caps pluginapi.Capabilities, broken []string, id uint32, src string) {
	switch {
	case api.Open != 0 && api.Close != 0 && api.NextBatch != 0:
		if api.GetID != 0 {
			id = api.ID()
		}
		if api.GetEventSource != 0 {
			src, _ = api.EventSource()
		}
		if (id != 0) == (src != "") {
			caps |= pluginapi.CapSourcing
		} else {
			broken = append(broken, "must implement both 'plugin_get_id' and 'plugin_get_event_source' or neither (event sourcing)")
		}
	case api.Open != 0 || api.Close != 0 || api.NextBatch != 0:
		broken = append(broken, "must implement all of 'plugin_open', 'plugin_close', and 'plugin_next_batch' (event sourcing)")
	}
	switch {
	case api.GetFields != 0 && api.ExtractFields != 0:
		caps |= pluginapi.CapExtraction
	case api.ExtractFields != 0:
		broken = append(broken, "must implement both 'plugin_get_fields' and 'plugin_extract_fields' (field extraction)")
	}
	if api.ParseEvent != 0 {
		caps |= pluginapi.CapParsing
	}
	switch {
	case api.GetAsyncEvents != 0 && api.SetAsyncEventHandler != 0:
		caps |= pluginapi.CapAsync
	case api.SetAsyncEventHandler != 0:
		broken = append(broken, "must implement both 'plugin_get_async_events' and 'plugin_set_async_event_handler' (async events)")
	}
	switch {
	case api.CaptureOpen != 0 && api.CaptureClose != 0:
		caps |= pluginapi.CapCaptureListening
	case api.CaptureOpen != 0:
		broken = append(broken, "must implement both 'plugin_capture_open' and 'plugin_capture_close' (capture listening)")
	}
	return caps, broken, id, src
}

// invalidUTF8 is the byte offset of the first invalid UTF-8 sequence in s,
// or -1. Go would silently read such bytes as U+FFFD.
func invalidUTF8(s string) int {
	if utf8.ValidString(s) {
		return -1
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return i
			}
		}
	}
	return -1
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
