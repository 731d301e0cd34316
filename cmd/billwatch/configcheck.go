package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/notify/slack"
	"github.com/billwatch/billwatch/tracker"
)

// checkSlack checks every value of [slack] when the configuration is loaded, whether or not a
// token is set, so that a configuration every command accepted today is not refused the day a
// token is added. Each error names the key (as written in the file: routes are counted from 0)
// and quotes the value as given.
func (c *Config) checkSlack() error {
	if c.Slack.TokenEnv == "" {
		c.Slack.TokenEnv = "SLACK_BOT_TOKEN"
	}
	if err := checkTokenEnv(c.Slack.TokenEnv); err != nil {
		return err
	}
	if c.Slack.APIURL != "" {
		if err := slack.CheckAPIURL(c.Slack.APIURL); err != nil {
			return fmt.Errorf("slack.api_url: %w", err)
		}
	}
	if _, err := slack.ParseMention(c.Slack.Mention); err != nil {
		return fmt.Errorf("slack.mention: %w", err)
	}
	if _, err := duration("slack.timeout", c.Slack.Timeout, 30*time.Second); err != nil {
		return err
	}
	for _, aud := range slices.Sorted(maps.Keys(c.Slack.Channels)) {
		if !slices.Contains(billwatch.Audiences, billwatch.Audience(aud)) {
			return fmt.Errorf("slack.channels.%s: unknown audience (want policy, lobbying, members or ops)", aud)
		}
		if ch := c.Slack.Channels[aud]; ch != "" {
			if err := slack.CheckChannel(ch); err != nil {
				return fmt.Errorf("slack.channels.%s: %w", aud, err)
			}
		}
	}
	for i, r := range c.Slack.Routes {
		key := fmt.Sprintf("slack.routes[%d]", i)
		if err := slack.CheckChannel(r.Channel); err != nil {
			return fmt.Errorf("%s.channel: %w", key, err)
		}
		for _, k := range r.Kinds {
			if !slices.Contains(billwatch.Kinds, billwatch.Kind(k)) {
				return fmt.Errorf("%s.kinds: unknown alert kind %q (want one of %s)", key, k, kindList())
			}
		}
		switch billwatch.Severity(r.MinSeverity) {
		case "", billwatch.Info, billwatch.Action, billwatch.Urgent:
		default:
			return fmt.Errorf("%s.min_severity: unknown severity %q (want info, action or urgent)", key, r.MinSeverity)
		}
	}
	for i, ch := range c.Slack.Digest.Channels {
		if err := slack.CheckChannel(ch); err != nil {
			return fmt.Errorf("slack.digest.channels[%d]: %w", i, err)
		}
	}
	if _, _, err := c.digestTime(); err != nil {
		return err
	}
	return nil
}

// slackAPIURLEnv is the environment variable that replaces Slack's Web API base (a stand-in
// server) when slack.api_url is not set.
const slackAPIURLEnv = "BILLWATCH_SLACK_API_URL"

// checkSlackEnv checks the Slack settings that come from the environment; its errors name the
// variable, not a key the operator never wrote.
func checkSlackEnv(getenv func(string) string) error {
	if env := getenv(slackAPIURLEnv); env != "" {
		if err := slack.CheckAPIURL(env); err != nil {
			return fmt.Errorf("environment variable %s: %w", slackAPIURLEnv, err)
		}
	}
	return nil
}

func kindList() string {
	names := make([]string, len(billwatch.Kinds))
	for i, k := range billwatch.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// checkWatch checks each [watch] list with the check `watch add` uses (tracker.WatchValue),
// so that the file and the command line accept the same values.
func (c *Config) checkWatch() error {
	deref := func(l *[]string) []string {
		if l == nil {
			return nil
		}
		return *l
	}
	for _, x := range []struct {
		key, kind string
		list      []string
	}{
		{"bills", tracker.WatchBill, c.Watch.Bills},
		{"keywords", tracker.WatchKeyword, deref(c.Watch.Keywords)},
		{"exclude", tracker.WatchKeyword, deref(c.Watch.Exclude)},
		{"committees", tracker.WatchCommittee, deref(c.Watch.Committees)},
		{"departments", tracker.WatchDepartment, deref(c.Watch.Departments)},
		{"acts", tracker.WatchAct, deref(c.Watch.Acts)},
		{"provisions", tracker.WatchProvision, c.Watch.Provisions},
	} {
		for i, v := range x.list {
			if _, err := tracker.WatchValue(x.kind, v); err != nil {
				return fmt.Errorf("watch.%s[%d]: %w", x.key, i, err)
			}
		}
	}
	return nil
}
