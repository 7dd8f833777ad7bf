package capability

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
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
	nums     uintptr // C array of the evtnum of each scratch row
	scratchN int
	index    []int32 // results row -> batch index, when filtered
	rowOf    []int32 // batch index -> results row or -1, when filtered
	offOf    []int32 // batch index -> row*rowBytes or -rowBytes, as rowOf (for Column)
	identOff []int32 // identOff[i] = i*rowBytes: offOf of unfiltered results
	rowBytes int     // bytes between rows' meta records, the same in every round
	limit    int     // events extracted per batch at most: ffi.MaxBatchEvents, or fewer for wide rows (int32 row offsets)
	one      uintptr // C array of one event pointer, for Extract
	stage    uintptr // C copy of an owned event, for ExtractOwned
	stageCap int

	// The batch ExtractSome accumulates rows for: its stream, lease
	// generation and first evtnum; some is false after any other call.
	some      bool
	someOf    *Stream
	someGen   uint64
	someNum0  uint64
	someRows  int
	someTypes bool // the batch may hold events of types not extracted
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
			// As libsinsp: the key only for key fields, and index
			// UINT64_MAX unless an index argument was given.
			index := ^uint64(0)
			if r.IsIndex {
				index = r.ArgIndex
			}
			specs[j] = ffi.ExtractSpec{FieldID: r.Field.ID, Name: r.Field.Name, ArgKey: r.Arg, HasKey: r.Field.Arg.IsKey,
				ArgIndex: index, ArgPresent: r.HasArg, Type: r.Field.Type, List: r.Field.IsList}
		}
		x.rounds[k].job = ffi.NewExtractJob(raw.API, raw.Handle, raw.Owner, source, specs, opts.ValueOffsets)
	}
	for i, r := range x.reqs {
		x.where[i] = x.where[first[r.Text]]
	}
	// Every round lays out its rows alike, so that one map of row offsets
	// serves the Columns of all rounds.
	for _, r := range x.rounds {
		x.rowBytes = max(x.rowBytes, r.job.RowBytes())
	}
	for _, r := range x.rounds {
		if r.job.RowBytes() != x.rowBytes {
			r.job.SetRowBytes(x.rowBytes)
		}
	}
	x.limit = min(ffi.MaxBatchEvents, (1<<31-1)/max(x.rowBytes, 8)-2)
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
	for _, p := range []uintptr{x.scratch, x.nums, x.one, x.stage} {
		ffi.Free(p)
	}
	x.scratch, x.nums, x.scratchN, x.one, x.stage, x.stageCap = 0, 0, 0, 0, 0, 0
	x.some = false
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

// failAt is the error of failure f at batch event event.
func (x *Extractor) failAt(event int, f *failure) error {
	err := x.fail(event, f.field, "%s", f.msg)
	if f.limit {
		err.(*Error).Kind = ErrLimit
	}
	return err
}

// ExtractBatch extracts every requested field from every event of b. The
// Results are valid until the next call on this Extractor. On a failure at
// event k, events before k keep their results (Results.Len() == k).
//
// At most x's cap of events (ffi.MaxBatchEvents) are extracted from one
// batch: the events past it fail with a limit error (ErrLimit).
func (x *Extractor) ExtractBatch(b *Batch) (*Results, error) {
	x.some = false
	m := min(b.n, x.limit)
	var res *Results
	var err error
	if !x.mixedTypes(b) || !x.filtered(b, m) {
		x.reset(m)
		x.res.n, x.res.rows, x.res.filtered = m, m, false
		res, err = x.extract(b.ptrs, 0, 0, m, b.num0)
	} else {
		n := x.filter(b, m)
		x.reset(n)
		x.res.n, x.res.rows, x.res.filtered = m, n, true
		res, err = x.extract(x.scratch, x.nums, 0, n, b.num0)
	}
	if err == nil && m < b.n {
		err = x.overLimit(b)
	}
	return res, err
}

// overLimit is the error of batch event x.limit, the first past the cap.
func (x *Extractor) overLimit(b *Batch) error {
	err := x.fail(x.limit, "", "the batch has %d events, more than the host's cap of %d events extracted per batch (MaxBatchEvents)", b.n, x.limit)
	err.(*Error).Kind = ErrLimit
	return err
}

// mixedTypes reports whether b may hold events of types x does not extract:
// a source with an id only produces plugin events (validated).
func (x *Extractor) mixedTypes(b *Batch) bool {
	return b.stream.src.plugin.ID == 0 || !x.types.has(pluginapi.EventTypePlugin)
}

// filtered reports whether some event of b has a type x does not extract.
// (among its first n).
func (x *Extractor) filtered(b *Batch, n int) bool {
	for i := 0; i < n; i++ {
		if !x.types.has(b.typeAt(i)) {
			return true
		}
	}
	return false
}

// extract runs every round over rows [from, to) of the C array of event
// pointers ptrs (nums: their evtnums, or 0 for num0+row), keeping earlier
// rows, and cuts the results at the first failing row of any round: the
// Results then end there (Len() is the failing event's batch index), and
// the error names that event.
func (x *Extractor) extract(ptrs, nums uintptr, from, to int, num0 uint64) (*Results, error) {
	f := x.run(ptrs, nums, from, to, num0)
	if f == nil {
		return &x.res, nil
	}
	event := f.row
	if x.res.filtered {
		event = int(x.index[f.row])
		x.unmap(f.row, x.res.rows)
	}
	x.res.rows, x.res.n = f.row, event
	return &x.res, x.failAt(event, f)
}

// ensureScratch makes room for n rows in the scratch arrays and n batch
// indices in rowOf and offOf (all without a row) and index.
func (x *Extractor) ensureScratch(n int) {
	if uint64(n+1)*uint64(x.rowBytes) >= 1<<31 {
		panic("plughost: batch too large for its row offsets")
	}
	if x.scratchN < n {
		ffi.Free(x.scratch)
		ffi.Free(x.nums)
		c := max(n, min(2*x.scratchN, x.limit))
		x.scratch, x.nums, x.scratchN = ffi.Alloc(8*c), ffi.Alloc(8*c), c
	}
	if cap(x.rowOf) < n {
		c := x.scratchN
		x.rowOf, x.offOf, x.index = make([]int32, n, c), make([]int32, n, c), make([]int32, n, c)
	}
	x.rowOf, x.offOf, x.index = x.rowOf[:n], x.offOf[:n], x.index[:n]
	for i := range x.rowOf {
		x.rowOf[i], x.offOf[i] = -1, int32(-x.rowBytes)
	}
}

// addRow makes batch event i of b scratch row n.
func (x *Extractor) addRow(b *Batch, i, n int) {
	ffi.Put(x.scratch+uintptr(8*n), ffi.EventAt(b.ptrs, i))
	ffi.Put(x.nums+uintptr(8*n), b.num0+uint64(i))
	x.index[n] = int32(i)
	x.rowOf[i], x.offOf[i] = int32(n), int32(n*x.rowBytes)
}

// unmap makes the events of rows [from, to) read as absent again.
func (x *Extractor) unmap(from, to int) {
	for r := from; r < to; r++ {
		x.rowOf[x.index[r]], x.offOf[x.index[r]] = -1, int32(-x.rowBytes)
	}
}

// filter puts the first m events of b that x extracts into the scratch
// rows and returns how many there are.
func (x *Extractor) filter(b *Batch, m int) int {
	x.ensureScratch(m)
	n := 0
	for i := 0; i < m; i++ {
		if x.types.has(b.typeAt(i)) {
			x.addRow(b, i, n)
			n++
		}
	}
	return n
}

// ExtractSome extracts every request of x for the events of b whose batch
// indices are listed in events (ascending, none extracted before for this
// batch), adding to what earlier ExtractSome calls extracted from b: the
// Results then read values, by batch index, for every event extracted from
// b so far; events not extracted (or whose type the plugin does not
// extract) read as absent, and Len() is b.Len(). The first call for a new
// batch, or after any other extraction call on x, starts afresh; each
// event gets one extract_fields call per round, all of a call's events in
// one FFI transition on amd64, and the plugin sees each event's evt.num.
//
// On a failure at an event, the error (a *Error) names its batch index:
// the events of earlier calls and those before it in events keep their
// values, and it and the events after it in events read as absent (they
// may be passed again).
//
// The values extracted from b stay readable, through the Results of each
// later ExtractSome call for b, until the first call for another batch or
// any other extraction call. Views (Column, Value, Bytes) are valid until
// the next extraction call on x, this one's successors included: a later
// call may move the values to a larger buffer.
//
// ExtractSome panics if the indices are out of range or not ascending, or
// name an event already extracted from b.
func (x *Extractor) ExtractSome(b *Batch, events []int32) (*Results, error) {
	return x.extractSome(b, events)
}

// Restart makes the next ExtractSome start afresh even for the batch x
// holds, as when the same batch is decided again.
func (x *Extractor) Restart() { x.some = false }

func (x *Extractor) extractSome(b *Batch, events []int32) (*Results, error) {
	if !x.some || x.someOf != b.stream || x.someGen != b.stream.lease.gen || x.someNum0 != b.num0 {
		x.startSome(b)
	}
	// Check every index before any changes: a panic leaves x as it was.
	prev := int32(-1)
	over := -1 // the first index past the cap
	for k, i := range events {
		if uint(i) >= uint(b.n) || i <= prev {
			panic("plughost: ExtractSome: batch event indices out of range or not ascending")
		}
		prev = i
		if int(i) >= x.limit {
			if over < 0 {
				over = k
			}
			continue
		}
		if x.rowOf[i] >= 0 {
			panic("plughost: ExtractSome: event " + strconv.Itoa(int(i)) + " was already extracted from this batch")
		}
	}
	var overErr error
	if over >= 0 {
		overErr = x.fail(int(events[over]), "", "the batch has %d events, more than the host's cap of %d events extracted per batch (MaxBatchEvents)", b.n, x.limit)
		overErr.(*Error).Kind = ErrLimit
		events = events[:over]
	}
	from := x.someRows
	n := from
	for _, i := range events {
		if !x.someTypes || x.types.has(b.typeAt(int(i))) {
			x.addRow(b, int(i), n)
			n++
		}
	}
	x.res.n, x.res.rows, x.res.filtered = b.n, n, true
	if n == from {
		return &x.res, overErr
	}
	f := x.run(x.scratch, x.nums, from, n, b.num0)
	if f == nil {
		x.someRows = n
		return &x.res, overErr
	}
	// Rows from the failing one on read as absent and can be retried.
	x.unmap(f.row, n)
	for _, r := range x.rounds {
		r.job.Truncate(f.row)
	}
	x.someRows, x.res.rows = f.row, f.row
	return &x.res, x.failAt(int(x.index[f.row]), f)
}

// startSome starts accumulating rows for b: every round may hold rows for
// the whole batch (up to the cap), allocated as they are extracted.
func (x *Extractor) startSome(b *Batch) {
	x.ensureScratch(min(b.n, x.limit))
	x.reset(min(b.n, x.limit))
	x.some, x.someOf, x.someGen, x.someNum0, x.someRows = true, b.stream, b.stream.lease.gen, b.num0, 0
	x.someTypes = x.mixedTypes(b)
}

// failure is the first bad result of an extraction: its row, the request
// text (empty when the call itself failed) and what is wrong.
type failure struct {
	row   int
	field string
	msg   string
	limit bool // a host cap or host memory (ErrLimit)
}

// reset drops the rows of every round and makes room for rows rows.
func (x *Extractor) reset(rows int) {
	for _, r := range x.rounds {
		r.job.Reset(rows)
	}
}

// run appends rows [from, to) in every round and returns the earliest
// failure (by row, then by round) or nil.
func (x *Extractor) run(ptrs, nums uintptr, from, to int, num0 uint64) *failure {
	var first *failure
	for _, r := range x.rounds {
		k, err := r.job.Append(ptrs, nums, from, to, num0)
		var f *failure
		if err != nil {
			ee := err.(*ffi.ExtractError)
			f = &failure{row: k, msg: ee.Msg, limit: ee.Limit}
			if ee.Field >= 0 {
				f.field = x.reqs[r.reqs[ee.Field]].Text
			} else if !ee.Limit {
				f.msg += ": " + x.raw.API.LastErrorOr(x.raw.Handle, "")
			}
		}
		if bad := x.checkBuffers(r, from, k); bad != nil && (f == nil || bad.row <= f.row) {
			f = bad
		}
		if f != nil && (first == nil || f.row < first.row) {
			first = f
		}
	}
	return first
}

// checkBuffers validates the ipaddr/ipnet results of rows [from, n): 4 or
// 16 bytes each. It returns the first bad one.
func (x *Extractor) checkBuffers(r round, from, n int) *failure {
	var first *failure
	for j, ri := range r.reqs {
		t := x.reqs[ri].Field.Type
		if t != pluginapi.FieldTypeIPAddr && t != pluginapi.FieldTypeIPNet {
			continue
		}
		for i := from; i < n && (first == nil || i < first.row); i++ {
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
		c := max(int(h.Len), 2*x.stageCap, 256)
		p, err := ffi.TryAlloc(c)
		if err != nil {
			e := x.fail(0, "", "cannot stage the event: %v", err)
			e.(*Error).Kind = ErrLimit
			return nil, e
		}
		ffi.Free(x.stage)
		x.stage, x.stageCap = p, c
	}
	copy(ffi.Bytes(x.stage, int(h.Len)), o.Raw[:h.Len])
	return x.extractOne(x.stage, o.Num)
}

// extractOne extracts from the event at addr (C memory) as a batch of one.
func (x *Extractor) extractOne(addr uintptr, num uint64) (*Results, error) {
	x.some = false
	if !x.types.has(ffi.Get[uint16](addr + pluginapi.EventTypeOffset)) {
		x.rowOf, x.offOf = append(x.rowOf[:0], -1), append(x.offOf[:0], int32(-x.rowBytes))
		x.res.n, x.res.rows, x.res.filtered = 1, 0, true
		return &x.res, nil
	}
	if x.one == 0 {
		x.one = ffi.Alloc(8)
	}
	ffi.Put(x.one, addr)
	x.reset(1)
	x.res.n, x.res.rows, x.res.filtered = 1, 1, false
	return x.extract(x.one, 0, 0, 1, num)
}

// Results holds the values of the last extraction, in host memory reused by
// the next call.
type Results struct {
	x        *Extractor
	n        int // events covered
	rows     int // events actually extracted
	filtered bool
}

// Len is the number of events the Results cover: events 0..Len()-1 of the
// batch (after ExtractSome, the whole batch).
func (r *Results) Len() int { return r.n }

// row returns the results row of batch event i, or -1.
func (r *Results) row(i int) int {
	if !r.filtered {
		return i
	}
	if uint(i) >= uint(len(r.x.rowOf)) {
		return -1
	}
	return int(r.x.rowOf[i])
}

// Value returns request req's value for event i of the batch.
func (r *Results) Value(i, req int) Value {
	f := &r.x.reqs[req].Field
	v := Value{Type: f.Type, List: f.IsList}
	row := r.row(i)
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
	row := r.row(i)
	if uint(row) >= uint(r.rows) {
		return 0, false
	}
	w := r.x.where[req]
	return r.x.rounds[w.round].job.FirstUint64(row, w.field)
}

// Uint64Column reads request req's first uint64/reltime/abstime value for
// every event of these Results with a couple of loads per event: the
// fastest way to consume a numeric field. Valid until the next extraction.
func (r *Results) Uint64Column(req int) Uint64Column { return Uint64Column{r.Column(req).c} }

// Uint64Column is a reader over one request's values; see Results.Uint64Column.
type Uint64Column struct{ c ffi.Column }

// At returns the value for event i of the batch; ok is false when absent.
func (c Uint64Column) At(i int) (uint64, bool) { return c.c.First64(i) }

// Column returns a typed reader of request req's values by batch index,
// for Results of any extraction call (whole, type-filtered or ExtractSome
// batches, single events): the cheap way to read many values, without
// building a Value. It and the views it returns are valid until the next
// extraction call on the Extractor (ExtractSome included). The zero Column
// reads every event as absent.
func (r *Results) Column(req int) Column {
	w := r.x.where[req]
	offOf := r.x.offOf
	if !r.filtered {
		offOf = r.x.identity(r.rows)
	}
	return Column{r.x.rounds[w.round].job.Column(w.field, offOf)}
}

// identity returns the row offsets of unfiltered results: event i is row
// i. It grows to the largest batch; no allocation after that.
func (x *Extractor) identity(n int) []int32 {
	if len(x.identOff) < n {
		c := max(n, min(2*len(x.identOff), x.limit))
		if uint64(c)*uint64(x.rowBytes) >= 1<<31 {
			panic("plughost: batch too large for its row offsets")
		}
		x.identOff = make([]int32, c)
		for i := range x.identOff {
			x.identOff[i] = int32(i * x.rowBytes)
		}
	}
	return x.identOff[:n]
}

// Column reads one request's values by batch index; see Results.Column.
// It is four words, and its methods inline: a read is a bounds check and a
// few loads, with no Value built. Element readers take k in [0, Count(i))
// and panic otherwise, or when used on a column of another type.
type Column struct{ c ffi.Column }

// Count is the number of values for batch event i: 0 when absent, 1 for a
// present non-list field, any number for a list.
func (c Column) Count(i int) int { return c.c.Count(i) }

// Uint64 reads element k of a uint64, reltime or abstime value.
func (c Column) Uint64(i, k int) uint64 { return c.c.Uint64At(i, k) }

// Bool reads element k of a bool value.
func (c Column) Bool(i, k int) bool { return c.c.Uint32At(i, k) != 0 }

// Uint32 reads element k of a bool value as the plugin wrote it (libsinsp
// compares bools as raw uint32s, so a plugin's 2 is not "true").
func (c Column) Uint32(i, k int) uint32 { return c.c.Uint32At(i, k) }

// Bytes returns element k of a string, ipaddr or ipnet value without
// copying: a view of host memory valid until the next extraction call.
func (c Column) Bytes(i, k int) []byte { return c.c.BytesAt(i, k) }

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
