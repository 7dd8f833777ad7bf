package ffi

import (
	"unsafe"

	"github.com/plughost/plughost/pluginapi"
)

// pluginEventHead is bytes 20..27 of a well-formed plugin event, read as one
// little-endian uint64: type 322, nparams 2, and the low half of the first
// parameter length (4).
const pluginEventHead = 0x0004_0000_0002_0142

// ValidatePluginEvents checks the plugin events at ptrs[0..n) in place and
// returns the index of the first malformed one (n when all are good). A
// good event is at least 38 bytes long, of type 322 with 2 parameters, its
// first parameter 4 bytes, its length the header plus both parameters and
// at most pluginapi.MaxLargeEventSize, and carries plugin id 0 or id. On
// each good event it writes id over 0, sets tid to -1 and replaces a ts of
// UINT64_MAX with now() (called at most once per call). The size cap is a
// compare of its own: folded into the length compare with shifts it
// measured slower (a longer dependency chain before the branch). The events are plugin memory lent until the next next_batch.
func ValidatePluginEvents(ptrs uintptr, n int, id uint32, now func() uint64) int {
	var nowTs uint64
	if n == 0 {
		return 0
	}
	for i, p := range unsafe.Slice((*unsafe.Pointer)(pointer(ptrs)), n) {
		if p == nil {
			return i
		}
		length := *(*uint32)(unsafe.Add(p, 16))
		if *(*uint64)(unsafe.Add(p, 20)) != pluginEventHead || *(*uint16)(unsafe.Add(p, 28)) != 0 ||
			uint64(length) != 38+uint64(*(*uint32)(unsafe.Add(p, 30))) || length > pluginapi.MaxLargeEventSize {
			return i
		}
		pid := (*uint32)(unsafe.Add(p, 34))
		if *pid != id {
			if *pid != 0 {
				return i
			}
			*pid = id
		}
		if tid := (*uint64)(unsafe.Add(p, 8)); *tid != ^uint64(0) {
			*tid = ^uint64(0)
		}
		if ts := (*uint64)(p); *ts == ^uint64(0) {
			if nowTs == 0 {
				nowTs = now()
			}
			*ts = nowTs
		}
	}
	return n
}

// ValidateRawEvents is ValidatePluginEvents for id-0 plugins, whose events
// may be of any libscap type. An event needs a header and a length of at
// most pluginapi.MaxEventLen of its type. One of type 322 (a plugin event
// of another plugin, say replayed) must be a well-formed plugin event, as
// ValidatePluginEvents checks it (whatever its plugin id, which is left as
// it is), so that Event.Data and the extractors may read it as one. Good
// events get tid and ts set like ValidatePluginEvents.
func ValidateRawEvents(ptrs uintptr, n int, now func() uint64) int {
	var nowTs uint64
	for i := 0; i < n; i++ {
		p := pointer(Get[uintptr](ptrs + uintptr(i)*8))
		if p == nil {
			return i
		}
		length := *(*uint32)(unsafe.Add(p, 16))
		if length < 26 {
			return i
		}
		switch typ := *(*uint16)(unsafe.Add(p, 20)); {
		case typ == pluginapi.EventTypePlugin:
			if length < 38 || *(*uint64)(unsafe.Add(p, 20)) != pluginEventHead || *(*uint16)(unsafe.Add(p, 28)) != 0 ||
				uint64(length) != 38+uint64(*(*uint32)(unsafe.Add(p, 30))) || length > pluginapi.MaxLargeEventSize {
				return i
			}
		case length > pluginapi.MaxEventLen(typ):
			return i
		}
		*(*uint64)(unsafe.Add(p, 8)) = ^uint64(0)
		if ts := (*uint64)(p); *ts == ^uint64(0) {
			if nowTs == 0 {
				nowTs = now()
			}
			*ts = nowTs
		}
	}
	return n
}

// EventLen reads the length field of the event at p.
func EventLen(p uintptr) uint32 { return Get[uint32](p + 16) }
