package scraper

import "github.com/billwatch/billwatch/internal/text"

// Decode turns bytes as served into text: UTF-8, with stray bytes read as Windows-1252 and a
// leading byte-order mark dropped (see text.Decode).
func Decode(b []byte) string { return text.Decode(b) }

// DecodeBytes is Decode returning bytes, for parsers that take a reader.
func DecodeBytes(b []byte) []byte { return text.DecodeBytes(b) }

// Clean normalises scraped text so that the same words compare equal, and so that no control
// character (ESC, BEL, C1) or bidirectional override of a page reaches the store, Slack or a
// terminal: text.Normalize, the one normalisation diff uses too.
func Clean(s string) string { return text.Normalize(s) }
