package tracker

import (
	"errors"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestFeedKeys(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	if _, err := s.NewFeedKey("nobody", t0); !errors.Is(err, ErrBadInput) {
		t.Errorf("key for an unknown user = %v, want ErrBadInput", err)
	}
	if _, err := s.FeedKeyUser("anything"); !errors.Is(err, ErrNoFeedKey) {
		t.Errorf("key before any was made = %v, want ErrNoFeedKey", err)
	}
	for _, name := range []string{"lea", "sam"} {
		if _, _, err := s.AddUser(name, RoleViewer, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, err := s.FeedKeyCreated("lea"); ok || err != nil {
		t.Errorf("FeedKeyCreated before any = %v, %v", ok, err)
	}
	k1, err := s.NewFeedKey("lea", t0)
	if err != nil || len(k1) < 40 {
		t.Fatalf("NewFeedKey = %q, %v", k1, err)
	}
	ksam, _ := s.NewFeedKey("sam", t0)
	if u, err := s.FeedKeyUser(k1); err != nil || u.Name != "lea" || u.Role != RoleViewer {
		t.Errorf("FeedKeyUser = %+v, %v", u, err)
	}
	if c, ok, _ := s.FeedKeyCreated("lea"); !ok || !c.Equal(t0) {
		t.Errorf("FeedKeyCreated = %v, %v", c, ok)
	}
	// Only the hash is stored.
	var raw strings.Builder
	_ = s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bktFeedKeys).ForEach(func(k, v []byte) error { raw.Write(k); raw.Write(v); return nil })
	})
	if strings.Contains(raw.String(), k1) || raw.Len() == 0 {
		t.Error("the key itself is stored")
	}
	k2, _ := s.NewFeedKey("lea", t0.Add(time.Hour))
	if _, err := s.FeedKeyUser(k1); !errors.Is(err, ErrNoFeedKey) {
		t.Errorf("renewed key still works: %v", err)
	}
	if u, err := s.FeedKeyUser(k2); err != nil || u.Name != "lea" {
		t.Errorf("new key = %+v, %v", u, err)
	}
	if c, _, _ := s.FeedKeyCreated("lea"); !c.Equal(t0.Add(time.Hour)) {
		t.Errorf("FeedKeyCreated after renewal = %v", c)
	}
	if err := s.RemoveUser("lea"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FeedKeyUser(k2); !errors.Is(err, ErrNoFeedKey) {
		t.Errorf("removed user's key still works: %v", err)
	}
	if u, err := s.FeedKeyUser(ksam); err != nil || u.Name != "sam" {
		t.Errorf("another user's key after a removal = %+v, %v", u, err)
	}
	if _, err := s.FeedKeyUser(""); !errors.Is(err, ErrNoFeedKey) {
		t.Errorf("empty key = %v", err)
	}
}
