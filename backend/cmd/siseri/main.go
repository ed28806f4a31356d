// Command siseri is SISERI's single binary: serve, migrate, seed, and the
// commands later capabilities add.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "siseri:", err)
		os.Exit(exitCode(err))
	}
}
