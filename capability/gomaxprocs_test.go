package capability_test

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/capability"
	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

// A Go plugin's runtime reads GOMAXPROCS once, when it is loaded, so each
// setting is checked in a fresh process (this test binary, re-executed).
func TestGoPluginGoMaxProcsControl(t *testing.T) {
	if os.Getenv("PLUGHOST_GOMAXPROCS_CHILD") != "" {
		return
	}
	path := fixtures.GoSDK(t, "gocounter")
	tests := []struct {
		name   string
		option int
		env    string // process environment GOMAXPROCS ("" = unset)
		want   string
	}{
		{"default is one P", 0, "", "1"},
		{"explicit", 2, "", "2"},
		{"explicit wins over the environment", 1, "2", "1"},
		{"inherit the environment", -1, "2", "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestGoPluginGoMaxProcsChild$", "-test.v")
			cmd.Env = append(os.Environ(), "PLUGHOST_GOMAXPROCS_CHILD="+strconv.Itoa(tt.option), "PLUGHOST_GOMAXPROCS_PLUGIN="+path)
			if tt.env != "" {
				cmd.Env = append(cmd.Env, "GOMAXPROCS="+tt.env)
			}
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, string(out))
			assert.Contains(t, string(out), "plugin GOMAXPROCS="+tt.want+"\n")
		})
	}
}

func TestGoPluginGoMaxProcsChild(t *testing.T) {
	opt := os.Getenv("PLUGHOST_GOMAXPROCS_CHILD")
	if opt == "" {
		t.Skip("run by TestGoPluginGoMaxProcsControl")
	}
	procs, _ := strconv.Atoi(opt)
	p, err := loader.Load(os.Getenv("PLUGHOST_GOMAXPROCS_PLUGIN"), loader.Options{GoMaxProcs: procs})
	require.NoError(t, err)
	s, err := p.Init("")
	require.NoError(t, err)
	defer s.Destroy()
	src, err := capability.NewSource(s)
	require.NoError(t, err)
	st, err := src.Open("1")
	require.NoError(t, err)
	defer st.Close()
	x, err := capability.NewExtractor(s, "gocounter", []string{"gocounter.gomaxprocs"}, capability.ExtractOptions{})
	require.NoError(t, err)
	defer x.Close()
	require.NoError(t, st.Next(context.Background(), func(b *capability.Batch) error {
		res, err := x.ExtractBatch(b)
		if err != nil {
			return err
		}
		os.Stdout.WriteString("plugin GOMAXPROCS=" + strings.TrimSpace(strconv.FormatUint(res.Value(0, 0).Uint64(0), 10)) + "\n")
		return nil
	}))
}
