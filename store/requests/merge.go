package requests

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// stamp is the server's record of the last change to one form field: the
// value, who made it and when (sync.FieldVersion), and the record version
// it produced, which tells a concurrent edit (made on an older version)
// from a later one.
type stamp struct {
	sync.FieldVersion
	Version uint64 `json:"v"`
}

// applyFunction applies a pushed function. The rules are checked again on
// the record as the server has it: a workflow action another desk has
// overtaken (two signatories verifying one request) is refused with the
// rule's reason. The form fields the command changed are merged one by
// one: a field someone else changed since the version the person saw is
// decided by sync.Wins, and the losing value is kept in a ConflictRecord.
func applyFunction(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p sync.ApplyPayload, at time.Time) (sync.Answer, error) {
	s := of(sv)
	ans := sync.Answer{Outcome: sync.Applied}
	if p.Action.Function == ens.Report {
		// Reporting is the submission of the school's report, never one
		// request alone.
		// TODO(rules): one ens function for "Report only through the
		// submission", shared with Act and ActMany.
		return ans, domain.Errorf(ens.ErrReportThroughSubmit)
	}
	old, found, err := s.GetRequest(tx, cmd.Entity, nil)
	if err != nil {
		return ans, err
	}
	if !found {
		return ans, domain.Errorf(store.ErrNotFound)
	}
	if cmd.BaseVersion != old.Version {
		ans.Outcome = sync.Merged
	}
	a := p.Action
	stamps := map[string]stamp{}
	if _, err := s.GetJSON(store.BucketOf(tx, store.StampsBucket), old.ID[:], &stamps); err != nil {
		return ans, err
	}
	// What the desk meant each changed field to read.
	proposed := old
	if a.Draft != nil && a.Function != ens.Reject {
		proposed.Notes, proposed.Student.StudentNumber, proposed.Checks = a.Draft.Notes, a.Draft.StudentNumber, a.Draft.Checks
	}
	if a.Function == ens.Assign {
		proposed.Assignee = a.Assignee
	}
	mine, theirs := requestFields(&proposed), requestFields(&old)
	result := requestFields(&old)
	var conflicts []store.ConflictRecord
	seen := map[string]bool{}
	for _, f := range p.Changed {
		if _, known := mine[f]; !known || seen[f] {
			continue
		}
		seen[f] = true
		cand := sync.FieldVersion{Value: mine[f], HLC: cmd.HLC, Device: cmd.Device}
		st, had := stamps[f]
		concurrent := had && st.Version > cmd.BaseVersion && theirs[f] != cand.Value
		switch {
		case !concurrent:
			result[f] = cand.Value
			stamps[f] = stamp{FieldVersion: cand}
		case sync.Wins(cand, st.FieldVersion):
			result[f] = cand.Value
			stamps[f] = stamp{FieldVersion: cand}
			conflicts = append(conflicts, store.ConflictRecord{Field: f, Kept: cand, Lost: st.FieldVersion})
		default:
			conflicts = append(conflicts, store.ConflictRecord{Field: f, Kept: st.FieldVersion, Lost: cand})
		}
	}
	// The action applies the merged fields, not the desk's copy of all of
	// them: a field the desk did not change keeps what the server has.
	if a.Draft != nil {
		d := ens.Draft{Notes: old.Notes, StudentNumber: old.Student.StudentNumber, Checks: old.Checks}
		assignee := old.Assignee
		setFields(&d, &assignee, result)
		a.Draft = &d
	}
	if a.Function == ens.Assign {
		setFields(&ens.Draft{}, &a.Assignee, map[string]string{fieldAssignee: result[fieldAssignee]})
	}
	if a.Function == ens.Verify {
		if err := ens.Allowed(&old, a.Function, by, at); err != nil {
			return ans, err
		}
		if a.EVN, err = acceptEVN(sv, tx, by, cmd.Device, &old, a.EVN); err != nil {
			return ans, err
		}
	}
	next := old
	switch {
	case a.Function == ens.Assign && a.Assignee == old.Assignee && len(conflicts) > 0:
		// The assignment lost to a later one: nothing changes but the
		// record of the conflict.
		if err := ens.Allowed(&old, a.Function, by, at); err != nil {
			return ans, err
		}
	case a.Function == ens.Accept && old.Type == ens.TI:
		if next, err = s.acceptTransfer(tx, by, &old, a, at); err != nil {
			return ans, err
		}
	default:
		if next, err = s.ActIn(tx, by, &old, a, at); err != nil {
			return ans, err
		}
	}
	for f, st := range stamps {
		if st.Version == 0 {
			st.Version = next.Version
			stamps[f] = st
		}
	}
	if err := s.PutJSON(store.BucketOf(tx, store.StampsBucket), old.ID[:], stamps); err != nil {
		return ans, err
	}
	for i := range conflicts {
		c := &conflicts[i]
		c.Request, c.School, c.At = old.ID, old.School, at
		if c.ID, err = s.NewID(at); err != nil {
			return ans, err
		}
		if err := s.Feed(tx, sync.EntityConflict, c.ID, 1, []store.Reader{store.OrgReader(old.School)}, c); err != nil {
			return ans, err
		}
		ans.Conflicts = append(ans.Conflicts, sync.Conflict{Field: c.Field, Kept: c.Kept, Lost: c.Lost})
		ans.Outcome = sync.Merged
	}
	ans.Version = next.Version
	return ans, nil
}

// acceptEVN checks the number a desk issued offline for a Verify: it must
// be of the request's school and of the desk the server gave the acting
// person on the computer that sent it (device: the one their token was
// issued to), and no other request may carry it. The server's record of
// that desk's sequence moves past it. A desk that sends no number (none
// of ours does) is numbered by the server.
func acceptEVN(sv *store.Server, tx *store.Tx, by account.Actor, device domain.ID, r *ens.Request, evn ens.EVN) (ens.EVN, error) {
	s := of(sv)
	if evn == "" {
		if by.Org != r.School {
			return "", domain.Errorf(store.ErrNoDesk)
		}
		return s.IssueEVN(tx, by, device)
	}
	if _, err := ens.ParseEVN(string(evn)); err != nil {
		return "", err
	}
	school, desk, seq := evn.Parts()
	in, err := s.InstitutionIn(tx, r.School)
	if err != nil {
		return "", err
	}
	d, ok := s.IssuingDesk(tx, by.Account, device)
	if !ok || school != in.Code || desk != d.Desk || d.School != in.Code {
		return "", domain.FieldError(sync.ErrNotYourDesk, "evn")
	}
	tag, err := store.OrgTag(tx, r.School, true)
	if err != nil {
		return "", err
	}
	if ids, _ := s.lookup(tx, tag, store.IxEVN, s.Keys().Hash(store.HashEVN, string(evn))); len(ids) > 0 {
		return "", domain.FieldError(sync.ErrEVNTaken, "evn", string(evn))
	}
	if seq >= d.Next {
		d.Next = seq + 1
		return evn, s.PutIssuingDesk(tx, by.Account, device, d)
	}
	return evn, nil
}
