package ffi

import (
	"sync"
	"sync/atomic"

	"github.com/ebitengine/purego"

	"github.com/plughost/plughost/pluginapi"
)

// OwnerHooks receives the calls a plugin makes back into its host.
type OwnerHooks interface {
	// Log receives log_fn calls; component is "" when the plugin passed NULL.
	Log(component, msg string, sev pluginapi.LogSeverity)
}

// Owner is the ss_plugin_owner_t a plugin sees: an opaque id, never a Go
// pointer, so a plugin that keeps it cannot pin or corrupt Go memory.
type Owner struct {
	id     uintptr
	hooks  OwnerHooks
	errBuf uintptr // C heap, MaxErrLen bytes, returned by get_owner_last_error
	hasErr atomic.Bool
}

var (
	owners  sync.Map // uintptr -> *Owner
	ownerID atomic.Uintptr
)

// NewOwner registers hooks and returns the owner to pass in init inputs.
// Release it after the plugin state is destroyed.
func NewOwner(hooks OwnerHooks) *Owner {
	o := &Owner{id: ownerID.Add(1), hooks: hooks, errBuf: Alloc(pluginapi.MaxErrLen)}
	owners.Store(o.id, o)
	return o
}

// ID is the value passed as ss_plugin_owner_t*.
func (o *Owner) ID() uintptr { return o.id }

// SetError records the text get_owner_last_error returns next (truncated to
// PLUGIN_MAX_ERRLEN-1 bytes). An empty msg clears it.
func (o *Owner) SetError(msg string) {
	if len(msg) >= pluginapi.MaxErrLen {
		msg = msg[:pluginapi.MaxErrLen-1]
	}
	buf := Bytes(o.errBuf, pluginapi.MaxErrLen)
	n := copy(buf, msg)
	buf[n] = 0
	o.hasErr.Store(msg != "")
}

// Release unregisters the owner and frees its error buffer. Calls made with
// its id afterwards are ignored.
func (o *Owner) Release() {
	if _, loaded := owners.LoadAndDelete(o.id); loaded {
		Free(o.errBuf)
	}
}

func lookupOwner(id uintptr) *Owner {
	v, ok := owners.Load(id)
	if !ok {
		return nil
	}
	return v.(*Owner)
}

// HostCallbacks are C function pointers shared by every plugin; purego
// callbacks are never freed, so they are made once per process.
type HostCallbacks struct {
	LogFn             uintptr
	GetOwnerLastError uintptr
	// Tables points to a C-heap ss_plugin_init_tables_input whose functions
	// report that no table is available. It lives for the whole process.
	Tables uintptr
}

var (
	callbacksOnce sync.Once
	callbacks     HostCallbacks
)

const errNoTables = "the tables API is not supported by this host"

// Callbacks returns the process-wide host callbacks.
func Callbacks() HostCallbacks {
	callbacksOnce.Do(func() {
		// void (*log_fn)(ss_plugin_owner_t* o, const char* component, const char* msg, ss_plugin_log_severity sev);
		callbacks.LogFn = purego.NewCallback(func(owner, component, msg, sev uintptr) {
			o := lookupOwner(owner)
			if o == nil || o.hooks == nil {
				return
			}
			c, _ := GoString(component)
			m, _ := GoString(msg)
			o.hooks.Log(c, m, pluginapi.LogSeverity(uint32(sev)))
		})
		// const char* (*get_owner_last_error)(ss_plugin_owner_t* o);
		callbacks.GetOwnerLastError = purego.NewCallback(func(owner uintptr) uintptr {
			o := lookupOwner(owner)
			if o == nil || !o.hasErr.Load() {
				return 0
			}
			return o.errBuf
		})
		callbacks.Tables = newNoTables()
	})
	return callbacks
}

// newNoTables builds an ss_plugin_init_tables_input whose every entry point
// fails cleanly: C++-SDK plugins dereference the tables input and its
// vtables unconditionally, so none may be NULL.
func newNoTables() uintptr {
	setErr := func(owner uintptr) {
		if o := lookupOwner(owner); o != nil {
			o.SetError(errNoTables)
		}
	}
	// ss_plugin_table_info* (*list_tables)(ss_plugin_owner_t* o, uint32_t* ntables);
	listTables := purego.NewCallback(func(owner, ntables uintptr) uintptr {
		if ntables != 0 {
			Put[uint32](ntables, 0)
		}
		return 0
	})
	// ss_plugin_table_t* (*get_table)(ss_plugin_owner_t* o, const char* name, ss_plugin_state_type key_type);
	getTable := purego.NewCallback(func(owner, name, keyType uintptr) uintptr {
		setErr(owner)
		return 0
	})
	// ss_plugin_rc (*add_table)(ss_plugin_owner_t* o, const ss_plugin_table_input* in);
	addTable := purego.NewCallback(func(owner, in uintptr) uintptr {
		setErr(owner)
		return uintptr(pluginapi.RcFailure)
	})
	// Table-level entry points take a table, not an owner: no table is ever
	// handed out, so they are unreachable in practice and just fail.
	// const ss_plugin_table_fieldinfo* (*list_table_fields)(ss_plugin_table_t* t, uint32_t* nfields);
	listFields := purego.NewCallback(func(t, n uintptr) uintptr {
		if n != 0 {
			Put[uint32](n, 0)
		}
		return 0
	})
	nullFn3 := purego.NewCallback(func(a, b, c uintptr) uintptr { return 0 })
	nullFn2 := purego.NewCallback(func(a, b uintptr) uintptr { return 0 })
	nullFn1 := purego.NewCallback(func(a uintptr) uintptr { return 0 })
	failFn4 := purego.NewCallback(func(a, b, c, d uintptr) uintptr { return uintptr(pluginapi.RcFailure) })
	failFn2 := purego.NewCallback(func(a, b uintptr) uintptr { return uintptr(pluginapi.RcFailure) })
	failFn1 := purego.NewCallback(func(a uintptr) uintptr { return uintptr(pluginapi.RcFailure) })
	voidFn2 := purego.NewCallback(func(a, b uintptr) {})

	fields := pluginapi.TableFieldsVtable{ListTableFields: listFields, GetTableField: nullFn3, AddTableField: nullFn3}
	fieldsExt := Alloc(int(SizeOf[pluginapi.TableFieldsVtable]()))
	Put(fieldsExt, fields)
	readerExt := Alloc(int(SizeOf[pluginapi.TableReaderVtableExt]()))
	Put(readerExt, pluginapi.TableReaderVtableExt{
		GetTableName: nullFn1, GetTableSize: nullFn1, GetTableEntry: nullFn2,
		ReadEntryField: failFn4, ReleaseTableEntry: voidFn2, IterateEntries: nullFn3,
	})
	writerExt := Alloc(int(SizeOf[pluginapi.TableWriterVtable]()))
	Put(writerExt, pluginapi.TableWriterVtable{
		ClearTable: failFn1, EraseTableEntry: failFn2, CreateTableEntry: nullFn1,
		DestroyTableEntry: voidFn2, AddTableEntry: nullFn3, WriteEntryField: failFn4,
	})
	tables := Alloc(int(SizeOf[pluginapi.InitTablesInput]()))
	Put(tables, pluginapi.InitTablesInput{
		ListTables: listTables, GetTable: getTable, AddTable: addTable,
		Fields: fields, FieldsExt: fieldsExt, ReaderExt: readerExt, WriterExt: writerExt,
	})
	return tables
}
