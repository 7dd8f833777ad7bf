//go:build !amd64

package ffi
