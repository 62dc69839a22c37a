// Package ens holds the rules of the Off-Campus Work Permit Program's
// Electronic Notification System: the four request types, the eleven
// statuses, which function is legal where and for whom, EVNs, expiry, and the
// validation of what a student or a desk types.
package ens
