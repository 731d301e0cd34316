package main

import (
	"context"
	"fmt"

	"github.com/billwatch/billwatch/tracker"
)

func runCompact(ctx context.Context, g *globals, args []string) error {
	store, _, err := g.readStore()
	if err != nil {
		return err
	}
	lock, err := tracker.LockWriter(store.Path(), "compact", g.clock())
	if err != nil {
		return err
	}
	defer lock.Release()
	before, after, err := store.Compact()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "compacted %s: %d → %d bytes\n", store.Path(), before, after)
	return nil
}
