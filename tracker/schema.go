package tracker

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/billwatch/billwatch"
)

// Buckets of the coalition's memory (schema 2).
var (
	bktMemory   = []byte("memory")         // subject → Record JSON
	bktHistory  = []byte("memory_history") // subject \x00 BE seq → Change JSON (append-only)
	bktWatch    = []byte("watch")          // kind \x00 lower(value) → WatchItem JSON
	bktLineage  = []byte("lineage_index")  // "45-1 C-8" → lineage signature JSON
	bktLinks    = []byte("lineage_links")  // "45-1 C-8" → []LineageLink JSON
	bktUsers    = []byte("users")          // name → User JSON
	bktSessions = []byte("sessions")       // sha256(token) → session JSON
	bktSignin   = []byte("signin_tokens")  // sha256(token) → one-time sign-in JSON
)

// migrate brings a database written by an earlier billwatch to SchemaVersion within tx (the
// transaction that opens it for writing: all of it or nothing). The buckets of every version
// have already been created when it runs; it records the version.
func migrate(tx *bolt.Tx, from string) error {
	switch from {
	case "1", "2":
		// Version 1 had no memory: the buckets created by Open are all version 2 needs.
		// Version 3 names the jurisdiction in the keys of what a legislature publishes.
		if err := jurisdictionKeys(tx); err != nil {
			return fmt.Errorf("migrate schema %s to %d: %w", from, SchemaVersion, err)
		}
	default:
		return fmt.Errorf("schema version %s, this billwatch reads %d (and migrates 1 and 2)", from, SchemaVersion)
	}
	return tx.Bucket(bktMeta).Put([]byte("schema"), []byte(fmt.Sprint(SchemaVersion)))
}

// jurisdictionKeys prefixes with "ca/" every key a version 2 database holds for what
// Parliament and the Gazette publish: everything it held was Canada's. The alerts, their
// ids and threads, the outbox, the health of sources, the watch list and the accounts keep
// their keys: none names a bill's stored key (an alert's subject is the contract's "45-1
// C-8", and its id, hashed from it, must not change, or a sent alert would be sent again).
func jurisdictionKeys(tx *bolt.Tx) error {
	all := func([]byte) bool { return true }
	acts := func(k []byte) bool {
		return bytes.HasPrefix(k, []byte("act/")) || string(k) == "act-index-meta"
	}
	for _, m := range []struct {
		bucket []byte
		moves  func([]byte) bool
	}{
		{bktBills, all}, {bktHearings, all}, {bktRegulations, all}, {bktVersions, all},
		{bktMemory, all}, {bktHistory, all}, {bktLineage, all}, {bktLinks, all},
		{bktMeta, acts},
	} {
		if err := prefixKeys(tx.Bucket(m.bucket), string(billwatch.Canada)+"/", m.moves); err != nil {
			return fmt.Errorf("bucket %s: %w", m.bucket, err)
		}
	}
	return nil
}

// prefixKeys moves every key of b that moves selects to prefix+key, keeping its value and the
// bucket's sequence.
func prefixKeys(b *bolt.Bucket, prefix string, moves func([]byte) bool) error {
	type kv struct{ k, v []byte }
	var todo []kv
	err := b.ForEach(func(k, v []byte) error {
		if v == nil {
			return fmt.Errorf("unexpected nested bucket %q", k)
		}
		if moves(k) {
			todo = append(todo, kv{bytes.Clone(k), bytes.Clone(v)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range todo {
		nk := append([]byte(prefix), e.k...)
		if b.Get(nk) != nil {
			return fmt.Errorf("key %q: %q is already taken", e.k, nk)
		}
		if err := b.Delete(e.k); err != nil {
			return err
		}
		if err := b.Put(nk, e.v); err != nil {
			return err
		}
	}
	return nil
}
