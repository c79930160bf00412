//go:build !linux

package check

import "unsafe"

func adviseHuge(p unsafe.Pointer, n uintptr) {}
