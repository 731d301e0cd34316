package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/billwatch/billwatch/internal/lazyre"
	"github.com/billwatch/billwatch/internal/text"
	"github.com/billwatch/billwatch/schedule"
	"github.com/billwatch/billwatch/scraper"
	"github.com/billwatch/billwatch/tracker"
	"github.com/billwatch/billwatch/web"
)

// Config is billwatch.toml. Every key is optional; unknown keys are an error naming the key.
type Config struct {
	Session string            `toml:"session"` // the current session, "45-1"
	Sites   map[string]string `toml:"sites"`
	Fetch   struct {
		Delay      string `toml:"delay"`
		Timeout    string `toml:"timeout"`
		MaxBodyMiB int    `toml:"max_body_mib"`
	} `toml:"fetch"`
	Watch struct {
		Keywords    *[]string `toml:"keywords"`
		Exclude     *[]string `toml:"exclude"`
		Committees  *[]string `toml:"committees"`
		Bills       []string  `toml:"bills"`
		Departments *[]string `toml:"departments"`
		Acts        *[]string `toml:"acts"`
		Provisions  []string  `toml:"provisions"` // "Canadian Security Intelligence Service Act s. 21", "C-23 s. 12.1"
	} `toml:"watch"`
	// Acts pins an Act's title, as bills name it, to its consolidated code: "Telecommunications Act" = "T-3.4".
	Acts     map[string]string `toml:"acts"`
	Hearings struct {
		House        *[]string `toml:"house"`         // House and joint committees whose meeting lists are read
		Senate       *[]string `toml:"senate"`        // Senate committees whose schedules are read
		ReminderHour *int      `toml:"reminder_hour"` // hour (Eastern) of the day before a hearing when its reminder is due
	} `toml:"hearings"`
	Regulations struct {
		ReminderDays []int `toml:"reminder_days"`
	} `toml:"regulations"`
	Slack struct {
		TokenEnv string            `toml:"token_env"`
		APIURL   string            `toml:"api_url"`
		Mention  string            `toml:"mention"`
		Timeout  string            `toml:"timeout"`
		Channels map[string]string `toml:"channels"`
		Routes   []struct {
			Kinds       []string `toml:"kinds"`
			MinSeverity string   `toml:"min_severity"`
			Channel     string   `toml:"channel"`
		} `toml:"routes"`
		Digest struct {
			Channels []string `toml:"channels"` // these channels get their info alerts as one message a day
			At       string   `toml:"at"`       // "17:00", Eastern
		} `toml:"digest"`
	} `toml:"slack"`
	// Schedule is keyed by source name (sources), plus "jitter".
	Schedule map[string]string `toml:"schedule"`
	Daemon   struct {
		Listen         string `toml:"listen"`
		Calendar       string `toml:"calendar"`
		UnhealthyAfter int    `toml:"unhealthy_after"`
	} `toml:"daemon"`
	Web struct {
		Listen    string `toml:"listen"`     // `run` serves the web interface here when set
		PublicURL string `toml:"public_url"` // where people reach it: alerts link here
		// Auth is "accounts" (default) or "header": trust Header from TrustedProxies.
		Auth           string   `toml:"auth"`
		Header         string   `toml:"header"`
		TrustedProxies []string `toml:"trusted_proxies"`
	} `toml:"web"`

	// Resolved values.
	delay, timeout time.Duration
	source         string // the file read, or "built-in defaults"
	// unhealthySet says that the file gives daemon.unhealthy_after, so that 0 there is refused
	// rather than taken for "not set".
	unhealthySet bool
}

var sessionRe = lazyre.New(`^\d{2}-\d$`)

var actCodeRe = lazyre.New(`^[A-Z]{1,2}-\d+(?:\.\d+)*[A-Z]?$`)

var envNameRe = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// checkTokenEnv checks slack.token_env, the NAME of the variable holding the bot token. A value
// that is not a variable name may be the token itself, pasted in the wrong place: it is never
// repeated in the error, which may end up in a log or a support ticket.
func checkTokenEnv(name string) error {
	if envNameRe.MatchString(name) {
		return nil
	}
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "xox") || strings.HasPrefix(lower, "xapp-") || strings.Contains(lower, "hooks.slack.com") {
		return errors.New("slack.token_env holds what looks like a Slack token (not shown here), where the NAME of an environment variable belongs: " +
			"put the token in the environment (e.g. SLACK_BOT_TOKEN=xoxb-… in /etc/billwatch/env), write token_env = \"SLACK_BOT_TOKEN\", and revoke the token that was written in the file")
	}
	return errors.New("slack.token_env is not the name of an environment variable (letters, digits and _, e.g. \"SLACK_BOT_TOKEN\"); the value is not shown in case it is a secret")
}

// DefaultSession is the session billwatch follows when the configuration names none.
const DefaultSession = "45-1"

// loadConfig reads path (or ./billwatch.toml if it exists and path is ""), then checks it.
func loadConfig(path string) (*Config, error) {
	cfg := &Config{source: "built-in defaults"}
	explicit := path != ""
	if !explicit {
		if _, err := os.Stat("billwatch.toml"); err == nil {
			path = "billwatch.toml"
		}
	}
	if path != "" {
		md, err := toml.DecodeFile(path, cfg)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("config %s: file not found", path)
			}
			var perr toml.ParseError
			if errors.As(err, &perr) {
				return nil, fmt.Errorf("config %s: line %d: %s", path, perr.Position.Line, oneLine(perr.Message))
			}
			if msg, ok := typeError(err); ok {
				return nil, fmt.Errorf("config %s: %s", path, msg)
			}
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			keys := make([]string, len(und))
			for i, k := range und {
				keys[i] = k.String()
			}
			return nil, fmt.Errorf("config %s: unknown key %s", path, strings.Join(keys, ", "))
		}
		cfg.source = path
		cfg.unhealthySet = md.IsDefined("daemon", "unhealthy_after")
	}
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("config %s: %w", cfg.source, err)
	}
	return cfg, nil
}

var tomlTypeRe = lazyre.New(`^toml: (?:line (\d+) )?\(last key "([^"]+)"\): incompatible types: TOML value has type ([^;]+); destination has type (.+)$`)

// typeError rewrites the TOML library's type mismatch ("incompatible types: TOML value has
// type int64; destination has type string") in the user's words, naming the key.
func typeError(err error) (string, bool) {
	m := tomlTypeRe.FindStringSubmatch(err.Error())
	if m == nil {
		return "", false
	}
	got := map[bool]string{true: "a number", false: "a value of another kind"}[strings.HasPrefix(m[3], "int") || strings.HasPrefix(m[3], "float")]
	switch {
	case m[3] == "string":
		got = "text"
	case m[3] == "bool":
		got = "true or false"
	case strings.HasPrefix(m[3], "[]"):
		got = "a list"
	case strings.HasPrefix(m[3], "map"):
		got = "a table"
	case strings.Contains(m[3], "time"):
		got = "a date"
	}
	want := map[string]string{
		"string": "text in quotes", "integer": "a whole number without quotes",
		"slice": `a list in brackets, e.g. ["…", "…"]`, "boolean": "true or false",
		"float": "a number", "map": "a table, e.g. [slack.channels]",
	}[m[4]]
	if want == "" {
		want = "another kind of value"
	}
	where := ""
	if m[1] != "" {
		where = "line " + m[1] + ": "
	}
	return fmt.Sprintf("%s%s is %s; it must be %s", where, m[2], got, want), true
}

func (c *Config) check() error {
	if c.Session == "" {
		c.Session = DefaultSession
	}
	if !sessionRe.MatchString(c.Session) {
		return fmt.Errorf("session = %q: want PARLIAMENT-SESSION, e.g. \"45-1\"", c.Session)
	}
	for site, u := range c.Sites {
		if _, ok := scraper.DefaultBases[site]; !ok {
			return fmt.Errorf("sites.%s: unknown site (want one of %s)", site, strings.Join(siteNames(), ", "))
		}
		if err := checkBase(u); err != nil {
			return fmt.Errorf("sites.%s: %v", site, err)
		}
	}
	for title, code := range c.Acts {
		if !actCodeRe.MatchString(code) {
			return fmt.Errorf("acts.%q = %q: not an Act code (write e.g. \"T-3.4\")", title, code)
		}
	}
	if err := c.checkWatch(); err != nil {
		return err
	}
	var err error
	if c.delay, err = duration("fetch.delay", c.Fetch.Delay, time.Second); err != nil {
		return err
	}
	if c.timeout, err = duration("fetch.timeout", c.Fetch.Timeout, 60*time.Second); err != nil {
		return err
	}
	if c.timeout == 0 {
		return fmt.Errorf("fetch.timeout = %q: must be more than 0s", c.Fetch.Timeout)
	}
	if c.Fetch.MaxBodyMiB < 0 {
		return fmt.Errorf("fetch.max_body_mib = %d: must be positive", c.Fetch.MaxBodyMiB)
	}
	if h := c.Hearings.ReminderHour; h != nil && (*h < 0 || *h > 23) {
		return fmt.Errorf("hearings.reminder_hour = %d: want an hour from 0 to 23", *h)
	}
	if c.Regulations.ReminderDays == nil {
		c.Regulations.ReminderDays = []int{7, 2}
	}
	for _, d := range c.Regulations.ReminderDays {
		if d < 0 || d > 365 {
			return fmt.Errorf("regulations.reminder_days: %d is not a number of days from 0 to 365", d)
		}
	}
	if err := c.checkSlack(); err != nil {
		return err
	}
	if _, err := duration("schedule.jitter", c.Schedule["jitter"], 0); err != nil {
		return err
	}
	keys := slices.Sorted(maps.Keys(c.Schedule))
	for _, key := range keys {
		if _, ok := sourceNamed(key); !ok && key != "jitter" {
			return fmt.Errorf("unknown key schedule.%s (want %s)", key, oneOf(append(sourceNames(), "jitter")))
		}
	}
	for _, key := range keys {
		spec := c.Schedule[key]
		if key == "jitter" || spec == "" {
			continue
		}
		if _, err := schedule.Parse(spec); err != nil {
			return fmt.Errorf("schedule.%s: %v", key, err)
		}
	}
	if c.Daemon.UnhealthyAfter < 0 || c.unhealthySet && c.Daemon.UnhealthyAfter == 0 {
		return fmt.Errorf("daemon.unhealthy_after = %d: must be 1 or more", c.Daemon.UnhealthyAfter)
	}
	if c.Daemon.UnhealthyAfter == 0 {
		c.Daemon.UnhealthyAfter = 3
	}
	if c.Daemon.Listen == "" {
		c.Daemon.Listen = "127.0.0.1:9464"
	}
	if c.Web.Listen != "" {
		if err := checkListen(c.Web.Listen); err != nil {
			return fmt.Errorf("web.listen = %q: %v", c.Web.Listen, err)
		}
	}
	if c.Web.PublicURL, err = web.CheckPublicURL(c.Web.PublicURL); err != nil {
		return fmt.Errorf("web.public_url = %w", err)
	}
	if _, err := webAuth(c); err != nil {
		return err
	}
	return nil
}

func duration(key, s string, def time.Duration) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s = %q: not a duration (write e.g. \"1s\", \"500ms\", \"2m\")", key, s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%s = %q: must not be negative", key, s)
	}
	return d, nil
}

// profile builds the watch profile: the defaults, with each list the config gives replacing
// the default list.
func (c *Config) profile() tracker.Profile {
	p := tracker.DefaultProfile()
	set := func(dst *[]string, src *[]string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&p.Keywords, c.Watch.Keywords)
	set(&p.Exclude, c.Watch.Exclude)
	set(&p.Committees, c.Watch.Committees)
	set(&p.Departments, c.Watch.Departments)
	set(&p.Acts, c.Watch.Acts)
	p.Bills = c.Watch.Bills
	return p
}

// senateCommittees are the acronyms of Senate committees, to split the watched committees
// between the House and Senate scrapers when the config does not.
var senateCommittees = map[string]bool{
	"AEFA": true, "AGFO": true, "APPA": true, "ARCT": true, "BANC": true, "CIBA": true, "CONF": true,
	"ENEV": true, "LCJC": true, "NFFN": true, "OLLO": true, "POFO": true, "RIDR": true, "RPRD": true,
	"SECD": true, "SOCI": true, "TRCM": true, "VEAC": true,
}

// committees returns the House (and joint) and Senate committees whose meetings are read.
func (c *Config) committees() (house, senate []string) {
	if c.Hearings.House != nil {
		house = *c.Hearings.House
	}
	if c.Hearings.Senate != nil {
		senate = *c.Hearings.Senate
	}
	if c.Hearings.House == nil || c.Hearings.Senate == nil {
		for _, acr := range c.profile().Committees {
			acr = strings.ToUpper(acr)
			if senateCommittees[acr] {
				if c.Hearings.Senate == nil {
					senate = append(senate, acr)
				}
			} else if c.Hearings.House == nil {
				house = append(house, acr)
			}
		}
	}
	return house, senate
}

// dbPath resolves the database: --db, then $BILLWATCH_DB, then ./billwatch.db.
func (g *globals) dbPath() string {
	if g.db != "" {
		return g.db
	}
	if env := g.getenv("BILLWATCH_DB"); env != "" {
		return env
	}
	return "billwatch.db"
}

// bases merges the config's [sites] with --base-url (the flag wins).
func (g *globals) basesFor(cfg *Config) map[string]string {
	m := map[string]string{}
	for k, v := range cfg.Sites {
		m[k] = v
	}
	for k, v := range g.bases {
		m[k] = v
	}
	return m
}

// reminderPlan is when reminders fall due.
func (c *Config) reminderPlan() tracker.ReminderPlan {
	p := tracker.DefaultReminders
	if c.Hearings.ReminderHour != nil {
		p.HearingHour = *c.Hearings.ReminderHour
	}
	p.DeadlineDays = c.Regulations.ReminderDays
	return p
}

// scheduleFor is a source's schedule spec: the config's, else the source's default.
func (c *Config) scheduleFor(src source) string {
	return firstNonEmpty(c.Schedule[src.name], src.schedule)
}

// readStore checks the configuration (so that a bad value is reported by every command) and
// opens the database for reading.
func (g *globals) readStore() (*tracker.Store, *Config, error) {
	cfg, err := loadConfig(g.config)
	if err != nil {
		return nil, nil, err
	}
	store, err := tracker.OpenReadOnly(g.dbPath())
	if err == nil {
		store.OnSkip(g.warnSkipped)
	}
	return store, cfg, err
}

// warnSkipped says, in one line on stderr, that a listing skipped a record it cannot decode,
// and lists the others.
func (g *globals) warnSkipped(b tracker.BadRecord) {
	fmt.Fprintln(g.stderr, "billwatch: warning:", text.Terminal(oneLine(fmt.Sprintf("skipped record %s of bucket %s in %s: it cannot be decoded (%s); the database is damaged, see `billwatch check`", b.Key, b.Bucket, g.dbPath(), b.Problem))))
}

// digestTime is the hour and minute of the Slack digest.
func (c *Config) digestTime() (hour, minute int, err error) {
	at := c.Slack.Digest.At
	if at == "" {
		return 17, 0, nil
	}
	t, err := time.Parse("15:04", at)
	if err != nil {
		return 0, 0, fmt.Errorf("slack.digest.at = %q: want a time of day such as \"17:00\" (Eastern)", at)
	}
	return t.Hour(), t.Minute(), nil
}

// digests are the Slack channels whose info alerts come as one message a day.
func (c *Config) digests() []tracker.Digest {
	h, m, _ := c.digestTime()
	var out []tracker.Digest
	for _, ch := range c.Slack.Digest.Channels {
		out = append(out, tracker.Digest{Sink: "slack", Channel: ch, Hour: h, Minute: m})
	}
	return out
}
