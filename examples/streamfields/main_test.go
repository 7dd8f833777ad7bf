package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/plughost/plughost/internal/fixtures"
)

func TestStreamFields(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-n", "3", "-open-params", "10",
		"-fields", "gocounter.value,gocounter.digits,goextract.square",
		fixtures.GoSDK(t, "gocounter"), fixtures.GoSDK(t, "goextract")}, &out, &errOut)
	assert.Equal(t, 0, code, errOut.String())
	assert.Equal(t, `gocounter #1 gocounter.value=0 gocounter.digits=[0] goextract.square=0
gocounter #2 gocounter.value=1 gocounter.digits=[1] goextract.square=1
gocounter #3 gocounter.value=2 gocounter.digits=[2] goextract.square=4
`, out.String())
}

func TestStreamFieldsErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "usage: streamfields [-n N] [-open-params S] [-fields f1,f2] PLUGIN.so...\n"},
		{[]string{"/nonexistent.so"}, 1, "/nonexistent.so: file does not exist\n"},
		{[]string{"-fields", "nope.x", fixtures.C(t, "source_only")}, 1, "unknown field 'nope.x' for source 'fixture_src'\n"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		assert.Equal(t, tt.code, run(context.Background(), tt.args, &out, &errOut))
		assert.Equal(t, tt.msg, errOut.String())
	}
}
