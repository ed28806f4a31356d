package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/siseri/siseri/backend/eval"
)

// detectUsage is the usage line of `siseri detect`.
const detectUsage = "usage : siseri detect eval --dir DOSSIER [--json] [--database-url URL]"

// detectCmd runs `siseri detect eval --dir DIR` (or `siseri detect eval
// DIR`): the detector's evaluation on a synthetic population (ANOMALY.md
// §5), replayed through a SISERI server started on a loopback port.
func detectCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "eval" {
		return usageError{detectUsage}
	}
	fs := flag.NewFlagSet("detect eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dbURL := fs.String("database-url", env("SISERI_DATABASE_URL", ""), "postgres://… (base temporaire créée à côté) ; sinon SQLite temporaire")
	asJSON := fs.Bool("json", false, "print one JSON object")
	jsonFile := fs.String("json-file", "", "also write the JSON object to this file")
	quiet := fs.Bool("quiet", false, "no progress lines")
	warmup := fs.Int("warmup", 12, "months replayed but not scored")
	dirFlag := fs.String("dir", "", "directory written by siseri synth")
	// The directory may come before or after the options.
	rest := args[1:]
	var dir string
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		dir, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return usageError{fmt.Sprintf("detect eval : %v", err)}
	}
	if *dirFlag != "" {
		if dir != "" && dir != *dirFlag {
			return usageError{"detect eval : deux dossiers donnés (--dir et argument)"}
		}
		dir = *dirFlag
	}
	if dir == "" && fs.NArg() > 0 {
		dir = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("detect eval : argument inattendu %q", fs.Arg(0))}
	}
	if dir == "" {
		return usageError{detectUsage}
	}
	o := eval.Options{Dir: dir, DatabaseURL: *dbURL, WarmupMonths: *warmup}
	if path := env("SISERI_EVAL_DEBUG", ""); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		o.Debug = f
	}
	if !*quiet {
		o.Progress = stderr
	}
	res, err := eval.Evaluate(ctx, o)
	if err != nil {
		return err
	}
	if *jsonFile != "" {
		f, err := os.Create(*jsonFile)
		if err != nil {
			return err
		}
		err = json.NewEncoder(f).Encode(res)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	eval.Print(stdout, res)
	return nil
}
