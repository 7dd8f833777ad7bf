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
// whose length field exceeds the buffer are skipped: the validator trusts
// the plugin's length (it cannot know the buffer size), so reading past the
// buffer would be the plugin's fault, not a verdict to compare.
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
		if len(ev) >= pluginapi.EventLenOffset+4 && uint64(binary.LittleEndian.Uint32(ev[pluginapi.EventLenOffset:])) > uint64(len(ev)) {
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
