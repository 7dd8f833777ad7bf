package eventbus_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/filter"
	"github.com/plughost/plughost/internal/fixtures"
)

func TestBusDeliversOnlyMatchingEvents(t *testing.T) {
	reg, _ := setup(t, fixtures.C(t, "filter_lazy"))
	bus, err := eventbus.New(eventbus.Config{Registry: reg, OpenParams: map[string]string{"fixture_src": "10"}})
	require.NoError(t, err)
	env := filter.Env{Registry: reg, Source: "fixture_src"}
	f, err := filter.Compile("lazy.even = true and lazy.num > 3", env)
	require.NoError(t, err)
	text, err := filter.CompileFormat("num=%evt.num str=%lazy.str %5lazy.num|", env)
	require.NoError(t, err)

	var lines, jsons []string
	var values []any
	require.NoError(t, bus.Subscribe(eventbus.Subscriber{
		Source: "fixture_src", Fields: []string{"lazy.str"}, Filter: f, Formats: []*filter.Format{text},
		OnBatch: func(d *eventbus.Delivery) error {
			for i := 0; i < d.Len(); i++ {
				line, ok := d.AppendText(nil, i, 0)
				require.True(t, ok)
				lines = append(lines, string(line))
				js, ok := d.AppendJSON(nil, i, 0)
				require.True(t, ok)
				jsons = append(jsons, string(js))
				values = append(values, d.Copy(i).Values[0])
			}
			return nil
		},
	}))
	var all int
	require.NoError(t, bus.Subscribe(eventbus.Subscriber{Source: "fixture_src", OnBatch: func(d *eventbus.Delivery) error {
		all += d.Len()
		return nil
	}}))
	require.NoError(t, bus.Run(context.Background()))

	require.Equal(t, []string{"num=5 str=s-4 4    |", "num=7 str=s-6 6    |", "num=9 str=s-8 8    |"}, lines)
	require.Equal(t, []string{
		`{"evt.num":5,"lazy.num":4,"lazy.str":"s-4"}`,
		`{"evt.num":7,"lazy.num":6,"lazy.str":"s-6"}`,
		`{"evt.num":9,"lazy.num":8,"lazy.str":"s-8"}`,
	}, jsons)
	require.Equal(t, []any{"s-4", "s-6", "s-8"}, values)
	require.Equal(t, 10, all, "a subscriber without a filter sees every event")
}

func TestBusRejectsAFilterForAnotherSource(t *testing.T) {
	reg, _ := setup(t, fixtures.C(t, "filter_lazy"), fixtures.GoSDK(t, "gocounter"))
	bus, err := eventbus.New(eventbus.Config{Registry: reg})
	require.NoError(t, err)
	f, err := filter.Compile("gocounter.value > 1", filter.Env{Registry: reg, Source: "gocounter"})
	require.NoError(t, err)
	err = bus.Subscribe(eventbus.Subscriber{Source: "fixture_src", Filter: f, OnBatch: func(*eventbus.Delivery) error { return nil }})
	require.EqualError(t, err, "eventbus: the filter was compiled for source 'gocounter', not 'fixture_src'")
	require.ErrorIs(t, err, eventbus.ErrSourceMismatch)
}
