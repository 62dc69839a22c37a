package compliance

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/requests"
	"dossier/sync"
)

// The commands of a school's Annual Report on Ineligible Students.
const (
	KindSubmitComplianceReport sync.Kind = "ens.compliance.submit"
	KindAmendComplianceReport  sync.Kind = "ens.compliance.amend"
)

// ComplianceSubmitPayload is a DIR's submission of their school's report
// for a year; the server makes the report again from its own record.
type ComplianceSubmitPayload struct {
	School domain.ID `json:"school"`
	Year   int       `json:"year"`
	At     time.Time `json:"at"`
}

// ComplianceAmendPayload is an amendment of a submitted report.
type ComplianceAmendPayload struct {
	School  domain.ID               `json:"school"`
	Year    int                     `json:"year"`
	Changes []ens.EligibilityChange `json:"changes"`
	Reason  string                  `json:"reason"`
	At      time.Time               `json:"at"`
}

// ComplianceReportID is the ID of a school's report for a year
// (ens.ComplianceReportID): the same on every desk.
func ComplianceReportID(school domain.ID, year int) domain.ID {
	return ens.ComplianceReportID(school, year)
}

// MarkCompliance marks a school's Annual Compliance requests eligible, or
// ineligible with the reason, as the person's one action: one
// transaction, each request with its own audit entry and outbox command
// (which the server checks again with the same rules). Every request must
// take the mark, or none does: the error is the first refusal (a request
// already reported, another school's, not an AC request). It returns how
// many were marked. The refusal names the request it is about
// (requests.RowError), for the screen to show it on its row.
func (s Store) MarkCompliance(by account.Actor, ids []domain.ID, eligible bool, reason string) (int, error) {
	a := ens.ComplianceMark(eligible, reason)
	now := s.Now()
	n := 0
	err := s.Update(func(tx *store.Tx) error {
		n = 0
		seen := map[domain.ID]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			old, found, err := s.GetRequest(tx, id, nil)
			if err != nil {
				return err
			}
			if !found {
				return requests.RowError{ID: id, Err: domain.Errorf(store.ErrNotFound)}
			}
			if _, err := ens.Apply(old, a, by, now); err != nil {
				return requests.RowError{ID: id, Err: err}
			}
			next, err := s.ActIn(tx, by, &old, a, now)
			if err != nil {
				return err
			}
			if err := s.Journal(tx, now, store.Entry{By: by, Kind: sync.KindApplyFunction, Action: "ens." + a.Function.Code(),
				Entity: id, Base: old.Version, Payload: sync.ApplyPayload{Action: a, At: now, Changed: requests.ChangedFields(&old, &next)},
				Detail: old.Status.Code() + "→" + next.Status.Code()}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// SubmitComplianceReport submits the DIR's school's Annual Report on
// Ineligible Students for year: every AC request of that year must be
// marked (ens.ErrComplianceUnmarked says how many are not), each then goes
// to Reported, and the report is locked. A report already submitted for
// the school and year is refused with ens.ErrComplianceSubmitted, and one
// for a year whose list is not drawn up with ens.ErrComplianceYear (the
// rules: ens.SubmitComplianceReport).
func (s Store) SubmitComplianceReport(by account.Actor, year int) (ens.ComplianceReport, error) {
	now := s.Now()
	var rep ens.ComplianceReport
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rep, err = s.submitCompliance(tx, by, by.Org, year, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindSubmitComplianceReport, Action: "compliance.submit",
			Entity: rep.ID, Payload: ComplianceSubmitPayload{School: by.Org, Year: year, At: now},
			Detail: strconv.Itoa(rep.Eligible) + "/" + strconv.Itoa(rep.IneligibleCount)})
	})
	return rep, err
}

// submitCompliance submits school's report with the rule of
// ens.SubmitComplianceReport, asked before the school's list is read,
// and reports each marked request.
func (s Store) submitCompliance(tx *store.Tx, by account.Actor, school domain.ID, year int, now time.Time) (ens.ComplianceReport, error) {
	id := ComplianceReportID(school, year)
	submitted := tx.Bucket(store.ComplianceBucket).Get(id[:]) != nil
	if err := ens.MaySubmitReport(by, school, year, submitted, now); err != nil {
		return ens.ComplianceReport{}, err
	}
	in, err := s.InstitutionIn(tx, school)
	if err != nil {
		return ens.ComplianceReport{}, err
	}
	reqs, err := s.ComplianceRequestsIn(tx, school, year)
	if err != nil {
		return ens.ComplianceReport{}, err
	}
	rep, err := ens.SubmitComplianceReport(by, school, in.Province, year, submitted, reqs, now)
	if err != nil {
		return rep, err
	}
	for i := range reqs {
		r := &reqs[i]
		if !r.Marked() {
			continue
		}
		next, err := s.ActIn(tx, by, r, ens.Action{Function: ens.Report}, now)
		if err != nil {
			return rep, err
		}
		if err := s.Journal(tx, now, store.Entry{By: by, Action: "ens.report", Entity: r.ID,
			Detail: r.Status.Code() + "→" + next.Status.Code()}); err != nil {
			return rep, err
		}
	}
	return rep, s.putComplianceReport(tx, &rep)
}

// ComplianceRequestsIn lists a school's AC requests of one year, in any
// status, from the status index.
func (s Store) ComplianceRequestsIn(tx *store.Tx, school domain.ID, year int) ([]ens.Request, error) {
	tag, err := store.OrgTag(tx, school, false)
	if err != nil || tag == 0 {
		return nil, err
	}
	var ids []domain.ID
	c := tx.Bucket(store.IxStatus).Cursor()
	for _, st := range ens.StatusesOf(ens.AC) {
		prefix := store.StatusPrefix(tag, st)
		for k, v := c.Seek(prefix); k != nil && store.HasPrefix(k, prefix); k, v = c.Next() {
			if sv, ok := store.DecodeStatusValue(v); ok && sv.Type == ens.AC {
				ids = append(ids, store.IDFromKey(k))
			}
		}
	}
	var out []ens.Request
	var buf []byte
	for _, id := range ids {
		r, found, err := s.GetRequest(tx, id, &buf)
		if err != nil {
			return nil, err
		}
		if found && r.Type == ens.AC && r.School == school && r.ComplianceYear == year {
			out = append(out, r)
		}
	}
	return out, nil
}

// ComplianceRequests lists the Annual Compliance requests of the person's
// school for year (the school's list), in the order they were raised.
func (s Store) ComplianceRequests(by account.Actor, year int) ([]ens.Request, error) {
	if err := account.Authorize(by, account.WorkQueue, by.Org); err != nil {
		return nil, err
	}
	var out []ens.Request
	err := s.View(func(tx *store.Tx) error {
		var err error
		out, err = s.ComplianceRequestsIn(tx, by.Org, year)
		return err
	})
	slices.SortFunc(out, func(a, b ens.Request) int {
		if c := a.Received.Compare(b.Received); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	return out, err
}

// AmendComplianceReport appends an amendment to the DIR's school's
// submitted report for year: which students' eligibility changes, and
// why. The submitted report is never edited; the amendment is audited.
// A report not yet submitted is refused with ens.ErrComplianceNotReported.
func (s Store) AmendComplianceReport(by account.Actor, year int, changes []ens.EligibilityChange, reason string) (ens.ComplianceReport, error) {
	now := s.Now()
	p := ComplianceAmendPayload{School: by.Org, Year: year, Changes: changes, Reason: reason, At: now}
	var rep ens.ComplianceReport
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rep, err = s.amendCompliance(tx, by, p, now); err != nil {
			return err
		}
		last := rep.Amendments[len(rep.Amendments)-1]
		p.Changes, p.Reason = last.Changes, last.Reason
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindAmendComplianceReport, Action: "compliance.amend",
			Entity: rep.ID, Base: rep.Version - 1, Payload: p,
			Detail: strconv.Itoa(last.Number) + ":" + strconv.Itoa(len(last.Changes))})
	})
	return rep, err
}

// amendCompliance amends the school's report with the rule of
// ens.AmendComplianceReport, asked before the students are read.
func (s Store) amendCompliance(tx *store.Tx, by account.Actor, p ComplianceAmendPayload, now time.Time) (ens.ComplianceReport, error) {
	var rec ens.ComplianceReport
	var rep *ens.ComplianceReport
	id := ComplianceReportID(p.School, p.Year)
	found, err := s.GetJSON(store.BucketOf(tx, store.ComplianceBucket), id[:], &rec)
	if err != nil {
		return rec, err
	}
	if found {
		rep = &rec
	}
	if err := ens.MayAmendReport(by, p.School, p.Year, rep); err != nil {
		return ens.ComplianceReport{}, err
	}
	students := map[domain.ID]ens.Request{}
	for _, c := range p.Changes {
		r, found, err := s.GetRequest(tx, c.Request, nil)
		if err != nil {
			return rec, err
		}
		if found {
			students[r.ID] = r
		}
	}
	next, err := ens.AmendComplianceReport(by, p.School, p.Year, rep, p.Changes, p.Reason, students, now)
	if err != nil {
		return rec, err
	}
	return next, s.putComplianceReport(tx, &next)
}

// putComplianceReport writes a report and feeds it to the school's staff
// and its province's coordinators (and the program, which reads all).
func (s Store) putComplianceReport(tx *store.Tx, rep *ens.ComplianceReport) error {
	rep.Version++
	if err := s.PutJSON(store.BucketOf(tx, store.ComplianceBucket), rep.ID[:], rep); err != nil {
		return err
	}
	return s.Feed(tx, sync.EntityComplianceReport, rep.ID, rep.Version,
		[]store.Reader{store.OrgReader(rep.School), store.OrgReader(store.ProvinceID(rep.Province))}, rep)
}

// applyComplianceReport writes a report from the feed (or from a refused
// command's answer): the server's copy is the record.
func (s Store) applyComplianceReport(tx *store.Tx, c *sync.Change) (bool, error) {
	var rep ens.ComplianceReport
	if err := json.Unmarshal(c.Data, &rep); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if rep.ID != c.ID || rep.ID != ComplianceReportID(rep.School, rep.Year) {
		return false, nil
	}
	return true, s.PutJSON(store.BucketOf(tx, store.ComplianceBucket), rep.ID[:], rep)
}

// ComplianceReport reads a school's report for year: the school's staff,
// its province's coordinator and the program may.
// ens.ErrComplianceNotReported says it is not submitted (as far as this
// profile knows).
func (s Store) ComplianceReport(by account.Actor, school domain.ID, year int) (ens.ComplianceReport, error) {
	var rep ens.ComplianceReport
	err := s.View(func(tx *store.Tx) error {
		in, err := s.InstitutionIn(tx, school)
		if err != nil {
			return err
		}
		if err := CanReadCompliance(by, school, in.Province); err != nil {
			return err
		}
		id := ComplianceReportID(school, year)
		found, err := s.GetJSON(store.BucketOf(tx, store.ComplianceBucket), id[:], &rep)
		if err == nil && !found {
			err = domain.Errorf(ens.ErrComplianceNotReported, strconv.Itoa(year))
		}
		return err
	})
	return rep, err
}

// ComplianceReports lists the reports by may read (their school's, their
// province's, or every one for the program) for year (every year when
// year is 0), by year and then in the order they were submitted.
func (s Store) ComplianceReports(by account.Actor, year int) ([]ens.ComplianceReport, error) {
	if err := readsCompliance(by); err != nil {
		return nil, err
	}
	out := []ens.ComplianceReport{}
	err := s.View(func(tx *store.Tx) error {
		b := store.BucketOf(tx, store.ComplianceBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var rep ens.ComplianceReport
			if err := s.OpenJSON(b, k, v, &rep); err != nil {
				return err
			}
			if (year == 0 || rep.Year == year) && CanReadCompliance(by, rep.School, rep.Province) == nil {
				out = append(out, rep)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b ens.ComplianceReport) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return a.Submitted.Compare(b.Submitted)
	})
	return out, err
}

// readsCompliance refuses the roles that read no compliance record
// (ens.MayReadCompliance).
func readsCompliance(by account.Actor) error { return ens.MayReadCompliance(by) }

// CanReadCompliance: a school's compliance records are its staff's, its
// province's coordinators' and the program's
// (ens.MayReadSchoolCompliance).
func CanReadCompliance(by account.Actor, school domain.ID, province string) error {
	return ens.MayReadSchoolCompliance(by, school, province)
}

// refeedRefusedSubmission sends a school's AC requests of the year to its
// desks again after the server refused their submission: the desk that
// submitted had marked them reported, and gets them back as they are.
func refeedRefusedSubmission(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command) error {
	var p ComplianceSubmitPayload
	// TODO(rules): whom the list is sent back to is a reader rule of ens (the school's staff).
	if err := store.Decode(cmd.Payload, &p); err != nil || !by.Role.InstitutionStaff() || by.Org != p.School {
		return nil
	}
	reqs, err := of(sv).ComplianceRequestsIn(tx, p.School, p.Year)
	if err != nil {
		return err
	}
	for i := range reqs {
		if err := of(sv).FeedRequest(tx, &reqs[i]); err != nil {
			return err
		}
	}
	return nil
}
