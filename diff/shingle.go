package diff

import (
	"iter"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/billwatch/billwatch/internal/text"
)

// Similarity of provisions is the Sørensen–Dice coefficient of their word pairs: the
// lower-cased words of the marginal note and text of a provision and of everything under it,
// in reading order, each word paired with the one before it (the first with nothing). Each
// word is hashed once (FNV-1a), the two hashes of a pair are mixed into its hash, and the
// pair hashes are kept as a sorted multiset.
//
// A provision's own pairs are hashed once: the pairs of its own words, and the pairs where
// each child's words join on to the words before them (the pairs inside a child do not depend
// on what comes before it). The set of a provision and everything under it is then the merge
// of its own pairs and those of everything under it, made when the aligner first compares it.
// Each set holds the pairs after the first (inner), and the first word; the first pair is
// added back when two sets are compared.

// shingleSet is the word-pair multiset of one provision and everything under it.
type shingleSet struct {
	own         []uint64 // hashes of its own pairs but the first of the subtree, unsorted
	ownDone     bool
	inner       []uint64 // sorted hashes of every pair of the subtree but the first
	innerDone   bool
	first, last string // the first and last words of the subtree, as written
	words       int    // the words of the subtree
	wordsDone   bool
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// wordHash is the FNV-1a hash of the lower-cased word; "" hashes to the offset.
func wordHash(w string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			w = strings.ToLower(w)
			h = fnvOffset
			for i := 0; i < len(w); i++ {
				h = (h ^ uint64(w[i])) * fnvPrime
			}
			return h
		}
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// pairOf combines the hashes of two words, in order, into the hash of the pair.
func pairOf(prev, w uint64) uint64 {
	h := bits.RotateLeft64(prev, 23)*0x9e3779b97f4a7c15 ^ w
	h ^= h >> 32
	h *= 0xd6e8feb86659fd93
	return h ^ h>>32
}

// pairHash is the hash of the pair (prev, w); prev is "" for the first word.
func pairHash(prev, w string) uint64 { return pairOf(wordHash(prev), wordHash(w)) }

// ownShingles hashes p's own pairs (and its descendants'), once.
func (p *Provision) ownShingles() *shingleSet {
	p.makeNow()
	if p.sh == nil {
		p.sh = &shingleSet{}
	}
	s := p.sh
	if s.ownDone {
		return s
	}
	s.ownDone = true
	// Words are mostly one space apart: room for all, so that the pairs are not copied as they grow.
	own := make([]uint64, 0, strings.Count(p.noteKey, " ")+strings.Count(p.textKey, " ")+len(p.Children)+2)
	w := pairWriter{own: own, prevHash: fnvOffset}
	w.words(p.noteKey)
	w.words(p.textKey)
	own, prev, prevHash := w.own, w.prev, w.prevHash
	s.first = w.first
	for _, k := range p.Children {
		ks := k.ownShingles()
		if ks.first == "" {
			continue
		}
		if prev == "" {
			s.first = ks.first
		} else {
			own = append(own, pairOf(prevHash, wordHash(ks.first)))
		}
		prev = ks.last
		prevHash = wordHash(prev)
	}
	s.last = prev
	s.own = own
	return s
}

// shingles returns the set of p and everything under it, made on first use from the own
// pairs of p and of each provision under it, merged once. Only the sets the aligner asks for
// are made; a leaf's is its own pairs, without a copy.
func (p *Provision) shingles() *shingleSet {
	s := p.ownShingles()
	if s.innerDone {
		return s
	}
	if len(p.Children) == 0 {
		s.inner = sortHashes(s.own) // in place: the order of own pairs matters to no one
		s.innerDone = true
		return s
	}
	// The pairs of the subtree: p's own, then those of each provision under it.
	parts := func(yield func([]uint64) bool) {
		var walk func(ps []*Provision) bool
		walk = func(ps []*Provision) bool {
			for _, k := range ps {
				if !yield(k.ownShingles().own) || !walk(k.Children) {
					return false
				}
			}
			return true
		}
		_ = yield(s.own) && walk(p.Children)
	}
	n := 0
	for part := range parts {
		n += len(part)
	}
	s.inner = sortParts(n, parts)
	s.innerDone = true
	return s
}

// pairWriter makes the pairs of a run of words, as ownShingles's loop over eachWord and
// wordHash would, in one pass over each text: an ASCII word is hashed as it is read, a word
// with another character by wordHash once its end is found.
type pairWriter struct {
	own         []uint64
	first, prev string
	prevHash    uint64
}

// word adds the word w, whose hash is h.
func (pw *pairWriter) word(w string, h uint64) {
	if pw.prev == "" && pw.first == "" {
		pw.first = w
	} else {
		pw.own = append(pw.own, pairOf(pw.prevHash, h))
	}
	pw.prev, pw.prevHash = w, h
}

// words adds the words of text, as eachWord finds them. An ASCII word is hashed in a tight
// loop, one table look-up a byte (wordLower); a word with a character from 0x80 is read to
// its end as eachWord reads it, then hashed by wordHash.
func (pw *pairWriter) words(text string) {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] != 0 {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(text[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		start := i
		h := uint64(fnvOffset)
		for i < len(text) {
			v := wordLower[text[i]]
			if v > 0xff {
				break
			}
			h = (h ^ uint64(v)) * fnvPrime
			i++
		}
		if i < len(text) && text[i] >= utf8.RuneSelf {
			for i < len(text) {
				c := text[i]
				if c < utf8.RuneSelf {
					if asciiSpace[c] != 0 {
						break
					}
					i++
					continue
				}
				r, size := utf8.DecodeRuneInString(text[i:])
				if unicode.IsSpace(r) {
					break
				}
				i += size
			}
			h = wordHash(text[start:i])
		}
		pw.word(text[start:i], h)
	}
}

// wordLower is, for an ASCII byte that is not white space, the byte lower-cased; for white
// space and the bytes from 0x80, 0x100.
var wordLower = func() (t [256]uint16) {
	for b := range 256 {
		switch {
		case b >= utf8.RuneSelf || asciiSpace[b] != 0:
			t[b] = 0x100
		case 'A' <= b && b <= 'Z':
			t[b] = uint16(b + 'a' - 'A')
		default:
			t[b] = uint16(b)
		}
	}
	return t
}()

// eachWord calls f with each word of text: each run of characters that are not white space.
func eachWord(text string, f func(w string)) {
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] != 0 {
				if start >= 0 {
					f(text[start:i])
					start = -1
				}
			} else if start < 0 {
				start = i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			if start >= 0 {
				f(text[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 {
		f(text[start:])
	}
}

// countWords is the number of words eachWord finds in s: the characters that are not
// white space and follow white space or the start. ASCII is looked at eight bytes at a time
// (spaces8), up to the first byte from 0x80: a word starts at every byte not white space
// whose predecessor is (the predecessor of the first, from the bytes before).
func countWords(s string) int {
	n := 0
	after := uint64(0x80) // the top bit set: the byte before is white space or the start
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			x := text.Load8(s[i:])
			k, take := 8, ^uint64(0) // how many bytes are ASCII, and a mask of them
			if hi := x & text.High8; hi != 0 {
				k = bits.TrailingZeros64(hi) / 8
				take = 1<<(8*k) - 1
			}
			if k > 0 {
				sp := spaces8(x)
				n += bits.OnesCount64(^sp & text.High8 & take & (sp<<8 | after))
				after = sp >> (8*k - 8) & 0x80
				i += k
				continue
			}
		}
		r, size := decodeRune(s, i)
		space := unicode.IsSpace(r) // for ASCII, as asciiSpace
		if !space && after != 0 {
			n++
		}
		after = 0
		if space {
			after = 0x80
		}
		i += size
	}
	return n
}

// spaces8 has the top bit of each byte of x set where that byte, if ASCII, is white space:
// \t, \n, \v, \f, \r (9 to 13) or ' ' (32).
func spaces8(x uint64) uint64 {
	return text.AtLeast8(x, 9)&^text.AtLeast8(x, 14) | text.AtLeast8(x, 32)&^text.AtLeast8(x, 33)
}

// wordsAtMost counts the words of p and everything under it, the size of its word-pair set
// (the first pair included), making what it must to count them, and stops once the count
// passes n: exact says whether it counted them all. A full count is kept.
func (p *Provision) wordsAtMost(n int) (count int, exact bool) {
	p.makeNow()
	if p.sh == nil {
		p.sh = &shingleSet{}
	}
	s := p.sh
	if s.wordsDone {
		return s.words, true
	}
	count = countWords(p.noteKey) + countWords(p.textKey)
	for _, k := range p.Children {
		if count > n {
			return count, false
		}
		c, ok := k.wordsAtMost(n - count)
		count += c
		if !ok {
			return count, false
		}
	}
	s.words, s.wordsDone = count, true
	return count, true
}

// mayBeSimilar says whether the similarity of a and b could reach floor, by their sizes alone:
// they share at most as many pairs as the smaller has. A large provision is counted only as
// far as it takes to tell, so that a long section beside a short one is not made whole only
// to be found too long: once the smaller is counted in full, the larger, counted in part,
// could only grow.
func mayBeSimilar(a, b *Provision, floor float64) bool {
	fits := func(x, y int) bool { return x+y == 0 || min(x, y) >= int(math.Ceil(floor*float64(x+y)/2)) }
	// largest is about the most words that fit beside x: ⌊2x/floor - x⌋.
	largest := func(x int) int { return int(2*float64(x)/floor) - x }
	for n := 256; ; {
		na, exactA := a.wordsAtMost(n)
		nb, exactB := b.wordsAtMost(n)
		switch {
		case exactA && exactB:
			return fits(na, nb)
		case exactA && nb > na && !fits(na, nb), exactB && na > nb && !fits(na, nb):
			return false // the larger, counted in part, is already too large
		case exactA && largest(na) > n:
			n = largest(na) // count the other on as far as it could fit
		case exactB && largest(nb) > n:
			n = largest(nb)
		default:
			n *= 4
		}
	}
}

var asciiSpace = [256]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

// bucketSortFrom is the number of hashes from which bucketSort beats slices.Sort.
const bucketSortFrom = 256

// sortHashes sorts hashes in place where there are few; where there are many it returns them
// sorted in a new slice (bucketSort).
func sortHashes(h []uint64) []uint64 {
	if len(h) < bucketSortFrom {
		slices.Sort(h)
		return h
	}
	return bucketSort(len(h), func(yield func([]uint64) bool) { yield(h) })
}

// sortParts returns the n hashes of parts, together, sorted in a new slice: gathered, then
// sorted, where there are few; else by bucketSort.
func sortParts(n int, parts iter.Seq[[]uint64]) []uint64 {
	if n >= bucketSortFrom {
		return bucketSort(n, parts)
	}
	out := make([]uint64, 0, n)
	for part := range parts {
		out = append(out, part...)
	}
	slices.Sort(out)
	return out
}

// bucketSort returns the n hashes of parts, together, sorted in a new slice, reading them
// straight from the parts. The hashes are uniform, so one pass deals them into buckets by
// their top bits, a few to a bucket, and each bucket is then sorted by insertion.
func bucketSort(n int, parts iter.Seq[[]uint64]) []uint64 {
	shift := 64 - min(bits.Len(uint(n))-3, 16) // n/8 to n/4 buckets
	count := make([]int32, 1<<(64-shift)+1)
	for part := range parts {
		for _, x := range part {
			count[x>>shift+1]++
		}
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	out := make([]uint64, n)
	next := slices.Clone(count[:len(count)-1])
	for part := range parts {
		for _, x := range part {
			b := x >> shift
			out[next[b]] = x
			next[b]++
		}
	}
	for b := 0; b+1 < len(count); b++ {
		bucket := out[count[b]:count[b+1]]
		for i := 1; i < len(bucket); i++ {
			for j := i; j > 0 && bucket[j] < bucket[j-1]; j-- {
				bucket[j], bucket[j-1] = bucket[j-1], bucket[j]
			}
		}
	}
	return out
}

// similarity is the Dice coefficient of the word pairs of a and b and everything under them.
func similarity(a, b *Provision) float64 { return similarAtLeast(a, b, 0) }

// similarAtLeast is similarity when that is at least floor; otherwise it is some value below
// floor, found without counting every common pair: it stops once the pairs left cannot
// bring the coefficient up to floor.
func similarAtLeast(a, b *Provision, floor float64) float64 {
	sa, sb := a.shingles(), b.shingles()
	na, nb := len(sa.inner), len(sb.inner)
	common := 0
	if sa.first != "" {
		na++
	}
	if sb.first != "" {
		nb++
		if sa.first != "" && wordHash(sa.first) == wordHash(sb.first) {
			common++ // the first pairs
		}
	}
	if na+nb == 0 {
		return 1
	}
	// need is the fewest common pairs that reach floor: 2c/(na+nb) >= floor.
	need := int(math.Ceil(floor * float64(na+nb) / 2))
	x, y := sa.inner, sb.inner
	if common+min(len(x), len(y)) < need {
		return 0
	}
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			common++
			i++
			j++
		case x[i] < y[j]:
			i++
			if common+min(len(x)-i, len(y)-j) < need {
				return 0
			}
		default:
			j++
			if common+min(len(x)-i, len(y)-j) < need {
				return 0
			}
		}
	}
	return 2 * float64(common) / float64(na+nb)
}
