package domain

// Money is an amount of Canadian dollars in cents. As a message argument
// it is written the reader's way ("$1,000,000.00", "1 000 000,00 $").
type Money int64

// Decimal is a number with a fixed count of decimals (hours a week, a
// language score). As a message argument it is written the reader's way
// (29.5, 29,5).
type Decimal struct {
	Value  float64
	Places int
}
