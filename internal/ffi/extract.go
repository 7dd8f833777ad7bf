package ffi

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/plughost/plughost/pluginapi"
)

// extractJob is shared with the batch driver (extract_amd64.s): every
// member is 8 bytes and its offset is fixed there (J_* there; TestJobLayout
// checks both agree). New members go at the end. It lives on the C heap.
//
// Rows are the positions in evts. The meta record of row r and field f is
// at meta + r*rowbytes + f*8 (rowbytes >= nfields*8, the same for the jobs
// of one extractor, so that one map of byte offsets serves them all), and
// its values follow those of row r-1 in the arena, so arena offsets never
// decrease in row order: a run appends rows after those of earlier runs
// (start = the first new row) and never moves them.
type extractJob struct {
	fn       uintptr // extract_fields
	state    uintptr // ss_plugin_t*
	nevents  uint64  // rows [start, nevents) are processed
	evts     uintptr // const ss_plugin_event** (nevents entries)
	evtnum0  uint64  // evtnum of evts[0] when evtnums is 0: row r is evtnum0+r
	evtin    uintptr // ss_plugin_event_input*
	in       uintptr // ss_plugin_field_extract_input*
	nfields  uint64
	fields   uintptr // ss_plugin_extract_field[nfields]
	kinds    uintptr // uint8[nfields]: copy kind | kindList
	offsets  uintptr // ss_plugin_extract_value_offsets*, or 0
	meta     uintptr // per row, rowbytes of {uint32 count, uint32 arena offset} per field
	voff     uintptr // per row, rowbytes of {uint32 start, uint32 length} per field; or 0
	arena    uintptr
	arenaCap uint64
	arenaLen uint64
	done     uint64  // out: events fully processed
	status   uint64  // out: driverOK...
	detail   uint64  // out: rc for driverRc, field index otherwise
	maxRes   uint64  // largest res_len accepted for a list field
	start    uint64  // in: first event to process
	evtnums  uintptr // uint64[nevents]: the evtnum of each row, or 0 (see evtnum0)
	rowbytes uint64  // bytes between two rows' meta (and voff) records
	maxValue uint64  // largest string or buffer accepted, in bytes
	badSize  uint64  // out: the size of the value past maxValue (driverValue)
}

// Driver outcomes (job.status).
const (
	driverOK     = 0
	driverRc     = 1 // extract_fields did not return SS_PLUGIN_SUCCESS
	driverArena  = 2 // arena too small: grow and resume at done
	driverNull   = 3 // res or a string/buffer pointer was NULL
	driverCount  = 4 // res_len > 1 on a non-list field, or implausibly large
	driverValue  = 5 // a string or buffer of more than maxValue bytes (badSize)
	kindString   = 0
	kindBuffer   = 1
	kindList     = 0x80
	initialArena = 64 << 10
)

// Caps on what one plugin may make the host hold. A result past a cap ends
// the batch at that event with an *ExtractError whose Limit is set.
const (
	// MaxListValues is the most values a list field may return for one
	// event (8 MiB of uint64s).
	MaxListValues = 1 << 20
	// MaxArenaBytes is the most bytes of copied values one extraction
	// job holds for one batch (an ExtractSome series included). Values
	// are addressed by 32-bit arena offsets: the cap keeps every offset
	// far below 4 GiB, so that no value ever reads back wrong.
	MaxArenaBytes = 1 << 30
	// MaxValueBytes is the longest string or buffer value accepted.
	MaxValueBytes = 64 << 20
	// MaxBatchEvents is the most events extracted from one batch: those
	// past it fail with a limit error (capability checks it, as the
	// batch-index maps are sized by it).
	MaxBatchEvents = 1 << 20
	// ChunkEvents is the most events of one driver call: the meta records
	// of an Append grow a chunk at a time, as the events are extracted, so
	// a batch claiming many events costs only what is extracted of it.
	ChunkEvents = 1 << 16
)

// arenaLimit is MaxArenaBytes, lowered by tests (SetArenaLimitForTest).
var arenaLimit uint64 = MaxArenaBytes

// SetArenaLimitForTest lowers the arena cap to n bytes and returns the
// function that restores it. For tests only; not safe for concurrent use.
func SetArenaLimitForTest(n uint64) (restore func()) {
	old := arenaLimit
	arenaLimit = n
	return func() { arenaLimit = old }
}

// extractBatchABI0 is the address of plughost_extract_batch (amd64 only).
var extractBatchABI0 uintptr

// ExtractSpec is one field of an extract_fields request.
type ExtractSpec struct {
	FieldID    uint32
	Name       string
	ArgKey     string // passed only when HasKey
	HasKey     bool
	ArgIndex   uint64
	ArgPresent bool
	Type       pluginapi.FieldType
	List       bool
}

func kindOf(t pluginapi.FieldType) uint8 {
	switch t {
	case pluginapi.FieldTypeString:
		return kindString
	case pluginapi.FieldTypeIPAddr, pluginapi.FieldTypeIPNet:
		return kindBuffer
	case pluginapi.FieldTypeBool:
		return 4
	default:
		return 8
	}
}

// ExtractJob runs extract_fields for one fixed request over many events with
// as few FFI transitions as possible: on amd64 a whole batch is one call into
// plughost_extract_batch. Results are copied into a host-owned C arena and
// stay valid until the next Run or Reset; Append adds rows to them. An
// ExtractJob is not safe for concurrent use.
type ExtractJob struct {
	job       *extractJob // C heap
	jobAddr   uintptr
	nfields   int
	rowBytes  int       // job.rowbytes
	capEvents int       // rows the meta records have room for
	room      int       // rows the Append calls after the last Reset may fill
	sizes     []uint8   // value size per field: 8, 4, or 0 for length-prefixed records
	cstrings  []uintptr // field names and arg keys, freed by Free
	callArgs  []uintptr // {jobAddr}: a variadic Call would allocate its arguments
	portArgs  []uintptr // the portable driver's extract_fields arguments
	useGo     bool      // force the portable driver (tests, non-amd64)
}

// NewExtractJob prepares the C-side request for specs. source is the event
// source name passed to the plugin in every event input.
func NewExtractJob(api *API, state uintptr, owner *Owner, source string, specs []ExtractSpec, wantOffsets bool) *ExtractJob {
	cb := Callbacks()
	j := &ExtractJob{nfields: len(specs), rowBytes: 8 * len(specs), useGo: extractBatchABI0 == 0, sizes: make([]uint8, len(specs))}
	j.jobAddr = Alloc(int(SizeOf[extractJob]()))
	j.callArgs = []uintptr{j.jobAddr}
	j.portArgs = make([]uintptr, 3)
	j.job = (*extractJob)(pointer(j.jobAddr))
	job := j.job
	job.fn = api.ExtractFields
	job.state = state
	job.nfields = uint64(len(specs))
	job.rowbytes = uint64(j.rowBytes)
	job.maxRes = MaxListValues
	job.maxValue = MaxValueBytes

	src := CString(source)
	j.cstrings = append(j.cstrings, src)
	job.evtin = Alloc(int(SizeOf[pluginapi.EventInput]()))
	Put(job.evtin, pluginapi.EventInput{Evtsrc: src})

	job.fields = Alloc(len(specs) * int(SizeOf[pluginapi.ExtractField]()))
	job.kinds = Alloc(len(specs))
	kinds := Bytes(job.kinds, len(specs))
	for i, s := range specs {
		name := CString(s.Name)
		j.cstrings = append(j.cstrings, name)
		f := pluginapi.ExtractField{FieldID: s.FieldID, Field: name, Ftype: uint32(s.Type), ArgIndex: s.ArgIndex}
		if s.ArgPresent {
			f.ArgPresent = 1
		}
		if s.ArgPresent && s.HasKey {
			key := CString(s.ArgKey)
			j.cstrings = append(j.cstrings, key)
			f.ArgKey = key
		}
		if s.List {
			f.Flist = 1
		}
		Put(Index[pluginapi.ExtractField](job.fields, i), f)
		kinds[i] = kindOf(s.Type)
		if kinds[i] > kindBuffer {
			j.sizes[i] = kinds[i]
		}
		if s.List {
			kinds[i] |= kindList
		}
	}
	if wantOffsets {
		job.offsets = Alloc(int(SizeOf[pluginapi.ExtractValueOffsets]()))
	}
	job.in = Alloc(int(SizeOf[pluginapi.FieldExtractInput]()))
	Put(job.in, pluginapi.FieldExtractInput{
		Owner: owner.ID(), GetOwnerLastError: cb.GetOwnerLastError,
		NumFields: uint32(len(specs)), Fields: job.fields,
		TableReaderExt: tablesReaderExt(cb.Tables), ValueOffsets: job.offsets,
	})
	job.arena = Alloc(initialArena)
	job.arenaCap = initialArena
	j.ensureEvents(0)
	return j
}

func tablesReaderExt(tables uintptr) uintptr {
	return Get[pluginapi.InitTablesInput](tables).ReaderExt
}

// UsePortableDriver makes Run call extract_fields once per event from Go
// (the non-amd64 path); tests use it to check both drivers agree.
func (j *ExtractJob) UsePortableDriver() { j.useGo = true }

// SetRowBytes sets the bytes between two rows' meta records, at least 8 per
// field (the default), so that several jobs share one map of row offsets
// (see Column). It drops every row.
func (j *ExtractJob) SetRowBytes(n int) {
	if n < 8*j.nfields || n%8 != 0 || n >= 1<<24 {
		panic(fmt.Sprintf("plughost/ffi: %d bytes per row for %d fields", n, j.nfields))
	}
	j.freeRows()
	j.rowBytes, j.job.rowbytes = n, uint64(n)
	j.capEvents = 0
	j.job.arenaLen, j.job.done = 0, 0
	j.ensureEvents(0)
}

// RowBytes is the number of bytes between two rows' meta records.
func (j *ExtractJob) RowBytes() int { return j.rowBytes }

// ensureEvents is ensureRows for host-sized requests: it panics when the
// C heap is exhausted.
func (j *ExtractJob) ensureEvents(n int) {
	if err := j.ensureRows(n); err != nil {
		panic("plughost/ffi: " + err.Error())
	}
}

// ensureRows makes room for n rows, keeping the records of the rows before
// Rows() (a growth moves them). The meta records are preceded by one row
// of zero records (count 0): row -1, which Column reads for events without
// a row. It grows by doubling, but not past the room of the last Reset.
func (j *ExtractJob) ensureRows(n int) error {
	if n <= j.capEvents && j.job.meta != 0 {
		return nil
	}
	c := max(n, min(2*j.capEvents, max(j.room, n)), 16)
	size := c * j.rowBytes
	meta, err := TryAlloc(size + j.rowBytes)
	if err != nil {
		return err
	}
	var voff uintptr
	if j.job.offsets != 0 {
		if voff, err = TryAlloc(size); err != nil {
			Free(meta)
			return err
		}
	}
	meta += uintptr(j.rowBytes)
	if keep := int(j.job.done) * j.rowBytes; keep > 0 && j.job.meta != 0 {
		copy(Bytes(meta, keep), Bytes(j.job.meta, keep))
		if voff != 0 {
			copy(Bytes(voff, keep), Bytes(j.job.voff, keep))
		}
	}
	j.freeRows()
	j.job.meta, j.job.voff = meta, voff
	j.capEvents = c
	return nil
}

// freeRows frees the meta and voff arrays.
func (j *ExtractJob) freeRows() {
	if j.job.meta != 0 {
		Free(j.job.meta - uintptr(j.rowBytes))
	}
	Free(j.job.voff)
	j.job.meta, j.job.voff = 0, 0
}

// growArena doubles the arena, up to arenaLimit; it fails when the arena
// is at the limit already or when the C heap cannot satisfy the request.
func (j *ExtractJob) growArena() error {
	if j.job.arenaCap >= arenaLimit {
		return &ExtractError{Index: int(j.job.done), Field: int(j.job.detail), Limit: true,
			Msg: fmt.Sprintf("the values extracted from this batch need more than the host's cap of %d bytes (MaxArenaBytes); the events before this one keep theirs", arenaLimit)}
	}
	c := min(2*j.job.arenaCap+1, arenaLimit)
	next, err := TryAlloc(int(c))
	if err != nil {
		return &ExtractError{Index: int(j.job.done), Field: int(j.job.detail), Limit: true,
			Msg: fmt.Sprintf("cannot grow the buffer of extracted values to %d bytes: %v", c, err)}
	}
	copy(Bytes(next, int(j.job.arenaLen)), Bytes(j.job.arena, int(j.job.arenaLen)))
	Free(j.job.arena)
	j.job.arena, j.job.arenaCap = next, c
	return nil
}

// ExtractError reports why a batch stopped at event Index.
type ExtractError struct {
	Index int // event index in the batch
	Field int // request index, or -1 when the call itself failed
	Rc    pluginapi.Rc
	Msg   string
	Limit bool // a host cap was exceeded or host memory ran out
}

func (e *ExtractError) Error() string { return e.Msg }

// Run extracts for n events whose pointers are in the C array evts (plugin
// memory from next_batch, valid for this call), event i having evtnum
// evtnum0+i. It returns how many events have results; on a failure at event
// k it returns k and an *ExtractError. It is Reset(n) then Append.
func (j *ExtractJob) Run(evts uintptr, n int, evtnum0 uint64) (int, error) {
	j.Reset(n)
	return j.Append(evts, 0, 0, n, evtnum0)
}

// Reset drops every row and allows rows rows in all to the Append calls
// until the next Reset. The records are allocated as Append fills them, a
// chunk (ChunkEvents) at a time.
func (j *ExtractJob) Reset(rows int) {
	j.job.arenaLen, j.job.done = 0, 0
	j.room = rows
}

// Rows is the number of rows with results (those before a failure).
func (j *ExtractJob) Rows() int { return int(j.job.done) }

// Truncate keeps the first rows rows (at most Rows()) and drops the others
// with their arena bytes, so that the next Append starts at row rows.
func (j *ExtractJob) Truncate(rows int) {
	job := j.job
	if rows >= int(job.done) {
		return
	}
	if j.nfields > 0 {
		// The offset of row rows' first value is where its bytes begin.
		job.arenaLen = uint64(Get[uint32](job.meta + uintptr(rows*j.rowBytes) + 4))
	}
	job.done = uint64(rows)
}

// Append extracts rows [from, to) of the C array of event pointers evts and
// keeps the rows before from: from must be Rows(), and to at most the room
// of the last Reset. evtnums is a C array of one uint64 evtnum per row of
// evts, or 0 when row r is event evtnum0+r. It returns the number of rows
// with results: to, or on a failure at row k, k and an *ExtractError.
func (j *ExtractJob) Append(evts, evtnums uintptr, from, to int, evtnum0 uint64) (int, error) {
	job := j.job
	if from != int(job.done) || to < from || to > j.room {
		panic(fmt.Sprintf("plughost/ffi: Append rows [%d, %d) after %d rows, room for %d", from, to, job.done, j.room))
	}
	for from < to {
		end := min(to, from+ChunkEvents)
		if err := j.ensureRows(end); err != nil {
			return from, &ExtractError{Index: from, Field: -1, Limit: true,
				Msg: fmt.Sprintf("cannot allocate the result records of events %d to %d (%d bytes each): %v", from, end-1, j.rowBytes, err)}
		}
		if n, err := j.appendChunk(evts, evtnums, from, end, evtnum0); err != nil {
			return n, err
		}
		from = end
	}
	return to, nil
}

// appendChunk runs the driver over rows [from, to), with room for them.
func (j *ExtractJob) appendChunk(evts, evtnums uintptr, from, to int, evtnum0 uint64) (int, error) {
	job := j.job
	job.evts, job.nevents, job.evtnum0, job.evtnums = evts, uint64(to), evtnum0, evtnums
	job.start = uint64(from)
	for {
		if j.useGo {
			j.runPortable()
		} else {
			Call(extractBatchABI0, j.callArgs...)
		}
		switch job.status {
		case driverOK:
			return to, nil
		case driverArena:
			// Retry the event that did not fit with 2x the room.
			if err := j.growArena(); err != nil {
				return int(job.done), err
			}
			job.start = job.done
			continue
		case driverRc:
			return int(job.done), &ExtractError{Index: int(job.done), Field: -1, Rc: pluginapi.Rc(int32(job.detail)),
				Msg: fmt.Sprintf("extract_fields returned %s", pluginapi.Rc(int32(job.detail)))}
		case driverNull:
			return int(job.done), &ExtractError{Index: int(job.done), Field: int(job.detail),
				Msg: "extract_fields returned a NULL value pointer"}
		case driverValue:
			return int(job.done), &ExtractError{Index: int(job.done), Field: int(job.detail), Limit: true,
				Msg: fmt.Sprintf("extract_fields returned a value of %d bytes, more than the host's cap of %d bytes per value (MaxValueBytes)", job.badSize, MaxValueBytes)}
		case driverCount:
			if f := int(job.detail); Bytes(job.kinds, j.nfields)[f]&kindList != 0 {
				n := Get[pluginapi.ExtractField](Index[pluginapi.ExtractField](job.fields, f)).ResLen
				return int(job.done), &ExtractError{Index: int(job.done), Field: f, Limit: true,
					Msg: fmt.Sprintf("extract_fields returned %d values for list field, more than the host's cap of %d values (MaxListValues)", n, MaxListValues)}
			}
			return int(job.done), &ExtractError{Index: int(job.done), Field: int(job.detail),
				Msg: "extract_fields returned several values for a field that is not a list"}
		default:
			panic("plughost/ffi: unknown extract driver status")
		}
	}
}

// Values returns the copied values of request f for event i: for fixed-size
// types count*size bytes; for strings and buffers, count records of a
// little-endian u32 length followed by the bytes. The view is valid until
// the next Run.
func (j *ExtractJob) Values(i, f int) []byte {
	_, values, _, _ := j.Read(i, f)
	return values
}

// Free releases the C memory of the job.
func (j *ExtractJob) Free() {
	if j.job == nil {
		return
	}
	job := j.job
	j.freeRows()
	for _, p := range []uintptr{job.evtin, job.fields, job.kinds, job.offsets, job.arena, job.in} {
		Free(p)
	}
	for _, p := range j.cstrings {
		Free(p)
	}
	j.job = nil
	Free(j.jobAddr)
}

// runPortable is plughost_extract_batch in Go: one FFI call per event.
func (j *ExtractJob) runPortable() {
	job := j.job
	kinds := Bytes(job.kinds, j.nfields)
	for i := job.start; i < job.nevents; i++ {
		job.done = i
		in := (*pluginapi.EventInput)(pointer(job.evtin))
		in.Evt = Get[uintptr](job.evts + uintptr(i)*8)
		in.Evtnum = job.evtnum0 + i
		if job.evtnums != 0 {
			in.Evtnum = Get[uint64](job.evtnums + uintptr(i)*8)
		}
		for f := 0; f < j.nfields; f++ {
			fp := (*pluginapi.ExtractField)(pointer(Index[pluginapi.ExtractField](job.fields, f)))
			fp.Res, fp.ResLen = 0, 0
		}
		if job.offsets != 0 {
			Put(job.offsets, pluginapi.ExtractValueOffsets{})
		}
		j.portArgs[0], j.portArgs[1], j.portArgs[2] = job.state, job.evtin, job.in
		if rc := int32(Call(job.fn, j.portArgs...)); rc != 0 {
			job.status, job.detail = driverRc, uint64(int64(rc))
			return
		}
		restore := job.arenaLen
		fail := func(status uint64, f int) {
			job.arenaLen, job.status, job.detail = restore, status, uint64(f)
		}
		for f := 0; f < j.nfields; f++ {
			fp := (*pluginapi.ExtractField)(pointer(Index[pluginapi.ExtractField](job.fields, f)))
			cnt, kind := fp.ResLen, kinds[f]
			if cnt > 1 && (kind&kindList == 0 || cnt > job.maxRes) {
				fail(driverCount, f)
				return
			}
			meta := job.meta + uintptr(int(i)*j.rowBytes+f*8)
			Put(meta, uint32(cnt))
			Put(meta+4, uint32(job.arenaLen))
			if cnt == 0 {
				continue
			}
			if fp.Res == 0 {
				fail(driverNull, f)
				return
			}
			appendArena := func(b []byte, withLen bool) bool {
				need := uint64(len(b))
				if withLen {
					need += 4
				}
				if job.arenaLen+need > job.arenaCap {
					return false
				}
				dst := Bytes(job.arena+uintptr(job.arenaLen), int(need))
				if withLen {
					binary.LittleEndian.PutUint32(dst, uint32(len(b)))
					dst = dst[4:]
				}
				copy(dst, b)
				job.arenaLen += need
				return true
			}
			switch k := kind &^ kindList; k {
			case kindString:
				for v := uint64(0); v < cnt; v++ {
					p := Get[uintptr](fp.Res + uintptr(v)*8)
					if p == 0 {
						fail(driverNull, f)
						return
					}
					n := Strlen(p)
					if uint64(n) > job.maxValue {
						fail(driverValue, f)
						job.badSize = uint64(n)
						return
					}
					if !appendArena(Bytes(p, n), true) {
						fail(driverArena, f)
						return
					}
				}
			case kindBuffer:
				for v := uint64(0); v < cnt; v++ {
					bb := Get[pluginapi.ByteBuffer](fp.Res + uintptr(v)*16)
					if uint64(bb.Len) > job.maxValue {
						fail(driverValue, f)
						job.badSize = uint64(bb.Len)
						return
					}
					if bb.Len > 0 && bb.Ptr == 0 {
						fail(driverNull, f)
						return
					}
					if !appendArena(Bytes(bb.Ptr, int(bb.Len)), true) {
						fail(driverArena, f)
						return
					}
				}
			default:
				if !appendArena(Bytes(fp.Res, int(cnt)*int(k)), false) {
					fail(driverArena, f)
					return
				}
			}
		}
		if job.voff != 0 {
			vo := Get[pluginapi.ExtractValueOffsets](job.offsets)
			for f := 0; f < j.nfields; f++ {
				var start, length uint32
				if vo.Start != 0 {
					start = Get[uint32](vo.Start + uintptr(f)*4)
				}
				if vo.Length != 0 {
					length = Get[uint32](vo.Length + uintptr(f)*4)
				}
				p := job.voff + uintptr(int(i)*j.rowBytes+f*8)
				Put(p, start)
				Put(p+4, length)
			}
		}
	}
	job.done, job.status = job.nevents, driverOK
}

// Read returns Count, Values and Offset of request f for row i at once.
func (j *ExtractJob) Read(i, f int) (count int, values []byte, start, length uint32) {
	meta := j.job.meta + uintptr(i*j.rowBytes+f*8)
	count = int(Get[uint32](meta))
	if count > 0 {
		p := j.job.arena + uintptr(Get[uint32](meta+4))
		n := count * int(j.sizes[f])
		if j.sizes[f] == 0 { // length-prefixed records
			for range count {
				n += 4 + int(Get[uint32](p+uintptr(n)))
			}
		}
		values = Bytes(p, n)
	}
	if j.job.voff != 0 {
		p := j.job.voff + uintptr(i*j.rowBytes+f*8)
		start, length = Get[uint32](p), Get[uint32](p+4)
	}
	return count, values, start, length
}

// FirstUint64 reads the first 8-byte value of request f for row i.
func (j *ExtractJob) FirstUint64(i, f int) (uint64, bool) {
	meta := j.job.meta + uintptr(i*j.rowBytes+f*8)
	if Get[uint32](meta) == 0 {
		return 0, false
	}
	return Get[uint64](j.job.arena + uintptr(Get[uint32](meta+4))), true
}

// Column reads one request's values by batch index, through a map from
// batch index to the byte offset of the event's row of meta records (row
// r: r*RowBytes(); -RowBytes() for events without a row), with a couple of
// loads per value. Its methods are small enough to inline in a consumer
// loop, and it is four words, so that the compiler keeps it in registers
// (a larger struct is copied to the stack at every inlined call).
//
// A meta record holds the count in its low half and the arena offset of
// the values in its high half. Row -1 is a row of zero records (see
// ensureEvents), so an event without a row reads a count of 0 with no
// branch. The arena address (16-byte aligned) carries the kind of the
// values in its low two bits. recs and arena are C memory.
type Column struct {
	recs  unsafe.Pointer // the request's meta record of row 0
	offOf unsafe.Pointer // *int32: the row offset of each event i < n
	arena unsafe.Pointer // arena + colRecords, col4 or col8
	n     uint
}

// Kinds of column values, in the low bits of Column.arena.
const (
	colRecords = 1 // length-prefixed records (strings, buffers)
	col4       = 2 // 4-byte values
	col8       = 3 // 8-byte values
)

// Column returns the reader for request f, batch event i's records being
// at byte offset offOf[i] from row 0: every entry must be r*RowBytes() for
// a row r below Rows(), or -RowBytes(). It is valid until the next Run,
// Reset, Truncate or Append, and while offOf is unchanged.
func (j *ExtractJob) Column(f int, offOf []int32) Column {
	if j.job.arena&3 != 0 {
		panic("plughost/ffi: misaligned arena")
	}
	kind := uintptr(colRecords)
	switch j.sizes[f] {
	case 4:
		kind = col4
	case 8:
		kind = col8
	}
	c := Column{recs: pointer(j.job.meta + uintptr(8*f)), arena: pointer(j.job.arena + kind), n: uint(len(offOf))}
	if len(offOf) > 0 {
		c.offOf = unsafe.Pointer(&offOf[0])
	}
	return c
}

// The readers below each repeat the lookup of event i's meta record,
// *(*uint64)(unsafe.Add(c.recs, offOf[i])), rather than call a helper:
// every inlined call costs budget, and BytesAt needs all of its own.

// Count is the number of values of batch event i (0 when absent or out of
// range).
func (c Column) Count(i int) int {
	if uint(i) >= c.n {
		return 0
	}
	return int(*(*uint32)(unsafe.Add(c.recs, *(*int32)(unsafe.Add(c.offOf, 4*i)))))
}

// First64 reads the first 8-byte value of batch event i; ok is false when
// absent (or the values are not 8 bytes).
func (c Column) First64(i int) (uint64, bool) {
	if uint(i) < c.n && uintptr(c.arena)&3 == col8 {
		if rec := *(*uint64)(unsafe.Add(c.recs, *(*int32)(unsafe.Add(c.offOf, 4*i)))); uint32(rec) != 0 {
			return *(*uint64)(unsafe.Add(c.arena, int(rec>>32)-col8)), true
		}
	}
	return 0, false
}

// errColumn is the panic of a read outside a column's values.
const errColumn = "plughost: column read of an absent value, an element index out of range or another type"

// Uint64At reads element k of batch event i's 8-byte values; it panics
// unless 0 <= k < Count(i).
func (c Column) Uint64At(i, k int) uint64 {
	var rec uint64
	if uint(i) < c.n {
		rec = *(*uint64)(unsafe.Add(c.recs, *(*int32)(unsafe.Add(c.offOf, 4*i))))
	}
	if uint(k) >= uint(uint32(rec)) || uintptr(c.arena)&3 != col8 {
		panic(errColumn)
	}
	return *(*uint64)(unsafe.Add(c.arena, int(rec>>32)+8*k-col8))
}

// Uint32At reads element k of batch event i's 4-byte values; it panics
// unless 0 <= k < Count(i).
func (c Column) Uint32At(i, k int) uint32 {
	var rec uint64
	if uint(i) < c.n {
		rec = *(*uint64)(unsafe.Add(c.recs, *(*int32)(unsafe.Add(c.offOf, 4*i))))
	}
	if uint(k) >= uint(uint32(rec)) || uintptr(c.arena)&3 != col4 {
		panic(errColumn)
	}
	return *(*uint32)(unsafe.Add(c.arena, int(rec>>32)+4*k-col4))
}

// BytesAt returns element k of batch event i's length-prefixed records, a
// view of the arena; it panics unless 0 <= k < Count(i).
func (c Column) BytesAt(i, k int) []byte {
	var rec uint64
	if uint(i) < c.n {
		rec = *(*uint64)(unsafe.Add(c.recs, *(*int32)(unsafe.Add(c.offOf, 4*i))))
	}
	if uint(k) >= uint(uint32(rec)) || uintptr(c.arena)&3 != colRecords {
		panic(errColumn)
	}
	p := (*uint32)(unsafe.Add(c.arena, int(rec>>32)-colRecords))
	for range k {
		p = (*uint32)(unsafe.Add(unsafe.Pointer(p), 4+*p))
	}
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(p), 4)), *p)
}
