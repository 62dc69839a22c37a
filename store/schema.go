package store

import (
	"encoding/binary"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
)

// Every bucket and key encoding of a profile file is declared here.
//
// Values are sealed (XChaCha20-Poly1305 with the profile's data key, bound to
// their bucket and key) except in MetaBucket and the clear-text parts of
// index values listed below, none of which hold personal data. Index keys
// that would otherwise carry personal data (names, client IDs, EVNs, student
// numbers, birth dates) hold keyed hashes instead. Integers in keys are
// big-endian so that bbolt's byte order is the order we want.
var (
	// MetaBucket: format marker, schema version, key slots, device ID,
	// settings, last HLC. Clear text; nothing personal.
	MetaBucket = []byte("meta")

	// RequestsBucket: request ID (16) → sealed request (codec.go).
	RequestsBucket = []byte("requests")
	// OrgsBucket: organisation ID (16) → sealed Institution (JSON).
	OrgsBucket = []byte("orgs")
	// OrgTagsBucket: organisation ID (16) → its tag (4), the short local
	// number that prefixes its index keys. Clear: IDs are not personal.
	OrgTagsBucket = []byte("orgtags")
	// AccountsBucket: account ID (16) → sealed Account (JSON).
	AccountsBucket = []byte("accounts")
	// PINsBucket: PIN ID (16) → sealed account.PIN (JSON).
	PINsBucket = []byte("pins")
	// DesksBucket (desk): account ID (16) → deskKey: the school code (2),
	// the desk number (2) and the next EVN sequence (4) this computer
	// issues the staff member's EVNs from. On a profile connected to a
	// server the number is the server's (DeviceDesksBucket), received in
	// the change feed; a profile that works alone numbers its own desks.
	// Clear: none of it is personal, and a Verify reads it without
	// decrypting the account. Empty on the server since schema 8. On a
	// connected desk, "unconfirmed." | account ID (16) → deskKey: the
	// desk the account had before schema 8, until the server confirms it
	// (desks.go).
	DesksBucket = []byte("desks")
	// DeviceDesksBucket (server, schema 8): account ID (16) | device ID
	// (16) → deskKey: the desk number the server gave that person on that
	// computer, and the next sequence it has seen, so that one person on
	// two computers issues EVNs from two numbers. The zero device holds
	// an account's desk retired by the migration to schema 8, so that its
	// number is never given again. Clear, as DesksBucket.
	DeviceDesksBucket = []byte("desks.devices")
	// outboxBucket: sequence (8) → sealed sync.Command (JSON), in the order
	// the commands were made.
	outboxBucket = []byte("outbox")
	// auditBucket: entry ID (16, time-ordered, each later than the last)
	// → sealed AuditEntry (JSON), each chained to the one before by its
	// link (audit.go; schema 6).
	auditBucket = []byte("audit")
	// draftsBucket: account ID (16) | form name → sealed draft of what the
	// person was typing when their session locked.
	draftsBucket = []byte("drafts")
	// personalBucket: account ID (16) | setting name → sealed setting of
	// the person on this desk (the queue's search, filters, sort, scroll
	// and column widths: personal.go). Schema 9's files made before it
	// was declared get it on the first write.
	personalBucket = []byte("personal")
	// CountsBucket: org tag (4) | status (1) | type (1) → request count (8),
	// so that the queue knows its size without scanning.
	CountsBucket = []byte("counts")

	// Queue indexes. Each key starts with the org tag (4) of the school the
	// request is addressed to, so a desk's queries never walk another
	// school's requests.
	//
	// IxStatus:   tag | status (1) | received ms (8) | id (16) → StatusValue:
	//             type (1) | flags (1) | [expires ms (8)] | [assignee (16)]
	//             The value carries what the queue filters and sorts on
	//             besides status and date, so that the expiry and assignee
	//             filters need no index of their own: a Verify then rewrites
	//             fewer pages, and each page written is one the commit waits
	//             on the disk for.
	// IxEVN, IxClientID, IxStudentNo, IxBirth:
	//             tag | keyed hash of the value (8) | id (16) → empty
	// IxName:     tag | name-prefix chain (8) | id (16) → empty; one entry per
	//             word of the folded name (see NameChain)
	// IxStudentNo, IxBirth and IxName serve a desk's search alone: the
	// server's file keeps them empty (DeskOnlyIndexes).
	IxStatus    = []byte("ix.status")
	IxEVN       = []byte("ix.evn")
	IxClientID  = []byte("ix.client")
	IxStudentNo = []byte("ix.studentno")
	IxBirth     = []byte("ix.birth")
	IxName      = []byte("ix.name")
	// IxStudent: student account (16) | received ms (8) | id (16) → empty;
	// a student's own requests, at every school.
	IxStudent = []byte("ix.student")
	// ixUserID: keyed hash of the user ID (8) → account ID (16).
	ixUserID = []byte("ix.userid")
	// ixPIN: keyed hash of the canonical PIN (8) → PIN ID (16).
	ixPIN = []byte("ix.pin")
	// ixPINLocator: account.PINLocator (2) | PIN ID (16) → empty. On the
	// server, for PINs issued on a desk, whose code it never sees.
	ixPINLocator = []byte("ix.pinloc")

	// Sync, on a desk.
	//
	// syncBucket: syncStateKey → sealed SyncState (JSON): the server, its
	// pinned certificate, the epoch and cursor of the change feed, the
	// refresh token.
	syncBucket = []byte("sync")
	// rejectionsBucket: command ID (16) → sealed Rejection (JSON): commands
	// the server refused, kept until the person has read them.
	rejectionsBucket = []byte("rejections")
	// ConflictsBucket: conflict ID (16) → sealed ConflictRecord (JSON):
	// form fields two machines changed at once, with the value that lost.
	// On the server too, where each is also a change in the feed.
	ConflictsBucket = []byte("conflicts")

	// The server's own buckets (empty on a desk).
	//
	// changesBucket: sequence (8) → sealed sync.Change (JSON): the change
	// feed. Only each record's latest change is kept: a newer one deletes
	// the older, so a first download reads each record once.
	changesBucket = []byte("changes")
	// changeVisBucket: reader key (16) | sequence (8) → empty. The reader
	// key (feed.go, schema 7) is a hash of a namespace and an ID: an
	// organisation (its staff read it), an account, or everyone. The feed
	// of one person walks only their keys.
	changeVisBucket = []byte("changes.vis")
	// ChangeLatestBucket: record ID (16) | entity kind → sequence (8) |
	// reader keys (16 each): where a record's latest change is, to delete
	// it when the record changes again (schema 7; before, the key was the
	// ID alone, and an applicant's account and application, which share
	// an ID, took each other's place).
	ChangeLatestBucket = []byte("changes.latest")
	// IDsBucket (server): record ID (16) → the kind of record it names
	// (claims.go, schema 7): one namespace for every ID a desk chooses.
	// Clear: IDs and kinds are not personal.
	IDsBucket = []byte("ids")
	// answersBucket: command ID (16) → sealed sync.Answer (JSON): the
	// stored answer to every command, so a repeat gets the same one.
	answersBucket = []byte("answers")
	// StampsBucket: record ID (16) → sealed field stamps (JSON): which
	// machine last changed each form field, when, and at which version,
	// for the field-by-field merge. A request's (store/requests), an OINP
	// application's (under its applicant's ID) and an Employer Form's
	// (store/applications, with the lines removed, as they were).
	StampsBucket = []byte("stamps")
	// tokensBucket: SHA-256 of a token (32) → sealed token record (JSON).
	// Only hashes are kept: a stolen file holds no usable token.
	tokensBucket = []byte("tokens")
	// tokenFamiliesBucket (server): family ID (16, the first bytes of
	// its refresh tokens) → sealed tokenFamily (JSON): one sign-in's line
	// of tokens, revoked whole when a used refresh token comes back.
	tokenFamiliesBucket = []byte("tokens.families")
	// ApplicationsBucket: applicant account ID (16) → sealed
	// ApplicationRecord (JSON): the OINP application (schema 3).
	ApplicationsBucket = []byte("oinp.applications")
	// IxFileNumber: keyed hash of a file number ("JOID-1234567") (8) →
	// applicant account ID (16): numbers are unique.
	IxFileNumber = []byte("ix.joid")
	// AttachmentsBucket: applicant account ID (16) | document ID (16) →
	// the sealed content of an attached document.
	AttachmentsBucket = []byte("oinp.attachments")
	// BusinessesBucket: business ID (16) → sealed employer.Business (JSON)
	// (schema 4).
	BusinessesBucket = []byte("businesses")
	// IxBN and IxLegalName: keyed hash of a business number, of a folded
	// legal name (8) → business ID (16): each is used once.
	IxBN        = []byte("ix.bn")
	IxLegalName = []byte("ix.legalname")
	// IxUnit: a business's ID or a branch's (16) → the business ID (16).
	IxUnit = []byte("ix.unit")
	// EmployerFormsBucket: form ID (16) → sealed EmployerFormRecord.
	EmployerFormsBucket = []byte("employer.forms")
	// SigningKeysBucket: account ID (16) → the sealed seed of the person's
	// Ed25519 key for signing Employer Forms (desk only).
	SigningKeysBucket = []byte("employer.keys")
	// PrintKeysBucket: account ID (16) | key name (4) → the sealed print
	// key (32) the person's codes are made with: on a desk, theirs; on the
	// server, everyone's (schema 5).
	PrintKeysBucket = []byte("print.keys")
	// PrintedBucket: verification code (19, as printed) → sealed Printed:
	// the documents printed, and the facts each code vouches for.
	PrintedBucket = []byte("print.documents")
	// ComplianceBucket: report ID (16, complianceReportID of the school
	// and year) → sealed ens.ComplianceReport (JSON): the schools' Annual
	// Reports on Ineligible Students (schema 5).
	ComplianceBucket = []byte("compliance.reports")
	// IxCompliance (server): school (16) | compliance year (4) | keyed hash
	// of the student's client ID (8) → the AC request ID (16): who is on a
	// school's list already, so that populating the list again adds no one
	// twice.
	IxCompliance = []byte("ix.compliance")
	// ChasesBucket: chase ID (16) → sealed ComplianceChase (JSON): a
	// coordinator's reminders to schools that have not reported.
	ChasesBucket = []byte("compliance.chases")
	// ProvincialBucket: compilation ID (16, provincialReportID of the
	// province and year) → sealed ProvincialCompilation (JSON), as the
	// coordinator submitted it to the program.
	ProvincialBucket = []byte("compliance.provinces")
	// throttleBucket (server): keyed hash of a client address or of a
	// user ID (8) → the sign-in limit's state (throttle.go): the time the
	// limit is full again (8, msAppend) and whether its refusal is audited
	// (1). Clear: it says how often, not who.
	throttleBucket = []byte("signin.limits")

	// Schema 9 (issue 17).
	//
	// MailBucket (server): mail ID (16, time-ordered) → sealed Mail (JSON,
	// mail.go): the mail outbox the server's sender empties, each letter
	// kept until its relay accepts it.
	MailBucket = []byte("mail.outbox")
	// NoticesBucket: notice ID (16) → sealed Notice (JSON): the program's
	// maintenance notices, fed to every desk.
	NoticesBucket = []byte("notices")
	// WorkPermitsBucket: application ID (16) → sealed Off-Campus Work
	// Permit application (JSON), the student's own, raised once the
	// school has issued the EVN.
	WorkPermitsBucket = []byte("ocwp.permits")
	// ChallengesBucket (server): keyed hash of a user ID or a token (8 or
	// 32) → sealed state of a sign-in's security question or of a
	// forgotten password's e-mailed code.
	ChallengesBucket = []byte("signin.challenges")
	// AssessmentsBucket (desk): account ID (16) | program name → sealed
	// answers of a self-assessment, which can start an application.
	AssessmentsBucket = []byte("assessments")
	// RemindersBucket (server): a reminder's key (its letter's kind, the
	// record's ID and the date it reminds of) → the time it was queued:
	// each reminder of a deadline is sent once, however often the job
	// that finds it runs.
	RemindersBucket = []byte("mail.reminders")
	// heldBucket (desk): record ID (16) then entity kind → sealed
	// sync.Change (JSON): the server's copy of a record that arrived while
	// this desk still had a command about it to send (ApplyChanges), kept
	// until that command is answered, then written (Acknowledge).
	heldBucket = []byte("sync.held")
	// IxApplications: the applications' list index (store/applications
	// fileindex.go): per submitted file its non-personal columns in clear
	// (status, stream, GTA, next due day, version) and the rest sealed,
	// keyed by submission day; and each representative's files. Rebuilt
	// from ApplicationsBucket when its "built" mark is missing.
	IxApplications = []byte("ix.applications")
)

// publicReader was the reader key of records everyone may read (schools)
// until schema 7 hashed reader keys (feed.go: everyone); the migration
// reads it, and no record may take it as its ID.
var publicReader = domain.ID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// syncStateKey is the one key of syncBucket.
var syncStateKey = []byte("state")

// allBuckets are created with a new profile (and by migrations that add
// them).
var allBuckets = [][]byte{MetaBucket, RequestsBucket, OrgsBucket, OrgTagsBucket, AccountsBucket,
	PINsBucket, DesksBucket, draftsBucket, outboxBucket, auditBucket, CountsBucket, IxStatus,
	IxEVN, IxClientID, IxStudentNo, IxBirth, IxName,
	IxStudent, ixUserID, ixPIN, syncBucket, rejectionsBucket, ConflictsBucket, changesBucket,
	changeVisBucket, ChangeLatestBucket, answersBucket, StampsBucket, tokensBucket, ixPINLocator,
	ApplicationsBucket, IxFileNumber, AttachmentsBucket, BusinessesBucket, IxBN, IxLegalName, IxUnit, EmployerFormsBucket, SigningKeysBucket,
	PrintKeysBucket, PrintedBucket, ComplianceBucket, IxCompliance, ChasesBucket, ProvincialBucket,
	throttleBucket, tokenFamiliesBucket, IDsBucket, DeviceDesksBucket,
	MailBucket, NoticesBucket, WorkPermitsBucket, ChallengesBucket, AssessmentsBucket,
	RemindersBucket,
	heldBucket, IxApplications, personalBucket}

// Keys of MetaBucket.
var (
	metaFormat   = []byte("format")     // formatMarker
	MetaSchema   = []byte("schema")     // uint32
	metaCreated  = []byte("created")    // unix ms (8)
	metaDevice   = []byte("device")     // domain.ID (16)
	metaHLC      = []byte("hlc")        // sync.HLC (8)
	metaSettings = []byte("settings")   // JSON ens.Settings
	metaOrgTag   = []byte("orgtag")     // last org tag handed out (4)
	metaRole     = []byte("role")       // "server" on dossierd's file; absent on a desk
	metaEpoch    = []byte("epoch")      // server: domain.ID (16), new on every restore
	metaAudit    = []byte("audit.head") // the audit trail's last entry: ID (16) | link (32); audit.go
	slotPrefix   = "slot."              // + slot name → JSON keySlot
)

// MetaSortCache is the MetaBucket key of the desk's queue sort cache as it
// was at the last close, sealed (store/requests/sortsaved.go): a cache,
// dropped or rebuilt at will.
var MetaSortCache = []byte("requests.sorts")

// MetaSortClean is the MetaBucket key that says no request was written
// since the saved sort cache was: it holds the first bytes of that sealed
// cache, and the first request written after it is deleted in the same
// transaction (store/requests/sortsaved.go).
var MetaSortClean = []byte("requests.sorts.clean")

// formatMarker tells a Dossier profile from any other bbolt file.
var formatMarker = []byte("dossier-profile")

// SchemaVersion is the layout this program writes. Files of an older
// version are migrated on open; newer ones are refused untouched.
const SchemaVersion = 11

// DeskOnlyIndexes are the queue's indexes only a desk's search reads: the
// server writes none of their keys (from schema 11; its migration empties
// them on a server's file).
var DeskOnlyIndexes = [][]byte{IxStudentNo, IxBirth, IxName}

// Kinds of value that get a keyed hash; the kind is hashed with the value so
// that equal strings in different roles do not share index keys.
const (
	HashEVN byte = iota + 1
	HashClientID
	HashStudentNo
	HashBirth
	hashUserID
	hashPIN
	hashName
	HashFileNumber
	HashBN
	HashLegalName
	HashComplianceStudent
	hashThrottleAddress
	hashThrottleUserID
	hashMailTo
)

func U32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func U64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// msAppend appends the key form of a time: unix milliseconds, big-endian,
// offset so that times before 1970 still sort first.
func msAppend(b []byte, t time.Time) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(t.UnixMilli())^(1<<63))
}

func msFrom(b []byte) time.Time {
	return time.UnixMilli(int64(binary.BigEndian.Uint64(b) ^ (1 << 63))).UTC()
}

// Key builders. Each returns a fresh slice.

func StatusKey(tag uint32, st ens.Status, received time.Time, id domain.ID) []byte {
	k := make([]byte, 0, 29)
	k = binary.BigEndian.AppendUint32(k, tag)
	k = append(k, byte(st))
	k = msAppend(k, received)
	return append(k, id[:]...)
}

func StatusPrefix(tag uint32, st ens.Status) []byte {
	return append(binary.BigEndian.AppendUint32(make([]byte, 0, 5), tag), byte(st))
}

func HashKey(tag uint32, h [8]byte, id domain.ID) []byte {
	k := binary.BigEndian.AppendUint32(make([]byte, 0, 28), tag)
	k = append(k, h[:]...)
	return append(k, id[:]...)
}

func StudentKey(student domain.ID, received time.Time, id domain.ID) []byte {
	k := append(make([]byte, 0, 40), student[:]...)
	k = msAppend(k, received)
	return append(k, id[:]...)
}

func CountKey(tag uint32, st ens.Status, t ens.Type) []byte {
	return append(binary.BigEndian.AppendUint32(make([]byte, 0, 6), tag), byte(st), byte(t))
}

// IDFromKey reads the request ID that ends every queue index key.
func IDFromKey(k []byte) domain.ID {
	var id domain.ID
	copy(id[:], k[len(k)-16:])
	return id
}

// StatusValue is the value of an IxStatus entry.
type StatusValue struct {
	Type     ens.Type
	Expires  time.Time // zero when the request has none
	Assignee []byte    // 16 bytes, or nil when unassigned
}

const (
	valueHasExpires  = 1
	valueHasAssignee = 2
)

func EncodeStatusValue(r *ens.Request) []byte {
	v := make([]byte, 2, 26)
	v[0] = byte(r.Type)
	if !r.Expires.IsZero() {
		v[1] |= valueHasExpires
		v = msAppend(v, r.Expires)
	}
	if !r.Assignee.IsZero() {
		v[1] |= valueHasAssignee
		v = append(v, r.Assignee[:]...)
	}
	return v
}

func DecodeStatusValue(v []byte) (StatusValue, bool) {
	var sv StatusValue
	if len(v) < 2 {
		return sv, false
	}
	sv.Type = ens.Type(v[0])
	rest := v[2:]
	if v[1]&valueHasExpires != 0 {
		if len(rest) < 8 {
			return sv, false
		}
		sv.Expires, rest = msFrom(rest[:8]), rest[8:]
	}
	if v[1]&valueHasAssignee != 0 {
		if len(rest) < 16 {
			return sv, false
		}
		sv.Assignee = rest[:16]
	}
	return sv, true
}

// DeskState is a desk's EVN issuing state, as DesksBucket keeps it.
type DeskState struct {
	School ens.SchoolCode
	Desk   ens.Desk
	Next   uint32
}

func EncodeDesk(d DeskState) []byte {
	v := binary.BigEndian.AppendUint16(make([]byte, 0, 8), uint16(d.School))
	v = binary.BigEndian.AppendUint16(v, uint16(d.Desk))
	return binary.BigEndian.AppendUint32(v, d.Next)
}

func DecodeDesk(v []byte) (DeskState, bool) {
	if len(v) != 8 {
		return DeskState{}, false
	}
	return DeskState{School: ens.SchoolCode(binary.BigEndian.Uint16(v)), Desk: ens.Desk(binary.BigEndian.Uint16(v[2:])),
		Next: binary.BigEndian.Uint32(v[4:])}, true
}
