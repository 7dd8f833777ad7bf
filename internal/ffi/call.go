package ffi

import (
	"unsafe"

	"github.com/ebitengine/purego"
)

// Call calls the C function at fn with integer/pointer arguments and returns
// its integer/pointer result. Go memory whose address is taken in the
// argument list (uintptr(unsafe.Pointer(&x)) written inside the call
// expression) is kept alive and unmoved until Call returns.
//
//go:uintptrescapes
func Call(fn uintptr, args ...uintptr) uintptr {
	r, _, _ := purego.SyscallN(fn, args...)
	return r
}

// pointer turns a C address into an unsafe.Pointer without the uintptr
// conversion that go vet rejects; the memory is C memory, never Go's.
func pointer(p uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&p))
}

// SizeOf is sizeof(T) for the ABI structs of pluginapi.
func SizeOf[T any]() uintptr {
	var zero T
	return unsafe.Sizeof(zero)
}
