package sync

import (
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
)

// TestCommandJSONIsMarshals: AppendJSON writes json.Marshal's very bytes,
// for commands with and without IDs, base or payload, and kinds that JSON
// escapes.
func TestCommandJSONIsMarshals(t *testing.T) {
	id := func(n byte) domain.ID {
		id, err := domain.NewID(time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC), constReader(n))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	payload, _ := json.Marshal(map[string]any{"function": "verify", "notes": "«élève» <b>&</b>", "checks": []int{1, 2, 3}})
	commands := []Command{
		{},
		{ID: id(1), Kind: KindApplyFunction, Entity: id(2), BaseVersion: 7, HLC: MakeHLC(time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC), 3),
			Device: id(3), Actor: id(4), Payload: payload},
		{ID: id(5), Kind: KindRaiseRequest, Payload: json.RawMessage(`{}`)},
		{ID: id(6), Kind: Kind("odd \"kind\" <&> é\n"), BaseVersion: 1<<64 - 1, HLC: 1<<64 - 1, Payload: json.RawMessage(`[1,"x",null]`)},
	}
	for i, c := range commands {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("command %d:\n got %s\nwant %s", i, got, want)
		}
		var back Command
		if err := json.Unmarshal(c.AppendJSON([]byte("")), &back); err != nil {
			t.Errorf("command %d does not read back: %v", i, err)
		}
	}
}

// constReader reads as an endless run of one byte.
type constReader byte

func (r constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}
