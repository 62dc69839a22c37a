package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"dossier/assets"
	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/domain/oinp"
)

// oinp runs the OINP subcommands: check (the eligibility report and the
// errors of an application file).
func (m *Main) oinp(args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return cli.Bad("cli.oinp.usage")
	}
	return m.oinpCheck(args[1:])
}

// checkReport is what `dossierctl oinp check --json` prints. Verdict is
// "eligible", "not-eligible" (a rule fails) or "not-yet-known" (none
// fails, some cannot be judged yet); Eligible is kept for the readers
// written before Verdict, and is true only when Verdict is "eligible".
// FeeCents is 0 while the fee is not yet known.
type checkReport struct {
	File     string       `json:"file"`
	On       string       `json:"on"`
	Verdict  oinp.Verdict `json:"verdict"`
	Eligible bool         `json:"eligible"`
	Complete bool         `json:"complete"`
	GTA      string       `json:"gta"`
	FeeCents int64        `json:"feeCents"`
	// EmployerGTA is where the employer is located (§2.3.4 thresholds):
	// "yes", "no", or "" while not known.
	EmployerGTA string         `json:"employerGTA"`
	Members     int            `json:"familyMembers"`
	Rules       []checkRule    `json:"rules"`
	Problems    []checkProblem `json:"errors"`
	FundsYear   int            `json:"settlementFundsYear"`
}

// verdictKeys are the catalog keys of the verdict's sentence.
var verdictKeys = map[oinp.Verdict]string{
	oinp.VerdictEligible:    "cli.oinp.eligible",
	oinp.VerdictNotEligible: "cli.oinp.not-eligible",
	oinp.VerdictNotYetKnown: "cli.oinp.not-yet-known",
}

type checkRule struct {
	oinp.Result
	Title   string `json:"title"`
	Message string `json:"message"`
}

type checkProblem struct {
	Tab     oinp.Tab    `json:"tab"`
	Field   string      `json:"field"`
	Code    domain.Code `json:"code"`
	Message string      `json:"message"`
}

// oinpCheck judges an application file as the app does, on --on (the
// file's submission date, else today): every rule and every error. The
// exit status is 0 whether or not the application is eligible; only a
// file that cannot be read fails.
func (m *Main) oinpCheck(args []string) error {
	fs := cli.NewFlags("oinp check")
	onFlag := fs.String("on", "", "")
	asJSON := fs.Bool("json", false, "")
	files, rest := cli.Operands(fs, args)
	if err := cli.Parse(fs, rest); err != nil {
		return err
	}
	if len(files) != 1 {
		return cli.Bad("cli.oinp.usage")
	}
	path := files[0]
	f, err := os.Open(path)
	if err != nil {
		return cli.Failure{Key: "cli.file.open", Args: []any{path}}
	}
	defer f.Close()
	a, err := oinp.ReadFile(f)
	if err != nil {
		return err
	}
	on := a.CheckDate(domain.DateOf(time.Now()))
	if *onFlag != "" {
		if on, err = domain.ParseDate("on", *onFlag); err != nil {
			return cli.Bad("cli.flag.value", "--on")
		}
	}
	// A country written by name ("Canada") counts as its code; one that
	// names no country stays as written, an error of its field.
	oinp.ResolveCountries(a, assets.Countries())
	tables := assets.OINPTables()
	rep := oinp.Evaluate(a, on, tables)
	problems := append(oinp.Validate(a, on), oinp.CheckCountries(a, assets.Countries())...)
	out := checkReport{File: path, On: on.String(), Verdict: rep.Verdict(), Eligible: rep.Eligible(), Complete: len(problems) == 0 &&
		rep.Count(oinp.Unknown) == 0, GTA: string(rep.InGTA), FeeCents: rep.FeeCents, EmployerGTA: string(rep.EmployerInGTA), Members: rep.Members,
		FundsYear: tables.FundsYear, Rules: []checkRule{}, Problems: []checkProblem{}}
	for _, r := range rep.Results {
		out.Rules = append(out.Rules, checkRule{Result: r, Title: m.tr.T(r.Title()), Message: m.tr.T(r.Key, r.Args...)})
	}
	for _, p := range problems {
		out.Problems = append(out.Problems, checkProblem{Tab: p.Tab, Field: p.Err.Field, Code: p.Err.Code,
			Message: m.tr.Error(p.Err)})
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintln(m.Stdout, m.tr.T(verdictKeys[out.Verdict], on))
	for _, r := range out.Rules {
		fmt.Fprintln(m.Stdout, m.tr.T("cli.oinp.rule", m.tr.T(r.Outcome.MarkKey()), r.Section, r.Title, r.Message))
		if r.Outcome != oinp.Pass {
			fmt.Fprintln(m.Stdout, m.tr.T("cli.oinp.fix", m.tr.T(oinp.LabelKey(r.Field))))
		}
	}
	switch rep.InGTA {
	case oinp.Yes:
		fmt.Fprintln(m.Stdout, m.tr.T("oinp.summary.fee.gta", domain.Money(rep.FeeCents), rep.Region))
	case oinp.No:
		fmt.Fprintln(m.Stdout, m.tr.T("oinp.summary.fee.outside", domain.Money(rep.FeeCents)))
	default:
		fmt.Fprintln(m.Stdout, m.tr.T("cli.oinp.fee.unknown"))
	}
	if len(out.Problems) > 0 {
		fmt.Fprintln(m.Stdout, m.tr.T("cli.oinp.errors", len(out.Problems)))
		for _, p := range out.Problems {
			fmt.Fprintln(m.Stdout, m.tr.T("cli.oinp.error", m.tr.T(p.Tab.MessageKey()), p.Field, p.Message))
		}
	}
	return nil
}
