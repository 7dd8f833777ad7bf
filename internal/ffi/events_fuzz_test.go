package ffi_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/plughost/plughost/internal/ffi"
	"github.com/plughost/plughost/pluginapi"
)

const fuzzNow = 0x0123_4567_89ab_cdef

// validateOne runs ValidatePluginEvents on a C copy of buf (at least 38
// bytes, so the fixed header reads stay in bounds) and returns its verdict,
// the bytes afterwards and how many times now was called.
func validateOne(t *testing.T, buf []byte, id uint32) (ok bool, after []byte, nowCalls int) {
	t.Helper()
	mem := ffi.NewCMem(buf)
	defer mem.Free()
	ptrs := ffi.Alloc(8)
	defer ffi.Free(ptrs)
	ffi.Put(ptrs, mem.Addr)
	got := ffi.ValidatePluginEvents(ptrs, 1, id, func() uint64 { nowCalls++; return fuzzNow })
	if got != 0 && got != 1 {
		t.Fatalf("ValidatePluginEvents returned %d for one event", got)
	}
	return got == 1, bytes.Clone(ffi.Bytes(mem.Addr, len(buf))), nowCalls
}

// FuzzValidatePluginEvents checks the in-place fast validator against the
// full decoder: it accepts exactly the events DecodePluginEvent accepts whose
// plugin id is 0 or id, rewrites only tid, plugin id and an unset ts, and
// leaves a rejected event untouched.
//
// setLen overwrites the event's length field with len(data)-slack, so that
// the fuzzer easily reaches events whose length agrees with their buffer;
// otherwise the length field is whatever the input says and may lie. Inputs
// whose length field exceeds the buffer but not the size cap are skipped:
// the validator trusts the plugin's length (it cannot know the buffer
// size), so reading past the buffer would be the plugin's fault, not a
// verdict to compare. A length above the cap (as event_len_4gib's 4 GiB)
// must be rejected whatever the buffer, reading only the header.
func FuzzValidatePluginEvents(f *testing.F) {
	good := pluginapi.AppendPluginEvent(nil, 1700000000000000000, 0, []byte("evt-0"))
	f.Add(good, uint32(991), false, uint8(0))
	f.Add(pluginapi.AppendPluginEvent(nil, pluginapi.TsUnset, 991, nil), uint32(991), false, uint8(0))
	f.Add(pluginapi.AppendPluginEvent(nil, 5, 7, []byte("foreign")), uint32(991), false, uint8(0))
	f.Add(append(bytes.Clone(good), "trailing"...), uint32(991), true, uint8(8))
	f.Add(pluginapi.AppendAsyncEvent(nil, 5, 0, "name", []byte("data")), uint32(991), true, uint8(0))
	f.Add(good[:30], uint32(991), true, uint8(0))
	f.Add([]byte{}, uint32(0), false, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, id uint32, setLen bool, slack uint8) {
		ev := bytes.Clone(data)
		if setLen && len(ev) >= pluginapi.EventLenOffset+4 {
			binary.LittleEndian.PutUint32(ev[pluginapi.EventLenOffset:], uint32(max(len(ev)-int(slack), 0)))
		}
		if beyondBuffer(ev) {
			t.Skip("the length field exceeds the buffer")
		}
		buf := make([]byte, max(len(ev), pluginapi.PluginEventPayloadOffset))
		copy(buf, ev)

		pe, err := pluginapi.DecodePluginEvent(ev)
		want := err == nil && (pe.PluginID == 0 || pe.PluginID == id)
		live := ffi.LiveAllocs()
		ok, after, nowCalls := validateOne(t, buf, id)
		if got := ffi.LiveAllocs(); got != live {
			t.Fatalf("%d C blocks live after the check, %d before", got, live)
		}
		if ok != want {
			t.Fatalf("ValidatePluginEvents accepts=%v, DecodePluginEvent err=%v (plugin id %d, host id %d) for % x", ok, err, pe.PluginID, id, ev)
		}
		if !ok {
			if !bytes.Equal(after, buf) {
				t.Fatalf("a rejected event was modified:\n before % x\n after  % x", buf, after)
			}
			if nowCalls != 0 {
				t.Fatalf("now called %d times for a rejected event", nowCalls)
			}
			return
		}
		wantAfter := bytes.Clone(buf)
		binary.LittleEndian.PutUint64(wantAfter[pluginapi.EventTidOffset:], pluginapi.NoTid)
		binary.LittleEndian.PutUint32(wantAfter[pluginapi.PluginEventIDOffset:], id)
		wantNow := 0
		if pe.Ts == pluginapi.TsUnset {
			binary.LittleEndian.PutUint64(wantAfter[pluginapi.EventTsOffset:], fuzzNow)
			wantNow = 1
		}
		if !bytes.Equal(after, wantAfter) {
			t.Fatalf("accepted event rewritten wrongly:\n got  % x\n want % x", after, wantAfter)
		}
		if nowCalls != wantNow {
			t.Fatalf("now called %d times, want %d", nowCalls, wantNow)
		}
		pe2, err := pluginapi.DecodePluginEvent(after[:len(ev)])
		if err != nil || pe2.PluginID != id || !bytes.Equal(pe2.Data, pe.Data) {
			t.Fatalf("rewritten event decodes to %+v, %v", pe2, err)
		}
	})
}

// beyondBuffer reports whether the length field of ev claims more bytes
// than ev has, yet no more than the cap of its type (so that validation
// would accept it only by trusting memory the fuzzer does not have).
func beyondBuffer(ev []byte) bool {
	if len(ev) < pluginapi.EventLenOffset+4 {
		return false
	}
	length := binary.LittleEndian.Uint32(ev[pluginapi.EventLenOffset:])
	if len(ev) >= pluginapi.EventTypeOffset+2 && length > pluginapi.MaxEventLen(binary.LittleEndian.Uint16(ev[pluginapi.EventTypeOffset:])) {
		return false
	}
	return uint64(length) > uint64(len(ev))
}

// FuzzValidateRawEvents checks the id-0 validator against the decoder: it
// accepts an event when its header does, and for type 322 only a whole
// plugin event (any plugin id); it rewrites only tid and an unset ts, and
// leaves a rejected event untouched.
func FuzzValidateRawEvents(f *testing.F) {
	hdr := func(typ uint16, length uint32) []byte {
		b := make([]byte, pluginapi.EventHeaderLen)
		pluginapi.PutHeader(b, pluginapi.EventHeader{Ts: pluginapi.TsUnset, Tid: 5, Len: length, Type: typ})
		return b
	}
	f.Add(pluginapi.AppendPluginEvent(nil, 1, 7, []byte("evt-0")), false, uint8(0))
	f.Add(pluginapi.AppendPluginEvent(nil, 1, 0, []byte("evt-0")), false, uint8(0))
	f.Add(hdr(pluginapi.EventTypePlugin, 26), false, uint8(0))
	f.Add(hdr(3, 26), false, uint8(0))
	f.Add(hdr(3, pluginapi.MaxEventSize+1), false, uint8(0))
	f.Add(hdr(pluginapi.EventTypeAsync, 1<<32-1), false, uint8(0))
	f.Add(pluginapi.AppendAsyncEvent(nil, 5, 0, "name", []byte("data")), true, uint8(0))
	f.Add([]byte{}, false, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, setLen bool, slack uint8) {
		ev := bytes.Clone(data)
		if setLen && len(ev) >= pluginapi.EventLenOffset+4 {
			binary.LittleEndian.PutUint32(ev[pluginapi.EventLenOffset:], uint32(max(len(ev)-int(slack), 0)))
		}
		// The validator reads a zero-padded copy: judge that.
		buf := make([]byte, max(len(ev), pluginapi.PluginEventPayloadOffset))
		copy(buf, ev)
		if beyondBuffer(buf) {
			t.Skip("the length field exceeds the buffer")
		}

		h, err := pluginapi.DecodeHeader(buf)
		want := err == nil
		if want && h.Type == pluginapi.EventTypePlugin {
			_, err = pluginapi.DecodePluginEvent(buf)
			want = err == nil
		}
		mem := ffi.NewCMem(buf)
		defer mem.Free()
		nowCalls := 0
		got := ffi.ValidateRawEvents(putPtrs(t, mem.Addr), 1, func() uint64 { nowCalls++; return fuzzNow }) == 1
		after := bytes.Clone(ffi.Bytes(mem.Addr, len(buf)))
		if got != want {
			t.Fatalf("ValidateRawEvents accepts=%v, decoder err=%v for % x", got, err, ev)
		}
		wantAfter := bytes.Clone(buf)
		if got {
			binary.LittleEndian.PutUint64(wantAfter[pluginapi.EventTidOffset:], pluginapi.NoTid)
			if h.Ts == pluginapi.TsUnset {
				binary.LittleEndian.PutUint64(wantAfter[pluginapi.EventTsOffset:], fuzzNow)
			}
		}
		if !bytes.Equal(after, wantAfter) {
			t.Fatalf("event rewritten wrongly (accepted=%v):\n got  % x\n want % x", got, after, wantAfter)
		}
		if wantNow := b2i(got && h.Ts == pluginapi.TsUnset); nowCalls != wantNow {
			t.Fatalf("now called %d times, want %d", nowCalls, wantNow)
		}
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// putPtrs writes event addresses (0 for NULL) into a new C pointer array.
func putPtrs(t *testing.T, addrs ...uintptr) uintptr {
	ptrs := ffi.Alloc(8 * len(addrs))
	t.Cleanup(func() { ffi.Free(ptrs) })
	for i, a := range addrs {
		ffi.Put(ptrs+uintptr(8*i), a)
	}
	return ptrs
}

func cEvent(t *testing.T, b []byte) ffi.CMem {
	m := ffi.NewCMem(b)
	t.Cleanup(m.Free)
	return m
}

func TestValidatePluginEventsStopsAtFirstBadEvent(t *testing.T) {
	now := 0
	clock := func() uint64 { now++; return fuzzNow }
	e0 := cEvent(t, pluginapi.AppendPluginEvent(nil, pluginapi.TsUnset, 0, []byte("a")))
	e1 := cEvent(t, pluginapi.AppendPluginEvent(nil, pluginapi.TsUnset, 991, []byte("b")))
	bad := pluginapi.AppendPluginEvent(nil, pluginapi.TsUnset, 7, []byte("c"))
	e2 := cEvent(t, bad)
	e3 := cEvent(t, pluginapi.AppendPluginEvent(nil, pluginapi.TsUnset, 0, []byte("d")))

	if got := ffi.ValidatePluginEvents(putPtrs(t, e0.Addr, e1.Addr, e2.Addr, e3.Addr), 4, 991, clock); got != 2 {
		t.Fatalf("got %d, want 2 (the foreign id)", got)
	}
	if now != 1 {
		t.Errorf("now called %d times, want once per call", now)
	}
	for i, m := range []ffi.CMem{e0, e1} {
		pe, err := pluginapi.DecodePluginEvent(bytes.Clone(ffi.Bytes(m.Addr, m.Len)))
		if err != nil || pe.PluginID != 991 || pe.Ts != fuzzNow || pe.Tid != pluginapi.NoTid {
			t.Errorf("event %d: %+v, %v", i, pe, err)
		}
	}
	if got := bytes.Clone(ffi.Bytes(e2.Addr, e2.Len)); !bytes.Equal(got, bad) {
		t.Errorf("the bad event was modified: % x", got)
	}
	pe, _ := pluginapi.DecodePluginEvent(bytes.Clone(ffi.Bytes(e3.Addr, e3.Len)))
	if pe.PluginID != 0 || pe.Ts != pluginapi.TsUnset {
		t.Errorf("an event after the bad one was rewritten: %+v", pe)
	}

	if got := ffi.ValidatePluginEvents(putPtrs(t, e0.Addr, 0, e3.Addr), 3, 991, clock); got != 1 {
		t.Errorf("NULL pointer: got %d, want 1", got)
	}
	if got := ffi.ValidatePluginEvents(0, 0, 991, clock); got != 0 {
		t.Errorf("no events: got %d, want 0", got)
	}
}
