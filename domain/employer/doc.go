// Package employer holds the rules of employers on the program's portal
// (DOMAIN.md §5, the guide's tabs 4.2.14–16): the CRA business number,
// the enrolment of a business and the program's decision, branches,
// users (the hand-over of the primary role, the end of a user's access),
// and the Employer Form (who reads and edits it, its signature, its link
// to an applicant's file, the employer's documents). Pure Go: no storage,
// no clock; the store reads the records, asks these rules, and writes.
package employer
