package filter

import (
	"strconv"
	"time"

	"github.com/plughost/plughost/filter/internal/ops"
	"github.com/plughost/plughost/pluginapi"
)

// genericKind is one of libsinsp's generic evt.* fields that exist on
// plugin event sources (sinsp_filter_check_gen_event).
type genericKind uint8

const (
	evtNum genericKind = iota
	evtTime
	evtTimeS
	evtTimeISO8601
	evtDatetime
	evtDatetimeS
	evtRawtime
	evtRawtimeS
	evtRawtimeNs
	evtReltime
	evtReltimeS
	evtReltimeNs
	evtPluginName
	evtPluginInfo
	evtSource
	evtIsAsync
	evtAsyncType
	evtHostname
)

type genericInfo struct {
	name string
	kind genericKind
	t    ops.Type
	// padded: printed with %09lu (PF_10_PADDED_DEC) in text.
	padded bool
	// jsonTime: a time string field whose JSON value is the integer ts.
	jsonTime bool
}

// genericFields is the evt.* field list of libsinsp's generic event
// filtercheck, in its order.
var genericFields = []genericInfo{
	{"evt.num", evtNum, ops.Uint64, false, false},
	{"evt.time", evtTime, ops.String, false, true},
	{"evt.time.s", evtTimeS, ops.String, false, true},
	{"evt.time.iso8601", evtTimeISO8601, ops.String, false, true},
	{"evt.datetime", evtDatetime, ops.String, false, true},
	{"evt.datetime.s", evtDatetimeS, ops.String, false, true},
	{"evt.rawtime", evtRawtime, ops.AbsTime, false, false},
	{"evt.rawtime.s", evtRawtimeS, ops.AbsTime, false, false},
	{"evt.rawtime.ns", evtRawtimeNs, ops.AbsTime, true, false},
	{"evt.reltime", evtReltime, ops.RelTime, true, false},
	{"evt.reltime.s", evtReltimeS, ops.RelTime, false, false},
	{"evt.reltime.ns", evtReltimeNs, ops.RelTime, true, false},
	{"evt.pluginname", evtPluginName, ops.String, false, false},
	{"evt.plugininfo", evtPluginInfo, ops.String, false, false},
	{"evt.source", evtSource, ops.String, false, false},
	{"evt.is_async", evtIsAsync, ops.Bool, false, false},
	{"evt.asynctype", evtAsyncType, ops.String, false, false},
	{"evt.hostname", evtHostname, ops.String, false, false},
}

func lookupGeneric(name string) (*genericInfo, bool) {
	for i := range genericFields {
		if genericFields[i].name == name {
			return &genericFields[i], true
		}
	}
	return nil, false
}

// GenericFields lists the generic evt.* fields available on every plugin
// event source, in libsinsp's order.
func GenericFields() []string {
	names := make([]string, len(genericFields))
	for i, g := range genericFields {
		names[i] = g.name
	}
	return names
}

// genericField reads a generic field from the batch itself.
type genericField struct {
	info *genericInfo
	id   int // scratch index
}

func (g *genericField) typ() ops.Type             { return g.info.t }
func (g *genericField) list() bool                { return false }
func (g *genericField) text() string              { return g.info.name }
func (g *genericField) prepare(*runtime, []int32) {}

func (g *genericField) load(rt *runtime, i int32, v *ops.Vals) {
	v.Reset()
	if i >= rt.limit {
		return
	}
	b := rt.batch
	ts := b.Ts(int(i))
	typ := b.Type(int(i))
	sc := &rt.scratch[g.id]
	sc.buf = sc.buf[:0]
	plugin := typ == pluginapi.EventTypePlugin
	switch g.info.kind {
	case evtNum:
		v.AddNum(b.Num(int(i)))
	case evtTime, evtTimeS, evtDatetime, evtDatetimeS:
		k := g.info.kind
		sc.buf = appendTsString(sc.buf, ts, rt.zoneOffset, k == evtDatetime || k == evtDatetimeS, k == evtTime || k == evtDatetime)
		v.AddBuf(sc.buf)
	case evtTimeISO8601:
		sc.buf = appendTsISO8601(sc.buf, ts)
		v.AddBuf(sc.buf)
	case evtRawtime:
		v.AddNum(ts)
	case evtRawtimeS:
		v.AddNum(ts / 1e9)
	case evtRawtimeNs:
		v.AddNum(ts % 1e9)
	case evtReltime:
		v.AddNum(ts - rt.firstTs)
	case evtReltimeS:
		v.AddNum((ts - rt.firstTs) / 1e9)
	case evtReltimeNs:
		v.AddNum((ts - rt.firstTs) % 1e9)
	case evtPluginName:
		if plugin {
			sc.buf = append(sc.buf, b.PluginName()...)
			v.AddBuf(sc.buf)
		}
	case evtPluginInfo:
		if plugin {
			sc.buf = appendPluginInfo(sc.buf, rt, i, b.Event(int(i)).Data())
			v.AddBuf(sc.buf)
		}
	case evtSource:
		if s := b.EventSource(); s != "" {
			sc.buf = append(sc.buf, s...)
			v.AddBuf(sc.buf)
		}
	case evtIsAsync:
		async := uint64(0)
		if typ == pluginapi.EventTypeAsync {
			async = 1
		}
		v.AddNum(async)
	case evtAsyncType:
		if typ == pluginapi.EventTypeAsync {
			if name, ok := asyncName(b.Event(int(i)).Bytes()); ok {
				sc.buf = append(sc.buf, name...)
				v.AddBuf(sc.buf)
			}
		}
	case evtHostname:
		if rt.hostname != "" {
			sc.buf = append(sc.buf, rt.hostname...)
			v.AddBuf(sc.buf)
		}
	}
}

// appendPluginInfo is libsinsp's sinsp_plugin::event_to_string: the
// plugin's event_to_string, or a summary of the payload when that is
// missing or empty.
func appendPluginInfo(dst []byte, rt *runtime, i int32, data []byte) []byte {
	if s, ok := rt.batch.EventToString(int(i)); ok && s != "" {
		return append(dst, s...)
	}
	dst = append(dst, "datalen="...)
	dst = strconv.AppendInt(dst, int64(len(data)), 10)
	dst = append(dst, " data="...)
	head := data[:min(len(data), 50)]
	for _, c := range head {
		if c < 0x20 || c > 0x7e {
			return append(dst, "<binary>"...)
		}
	}
	dst = append(dst, head...)
	if len(data) > 50 {
		dst = append(dst, "..."...)
	}
	return dst
}

// asyncName reads the NUL-terminated name parameter of an async event.
func asyncName(raw []byte) (string, bool) {
	ev, err := pluginapi.DecodeAsyncEvent(raw)
	if err != nil {
		return "", false
	}
	return ev.Name, true
}

// localOffset is libsinsp's gmt2local(0): the local zone's offset from UTC
// now, applied to every timestamp (not the offset at the event's time). The
// runtime reads it once per batch.
func localOffset() int64 {
	_, off := time.Now().Zone()
	return int64(off)
}

// appendTsString is sinsp_utils::ts_to_string: local "HH:MM:SS" with
// ".nnnnnnnnn" when ns, preceded by "YYYY-MM-DD " when date.
func appendTsString(dst []byte, ts uint64, zoneOffset int64, date, ns bool) []byte {
	sec := ts / 1e9
	nsec := ts % 1e9
	shifted := sec + uint64(zoneOffset)
	s := int64(shifted % 86400)
	if date {
		y, m, d := time.Unix(int64(shifted)-s, 0).UTC().Date()
		dst = appendPad(dst, uint64(y), 4)
		dst = append(dst, '-')
		dst = appendPad(dst, uint64(m), 2)
		dst = append(dst, '-')
		dst = appendPad(dst, uint64(d), 2)
		dst = append(dst, ' ')
	}
	dst = appendPad(dst, uint64(s/3600), 2)
	dst = append(dst, ':')
	dst = appendPad(dst, uint64(s%3600/60), 2)
	dst = append(dst, ':')
	dst = appendPad(dst, uint64(s%60), 2)
	if ns {
		dst = append(dst, '.')
		dst = appendPad(dst, nsec, 9)
	}
	return dst
}

// appendTsISO8601 is sinsp_utils::ts_to_iso_8601: UTC
// "YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000".
func appendTsISO8601(dst []byte, ts uint64) []byte {
	t := time.Unix(int64(ts/1e9), 0).UTC()
	dst = t.AppendFormat(dst, "2006-01-02T15:04:05")
	dst = append(dst, '.')
	dst = appendPad(dst, ts%1e9, 9)
	return append(dst, "+0000"...)
}

// appendPad appends v in decimal, zero-padded to width digits.
func appendPad(dst []byte, v uint64, width int) []byte {
	var tmp [20]byte
	b := strconv.AppendUint(tmp[:0], v, 10)
	for k := len(b); k < width; k++ {
		dst = append(dst, '0')
	}
	return append(dst, b...)
}
