package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/siseri/siseri/backend/bench"
)

// benchCmd runs `siseri bench <name>`: benchmarks that need a real server
// (not timed tests; see make bench).
func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"usage : siseri bench fanout [options] (voir siseri help)"}
	}
	switch args[0] {
	case "fanout":
		return benchFanout(ctx, args[1:], stdout, stderr)
	case "fanout-clients":
		return benchFanoutClients(ctx, args[1:], stdout)
	}
	return usageError{fmt.Sprintf("banc d'essai inconnu %q", args[0])}
}

func benchFanout(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench fanout", flag.ContinueOnError)
	var c common
	c.register(fs)
	o := bench.FanoutOptions{}
	fs.IntVar(&o.Subscribers, "subscribers", 10000, "websocket subscribers")
	fs.IntVar(&o.Alerts, "alerts", 1000, "alerts raised")
	fs.Float64Var(&o.Rate, "rate", 50, "alerts per second")
	asJSON := fs.Bool("json", false, "print one JSON object")
	c.databaseURL = env("SISERI_DATABASE_URL", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	o.DatabaseURL = c.databaseURL
	self, err := os.Executable()
	if err != nil {
		return err
	}
	o.Self = self
	progress := stderr
	res, err := bench.Fanout(ctx, o, c.logger(io.Discard), progress)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "Base : %s, %d abonnés, %d alertes\n", res.Database, res.Subscribers, res.Alerts)
	fmt.Fprintf(stdout, "SISERI (validation → réception) : p50 %.1f ms, p99 %.1f ms, perdues %d\n", res.P50ms, res.P99ms, res.Lost)
	fmt.Fprintf(stdout, "Diffusion gorilla nue            : p50 %.1f ms, p99 %.1f ms, perdues %d\n", res.BaselineP50ms, res.BaselineP99ms, res.BaselineLost)
	fmt.Fprintf(stdout, "Rapport p99 : %.2f (objectif ≤ 2) ; mémoire par connexion : %.0f octets\n", res.P99Ratio, res.BytesPerConn)
	return nil
}

func benchFanoutClients(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench fanout-clients", flag.ContinueOnError)
	mode := fs.String("mode", "siseri", "siseri or bare")
	url := fs.String("url", "", "websocket URL")
	n := fs.Int("subscribers", 100, "clients")
	alerts := fs.Int("alerts", 10, "alerts expected")
	if err := parse(fs, args); err != nil {
		return err
	}
	return bench.FanoutClients(ctx, *mode, *url, os.Getenv("SISERI_BENCH_TOKEN"), *n, *alerts, os.Stdin, stdout)
}
