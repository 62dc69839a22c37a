//go:build slow

package client_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/sync"
)

// TestRandomPartitions: five devices (a DIR, a signatory, three students)
// make 2,000 commands between random partitions (a device stays offline
// for a while), app restarts and server restarts. At the end every device
// syncs, and every command the server acknowledged is visible on every
// device that may see it; the school's desks hold identical records.
// Slow: run with -tags slow (CI does).
func TestRandomPartitions(t *testing.T) {
	f := newFixture(t)
	stu2, stu3 := newDesk(t, f.ts, "student2"), newDesk(t, f.ts, "student3")
	stu2.student("eleve2", "Noah", "Tremblay")
	stu3.student("eleve3", "Awa", "Diallo")
	students := []*desk{f.stu, stu2, stu3}
	staff := []*desk{f.dir, f.sig}
	all := append(slices.Clone(staff), students...)
	users := map[*desk]string{f.dir: "dir.a", f.sig: "sig.a", f.stu: "eleve1", stu2: "eleve2", stu3: "eleve3"}
	rng := rand.New(rand.NewPCG(4, 2))
	total := 2000
	if n, err := strconv.Atoi(os.Getenv("DOSSIER_RANDOM_COMMANDS")); err == nil {
		total = n
	}
	offline := map[*desk]int{}
	raised := map[domain.ID]*desk{}
	var ids []domain.ID
	ctx := context.Background()
	commands, misses := 0, 0
	start := time.Now()
	for commands < total {
		d := all[rng.IntN(len(all))]
		switch x := rng.IntN(100); {
		case x < 2:
			offline[d] = 5 + rng.IntN(40) // a partition: this device stops syncing
		case x < 3:
			d.reopen() // the app restarts
			if err := d.c.SignIn(ctx, d.by.Account, users[d], password); err != nil {
				t.Fatal(err)
			}
		case x == 3:
			f.ts.restart()
		case slices.Contains(students, d):
			r := d.raise(f.school.ID, commands)
			raised[r.ID] = d
			ids = append(ids, r.ID)
			commands++
		case len(ids) == 0:
		default:
			commands += work(t, d, ids[rng.IntN(len(ids))], rng, commands, &misses)
		}
		if offline[d] > 0 {
			offline[d]--
			continue
		}
		if rng.IntN(3) == 0 {
			d.c.Sync(ctx) // failures are retried at the end
		}
	}
	for round := 0; round < 3; round++ {
		for _, d := range all {
			if err := d.c.Sync(ctx); err != nil {
				t.Fatalf("%s final sync: %v", d.name, err)
			}
		}
	}
	for _, d := range all {
		if n, _ := d.st.OutboxLen(); n != 0 {
			t.Fatalf("%s outbox %d", d.name, n)
		}
	}
	// Every request the server holds is on both desks and its student's
	// computer, at the server's version.
	want := snapshot(t, f.dir)
	if got := snapshot(t, f.sig); !slices.Equal(got, want) {
		t.Fatalf("desks differ")
	}
	onServer := 0
	for _, id := range ids {
		r, err := f.ts.sv.Request(f.dir.by, id)
		if err != nil {
			continue // its raise was refused (none should be)
		}
		onServer++
		for _, d := range []*desk{f.dir, f.sig, raised[id]} {
			if got := d.request(id); got.Version != r.Version || got.Status != r.Status {
				t.Fatalf("%s holds %s at v%d %v, server v%d %v", d.name, id, got.Version, got.Status, r.Version, r.Status)
			}
		}
	}
	if onServer != len(ids) {
		t.Fatalf("%d of %d raised requests reached the server", onServer, len(ids))
	}
	rejected := 0
	for _, d := range all {
		rs, _ := d.st.Rejections(d.by)
		rejected += len(rs)
	}
	t.Logf("%d commands (%d requests raised) in %v; %d refused as races", commands, len(ids), time.Since(start), rejected)
	_ = sync.Applied
}

// work has a staff desk act on one request, when it holds it; it returns
// how many commands it made.
func work(t *testing.T, d *desk, id domain.ID, rng *rand.Rand, n int, misses *int) int {
	r, err := d.st.Request(d.by, id)
	if err != nil {
		*misses++
		return 0 // not here yet
	}
	a := ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: d.name + " " + letters(n)}}
	switch rng.IntN(4) {
	case 0:
		a = ens.Action{Function: ens.Verify, Draft: allMet()}
	case 1:
		a = ens.Action{Function: ens.Reject, Reason: "Not enrolled " + letters(n)}
	}
	made := 0
	if a.Function == ens.Verify {
		if _, err := d.st.Act(d.by, id, ens.Action{Function: ens.Save, Draft: allMet()}, r.Version); err != nil {
			return 0
		}
		made++
	}
	if _, err := d.st.Act(d.by, id, a, 0); err == nil {
		made++
	}
	return made
}
