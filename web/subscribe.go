package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/tracker"
)

// Subscription links. A calendar application (Outlook, Google, Apple) or a feed reader cannot
// sign in or carry a session cookie, so once accounts exist it reads /calendar.ics and
// /feed.atom with a link that holds its user's secret key: ?key=… names the user on those
// two read-only routes and nowhere else. The key is made (and renewed, which revokes the old
// one) at /account or with `billwatch user feeds NAME`; only its hash is stored, so it is
// shown once, when made.

// KeyParam is the query parameter of a subscription link's key.
const KeyParam = "key"

// subscription reports whether a request is one a subscription key may read: a GET or HEAD
// of the calendar or the Atom feed.
func subscription(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && (r.URL.Path == "/calendar.ics" || r.URL.Path == "/feed.atom")
}

// keyUser finds the user a subscription link's key names; keyed is false when the request
// carries no key.
func (s *Server) keyUser(r *http.Request) (u *tracker.User, keyed bool) {
	key := r.URL.Query().Get(KeyParam)
	if key == "" || !subscription(r) {
		return nil, false
	}
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return nil, true
	}
	found, err := store.FeedKeyUser(key)
	if err != nil {
		return nil, true
	}
	return &found, true
}

// errBadKey answers a subscription link whose key is unknown: a calendar application shows
// the status, a person who opens the link reads how to get a new one.
var errBadKey = &httpError{status: http.StatusUnauthorized, title: "Subscription link not valid",
	msg: "This subscription link's key is not valid: it was renewed since, or its account was removed. Sign in and open /account for a new link, or ask whoever runs billwatch for `billwatch user feeds NAME`."}

// errNoKey answers a calendar application or feed reader that reads without a key once
// accounts exist.
var errNoKey = &httpError{status: http.StatusUnauthorized, title: "Private link needed",
	msg: "Calendar applications and feed readers read billwatch with a private link: sign in, open /account, and subscribe with the link shown there."}

// SubscriptionLinks are the private links of one key.
type SubscriptionLinks struct {
	Calendar string
	Webcal   template.URL // the calendar link as webcal:// (Apple Calendar subscribes to it); "" when not https
	Feed     string
	// Audiences are the feed's links narrowed to each audience.
	Audiences []AudienceLink
}

// AudienceLink is the Atom feed's link for one audience.
type AudienceLink struct {
	Audience billwatch.Audience
	URL      string
}

// Links returns the subscription links of key at the site base ("https://billwatch.example.org").
func Links(base, key string) SubscriptionLinks {
	k := KeyParam + "=" + url.QueryEscape(key)
	l := SubscriptionLinks{Calendar: base + "/calendar.ics?" + k, Feed: base + "/feed.atom?" + k}
	if rest, ok := strings.CutPrefix(l.Calendar, "https://"); ok {
		l.Webcal = template.URL("webcal://" + rest) // a scheme html/template does not know: its parts are ours
	}
	for _, a := range billwatch.Audiences {
		l.Audiences = append(l.Audiences, AudienceLink{Audience: a, URL: l.Feed + "&audience=" + url.QueryEscape(string(a))})
	}
	return l
}

type accountData struct {
	User       *tracker.User
	HasAccount bool // the user has an account (under header auth, one may not)
	NoAccounts bool // no account exists: the routes are open
	KeyMade    time.Time
	Links      *SubscriptionLinks // only right after the key is made
	PublicURL  bool               // [web] public_url is set: the links name it
	Error      string
}

func (s *Server) accountData(r *http.Request) accountData {
	d := accountData{User: userOf(r), PublicURL: s.opt.PublicURL != ""}
	if d.User == nil {
		d.NoAccounts = s.opt.Auth.Mode != AuthHeader && !s.accountsExist()
		return d
	}
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return d
	}
	_, d.HasAccount, _ = store.User(d.User.Name)
	d.KeyMade, _, _ = store.FeedKeyCreated(d.User.Name)
	return d
}

// accountPage shows the signed-in user's account and the state of their subscription links.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "account", page{Title: "Your account", Nav: "account", Data: s.accountData(r)})
	return nil
}

// feedKeyPost makes (or renews) the signed-in user's subscription key and shows its links,
// once: the page is not stored anywhere, and the key is kept only as a hash.
func (s *Server) feedKeyPost(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	u := userOf(r)
	if u == nil {
		w.Header().Set("WWW-Authenticate", `FormBased realm="billwatch"`)
		return &httpError{status: http.StatusUnauthorized, title: "Sign in first", msg: "Subscription links belong to an account: sign in at /signin first."}
	}
	d := s.accountData(r)
	if !d.HasAccount {
		return &httpError{status: http.StatusForbidden, title: "No account", msg: "Subscription links belong to an account, and " + u.Name + " has none: whoever runs billwatch creates one with `billwatch user add " + u.Name + " --role viewer`."}
	}
	t, err := s.writer()
	if err != nil {
		return err
	}
	now := s.opt.Now()
	key, err := t.Store.NewFeedKey(u.Name, now)
	if err != nil {
		if errors.Is(err, tracker.ErrBadInput) {
			return &httpError{status: http.StatusForbidden, title: "No account", msg: "The account " + u.Name + " no longer exists."}
		}
		return err
	}
	links := Links(s.base(r), key)
	d.Links, d.KeyMade = &links, now
	s.render(w, r, http.StatusOK, "account", page{Title: "Your subscription links", Nav: "account", Now: now, Data: d})
	return nil
}
