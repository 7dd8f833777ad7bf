// Command goextract is a test fixture plugin built with plugin-sdk-go as a
// c-shared library. It only has the field extraction capability, and extracts
// fields from the events of the "gocounter" source (8-byte little-endian
// counter values).
package main

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/falcosecurity/plugin-sdk-go/pkg/sdk"
	"github.com/falcosecurity/plugin-sdk-go/pkg/sdk/plugins"
	"github.com/falcosecurity/plugin-sdk-go/pkg/sdk/plugins/extractor"
)

type extractPlugin struct {
	plugins.BasePlugin
}

func init() {
	plugins.SetFactory(func() plugins.Plugin {
		p := &extractPlugin{}
		extractor.Register(p)
		return p
	})
}

func (p *extractPlugin) Info() *plugins.Info {
	return &plugins.Info{
		Name:                "goextract",
		Description:         "Test fixture: extracts fields from gocounter events",
		Contact:             "github.com/plughost/plughost",
		Version:             "0.2.0",
		ExtractEventSources: []string{"gocounter"},
	}
}

func (p *extractPlugin) Init(string) error { return nil }

func (p *extractPlugin) Fields() []sdk.FieldEntry {
	return []sdk.FieldEntry{
		{Type: "uint64", Name: "goextract.square", Display: "Square", Desc: "The counter value squared (modulo 2^64)"},
	}
}

func (p *extractPlugin) Extract(req sdk.ExtractRequest, evt sdk.EventReader) error {
	var buf [8]byte
	if _, err := io.ReadFull(evt.Reader(), buf[:]); err != nil {
		return fmt.Errorf("goextract: short event payload: %w", err)
	}
	v := binary.LittleEndian.Uint64(buf[:])
	switch req.Field() {
	case "goextract.square":
		req.SetValue(v * v)
	default:
		return fmt.Errorf("goextract: unsupported field %q", req.Field())
	}
	return nil
}

func main() {}
