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
	// A target that is a symbolic link is written through (the link stays); the target is
	// checked before the copy, and again by Backup.
	target, err := store.BackupTarget(args[0])
	if err != nil {
		return err
	}
	n, err := store.Backup(args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "backed up %s to %s (%d bytes)", store.Path(), args[0], n)
	if target != args[0] {
		fmt.Fprintf(g.stdout, ", through the link to %s", target)
	}
	if _, err := os.Stat(target + ".status.json"); err == nil {
		fmt.Fprintf(g.stdout, ", with the status file %s", target+".status.json")
	}
	fmt.Fprintln(g.stdout)
	return nil
}
