package ffi

import (
	"errors"
	"fmt"

	"github.com/ebitengine/purego"
)

// Flags accepted by Open (Linux values of <dlfcn.h>).
const (
	RTLDNow      = purego.RTLD_NOW
	RTLDLocal    = purego.RTLD_LOCAL
	RTLDDeepBind = 0x00008 // RTLD_DEEPBIND, glibc only
)

// Library is a shared library opened with dlopen.
type Library struct {
	handle uintptr
}

// Open loads path with the given dlopen flags.
//
//	void* dlopen(const char* filename, int flags);
func Open(path string, flags int) (*Library, error) {
	h, err := purego.Dlopen(path, flags)
	if err != nil {
		var de purego.Dlerror
		if errors.As(err, &de) {
			return nil, errors.New(de.Error())
		}
		return nil, err
	}
	return &Library{handle: h}, nil
}

// Sym returns the address of an exported symbol, or 0 when it is absent.
//
//	void* dlsym(void* handle, const char* symbol);
func (l *Library) Sym(name string) uintptr {
	p, err := purego.Dlsym(l.handle, name)
	if err != nil {
		return 0
	}
	return p
}

// Close calls dlclose. Never call it on a library that holds a Go runtime:
// its threads keep running code from the unmapped pages.
//
//	int dlclose(void* handle);
func (l *Library) Close() error {
	if l.handle == 0 {
		return nil
	}
	if err := purego.Dlclose(l.handle); err != nil {
		return fmt.Errorf("dlclose: %w", err)
	}
	l.handle = 0
	return nil
}
