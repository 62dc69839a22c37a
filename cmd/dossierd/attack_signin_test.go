package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"dossier/store"
	"dossier/sync"
)

// TestAttackSecurityQuestion: against a real dossierd, a right password
// gets a question and no token; asking again never changes the question
// (a guesser who knows the password cannot wait for the easiest); the
// challenge is no access token; and the question of a recovery, which
// anyone may ask for a user ID without its password, gives no token when
// answered at the sign-in's door.
func TestAttackSecurityQuestion(t *testing.T) {
	hs := startHostile(t, connBounds{})
	first := hs.call("POST", "/v1/signin", "", sync.SignInRequest{UserID: hostileUser, Password: hostilePassword})
	var tok sync.Tokens
	if err := json.Unmarshal(first.body, &tok); err != nil || first.status != 200 || tok.Challenge == nil || tok.Access != "" || tok.Refresh != "" {
		t.Fatalf("a right password: HTTP %d %s", first.status, first.body)
	}
	question := tok.Challenge.Question
	for i := range 2 { // the user ID's limit (six at once) bounds the rest
		a := hs.call("POST", "/v1/signin", "", sync.SignInRequest{UserID: hostileUser, Password: hostilePassword})
		var again sync.Tokens
		if json.Unmarshal(a.body, &again); a.status != 200 || again.Challenge == nil || again.Challenge.Question != question {
			t.Fatalf("asked again %d: HTTP %d %s, first %q", i, a.status, a.body, question)
		}
	}
	if a := hs.call("GET", "/v1/changes?after=0&limit=10", tok.Challenge.Token, nil); a.status != http.StatusUnauthorized {
		t.Fatalf("the challenge as a token: HTTP %d", a.status)
	}
	answer, _ := hostileAnswers(t.Context(), question)

	// A recovery's question, answered where a sign-in's is: no token.
	r := hs.call("POST", "/v1/recover/start", "", sync.RecoverRequest{UserID: hostileUser})
	var rec sync.SignInChallenge
	if json.Unmarshal(r.body, &rec); r.status != 200 || rec.Token == "" {
		t.Fatalf("recover: HTTP %d %s", r.status, r.body)
	}
	ra, _ := hostileAnswers(t.Context(), rec.Question)
	if a := hs.call("POST", "/v1/signin/answer", "", sync.AnswerRequest{Challenge: rec.Token, Answer: ra}); a.status == 200 || a.code != store.ErrChallengeExpired {
		t.Fatalf("a recovery's question at the sign-in: HTTP %d %s", a.status, a.body)
	}
	// A forged or empty challenge likewise.
	for _, c := range []string{"", "forged", tok.Challenge.Token + "x"} {
		if a := hs.call("POST", "/v1/signin/answer", "", sync.AnswerRequest{Challenge: c, Answer: answer}); a.status == 200 {
			t.Fatalf("challenge %q: HTTP %d", c, a.status)
		}
	}
	// The last challenge asked, answered right: tokens that work.
	a := hs.call("POST", "/v1/signin", "", sync.SignInRequest{UserID: hostileUser, Password: hostilePassword})
	var last sync.Tokens
	json.Unmarshal(a.body, &last)
	if last.Challenge == nil {
		t.Fatalf("no question: HTTP %d %s", a.status, a.body)
	}
	a = hs.call("POST", "/v1/signin/answer", "", sync.AnswerRequest{Challenge: last.Challenge.Token, Answer: answer})
	var got sync.Tokens
	if json.Unmarshal(a.body, &got); a.status != 200 || got.Access == "" {
		t.Fatalf("the right answer: HTTP %d %s", a.status, a.body)
	}
	if a := hs.call("GET", "/v1/changes?after=0&limit=10", got.Access, nil); a.status != 200 {
		t.Fatalf("the tokens: HTTP %d", a.status)
	}
}

// TestAttackRecoveryFlood: recoveries are counted against the user ID's
// limit and the address's, as sign-ins are; until then a known user ID and
// an unknown one get answers of the same shape.
func TestAttackRecoveryFlood(t *testing.T) {
	hs := startHostile(t, connBounds{})
	shape := func(a answer) []string {
		var m map[string]any
		json.Unmarshal(a.body, &m)
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		return keys
	}
	limited := false
	for i := range store.DefaultAccountLimit.Burst + 2 {
		known := hs.call("POST", "/v1/recover/start", "", sync.RecoverRequest{UserID: hostileUser})
		if known.status == http.StatusTooManyRequests {
			if known.code != sync.ErrTooMany || known.retry == "" {
				t.Fatalf("refused %d: %s, Retry-After %q", i, known.code, known.retry)
			}
			limited = true
			break
		}
		unknown := hs.call("POST", "/v1/recover/start", "", sync.RecoverRequest{UserID: "nobody.number" + string(rune('a'+i))})
		if known.status != 200 || unknown.status != 200 || len(shape(known)) != len(shape(unknown)) {
			t.Fatalf("try %d: known HTTP %d %s, unknown HTTP %d %s", i, known.status, known.body, unknown.status, unknown.body)
		}
	}
	if !limited {
		t.Fatal("the user ID's recoveries were not limited")
	}
	// Many user IDs from one address: the address's limit.
	for i := range store.DefaultAddressLimit.Burst + 2 {
		a := hs.call("POST", "/v1/recover/start", "", sync.RecoverRequest{UserID: "guess.number" + string(rune('a'+i))})
		if a.status == http.StatusTooManyRequests {
			return
		}
		if a.status != 200 {
			t.Fatalf("guess %d: HTTP %d %s", i, a.status, a.body)
		}
	}
	t.Fatal("the address's recoveries were not limited")
}
