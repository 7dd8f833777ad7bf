// Command gocounter is a test fixture plugin built with plugin-sdk-go as a
// c-shared library. It has both the event sourcing and the field extraction
// capabilities.
//
// Init config (optional, JSON): {"start": <uint>, "jitter": <bool>}
//   - start: value of the first emitted counter (default 0).
//   - jitter: when true, every third next_batch call returns a timeout (no
//     events) and the other calls return batches of growing size (1, 2, 3,
//     ... events, wrapping around at the SDK batch size); otherwise every
//     batch is as large as possible (up to the SDK default of 128 events).
//
// Open params: decimal number N of events to emit ("" means 10). The
// instance emits the counter values start, start+1, ..., start+N-1 and then
// returns EOF. Each event payload is the 8-byte little-endian counter value,
// and its timestamp is the counter value itself.
package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/falcosecurity/plugin-sdk-go/pkg/sdk"
	"github.com/falcosecurity/plugin-sdk-go/pkg/sdk/plugins"
	"github.com/falcosecurity/plugin-sdk-go/pkg/sdk/plugins/extractor"
	"github.com/falcosecurity/plugin-sdk-go/pkg/sdk/plugins/source"
)

const (
	pluginID      = 998
	pluginName    = "gocounter"
	pluginVersion = "0.1.0"
	eventSource   = "gocounter"

	defaultCount = 10
)

const initSchema = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "type": "object",
  "properties": {
    "start": {
      "type": "integer",
      "minimum": 0,
      "description": "Value of the first emitted counter"
    },
    "jitter": {
      "type": "boolean",
      "description": "Return batches of varying size, with timeouts in between"
    }
  },
  "additionalProperties": false
}`

type config struct {
	Start  uint64 `json:"start"`
	Jitter bool   `json:"jitter"`
}

type counterPlugin struct {
	plugins.BasePlugin
	cfg config
}

func init() {
	plugins.SetFactory(func() plugins.Plugin {
		p := &counterPlugin{}
		source.Register(p)
		extractor.Register(p)
		return p
	})
}

func (p *counterPlugin) Info() *plugins.Info {
	return &plugins.Info{
		ID:          pluginID,
		Name:        pluginName,
		Description: "Test fixture: emits a sequence of counter values",
		Contact:     "github.com/plughost/plughost",
		Version:     pluginVersion,
		EventSource: eventSource,
	}
}

func (p *counterPlugin) InitSchema() *sdk.SchemaInfo {
	return &sdk.SchemaInfo{Schema: initSchema}
}

func (p *counterPlugin) Init(cfg string) error {
	p.cfg = config{}
	if strings.TrimSpace(cfg) == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(cfg))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p.cfg); err != nil {
		return fmt.Errorf("gocounter: invalid init config: %w", err)
	}
	if dec.More() {
		return errors.New("gocounter: invalid init config: trailing data")
	}
	return nil
}

func (p *counterPlugin) OpenParams() ([]sdk.OpenParam, error) {
	return []sdk.OpenParam{
		{Value: "", Desc: "emit 10 events"},
		{Value: "0", Desc: "emit no events"},
		{Value: "1", Desc: "emit a single event"},
		{Value: "1000", Desc: "emit 1000 events"},
	}, nil
}

func (p *counterPlugin) Open(params string) (source.Instance, error) {
	n := uint64(defaultCount)
	if s := strings.TrimSpace(params); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("gocounter: invalid open params %q: want a decimal event count", params)
		}
		n = v
	}
	return &counterInstance{
		next:   p.cfg.Start,
		left:   n,
		total:  n,
		jitter: p.cfg.Jitter,
	}, nil
}

func decodeValue(evt sdk.EventReader) (uint64, error) {
	var buf [8]byte
	r := evt.Reader()
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return 0, fmt.Errorf("gocounter: short event payload: %w", err)
	}
	if n, _ := r.Read(buf[:1]); n != 0 {
		return 0, errors.New("gocounter: event payload longer than 8 bytes")
	}
	return binary.LittleEndian.Uint64(buf[:]), nil
}

func (p *counterPlugin) String(evt sdk.EventReader) (string, error) {
	v, err := decodeValue(evt)
	if err != nil {
		return "", err
	}
	return "counter=" + strconv.FormatUint(v, 10), nil
}

func (p *counterPlugin) Fields() []sdk.FieldEntry {
	return []sdk.FieldEntry{
		{Type: "uint64", Name: "gocounter.value", Display: "Value", Desc: "The counter value"},
		{Type: "bool", Name: "gocounter.even", Display: "Even", Desc: "True if the counter value is even"},
		{Type: "string", Name: "gocounter.text", Display: "Text", Desc: "The counter value as decimal text"},
		{Type: "string", Name: "gocounter.digits", IsList: true, Display: "Digits", Desc: "The decimal digits of the counter value"},
		{
			Type: "uint64", Name: "gocounter.arg", Display: "Value plus index",
			Desc: "The counter value plus the index argument",
			Arg:  sdk.FieldEntryArg{IsIndex: true, IsRequired: true},
		},
		{Type: "uint64", Name: "gocounter.gomaxprocs", Display: "GOMAXPROCS", Desc: "The GOMAXPROCS of the plugin's Go runtime (host settings test)"},
	}
}

func (p *counterPlugin) Extract(req sdk.ExtractRequest, evt sdk.EventReader) error {
	v, err := decodeValue(evt)
	if err != nil {
		return err
	}
	switch req.Field() {
	case "gocounter.value":
		req.SetValue(v)
	case "gocounter.even":
		req.SetValue(v%2 == 0)
	case "gocounter.text":
		req.SetValue(strconv.FormatUint(v, 10))
	case "gocounter.digits":
		text := strconv.FormatUint(v, 10)
		digits := make([]string, len(text))
		for i := range text {
			digits[i] = text[i : i+1]
		}
		req.SetValue(digits)
	case "gocounter.gomaxprocs":
		req.SetValue(uint64(runtime.GOMAXPROCS(0)))
	case "gocounter.arg":
		if !req.ArgPresent() {
			return errors.New("gocounter: gocounter.arg requires an index argument")
		}
		req.SetValue(v + req.ArgIndex())
	default:
		return fmt.Errorf("gocounter: unsupported field %q", req.Field())
	}
	return nil
}

type counterInstance struct {
	source.BaseInstance
	next   uint64 // next counter value to emit
	left   uint64 // events left to emit
	total  uint64
	jitter bool
	calls  uint64 // next_batch calls so far
	size   int    // size of the previous jittered batch
}

func (c *counterInstance) NextBatch(_ sdk.PluginState, evts sdk.EventWriters) (int, error) {
	c.calls++
	if c.left == 0 {
		return 0, sdk.ErrEOF
	}
	max := evts.Len()
	if c.jitter {
		if c.calls%3 == 0 {
			return 0, sdk.ErrTimeout
		}
		c.size = c.size%max + 1
		max = c.size
	}
	if uint64(max) > c.left {
		max = int(c.left)
	}
	var payload [8]byte
	for i := 0; i < max; i++ {
		binary.LittleEndian.PutUint64(payload[:], c.next)
		w := evts.Get(i)
		if _, err := w.Writer().Write(payload[:]); err != nil {
			return i, err
		}
		w.SetTimestamp(c.next)
		c.next++
		c.left--
	}
	return max, nil
}

func (c *counterInstance) Progress(_ sdk.PluginState) (float64, string) {
	if c.total == 0 {
		return 1, "100.00"
	}
	done := float64(c.total-c.left) / float64(c.total)
	return done, strconv.FormatFloat(done*100, 'f', 2, 64)
}

func main() {}
