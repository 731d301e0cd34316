// Package diff compares two versions of a bill's text the way a lawyer reads them: clause by
// clause. It parses bill XML into a tree of provisions (sections, subsections, paragraphs,
// amending text, Acts enacted inside the bill), aligns the provisions of two versions, diffs
// each aligned pair word by word, flags the changes that shift power or safeguards ("may" →
// "shall", time limits, review duties, offences), and renders the result as text, Markdown,
// HTML or JSON.
//
// It knows nothing of the rest of billwatch: bytes in, a result out.
package diff
