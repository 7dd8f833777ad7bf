package ffi

// Setenv sets a variable in the C environment (environ), which is what a Go
// runtime inside a plugin reads when the library is loaded. os.Setenv does
// not reach it in a program built without cgo.
//
//	int setenv(const char* name, const char* value, int overwrite);
func Setenv(name, value string) {
	mustLibc()
	n, v := CString(name), CString(value)
	defer Free(n)
	defer Free(v)
	Call(libc.setenv, n, v, 1)
}

// Unsetenv removes a variable from the C environment.
//
//	int unsetenv(const char* name);
func Unsetenv(name string) {
	mustLibc()
	n := CString(name)
	defer Free(n)
	Call(libc.unsetenv, n)
}

// Getenv reads a variable from the C environment.
//
//	char* getenv(const char* name);
func Getenv(name string) (string, bool) {
	mustLibc()
	n := CString(name)
	defer Free(n)
	return GoString(Call(libc.getenv, n))
}
