package main

import (
	"context"
	"fmt"
	"os"
)

func runBackup(ctx context.Context, g *globals, args []string) error {
	if len(args) != 1 {
		return usageError("backup takes one file name, e.g. billwatch backup billwatch-2026-11-24.db")
	}
	store, _, err := g.readStore()
	if err != nil {
		return err
	}
	n, err := store.Backup(args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "backed up %s to %s (%d bytes)", store.Path(), args[0], n)
	if _, err := os.Stat(args[0] + ".status.json"); err == nil {
		fmt.Fprintf(g.stdout, ", with the status file %s", args[0]+".status.json")
	}
	fmt.Fprintln(g.stdout)
	return nil
}
