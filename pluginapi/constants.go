package pluginapi

import (
	"strconv"

	"github.com/Masterminds/semver/v3"
)

// Version of the plugin API this host implements.
const (
	APIVersionMajor = 3
	APIVersionMinor = 12
	APIVersionPatch = 0
)

// APIVersion is the implemented framework version as X.Y.Z.
const APIVersion = "3.12.0"

// FrameworkVersion returns the implemented API version parsed as semver.
func FrameworkVersion() *semver.Version {
	return semver.New(APIVersionMajor, APIVersionMinor, APIVersionPatch, "", "")
}

// MaxErrLen is PLUGIN_MAX_ERRLEN: the size of error buffers shared with plugins.
const MaxErrLen = 1024

// DefaultEventSchemaVersion is assumed when a plugin does not state one.
const DefaultEventSchemaVersion = "3.0.0"

// Rc is ss_plugin_rc.
type Rc int32

const (
	RcSuccess      Rc = 0
	RcFailure      Rc = 1
	RcTimeout      Rc = -1
	RcEOF          Rc = 2
	RcNotSupported Rc = 3
)

func (rc Rc) String() string {
	switch rc {
	case RcSuccess:
		return "SS_PLUGIN_SUCCESS"
	case RcFailure:
		return "SS_PLUGIN_FAILURE"
	case RcTimeout:
		return "SS_PLUGIN_TIMEOUT"
	case RcEOF:
		return "SS_PLUGIN_EOF"
	case RcNotSupported:
		return "SS_PLUGIN_NOT_SUPPORTED"
	}
	return "ss_plugin_rc(" + strconv.Itoa(int(rc)) + ")"
}

// FieldType is ss_plugin_field_type.
type FieldType uint32

const (
	FieldTypeUint64  FieldType = 8
	FieldTypeString  FieldType = 9
	FieldTypeRelTime FieldType = 20
	FieldTypeAbsTime FieldType = 21
	FieldTypeBool    FieldType = 25
	FieldTypeIPAddr  FieldType = 40
	FieldTypeIPNet   FieldType = 41
)

var fieldTypeNames = map[FieldType]string{
	FieldTypeUint64:  "uint64",
	FieldTypeString:  "string",
	FieldTypeRelTime: "reltime",
	FieldTypeAbsTime: "abstime",
	FieldTypeBool:    "bool",
	FieldTypeIPAddr:  "ipaddr",
	FieldTypeIPNet:   "ipnet",
}

// String returns the name used in get_fields JSON ("uint64", "ipnet", ...).
func (t FieldType) String() string {
	if n, ok := fieldTypeNames[t]; ok {
		return n
	}
	return "fieldtype(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// ParseFieldType maps a get_fields JSON type name to its FieldType.
func ParseFieldType(name string) (FieldType, bool) {
	for t, n := range fieldTypeNames {
		if n == name {
			return t, true
		}
	}
	return 0, false
}

// SchemaType is ss_plugin_schema_type.
type SchemaType uint32

const (
	SchemaNone SchemaType = 0
	SchemaJSON SchemaType = 1
)

// Capabilities is the plugin_caps_t bit set decided by the loader.
type Capabilities uint32

const (
	CapSourcing         Capabilities = 1 << 0
	CapExtraction       Capabilities = 1 << 1
	CapParsing          Capabilities = 1 << 2
	CapAsync            Capabilities = 1 << 3
	CapCaptureListening Capabilities = 1 << 4
	CapBroken           Capabilities = 1 << 31
)

// capabilityNames lists the capabilities in flag order with the names used by
// plugincheck's JSON output.
var capabilityNames = []struct {
	Cap  Capabilities
	Name string
}{
	{CapSourcing, "sourcing"},
	{CapExtraction, "extraction"},
	{CapParsing, "parsing"},
	{CapAsync, "async"},
	{CapCaptureListening, "capture_listening"},
}

// Has reports whether every bit of c2 is set in c.
func (c Capabilities) Has(c2 Capabilities) bool { return c&c2 == c2 }

// Names returns the names of the set capabilities, in flag order.
func (c Capabilities) Names() []string {
	names := []string{}
	for _, cn := range capabilityNames {
		if c.Has(cn.Cap) {
			names = append(names, cn.Name)
		}
	}
	return names
}

// LogSeverity is ss_plugin_log_severity.
type LogSeverity uint32

const (
	LogFatal    LogSeverity = 1
	LogCritical LogSeverity = 2
	LogError    LogSeverity = 3
	LogWarning  LogSeverity = 4
	LogNotice   LogSeverity = 5
	LogInfo     LogSeverity = 6
	LogDebug    LogSeverity = 7
	LogTrace    LogSeverity = 8
)

// StateType is ss_plugin_state_type (tables API).
type StateType uint32

const (
	StateInt8   StateType = 1
	StateInt16  StateType = 2
	StateInt32  StateType = 3
	StateInt64  StateType = 4
	StateUint8  StateType = 5
	StateUint16 StateType = 6
	StateUint32 StateType = 7
	StateUint64 StateType = 8
	StateString StateType = 9
	StateTable  StateType = 10
	StateBool   StateType = 25
)

// MetricValueType is ss_plugin_metric_value_type.
type MetricValueType uint32

const (
	MetricU32 MetricValueType = 0
	MetricS32 MetricValueType = 1
	MetricU64 MetricValueType = 2
	MetricS64 MetricValueType = 3
	MetricD   MetricValueType = 4
	MetricF   MetricValueType = 5
	MetricI   MetricValueType = 6
)

// MetricType is ss_plugin_metric_type.
type MetricType uint32

const (
	MetricMonotonic    MetricType = 0
	MetricNonMonotonic MetricType = 1
)

// Event type codes of the libscap event table that plugins produce.
const (
	EventTypePlugin uint16 = 322 // PPME_PLUGINEVENT_E
	EventTypeAsync  uint16 = 402 // PPME_ASYNCEVENT_E
)

// ReservedSourceSyscall is the event source no plugin may declare.
const ReservedSourceSyscall = "syscall"
