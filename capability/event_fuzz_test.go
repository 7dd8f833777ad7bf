package capability

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/internal/plugstate"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/pluginapi"
)

const (
	fuzzNow      = 0x0123_4567_89ab_cdef
	fuzzPluginID = 991
	fuzzMaxBatch = 32
	// fuzzMaxBody bounds the lengths the fuzzer claims below the caps, so
	// that every event whose claim validation may accept is backed by that
	// much C memory without allocating 64 MiB per event.
	fuzzMaxBody = 1 << 20
)

// fuzzReader hands out the fuzz input field by field, zeros once it runs out.
type fuzzReader struct{ b []byte }

func (r *fuzzReader) u8() uint8 {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *fuzzReader) u16() uint16 { return uint16(r.u8()) | uint16(r.u8())<<8 }
func (r *fuzzReader) u32() uint32 { return uint32(r.u16()) | uint32(r.u16())<<16 }

// Flags of one event's spec.
const (
	fNull      = 1 << iota // a NULL pointer instead of the event
	fAutoLen               // len = the header, the parameter lengths and the parameters
	fHuge                  // len above the type's cap: MaxEventLen + 1 + the input's u32 % 65536
	fRawLen                // len straight from the input (only when neither fAutoLen nor fHuge)
	fPluginHdr             // nparams 2 and first parameter length 4, as a plugin event
	fHugeParam             // the last parameter length is the input's u32 unreduced
)

var fuzzTypes = [...]uint16{pluginapi.EventTypePlugin, pluginapi.EventTypeAsync, pluginapi.EventTypeContainerJSON2, 3, 1, 0}

// fuzzEvent builds one event from the input: its bytes (at least 64, so
// that the fixed reads of the validators stay inside) and the C buffer size
// backing it (at least its claimed length when that is within its type's
// cap). Layout of a spec: flags, type selector (u16 type when it selects
// past fuzzTypes), u32 nparams (when not fPluginHdr), up to 3 u32 parameter
// lengths, u32 len, plugin id, then a payload of u8 bytes.
func fuzzEvent(r *fuzzReader) (flags uint8, ev []byte) {
	flags = r.u8()
	typ := r.u16()
	if sel := int(typ & 0xff); sel < len(fuzzTypes) {
		typ = fuzzTypes[sel]
	}
	np := uint32(2)
	if flags&fPluginHdr == 0 {
		np = r.u32()
	}
	nlens := min(np, 3)
	lens := make([]uint32, nlens)
	body := uint64(0)
	for i := range lens {
		lens[i] = r.u32()
		if i < int(nlens)-1 || flags&fHugeParam == 0 {
			lens[i] %= fuzzMaxBody
		}
		if i == 0 && flags&fPluginHdr != 0 {
			lens[0] = 4
		}
		body += uint64(lens[i])
	}
	claim := r.u32()
	pid := r.u32() % 4 // 0, the plugin's id or a foreign one
	if pid == 1 {
		pid = fuzzPluginID
	}
	payload := make([]byte, r.u8())
	for i := range payload {
		payload[i] = r.u8()
	}
	var length uint32
	switch {
	case flags&fHuge != 0:
		length = uint32(min(uint64(pluginapi.MaxEventLen(typ))+1+uint64(claim%65536), 1<<32-1))
	case flags&fAutoLen != 0:
		length = uint32(uint64(pluginapi.EventHeaderLen) + 4*uint64(nlens) + body)
	case flags&fRawLen != 0:
		length = claim
	default:
		length = claim % fuzzMaxBody
	}
	ev = make([]byte, max(64, pluginapi.EventHeaderLen+4*int(nlens)+4+len(payload)))
	pluginapi.PutHeader(ev, pluginapi.EventHeader{Ts: uint64(r.u8()) * pluginapi.TsUnset, Tid: uint64(pid) * 77, Len: length, Type: typ, NParams: np})
	for i, l := range lens {
		binary.LittleEndian.PutUint32(ev[pluginapi.EventHeaderLen+4*i:], l)
	}
	off := pluginapi.EventHeaderLen + 4*int(nlens)
	binary.LittleEndian.PutUint32(ev[off:], pid)
	copy(ev[off+4:], payload)
	return flags, ev
}

// acceptable is the reference verdict on one event (the bytes of its whole
// buffer): what validation must accept for a source of plugin id id.
func acceptable(buf []byte, id uint32) bool {
	h, err := pluginapi.DecodeHeader(buf)
	if err != nil {
		return false
	}
	if id == 0 && h.Type != pluginapi.EventTypePlugin {
		return true
	}
	pe, err := pluginapi.DecodePluginEvent(buf)
	return err == nil && (id == 0 || pe.PluginID == 0 || pe.PluginID == id)
}

// mustPanic fails unless f panics.
func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("%s did not panic after the callback returned", what)
		}
	}()
	f()
}

// FuzzBatchAccessors feeds random batches (pointer counts, NULL pointers,
// types, parameter counts and lengths, event lengths true, lying, huge or
// self-consistent, plugin ids, unset timestamps) through Batch.fill, the
// validation every batch of a Stream gets, for an id-991 source and an
// id-0 one, then through every accessor of every event it accepts: Event
// Ts, Type, Bytes, Data, Copy, EventToString, OwnedEvent Header and Data,
// and the Batch accessors. Nothing may panic or fault; validation must
// accept exactly the leading events the reference decoder accepts (so no
// claimed length above its type's cap, no short or broken plugin event),
// stop at the first other one with an ErrMalformedEvent, leave that one and
// those after it untouched, and every accepted event must read back as the
// decoder reads it. Events live in C memory of at least their claimed
// length when it is within the caps (claims are kept under 1 MiB there), so
// that a wrong acceptance shows as a wrong verdict, not as a fault of the
// fuzzer's own making; a claim above the cap has only its written bytes
// behind it, as event_len_4gib does.
func FuzzBatchAccessors(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{b: data}
		id := uint32(0)
		if r.u8()&1 == 0 {
			id = fuzzPluginID
		}
		n := int(r.u8()) % (fuzzMaxBatch + 1)
		live := ffi.LiveAllocs()
		ptrs := ffi.Alloc(8 * max(n, 1))
		bufs := make([][]byte, n) // each event's whole buffer, before validation
		addrs := make([]uintptr, n)
		for i := range n {
			flags, ev := fuzzEvent(r)
			if flags&fNull != 0 {
				continue
			}
			h, _ := pluginapi.DecodeHeader(ev[:pluginapi.EventHeaderLen:pluginapi.EventHeaderLen])
			size := len(ev)
			if h.Len <= pluginapi.MaxEventLen(h.Type) {
				size = max(size, int(h.Len))
			}
			buf := make([]byte, size)
			copy(buf, ev)
			bufs[i] = buf
			addrs[i] = ffi.Alloc(size)
			copy(ffi.Bytes(addrs[i], size), buf)
			ffi.Put(ptrs+uintptr(8*i), addrs[i])
		}
		defer func() {
			for _, a := range addrs {
				ffi.Free(a)
			}
			ffi.Free(ptrs)
			if got := ffi.LiveAllocs(); got != live {
				t.Fatalf("%d C blocks live after the batch, %d before", got, live)
			}
		}()

		nowCalls := 0
		st := &Stream{
			src: &Source{
				plugin: &loader.Plugin{Name: "fuzz", ID: id, EventSource: map[bool]string{true: "fuzz_src"}[id != 0]},
				raw:    plugstate.Raw{API: &ffi.API{}},
			},
			lease: &lease{},
			now:   func() uint64 { nowCalls++; return fuzzNow },
		}
		st.batch.stream = st
		good, err := st.batch.fill(ptrs, n)

		want := 0
		for want < n && bufs[want] != nil && acceptable(bufs[want], id) {
			want++
		}
		if good != want {
			t.Fatalf("id %d: validation accepted %d of %d events, the decoder %d (first rejected: % x)", id, good, n, want, head(bufs, want))
		}
		if good < n {
			if err == nil || !errors.Is(err, ErrMalformedEvent) {
				t.Fatalf("event %d rejected with error %v", good, err)
			}
		} else if err != nil {
			t.Fatalf("all %d events accepted, with error %v", n, err)
		}
		for i := good; i < n; i++ {
			if bufs[i] != nil && !bytes.Equal(ffi.Bytes(addrs[i], len(bufs[i])), bufs[i]) {
				t.Fatalf("event %d (not accepted) was modified", i)
			}
		}
		if good == 0 {
			return
		}
		if nowCalls > 1 {
			t.Fatalf("now called %d times for one batch", nowCalls)
		}

		var kept []Event
		if err := st.lend(func(b *Batch) error {
			if b.Len() != good {
				t.Fatalf("Len = %d, want %d", b.Len(), good)
			}
			for i := range good {
				checkEvent(t, b, i, bufs[i], id)
				kept = append(kept, b.Event(i))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		e, b := kept[0], &st.batch
		mustPanic(t, "Event.Bytes", func() { e.Bytes() })
		mustPanic(t, "Event.Data", func() { e.Data() })
		mustPanic(t, "Event.Copy", func() { e.Copy() })
		mustPanic(t, "Batch.Ts", func() { b.Ts(0) })
		mustPanic(t, "Batch.EventToString", func() { b.EventToString(0) })
	})
}

func head(bufs [][]byte, i int) []byte {
	if i >= len(bufs) || bufs[i] == nil {
		return nil
	}
	return bufs[i][:min(len(bufs[i]), 64)]
}

// checkEvent reads accepted event i through every accessor and checks it
// against the decoder's reading of before, its bytes before validation.
func checkEvent(t *testing.T, b *Batch, i int, before []byte, id uint32) {
	t.Helper()
	e := b.Event(i)
	h, err := pluginapi.DecodeHeader(before)
	if err != nil {
		t.Fatalf("event %d accepted, but %v", i, err)
	}
	raw := e.Bytes()
	if len(raw) != int(h.Len) || len(raw) > int(pluginapi.MaxEventLen(h.Type)) {
		t.Fatalf("event %d: Bytes has %d bytes, header length %d, cap %d", i, len(raw), h.Len, pluginapi.MaxEventLen(h.Type))
	}
	want := bytes.Clone(before[:h.Len])
	binary.LittleEndian.PutUint64(want[pluginapi.EventTidOffset:], pluginapi.NoTid)
	if h.Ts == pluginapi.TsUnset {
		binary.LittleEndian.PutUint64(want[pluginapi.EventTsOffset:], fuzzNow)
	}
	if id != 0 {
		binary.LittleEndian.PutUint32(want[pluginapi.PluginEventIDOffset:], id)
	}
	if !bytes.Equal(raw, want) {
		t.Fatalf("event %d reads back wrong:\n got  % x\n want % x", i, raw[:min(len(raw), 64)], want[:min(len(want), 64)])
	}
	if e.Ts() != b.Ts(i) || e.Ts() == pluginapi.TsUnset || e.Type() != b.Type(i) || e.Type() != h.Type || b.typeAt(i) != h.Type {
		t.Fatalf("event %d: Ts %d/%d, Type %d/%d/%d, header type %d", i, e.Ts(), b.Ts(i), e.Type(), b.Type(i), b.typeAt(i), h.Type)
	}
	if e.Num() != b.Num(i) || e.Num() != uint64(i+1) || e.PluginID() != id || b.PluginID() != id {
		t.Fatalf("event %d: Num %d/%d, PluginID %d", i, e.Num(), b.Num(i), e.PluginID())
	}
	data := e.Data()
	if h.Type == pluginapi.EventTypePlugin {
		pe, err := pluginapi.DecodePluginEvent(raw)
		if err != nil || !bytes.Equal(data, pe.Data) || data == nil {
			t.Fatalf("event %d: Data % x, decoder %v, %v", i, data, pe.Data, err)
		}
	} else if data != nil {
		t.Fatalf("event %d of type %d has Data", i, h.Type)
	}
	c := e.Copy()
	if !bytes.Equal(c.Raw, raw) || c.Num != e.Num() || c.Source != e.Source() {
		t.Fatalf("event %d: Copy differs", i)
	}
	if ch := c.Header(); ch.Len != h.Len || ch.Type != h.Type || ch.Ts != e.Ts() || ch.Tid != pluginapi.NoTid {
		t.Fatalf("event %d: OwnedEvent.Header %+v", i, ch)
	}
	if !bytes.Equal(c.Data(), data) {
		t.Fatalf("event %d: OwnedEvent.Data % x, Event.Data % x", i, c.Data(), data)
	}
	if s, ok := b.EventToString(i); ok || s != "" {
		t.Fatalf("event %d: EventToString without the symbol gave %q, %v", i, s, ok)
	}
	if s, ok := b.stream.EventToString(e); ok || s != "" {
		t.Fatalf("event %d: Stream.EventToString without the symbol gave %q, %v", i, s, ok)
	}
}

// fuzzSeeds are the committed corpus's starting points, also run by plain
// go test: the two reported cases and their neighbours.
func fuzzSeeds() [][]byte {
	ev := func(flags uint8, typ uint16, np uint32, lens []uint32, claim, pid uint32, payload string, unsetTs bool) []byte {
		b := []byte{flags}
		b = binary.LittleEndian.AppendUint16(b, typ)
		if flags&fPluginHdr == 0 {
			b = binary.LittleEndian.AppendUint32(b, np)
		}
		for _, l := range lens {
			b = binary.LittleEndian.AppendUint32(b, l)
		}
		b = binary.LittleEndian.AppendUint32(b, claim)
		b = binary.LittleEndian.AppendUint32(b, pid)
		b = append(b, byte(len(payload)))
		b = append(b, payload...)
		if unsetTs {
			return append(b, 1)
		}
		return append(b, 0)
	}
	batch := func(id0 bool, evs ...[]byte) []byte {
		b := []byte{0, byte(len(evs))}
		if id0 {
			b[0] = 1
		}
		for _, e := range evs {
			b = append(b, e...)
		}
		return b
	}
	good := ev(fAutoLen|fPluginHdr, 0, 0, []uint32{0, 4}, 0, 0, "good", false)
	good991 := ev(fAutoLen|fPluginHdr, 0, 0, []uint32{0, 5}, 0, 1, "evt-1", true)
	huge := ev(fAutoLen|fPluginHdr|fHugeParam, 0, 0, []uint32{0, 1<<32 - 1 - 38}, 0, 0, "huge", false)
	hdr26 := ev(fRawLen, 0, 0, nil, 26, 0, "", false)
	t3 := ev(fRawLen, 3, 0, nil, 26, 0, "", false)
	t3max := ev(fRawLen, 3, 0, nil, pluginapi.MaxEventSize, 0, "", false)
	t3over := ev(fHuge, 3, 0, nil, 0, 0, "", false)
	async := ev(fAutoLen, 1, 3, []uint32{4, 5, 4}, 0, 0, "name\x00data", false)
	return [][]byte{
		batch(false, good, good991, huge),
		batch(true, good, hdr26),
		batch(true, t3, good, t3max, t3over),
		batch(true, async, good, ev(fNull, 0, 0, nil, 0, 0, "", false), good),
		batch(false, good, ev(fAutoLen|fPluginHdr, 0, 0, []uint32{0, 3}, 0, 2, "bad", false)),
		batch(false, ev(fRawLen|fPluginHdr, 0, 0, []uint32{0, 4}, 42, 0, "good", false)),
		batch(false),
		{},
	}
}
