package tracker

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestAccounts(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	u, token, err := s.AddUser("lea", RoleEditor, t0)
	if err != nil || u.Role != RoleEditor || len(token) < 40 {
		t.Fatalf("AddUser = %+v, %q, %v", u, token, err)
	}
	if _, _, err := s.AddUser("lea", RoleViewer, t0); err == nil || !strings.Contains(err.Error(), "user lea already exists") {
		t.Errorf("duplicate AddUser = %v", err)
	}
	for _, bad := range []struct{ name, role string }{{"Léa!", RoleEditor}, {"sam", "boss"}} {
		if _, _, err := s.AddUser(bad.name, bad.role, t0); !errors.Is(err, ErrBadInput) {
			t.Errorf("AddUser(%q, %q) = %v, want ErrBadInput", bad.name, bad.role, err)
		}
	}
	if _, err := s.RedeemSignin(token, "short", t0); err == nil || !strings.Contains(err.Error(), "too short") {
		t.Errorf("weak password = %v, want too short", err)
	}
	if _, err := s.RedeemSignin(token, "lea-is-my-name-ok", t0); err == nil || !strings.Contains(err.Error(), "user name") {
		t.Errorf("password with name = %v", err)
	}
	const pw = "correct horse battery staple"
	if _, err := s.RedeemSignin(token, pw, t0.Add(time.Minute)); err != nil {
		t.Fatalf("RedeemSignin = %v", err)
	}
	if _, err := s.RedeemSignin(token, pw, t0.Add(2*time.Minute)); !errors.Is(err, ErrSigninUsed) {
		t.Errorf("reused link = %v, want ErrSigninUsed", err)
	}
	if _, err := s.RedeemSignin("nonsense", pw, t0); !errors.Is(err, ErrSigninUnknown) {
		t.Errorf("unknown link = %v", err)
	}
	tok2, _ := s.SigninLink("lea", t0)
	if _, err := s.RedeemSignin(tok2, pw, t0.Add(SigninTTL)); !errors.Is(err, ErrSigninExpired) {
		t.Errorf("expired link = %v, want ErrSigninExpired", err)
	}
	stored, _, _ := s.User("lea")
	if !strings.HasPrefix(stored.PasswordHash, "$argon2id$v=19$m=65536,t=3,p=2$") || strings.Contains(stored.PasswordHash, pw) {
		t.Errorf("stored hash %q is not argon2id", stored.PasswordHash)
	}
	if _, err := s.Authenticate("lea", "wrong password here"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password = %v", err)
	}
	if _, err := s.Authenticate("nobody", pw); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("unknown user = %v", err)
	}
	if _, err := s.Authenticate("lea", pw); err != nil {
		t.Fatalf("Authenticate = %v", err)
	}
	sess, err := s.NewSession("lea", t0)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.Session(sess, t0.Add(time.Hour)); err != nil || u.Name != "lea" {
		t.Errorf("Session = %+v, %v", u, err)
	}
	if _, err := s.Session(sess, t0.Add(SessionTTL)); !errors.Is(err, ErrNoSession) {
		t.Errorf("expired session = %v", err)
	}
	// Tokens are stored hashed: the raw token is nowhere in the file's session bucket.
	_ = s.view(func(tx *boltTx) error {
		if tx.Bucket(bktSessions).Get([]byte(sess)) != nil {
			t.Error("session token stored in clear")
		}
		return nil
	})
	if err := s.RemoveUser("lea"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(sess, t0.Add(time.Hour)); !errors.Is(err, ErrNoSession) {
		t.Errorf("session of a removed user = %v", err)
	}
	if err := s.RemoveUser("lea"); err == nil || !strings.Contains(err.Error(), "no user lea") {
		t.Errorf("RemoveUser twice = %v", err)
	}
}

// A password set again with a new sign-in link (`user link`, after a lost or stolen password)
// ends the account's sessions.
func TestNewPasswordEndsSessions(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	_, token, err := s.AddUser("lea", RoleEditor, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedeemSignin(token, "correct horse battery staple", t0); err != nil {
		t.Fatal(err)
	}
	old, err := s.NewSession("lea", t0)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.SigninLink("lea", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedeemSignin(again, "a different long passphrase", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if u, err := s.Session(old, t0.Add(time.Hour)); err == nil {
		t.Errorf("the session from before the new password still names %s", u.Name)
	}
}
