// Package plugstate lets the capability package reach the FFI side of a
// loader.State without loader exporting internal types in its public API.
package plugstate

import "github.com/plughost/plughost/internal/ffi"

// Raw is the FFI view of an initialized plugin.
type Raw struct {
	API    *ffi.API
	Handle uintptr // ss_plugin_t*
	Owner  *ffi.Owner
}

// Resolve is set by package loader; it returns the Raw view of a
// *loader.State.
var Resolve func(state any) (Raw, bool)
