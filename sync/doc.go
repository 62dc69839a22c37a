// Package sync holds what the desks and the server agree on, with no I/O: the
// command envelope that travels in the outbox, and the hybrid logical clock
// that orders commands from machines whose clocks disagree.
package sync
