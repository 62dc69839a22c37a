package requests

import (
	"strconv"

	"dossier/domain"
	"dossier/domain/ens"
)

// The form fields of a request that two desks may change at once, by name:
// the desk's notes, the student number, each eligibility check and the
// assignee. The server merges these field by field (sync.Wins); everything
// else a function changes is workflow, where the later command is refused.
const (
	fieldNotes         = "notes"
	fieldStudentNumber = "studentNumber"
	fieldAssignee      = "assignee"
	fieldCheckPrefix   = "check."
)

// requestFields reads the form fields of r as text.
func requestFields(r *ens.Request) map[string]string {
	m := map[string]string{fieldNotes: r.Notes, fieldStudentNumber: r.Student.StudentNumber, fieldAssignee: ""}
	if !r.Assignee.IsZero() {
		m[fieldAssignee] = r.Assignee.String()
	}
	for _, c := range ens.Criteria {
		m[fieldCheckPrefix+c.Code()] = strconv.Itoa(int(r.Checks[c]))
	}
	return m
}

// ChangedFields names the form fields that differ between old and next, in
// a fixed order (fieldOrder): what requestFields would show differing,
// compared without writing them out, on the path of every action.
func ChangedFields(old, next *ens.Request) []string {
	var out []string
	if old.Notes != next.Notes {
		out = append(out, fieldNotes)
	}
	if old.Student.StudentNumber != next.Student.StudentNumber {
		out = append(out, fieldStudentNumber)
	}
	if old.Assignee != next.Assignee {
		out = append(out, fieldAssignee)
	}
	for i, c := range ens.Criteria {
		if old.Checks[c] != next.Checks[c] {
			out = append(out, checkFields[i])
		}
	}
	return out
}

// checkFields are the field names of ens.Criteria's checks, in order.
var checkFields = func() []string {
	out := make([]string, len(ens.Criteria))
	for i, c := range ens.Criteria {
		out[i] = fieldCheckPrefix + c.Code()
	}
	return out
}()

func fieldOrder() []string {
	out := []string{fieldNotes, fieldStudentNumber, fieldAssignee}
	for _, c := range ens.Criteria {
		out = append(out, fieldCheckPrefix+c.Code())
	}
	return out
}

// setFields writes field values into a draft and an assignee; unknown
// fields and unreadable values are ignored (they cannot come from our own
// desks).
func setFields(d *ens.Draft, assignee *domain.ID, fields map[string]string) {
	for f, v := range fields {
		switch f {
		case fieldNotes:
			d.Notes = v
		case fieldStudentNumber:
			d.StudentNumber = v
		case fieldAssignee:
			if v == "" {
				*assignee = domain.ID{}
			} else if id, err := domain.ParseID(v); err == nil {
				*assignee = id
			}
		default:
			for _, c := range ens.Criteria {
				if f == fieldCheckPrefix+c.Code() {
					if n, err := strconv.Atoi(v); err == nil {
						d.Checks[c] = ens.Check(n)
					}
				}
			}
		}
	}
}
