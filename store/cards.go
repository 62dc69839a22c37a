package store

import (
	gosync "sync"

	"dossier/domain"
	"dossier/domain/oinp"
)

// HeldCards are the cards of the payments this process's desks have
// queued (the OINP fee, the work permit's), by profile and record, in
// memory only: from the moment a person pays until the server has
// answered. A card never reaches the disk, the outbox or the log.
type HeldCards struct {
	mu    gosync.Mutex
	cards map[heldCard]oinp.Card
}

type heldCard struct {
	engine *Store
	id     domain.ID
}

// NewHeldCards makes an empty set of held cards.
func NewHeldCards() *HeldCards { return &HeldCards{cards: map[heldCard]oinp.Card{}} }

// Keep holds c for the record id of the profile engine.
func (h *HeldCards) Keep(engine *Store, id domain.ID, c oinp.Card) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cards[heldCard{engine, id}] = c
}

// Get is the card held for the record id of the profile engine.
func (h *HeldCards) Get(engine *Store, id domain.ID) (oinp.Card, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.cards[heldCard{engine, id}]
	return c, ok
}

// Drop forgets the card held for the record id of the profile engine.
func (h *HeldCards) Drop(engine *Store, id domain.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.cards, heldCard{engine, id})
}
