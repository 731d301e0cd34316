package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/notify"
	"github.com/billwatch/billwatch/notify/slack"
	"github.com/billwatch/billwatch/scraper"
	"github.com/billwatch/billwatch/scraper/billtext"
	"github.com/billwatch/billwatch/scraper/legisinfo"
	"github.com/billwatch/billwatch/tracker"
)

// app is everything a command needs, wired by hand.
type app struct {
	cfg     *Config
	client  *scraper.Client
	tracker *tracker.Tracker
	log     *slog.Logger
	session string
	lock    *tracker.WriterLock // held by a writing command until close
}

// close releases what the app holds: the writer lock.
func (a *app) close() {
	if err := a.lock.Release(); err != nil {
		a.log.Warn("release the writer lock", "error", err)
	}
}

// wireOptions change how the app is built for a command.
type wireOptions struct {
	now  func() time.Time // nil: the wall clock (or --now)
	demo bool             // built-in configuration unless --config is given; no spacing; never post
	// writer is the command that will write to the database: it takes the writer lock, and
	// a second writer is refused naming it. "" for a command that only reads.
	writer string
}

func (g *globals) wire(opts wireOptions) (*app, error) {
	var cfg *Config
	var err error
	if opts.demo && g.config == "" {
		cfg = &Config{source: "built-in defaults"}
		err = cfg.check()
	} else {
		cfg, err = loadConfig(g.config)
		if err == nil {
			err = checkSlackEnv(g.getenv)
		}
	}
	if err != nil {
		return nil, err
	}
	if opts.demo {
		cfg.delay = 0
	}
	log := g.logger()
	client, err := scraper.NewClient(scraper.Options{
		Bases:       g.basesFor(cfg),
		Delay:       cfg.delay,
		Timeout:     cfg.timeout,
		MaxBodySize: cfg.Fetch.MaxBodyMiB << 20,
	})
	if err != nil {
		return nil, err
	}
	var lock *tracker.WriterLock
	if opts.writer != "" {
		if dir := filepath.Dir(g.dbPath()); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("database %s: %w", g.dbPath(), err)
			}
		}
		if lock, err = tracker.LockWriter(g.dbPath(), opts.writer, g.clock()); err != nil {
			return nil, err
		}
	}
	store, err := tracker.Open(g.dbPath())
	if err != nil {
		lock.Release()
		return nil, err
	}
	if opts.writer != "" {
		// A writer refuses a damaged file at once, records included, as `check` finds it,
		// even when its pass would have found nothing to write.
		if err := store.Check(); errors.Is(err, tracker.ErrDamaged) {
			lock.Release()
			return nil, err
		}
	}
	t := tracker.New(store, cfg.profile(), log)
	t.Now = g.clock
	if opts.now != nil {
		t.Now = opts.now
	}
	t.UnhealthyAfter = cfg.Daemon.UnhealthyAfter
	t.IsLayoutChange = func(err error) bool { return errors.Is(err, scraper.ErrLayoutChanged) }
	// Only a DocumentViewer page without an XML export is a gap (the XML of a new version can
	// lag its PDF). A page that is missing (404, soft 404), cut short or not a DocumentViewer
	// page is a failure: the pass is partial, and a page failing pass after pass makes the
	// source unhealthy.
	t.IsGap = func(err error) bool {
		return errors.Is(err, billtext.ErrNoXML) && !errors.Is(err, scraper.ErrLayoutChanged)
	}
	t.Bills = legisinfo.New(client)
	t.Texts = textSource{billtext.New(client)}
	t.Differ = differ{}
	t.PublicURL = cfg.Web.PublicURL
	t.Session = cfg.Session
	if cfg.Web.PublicURL != "" {
		t.LawURL = func(b billwatch.Bill) string {
			return cfg.Web.PublicURL + billwatch.LawPath(b.Session, b.Number, "", "")
		}
	}
	if t.Law, err = newLawReader(store, cfg, t.Now); err != nil {
		return nil, err
	}
	sinks, err := g.sinks(cfg, g.stdout, opts.demo, log)
	if err != nil {
		lock.Release()
		return nil, err
	}
	t.Sinks = sinks
	t.Digests = cfg.digests()
	return &app{cfg: cfg, client: client, tracker: t, log: log, session: cfg.Session, lock: lock}, nil
}

// textSource adapts the bill text scraper to the tracker.
type textSource struct{ s *billtext.Scraper }

func (ts textSource) Text(ctx context.Context, pub billwatch.Publication) (string, []byte, error) {
	t, err := ts.s.Text(ctx, pub)
	if err != nil {
		return "", nil, err
	}
	return t.URL, t.Body, nil
}

// TextValidated is Text with the XML's validators, for the weekly conditional check.
func (ts textSource) TextValidated(ctx context.Context, pub billwatch.Publication) (string, []byte, tracker.Validators, error) {
	t, err := ts.s.Text(ctx, pub)
	if err != nil {
		return "", nil, tracker.Validators{}, err
	}
	return t.URL, t.Body, tracker.Validators{ETag: t.ETag, LastModified: t.LastModified}, nil
}

// Recheck asks for a held text again with a conditional request.
func (ts textSource) Recheck(ctx context.Context, pub billwatch.Publication, url string, v tracker.Validators) ([]byte, tracker.Validators, bool, error) {
	t, changed, err := ts.s.Recheck(ctx, url, v.ETag, v.LastModified)
	if err != nil {
		return nil, v, false, fmt.Errorf("publication %s: %w", pub.ID, err)
	}
	return t.Body, tracker.Validators{ETag: t.ETag, LastModified: t.LastModified}, changed, nil
}

// sinks returns the Slack sink when a token is set, else the console sink. The demo always
// prints to the console, the way each message would look in Slack.
func (g *globals) sinks(cfg *Config, console io.Writer, demo bool, log *slog.Logger) ([]tracker.Sink, error) {
	if demo {
		return []tracker.Sink{notify.NewConsole(console, slack.Preview)}, nil
	}
	sc, ok, err := slackConfig(cfg, g.getenv, log)
	if err != nil || !ok {
		return []tracker.Sink{notify.NewConsole(console, nil)}, err
	}
	s, err := slack.New(sc)
	if err != nil {
		return nil, err
	}
	// With Slack, the console takes only what Slack cannot carry: Slack refusing billwatch.
	ops := notify.NewConsole(console, nil)
	ops.Take = func(a billwatch.Alert) bool { return strings.HasPrefix(a.Subject, tracker.SinkSubjectPrefix) }
	return []tracker.Sink{s, ops}, nil
}

// slackConfig builds the Slack sink's configuration from cfg and the environment getenv; ok
// is false when no token is set.
func slackConfig(cfg *Config, getenv func(string) string, log *slog.Logger) (slack.Config, bool, error) {
	if err := checkSlackEnv(getenv); err != nil {
		return slack.Config{}, false, err
	}
	token := strings.TrimSpace(getenv(cfg.Slack.TokenEnv))
	if token == "" {
		return slack.Config{}, false, nil
	}
	sc := slack.Config{Token: token, APIURL: cfg.Slack.APIURL, Mention: cfg.Slack.Mention, Logger: log, Channels: map[billwatch.Audience]string{}}
	if env := getenv(slackAPIURLEnv); env != "" && sc.APIURL == "" {
		sc.APIURL = env
	}
	if sc.APIURL != "" && !strings.HasSuffix(sc.APIURL, "/") {
		sc.APIURL += "/"
	}
	sc.Timeout, _ = duration("slack.timeout", cfg.Slack.Timeout, 30*time.Second)
	for aud, ch := range cfg.Slack.Channels {
		sc.Channels[billwatch.Audience(aud)] = ch
	}
	// Proposals and their deadlines matter to lobbying leads as much as to policy staff.
	sc.Routes = []slack.Route{{Kinds: []billwatch.Kind{billwatch.KindRegulationProposed, billwatch.KindDeadlineReminder}, Channel: channelFor(sc, billwatch.Lobbying)}}
	// Every value of [slack] was checked when the configuration was loaded (checkSlack).
	for _, r := range cfg.Slack.Routes {
		route := slack.Route{Channel: r.Channel, MinSeverity: billwatch.Severity(r.MinSeverity)}
		for _, k := range r.Kinds {
			route.Kinds = append(route.Kinds, billwatch.Kind(k))
		}
		sc.Routes = append(sc.Routes, route)
	}
	return sc, true, nil
}

func channelFor(sc slack.Config, aud billwatch.Audience) string {
	if ch, ok := sc.Channels[aud]; ok && ch != "" {
		return ch
	}
	return slack.DefaultChannels[aud]
}
