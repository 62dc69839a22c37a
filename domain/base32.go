package domain

// Crockford is Crockford's base-32 alphabet: no I, L, O or U, so that an ID
// or an EVN read aloud or retyped is not mistaken.
const Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CrockfordValue decodes one character leniently, as Crockford intends: lower
// case is upper case, O is zero, I and L are one.
func CrockfordValue(c byte) (byte, bool) {
	if c >= 'a' && c <= 'z' {
		c -= 'a' - 'A'
	}
	switch c {
	case 'O':
		return 0, true
	case 'I', 'L':
		return 1, true
	}
	for i := 0; i < len(Crockford); i++ {
		if Crockford[i] == c {
			return byte(i), true
		}
	}
	return 0, false
}

// DammCheck runs Damm's check-digit algorithm over Crockford characters,
// using the quasigroup x∗y = 2x + y in GF(32) (polynomial x⁵+x²+1). Because
// (c∗x)∗y = (c∗y)∗x only when x = y, it detects every single wrong character
// and every swap of two neighbours. Over a body without its check character
// it returns the check value c (the one for which one more step,
// 2·interim + c, ends at zero); over a body ending in its check character it
// returns zero exactly when the whole is intact.
func DammCheck(s []byte) byte {
	var interim byte
	for _, c := range s {
		v, _ := CrockfordValue(c)
		interim = gfDouble(interim) ^ v
	}
	return gfDouble(interim)
}

// gfDouble multiplies by 2 in GF(32).
func gfDouble(x byte) byte {
	x <<= 1
	if x&0x20 != 0 {
		x ^= 0x25
	}
	return x
}
