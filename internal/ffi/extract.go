package ffi

import (
	"encoding/binary"
	"fmt"

	"github.com/plughost/plughost/pluginapi"
)

// extractJob is shared with the batch driver (extract_amd64.s): every
// member is 8 bytes and its offset is fixed there. It lives on the C heap.
type extractJob struct {
	fn       uintptr // extract_fields
	state    uintptr // ss_plugin_t*
	nevents  uint64
	evts     uintptr // const ss_plugin_event** (nevents entries)
	evtnum0  uint64  // evtnum of evts[0]
	evtin    uintptr // ss_plugin_event_input*
	in       uintptr // ss_plugin_field_extract_input*
	nfields  uint64
	fields   uintptr // ss_plugin_extract_field[nfields]
	kinds    uintptr // uint8[nfields]: copy kind | kindList
	offsets  uintptr // ss_plugin_extract_value_offsets*, or 0
	meta     uintptr // uint32[nevents*nfields*2]: count, arena offset
	voff     uintptr // uint32[nevents*nfields*2]: start, length; or 0
	arena    uintptr
	arenaCap uint64
	arenaLen uint64
	done     uint64 // out: events fully processed
	status   uint64 // out: driverOK...
	detail   uint64 // out: rc for driverRc, field index otherwise
	maxRes   uint64 // largest res_len accepted for a list field
	start    uint64 // in: first event to process
}

// Driver outcomes (job.status).
const (
	driverOK     = 0
	driverRc     = 1 // extract_fields did not return SS_PLUGIN_SUCCESS
	driverArena  = 2 // arena too small: grow and resume at done
	driverNull   = 3 // res or a string/buffer pointer was NULL
	driverCount  = 4 // res_len > 1 on a non-list field, or implausibly large
	kindString   = 0
	kindBuffer   = 1
	kindList     = 0x80
	maxListLen   = 1 << 20
	initialArena = 64 << 10
)

// extractBatchABI0 is the address of plughost_extract_batch (amd64 only).
var extractBatchABI0 uintptr

// ExtractSpec is one field of an extract_fields request.
type ExtractSpec struct {
	FieldID    uint32
	Name       string
	ArgKey     string
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
// stay valid until the next Run. An ExtractJob is not safe for concurrent use.
type ExtractJob struct {
	job       *extractJob // C heap
	jobAddr   uintptr
	nfields   int
	capEvents int
	cstrings  []uintptr // field names and arg keys, freed by Free
	useGo     bool      // force the portable driver (tests, non-amd64)
}

// NewExtractJob prepares the C-side request for specs. source is the event
// source name passed to the plugin in every event input.
func NewExtractJob(api *API, state uintptr, owner *Owner, source string, specs []ExtractSpec, wantOffsets bool) *ExtractJob {
	cb := Callbacks()
	j := &ExtractJob{nfields: len(specs), useGo: extractBatchABI0 == 0}
	j.jobAddr = Alloc(int(SizeOf[extractJob]()))
	j.job = (*extractJob)(pointer(j.jobAddr))
	job := j.job
	job.fn = api.ExtractFields
	job.state = state
	job.nfields = uint64(len(specs))
	job.maxRes = maxListLen

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
			key := CString(s.ArgKey)
			j.cstrings = append(j.cstrings, key)
			f.ArgKey = key
		}
		if s.List {
			f.Flist = 1
		}
		Put(Index[pluginapi.ExtractField](job.fields, i), f)
		kinds[i] = kindOf(s.Type)
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
	return j
}

func tablesReaderExt(tables uintptr) uintptr {
	return Get[pluginapi.InitTablesInput](tables).ReaderExt
}

// UsePortableDriver makes Run call extract_fields once per event from Go
// (the non-amd64 path); tests use it to check both drivers agree.
func (j *ExtractJob) UsePortableDriver() { j.useGo = true }

func (j *ExtractJob) ensureEvents(n int) {
	if n <= j.capEvents {
		return
	}
	c := max(n, 2*j.capEvents, 16)
	size := c * j.nfields * 8
	Free(j.job.meta)
	j.job.meta = Alloc(size)
	if j.job.offsets != 0 {
		Free(j.job.voff)
		j.job.voff = Alloc(size)
	}
	j.capEvents = c
}

func (j *ExtractJob) growArena(atLeast uint64) {
	c := max(2*j.job.arenaCap, atLeast)
	next := Alloc(int(c))
	copy(Bytes(next, int(j.job.arenaLen)), Bytes(j.job.arena, int(j.job.arenaLen)))
	Free(j.job.arena)
	j.job.arena, j.job.arenaCap = next, c
}

// ExtractError reports why a batch stopped at event Index.
type ExtractError struct {
	Index int // event index in the batch
	Field int // request index, or -1 when the call itself failed
	Rc    pluginapi.Rc
	Msg   string
}

func (e *ExtractError) Error() string { return e.Msg }

// Run extracts for n events whose pointers are in the C array evts (plugin
// memory from next_batch, valid for this call). It returns how many events
// have results; on a failure at event k it returns k and an *ExtractError.
func (j *ExtractJob) Run(evts uintptr, n int, evtnum0 uint64) (int, error) {
	j.ensureEvents(n)
	job := j.job
	job.evts, job.nevents, job.evtnum0 = evts, uint64(n), evtnum0
	job.arenaLen, job.start = 0, 0
	for {
		if j.useGo {
			j.runPortable()
		} else {
			Call(extractBatchABI0, j.jobAddr)
		}
		switch job.status {
		case driverOK:
			return n, nil
		case driverArena:
			// Retry the event that did not fit with at least 2x the room.
			j.growArena(2*job.arenaCap + 1)
			job.start = job.done
			continue
		case driverRc:
			return int(job.done), &ExtractError{Index: int(job.done), Field: -1, Rc: pluginapi.Rc(int32(job.detail)),
				Msg: fmt.Sprintf("extract_fields returned %s", pluginapi.Rc(int32(job.detail)))}
		case driverNull:
			return int(job.done), &ExtractError{Index: int(job.done), Field: int(job.detail),
				Msg: "extract_fields returned a NULL value pointer"}
		case driverCount:
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
	for _, p := range []uintptr{job.evtin, job.fields, job.kinds, job.offsets, job.meta, job.voff, job.arena, job.in} {
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
		for f := 0; f < j.nfields; f++ {
			fp := (*pluginapi.ExtractField)(pointer(Index[pluginapi.ExtractField](job.fields, f)))
			fp.Res, fp.ResLen = 0, 0
		}
		if job.offsets != 0 {
			Put(job.offsets, pluginapi.ExtractValueOffsets{})
		}
		if rc := int32(Call(job.fn, job.state, job.evtin, job.in)); rc != 0 {
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
			meta := job.meta + uintptr((int(i)*j.nfields+f)*8)
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
					if !appendArena(Bytes(p, Strlen(p)), true) {
						fail(driverArena, f)
						return
					}
				}
			case kindBuffer:
				for v := uint64(0); v < cnt; v++ {
					bb := Get[pluginapi.ByteBuffer](fp.Res + uintptr(v)*16)
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
				p := job.voff + uintptr((int(i)*j.nfields+f)*8)
				Put(p, start)
				Put(p+4, length)
			}
		}
	}
	job.done, job.status = job.nevents, driverOK
}

// Read returns Count, Values and Offset of request f for event i at once.
func (j *ExtractJob) Read(i, f int) (count int, values []byte, start, length uint32) {
	idx := i*j.nfields + f
	meta := j.job.meta + uintptr(idx*8)
	count = int(Get[uint32](meta))
	if count > 0 {
		off := Get[uint32](meta + 4)
		end := uint32(j.job.arenaLen)
		if idx+1 < int(j.job.done)*j.nfields {
			end = Get[uint32](meta + 12)
		}
		values = Bytes(j.job.arena+uintptr(off), int(end-off))
	}
	if j.job.voff != 0 {
		p := j.job.voff + uintptr(idx*8)
		start, length = Get[uint32](p), Get[uint32](p+4)
	}
	return count, values, start, length
}

// FirstUint64 reads the first 8-byte value of request f for event i.
func (j *ExtractJob) FirstUint64(i, f int) (uint64, bool) {
	meta := j.job.meta + uintptr((i*j.nfields+f)*8)
	if Get[uint32](meta) == 0 {
		return 0, false
	}
	return Get[uint64](j.job.arena + uintptr(Get[uint32](meta+4))), true
}

// Column reads one request's first values across the events of the last
// Run with two loads per event; small enough to inline in a consumer loop.
type Column struct {
	meta   uintptr // meta record of event 0
	stride uintptr // bytes between two events' meta records
	arena  uintptr
	n      int
}

// Column returns the reader for request f over the first rows events
// (never more than the last Run completed).
func (j *ExtractJob) Column(f, rows int) Column {
	return Column{meta: j.job.meta + uintptr(f*8), stride: uintptr(j.nfields * 8), arena: j.job.arena, n: min(rows, int(j.job.done))}
}

// Uint64 reads the first 8-byte value of event i; ok is false when absent.
func (c Column) Uint64(i int) (uint64, bool) {
	if uint(i) >= uint(c.n) {
		return 0, false
	}
	m := c.meta + uintptr(i)*c.stride
	if *(*uint32)(pointer(m)) == 0 {
		return 0, false
	}
	return *(*uint64)(pointer(c.arena + uintptr(*(*uint32)(pointer(m + 4))))), true
}
