package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/billwatch/billwatch/calendar"
	"github.com/billwatch/billwatch/law"
	"github.com/billwatch/billwatch/tracker"
	"github.com/billwatch/billwatch/web"
)

// defaultListen is where `serve` listens without --listen or [web] listen: loopback only.
const defaultListen = "127.0.0.1:8080"

func serveCommand() command {
	var listen string
	return command{
		name: "serve", args: "[--listen ADDR]",
		summary: "the web interface: this week's board, bills and their diffs, hearings, regulations, alerts",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&listen, "listen", "", "address `ADDR` to listen on (default [web] listen, else "+defaultListen+")")
		},
		run: func(ctx context.Context, g *globals, args []string) error {
			cfg, err := loadConfig(g.config)
			if err != nil {
				return err
			}
			addr := firstNonEmpty(listen, cfg.Web.Listen, defaultListen)
			if err := checkListen(addr); err != nil {
				return usageError("--listen %q: %v", addr, err)
			}
			if err := checkServable(g.dbPath()); err != nil {
				return err
			}
			h, err := webHandler(g, cfg, g.clock, g.logger())
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			if err := checkExposure(cfg, g.dbPath(), addr, ln.Addr()); err != nil {
				ln.Close()
				return err
			}
			fmt.Fprintf(g.stdout, "billwatch: serving http://%s/ from %s (Ctrl-C stops)\n", ln.Addr(), g.dbPath())
			return serveHTTP(ctx, ln, h, g.logger())
		},
	}
}

// checkServable checks the whole database before `serve` starts, as `run` does: a damaged
// file (or one this billwatch cannot read) stops it with one line, rather than a server that
// answers 500 on every page. A database not yet created is served (its pages say how to
// create it), and one another process holds for long is checked by the pages as they come.
func checkServable(db string) error {
	store, err := tracker.OpenReadOnly(db)
	if err != nil {
		if errors.Is(err, tracker.ErrNoDatabase) {
			return nil
		}
		return err
	}
	if err := store.Check(); err != nil && !errors.Is(err, tracker.ErrNoDatabase) && !errors.Is(err, tracker.ErrBusy) {
		return err
	}
	return nil
}

// checkListen checks a listen address: HOST:PORT. Beyond loopback, checkExposure also
// requires accounts or header authentication.
func checkListen(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("want HOST:PORT, e.g. 127.0.0.1:8080")
	}
	return nil
}

// checkExposure refuses to serve beyond loopback without a way to sign in: accounts (at
// least one exists) or header authentication from a trusted proxy. given is the address as
// the operator wrote it, which the error names (the listener's own, [::]:8099 for
// 0.0.0.0:8099, would not be what they typed).
func checkExposure(cfg *Config, db, given string, addr net.Addr) error {
	ta, ok := addr.(*net.TCPAddr)
	if !ok || ta.IP.IsLoopback() || cfg.Web.Auth == web.AuthHeader {
		return nil
	}
	if store, err := tracker.OpenReadOnly(db); err == nil {
		if has, err := store.HasUsers(); err == nil && has {
			return nil
		}
	}
	return fmt.Errorf("web: %s is reachable beyond this machine, and no account exists in %s: create one first (billwatch user add NAME --role admin), or set [web] auth = \"header\" behind a proxy that signs people in", given, db)
}

// webHandler builds the web interface on the database, with the calendar of `billwatch calendar`.
func webHandler(g *globals, cfg *Config, now func() time.Time, log *slog.Logger) (http.Handler, error) {
	db := g.dbPath()
	auth, err := webAuth(cfg)
	if err != nil {
		return nil, err
	}
	s, err := web.New(web.Options{
		DB: db, Sources: sourceNames(), Now: now, Log: log, PublicURL: cfg.Web.PublicURL,
		Auth: auth, ConfigWatch: configWatch(cfg),
		Writer: func() (*tracker.Tracker, error) {
			store, err := tracker.OpenExisting(db)
			if err != nil {
				return nil, err
			}
			t := tracker.New(store, cfg.profile(), log)
			t.Now = now
			return t, nil
		},
		BillJSON: func(b tracker.StoredBill) (any, error) {
			store, err := tracker.OpenReadOnly(db)
			if err != nil {
				return nil, err
			}
			return showJSON(store, b)
		},
		Law: func(billXML []byte) (*law.Result, error) {
			store, err := tracker.OpenReadOnly(db)
			if err != nil {
				return nil, err
			}
			return storedLaw(store, cfg, billXML)
		},
		Calendar: func(w io.Writer, at time.Time) error {
			store, err := tracker.OpenReadOnly(db)
			if err != nil {
				return err
			}
			events, err := calendarEvents(store, at)
			if err != nil {
				return err
			}
			return calendar.WriteAt(w, calendarName, at, events)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.Handler(), nil
}

// serveHTTP serves h on ln until ctx ends, then lets requests under way finish.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// startWeb serves the web interface for `run` when [web] listen is set; wait returns once ctx
// has ended and the server has stopped.
func startWeb(ctx context.Context, g *globals, a *app) (wait func() error, err error) {
	addr := a.cfg.Web.Listen
	if addr == "" {
		return func() error { return nil }, nil
	}
	h, err := webHandler(g, a.cfg, a.tracker.Now, a.log)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if err := checkExposure(a.cfg, g.dbPath(), addr, ln.Addr()); err != nil {
		ln.Close()
		return nil, err
	}
	a.log.Info("web interface", "listen", ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- serveHTTP(ctx, ln, h, a.log) }()
	return func() error { return <-done }, nil
}
