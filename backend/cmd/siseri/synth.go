package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/synth"
)

// synthCmd writes a synthetic population (ANOMALY.md §3) of a parameter
// family (the calibrated reference or a held-out family) into a directory: declarations, lab results, operational dosimetry,
// establishments, laboratories and the labels of injected anomalies.
func synthCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	workers := fs.Int("workers", 10000, "number of workers")
	months := fs.Int("months", 24, "number of months")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "output directory")
	start := fs.String("start", synth.DefaultStart.Format("2006-01"), "first month, YYYY-MM")
	family := fs.String("family", synth.FamilyReference, "parameter family: "+strings.Join(synth.Families(), ", "))
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"synth : l'option --out DOSSIER est obligatoire"}
	}
	if *workers <= 0 || *months <= 0 {
		return usageError{"synth : --workers et --months doivent être strictement positifs"}
	}
	first, err := time.Parse("2006-01", *start)
	if err != nil {
		return usageError{fmt.Sprintf("synth : mois de début invalide %q (format AAAA-MM attendu)", *start)}
	}
	if _, err := synth.LookupFamily(*family); err != nil {
		return usageError{fmt.Sprintf("synth : famille inconnue %q (familles : %s)", *family, strings.Join(synth.Families(), ", "))}
	}
	t0 := time.Now()
	s, err := synth.Generate(synth.Options{Workers: *workers, Months: *months, Seed: *seed, Start: first, Family: *family}, synth.DirSink(*out))
	if err != nil {
		return fmt.Errorf("synth : %w", err)
	}
	fmt.Fprintf(stdout, "Population synthétique (famille %s) écrite dans %s en %s : %d travailleurs, %d établissements, %d déclarations, %d résultats de laboratoire, %d résultats de dosimétrie opérationnelle, %d anomalies injectées.\n",
		*family, *out, time.Since(t0).Round(time.Millisecond), s.Workers, s.Establishments, s.Declarations, s.LabResults, s.Operational, s.Labels)
	for _, k := range synth.LabelKinds {
		fmt.Fprintf(stdout, "  %-32s %d\n", k, s.LabelsByKind[k])
	}
	return nil
}
