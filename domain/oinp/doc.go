// Package oinp holds the rules of the Ontario Immigrant Nominee Program's
// Employer Job Offer: In-Demand Skills Stream (the 2018 application guide,
// ../shared/seeds/004): the application an applicant prepares, tab by tab,
// and the eligibility engine that checks it — every criterion of the
// guide's section 2 as a named rule that passes, fails or is not yet known,
// with the section it comes from. Pure Go: the date of submission (or of the
// check) is an argument, and the policy tables come in as data.
package oinp
