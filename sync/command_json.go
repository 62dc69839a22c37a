package sync

import (
	"encoding/json"
	"strconv"

	"dossier/domain"
)

// AppendJSON appends c as json.Marshal writes it, without its reflection
// and without reading the payload again: every action a desk takes
// writes one command to its outbox, on the path of the click.
// TestCommandJSONIsMarshals holds it to json.Marshal's bytes. The
// payload must be what json.Marshal made (compact, valid): Payload's own
// marshalling would check and compact it again.
func (c Command) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = AppendJSONID(b, c.ID)
	b = append(b, `,"kind":`...)
	b = AppendJSONString(b, string(c.Kind))
	b = append(b, `,"entity":`...)
	b = AppendJSONID(b, c.Entity)
	b = append(b, `,"base":`...)
	b = strconv.AppendUint(b, c.BaseVersion, 10)
	b = append(b, `,"hlc":`...)
	b = strconv.AppendUint(b, uint64(c.HLC), 10)
	b = append(b, `,"device":`...)
	b = AppendJSONID(b, c.Device)
	b = append(b, `,"actor":`...)
	b = AppendJSONID(b, c.Actor)
	b = append(b, `,"payload":`...)
	if c.Payload == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, c.Payload...)
	}
	return append(b, '}')
}

// AppendJSONID appends id as json.Marshal writes it (its MarshalText,
// quoted): base-32 characters, which JSON does not escape.
func AppendJSONID(b []byte, id domain.ID) []byte {
	if id.IsZero() {
		return append(b, `""`...)
	}
	b = append(b, '"')
	b = append(b, id.String()...)
	return append(b, '"')
}

// AppendJSONString appends s quoted as json.Marshal writes it: plain
// ASCII (the command kinds, the audit's action codes) at once, anything
// else through json.Marshal.
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
