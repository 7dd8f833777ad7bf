package loader

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// libraryFacts is what the ELF file says before anything is mapped.
type libraryFacts struct {
	goRuntime bool // the library embeds a Go runtime (has .go.buildinfo)
}

var machineForArch = map[string]elf.Machine{
	"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "386": elf.EM_386,
	"arm": elf.EM_ARM, "riscv64": elf.EM_RISCV, "ppc64le": elf.EM_PPC64,
	"s390x": elf.EM_S390, "loong64": elf.EM_LOONGARCH,
}

// inspectLibrary rejects what dlopen would reject with a vaguer message (or
// worse, accept): missing files, non-ELF files, executables, other machines.
func inspectLibrary(path string) (libraryFacts, string) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return libraryFacts{}, "file does not exist"
	case err != nil:
		return libraryFacts{}, err.Error()
	case st.IsDir():
		return libraryFacts{}, "is a directory, not a shared library"
	}
	f, err := elf.Open(path)
	if err != nil {
		if !hasELFMagic(path) {
			return libraryFacts{}, "not an ELF shared library: the file does not start with the ELF magic number"
		}
		return libraryFacts{}, "malformed ELF file: " + err.Error()
	}
	defer f.Close()
	if f.Type != elf.ET_DYN {
		return libraryFacts{}, fmt.Sprintf("not a shared library (ELF type %s)", f.Type)
	}
	if want, ok := machineForArch[runtime.GOARCH]; ok && f.Machine != want {
		return libraryFacts{}, fmt.Sprintf("built for %s, this host is %s", f.Machine, runtime.GOARCH)
	}
	return libraryFacts{goRuntime: f.Section(".go.buildinfo") != nil}, ""
}

// dlopenPath is the name to give dlopen so that it opens the file at path,
// the file inspectLibrary examined: dlopen searches the library path for a
// name without a slash, so such a name is made relative to the working
// directory explicitly.
func dlopenPath(path string) string {
	if path != "" && !strings.Contains(path, "/") {
		return "./" + path
	}
	return path
}

func hasELFMagic(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	_, err = io.ReadFull(f, magic[:])
	return err == nil && string(magic[:]) == elf.ELFMAG
}
