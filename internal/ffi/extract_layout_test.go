package ffi

import (
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestJobLayout checks that the J_* offsets of the batch driver
// (extract_amd64.s) are those of extractJob's members: J_<NAME> for member
// name, every member 8 bytes, none missing on either side.
func TestJobLayout(t *testing.T) {
	src, err := os.ReadFile("extract_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	defines := map[string]uintptr{}
	for _, m := range regexp.MustCompile(`(?m)^#define J_([A-Z0-9]+) ([0-9]+)$`).FindAllStringSubmatch(string(src), -1) {
		off, err := strconv.Atoi(m[2])
		if err != nil {
			t.Fatal(err)
		}
		defines[m[1]] = uintptr(off)
	}
	typ := reflect.TypeFor[extractJob]()
	if typ.Size() != uintptr(8*typ.NumField()) {
		t.Errorf("extractJob is %d bytes for %d members, want 8 bytes each", typ.Size(), typ.NumField())
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name := strings.ToUpper(f.Name)
		off, ok := defines[name]
		switch {
		case !ok:
			t.Errorf("member %s (offset %d) has no J_%s in extract_amd64.s", f.Name, f.Offset, name)
		case off != f.Offset:
			t.Errorf("J_%s = %d, but member %s is at offset %d", name, off, f.Name, f.Offset)
		}
		if f.Type.Size() != 8 {
			t.Errorf("member %s is %d bytes, want 8", f.Name, f.Type.Size())
		}
		delete(defines, name)
	}
	for name, off := range defines {
		t.Errorf("J_%s = %d names no member of extractJob", name, off)
	}
}
