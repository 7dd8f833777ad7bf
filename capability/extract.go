package capability

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/internal/plugstate"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

// Extractor extracts a fixed set of fields from events of one source. All
// fields are extracted with one extract_fields call per event (more only
// when one field is requested with several arguments: the Go SDK keeps one
// result buffer per field, so a field never appears twice in a call), and a
// whole batch costs one FFI transition on amd64.
//
// An Extractor is not safe for concurrent use.
type Extractor struct {
	plugin *loader.Plugin
	raw    plugstate.Raw
	source string
	reqs   []FieldRequest
	rounds []round
	types  *typeSet // event types the plugin extracts from
	res    Results

	where    []slot  // request index -> where its values are
	scratch  uintptr // C array of event pointers for filtered batches
	scratchN int
	index    []int   // results row -> batch index, when filtered
	rowOf    []int   // batch index -> results row or -1, when filtered
	one      uintptr // C array of one event pointer, for Extract
	stage    uintptr // C copy of an owned event, for ExtractOwned
	stageCap int
}

type slot struct{ round, field int }

type round struct {
	job  *ffi.ExtractJob
	reqs []int // request index of each field in the job
}

// ExtractOptions tune an Extractor.
type ExtractOptions struct {
	// ValueOffsets asks the plugin for the position of each value in the
	// event (ss_plugin_extract_value_offsets).
	ValueOffsets bool
}

// NewExtractor compiles fields against state's plugin for events of source.
// Close it before destroying state.
func NewExtractor(state *loader.State, source string, fields []string, opts ExtractOptions) (*Extractor, error) {
	p := state.Plugin()
	if !p.Has(pluginapi.CapExtraction) {
		return nil, &Error{Plugin: p.Name, Event: -1, Msg: "plugin has no extraction capability", Kind: ErrCapability}
	}
	raw, _ := plugstate.Resolve(state)
	x := &Extractor{plugin: p, raw: raw, source: source}
	for _, text := range fields {
		r, err := CompileField(p, text)
		if err != nil {
			return nil, err
		}
		x.reqs = append(x.reqs, r)
	}
	x.types = &typeSet{}
	for _, t := range state.ExtractEventTypes {
		x.types.add(t)
	}
	if len(state.ExtractEventTypes) == 0 {
		// libsinsp's default for plugin sources: plugin events only.
		x.types.add(pluginapi.EventTypePlugin)
	}
	// Round r holds the r-th distinct request of each field id; a request
	// repeated word for word shares the values of its first occurrence.
	seen := map[uint32]int{}
	first := map[string]int{}
	for i, r := range x.reqs {
		if _, dup := first[r.Text]; dup {
			continue
		}
		first[r.Text] = i
		k := seen[r.Field.ID]
		seen[r.Field.ID]++
		if k == len(x.rounds) {
			x.rounds = append(x.rounds, round{})
		}
		x.rounds[k].reqs = append(x.rounds[k].reqs, i)
	}
	x.where = make([]slot, len(x.reqs))
	for k := range x.rounds {
		for j, ri := range x.rounds[k].reqs {
			x.where[ri] = slot{k, j}
		}
		specs := make([]ffi.ExtractSpec, len(x.rounds[k].reqs))
		for j, ri := range x.rounds[k].reqs {
			r := x.reqs[ri]
			specs[j] = ffi.ExtractSpec{FieldID: r.Field.ID, Name: r.Field.Name, ArgKey: r.Arg, ArgIndex: r.ArgIndex,
				ArgPresent: r.HasArg, Type: r.Field.Type, List: r.Field.IsList}
		}
		x.rounds[k].job = ffi.NewExtractJob(raw.API, raw.Handle, raw.Owner, source, specs, opts.ValueOffsets)
	}
	for i, r := range x.reqs {
		x.where[i] = x.where[first[r.Text]]
	}
	x.res.x = x
	return x, nil
}

// Requests returns the compiled requests, in the order given.
func (x *Extractor) Requests() []FieldRequest { return x.reqs }

// Close frees the extractor's C memory.
func (x *Extractor) Close() {
	for _, r := range x.rounds {
		r.job.Free()
	}
	x.rounds = nil
	for _, p := range []uintptr{x.scratch, x.one, x.stage} {
		ffi.Free(p)
	}
	x.scratch, x.one, x.stage, x.stageCap = 0, 0, 0, 0
}

// UsePortableDriver makes the extractor call extract_fields once per event
// from Go, as on platforms without the batch driver (for tests).
func (x *Extractor) UsePortableDriver() {
	for _, r := range x.rounds {
		r.job.UsePortableDriver()
	}
}

func (x *Extractor) fail(event int, field, format string, args ...any) error {
	return &Error{Plugin: x.plugin.Name, Symbol: "plugin_extract_fields", Event: event, Field: field, Msg: fmt.Sprintf(format, args...), Kind: ErrExtract}
}

// ExtractBatch extracts every requested field from every event of b. The
// Results are valid until the next call on this Extractor. On a failure at
// event k, events before k keep their results (Results.Len() == k).
func (x *Extractor) ExtractBatch(b *Batch) (*Results, error) {
	ptrs, n := b.ptrs, b.n
	filtered := false
	// A source with an id only produces plugin events (validated).
	if b.stream.src.plugin.ID == 0 || !x.types.has(pluginapi.EventTypePlugin) {
		for i := 0; i < n; i++ {
			if !x.types.has(ffi.Get[uint16](ffi.EventAt(ptrs, i) + pluginapi.EventTypeOffset)) {
				filtered = true
				break
			}
		}
	}
	if filtered {
		ptrs, n = x.filter(b)
	}
	return x.extract(ptrs, n, b.n, b.num0, filtered)
}

// extract runs every round over n event pointers (rows) standing for a
// batch of batchLen events, and stops the results at the first failing
// row of any round.
func (x *Extractor) extract(ptrs uintptr, n, batchLen int, num0 uint64, filtered bool) (*Results, error) {
	x.res.n, x.res.rows, x.res.filtered = batchLen, n, filtered
	f := x.run(ptrs, n, num0)
	if f == nil {
		return &x.res, nil
	}
	event := f.row
	if filtered {
		event = x.index[f.row]
	}
	x.res.rows, x.res.n = f.row, event
	return &x.res, x.fail(event, f.field, "%s", f.msg)
}

func (x *Extractor) filter(b *Batch) (uintptr, int) {
	if x.scratchN < b.n {
		ffi.Free(x.scratch)
		x.scratch, x.scratchN = ffi.Alloc(8*b.n), b.n
	}
	n := 0
	x.index, x.rowOf = x.index[:0], x.rowOf[:0]
	for i := 0; i < b.n; i++ {
		x.rowOf = append(x.rowOf, -1)
		if x.types.has(ffi.Get[uint16](ffi.EventAt(b.ptrs, i) + pluginapi.EventTypeOffset)) {
			ffi.Put(x.scratch+uintptr(8*n), ffi.EventAt(b.ptrs, i))
			x.index = append(x.index, i)
			x.rowOf[i] = n
			n++
		}
	}
	return x.scratch, n
}

// failure is the first bad result of an extraction: its row, the request
// text (empty when the call itself failed) and what is wrong.
type failure struct {
	row   int
	field string
	msg   string
}

// run extracts every round and returns the earliest failure (by row, then
// by round) or nil.
func (x *Extractor) run(ptrs uintptr, n int, num0 uint64) *failure {
	var first *failure
	for _, r := range x.rounds {
		k, err := r.job.Run(ptrs, n, num0)
		var f *failure
		if err != nil {
			ee := err.(*ffi.ExtractError)
			f = &failure{row: k, msg: ee.Msg}
			if ee.Field >= 0 {
				f.field = x.reqs[r.reqs[ee.Field]].Text
			} else {
				f.msg += ": " + x.raw.API.LastErrorOr(x.raw.Handle, "")
			}
		}
		if bad := x.checkBuffers(r, k); bad != nil && (f == nil || bad.row <= f.row) {
			f = bad
		}
		if f != nil && (first == nil || f.row < first.row) {
			first = f
		}
	}
	return first
}

// checkBuffers validates the ipaddr/ipnet results of the first n rows: 4 or
// 16 bytes each. It returns the first bad one.
func (x *Extractor) checkBuffers(r round, n int) *failure {
	var first *failure
	for j, ri := range r.reqs {
		t := x.reqs[ri].Field.Type
		if t != pluginapi.FieldTypeIPAddr && t != pluginapi.FieldTypeIPNet {
			continue
		}
		for i := 0; i < n && (first == nil || i < first.row); i++ {
			v := r.job.Values(i, j)
			for len(v) > 0 {
				l := binary.LittleEndian.Uint32(v)
				if l != 4 && l != 16 {
					first = &failure{row: i, field: x.reqs[ri].Text, msg: fmt.Sprintf("%s value has %d bytes, want 4 or 16", t, l)}
					break
				}
				v = v[4+l:]
			}
		}
	}
	return first
}

// Extract extracts from one lent event.
func (x *Extractor) Extract(e Event) (*Results, error) {
	e.check()
	return x.extractOne(e.addr, e.num)
}

// ExtractOwned extracts from an event the caller owns; it is copied to C
// memory first, so the plugin never sees Go memory.
func (x *Extractor) ExtractOwned(o OwnedEvent) (*Results, error) {
	h, err := pluginapi.DecodeHeader(o.Raw)
	if err != nil {
		return nil, x.fail(0, "", "%v", err)
	}
	if int(h.Len) > x.stageCap {
		ffi.Free(x.stage)
		x.stageCap = max(int(h.Len), 2*x.stageCap, 256)
		x.stage = ffi.Alloc(x.stageCap)
	}
	copy(ffi.Bytes(x.stage, int(h.Len)), o.Raw[:h.Len])
	return x.extractOne(x.stage, o.Num)
}

// extractOne extracts from the event at addr (C memory) as a batch of one.
func (x *Extractor) extractOne(addr uintptr, num uint64) (*Results, error) {
	if !x.types.has(ffi.Get[uint16](addr + pluginapi.EventTypeOffset)) {
		x.rowOf = append(x.rowOf[:0], -1)
		x.res.n, x.res.rows, x.res.filtered = 1, 0, true
		return &x.res, nil
	}
	if x.one == 0 {
		x.one = ffi.Alloc(8)
	}
	ffi.Put(x.one, addr)
	return x.extract(x.one, 1, 1, num, false)
}

// Results holds the values of the last extraction, in host memory reused by
// the next call.
type Results struct {
	x        *Extractor
	n        int // events covered
	rows     int // events actually extracted
	filtered bool
}

// Len is the number of events with results.
func (r *Results) Len() int { return r.n }

// Value returns request req's value for event i of the batch.
func (r *Results) Value(i, req int) Value {
	f := &r.x.reqs[req].Field
	v := Value{Type: f.Type, List: f.IsList}
	row := i
	if r.filtered {
		row = r.x.rowOf[i]
	}
	if uint(row) >= uint(r.rows) {
		return v
	}
	w := r.x.where[req]
	v.count, v.data, v.offStart, v.offLen = r.x.rounds[w.round].job.Read(row, w.field)
	return v
}

// Uint64 reads the first value of a uint64, reltime or abstime request
// without building a Value: the fast path for hot consumers. ok is false
// when the plugin returned no value.
func (r *Results) Uint64(i, req int) (v uint64, ok bool) {
	row := i
	if r.filtered {
		row = r.x.rowOf[i]
	}
	if uint(row) >= uint(r.rows) {
		return 0, false
	}
	w := r.x.where[req]
	return r.x.rounds[w.round].job.FirstUint64(row, w.field)
}

// Uint64Column reads request req's first uint64/reltime/abstime value for
// every event of these Results with a couple of loads per event: the
// fastest way to consume a numeric field. Valid until the next extraction.
func (r *Results) Uint64Column(req int) Uint64Column {
	w := r.x.where[req]
	c := Uint64Column{col: r.x.rounds[w.round].job.Column(w.field, r.rows)}
	if r.filtered {
		c.rowOf = r.x.rowOf
	}
	return c
}

// Uint64Column is a reader over one request's values; see Results.Uint64Column.
type Uint64Column struct {
	col   ffi.Column
	rowOf []int // batch index -> row when the batch was filtered by type
}

// At returns the value for event i of the batch; ok is false when absent.
func (c Uint64Column) At(i int) (uint64, bool) {
	if c.rowOf != nil {
		if i >= len(c.rowOf) || c.rowOf[i] < 0 {
			return 0, false
		}
		i = c.rowOf[i]
	}
	return c.col.Uint64(i)
}

// Value is one extracted field value (or list), a view of host memory valid
// until the next extraction. Accessors take the element index k (0 for
// non-list fields).
type Value struct {
	Type     pluginapi.FieldType
	List     bool
	count    int
	data     []byte
	offStart uint32
	offLen   uint32
}

// Present reports whether the plugin returned a value.
func (v Value) Present() bool { return v.count > 0 }

// Len is the number of values (0: none; >1 only for lists).
func (v Value) Len() int { return v.count }

// Offset is the value's position in the event, when the plugin reports it.
func (v Value) Offset() (start, length uint32) { return v.offStart, v.offLen }

// Uint64 reads element k of a uint64, reltime or abstime value.
func (v Value) Uint64(k int) uint64 { return binary.LittleEndian.Uint64(v.data[8*k:]) }

// Bool reads element k of a bool value.
func (v Value) Bool(k int) bool { return binary.LittleEndian.Uint32(v.data[4*k:]) != 0 }

// Duration reads element k of a reltime value.
func (v Value) Duration(k int) time.Duration { return time.Duration(v.Uint64(k)) }

// Time reads element k of an abstime value.
func (v Value) Time(k int) time.Time { return time.Unix(0, int64(v.Uint64(k))) }

// Bytes returns element k of a string, ipaddr or ipnet value without
// copying; the view is valid until the next extraction.
func (v Value) Bytes(k int) []byte {
	d := v.data
	for ; ; k-- {
		l := binary.LittleEndian.Uint32(d)
		if k == 0 {
			return d[4 : 4+l]
		}
		d = d[4+l:]
	}
}

// String returns element k of a string value (copied).
func (v Value) String(k int) string { return string(v.Bytes(k)) }

// Addr returns element k of an ipaddr value.
func (v Value) Addr(k int) netip.Addr {
	a, _ := netip.AddrFromSlice(v.Bytes(k))
	return a
}

// Prefix returns element k of an ipnet value: the plugin's buffer holds the
// address, so the prefix covers the whole address (/32 or /128).
func (v Value) Prefix(k int) netip.Prefix {
	a := v.Addr(k)
	return netip.PrefixFrom(a, a.BitLen())
}

// Any returns a copy as a Go value: uint64, string, time.Duration,
// time.Time, bool, netip.Addr or netip.Prefix; a []T for list fields; nil
// when there is no value.
func (v Value) Any() any {
	if v.count == 0 {
		return nil
	}
	switch v.Type {
	case pluginapi.FieldTypeUint64:
		return typed(v, v.Uint64)
	case pluginapi.FieldTypeString:
		return typed(v, v.String)
	case pluginapi.FieldTypeRelTime:
		return typed(v, v.Duration)
	case pluginapi.FieldTypeAbsTime:
		return typed(v, v.Time)
	case pluginapi.FieldTypeBool:
		return typed(v, v.Bool)
	case pluginapi.FieldTypeIPAddr:
		return typed(v, v.Addr)
	case pluginapi.FieldTypeIPNet:
		return typed(v, v.Prefix)
	}
	return nil
}

// typed returns element 0, or every element as a []T for list fields.
func typed[T any](v Value, get func(int) T) any {
	if !v.List {
		return get(0)
	}
	out := make([]T, v.count)
	for k := range out {
		out[k] = get(k)
	}
	return out
}

// typeSet is a bit set of event types: one test per event on the hot path.
type typeSet [1 << 16 / 64]uint64

func (s *typeSet) add(t uint16)      { s[t/64] |= 1 << (t % 64) }
func (s *typeSet) has(t uint16) bool { return s[t/64]&(1<<(t%64)) != 0 }
