//go:build !unix

package main

// descriptorRoom: the system gives handles as they are asked for.
func descriptorRoom() int { return DefaultConnsTotal }
