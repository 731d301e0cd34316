package tracker

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
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

// migrate brings a database written by an earlier billwatch to SchemaVersion within tx. The
// buckets of every version have already been created when it runs; it records the version.
func migrate(meta *bolt.Bucket, from string) error {
	switch from {
	case "1":
		// Version 1 had no memory: the buckets created by Open are all version 2 needs.
		return meta.Put([]byte("schema"), []byte(fmt.Sprint(SchemaVersion)))
	default:
		return fmt.Errorf("schema version %s, this billwatch reads %d (and migrates 1)", from, SchemaVersion)
	}
}
