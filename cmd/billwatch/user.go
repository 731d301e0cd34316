package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/billwatch/billwatch/tracker"
	"github.com/billwatch/billwatch/web"
)

// defaultSiteURL is where sign-in links point when no public address is configured: the
// web interface's default listen address.
const defaultSiteURL = "http://127.0.0.1:8080"

func userCommand() command {
	var role, site string
	return command{
		name: "user", args: "add NAME --role viewer|editor|admin | list | rm NAME | link NAME | feeds NAME",
		summary: "web accounts; add (and link) print a one-time sign-in URL as the last line, feeds new private calendar and feed links",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&role, "role", "", "the account's `ROLE`: viewer, editor or admin (add)")
			fs.StringVar(&site, "url", "", "the web interface's public `URL` for sign-in and subscription links (default: [web] public_url, else "+defaultSiteURL+")")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			if len(args) == 0 {
				return usageError("user needs a subcommand: add NAME --role ROLE, list, rm NAME, link NAME or feeds NAME")
			}
			base, err := signinBase(g, site)
			if err != nil {
				return err
			}
			switch args[0] {
			case "list":
				if len(args) != 1 {
					return usageError("user list takes no arguments, got %q", args[1])
				}
				store, _, err := g.readStore()
				if err != nil {
					return err
				}
				users, err := store.Users()
				if err != nil {
					return err
				}
				if len(users) == 0 {
					fmt.Fprintln(g.stdout, "no accounts yet: billwatch user add NAME --role editor")
					return nil
				}
				w := table(g.stdout)
				fmt.Fprintln(w, "NAME\tROLE\tCREATED\tPASSWORD")
				for _, u := range users {
					pw := "not set (sign-in link pending)"
					if u.PasswordHash != "" {
						pw = "set " + u.PasswordSet.Format("2006-01-02")
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Created.Format("2006-01-02"), pw)
				}
				return w.Flush()
			case "add", "rm", "link", "feeds":
				if len(args) != 2 {
					return usageError("user %s takes one name, e.g. billwatch user %s lea", args[0], args[0])
				}
				name := args[1]
				if err := tracker.CheckUserName(name); err != nil {
					return inputError(err)
				}
				switch {
				case args[0] == "add" && role == "":
					return usageError("user add needs --role viewer, editor or admin")
				case args[0] == "add" && !slices.Contains(tracker.Roles, role):
					return usageError("role %q: want viewer, editor or admin", role)
				}
				store, _, err := writeStore(g)
				if err != nil {
					return err
				}
				switch args[0] {
				case "add":
					u, token, err := store.AddUser(name, role, g.clock())
					if err != nil {
						return inputError(err)
					}
					fmt.Fprintf(g.stdout, "user %s added as %s; the link below lets them set a password once, within %s:\n", u.Name, u.Role, fmt.Sprintf("%d hours", int(tracker.SigninTTL.Hours())))
					fmt.Fprintln(g.stdout, signinURL(base, token))
				case "link":
					token, err := store.SigninLink(name, g.clock())
					if err != nil {
						return inputError(err)
					}
					fmt.Fprintf(g.stdout, "a new one-time sign-in link for %s, valid %s:\n", name, fmt.Sprintf("%d hours", int(tracker.SigninTTL.Hours())))
					fmt.Fprintln(g.stdout, signinURL(base, token))
				case "feeds":
					key, err := store.NewFeedKey(name, g.clock())
					if err != nil {
						return inputError(err)
					}
					l := web.Links(base, key)
					fmt.Fprintf(g.stdout, "new private subscription links for %s, which read the calendar and the alerts' feed as %s (any previous ones stop working; add &audience=policy, lobbying, members or ops to the feed's to narrow it):\n", name, name)
					fmt.Fprintln(g.stdout, l.Calendar)
					fmt.Fprintln(g.stdout, l.Feed)
				case "rm":
					if err := store.RemoveUser(name); err != nil {
						return inputError(err)
					}
					fmt.Fprintf(g.stdout, "user %s removed, with their sessions and subscription links\n", name)
					return printOwned(g.stdout, store, name)
				}
				return nil
			default:
				return usageError("unknown user subcommand %q (want add, list, rm, link or feeds)", args[0])
			}
		},
	}
}

// signinBase is the site sign-in links point to: --url, else the configured public URL.
func signinBase(g *globals, site string) (string, error) {
	if site == "" {
		cfg, err := loadConfig(g.config)
		if err != nil {
			return "", err
		}
		site = firstNonEmpty(publicURL(cfg), defaultSiteURL)
	}
	u, err := url.Parse(site)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usageError("--url %q: want the web interface's address, e.g. https://billwatch.example.org", site)
	}
	return strings.TrimSuffix(site, "/"), nil
}

func signinURL(base, token string) string { return base + "/signin?token=" + token }

// publicURL is the web interface's public address from the configuration ("" when unset).
func publicURL(cfg *Config) string { return cfg.Web.PublicURL }

// webAuth reads [web] auth, header and trusted_proxies.
func webAuth(cfg *Config) (web.Auth, error) {
	a := web.Auth{Mode: firstNonEmpty(cfg.Web.Auth, web.AuthAccounts), Header: cfg.Web.Header}
	switch a.Mode {
	case web.AuthAccounts:
	case web.AuthHeader:
		if a.Header == "" {
			a.Header = "X-Forwarded-User"
		}
		if len(cfg.Web.TrustedProxies) == 0 {
			return a, fmt.Errorf("web.auth = \"header\" needs web.trusted_proxies: the addresses of the proxy that sets %s", a.Header)
		}
	default:
		return a, fmt.Errorf("web.auth = %q: want \"accounts\" or \"header\"", a.Mode)
	}
	p, err := web.ParseProxies(cfg.Web.TrustedProxies)
	if err != nil {
		return a, fmt.Errorf("web.%v", err)
	}
	a.TrustedProxies = p
	return a, nil
}

// configWatch is the configuration's watch profile as watch-list items, for the web page.
func configWatch(cfg *Config) []tracker.WatchItem {
	p := cfg.profile()
	var out []tracker.WatchItem
	for _, x := range []struct {
		kind string
		list []string
	}{{tracker.WatchBill, p.Bills}, {tracker.WatchKeyword, p.Keywords}, {tracker.WatchCommittee, p.Committees}, {tracker.WatchDepartment, p.Departments}, {tracker.WatchAct, p.Acts}, {tracker.WatchProvision, cfg.Watch.Provisions}} {
		for _, v := range x.list {
			out = append(out, tracker.WatchItem{Kind: x.kind, Value: v})
		}
	}
	return out
}
