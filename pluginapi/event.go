package pluginapi

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Packed event layout (little-endian), shared by plugin and async events:
//
//	u64 ts | u64 tid | u32 len | u16 type | u32 nparams | u32 paramlen[nparams] | params
const (
	EventHeaderLen = 26

	// Plugin event (type 322): 2 params, u32 plugin id then the payload.
	PluginEventParams        = 2
	PluginEventIDOffset      = EventHeaderLen + 4*PluginEventParams // 34
	PluginEventPayloadOffset = PluginEventIDOffset + 4              // 38

	// Async event (type 402): 3 params, u32 plugin id, NUL-terminated name, payload.
	AsyncEventParams     = 3
	AsyncEventIDOffset   = EventHeaderLen + 4*AsyncEventParams // 38
	AsyncEventNameOffset = AsyncEventIDOffset + 4              // 42
)

// Header field offsets, for in-place rewrites of lent events.
const (
	EventTsOffset      = 0
	EventTidOffset     = 8
	EventLenOffset     = 16
	EventTypeOffset    = 20
	EventNParamsOffset = 22
)

// MaxEventSize is libscap's MAX_EVENT_SIZE (64 KiB, in
// userspace/libscap/engine/savefile/scap_savefile.c and the drivers'
// push_data.h, libs 0.25.4): the largest event of a type whose parameter
// lengths are 16-bit, i.e. every type without EF_LARGE_PAYLOAD. Longer
// events of those types are rejected.
const MaxEventSize = 64 << 10

// MaxLargeEventSize is the host's cap on events of the EF_LARGE_PAYLOAD
// types (plugin 322, container JSON 324, async 402). libscap gives them
// 32-bit parameter lengths and no cap below UINT32_MAX, and real plugins
// send events above MaxEventSize (the Go SDK's default event buffer is
// 256 KiB, k8saudit's maxEventSize is configurable), so libscap's
// MAX_EVENT_SIZE cannot apply to them; but a length of gigabytes is a
// plugin bug that would make the host read and copy gigabytes of plugin
// memory, so it is rejected too.
const MaxLargeEventSize = 64 << 20

// EventTypeContainerJSON2 is PPME_CONTAINER_JSON_2_E, the third
// EF_LARGE_PAYLOAD type of libscap 0.25.4.
const EventTypeContainerJSON2 uint16 = 324

// IsLargePayload reports whether libscap flags events of type t
// EF_LARGE_PAYLOAD (32-bit parameter lengths).
func IsLargePayload(t uint16) bool {
	return t == EventTypePlugin || t == EventTypeAsync || t == EventTypeContainerJSON2
}

// MaxEventLen is the largest length accepted for an event of type t:
// MaxLargeEventSize for the EF_LARGE_PAYLOAD types, MaxEventSize otherwise.
func MaxEventLen(t uint16) uint32 {
	if IsLargePayload(t) {
		return MaxLargeEventSize
	}
	return MaxEventSize
}

// CheckEventLen returns an *EventError when length is above MaxEventLen(t).
func CheckEventLen(t uint16, length uint32) error {
	if length <= MaxEventLen(t) {
		return nil
	}
	if IsLargePayload(t) {
		return malformed("length %d exceeds the host's %d-byte limit on large-payload events (type %d; libscap's MAX_EVENT_SIZE, %d, bounds the other types)", length, MaxLargeEventSize, t, MaxEventSize)
	}
	return malformed("length %d exceeds libscap's MAX_EVENT_SIZE (%d bytes) for type %d", length, MaxEventSize, t)
}

// NoTid is the thread id every plugin event carries (UINT64_MAX, i.e. -1).
const NoTid = ^uint64(0)

// TsUnset is the timestamp a plugin leaves for the host to fill with now.
const TsUnset = ^uint64(0)

// ErrMalformedEvent is matched (errors.Is) by every decoding failure.
var ErrMalformedEvent = errors.New("malformed event")

// EventError describes why bytes are not a well-formed event.
type EventError struct {
	Reason string
}

func (e *EventError) Error() string { return "malformed event: " + e.Reason }

func (e *EventError) Is(target error) bool { return target == ErrMalformedEvent }

func malformed(format string, args ...any) error {
	return &EventError{Reason: fmt.Sprintf(format, args...)}
}

// EventHeader is the decoded 26-byte header.
type EventHeader struct {
	Ts      uint64
	Tid     uint64
	Len     uint32
	Type    uint16
	NParams uint32
}

// DecodeHeader reads the header and checks that Len covers the header, is
// at most MaxEventLen(Type) and fits in b.
func DecodeHeader(b []byte) (EventHeader, error) {
	if len(b) < EventHeaderLen {
		return EventHeader{}, malformed("%d bytes is shorter than the %d-byte header", len(b), EventHeaderLen)
	}
	h := EventHeader{
		Ts:      binary.LittleEndian.Uint64(b[EventTsOffset:]),
		Tid:     binary.LittleEndian.Uint64(b[EventTidOffset:]),
		Len:     binary.LittleEndian.Uint32(b[EventLenOffset:]),
		Type:    binary.LittleEndian.Uint16(b[EventTypeOffset:]),
		NParams: binary.LittleEndian.Uint32(b[EventNParamsOffset:]),
	}
	if h.Len < EventHeaderLen {
		return h, malformed("length %d is shorter than the %d-byte header", h.Len, EventHeaderLen)
	}
	if err := CheckEventLen(h.Type, h.Len); err != nil {
		return h, err
	}
	if uint64(h.Len) > uint64(len(b)) {
		return h, malformed("length %d exceeds the %d bytes available", h.Len, len(b))
	}
	return h, nil
}

// PutHeader writes h into the first 26 bytes of b.
func PutHeader(b []byte, h EventHeader) {
	binary.LittleEndian.PutUint64(b[EventTsOffset:], h.Ts)
	binary.LittleEndian.PutUint64(b[EventTidOffset:], h.Tid)
	binary.LittleEndian.PutUint32(b[EventLenOffset:], h.Len)
	binary.LittleEndian.PutUint16(b[EventTypeOffset:], h.Type)
	binary.LittleEndian.PutUint32(b[EventNParamsOffset:], h.NParams)
}

// largeParams checks the u32 parameter-length table of a large-payload event
// against its header length and returns the parameter slices.
func largeParams(b []byte, h EventHeader, want uint32) ([AsyncEventParams][]byte, error) {
	var params [AsyncEventParams][]byte
	if h.NParams != want {
		return params, malformed("type %d has %d params, want %d", h.Type, h.NParams, want)
	}
	off := uint64(EventHeaderLen) + 4*uint64(want)
	if off > uint64(h.Len) {
		return params, malformed("length %d cannot hold %d parameter lengths", h.Len, want)
	}
	for i := uint32(0); i < want; i++ {
		n := uint64(binary.LittleEndian.Uint32(b[EventHeaderLen+4*i:]))
		if off+n > uint64(h.Len) {
			return params, malformed("parameter %d (%d bytes at offset %d) overruns the event length %d", i, n, off, h.Len)
		}
		params[i] = b[off : off+n : off+n]
		off += n
	}
	if off != uint64(h.Len) {
		return params, malformed("length %d is not header plus parameters (%d)", h.Len, off)
	}
	return params, nil
}

// PluginEvent is a decoded plugin event (type 322). Data aliases the input.
type PluginEvent struct {
	EventHeader
	PluginID uint32
	Data     []byte
}

// DecodePluginEvent decodes and fully validates a plugin event.
func DecodePluginEvent(b []byte) (PluginEvent, error) {
	h, err := DecodeHeader(b)
	if err != nil {
		return PluginEvent{}, err
	}
	if h.Type != EventTypePlugin {
		return PluginEvent{}, malformed("type %d is not a plugin event (%d)", h.Type, EventTypePlugin)
	}
	params, err := largeParams(b, h, PluginEventParams)
	if err != nil {
		return PluginEvent{}, err
	}
	if len(params[0]) != 4 {
		return PluginEvent{}, malformed("plugin id parameter has %d bytes, want 4", len(params[0]))
	}
	return PluginEvent{EventHeader: h, PluginID: binary.LittleEndian.Uint32(params[0]), Data: params[1]}, nil
}

// AsyncEvent is a decoded async event (type 402). Name and Data alias the input.
type AsyncEvent struct {
	EventHeader
	PluginID uint32
	Name     string
	Data     []byte
}

// DecodeAsyncEvent decodes and fully validates an async event, including the
// NUL terminator of its name.
func DecodeAsyncEvent(b []byte) (AsyncEvent, error) {
	h, err := DecodeHeader(b)
	if err != nil {
		return AsyncEvent{}, err
	}
	if h.Type != EventTypeAsync {
		return AsyncEvent{}, malformed("type %d is not an async event (%d)", h.Type, EventTypeAsync)
	}
	params, err := largeParams(b, h, AsyncEventParams)
	if err != nil {
		return AsyncEvent{}, err
	}
	if len(params[0]) != 4 {
		return AsyncEvent{}, malformed("plugin id parameter has %d bytes, want 4", len(params[0]))
	}
	name := params[1]
	if len(name) == 0 || name[len(name)-1] != 0 {
		return AsyncEvent{}, malformed("async event name is not NUL-terminated")
	}
	return AsyncEvent{
		EventHeader: h,
		PluginID:    binary.LittleEndian.Uint32(params[0]),
		Name:        string(name[:len(name)-1]),
		Data:        params[2],
	}, nil
}

// AppendPluginEvent appends an encoded plugin event to dst.
func AppendPluginEvent(dst []byte, ts uint64, pluginID uint32, data []byte) []byte {
	total := PluginEventPayloadOffset + len(data)
	start := len(dst)
	dst = append(dst, make([]byte, PluginEventPayloadOffset)...)
	b := dst[start:]
	PutHeader(b, EventHeader{Ts: ts, Tid: NoTid, Len: uint32(total), Type: EventTypePlugin, NParams: PluginEventParams})
	binary.LittleEndian.PutUint32(b[EventHeaderLen:], 4)
	binary.LittleEndian.PutUint32(b[EventHeaderLen+4:], uint32(len(data)))
	binary.LittleEndian.PutUint32(b[PluginEventIDOffset:], pluginID)
	return append(dst, data...)
}

// AppendAsyncEvent appends an encoded async event to dst.
func AppendAsyncEvent(dst []byte, ts uint64, pluginID uint32, name string, data []byte) []byte {
	nameLen := len(name) + 1
	start := len(dst)
	dst = append(dst, make([]byte, AsyncEventNameOffset)...)
	b := dst[start:]
	PutHeader(b, EventHeader{Ts: ts, Tid: NoTid, Len: uint32(AsyncEventNameOffset + nameLen + len(data)), Type: EventTypeAsync, NParams: AsyncEventParams})
	binary.LittleEndian.PutUint32(b[EventHeaderLen:], 4)
	binary.LittleEndian.PutUint32(b[EventHeaderLen+4:], uint32(nameLen))
	binary.LittleEndian.PutUint32(b[EventHeaderLen+8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(b[AsyncEventIDOffset:], pluginID)
	dst = append(dst, name...)
	dst = append(dst, 0)
	return append(dst, data...)
}
