// Package account holds who may do what (DOMAIN.md §1–2): roles and their
// permissions, PINs, enrolment, lock-out after three failed sign-ins, and the
// 20-minute inactivity rule. Time is always an argument.
package account
