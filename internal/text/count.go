package text

import "strconv"

// Count is a number with its noun, singular for one: "1 witness", "3 witnesses", "0 notes".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
