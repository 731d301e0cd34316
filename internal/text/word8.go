package text

// Text is looked at eight bytes at a time where speed matters: a word of eight bytes, each
// byte's answer in its top bit.

// High8 has the top bit of each byte of a word set.
const High8 = 0x8080808080808080

// Load8 is the first eight bytes of w as a little-endian word: a single load, as compiled.
func Load8(w string) uint64 {
	_ = w[7]
	return uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
}

// AtLeast8 has the top bit of each byte of x set where that byte, its own top bit left out,
// is at least b, which is below 0x80. With each byte's top bit set first, the subtraction
// borrows from no other byte.
func AtLeast8(x uint64, b byte) uint64 {
	return ((x | High8) - uint64(b)*0x0101010101010101) & High8
}
