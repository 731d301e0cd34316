package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/billwatch/billwatch/tracker"
)

// Auth modes of [web] auth.
const (
	AuthAccounts = "accounts" // billwatch's own accounts, signed in with a password
	AuthHeader   = "header"   // a trusted proxy names the user in a header (single sign-on)
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "billwatch_session"

// Auth configures who may read and write.
type Auth struct {
	Mode string // AuthAccounts (default) or AuthHeader
	// Header names the user when Mode is AuthHeader ("X-Forwarded-User"); it is believed only
	// from TrustedProxies.
	Header         string
	TrustedProxies []netip.Prefix
	// HeaderRole is the role of a header-named user who has no account (default editor).
	HeaderRole string
}

// ParseProxies reads [web] trusted_proxies: addresses or CIDR prefixes.
func ParseProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, errors.New("trusted_proxies: " + s + " is neither an IP address nor a prefix (10.0.0.0/8)")
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

type userKey struct{}

// user is who makes a request: nil for nobody.
func userOf(r *http.Request) *tracker.User {
	u, _ := r.Context().Value(userKey{}).(*tracker.User)
	return u
}

func remoteIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// identify finds the request's user: the trusted proxy's header, or the session cookie.
// The store is opened only for a request that names someone: an anonymous reader costs the
// daemon no lock on the database.
func (s *Server) identify(r *http.Request) *tracker.User {
	a := s.opt.Auth
	if a.Mode == AuthHeader {
		name := strings.TrimSpace(r.Header.Get(a.Header))
		ip := remoteIP(r)
		trusted := false
		for _, p := range a.TrustedProxies {
			trusted = trusted || p.Contains(ip)
		}
		if !trusted || name == "" || tracker.CheckUserName(strings.ToLower(name)) != nil {
			return nil
		}
		name = strings.ToLower(name)
		store, err := tracker.OpenReadOnly(s.opt.DB)
		if err != nil {
			return nil
		}
		if u, ok, err := store.User(name); err == nil && ok {
			return &u
		}
		return &tracker.User{Name: name, Role: firstNonEmpty(a.HeaderRole, tracker.RoleEditor)}
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil
	}
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return nil
	}
	u, err := store.Session(c.Value, s.opt.Now())
	if err != nil {
		return nil
	}
	return &u
}

// accountsExist reports whether any account exists: then every page needs a signed-in user.
func (s *Server) accountsExist() bool {
	if sn, ok := s.current(); ok {
		return sn.hasUsers
	}
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return false
	}
	ok, _ := store.HasUsers()
	return ok
}

// guard is the access layer: cross-origin protection for every state-changing request, the
// user in the request's context, and sign-in required for reading once accounts exist (or
// always under header auth).
func (s *Server) guard(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &httpError{status: http.StatusForbidden, title: "Forbidden", msg: "This request came from another site: billwatch refuses changes that do not come from its own pages."})
	}))
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := s.identify(r)
		if u == nil && subscription(r) {
			// A calendar application or a feed reader: its link's key names the user.
			var keyed bool
			if u, keyed = s.keyUser(r); keyed && u == nil && (s.opt.Auth.Mode == AuthHeader || s.accountsExist()) {
				s.writeError(w, r, errBadKey)
				return
			}
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
		open := r.URL.Path == "/signin" || strings.HasPrefix(r.URL.Path, "/static/")
		if u == nil && !open && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			if s.opt.Auth.Mode == AuthHeader || s.accountsExist() {
				w.Header().Set("Vary", "Accept") // JSON is told 401, a browser sent to sign in
				if wantsJSON(r) {
					s.writeError(w, r, &httpError{status: http.StatusUnauthorized, title: "Sign in", msg: "Sign in to read billwatch."})
					return
				}
				if subscription(r) && !strings.Contains(r.Header.Get("Accept"), "text/html") {
					// A calendar application or feed reader without its key: a sign-in page
					// served as the calendar would fail in it without a word.
					s.writeError(w, r, errNoKey)
					return
				}
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
	return cop.Handler(inner)
}

// canWrite answers 401 without a user and 403 for a viewer; it reports whether to go on.
func (s *Server) canWrite(w http.ResponseWriter, r *http.Request) (*tracker.User, bool) {
	u := userOf(r)
	if u == nil {
		w.Header().Set("WWW-Authenticate", `FormBased realm="billwatch"`)
		msg := "Changing billwatch's memory needs a signed-in editor: sign in at /signin."
		if s.opt.Auth.Mode != AuthHeader && !s.accountsExist() {
			msg = "Changing billwatch's memory needs a signed-in editor, and no account exists yet: whoever runs billwatch creates one with `billwatch user add NAME --role editor`, which prints a sign-in link."
		}
		s.writeError(w, r, &httpError{status: http.StatusUnauthorized, title: "Sign in first", msg: msg})
		return nil, false
	}
	if !tracker.CanWrite(u.Role) {
		s.writeError(w, r, &httpError{status: http.StatusForbidden, title: "Read only", msg: "Your account (" + u.Name + ", " + u.Role + ") may read but not change billwatch's memory."})
		return nil, false
	}
	return u, true
}

// limiter slows password guessing. Every attempt counts against a few keys until it
// succeeds: the client's address and the user name together (5 per window), the address
// (20) and the user name (20) alone. So a person who mistypes locks out only themselves, a
// guesser spraying names from one address or one name from many is stopped, and the
// coalition behind one proxy is not locked out by one of them. An attempt is counted before
// its password is checked, so that parallel attempts cannot pass the limit together.
type limiter struct {
	mu     sync.Mutex
	fails  map[string][]time.Time
	window time.Duration
}

// Limits per window of attempts not yet proved right, per key kind.
const (
	maxPerAddrName = 5
	maxPerAddr     = 20
	maxPerName     = 20
)

func newLimiter() *limiter {
	return &limiter{fails: map[string][]time.Time{}, window: 5 * time.Minute}
}

// attemptKeys are the keys an attempt from ip for name counts against, with their limits.
// An IPv6 address counts by its /64, which one host commonly has whole. A name that is not
// known ("" for a sign-in link that names no account) counts by the address alone, so that
// bogus links spend no one else's attempts.
func attemptKeys(ip netip.Addr, name string) map[string]int {
	addr := ip.String()
	if ip.Is6() && !ip.Is4In6() {
		addr = netip.PrefixFrom(ip, 64).Masked().String()
	}
	if name == "" {
		return map[string]int{"addr " + addr: maxPerAddr}
	}
	return map[string]int{"addr+name " + addr + " " + name: maxPerAddrName, "addr " + addr: maxPerAddr, "name " + name: maxPerName}
}

// try counts an attempt against keys and reports true, or reports false, counting nothing,
// when one of them is at its limit.
func (l *limiter) try(keys map[string]int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 10000 { // bounded memory under a spray of addresses and names
		for k := range l.fails {
			l.prune(k, now)
		}
		if len(l.fails) > 10000 {
			clear(l.fails)
		}
	}
	ok := true
	for k, max := range keys {
		l.prune(k, now)
		ok = ok && len(l.fails[k]) < max
	}
	if ok {
		for k := range keys {
			l.fails[k] = append(l.fails[k], now)
		}
	}
	return ok
}

// prune forgets the attempts of key older than the window, and the key once none is left.
func (l *limiter) prune(key string, now time.Time) {
	recent := l.fails[key][:0]
	for _, t := range l.fails[key] {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	if len(recent) == 0 {
		delete(l.fails, key)
		return
	}
	l.fails[key] = recent
}

// forgive takes back an attempt try counted at now: it proved right.
func (l *limiter) forgive(keys map[string]int, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range keys {
		if i := slices.Index(l.fails[k], now); i >= 0 {
			l.fails[k] = slices.Delete(l.fails[k], i, i+1)
		}
	}
}

// hashSlots is how many passwords are checked at once. Each check is an argon2id hash of
// 64 MiB (tracker), so this bounds what sign-ins can take of the server's memory; an attempt
// that waits longer than hashWait for a slot answers 503.
const hashSlots = 2

// clientIP is the address a request comes from: the connection's, or, when that is a trusted
// proxy ([web] trusted_proxies), the last address in X-Forwarded-For that is not one.
func (s *Server) clientIP(r *http.Request) netip.Addr {
	ip := remoteIP(r)
	trusted := func(a netip.Addr) bool {
		for _, p := range s.opt.Auth.TrustedProxies {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if !trusted(ip) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return ip // a forged or broken header: the proxy is the client
		}
		if a = a.Unmap(); !trusted(a) {
			return a
		}
	}
	return ip
}

// secure reports whether cookies must be Secure: the request came over https (directly, or
// the public address is https).
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.opt.PublicURL, "https://")
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(tracker.SessionTTL.Seconds())})
}

// safeNext keeps a post-sign-in redirect on this site: a path from the root, with nothing a
// browser would read as another host. Browsers drop tabs and line breaks from a URL and read
// a backslash as a slash, so "/\t/evil.example" and "/\\evil.example" lead away: any of those,
// a space or another control character refuses the value.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsFunc(next, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == '\\' || unicode.IsSpace(r) || unicode.IsControl(r)
	}) {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

type signinData struct {
	Token, Next, Error string
	Account            string // the account a sign-in link sets the password of
	User               *tracker.User
	NoAccounts         bool // no account exists yet: say how one is made
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) error {
	d := signinData{Token: r.URL.Query().Get("token"), Next: safeNext(r.URL.Query().Get("next")), User: userOf(r)}
	d.NoAccounts = d.Token == "" && d.User == nil && s.opt.Auth.Mode != AuthHeader && !s.accountsExist()
	if d.Token != "" {
		// A used, expired or mistyped link says so now, not after a password is chosen.
		store, err := tracker.OpenReadOnly(s.opt.DB)
		if err != nil {
			return err
		}
		if d.Account, err = store.CheckSignin(d.Token, s.opt.Now()); err != nil {
			if !errors.Is(err, tracker.ErrSigninUsed) && !errors.Is(err, tracker.ErrSigninExpired) && !errors.Is(err, tracker.ErrSigninUnknown) {
				return err
			}
			d.Token, d.Error = "", err.Error()
			w.Header().Set("Cache-Control", "no-store")
			s.render(w, r, http.StatusGone, "signin", page{Title: "Sign in", Now: s.opt.Now(), Data: d})
			return nil
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "signin", page{Title: "Sign in", Now: s.opt.Now(), Data: d})
	return nil
}

func (s *Server) signinPost(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	if err := r.ParseForm(); err != nil {
		return &httpError{status: http.StatusBadRequest, title: "Bad request", msg: "The form could not be read."}
	}
	store, err := s.writer()
	if err != nil {
		return err
	}
	now := s.opt.Now()
	d := signinData{Next: safeNext(r.PostForm.Get("next")), Token: r.PostForm.Get("token")}
	again := func(status int, msg string) error {
		d.Error = msg
		s.render(w, r, status, "signin", page{Title: "Sign in", Now: now, Data: d})
		return nil
	}
	name := strings.ToLower(strings.TrimSpace(r.PostForm.Get("name")))
	if d.Token != "" {
		// A sign-in link names its account itself; one that names none counts by address.
		name, _ = store.Store.CheckSignin(d.Token, now)
		d.Account = name
	}
	keys := attemptKeys(s.clientIP(r), name)
	if !s.limit.try(keys, now) {
		w.Header().Set("Retry-After", "300")
		return again(http.StatusTooManyRequests, "Too many failed attempts for this account or from your address: wait five minutes and try again.")
	}
	// One slot of the few in which passwords are hashed, or 503 rather than a queue that
	// grows with the attempts.
	wait := time.NewTimer(s.hashWait)
	defer wait.Stop()
	select {
	case s.hashing <- struct{}{}:
		defer func() { <-s.hashing }()
	case <-wait.C:
		s.limit.forgive(keys, now)
		w.Header().Set("Retry-After", "5")
		return again(http.StatusServiceUnavailable, "billwatch is checking other sign-ins: try again in a few seconds.")
	case <-r.Context().Done():
		s.limit.forgive(keys, now)
		return r.Context().Err()
	}
	var u tracker.User
	if d.Token != "" {
		u, err = store.Store.RedeemSignin(d.Token, r.PostForm.Get("password"), now)
		if err != nil {
			if errors.Is(err, tracker.ErrBadInput) {
				s.limit.forgive(keys, now) // a weak password is no guess
			}
			return again(http.StatusBadRequest, strings.TrimPrefix(err.Error(), tracker.ErrBadInput.Error()+": "))
		}
	} else {
		u, err = store.Store.Authenticate(name, r.PostForm.Get("password"))
		if err != nil {
			if errors.Is(err, tracker.ErrBadCredentials) {
				return again(http.StatusUnauthorized, "Wrong user name or password.")
			}
			return err
		}
	}
	s.limit.forgive(keys, now)
	token, err := store.Store.NewSession(u.Name, now)
	if err != nil {
		return err
	}
	s.setSession(w, r, token)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if store, err := s.writer(); err == nil {
			_ = store.Store.EndSession(c.Value)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// writer is the tracker that writes the memory.
func (s *Server) writer() (*tracker.Tracker, error) {
	if s.opt.Writer == nil {
		return nil, &httpError{status: http.StatusServiceUnavailable, title: "Read only", msg: "This billwatch server was started without write access to its database."}
	}
	return s.opt.Writer()
}
