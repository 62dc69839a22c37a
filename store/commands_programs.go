package store

import (
	"dossier/domain/account"
	"dossier/sync"
)

// Who sends each command, program by program. A role listed here may still
// be refused by the command's rule (another school's request, another
// business's form, a file that is not theirs); a role not listed never
// reaches the rule.

var (
	schoolStaff   = []account.Role{account.DIR, account.Signatory}
	employerUsers = []account.Role{account.EmployerPrimary, account.BranchPrimary, account.EmployerSecondary}
	onAFile       = []account.Role{account.Applicant, account.Representative}
	theProgram    = []account.Role{account.ProgramOfficer}
)

// ocwppCommands: the Off-Campus Work Permit Program's requests and schools.
var ocwppCommands = []CommandSpec{
	{Kind: sync.KindRaiseRequest, Senders: []account.Role{account.Student}},
	// The school's staff work the queue; a student withdraws their own.
	{Kind: sync.KindApplyFunction, Senders: append([]account.Role{account.Student}, schoolStaff...)},
	{Kind: KindCreateInstitution, Senders: theProgram},
}

// accountCommands: people and their access.
var accountCommands = []CommandSpec{
	{Kind: KindRegister, Anonymous: true},
	{Kind: sync.KindEnrol, Anonymous: true},
	{Kind: KindEnrolBusiness, Anonymous: true},
	// The program issues DIRs' PINs, a DIR signatories', an employer's
	// primary user (or a branch's) their users'.
	{Kind: sync.KindIssuePIN, Senders: []account.Role{account.DIR, account.ProgramOfficer, account.EmployerPrimary,
		account.BranchPrimary}},
	{Kind: sync.KindRevoke, Senders: []account.Role{account.DIR, account.EmployerPrimary, account.BranchPrimary}},
	{Kind: KindUpdateEmail, Senders: everyRole},
}

// employerCommands: businesses, branches, users and Employer Forms.
var employerCommands = []CommandSpec{
	{Kind: KindDecideBusiness, Senders: theProgram},
	{Kind: KindCreateBranch, Senders: []account.Role{account.EmployerPrimary}},
	{Kind: KindHandOver, Senders: []account.Role{account.EmployerPrimary}},
	{Kind: KindSaveEmployerForm, Senders: employerUsers},
	{Kind: KindSignEmployerForm, Senders: employerUsers},
	{Kind: KindLinkEmployerForm, Senders: employerUsers},
	{Kind: KindAttachEmployerDocument, Senders: employerUsers},
}

// oinpCommands: the In-Demand Skills application and the program's
// decisions on it.
var oinpCommands = []CommandSpec{
	{Kind: KindSaveApplication, Senders: onAFile},
	{Kind: KindRegisterApplication, Senders: []account.Role{account.Applicant}},
	{Kind: KindAttachDocument, Senders: onAFile},
	{Kind: KindRemoveDocument, Senders: onAFile},
	{Kind: KindSubmitApplication, Senders: onAFile},
	{Kind: KindWithdrawApplication, Senders: []account.Role{account.Applicant}},
	{Kind: KindNoticeApplication, Senders: []account.Role{account.Applicant}},
	{Kind: KindImportEmployerForm, Senders: onAFile},
	{Kind: KindRepRequest, Senders: []account.Role{account.Representative}},
	{Kind: KindRepDecide, Senders: []account.Role{account.Applicant}},
	{Kind: KindRepCancel, Senders: []account.Role{account.Applicant}},
	{Kind: KindAnswerInformation, Senders: onAFile},
	{Kind: KindRequestInformation, Senders: theProgram},
	{Kind: KindDecideApplication, Senders: theProgram},
	{Kind: KindRecordReview, Senders: theProgram},
	{Kind: KindDecideReview, Senders: theProgram},
	{Kind: KindExtendNomination, Senders: theProgram},
}

// complianceCommands: the annual compliance exercise.
var complianceCommands = []CommandSpec{
	{Kind: KindSubmitComplianceReport, Senders: []account.Role{account.DIR}},
	{Kind: KindAmendComplianceReport, Senders: []account.Role{account.DIR}},
	{Kind: KindChaseSchool, Senders: []account.Role{account.Coordinator}},
	{Kind: KindSubmitProvincialReport, Senders: []account.Role{account.Coordinator}},
}

// printCommands: every person prints, and the server keeps what each
// verification code vouches for.
var printCommands = []CommandSpec{
	{Kind: KindPrintKey, Senders: everyRole},
	{Kind: KindPrinted, Senders: everyRole},
}
