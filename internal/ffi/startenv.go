package ffi

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/ebitengine/purego"
)

// A Go runtime inside a c-shared library does not read environ: it reads
// the environment block the kernel put after argv on the process stack, and
// it does so once, while it starts (after dlopen, before its first exported
// function returns). setenv never reaches that block. So the only way to
// start a Go plugin with, say, GOMAXPROCS=1 is to swap one entry of that
// block for the duration of the load. startupEnvp is the block, captured
// before anything can have replaced environ.
var startupEnv struct {
	once sync.Once
	envp uintptr // char** on the initial stack; 0 when not found
	err  error
}

func findStartupEnv() {
	startupEnv.once.Do(func() {
		h, err := purego.Dlopen("libc.so.6", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			startupEnv.err = err
			return
		}
		sym, err := purego.Dlsym(h, "environ")
		if err != nil {
			startupEnv.err = err
			return
		}
		envp := Get[uintptr](sym)
		lo, hi, err := stackRange()
		if err != nil {
			startupEnv.err = err
			return
		}
		if envp < lo || envp >= hi {
			startupEnv.err = errors.New("environ no longer points at the startup environment block")
			return
		}
		startupEnv.envp = envp
	})
}

func init() { findStartupEnv() }

// stackRange returns the [stack] mapping of the process.
func stackRange() (uintptr, uintptr, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasSuffix(line, "[stack]") {
			continue
		}
		addrs, _, _ := strings.Cut(line, " ")
		a, b, _ := strings.Cut(addrs, "-")
		lo, err1 := strconv.ParseUint(a, 16, 64)
		hi, err2 := strconv.ParseUint(b, 16, 64)
		if err1 != nil || err2 != nil {
			break
		}
		return uintptr(lo), uintptr(hi), nil
	}
	return 0, 0, errors.New("no [stack] mapping in /proc/self/maps")
}

var startupEnvMu sync.Mutex

// WithStartupEnv runs load with name=value visible in the startup
// environment block, then restores the block. If name is absent from the
// block, the entry "_" (set by shells) or else the last entry is hidden for
// that time. It returns an error, and runs load unchanged, when the block
// cannot be found. load must make the plugin's Go runtime finish starting
// before it returns (call any exported function).
func WithStartupEnv(name, value string, load func()) error {
	findStartupEnv()
	if startupEnv.envp == 0 {
		load()
		return startupEnv.err
	}
	startupEnvMu.Lock()
	defer startupEnvMu.Unlock()
	envp := startupEnv.envp
	slot, last, underscore := -1, -1, -1
	for i := 0; ; i++ {
		p := Get[uintptr](envp + uintptr(i)*8)
		if p == 0 {
			break
		}
		last = i
		s, _ := GoString(p)
		switch {
		case strings.HasPrefix(s, name+"="):
			slot = i
		case strings.HasPrefix(s, "_="):
			underscore = i
		}
	}
	if slot < 0 {
		slot = underscore
	}
	if slot < 0 {
		slot = last
	}
	if slot < 0 {
		load()
		return errors.New("the startup environment block is empty")
	}
	entry := CString(name + "=" + value)
	addr := envp + uintptr(slot)*8
	saved := Get[uintptr](addr)
	Put(addr, entry)
	defer func() {
		Put(addr, saved)
		// The runtime copied the string during its start: freeing is safe.
		Free(entry)
	}()
	load()
	return nil
}
