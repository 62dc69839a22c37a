// Package domain holds what every rule package shares: the coded Error that
// the edges turn into words, and record identifiers. It does no I/O and never
// reads the clock; time and randomness are arguments.
package domain
