package account

import "dossier/domain"

// Permission is something a role may do, apart from the request functions
// whose rules live with the requests (ens.Allowed).
type Permission uint8

// The permissions.
const (
	WorkQueue           Permission = iota + 1 // read and work the school's DIR queue
	IssueSignatoryPIN                         // DIR: give a signatory a PIN
	RevokeSignatory                           // DIR: end a signatory's access
	IssueDIRPIN                               // the program: give a DIR a PIN
	ManageInstitutions                        // the program: list and register schools
	RaiseRequest                              // student: ask for a verification or transfer
	SubmitAnnualReport                        // DIR: the Annual Report on Ineligible Students
	CompileReports                            // coordinator: the province's compilation
	PrepareApplication                        // OINP applicant or authorised representative
	ManageEmployer                            // employer primary user: branches, primary role
	ManageEmployerUsers                       // primary and branch primary users: secondary users
	FillEmployerForm                          // any employer user
	DecideApplications                        // program officer: OINP decisions
	ApproveEmployers                          // program officer: employer enrolments
	ReadAuditTrail                            // program officer: a person's audit history
	TakeBackup                                // program officer: a copy of the server's store
)

// grants is who holds each permission (DOMAIN.md §1). The organisation is
// checked separately by Authorize.
var grants = map[Permission][]Role{
	WorkQueue:           {DIR, Signatory},
	IssueSignatoryPIN:   {DIR},
	RevokeSignatory:     {DIR},
	IssueDIRPIN:         {ProgramOfficer, System}, // System: dossierd admin
	ManageInstitutions:  {ProgramOfficer, System},
	RaiseRequest:        {Student},
	SubmitAnnualReport:  {DIR},
	CompileReports:      {Coordinator},
	PrepareApplication:  {Applicant, Representative},
	ManageEmployer:      {EmployerPrimary},
	ManageEmployerUsers: {EmployerPrimary, BranchPrimary},
	FillEmployerForm:    {EmployerPrimary, BranchPrimary, EmployerSecondary, BranchSecondary},
	DecideApplications:  {ProgramOfficer},
	ApproveEmployers:    {ProgramOfficer},
	ReadAuditTrail:      {ProgramOfficer, System}, // System: dossierd admin audit
	TakeBackup:          {ProgramOfficer, System}, // System: dossierd admin backup --data
}

// Can reports whether the role holds the permission.
func (r Role) Can(p Permission) bool {
	for _, g := range grants[p] {
		if g == r {
			return true
		}
	}
	return false
}

// Authorize refuses an actor whose role lacks p (ErrForbidden), or who acts
// on an organisation other than their own (ErrOtherOrganisation). org is the
// organisation the action touches; zero when it touches none.
func Authorize(a Actor, p Permission, org domain.ID) error {
	if !a.Role.Can(p) {
		return domain.Errorf(ErrForbidden)
	}
	if !org.IsZero() && scoped(a.Role) && a.Org != org {
		return domain.Errorf(ErrOtherOrganisation)
	}
	return nil
}

// scoped reports whether the role acts only within its own organisation. The
// program's roles act across all of them.
func scoped(r Role) bool {
	switch r {
	case ProgramOfficer, Coordinator, System:
		return false
	}
	return true
}
