package loader_test

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/loader"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testLogger(buf *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{
		Level: slog.LevelDebug - 4,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func TestInitGivesHostCallbacksAndTables(t *testing.T) {
	var logs syncBuffer
	// host_callbacks fails init unless owner, log_fn and a non-NULL tables
	// input are all present; it logs twice and lists tables.
	p, err := loader.Load(fixtures.C(t, "host_callbacks"), loader.Options{Logger: testLogger(&logs)})
	require.NoError(t, err)
	s, err := p.Init("")
	require.NoError(t, err)
	defer s.Destroy()
	assert.Equal(t, `level=INFO msg="hello from init" plugin=host_callbacks component=host_callbacks severity=info
level=WARN msg="warning from init" plugin=host_callbacks component=comp severity=warning
`, logs.String())
}

func TestInitFailures(t *testing.T) {
	tests := []struct {
		fixture, config string
		check           loader.Check
		configPath      string
		msg             string
	}{
		{"init_fail", "", loader.CheckInit, "", "could not initialize plugin: init refused: bad config"},
		{"init_fail_null_state", "", loader.CheckInit, "", "could not initialize plugin: plugin_init returned no state to read the error from"},
		{"init_fail_empty_error", "", loader.CheckInit, "", "could not initialize plugin: the plugin gave no error message (plugin_get_last_error returned an empty string)"},
		{"init_fail_null_error", "", loader.CheckInit, "", "could not initialize plugin: the plugin gave no error message (plugin_get_last_error returned NULL)"},
		{"schema_ref_local", `{"level":-1}`, loader.CheckInitConfig, "/level", "minimum: got -1, want 0"},
		{"schema_ref_local", `{"child":{"child":{"level":-2}}}`, loader.CheckInitConfig, "/child/child/level", "minimum: got -2, want 0"},
		{"full", `{"level":99}`, loader.CheckInit, "", "could not initialize plugin: level too high"},
		{"full", `{"level":-1}`, loader.CheckInitConfig, "/level", "minimum: got -1, want 0"},
		{"full", `{"level":1,"extra":true}`, loader.CheckInitConfig, "", "additional properties 'extra' not allowed"},
		{"full", `{"level":`, loader.CheckInitConfig, "", "init config is not valid JSON: unexpected EOF"},
		{"init_echo", "", loader.CheckInitConfig, "", "missing property 'name'"},
		{"init_echo", `{"name":5}`, loader.CheckInitConfig, "/name", "got number, want string"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture+" "+tt.config, func(t *testing.T) {
			p, err := loader.Load(fixtures.C(t, tt.fixture), loader.Options{})
			require.NoError(t, err)
			s, err := p.Init(tt.config)
			assert.Nil(t, s)
			var le *loader.Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tt.check, le.Check)
			assert.Equal(t, tt.configPath, le.ConfigPath)
			assert.Equal(t, tt.msg, le.Msg)
		})
	}
}

func TestInitConfigErrorNamesThePath(t *testing.T) {
	path := fixtures.C(t, "full")
	p, err := loader.Load(path, loader.Options{})
	require.NoError(t, err)
	_, err = p.Init(`{"level":-1}`)
	assert.EqualError(t, err, path+": plugin 'full': init config at '/level': minimum: got -1, want 0")
	assert.ErrorIs(t, err, loader.ErrInitConfig)
}

func TestInitNormalizesEmptyConfigWhenSchemaDeclared(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "full"), loader.Options{})
	require.NoError(t, err)
	s, err := p.Init("")
	require.NoError(t, err)
	defer s.Destroy()
	assert.Equal(t, "{}", s.Config())

	// Without a schema the config is passed through untouched.
	p, err = loader.Load(fixtures.C(t, "extract_only"), loader.Options{})
	require.NoError(t, err)
	s2, err := p.Init("")
	require.NoError(t, err)
	defer s2.Destroy()
	assert.Equal(t, "", s2.Config())
}

func TestStateSetConfigMetricsAndDestroy(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "full"), loader.Options{})
	require.NoError(t, err)
	s, err := p.Init(`{"level":1}`)
	require.NoError(t, err)
	assert.Equal(t, "3.0.0", s.RequiredEventSchemaVersion)

	require.NoError(t, s.SetConfig(`{"level":2}`))
	assert.Equal(t, `{"level":2}`, s.Config())
	err = s.SetConfig(`{"level":99}`)
	assert.EqualError(t, err, p.Path+": plugin 'full': plugin_set_config: SS_PLUGIN_FAILURE: level too high")
	err = s.SetConfig(`{"level":-5}`)
	assert.ErrorIs(t, err, loader.ErrInitConfig)

	metrics := s.Metrics()
	require.Len(t, metrics, 2)
	assert.Equal(t, "full.fixture.extract_calls", metrics[0].Name)
	assert.Equal(t, "full.fixture.ratio", metrics[1].Name)
	assert.Equal(t, 0.5, metrics[1].Value)

	s.Destroy()
	s.Destroy() // idempotent
	assert.Nil(t, s.Metrics())
	assert.ErrorIs(t, s.SetConfig(`{"level":1}`), loader.ErrDestroyed)
}

func TestInitManyStatesOfOnePlugin(t *testing.T) {
	p, err := loader.Load(fixtures.C(t, "extract_only"), loader.Options{})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := p.Init("")
			if assert.NoError(t, err) {
				s.Destroy()
			}
		}()
	}
	wg.Wait()
}
