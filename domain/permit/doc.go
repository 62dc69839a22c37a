// Package permit is the Off-Campus Work Permit application a student
// makes in MyCIC once their school has verified their eligibility [000]
// [002]: its form, its checks, its fee and its statuses, as pure rules
// the desk and the server both run.
package permit
