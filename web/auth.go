package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

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
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
		open := r.URL.Path == "/signin" || strings.HasPrefix(r.URL.Path, "/static/")
		if u == nil && !open && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			if s.opt.Auth.Mode == AuthHeader || s.accountsExist() {
				if wantsJSON(r) {
					s.writeError(w, r, &httpError{status: http.StatusUnauthorized, title: "Sign in", msg: "Sign in to read billwatch."})
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
		s.writeError(w, r, &httpError{status: http.StatusUnauthorized, title: "Sign in first", msg: "Changing billwatch's memory needs a signed-in editor: sign in at /signin."})
		return nil, false
	}
	if !tracker.CanWrite(u.Role) {
		s.writeError(w, r, &httpError{status: http.StatusForbidden, title: "Read only", msg: "Your account (" + u.Name + ", " + u.Role + ") may read but not change billwatch's memory."})
		return nil, false
	}
	return u, true
}

// limiter slows password guessing: a few failed sign-ins per address per window.
type limiter struct {
	mu     sync.Mutex
	fails  map[netip.Addr][]time.Time
	max    int
	window time.Duration
}

func newLimiter() *limiter {
	return &limiter{fails: map[netip.Addr][]time.Time{}, max: 5, window: 5 * time.Minute}
}

// allow reports whether an address may try again now.
func (l *limiter) allow(ip netip.Addr, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.fails[ip][:0]
	for _, t := range l.fails[ip] {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	l.fails[ip] = recent
	if len(l.fails) > 10000 { // bounded memory under a spray of addresses
		clear(l.fails)
	}
	return len(recent) < l.max
}

func (l *limiter) fail(ip netip.Addr, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[ip] = append(l.fails[ip], now)
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

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

type signinData struct {
	Token, Next, Error string
	User               *tracker.User
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) error {
	d := signinData{Token: r.URL.Query().Get("token"), Next: safeNext(r.URL.Query().Get("next")), User: userOf(r)}
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
	ip := remoteIP(r)
	d := signinData{Next: safeNext(r.PostForm.Get("next")), Token: r.PostForm.Get("token")}
	again := func(status int, msg string) error {
		d.Error = msg
		s.render(w, r, status, "signin", page{Title: "Sign in", Now: now, Data: d})
		return nil
	}
	if !s.limit.allow(ip, now) {
		w.Header().Set("Retry-After", "300")
		return again(http.StatusTooManyRequests, "Too many failed attempts from your address: wait five minutes and try again.")
	}
	var u tracker.User
	if d.Token != "" {
		u, err = store.Store.RedeemSignin(d.Token, r.PostForm.Get("password"), now)
		if err != nil {
			if !errors.Is(err, tracker.ErrBadInput) {
				s.limit.fail(ip, now)
			}
			return again(http.StatusBadRequest, strings.TrimPrefix(err.Error(), tracker.ErrBadInput.Error()+": "))
		}
	} else {
		u, err = store.Store.Authenticate(strings.ToLower(strings.TrimSpace(r.PostForm.Get("name"))), r.PostForm.Get("password"))
		if err != nil {
			s.limit.fail(ip, now)
			if errors.Is(err, tracker.ErrBadCredentials) {
				return again(http.StatusUnauthorized, "Wrong user name or password.")
			}
			return err
		}
	}
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
