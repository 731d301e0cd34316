// Command billwatch watches Canadian federal legislation on national security and civil
// liberties: bills and their texts, committee hearings and Gazette regulations, with alerts on
// Slack. See README.md for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/billwatch/billwatch/internal/text"
	_ "time/tzdata" // Eastern time must be right on machines without zoneinfo.
)

func main() {
	ctx, stop := signalContext(context.Background())
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// armKey is the context key of the function that arms the signal handlers.
type armKey struct{}

// signalContext returns a context that SIGINT or SIGTERM cancels, so that a command stops
// cleanly, once armSignals has been called on it; a second signal kills at once. Until then
// no handler is installed and a signal ends the process as it ends any: os/signal's watcher
// costs its own thread, about a sixth of the start-up of a command that only reads and
// prints, and such a command has nothing to finish (runEnv arms every other). stop cancels
// the context and removes the handlers.
func signalContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	var once sync.Once
	arm := func() {
		once.Do(func() {
			sctx, unnotify := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			go func() {
				<-sctx.Done()
				unnotify() // a second signal kills at once
				cancel()
			}()
		})
	}
	return context.WithValue(ctx, armKey{}, arm), cancel
}

// armSignals installs the SIGINT and SIGTERM handlers of a context from signalContext; on any
// other context it does nothing.
func armSignals(ctx context.Context) {
	if arm, ok := ctx.Value(armKey{}).(func()); ok {
		arm()
	}
}

// exitError carries an exit status other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// exitCode prints err as one line and returns the process status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "billwatch:", text.Terminal(oneLine(err.Error())))
	return code
}
