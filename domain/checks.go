package domain

// Checks are a rule's checks of a form's fields, in the order the rule
// refuses them, each cleaning its field: the rule refuses the first
// fault (First), and the form shows every fault at once (All), from the
// very same checks, so that the two cannot drift.
type Checks []func() error

// First runs the checks until one fails, and returns its fault.
func (c Checks) First() error {
	for _, check := range c {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// All runs every check and returns every fault, at most one per check.
func (c Checks) All() []error {
	var errs []error
	for _, check := range c {
		if err := check(); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
