package domain

import (
	"errors"
	"testing"
)

// TestChecksFirstAndAll: First stops at the first fault, running no check
// after it; All runs every check and gives every fault, in order.
func TestChecksFirstAndAll(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	var ran []int
	checks := func() Checks {
		ran = nil
		return Checks{
			func() error { ran = append(ran, 0); return nil },
			func() error { ran = append(ran, 1); return a },
			func() error { ran = append(ran, 2); return nil },
			func() error { ran = append(ran, 3); return b },
		}
	}
	if err := checks().First(); err != a || len(ran) != 2 {
		t.Errorf("First: %v after %v checks run", err, ran)
	}
	if errs := checks().All(); len(errs) != 2 || errs[0] != a || errs[1] != b || len(ran) != 4 {
		t.Errorf("All: %v after %v checks run", errs, ran)
	}
	if err := (Checks{}).First(); err != nil {
		t.Errorf("no checks: %v", err)
	}
}
