// Package ffi is the only place plughost touches unsafe memory or calls C.
//
// It wraps purego (dlopen/dlsym and the C calling convention) so that the
// rest of the module works with uintptr handles and Go values. Every binding
// states its C prototype above it, and every function that lends or receives
// memory states who owns it and for how long.
//
// Memory rules:
//   - Strings and buffers returned by a plugin belong to the plugin; they are
//     copied into Go memory (GoString, GoBytes) before the next call into the
//     same plugin.
//   - Memory the host lends to a plugin for longer than one call (init input,
//     config strings, vtables) is allocated on the C heap with Alloc and freed
//     by its owner with Free, so the Go garbage collector never moves or frees
//     it under the plugin.
//   - Go memory lent for a single call is passed as an argument of Call, which
//     keeps it alive and in place until the call returns.
package ffi
