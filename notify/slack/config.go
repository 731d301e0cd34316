package slack

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/internal/lazyre"
)

// DefaultAPIURL is Slack's own Web API base; BILLWATCH_SLACK_API_URL or slack.api_url replaces it.
const DefaultAPIURL = "https://slack.com/api/"

// DefaultTimeout bounds one HTTP request to Slack; slack-go's own client has no timeout at all.
const DefaultTimeout = 30 * time.Second

// DefaultChannels is where each audience's alerts go when [slack.channels] does not say.
var DefaultChannels = map[billwatch.Audience]string{
	billwatch.Policy:   "#billwatch",
	billwatch.Lobbying: "#billwatch-hearings",
	billwatch.Members:  "#billwatch-amendments",
	billwatch.Ops:      "#billwatch-ops",
}

// Config is what the sink needs to post to Slack. cmd/billwatch fills it from the config file and
// the environment; the Token never leaves the sink (String, GoString and LogValue redact it).
type Config struct {
	// Token is the bot token (xoxb-…), read from the variable named by slack.token_env.
	Token string
	// APIURL is the Web API base, ending in "/" (one is added if missing). Empty means Slack's.
	APIURL string
	// Channels maps each audience to a channel name ("#billwatch") or ID ("C0123ABCD"). A
	// missing audience takes its default from DefaultChannels.
	Channels map[billwatch.Audience]string
	// Routes send some alerts to extra channels, or to other channels instead of their
	// audience's; see Route.
	Routes []Route
	// Mention is the group to notify on urgent alerts: "<!subteam^S123>", "@here", "@channel"
	// or a user ("<@U123>"). It is configured, so trusted; empty mentions no one.
	Mention string
	// Timeout bounds each HTTP request; zero means DefaultTimeout.
	Timeout time.Duration
	// Logger receives failures and outcomes; nil discards them.
	Logger *slog.Logger
	// HTTPClient replaces the HTTP client (tests). Its Timeout is set from Timeout when zero.
	HTTPClient *http.Client
}

// Route sends alerts that match it to Channel. An alert matches when its kind is one of Kinds
// (none means every kind) and its severity is at least MinSeverity (empty means any). A route
// adds Channel to the alert's channels, or with Replace, routes the alert there instead of
// its audience's channel.
type Route struct {
	Kinds       []billwatch.Kind
	MinSeverity billwatch.Severity
	Channel     string
	Replace     bool
}

// matches reports whether the route takes alert a.
func (r Route) matches(a billwatch.Alert) bool {
	if len(r.Kinds) > 0 && !slices.Contains(r.Kinds, a.Kind) {
		return false
	}
	return r.MinSeverity == "" || severityRank(a.Severity) >= severityRank(r.MinSeverity)
}

// severityRank orders severities; an unknown one counts as info.
func severityRank(s billwatch.Severity) int {
	switch s {
	case billwatch.Urgent:
		return 2
	case billwatch.Action:
		return 1
	}
	return 0
}

var (
	channelName = lazyre.New(`^#[a-z0-9][a-z0-9._-]{0,79}$`)
	channelID   = lazyre.New(`^[CGD][A-Z0-9]{6,}$`)
	mentionRe   = lazyre.New(`^<(!subteam\^[A-Z0-9]+|!here|!channel|!everyone|@[UW][A-Z0-9]+)(\|[^<>&|]*)?>$`)
)

// String redacts the token so that printing a Config (%v, %s, %+v) never shows it.
func (c Config) String() string {
	token := "unset"
	if c.Token != "" {
		token = "[REDACTED]"
	}
	return fmt.Sprintf("slack.Config{Token: %s, APIURL: %q, Channels: %v, Routes: %v, Mention: %q, Timeout: %s}",
		token, redactURL(c.APIURL), c.Channels, c.Routes, c.Mention, c.Timeout)
}

// GoString redacts the token for %#v as String does for %v.
func (c Config) GoString() string { return c.String() }

// LogValue redacts the token when a Config is logged with slog.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("token_set", c.Token != ""),
		slog.String("api_url", redactURL(c.APIURL)),
		slog.Any("channels", c.Channels),
		slog.String("mention", c.Mention),
		slog.Duration("timeout", c.Timeout),
	)
}

// redactURL hides a password a user may have put in a URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "[unparsable url]"
	}
	return u.Redacted()
}

// validChannel reports whether s is a channel name or ID chat.postMessage accepts.
func validChannel(s string) bool { return channelName.MatchString(s) || channelID.MatchString(s) }

// CheckChannel says why s is not a channel that chat.postMessage accepts, or returns nil. The
// error quotes s as given, for a message that names the key before it.
func CheckChannel(s string) error {
	if validChannel(s) {
		return nil
	}
	if s == "" {
		return errors.New("no channel given (want a channel name such as \"#billwatch\" or an ID such as \"C0123ABCD\")")
	}
	return fmt.Errorf("%q is not a channel name (# then lower-case letters, digits, '-', '_' or '.') or ID (e.g. C0123ABCD)", s)
}

// CheckAPIURL says why s is not a usable Web API base (an http or https URL with a host), or
// returns nil. The error quotes s as given, unless it holds a password.
func CheckAPIURL(s string) error {
	u, err := url.Parse(s)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return nil
	}
	return fmt.Errorf("%s is not an http or https URL (e.g. \"https://slack.com/api/\")", quoteURL(s))
}

// quoteURL quotes s as the user wrote it, but hides a password it may hold.
func quoteURL(s string) string {
	u, err := url.Parse(s)
	if err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return strconv.Quote(u.Redacted())
		}
	}
	if strings.Contains(s, "@") {
		return "the value (not shown: it may hold a password)"
	}
	return strconv.Quote(s)
}

// ParseMention turns a configured mention into Slack's markup ("@here" → "<!here>"); "" is
// no mention. The error quotes s.
func ParseMention(s string) (string, error) {
	switch m := strings.TrimSpace(s); {
	case m == "":
		return "", nil
	case m == "@here" || m == "@channel" || m == "@everyone":
		return "<!" + m[1:] + ">", nil
	case mentionRe.MatchString(m):
		return m, nil
	default:
		return "", fmt.Errorf("%q is not a Slack mention (want <!subteam^ID>, <@U…>, @here or @channel)", m)
	}
}

// settings is a validated, defaulted Config.
type settings struct {
	token    string
	apiURL   string
	channels map[billwatch.Audience]string
	routes   []Route
	mention  string
	timeout  time.Duration
	logger   *slog.Logger
	client   *http.Client
}

// validate checks cfg and fills in its defaults. Its errors name the config key at fault and
// never quote the token.
func validate(cfg Config) (settings, error) {
	s := settings{token: strings.TrimSpace(cfg.Token), timeout: cfg.Timeout, logger: cfg.Logger}
	if s.token == "" {
		return s, errors.New("slack: no bot token (set the variable named by slack.token_env)")
	}
	if strings.ContainsAny(s.token, " \t\r\n") {
		return s, errors.New("slack: the bot token (slack.token_env) contains white space")
	}
	s.apiURL = cfg.APIURL
	if s.apiURL == "" {
		s.apiURL = DefaultAPIURL
	}
	if err := CheckAPIURL(s.apiURL); err != nil {
		return s, fmt.Errorf("slack.api_url: %w", err)
	}
	if !strings.HasSuffix(s.apiURL, "/") {
		s.apiURL += "/"
	}
	s.channels = make(map[billwatch.Audience]string, len(DefaultChannels))
	for aud, ch := range DefaultChannels {
		s.channels[aud] = ch
	}
	for aud, ch := range cfg.Channels {
		if !slices.Contains(billwatch.Audiences, aud) {
			return s, fmt.Errorf("slack.channels.%s: unknown audience (want one of policy, lobbying, members, ops)", aud)
		}
		if ch == "" {
			continue
		}
		if err := CheckChannel(ch); err != nil {
			return s, fmt.Errorf("slack.channels.%s: %w", aud, err)
		}
		s.channels[aud] = ch
	}
	for i, r := range cfg.Routes {
		key := fmt.Sprintf("slack.routes[%d]", i)
		if err := CheckChannel(r.Channel); err != nil {
			return s, fmt.Errorf("%s.channel: %w", key, err)
		}
		for _, k := range r.Kinds {
			if !slices.Contains(billwatch.Kinds, k) {
				return s, fmt.Errorf("%s.kinds: unknown alert kind %q", key, k)
			}
		}
		switch r.MinSeverity {
		case "", billwatch.Info, billwatch.Action, billwatch.Urgent:
		default:
			return s, fmt.Errorf("%s.min_severity: unknown severity %q (want info, action or urgent)", key, r.MinSeverity)
		}
		r.Kinds = slices.Clone(r.Kinds)
		s.routes = append(s.routes, r)
	}
	var err error
	if s.mention, err = ParseMention(cfg.Mention); err != nil {
		return s, fmt.Errorf("slack.mention: %w", err)
	}
	if s.timeout < 0 {
		return s, fmt.Errorf("slack.timeout: %s is negative", s.timeout)
	}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		s.client = &c
	} else {
		s.client = &http.Client{}
	}
	if s.client.Timeout == 0 {
		s.client.Timeout = s.timeout
	}
	return s, nil
}
