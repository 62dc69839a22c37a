package main

import (
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/notice"
	"dossier/store"
	"dossier/store/notices"
	"dossier/sync"
)

// The attacks of this file aim at the program's maintenance notices, which
// every desk shows: a person who is not the program scheduling or
// withdrawing one, and the program's own desk sending a notice its rule
// refuses (a text too long, a window that ends before it starts, one that
// has ended by the server's clock though the desk's said otherwise). Each
// is the command a real officer's desk made, re-aimed, sent to a real
// dossierd over TLS on loopback; each is refused with its code and no
// notice reaches anyone.

// freshCommand gives cmd a new command ID: a repeat of an ID gets the
// answer stored for it.
func freshCommand(t *testing.T, cmd sync.Command) sync.Command {
	t.Helper()
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cmd.ID = id
	return cmd
}

func TestAttackNotices(t *testing.T) {
	hs := startHostileWith(t, defaultConnBounds, true)
	off, officer := hs.officerDesk()
	// The window is taken from the server's clock as the officer's desk
	// reads it: an hour from now, for two hours.
	from := time.Now().Add(time.Hour).Truncate(time.Minute)
	n, err := off.st.ScheduleNotice(officer, from, from.Add(2*time.Hour), "Dossier will be away.", "Dossier sera absent.")
	if err != nil {
		t.Fatal(err)
	}
	sched := lastCommand(t, off.st, notices.KindSchedule)
	offTok, _ := hs.signIn(hostileProgram, hostileProgramPassword)
	dirTok, _ := hs.signIn(hostileUser, hostilePassword)
	var dir store.PublicAccount
	if err := json.Unmarshal(dirTok.Account, &dir); err != nil {
		t.Fatal(err)
	}
	_, stu := hs.student("eve.notice")
	stuTok, _ := hs.signIn("eve.notice", hostilePassword)

	t.Run("not the program", func(t *testing.T) {
		for _, c := range []struct {
			who   string
			token string
			actor domain.ID
		}{{"a student", stuTok.Access, stu.Account}, {"a DIR", dirTok.Access, dir.ID}} {
			cmd := freshCommand(t, sched)
			cmd.Actor = c.actor
			refusedWith(t, c.who+" scheduling a notice", hs.pushAnswer(c.token, cmd), store.ErrNotSender)
		}
	})
	t.Run("rules", func(t *testing.T) {
		for _, c := range []struct {
			name string
			edit func(*notices.SchedulePayload)
			want domain.Code
		}{
			{"English over the limit", func(p *notices.SchedulePayload) { p.EN = strings.Repeat("a", notice.MaxText+1) }, notice.ErrText},
			{"no French", func(p *notices.SchedulePayload) { p.FR = " " }, notice.ErrText},
			{"end before start", func(p *notices.SchedulePayload) { p.To = p.From.Add(-time.Minute) }, notice.ErrWindow},
			{"ended by the server's clock", func(p *notices.SchedulePayload) {
				p.From, p.To = p.From.Add(-48*time.Hour), p.To.Add(-48*time.Hour)
			}, notice.ErrEnded},
			{"a week long", func(p *notices.SchedulePayload) { p.To = p.From.Add(7 * 24 * time.Hour) }, notice.ErrTooLong},
		} {
			cmd := freshCommand(t, sched)
			reshape(t, &cmd, c.edit)
			refusedWith(t, c.name, hs.pushAnswer(offTok.Access, cmd), c.want)
		}
		// Megabytes of text are refused before the payload is read.
		cmd := freshCommand(t, sched)
		reshape(t, &cmd, func(p *notices.SchedulePayload) { p.EN = strings.Repeat("é", 1<<20) })
		refusedWith(t, "a megabyte of text", hs.pushAnswer(offTok.Access, cmd), sync.ErrTooLarge)
	})
	// Nothing refused reached anyone: the public list is empty.
	if got := publicNotices(t, hs); len(got) != 0 {
		t.Fatalf("after the refusals the server announces %+v", got)
	}
	// The officer's own command is applied, once, and announced to anyone.
	if ans := hs.pushAnswer(offTok.Access, sched); ans.Outcome != sync.Applied {
		t.Fatalf("the officer's notice: %+v", ans)
	}
	got := publicNotices(t, hs)
	if len(got) != 1 || got[0].ID != n.ID || got[0].FR != "Dossier sera absent." || !got[0].From.Equal(from) {
		t.Fatalf("announced %+v", got)
	}
	// A second notice under the same ID is refused.
	again := freshCommand(t, sched)
	refusedWith(t, "the same notice ID again", hs.pushAnswer(offTok.Access, again), store.ErrEntityExists)
	// Withdrawing: not by a student; by the program, before the window.
	wd := freshCommand(t, sched)
	wd.Kind = notices.KindWithdraw
	wd.Payload, _ = json.Marshal(notices.WithdrawPayload{ID: n.ID})
	stuWd := freshCommand(t, wd)
	stuWd.Actor = stu.Account
	refusedWith(t, "a student withdrawing a notice", hs.pushAnswer(stuTok.Access, stuWd), store.ErrNotSender)
	if ans := hs.pushAnswer(offTok.Access, wd); ans.Outcome != sync.Applied {
		t.Fatalf("the officer's withdrawal: %+v", ans)
	}
	refusedWith(t, "a second withdrawal", hs.pushAnswer(offTok.Access, freshCommand(t, wd)), notice.ErrWithdrawn)
	if got := publicNotices(t, hs); len(got) != 1 || got[0].Withdrawn.IsZero() {
		t.Fatalf("after the withdrawal: %+v", got)
	}
}

// publicNotices reads GET /v1/notices without a token, as a desk on its
// sign-in screen does.
func publicNotices(t *testing.T, hs *hostileServer) []notice.Notice {
	t.Helper()
	a := hs.call("GET", "/v1/notices", "", nil)
	var resp sync.NoticesResponse
	if a.status != 200 || json.Unmarshal(a.body, &resp) != nil {
		t.Fatalf("GET /v1/notices: HTTP %d %s", a.status, a.body)
	}
	return resp.Notices
}
