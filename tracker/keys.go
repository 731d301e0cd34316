package tracker

import (
	"strings"

	"github.com/billwatch/billwatch"
)

// Every key the store holds for what a legislature publishes names the jurisdiction first
// (schema 3): "ca/45-1 C-22" in the bills bucket, "ca/House of Commons SECU 45-1 9" in the
// hearings, "ca/I 2026-06-20-reg2" in the regulations, "ca/bill/45-1/C-22/text/13569583" in the
// versions, "ca/act/C-46" in the meta bucket, "ca/bill 45-1 C-22" in the memory and its
// history, "ca/45-1 C-22" in the lineage. The jurisdiction comes from the scraper (an empty
// one is Canada's). What the contract shows is unchanged: a bill is "45-1 C-22" on the
// command line, in the JSON, in the web's routes and in alerts, whose ids and threads do
// not name the jurisdiction, so that nothing sent before is sent again.

// storeKey is key as stored for jurisdiction j.
func storeKey(j billwatch.Jurisdiction, key string) string { return string(j.Or()) + "/" + key }

// splitStoreKey returns the jurisdiction and the key of a stored key.
func splitStoreKey(k []byte) (billwatch.Jurisdiction, string) {
	j, key, ok := strings.Cut(string(k), "/")
	if !ok {
		return "", string(k)
	}
	return billwatch.Jurisdiction(j), key
}

// billKey is a bill's key in the bills bucket.
func billKey(b billwatch.Bill) []byte { return []byte(storeKey(b.Jurisdiction, b.Key())) }

// hearingKey is a hearing's key in the hearings bucket.
func hearingKey(h billwatch.Hearing) []byte { return []byte(storeKey(h.Jurisdiction, h.Key())) }

// regulationKey is an item's key in the regulations bucket.
func regulationKey(r billwatch.Regulation) []byte { return []byte(storeKey(r.Jurisdiction, r.Key())) }

// hearingDoc and regulationDoc are the documents their payloads are versions of.
func hearingDoc(h billwatch.Hearing) string { return storeKey(h.Jurisdiction, "hearing/"+h.Key()) }

func regulationDoc(r billwatch.Regulation) string {
	return storeKey(r.Jurisdiction, "regulation/"+r.Key())
}

// subjectKey is a memory subject's key ("bill 45-1 C-8"): subjects name Canadian bills and
// Gazette items, as the command line writes them.
func subjectKey(subject string) string { return storeKey(billwatch.Canada, subject) }

// lineageKey is a bill's key in the lineage buckets ("45-1 C-8", as LineageLink.Key).
func lineageKey(bill string) []byte { return []byte(storeKey(billwatch.Canada, bill)) }
