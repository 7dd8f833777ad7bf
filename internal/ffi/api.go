package ffi

import (
	"math"
	"unsafe"

	"github.com/plughost/plughost/pluginapi"
)

// API holds the addresses of a plugin's exported plugin_* functions; 0 means
// the symbol is absent. Each method binds one function; its C prototype is
// in the comment above it. Strings returned by a plugin are copied before
// the method returns, so callers never see plugin memory.
type API struct {
	GetRequiredAPIVersion         uintptr
	GetVersion                    uintptr
	GetName                       uintptr
	GetDescription                uintptr
	GetContact                    uintptr
	GetInitSchema                 uintptr
	Init                          uintptr
	Destroy                       uintptr
	GetLastError                  uintptr
	GetID                         uintptr
	GetEventSource                uintptr
	Open                          uintptr
	Close                         uintptr
	NextBatch                     uintptr
	GetProgress                   uintptr
	ListOpenParams                uintptr
	EventToString                 uintptr
	GetFields                     uintptr
	ExtractFields                 uintptr
	GetExtractEventSources        uintptr
	GetExtractEventTypes          uintptr
	GetParseEventTypes            uintptr
	GetParseEventSources          uintptr
	ParseEvent                    uintptr
	GetAsyncEventSources          uintptr
	GetAsyncEvents                uintptr
	SetAsyncEventHandler          uintptr
	DumpState                     uintptr
	SetConfig                     uintptr
	GetMetrics                    uintptr
	CaptureOpen                   uintptr
	CaptureClose                  uintptr
	GetRequiredEventSchemaVersion uintptr
}

// Symbol names without the "plugin_" prefix, in plugin_api order.
var symbolTable = []struct {
	name string
	addr func(*API) *uintptr
}{
	{"get_required_api_version", func(a *API) *uintptr { return &a.GetRequiredAPIVersion }},
	{"get_version", func(a *API) *uintptr { return &a.GetVersion }},
	{"get_name", func(a *API) *uintptr { return &a.GetName }},
	{"get_description", func(a *API) *uintptr { return &a.GetDescription }},
	{"get_contact", func(a *API) *uintptr { return &a.GetContact }},
	{"get_init_schema", func(a *API) *uintptr { return &a.GetInitSchema }},
	{"init", func(a *API) *uintptr { return &a.Init }},
	{"destroy", func(a *API) *uintptr { return &a.Destroy }},
	{"get_last_error", func(a *API) *uintptr { return &a.GetLastError }},
	{"get_id", func(a *API) *uintptr { return &a.GetID }},
	{"get_event_source", func(a *API) *uintptr { return &a.GetEventSource }},
	{"open", func(a *API) *uintptr { return &a.Open }},
	{"close", func(a *API) *uintptr { return &a.Close }},
	{"next_batch", func(a *API) *uintptr { return &a.NextBatch }},
	{"get_progress", func(a *API) *uintptr { return &a.GetProgress }},
	{"list_open_params", func(a *API) *uintptr { return &a.ListOpenParams }},
	{"event_to_string", func(a *API) *uintptr { return &a.EventToString }},
	{"get_fields", func(a *API) *uintptr { return &a.GetFields }},
	{"extract_fields", func(a *API) *uintptr { return &a.ExtractFields }},
	{"get_extract_event_sources", func(a *API) *uintptr { return &a.GetExtractEventSources }},
	{"get_extract_event_types", func(a *API) *uintptr { return &a.GetExtractEventTypes }},
	{"get_parse_event_types", func(a *API) *uintptr { return &a.GetParseEventTypes }},
	{"get_parse_event_sources", func(a *API) *uintptr { return &a.GetParseEventSources }},
	{"parse_event", func(a *API) *uintptr { return &a.ParseEvent }},
	{"get_async_event_sources", func(a *API) *uintptr { return &a.GetAsyncEventSources }},
	{"get_async_events", func(a *API) *uintptr { return &a.GetAsyncEvents }},
	{"set_async_event_handler", func(a *API) *uintptr { return &a.SetAsyncEventHandler }},
	{"dump_state", func(a *API) *uintptr { return &a.DumpState }},
	{"set_config", func(a *API) *uintptr { return &a.SetConfig }},
	{"get_metrics", func(a *API) *uintptr { return &a.GetMetrics }},
	{"capture_open", func(a *API) *uintptr { return &a.CaptureOpen }},
	{"capture_close", func(a *API) *uintptr { return &a.CaptureClose }},
	{"get_required_event_schema_version", func(a *API) *uintptr { return &a.GetRequiredEventSchemaVersion }},
}

// ResolveAPI looks up every plugin_* symbol of the API in lib.
func ResolveAPI(lib *Library) *API {
	a := &API{}
	for _, s := range symbolTable {
		*s.addr(a) = lib.Sym("plugin_" + s.name)
	}
	return a
}

// Has reports whether the symbol plugin_<name> was found.
func (a *API) Has(name string) bool {
	for _, s := range symbolTable {
		if s.name == name {
			return *s.addr(a) != 0
		}
	}
	return false
}

func callString(fn uintptr, args ...uintptr) (string, bool) {
	return GoString(Call(fn, args...))
}

// const char* plugin_get_required_api_version();
func (a *API) RequiredAPIVersion() (string, bool) { return callString(a.GetRequiredAPIVersion) }

// const char* plugin_get_version();
func (a *API) Version() (string, bool) { return callString(a.GetVersion) }

// const char* plugin_get_name();
func (a *API) Name() (string, bool) { return callString(a.GetName) }

// const char* plugin_get_description();
func (a *API) Description() (string, bool) { return callString(a.GetDescription) }

// const char* plugin_get_contact();
func (a *API) Contact() (string, bool) { return callString(a.GetContact) }

// const char* plugin_get_init_schema(ss_plugin_schema_type* schema_type);
func (a *API) InitSchema() (string, pluginapi.SchemaType, bool) {
	var typ uint32
	s, ok := GoString(Call(a.GetInitSchema, uintptr(unsafe.Pointer(&typ))))
	return s, pluginapi.SchemaType(typ), ok
}

// ss_plugin_t* plugin_init(const ss_plugin_init_input* input, ss_plugin_rc* rc);
// in is C memory that must outlive the returned state.
func (a *API) CallInit(in uintptr) (state uintptr, rc pluginapi.Rc) {
	var r int32 = int32(pluginapi.RcFailure)
	state = Call(a.Init, in, uintptr(unsafe.Pointer(&r)))
	return state, pluginapi.Rc(r)
}

// void plugin_destroy(ss_plugin_t* s);
func (a *API) CallDestroy(state uintptr) { Call(a.Destroy, state) }

// const char* plugin_get_last_error(ss_plugin_t* s);
func (a *API) LastError(state uintptr) (string, bool) { return callString(a.GetLastError, state) }

// uint32_t plugin_get_id();
func (a *API) ID() uint32 { return uint32(Call(a.GetID)) }

// const char* plugin_get_event_source();
func (a *API) EventSource() (string, bool) { return callString(a.GetEventSource) }

// const char* plugin_get_fields();
func (a *API) Fields() (string, bool) { return callString(a.GetFields) }

// const char* plugin_get_extract_event_sources();
func (a *API) ExtractEventSources() (string, bool) { return callString(a.GetExtractEventSources) }

// const char* plugin_get_parse_event_sources();
func (a *API) ParseEventSources() (string, bool) { return callString(a.GetParseEventSources) }

// const char* plugin_get_async_event_sources();
func (a *API) AsyncEventSources() (string, bool) { return callString(a.GetAsyncEventSources) }

// const char* plugin_get_async_events();
func (a *API) AsyncEvents() (string, bool) { return callString(a.GetAsyncEvents) }

// const char* plugin_get_required_event_schema_version(ss_plugin_t* s);
func (a *API) RequiredEventSchemaVersion(state uintptr) (string, bool) {
	return callString(a.GetRequiredEventSchemaVersion, state)
}

// eventTypes copies a plugin-owned uint16 array of n entries.
func eventTypes(fn, state uintptr) []uint16 {
	var n uint32
	p := Call(fn, uintptr(unsafe.Pointer(&n)), state)
	if p == 0 || n == 0 {
		return nil
	}
	out := make([]uint16, n)
	for i := range out {
		out[i] = Get[uint16](Index[uint16](p, i))
	}
	return out
}

// uint16_t* plugin_get_extract_event_types(uint32_t* numtypes, ss_plugin_t* s);
func (a *API) ExtractEventTypes(state uintptr) []uint16 {
	return eventTypes(a.GetExtractEventTypes, state)
}

// uint16_t* plugin_get_parse_event_types(uint32_t* numtypes, ss_plugin_t* s);
func (a *API) ParseEventTypes(state uintptr) []uint16 {
	return eventTypes(a.GetParseEventTypes, state)
}

// ss_plugin_rc plugin_set_config(ss_plugin_t* s, const ss_plugin_set_config_input* i);
func (a *API) CallSetConfig(state uintptr, config string) pluginapi.Rc {
	c := CString(config)
	defer Free(c)
	in := &pluginapi.SetConfigInput{Config: c}
	return pluginapi.Rc(int32(Call(a.SetConfig, state, uintptr(unsafe.Pointer(in)))))
}

// Metric is a copied ss_plugin_metric.
type Metric struct {
	Name      string
	Type      pluginapi.MetricType
	ValueType pluginapi.MetricValueType
	Value     uint64 // raw union bits
}

// ss_plugin_metric* plugin_get_metrics(ss_plugin_t* s, uint32_t* num_metrics);
func (a *API) Metrics(state uintptr) []Metric {
	var n uint32
	p := Call(a.GetMetrics, state, uintptr(unsafe.Pointer(&n)))
	if p == 0 || n == 0 {
		return nil
	}
	out := make([]Metric, n)
	for i := range out {
		m := Get[pluginapi.Metric](Index[pluginapi.Metric](p, i))
		name, _ := GoString(m.Name)
		out[i] = Metric{Name: name, Type: pluginapi.MetricType(m.Type), ValueType: pluginapi.MetricValueType(m.ValueType), Value: m.Value}
	}
	return out
}

// MetricValue reads the ss_plugin_metric_value union as a float64.
func MetricValue(t pluginapi.MetricValueType, bits uint64) float64 {
	switch t {
	case pluginapi.MetricU32:
		return float64(uint32(bits))
	case pluginapi.MetricS32, pluginapi.MetricI:
		return float64(int32(uint32(bits)))
	case pluginapi.MetricU64:
		return float64(bits)
	case pluginapi.MetricS64:
		return float64(int64(bits))
	case pluginapi.MetricD:
		return math.Float64frombits(bits)
	case pluginapi.MetricF:
		return float64(math.Float32frombits(uint32(bits)))
	}
	return 0
}

// NoneFound reports that the library exports no plugin_* symbol at all.
func (a *API) NoneFound() bool {
	for _, s := range symbolTable {
		if *s.addr(a) != 0 {
			return false
		}
	}
	return true
}

// ss_instance_t* plugin_open(ss_plugin_t* s, const char* params, ss_plugin_rc* rc);
func (a *API) CallOpen(state uintptr, params string) (uintptr, pluginapi.Rc) {
	p := CString(params)
	defer Free(p)
	var rc int32 = int32(pluginapi.RcFailure)
	inst := Call(a.Open, state, p, uintptr(unsafe.Pointer(&rc)))
	return inst, pluginapi.Rc(rc)
}

// void plugin_close(ss_plugin_t* s, ss_instance_t* h);
func (a *API) CallClose(state, inst uintptr) { Call(a.Close, state, inst) }

// NextBatchOut is C memory for next_batch's two out-parameters, and the
// call's argument slice, allocated once per stream so that reading a batch
// allocates nothing (a variadic Call allocates its arguments: purego's
// SyscallN makes them escape).
type NextBatchOut struct {
	p    uintptr
	args []uintptr
}

// NewNextBatchOut allocates the out-parameters; Free releases them.
func NewNextBatchOut() NextBatchOut { return NextBatchOut{p: Alloc(16), args: make([]uintptr, 4)} }

// Free releases the out-parameters.
func (o NextBatchOut) Free() { Free(o.p) }

// ss_plugin_rc plugin_next_batch(ss_plugin_t* s, ss_instance_t* h, uint32_t* nevts, ss_plugin_event*** evts);
// The returned array and events belong to the plugin until the next
// next_batch or close.
func (a *API) CallNextBatch(state, inst uintptr, out NextBatchOut) (n uint32, evts uintptr, rc pluginapi.Rc) {
	Put[uint32](out.p, 0)
	Put[uintptr](out.p+8, 0)
	out.args[0], out.args[1], out.args[2], out.args[3] = state, inst, out.p, out.p+8
	r := int32(Call(a.NextBatch, out.args...))
	return Get[uint32](out.p), Get[uintptr](out.p + 8), pluginapi.Rc(r)
}

// EventAt reads entry i of a C array of event pointers.
func EventAt(evts uintptr, i int) uintptr { return Get[uintptr](evts + uintptr(i)*8) }

// const char* plugin_list_open_params(ss_plugin_t* s, ss_plugin_rc* rc);
func (a *API) CallListOpenParams(state uintptr) (string, bool, pluginapi.Rc) {
	var rc int32 = int32(pluginapi.RcFailure)
	s, ok := GoString(Call(a.ListOpenParams, state, uintptr(unsafe.Pointer(&rc))))
	return s, ok, pluginapi.Rc(rc)
}

// const char* plugin_get_progress(ss_plugin_t* s, ss_instance_t* h, uint32_t* progress_pct);
func (a *API) CallGetProgress(state, inst uintptr) (string, uint32) {
	var pct uint32
	s, _ := GoString(Call(a.GetProgress, state, inst, uintptr(unsafe.Pointer(&pct))))
	return s, pct
}

// const char* plugin_event_to_string(ss_plugin_t* s, const ss_plugin_event_input* evt);
// evt is an event in C memory.
func (a *API) CallEventToString(state, evt uintptr, evtnum uint64, source string) (string, bool) {
	src := CString(source)
	defer Free(src)
	in := Alloc(int(SizeOf[pluginapi.EventInput]()))
	defer Free(in)
	Put(in, pluginapi.EventInput{Evt: evt, Evtnum: evtnum, Evtsrc: src})
	return GoString(Call(a.EventToString, state, in))
}

// LastErrorOr returns get_last_error's text, or fallback for a NULL state.
func (a *API) LastErrorOr(state uintptr, fallback string) string {
	if state == 0 {
		return fallback
	}
	s, ok := a.LastError(state)
	if !ok {
		return fallback
	}
	return s
}

// CMem is a C heap buffer owned by the host.
type CMem struct {
	Addr uintptr
	Len  int
}

// NewCMem copies b into C memory.
func NewCMem(b []byte) CMem {
	m := CMem{Addr: Alloc(len(b)), Len: len(b)}
	copy(Bytes(m.Addr, len(b)), b)
	return m
}

// Free releases the buffer.
func (m CMem) Free() { Free(m.Addr) }
