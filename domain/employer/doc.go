// Package employer holds the rules of employers on the program's portal
// (DOMAIN.md §5, the guide's tabs 4.2.14–16): the CRA business number,
// the enrolment of a business and its approval, branches and users.
// Pure Go: no storage, no clock.
package employer
