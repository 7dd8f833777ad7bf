// Package filter implements Falco's filter language and output formats
// over plugin fields, as libsinsp does: Parse builds an AST, Compile binds
// it to the fields an event source serves (plugin fields through the
// registry, or the generic evt.* fields) and checks operators and values,
// and an Evaluator decides batches of events, extracting each field lazily:
// at most once per event, only for the events that still need it, one FFI
// transition per batch and field. CompileFormat does the same for output
// format strings (%field).
//
// A compiled Filter or Format is immutable and may be shared by several
// source pipelines; each pipeline evaluates it through its own Evaluator
// or Formatter, bound to that pipeline's plugin states.
package filter

import (
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
)

// Env is what a filter or a format is compiled against. The zero value of
// each optional member is valid.
type Env struct {
	// Registry resolves plugin fields. Required.
	Registry *registry.Registry
	// Source is the event source the filter runs on. Required.
	Source string
	// Macros resolves identifiers used as checks (optional).
	Macros map[string]Expr
	// Lists resolves a bare identifier on the right of a list operator or
	// a modifier, `x in (my_list)` or `x in my_list`, to its items
	// (optional). Falco substitutes lists as text before parsing; this is
	// the library's equivalent.
	Lists map[string][]string
	// MaxDepth bounds the parser's nesting (0: libsinsp's default, 100;
	// Falco uses 1000 for rule conditions).
	MaxDepth int
}

// States gives an Evaluator or a Formatter the initialized state of each
// plugin it extracts from, in its pipeline. The caller owns the states.
type States func(*loader.Plugin) (*loader.State, error)

// CompileError is a filter or format that parsed but does not compile:
// an unknown field, an operator the field's type does not support, a bad
// value. Msg is libsinsp's message; Pos is where the offending node
// starts; Field and Op name the check when there is one.
type CompileError struct {
	Pos
	Field string
	Op    string
	Msg   string
}

func (e *CompileError) Error() string { return e.Msg }
