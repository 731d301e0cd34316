package tracker

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/billwatch/billwatch"
	bolt "go.etcd.io/bbolt"
)

// BadRecord is one stored record that cannot be decoded: its bucket, its key as a person
// reads it, and what is wrong with it. The file's pages can be sound around it (a few bytes
// overwritten inside a value), which bbolt's own check does not see.
type BadRecord struct {
	Bucket  string `json:"bucket"`
	Key     string `json:"key"`
	Problem string `json:"problem"`
}

func (b BadRecord) String() string { return fmt.Sprintf("%s %s: %s", b.Bucket, b.Key, b.Problem) }

// jsonAs decodes a record as the type its bucket holds, as the commands that read it do.
func jsonAs[T any](_, v []byte) error {
	var x T
	return json.Unmarshal(v, &x)
}

// recordDecoders decode each record of the buckets whose values have a known form. Two hold
// free text and are not checked: meta (the schema and the Acts' records, under keys of
// several forms) and threads (a sink's reference). Blobs are not decoded either: each is gzip,
// whose checksum fails the read of a damaged one, which is then an error naming it rather
// than wrong text; decompressing every stored payload would make the check as slow as the
// payloads are large.
var recordDecoders = map[string]func(k, v []byte) error{
	string(bktVersions):    jsonAs[Version],
	string(bktBills):       jsonAs[billState],
	string(bktHearings):    jsonAs[hearingState],
	string(bktRegulations): jsonAs[regulationState],
	string(bktAlerts):      jsonAs[billwatch.Alert],
	string(bktHealth):      jsonAs[Health],
	string(bktMemory):      jsonAs[Record],
	string(bktHistory):     jsonAs[Change],
	string(bktWatch):       jsonAs[WatchItem],
	string(bktLinks):       jsonAs[[]LineageLink],
	string(bktUsers):       jsonAs[User],
	string(bktSessions):    jsonAs[session],
	string(bktSignin):      jsonAs[signin],
	string(bktFeedKeys):    jsonAs[feedKey],
	string(bktAlertIDs): func(_, v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("an alert's sequence number is %d bytes, not 8", len(v))
		}
		return nil
	},
	string(bktOutbox): func(k, _ []byte) error {
		if len(k) != 8 {
			return fmt.Errorf("a pending delivery's key is %d bytes, not 8", len(k))
		}
		return nil
	},
	string(bktLineage): func(k, v []byte) error {
		_, err := decodeSignature(string(k), v)
		return err
	},
}

// maxBadRecords is how many undecodable records a check lists; it counts them all.
const maxBadRecords = 100

// badRecords decodes every record of every bucket whose form is known and returns those that
// cannot be decoded (at most maxBadRecords), with their number.
func badRecords(tx *bolt.Tx) (bad []BadRecord, n int) {
	// Buckets made on first use (the subscription keys) are not in allBuckets.
	for _, name := range append(slices.Clip(allBuckets), bktFeedKeys) {
		decode := recordDecoders[string(name)]
		b := tx.Bucket(name)
		if decode == nil || b == nil {
			continue
		}
		_ = b.ForEach(func(k, v []byte) error {
			if v == nil {
				return nil // a nested bucket: billwatch makes none
			}
			if err := decode(k, v); err != nil {
				n++
				if len(bad) < maxBadRecords {
					bad = append(bad, BadRecord{Bucket: string(name), Key: recordKey(name, k), Problem: firstLine(err)})
				}
			}
			return nil
		})
	}
	return bad, n
}

// recordKey shows a key as a person reads it: a sequence number in hex (as `alerts` names an
// alert), a document and its sequence number, a watch-list entry's kind and value, or the key's text, quoted when it holds
// anything but printable characters.
func recordKey(bucket, k []byte) string {
	switch string(bucket) {
	case string(bktAlerts), string(bktOutbox):
		if len(k) == 8 {
			return fmt.Sprintf("%x", k)
		}
	case string(bktVersions), string(bktHistory):
		if i := len(k) - 9; i >= 0 && k[i] == 0 {
			return fmt.Sprintf("%s #%d", printableKey(k[:i]), binary.BigEndian.Uint64(k[i+1:]))
		}
	case string(bktWatch):
		if kind, value, ok := strings.Cut(string(k), "\x00"); ok {
			return printableKey([]byte(kind + " " + value))
		}
	}
	return printableKey(k)
}

func printableKey(k []byte) string {
	s := string(k)
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// recordsProblem says what badRecords found, as a DamagedError's problem.
func recordsProblem(bad []BadRecord, n int) string {
	var keys []string
	for i, b := range bad {
		if i == 3 {
			keys = append(keys, "…")
			break
		}
		keys = append(keys, b.Bucket+" "+b.Key)
	}
	what := "records cannot be decoded"
	if n == 1 {
		what = "record cannot be decoded"
	}
	return fmt.Sprintf("%d %s (%s; `billwatch check` lists them)", n, what, strings.Join(keys, ", "))
}

// OnSkip sets what a listing does with a record it cannot decode: it skips the record, lists
// the others, and calls fn (when set) so that the command can say so. Writing commands never
// meet one: a write refuses a file that holds one (see Verify).
func (s *Store) OnSkip(fn func(BadRecord)) { s.onSkip = fn }

// skip reports a record a listing skipped.
func (s *Store) skip(bucket, k []byte, err error) {
	if s.onSkip != nil {
		s.onSkip(BadRecord{Bucket: string(bucket), Key: recordKey(bucket, k), Problem: firstLine(err)})
	}
}

// recordName names a stored record as a person reads it: "the memory record of bill 45-1
// C-8", "change #3 in the history of bill 45-1 C-8", "the watch-list entry bill C-8".
func recordName(bucket, k []byte) string {
	switch string(bucket) {
	case string(bktMemory):
		_, subject := splitStoreKey(k)
		return "the memory record of " + printableKey([]byte(subject))
	case string(bktHistory):
		if i := len(k) - 9; i >= 0 && k[i] == 0 {
			_, subject := splitStoreKey(k[:i])
			return fmt.Sprintf("change #%d in the history of %s", binary.BigEndian.Uint64(k[i+1:]), printableKey([]byte(subject)))
		}
	case string(bktWatch):
		if _, _, ok := strings.Cut(string(k), "\x00"); ok {
			return "the watch-list entry " + recordKey(bucket, k)
		}
	case string(bktLinks):
		_, bill := splitStoreKey(k)
		return "the lineage links of bill " + printableKey([]byte(bill))
	}
	return fmt.Sprintf("record %s of bucket %s", recordKey(bucket, k), bucket)
}

// recordError is a stored record a reader needed and could not decode. A read transaction
// (Store.view) turns it into a DamagedError that names the record and `billwatch check`.
type recordError struct {
	bucket, key []byte
	err         error
}

func (e *recordError) Error() string {
	return fmt.Sprintf("%s cannot be decoded (%s)", recordName(e.bucket, e.key), firstLine(e.err))
}

func (e *recordError) Unwrap() error { return e.err }

// badRecordsError refuses a read that must be whole (a memory export) because of the records
// in bad, which it cannot decode.
func (s *Store) badRecordsError(what string, bad []*recordError) error {
	if len(bad) == 0 {
		return nil
	}
	first := bad[0].Error()
	if len(bad) > 1 {
		first = fmt.Sprintf("%s, and %d more records", first, len(bad)-1)
	}
	return s.damaged("%s; %s without it would not be whole, so none is written; `billwatch check` lists every damaged record", first, what)
}
