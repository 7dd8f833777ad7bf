// Package pluginapi mirrors the Falco plugin API 3.12 ABI in Go: constants,
// the layout of every struct the host passes to or reads from a plugin, and
// a codec for the packed event format.
//
// It holds no behaviour. Struct fields that are C pointers are uintptr so the
// package never exposes unsafe.Pointer; only internal/ffi turns them into
// memory. The layout test compiles a C program against the real header and
// compares sizeof/offsetof with these types.
package pluginapi
