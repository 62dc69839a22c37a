package ens

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"

	"dossier/domain"
)

// The records of annual compliance are named by what they are about, so
// that every desk and the server name one record alike: two desks
// submitting one school's report offline name the same record, and the
// server keeps the first.

// ComplianceReportID is the ID of a school's report for a year.
func ComplianceReportID(school domain.ID, year int) domain.ID {
	return derivedID("compliance-report", school[:], year)
}

// ProvinceID is the organisation of a province's or territory's
// coordinators (by its postal abbreviation): the same on every machine,
// so it names their share of the change feed.
func ProvinceID(code string) domain.ID {
	return derivedID("province", []byte(strings.ToUpper(code)), 0)
}

// ProvincialReportID is the ID of a province's compilation for a year.
func ProvincialReportID(province string, year int) domain.ID {
	return derivedID("provincial-report", []byte(strings.ToUpper(province)), year)
}

// derivedID makes a record ID from what names the record.
func derivedID(kind string, key []byte, year int) domain.ID {
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write(key)
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(year)))
	var id domain.ID
	copy(id[:], h.Sum(nil))
	return id
}
