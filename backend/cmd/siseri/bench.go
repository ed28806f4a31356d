package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

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
	case "ingest":
		return benchIngest(ctx, args[1:], stdout, stderr)
	case "ingest-run":
		return benchIngestRun(ctx, args[1:], stdout)
	case "reads":
		return benchReads(ctx, args[1:], stdout, stderr)
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

func benchIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	var c common
	c.register(fs)
	o := bench.IngestOptions{}
	fs.IntVar(&o.Records, "records", 100000, "rows in the benchmark file")
	fs.BoolVar(&o.Keep, "keep", false, "keep the benchmark database")
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
	res, err := bench.Ingest(ctx, o, stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "Import de %d résultats (%d travailleurs), PostgreSQL\n", res.Records, res.Workers)
	fmt.Fprintf(stdout, "Chaîne complète (lecture, validation, COPY, détection, exposition) : %.0f lignes/s (%.1f s), mémoire maximale %.1f Mio\n",
		res.PipelineRowsPerS, res.PipelineSeconds, float64(res.PeakRSSBytes)/(1<<20))
	fmt.Fprintf(stdout, "Même chaîne sans détection                                      : %.0f lignes/s (%.1f s), mémoire maximale %.1f Mio\n",
		res.NoDetectionRowsPerS, res.NoDetectionSeconds, float64(res.NoDetectionPeakRSS)/(1<<20))
	fmt.Fprintf(stdout, "COPY brut dans une copie nue de la table des doses                : %.0f lignes/s (%.1f s)\n", res.CopyRowsPerS, res.CopySeconds)
	fmt.Fprintf(stdout, "COPY brut dans la table des doses (index, clés étrangères)      : %.0f lignes/s (%.1f s)\n", res.IndexedCopyRowsPerS, res.IndexedCopySeconds)
	fmt.Fprintf(stdout, "Rapport chaîne / COPY dans la table indexée : %.3f (objectif ≥ 0,5) ; chaîne / COPY nu : %.3f\n", res.IndexedRatio, res.Ratio)
	fmt.Fprintf(stdout, "Part de la détection dans la chaîne : %.0f %% (objectif ≤ 20 %%) ; surcoût contre la chaîne sans détection : %+.0f %% ; anomalies : %d\n",
		res.DetectionShare*100, res.DetectionCost*100, res.AnomaliesRaised)
	fmt.Fprintf(stdout, "Phases de la chaîne complète (s) :")
	for _, p := range []string{"parse", "lookup", "check", "write", "detect", "statistics", "exposure", "announce"} {
		fmt.Fprintf(stdout, " %s %.2f", p, res.Phases[p])
	}
	fmt.Fprintln(stdout)
	return nil
}

func benchIngestRun(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench ingest-run", flag.ContinueOnError)
	var c common
	c.register(fs)
	file := fs.String("file", "", "lab results file")
	ref := fs.String("reference", "bench", "batch reference")
	noDetect := fs.Bool("no-detection", false, "turn detection off")
	if err := parse(fs, args); err != nil {
		return err
	}
	return bench.IngestRun(ctx, c.databaseURL, *file, *ref, !*noDetect, stdout)
}

func benchReads(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench reads", flag.ContinueOnError)
	var c common
	c.register(fs)
	o := bench.ReadsOptions{}
	fs.IntVar(&o.Clients, "clients", 8, "concurrent clients")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "duration of each measured load")
	pages := fs.String("pages", "50,500", "AdviserWorkers page sizes, comma-separated")
	fs.StringVar(&o.Email, "email", "pcr@demo.siseri.fr", "adviser account")
	fs.StringVar(&o.Password, "password", "siseri-demo", "its password")
	fs.StringVar(&o.PhysicianEmail, "physician", "medecin@demo.siseri.fr", "physician account (FollowedWorkers, PhysicianWorkerFile); empty to skip")
	fs.StringVar(&o.AnalystEmail, "analyst", "analyste@demo.siseri.fr", "analyst account (NationalDoses); empty to skip")
	fs.IntVar(&o.MinScope, "min-scope", 1000, "grant the adviser a large establishment when they see fewer workers")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write CPU profiles of the SISERI loads to FILE.<scenario>.pprof")
	fs.BoolVar(&o.PostGraphile, "postgraphile", true, "also measure PostGraphile on the same tables (needs node and npm ci --prefix bench/postgraphile)")
	fs.StringVar(&o.PostGraphileDir, "postgraphile-dir", "", "PostGraphile install (default: bench/postgraphile of the repository)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	c.databaseURL = env("SISERI_SCALE_DATABASE_URL", env("SISERI_DATABASE_URL", ""))
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, p := range strings.Split(*pages, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 {
			return usageError{fmt.Sprintf("taille de page invalide %q", p)}
		}
		o.Pages = append(o.Pages, n)
	}
	o.DatabaseURL = c.databaseURL
	res, err := bench.Reads(ctx, o, c.logger(io.Discard), stderr)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "Base : %d travailleurs, %d résultats ; conseiller : %d travailleurs visibles (établissements %v%s) ; %d clients, %.0f s par mesure\n",
		res.Workers, res.DoseRecords, res.ScopeWorkers, res.Establishment, map[bool]string{true: ", habilitation ajoutée", false: ""}[res.GrantAdded], res.Clients, res.Seconds)
	fmt.Fprintf(stdout, "%-34s %10s %10s %10s %7s\n", "requête", "req/s", "p50 ms", "p99 ms", "erreurs")
	row := func(label string, s bench.ReadsScenario) {
		fmt.Fprintf(stdout, "%-34s %10.1f %10.1f %10.1f %7d\n", label, s.ReqPerS, s.P50ms, s.P99ms, s.Errors)
	}
	for _, p := range append(append([]bench.ReadsPage{}, res.Pages...), res.Scenarios...) {
		name := fmt.Sprintf("%s %d", p.Query, p.Page)
		row(name+", SISERI", p.SISERI)
		row(name+", SQL à la main", p.Hand)
		row(name+", SQL + audit", p.HandAudit)
		fmt.Fprintf(stdout, "  rapport SISERI / SQL : %.2f ; SISERI / SQL + audit : %.2f (objectif ≥ 0,67) ; mêmes lignes : %s\n",
			p.RatioHand, p.RatioHandAudit, map[bool]string{true: "oui", false: "non"}[p.SameIDs])
		printOthers(stdout, row, name, p)
	}
	row("{ __typename }, SISERI", res.Typename)
	if pg := res.PostGraphileTypename; pg != nil {
		printOthers(stdout, row, "{ __typename }", bench.ReadsPage{SISERI: res.Typename,
			Others: map[string]bench.ReadsScenario{bench.PostGraphileBaseline: *pg},
			Ratios: map[string]float64{bench.PostGraphileBaseline: ratio(res.Typename.ReqPerS, pg.ReqPerS)}})
	}
	fmt.Fprintf(stdout, "Note : %s\n", res.Note)
	return nil
}

// printOthers prints the further baselines of a read (PostGraphile) and
// SISERI's ratio to each.
func printOthers(w io.Writer, row func(string, bench.ReadsScenario), label string, p bench.ReadsPage) {
	for _, name := range slices.Sorted(maps.Keys(p.Others)) {
		shown, goal := name, ""
		if name == bench.PostGraphileBaseline {
			shown, goal = "PostGraphile", " (objectif ≥ 2)"
		}
		row(label+", "+shown, p.Others[name])
		fmt.Fprintf(w, "  rapport SISERI / %s : %.2f%s\n", shown, p.Ratios[name], goal)
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
