package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/billwatch/billwatch/notify/slack"
)

// runSlack is `billwatch slack test`: one test message to each configured channel.
func runSlack(ctx context.Context, g *globals, args []string) error {
	if len(args) != 1 || args[0] != "test" {
		return usageError("usage: billwatch slack test")
	}
	cfg, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	sc, ok, err := slackConfig(cfg, g.getenv, g.logger())
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("slack test: no token: set the environment variable %s (slack.token_env) to the bot token", cfg.Slack.TokenEnv)
	}
	s, err := slack.New(sc)
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range s.Test(ctx) {
		var auds []string
		for _, a := range r.Audiences {
			auds = append(auds, string(a))
		}
		if r.OK && r.History == nil {
			fmt.Fprintf(g.stdout, "%s (%s): ok, ts %s; history ok\n", r.Channel, strings.Join(auds, ", "), r.TS)
			continue
		}
		if r.OK {
			failed++
			fmt.Fprintf(g.stdout, "%s (%s): ok, ts %s; history FAILED: %v\n", r.Channel, strings.Join(auds, ", "), r.TS, r.History)
			continue
		}
		failed++
		why := r.Code
		if r.Err != nil {
			why = r.Err.Error()
		}
		fmt.Fprintf(g.stdout, "%s (%s): FAILED: %s\n", r.Channel, strings.Join(auds, ", "), why)
	}
	if failed > 0 {
		return fmt.Errorf("slack test: %d channel(s) failed", failed)
	}
	return nil
}
