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
// a fixed order.
func ChangedFields(old, next *ens.Request) []string {
	a, b := requestFields(old), requestFields(next)
	var out []string
	for _, f := range fieldOrder() {
		if a[f] != b[f] {
			out = append(out, f)
		}
	}
	return out
}

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
