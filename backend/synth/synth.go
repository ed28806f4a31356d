// Package synth generates a calibrated synthetic population for the SISERI
// registry (ANOMALY.md §3): employer declarations, passive dosimetry results,
// operational dosimetry and a labels file of injected anomalies, in the
// import formats of the registry (Declarations v1, Lab results v1,
// Operational v1).
//
// The model, per exposure context (sector × job × monitoring kind): a worker
// is exposed with probability 1 − p0; an exposed worker's latent annual dose
// is lognormal (median, σ_b), persistent from year to year (AR(1), ρ = 0.7,
// with a common factor across the worker's monitoring kinds), capped; it is
// spread over the months by a seasonal profile (outages, August, campaigns,
// academic calendar, solar cycle) and a per-month lognormal noise (σ_w = 0.8);
// wearing periods are monthly (category A) or quarterly (category B); the
// recorded value is 0 (written "M") below the recording threshold and rounded
// to the reporting step above it. Controlled-zone contexts also get weekly
// operational dosimetry, a_wt = d_wt · LN(0, 0.2).
//
// Injected anomalies (ANOMALY.md §3.1) are written to labels.csv with the
// detector's kind codes (backend/anomaly/finding.go):
//
//	unit error (×1000 or ÷1000)            PROBABLE_UNIT_ERROR      record
//	dosimeter in beam / irradiated unworn  CONTEXT_OUTLIER          record
//	swapped dosimeters (two labels)        HISTORY_JUMP             record
//	contamination (Hp(0.07) ≫ Hp(10))      POSSIBLE_CONTAMINATION   record
//	gradual drift                          HISTORY_DRIFT            episode
//	zero run (badge not worn)              ZERO_RUN                 episode
//	missing, late or summed result         MISSING_RESULT           record
//	operational dosimeter not worn         PASSIVE_OPERATIONAL_DISCREPANCY record
//	context mislabel (wrong job/sector)    CONTEXT_MISLABEL         episode
//
// CONTEXT_MISLABEL has no detector kind: it is generated with its own code.
// In labels.csv, true_usv and recorded_usv are the true and the recorded dose
// in µSv (summed over the episode for episodes); recorded_usv is empty when
// nothing was recorded (missing result) and both are empty for a mislabel.
// onset is the date the anomaly first becomes visible in the data: the end of
// its (first) wearing period.
//
// lab-results.csv is in transmission order: month by month, sorted by
// fin_periode within a month; a late result comes in the month it arrives
// (1 to 3 months after its period), so it is the only row whose fin_periode
// is earlier than the previous row's month. Each row's dosimeter serial starts
// with its laboratory's code (laboratories.csv).
//
// Generation is deterministic for a seed (one PCG stream per worker) and
// streams: memory holds the workers' state and one month of rows, never the
// whole history.
package synth

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// File names written by Generate.
const (
	FileDeclarations   = "declarations.csv"
	FileLabResults     = "lab-results.csv"
	FileOperational    = "operational.csv"
	FileEstablishments = "establishments.csv"
	FileLaboratories   = "laboratories.csv"
	FileLabels         = "labels.csv"
)

// Headers of the files.
var (
	HeaderDeclarations   = []string{"siret", "nir", "nom", "prenom", "date_naissance", "sexe", "date_debut", "date_fin", "type_contrat", "secteur", "metier", "categorie"}
	HeaderLabResults     = []string{"nir", "nom", "prenom", "date_naissance", "siret", "dosimetre", "type_suivi", "grandeur", "debut_periode", "fin_periode", "resultat", "unite", "radionucleide", "commentaire"}
	HeaderOperational    = []string{"nir", "nom", "prenom", "siret", "dosimetre", "debut", "fin", "resultat", "unite"}
	HeaderEstablishments = []string{"siret", "raison_sociale", "region"}
	HeaderLaboratories   = []string{"code", "nom"}
	HeaderLabels         = []string{"id", "kind", "scope", "nir", "siret", "type_suivi", "grandeur", "debut_periode", "fin_periode", "true_usv", "recorded_usv", "onset"}
)

// Label kinds: the detector's codes (backend/anomaly/finding.go), and one of
// our own for the kind the detector lacks.
const (
	LabelUnitError     = "PROBABLE_UNIT_ERROR"
	LabelBeam          = "CONTEXT_OUTLIER"
	LabelSwap          = "HISTORY_JUMP"
	LabelContamination = "POSSIBLE_CONTAMINATION"
	LabelDrift         = "HISTORY_DRIFT"
	LabelZeroRun       = "ZERO_RUN"
	LabelMissing       = "MISSING_RESULT"
	LabelDiscrepancy   = "PASSIVE_OPERATIONAL_DISCREPANCY"
	LabelMislabel      = "CONTEXT_MISLABEL"
)

// LabelKinds lists every injected kind.
var LabelKinds = []string{LabelUnitError, LabelBeam, LabelSwap, LabelContamination, LabelDrift,
	LabelZeroRun, LabelMissing, LabelDiscrepancy, LabelMislabel}

// Options configure a generation.
type Options struct {
	Workers int
	Months  int
	Seed    uint64
	Start   time.Time // first month (day 1, UTC)
	// Family is the parameter set (Families); "" is the reference.
	Family string
}

// DefaultStart is the first month when none is given.
var DefaultStart = time.Date(2023, time.January, 1, 0, 0, 0, 0, time.UTC)

// Summary counts what a generation wrote.
type Summary struct {
	Workers, Establishments, Declarations, LabResults, Operational, Labels int
	LabelsByKind                                                           map[string]int
}

// Sink opens the output files.
type Sink interface {
	Create(name string) (io.WriteCloser, error)
}

// DirSink writes files into a directory, created if needed.
type DirSink string

// Create creates the file name in the directory.
func (d DirSink) Create(name string) (io.WriteCloser, error) {
	if err := os.MkdirAll(string(d), 0o755); err != nil {
		return nil, err
	}
	return os.Create(filepath.Join(string(d), name))
}

// MemSink keeps files in memory (tests).
type MemSink map[string]*bytes.Buffer

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

// Create returns a buffer for name.
func (m MemSink) Create(name string) (io.WriteCloser, error) {
	b := &bytes.Buffer{}
	m[name] = b
	return nopCloser{b}, nil
}

// Generate writes a synthetic population into sink.
func Generate(opts Options, sink Sink) (Summary, error) {
	if opts.Workers <= 0 || opts.Months <= 0 {
		return Summary{}, fmt.Errorf("synth: workers and months must be positive")
	}
	if opts.Start.IsZero() {
		opts.Start = DefaultStart
	}
	opts.Start = time.Date(opts.Start.Year(), opts.Start.Month(), 1, 0, 0, 0, 0, time.UTC)
	g, err := newGenerator(opts, sink)
	if err != nil {
		return Summary{}, err
	}
	defer g.closeAll()
	if err := g.run(); err != nil {
		return Summary{}, err
	}
	if err := g.closeAll(); err != nil {
		return Summary{}, err
	}
	return g.summary, nil
}

// sortRows orders a month of rows by period end, keeping generation order
// for ties.
func sortRows[T any](rows []T, end func(T) time.Time) {
	sort.SliceStable(rows, func(i, j int) bool { return end(rows[i]).Before(end(rows[j])) })
}
