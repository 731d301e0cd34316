package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A command that only reads and prints runs without signal handlers (an interrupt ends it at
// once, and it does not pay for os/signal's thread at start-up); every other command arms them
// before it runs, so that it stops cleanly.
func TestSignalsArmedUnlessReadOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args  []string
		armed bool
	}{
		{[]string{"version"}, false},
		{[]string{"help"}, false},
		{[]string{"bills", "-h"}, false},
		{[]string{"bills"}, false},
		{[]string{"status", "--json"}, false},
		{[]string{"alerts"}, false},
		{[]string{"check"}, false},
		{[]string{"diff", "a.xml", "b.xml"}, false},
		{[]string{"backup"}, true},
		{[]string{"compact"}, true},
		{[]string{"watch", "list"}, true},
		{[]string{"scrape", "nosuchsource"}, true},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		cfg := filepath.Join(dir, "billwatch.toml")
		if err := os.WriteFile(cfg, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		armed := false
		ctx := context.WithValue(t.Context(), armKey{}, func() { armed = true })
		args := append([]string{"--config", cfg, "--db", filepath.Join(dir, "billwatch.db")}, tt.args...)
		_ = runEnv(ctx, args, func(string) string { return "" }, io.Discard, io.Discard)
		if armed != tt.armed {
			t.Errorf("billwatch %v: signal handlers armed = %v, want %v", tt.args, armed, tt.armed)
		}
	}
}

// Once armed, SIGINT cancels the command's context instead of ending the process; a context
// that was never armed installs nothing.
func TestSignalContext(t *testing.T) {
	ctx, stop := signalContext(context.Background())
	defer stop()
	armSignals(ctx)
	armSignals(ctx) // arming twice installs one handler
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the armed context within 10s")
	}
	// Arming a context of another kind does nothing (the in-process tests' contexts).
	armSignals(t.Context())
}
