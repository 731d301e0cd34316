package diff

// This file exposes the word diff, the normaliser and the operative-language flags to other
// packages (law: an Act's provision before and after a bill's amendments) without their
// provision tree.

// Normalize returns text in the form every comparison sees: NFKC, soft hyphens and
// zero-width characters dropped, white space folded to single spaces, ends trimmed.
func Normalize(s string) string { return normalize(s) }

// WordDiff diffs two texts word by word (runs of letters and digits, spaces and punctuation,
// quotes folded), as the amendment diff does for one provision's text.
func WordDiff(a, b string) []Op { return wordDiff(a, b) }

// TextFlags finds the operative-language flags of a change from old to new text. where
// names the provision in the flags' sentences ("s. 47", "s. 71(2)"); ops is WordDiff(old,
// new), or nil when old or new is empty (an addition, a repeal).
func TextFlags(old, new string, ops []Op, where string) []Flag {
	return flagsFor(old, new, ops, &Provision{local: where})
}

// VersionSlug maps the stage a bill XML names ("first-reading-house", "report-house") to
// billwatch's version slug ("first-reading", "amended-by-committee").
func VersionSlug(stage string) string { return versionSlug(stage) }
