package capability

import (
	"errors"
	"fmt"
)

// Sentinels matched with errors.Is.
var (
	ErrCapability     = errors.New("plugin lacks the capability")
	ErrOpen           = errors.New("open failed")
	ErrNextBatch      = errors.New("next_batch failed")
	ErrMalformedEvent = errors.New("malformed event")
	ErrOpenParams     = errors.New("invalid open params list")
	ErrProgress       = errors.New("invalid progress")
	ErrField          = errors.New("invalid field request")
	ErrExtract        = errors.New("extraction failed")
	ErrClosed         = errors.New("stream closed")
	// ErrLimit is a result past one of the host's documented caps (see
	// ffi.MaxBatchEvents, ffi.MaxListValues, ffi.MaxValueBytes,
	// ffi.MaxArenaBytes) or a request the C heap could not satisfy.
	ErrLimit = errors.New("host limit exceeded")
)

// Error is a failure of one plugin call, naming the plugin, the symbol and,
// for events, the batch position.
type Error struct {
	Plugin string
	Symbol string // e.g. "plugin_next_batch"
	Event  int    // index in the batch, -1 when not about one event
	Field  string // field request text, when about one field
	Msg    string
	Kind   error // one of the sentinels above
}

func (e *Error) Error() string {
	s := fmt.Sprintf("plugin '%s'", e.Plugin)
	if e.Symbol != "" {
		s += ": " + e.Symbol
	}
	if e.Event >= 0 {
		s += fmt.Sprintf(": event %d of the batch", e.Event)
	}
	if e.Field != "" {
		s += ": field '" + e.Field + "'"
	}
	return s + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Kind }
