package tracker

import (
	"errors"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Subscription keys let a calendar application or a feed reader, which cannot sign in, read
// /calendar.ics and /feed.atom as an account: a random token in the link, of which only the
// hash is stored, like a session's. An account has at most one; renewing it revokes the old
// one, and removing the account removes it.

// bktFeedKeys holds the subscription keys: sha256(token) → feedKey JSON. It is created by
// the first key made, so that older databases need no migration.
var bktFeedKeys = []byte("feed_keys")

type feedKey struct {
	User    string    `json:"user"`
	Created time.Time `json:"created"`
}

// ErrNoFeedKey means a subscription key is unknown: mistyped, renewed since, or its account
// removed.
var ErrNoFeedKey = errors.New("this subscription link is not valid (renewed since, or its account removed)")

// NewFeedKey makes a new subscription key for an account and returns it; the account's
// previous key, if any, stops working.
func (s *Store) NewFeedKey(name string, now time.Time) (string, error) {
	token := newToken()
	err := s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bktUsers).Get([]byte(name)) == nil {
			return notFound("no user %s (billwatch user list)", name)
		}
		b, err := tx.CreateBucketIfNotExists(bktFeedKeys)
		if err != nil {
			return err
		}
		if err := deleteUserKeys(b, name); err != nil {
			return err
		}
		return putJSON(b, tokenKey(token), feedKey{User: name, Created: now.UTC()})
	})
	return token, err
}

// FeedKeyCreated reports when an account's subscription key was made; ok is false when it
// has none.
func (s *Store) FeedKeyCreated(name string) (created time.Time, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktFeedKeys)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var fk feedKey
			if decodeJSON(v, &fk) == nil && fk.User == name {
				created, ok = fk.Created, true
			}
			return nil
		})
	})
	return created, ok, err
}

// FeedKeyUser returns the account a subscription key belongs to, or ErrNoFeedKey.
func (s *Store) FeedKeyUser(token string) (User, error) {
	if token == "" {
		return User{}, ErrNoFeedKey
	}
	var u User
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktFeedKeys)
		if b == nil {
			return ErrNoFeedKey
		}
		var fk feedKey
		if ok, err := getJSON(b, tokenKey(token), &fk); err != nil || !ok {
			return ErrNoFeedKey
		}
		if ok, err := getJSON(tx.Bucket(bktUsers), []byte(fk.User), &u); err != nil || !ok || !slices.Contains(Roles, u.Role) {
			return ErrNoFeedKey
		}
		return nil
	})
	return u, err
}

// deleteUserKeys deletes the entries of b (sessions, sign-in links, subscription keys) that
// belong to the user name.
func deleteUserKeys(b *bolt.Bucket, name string) error {
	if b == nil {
		return nil
	}
	var del [][]byte
	_ = b.ForEach(func(k, v []byte) error {
		var x struct {
			User string `json:"user"`
		}
		if decodeJSON(v, &x) == nil && x.User == name {
			del = append(del, slices.Clone(k))
		}
		return nil
	})
	for _, k := range del {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
