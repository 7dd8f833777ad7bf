package ffi

import (
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/ebitengine/purego"
)

var libc struct {
	once   sync.Once
	malloc uintptr
	calloc uintptr
	free   uintptr
	err    error
}

func loadLibc() error {
	libc.once.Do(func() {
		h, err := purego.Dlopen("libc.so.6", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			libc.err = err
			return
		}
		for name, dst := range map[string]*uintptr{
			"malloc": &libc.malloc, "calloc": &libc.calloc, "free": &libc.free,
		} {
			p, err := purego.Dlsym(h, name)
			if err != nil {
				libc.err = err
				return
			}
			*dst = p
		}
	})
	return libc.err
}

func mustLibc() {
	if err := loadLibc(); err != nil {
		panic("plughost/ffi: cannot load libc: " + err.Error())
	}
}

// Alloc returns n zeroed bytes of C heap memory, owned by the caller until
// Free. It is for memory a plugin may keep beyond one call.
//
//	void* calloc(size_t nmemb, size_t size);
func Alloc(n int) uintptr {
	p, err := TryAlloc(n)
	if err != nil {
		panic("plughost/ffi: " + err.Error())
	}
	return p
}

// AllocError is an allocation the C heap could not satisfy.
type AllocError struct {
	Size uint64 // bytes asked for
}

func (e *AllocError) Error() string {
	return fmt.Sprintf("out of C memory: cannot allocate %d bytes", e.Size)
}

// TryAlloc is Alloc for requests whose size a plugin controls: when the C
// heap cannot satisfy it, it returns an *AllocError instead of panicking.
func TryAlloc(n int) (uintptr, error) {
	mustLibc()
	if n <= 0 {
		n = 1
	}
	p := Call(libc.calloc, 1, uintptr(n))
	if p == 0 {
		return 0, &AllocError{Size: uint64(n)}
	}
	liveAllocs.Add(1)
	return p, nil
}

// liveAllocs counts C allocations not yet freed, for leak tests.
var liveAllocs atomic.Int64

// LiveAllocs returns how many blocks from Alloc/CString are not yet freed.
func LiveAllocs() int64 { return liveAllocs.Load() }

// Free releases memory from Alloc or CString. Free(0) is a no-op.
//
//	void free(void* ptr);
func Free(p uintptr) {
	if p == 0 {
		return
	}
	mustLibc()
	Call(libc.free, p)
	liveAllocs.Add(-1)
}

// CString copies s into a NUL-terminated C heap string owned by the caller
// until Free. Bytes after an embedded NUL are invisible to C.
func CString(s string) uintptr {
	p := Alloc(len(s) + 1)
	copy(unsafe.Slice((*byte)(pointer(p)), len(s)+1), s)
	return p
}

// Put copies v into C memory at p, which must hold sizeof(T) bytes.
func Put[T any](p uintptr, v T) { *(*T)(pointer(p)) = v }

// Get reads a T from C memory at p.
func Get[T any](p uintptr) T { return *(*T)(pointer(p)) }

// Index returns the address of element i of a C array of T at p.
func Index[T any](p uintptr, i int) uintptr {
	var zero T
	return p + uintptr(i)*unsafe.Sizeof(zero)
}
