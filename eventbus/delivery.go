package eventbus

import (
	"slices"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/pluginapi"
)

// Delivery is one batch lent to a subscriber with the values of its
// fields: every event of the batch, or only those its filter matched.
type Delivery struct {
	pipe    *Pipeline
	batch   *capability.Batch
	n       int
	index   []int32 // delivered event -> batch index; nil: identity
	results []*capability.Results
	sub     *subscription
}

// Len is the number of events.
func (d *Delivery) Len() int { return d.n }

// Batch is the whole batch being delivered, valid only during OnBatch;
// BatchIndex maps a delivered event to its position in it.
func (d *Delivery) Batch() *capability.Batch { return d.batch }

// Pipeline is the pipeline delivering the batch.
func (d *Delivery) Pipeline() *Pipeline { return d.pipe }

// BatchIndex is the position of delivered event i in its batch.
func (d *Delivery) BatchIndex(i int) int {
	if d.index == nil {
		return i
	}
	return int(d.index[i])
}

// Event returns event i, valid during OnBatch.
func (d *Delivery) Event(i int) capability.Event { return d.batch.Event(d.BatchIndex(i)) }

// Field returns the index in Subscriber.Fields of the field named name
// (its first occurrence), for Value.
func (d *Delivery) Field(name string) (int, bool) {
	f, ok := d.sub.fields.pos[name]
	return f, ok
}

// Value returns the value of the subscriber's field f (its index in
// Subscriber.Fields) for event i, valid during OnBatch.
func (d *Delivery) Value(i, f int) capability.Value {
	r := d.sub.refs[f]
	return d.results[r.extractor].Value(d.BatchIndex(i), r.req)
}

// AppendText appends Subscriber.Formats[k] rendered for event i to dst
// (see filter.Formatter.AppendText).
func (d *Delivery) AppendText(dst []byte, i, k int) ([]byte, bool) {
	return d.pipe.formats[d.sub.formatters[k]].fm.AppendText(dst, d.BatchIndex(i))
}

// AppendJSON appends Subscriber.Formats[k] rendered as JSON for event i.
func (d *Delivery) AppendJSON(dst []byte, i, k int) ([]byte, bool) {
	return d.pipe.formats[d.sub.formatters[k]].fm.AppendJSON(dst, d.BatchIndex(i))
}

// Record is an event with its field values, owned by the receiver.
// Records copied from one batch share their backing stores, so a kept
// Record keeps its batch's copy alive.
type Record struct {
	Event  capability.OwnedEvent
	Values []any // one per subscriber field; nil when the field has no value
	fields *fieldIndex
}

// Value returns the value of the named field; ok is false when the event
// has no value for it or it is not one of the subscriber's fields.
func (r Record) Value(field string) (v any, ok bool) {
	if r.fields == nil {
		return nil, false
	}
	f, known := r.fields.pos[field]
	if !known || r.Values[f] == nil {
		return nil, false
	}
	return r.Values[f], true
}

// Fields returns the subscriber's field names, the order of Values.
func (r Record) Fields() []string {
	if r.fields == nil {
		return nil
	}
	return slices.Clone(r.fields.names)
}

// Copy returns event i and its values as a Record.
func (d *Delivery) Copy(i int) Record { return d.copyRange(i, i+1)[0] }

// Records returns every delivered event and its values as Records, with
// one allocation per batch for the events' bytes, the Values slices and
// the string values (scalar values other than strings and small integers
// are still boxed one by one).
func (d *Delivery) Records() []Record { return d.copyRange(0, d.n) }

func (d *Delivery) copyRange(from, to int) []Record {
	nf := len(d.sub.refs)
	size, strBytes := 0, 0
	for i := from; i < to; i++ {
		size += len(d.Event(i).Bytes())
		for f := range nf {
			if v := d.Value(i, f); v.Type == pluginapi.FieldTypeString && !v.List && v.Present() {
				strBytes += len(v.Bytes(0))
			}
		}
	}
	raw := make([]byte, 0, size)
	strs := make([]byte, 0, strBytes)
	for i := from; i < to; i++ {
		for f := range nf {
			if v := d.Value(i, f); v.Type == pluginapi.FieldTypeString && !v.List && v.Present() {
				strs = append(strs, v.Bytes(0)...)
			}
		}
	}
	arena := string(strs)
	values := make([]any, (to-from)*nf)
	recs := make([]Record, to-from)
	for k := range recs {
		i := from + k
		e := d.Event(i)
		start := len(raw)
		raw = append(raw, e.Bytes()...)
		vals := values[k*nf : (k+1)*nf : (k+1)*nf]
		for f := range vals {
			v := d.Value(i, f)
			if v.Type == pluginapi.FieldTypeString && !v.List && v.Present() {
				n := len(v.Bytes(0))
				vals[f], arena = arena[:n], arena[n:]
				continue
			}
			vals[f] = v.Any()
		}
		recs[k] = Record{
			Event:  capability.OwnedEvent{Num: e.Num(), Source: e.Source(), Raw: raw[start:len(raw):len(raw)]},
			Values: vals,
			fields: d.sub.fields,
		}
	}
	return recs
}
