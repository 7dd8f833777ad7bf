package ffi

import "unsafe"

// GoString copies the NUL-terminated C string at p. It returns "" and false
// for a NULL pointer. The plugin keeps ownership of p.
func GoString(p uintptr) (string, bool) {
	if p == 0 {
		return "", false
	}
	n := Strlen(p)
	return string(unsafe.Slice((*byte)(pointer(p)), n)), true
}

// Strlen counts the bytes before the NUL at p (p != 0).
func Strlen(p uintptr) int {
	n := 0
	for *(*byte)(pointer(p + uintptr(n))) != 0 {
		n++
	}
	return n
}

// Bytes views n bytes of C memory at p without copying. The view is valid
// only as long as the owner of p keeps it; callers must not retain it.
func Bytes(p uintptr, n int) []byte {
	if p == 0 || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(pointer(p)), n)
}
