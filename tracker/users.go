package tracker

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"

	"github.com/billwatch/billwatch/internal/lazyre"
)

// Roles of web accounts: a viewer reads, an editor also writes the memory and the watch list,
// an admin also manages accounts.
const (
	RoleViewer = "viewer"
	RoleEditor = "editor"
	RoleAdmin  = "admin"
)

// Roles lists the roles, least powerful first.
var Roles = []string{RoleViewer, RoleEditor, RoleAdmin}

// CanWrite reports whether a role may change the memory and the watch list.
func CanWrite(role string) bool { return role == RoleEditor || role == RoleAdmin }

// User is a web account. Its password is kept only as an argon2id hash.
type User struct {
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	Created      time.Time `json:"created"`
	PasswordHash string    `json:"password_hash,omitempty"`
	PasswordSet  time.Time `json:"password_set,omitzero"`
}

// Sign-in and session errors, checked with errors.Is.
var (
	ErrBadCredentials = errors.New("wrong user name or password")
	ErrNoSession      = errors.New("no valid session")
	ErrSigninUsed     = errors.New("this sign-in link was already used: ask an admin for a new one (billwatch user add NAME again after user rm, or user link NAME)")
	ErrSigninExpired  = errors.New("this sign-in link has expired: ask an admin for a new one (billwatch user link NAME)")
	ErrSigninUnknown  = errors.New("this sign-in link is not valid (mistyped or cut off?)")
)

// SigninTTL is how long a one-time sign-in link stays valid.
const SigninTTL = 72 * time.Hour

// SessionTTL is how long a web session lasts without signing in again.
const SessionTTL = 14 * 24 * time.Hour

var userNameRe = lazyre.New(`^[a-z0-9][a-z0-9._-]{0,39}$`)

// CheckUserName refuses names that could not be typed, shown or used in a header safely.
func CheckUserName(name string) error {
	if !userNameRe.MatchString(name) {
		return bad("user name %q: want 1 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

type signin struct {
	User    string    `json:"user"`
	Expires time.Time `json:"expires"`
	Used    bool      `json:"used,omitempty"`
}

type session struct {
	User    string    `json:"user"`
	Expires time.Time `json:"expires"`
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenKey(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return []byte(hex.EncodeToString(sum[:]))
}

// AddUser creates an account and returns a one-time sign-in token with which its owner sets
// a password.
func (s *Store) AddUser(name, role string, now time.Time) (User, string, error) {
	if err := CheckUserName(name); err != nil {
		return User{}, "", err
	}
	if !slices.Contains(Roles, role) {
		return User{}, "", bad("role %q: want viewer, editor or admin", role)
	}
	u := User{Name: name, Role: role, Created: now.UTC()}
	token := newToken()
	err := s.update(func(tx *bolt.Tx) error {
		users := tx.Bucket(bktUsers)
		if users.Get([]byte(name)) != nil {
			return exists("user %s already exists (billwatch user list; remove it first with billwatch user rm %s)", name, name)
		}
		if err := putJSON(users, []byte(name), u); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bktSignin), tokenKey(token), signin{User: name, Expires: now.Add(SigninTTL).UTC()})
	})
	if err != nil {
		return User{}, "", err
	}
	return u, token, nil
}

// SigninLink issues a new one-time sign-in token for an existing user (a forgotten password).
func (s *Store) SigninLink(name string, now time.Time) (string, error) {
	token := newToken()
	err := s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bktUsers).Get([]byte(name)) == nil {
			return notFound("no user %s (billwatch user list)", name)
		}
		return putJSON(tx.Bucket(bktSignin), tokenKey(token), signin{User: name, Expires: now.Add(SigninTTL).UTC()})
	})
	return token, err
}

// Users lists the accounts by name.
func (s *Store) Users() ([]User, error) {
	var out []User
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktUsers)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var u User
			if err := decodeJSON(v, &u); err != nil {
				s.skip(bktUsers, k, err)
				return nil
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}

// HasUsers reports whether any account exists.
func (s *Store) HasUsers() (bool, error) {
	us, err := s.Users()
	return len(us) > 0, err
}

// User returns one account.
func (s *Store) User(name string) (User, bool, error) {
	var u User
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktUsers)
		if b == nil {
			return nil
		}
		var err error
		ok, err = getJSON(b, []byte(name), &u)
		return err
	})
	return u, ok, err
}

// RemoveUser deletes an account with its sessions, sign-in links and subscription key.
func (s *Store) RemoveUser(name string) error {
	return s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bktUsers).Get([]byte(name)) == nil {
			return notFound("no user %s (billwatch user list)", name)
		}
		if err := tx.Bucket(bktUsers).Delete([]byte(name)); err != nil {
			return err
		}
		for _, bn := range [][]byte{bktSessions, bktSignin, bktFeedKeys} {
			if err := deleteUserKeys(tx.Bucket(bn), name); err != nil {
				return err
			}
		}
		return nil
	})
}

// CheckPassword refuses weak passwords with a message saying why.
func CheckPassword(name, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < 12:
		return bad("the password is too short: use at least 12 characters (a few words make a good one)")
	case n > 200:
		return bad("the password is longer than 200 characters")
	case strings.Contains(strings.ToLower(password), strings.ToLower(name)):
		return bad("the password contains the user name")
	}
	distinct := map[rune]bool{}
	for _, r := range password {
		distinct[r] = true
	}
	if len(distinct) < 5 {
		return bad("the password repeats too few characters (%d distinct): use at least 5", len(distinct))
	}
	for _, common := range []string{"password", "123456", "qwerty", "billwatch", "letmein", "azerty"} {
		if strings.Contains(strings.ToLower(password), common) {
			return bad("the password contains %q, which is among the first guessed", common)
		}
	}
	return nil
}

// argon2id parameters (RFC 9106's second recommended option, lowered memory for a small
// server): 64 MiB, 3 passes, 2 lanes.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of a password in the PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// verifyPassword checks a password against a PHC argon2id hash, in constant time.
func verifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckSignin says whose a one-time sign-in token is, without using it, or why it no longer
// works (ErrSigninUnknown, ErrSigninUsed, ErrSigninExpired): the page that sets a password
// says so before anyone types one.
func (s *Store) CheckSignin(token string, now time.Time) (string, error) {
	var sg signin
	if err := s.view(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bktSignin), tokenKey(token), &sg)
		if err != nil {
			return err
		}
		if !ok {
			return ErrSigninUnknown
		}
		return nil
	}); err != nil {
		return "", err
	}
	if sg.Used {
		return "", ErrSigninUsed
	}
	if !now.Before(sg.Expires) {
		return "", ErrSigninExpired
	}
	return sg.User, nil
}

// RedeemSignin uses a one-time sign-in token to set the user's password. The token works
// once, before it expires; the password is checked first, so a weak one does not spend it.
// It ends the account's sessions (the caller starts a new one).
func (s *Store) RedeemSignin(token, password string, now time.Time) (User, error) {
	var u User
	name, err := s.CheckSignin(token, now)
	if err != nil {
		return User{}, err
	}
	if err := CheckPassword(name, password); err != nil {
		return User{}, err
	}
	hash := HashPassword(password) // slow on purpose: outside the transaction
	err = s.update(func(tx *bolt.Tx) error {
		var cur signin
		if ok, err := getJSON(tx.Bucket(bktSignin), tokenKey(token), &cur); err != nil || !ok {
			return ErrSigninUnknown
		}
		if cur.Used {
			return ErrSigninUsed
		}
		cur.Used = true
		if err := putJSON(tx.Bucket(bktSignin), tokenKey(token), cur); err != nil {
			return err
		}
		ok, err := getJSON(tx.Bucket(bktUsers), []byte(cur.User), &u)
		if err != nil {
			return err
		}
		if !ok {
			return ErrSigninUnknown
		}
		// A new password ends the account's sessions: a reset after a lost or stolen password
		// leaves no other browser signed in. (Subscription links stay: `user feeds` renews them.)
		if err := deleteUserKeys(tx.Bucket(bktSessions), u.Name); err != nil {
			return err
		}
		u.PasswordHash, u.PasswordSet = hash, now.UTC()
		return putJSON(tx.Bucket(bktUsers), []byte(u.Name), u)
	})
	if errors.Is(err, ErrSigninUsed) || errors.Is(err, ErrSigninUnknown) {
		return User{}, errors.Unwrap(err)
	}
	return u, err
}

// Authenticate checks a user name and password. Unknown users cost the same time as known
// ones, so that timing does not tell which names exist.
func (s *Store) Authenticate(name, password string) (User, error) {
	u, ok, err := s.User(name)
	if err != nil {
		return User{}, err
	}
	if !ok || u.PasswordHash == "" {
		verifyPassword(dummyHash(), password)
		return User{}, ErrBadCredentials
	}
	if !verifyPassword(u.PasswordHash, password) {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// dummyHash is computed on first use: an argon2id hash costs 64 MiB, which no command that
// never authenticates should pay.
var dummyHash = sync.OnceValue(func() string { return HashPassword("not a password of anyone") })

// NewSession opens a web session for a user and returns its token; only the token's hash is
// stored.
func (s *Store) NewSession(name string, now time.Time) (string, error) {
	token := newToken()
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktSessions)
		// Sweep expired sessions while here.
		var del [][]byte
		_ = b.ForEach(func(k, v []byte) error {
			var ss session
			if decodeJSON(v, &ss) == nil && !now.Before(ss.Expires) {
				del = append(del, slices.Clone(k))
			}
			return nil
		})
		for _, k := range del {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return putJSON(b, tokenKey(token), session{User: name, Expires: now.Add(SessionTTL).UTC()})
	})
	return token, err
}

// Session returns the user of a valid session token.
func (s *Store) Session(token string, now time.Time) (User, error) {
	if token == "" {
		return User{}, ErrNoSession
	}
	var ss session
	var u User
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktSessions)
		if b == nil {
			return ErrNoSession
		}
		ok, err := getJSON(b, tokenKey(token), &ss)
		if err != nil || !ok || !now.Before(ss.Expires) {
			return ErrNoSession
		}
		ok, err = getJSON(tx.Bucket(bktUsers), []byte(ss.User), &u)
		if err != nil || !ok {
			return ErrNoSession
		}
		return nil
	})
	return u, err
}

// EndSession signs a session out.
func (s *Store) EndSession(token string) error {
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bktSessions).Delete(tokenKey(token)) })
}
