package registry

import "errors"

// Sentinels matched with errors.Is; every error from this package wraps one.
var (
	ErrDuplicateName = errors.New("duplicate plugin name")
	ErrDuplicateID   = errors.New("duplicate plugin id")
	ErrFieldOverlap  = errors.New("overlapping field")
	ErrUnknownSource = errors.New("unknown event source")
	ErrUnknownField  = errors.New("unknown field")
	// ErrFieldArg covers incomplete or unbalanced brackets, an argument
	// given to a field that takes none, and a missing required argument.
	ErrFieldArg  = errors.New("invalid field argument")
	ErrNilPlugin = errors.New("nil plugin")
)

// Error is a registration or resolution failure. The fields that do not
// apply to Kind are empty, so callers can report them without parsing Msg.
type Error struct {
	Kind   error  // one of the Err* sentinels
	Plugin string // the plugin at fault: the one added, or the later one in load order
	Other  string // the plugin it conflicts with
	ID     uint32 // ErrDuplicateID
	Source string
	Field  string // field name (for Resolve: the matched field, if any)
	Text   string // Resolve's input
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

func (e *Error) Unwrap() error { return e.Kind }

// WarningKind tells warnings apart without matching their text.
type WarningKind string

const (
	// WarnShadowedSource: a second source plugin for an event source that
	// already has one. Falco only opens the first in load order.
	WarnShadowedSource WarningKind = "shadowed_source"
	// WarnUnused: the plugin is compatible with no loaded event source.
	// Falco refuses to start; we only warn, as a source may be added later.
	WarnUnused WarningKind = "unused"
)

// Warning is a finding that does not stop loading.
type Warning struct {
	Kind   WarningKind
	Plugin string
	Source string // WarnShadowedSource: the shared source
	Other  string // WarnShadowedSource: the plugin that is opened
	Msg    string
}

func (w Warning) String() string { return w.Msg }
