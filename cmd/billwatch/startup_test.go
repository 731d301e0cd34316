package main

import (
	"testing"

	"github.com/billwatch/billwatch/internal/lazyre"
)

// TestEveryPatternCompiles compiles the regular expressions of every package billwatch links:
// they are compiled on first use, not at start-up, so a bad one would otherwise surface only
// when its scraper first runs.
func TestEveryPatternCompiles(t *testing.T) {
	t.Parallel()
	lazyre.CompileAll()
}
