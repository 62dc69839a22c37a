package ens

import (
	"time"

	"dossier/domain"
)

// ComplianceListOpen reports whether a school's Annual Compliance list of
// year takes students at now: the list is drawn up on 15 October of its
// own year (DOMAIN.md §3) and, from then, takes the students it lacks
// until the school submits its report for the year (reported), which
// locks it. No other year's list takes anyone.
func ComplianceListOpen(year int, reported bool, now time.Time) bool {
	current, open := ComplianceYearOf(now)
	return year == current && open && !reported
}

// ComplianceListing is the Annual Compliance request that puts the
// student of verification v on school's list of year, raised by the
// program; ok is false when v lists nobody there: only an active
// verification at school does (ActiveVerification). A student is listed
// once a year at a school: the store keeps who is, by client ID.
func ComplianceListing(v *Request, school domain.ID, year int) (in Raise, ok bool) {
	if !v.ActiveVerification() || v.School != school || v.Type == AC {
		return Raise{}, false
	}
	return Raise{Type: AC, School: school, Student: v.Student, ComplianceYear: year, EVN: string(v.EVN)}, true
}
