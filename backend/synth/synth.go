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
// Generation is deterministic for a family and a seed (one PCG stream per
// worker) and streams: memory holds the workers' state and one month of
// rows, never the whole history.
//
// # Families
//
// Options.Family names a parameter set (Family, family.go). "reference" (the
// default) is the calibrated population above, the one the detector was
// developed on: its output for a seed is byte for byte what the generator
// wrote before families existed (family_test.go). The held-out families
// "terrain-a" and "terrain-b" were never used to tune the detector; each
// draws its own parameter values from its ParamSeed (the same for every
// seed) and mixes its SeedSalt into the seed (its workers are not the
// reference's), and adds what field data has and the reference lacks:
//
//   - Own exposure parameters: each context's medians ×0.5–2 (one
//     log-uniform factor per context), its p0 shifted by up to ±0.10/±0.15,
//     its σ_w drawn in 0.6–1.1 (a) or 0.5–1.25 (b) instead of 0.8; missing
//     results at 2 % (a) or 5 % (b) instead of 3 %.
//   - A third of the employments declared without sector or job (secteur and
//     metier empty: a: 20 % both, 13 % job only; b: 15 % and 18 %), the
//     propensity varying by employer (×0.7–1.3). Mislabelled employments
//     always carry their (wrong) codes.
//   - Laboratories that behave differently: each laboratory has its own
//     recording threshold for Hp(10) and Hp(3) (0.05, 0.10 or 0.20 mSv;
//     five times that for Hp(0.07)), rounding step (0.01, 0.05 or 0.1 mSv),
//     unit (mSv or µSv), decimal point or comma, shortest or fixed (2 or 3)
//     decimals, "M" or "0" below the threshold, and wearing period of
//     category B badges (monthly, bimonthly or quarterly); every variant
//     is dealt to at least one laboratory, and all are accepted by
//     docs/formats.md. A missing result is summed into the next period only
//     when both fit in the 3 months the format accepts.
//   - Legitimate shifts, never labelled: an establishment's doses change for
//     all its workers from a month on (8 % (a) or 12 % (b) of the
//     establishments, ×0.4–×2.5, never within ×1/1.5–1.5: a new device or
//     procedure); 2 (a) or 3 (b) laboratories change dosimeter model in the
//     middle half of the window (their recording threshold changes from that
//     month on); 2 (a) or 3 (b) contexts a year have a campaign whose doses
//     triple for everyone over 2–3 consecutive months, on top of outages.
//   - Employers who declare the wrong job: 3 % of the workers (CONTEXT_MISLABEL,
//     episode over their employments, as in the reference). 40 % (a) or
//     50 % (b) of them keep the true sector and declare another of its jobs:
//     doses cannot contradict those (same exposure model) and a detector is
//     not expected to find them. The others declare a job of a context of
//     another sector whose whole-body median differs at least fourfold from
//     the true one (a nuclear contractor declared as dental staff), so the
//     doses of an exposed worker contradict the declaration; an unexposed
//     worker's (p0) cannot.
//   - Enough labels per kind: AnomalyScale (12 (a), 10 (b)) multiplies the
//     reference rates of beam, swap, contamination and zero-run anomalies;
//     Rates sets unit errors (6e-3 (a), 7e-3 (b) per non-zero record),
//     drift (15 % (a), 16 % (b) of eligible workers), zero runs (18 % (b))
//     and passive/operational
//     discrepancies (12 %, 15 % of monthly controlled-zone records with a
//     true dose ≥ 0.25 (a) or 0.4 (b) mSv), so that the scored second year
//     of 3,000 workers × 24 months holds about 20 labels of each kind. Zero runs ("badge not worn") may hit
//     any exposed worker whose main median is ≥ 0.3 mSv, not only PIR and
//     nuclear medicine; computed aircrew doses neither drift nor zero-run.
//     At 3,000 workers × 24 months every kind has ≥ 20 labels in terrain-a.
//   - Swapped dosimeters stay within an establishment and period, but 60 %
//     (a) or 50 % (b) of the swaps look for a partner whose recorded level
//     clearly differs (the larger ≥ 0.5 mSv and ≥ 4 times the other), the
//     nearest in the month's rows; when none exists (an establishment of
//     low doses) and for the other swaps, the partner is a neighbour as in
//     the reference. About a third of the pairs end up clearly different,
//     the others are mostly invisible in the data.
//   - Drift episodes fall in seasonal contexts too (outages, NDT campaigns,
//     the family's campaigns), so a drift detector must follow seasonality.
//   - A unit error "mSv value sent as µSv" writes the value in mSv with the
//     µSv unit (the reference writes value/1000 with µSv, kept for
//     byte-identity).
//
// The labels keep the reference's header, kinds, scopes and onsets.
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
