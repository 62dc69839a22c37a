package sync

import (
	"bytes"
	"sort"

	"dossier/domain"
)

// FieldVersion is one machine's last change to one field of a draft (an
// application typed on two machines): the value, or its deletion, stamped
// with the hybrid logical clock and the device that made it.
type FieldVersion struct {
	Value   string    `json:"value,omitempty"`
	Deleted bool      `json:"deleted,omitempty"`
	HLC     HLC       `json:"hlc"`
	Device  domain.ID `json:"device"`
}

// Wins reports whether a beats b when both changed the same field
// concurrently (ARCHITECTURE.md, "Conflicts"): an edit beats a deletion;
// otherwise the later HLC wins, and equal HLCs go to the greater device ID.
// It is a strict total order on distinct versions, so every replica that
// sees the same two versions keeps the same one, whichever arrives first.
func Wins(a, b FieldVersion) bool {
	if a.Deleted != b.Deleted {
		return !a.Deleted
	}
	if a.HLC != b.HLC {
		return a.HLC > b.HLC
	}
	if c := bytes.Compare(a.Device[:], b.Device[:]); c != 0 {
		return c > 0
	}
	// The same device and time: the same change seen twice, or a value
	// that differs only in content; order by content so the choice is
	// still the same everywhere.
	return a.Value > b.Value
}

// Conflict is a field both sides changed to different values: the value
// kept and the value that lost, which the person is shown.
type Conflict struct {
	Field string       `json:"field"`
	Kept  FieldVersion `json:"kept"`
	Lost  FieldVersion `json:"lost"`
}

// MergeFields merges two replicas of a draft field by field: a field
// changed on one side only takes that change; a field changed on both to
// the same value is no conflict; a field changed on both to different
// values keeps the winner (Wins) and reports the loser. The result is the
// same whichever replica is local.
func MergeFields(local, remote map[string]FieldVersion) (map[string]FieldVersion, []Conflict) {
	merged := make(map[string]FieldVersion, len(local)+len(remote))
	var conflicts []Conflict
	for f, l := range local {
		merged[f] = l
	}
	for f, r := range remote {
		l, ok := merged[f]
		switch {
		case !ok || l == r:
			merged[f] = r
		case l.Deleted == r.Deleted && l.Value == r.Value:
			// The same outcome reached twice: keep the winner's stamp.
			if Wins(r, l) {
				merged[f] = r
			}
		case Wins(r, l):
			merged[f] = r
			conflicts = append(conflicts, Conflict{Field: f, Kept: r, Lost: l})
		default:
			conflicts = append(conflicts, Conflict{Field: f, Kept: l, Lost: r})
		}
	}
	sort.Slice(conflicts, func(i, j int) bool { return conflicts[i].Field < conflicts[j].Field })
	return merged, conflicts
}
