package pluginapi

// The structs below mirror plugin_api.h/plugin_types.h field by field.
// C pointers are uintptr: the memory they point to is owned as each comment
// says, and only internal/ffi dereferences them.

// EventInput is ss_plugin_event_input. Evt points at a packed event; Evtsrc
// at a NUL-terminated source name. Both are host memory lent for one call.
type EventInput struct {
	Evt    uintptr // const ss_plugin_event*
	Evtnum uint64
	Evtsrc uintptr // const char*
}

// ByteBuffer is ss_plugin_byte_buffer (ipaddr/ipnet values).
type ByteBuffer struct {
	Len uint32
	_   uint32
	Ptr uintptr // const void*
}

// ExtractValueOffsets is ss_plugin_extract_value_offsets: two arrays with
// one entry per requested field, allocated by the plugin.
type ExtractValueOffsets struct {
	Start  uintptr // uint32_t*
	Length uintptr // uint32_t*
}

// ExtractField is ss_plugin_extract_field. The host fills the request part;
// the plugin writes Res and ResLen, pointing into plugin memory that stays
// valid only until the next extract_fields call.
type ExtractField struct {
	Res        uintptr // union of pointers to arrays of results
	ResLen     uint64
	FieldID    uint32
	_          uint32
	Field      uintptr // const char*
	ArgKey     uintptr // const char*
	ArgIndex   uint64
	ArgPresent uint32 // ss_plugin_bool
	Ftype      uint32
	Flist      uint32 // ss_plugin_bool
	_          uint32
}

// TableFieldsVtable is ss_plugin_table_fields_vtable (and its _ext twin,
// which has the same members).
type TableFieldsVtable struct {
	ListTableFields uintptr
	GetTableField   uintptr
	AddTableField   uintptr
}

// TableReaderVtable is ss_plugin_table_reader_vtable.
type TableReaderVtable struct {
	GetTableName   uintptr
	GetTableSize   uintptr
	GetTableEntry  uintptr
	ReadEntryField uintptr
}

// TableReaderVtableExt is ss_plugin_table_reader_vtable_ext.
type TableReaderVtableExt struct {
	GetTableName      uintptr
	GetTableSize      uintptr
	GetTableEntry     uintptr
	ReadEntryField    uintptr
	ReleaseTableEntry uintptr
	IterateEntries    uintptr
}

// TableWriterVtable is ss_plugin_table_writer_vtable (and its _ext twin).
type TableWriterVtable struct {
	ClearTable        uintptr
	EraseTableEntry   uintptr
	CreateTableEntry  uintptr
	DestroyTableEntry uintptr
	AddTableEntry     uintptr
	WriteEntryField   uintptr
}

// TableInput is ss_plugin_table_input (a table offered by a plugin).
type TableInput struct {
	Name      uintptr
	KeyType   uint32
	_         uint32
	Table     uintptr
	Reader    TableReaderVtable
	Writer    TableWriterVtable
	Fields    TableFieldsVtable
	ReaderExt uintptr
	WriterExt uintptr
	FieldsExt uintptr
}

// InitTablesInput is ss_plugin_init_tables_input.
type InitTablesInput struct {
	ListTables uintptr
	GetTable   uintptr
	AddTable   uintptr
	Fields     TableFieldsVtable
	FieldsExt  uintptr
	ReaderExt  uintptr
	WriterExt  uintptr
}

// InitInput is ss_plugin_init_input. Everything it points to is host memory
// valid for the whole life of the plugin state.
type InitInput struct {
	Config            uintptr // const char*
	Owner             uintptr // ss_plugin_owner_t*
	GetOwnerLastError uintptr // const char* (*)(ss_plugin_owner_t*)
	Tables            uintptr // const ss_plugin_init_tables_input*
	LogFn             uintptr // ss_plugin_log_fn_t
}

// FieldExtractInput is ss_plugin_field_extract_input.
type FieldExtractInput struct {
	Owner             uintptr
	GetOwnerLastError uintptr
	NumFields         uint32
	_                 uint32
	Fields            uintptr // ss_plugin_extract_field*
	TableReader       TableReaderVtable
	TableReaderExt    uintptr
	ValueOffsets      uintptr // ss_plugin_extract_value_offsets*
}

// EventParseInput is ss_plugin_event_parse_input.
type EventParseInput struct {
	Owner             uintptr
	GetOwnerLastError uintptr
	TableReader       TableReaderVtable
	TableWriter       TableWriterVtable
	TableReaderExt    uintptr
	TableWriterExt    uintptr
}

// SetConfigInput is ss_plugin_set_config_input.
type SetConfigInput struct {
	Config uintptr
}

// RoutineVtable is ss_plugin_routine_vtable.
type RoutineVtable struct {
	Subscribe   uintptr
	Unsubscribe uintptr
}

// CaptureListenInput is ss_plugin_capture_listen_input.
type CaptureListenInput struct {
	Owner             uintptr
	Routine           uintptr // ss_plugin_routine_vtable*
	TableReaderExt    uintptr
	TableWriterExt    uintptr
	GetOwnerLastError uintptr
}

// TableInfo is ss_plugin_table_info.
type TableInfo struct {
	Name    uintptr
	KeyType uint32
	_       uint32
}

// TableFieldInfo is ss_plugin_table_fieldinfo.
type TableFieldInfo struct {
	Name      uintptr
	FieldType uint32
	ReadOnly  uint32
}

// StateData is the ss_plugin_state_data union (8 bytes).
type StateData struct {
	Bits uint64
}

// Metric is ss_plugin_metric. Value holds the ss_plugin_metric_value union.
type Metric struct {
	Name      uintptr
	Type      uint32
	_         uint32
	Value     uint64
	ValueType uint32
	_         uint32
}
