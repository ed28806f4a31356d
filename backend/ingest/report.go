// Package ingest reads the exchange formats of docs/formats.md (laboratory
// results, declarations, operational dosimetry): it parses and validates each
// row on its own into plain data (a dosimetry.Dose with the identity and
// SIRET it claims, a declaration, an operational result) and reports every
// problem with its line, column, value and a stable code. It touches no
// database: backend/registry checks the parsed rows against the registry
// and records them (Importer), failing rows through Row.Fail so that its
// problems read like the parser's.
package ingest

import (
	"fmt"
	"sort"
	"time"
	"unicode/utf8"
)

// Format is an exchange format.
type Format string

// Exchange formats.
const (
	LabResults   Format = "LAB_RESULTS"
	Declarations Format = "DECLARATIONS"
	Operational  Format = "OPERATIONAL"
)

// ParseFormat reads a format from its code or its command-line spelling
// (lab-results, declarations, operational).
func ParseFormat(s string) (Format, error) {
	switch s {
	case "LAB_RESULTS", "lab-results":
		return LabResults, nil
	case "DECLARATIONS", "declarations":
		return Declarations, nil
	case "OPERATIONAL", "operational":
		return Operational, nil
	}
	return "", fmt.Errorf("format inconnu %q (formats admis : lab-results, declarations, operational)", s)
}

// Columns returns the header of the format, in order.
func (f Format) Columns() []string {
	switch f {
	case LabResults:
		return labColumns
	case Declarations:
		return declColumns
	case Operational:
		return opColumns
	}
	return nil
}

// earlierWidths are the column counts of the format's earlier versions,
// whose files are still accepted: laboratory results v1 lacks v2's last
// column, date_reception.
func (f Format) earlierWidths() []int {
	if f == LabResults {
		return []int{len(labColumns) - 1}
	}
	return nil
}

// Label is the French name of the format.
func (f Format) Label() string {
	switch f {
	case LabResults:
		return "résultats de laboratoire"
	case Declarations:
		return "déclarations"
	case Operational:
		return "dosimétrie opérationnelle"
	}
	return string(f)
}

// Batch statuses (ImportBatch.status).
const (
	StatusAccepted = "ACCEPTED"
	StatusPartial  = "PARTIAL"
	StatusRejected = "REJECTED"
	StatusDryRun   = "DRY_RUN"
)

// MaxProblems is how many problems a report lists; ProblemCount has the total.
const MaxProblems = 10000

// Problem severities (Problem.Severity).
const (
	// SeverityError rejects the row.
	SeverityError = "ERROR"
	// SeverityWarning reports something about a row that is accepted and
	// written all the same (a value rounded to the µSv…).
	SeverityWarning = "WARNING"
)

// Problem is one problem of one row. Reports stored before severities
// existed have no severity: registry.ReportOf reads them back as errors.
type Problem struct {
	Line     int    `json:"line"`
	Column   string `json:"column,omitempty"`
	Value    string `json:"value,omitempty"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

// IsWarning reports whether p is a warning (anything else is an error).
func (p Problem) IsWarning() bool { return p.Severity == SeverityWarning }

// ClassCount is the number of doses of the batch in a dose class.
type ClassCount struct {
	Class string `json:"class"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Report is the execution report of a batch.
type Report struct {
	BatchID         int          `json:"batchId,omitempty"`
	Reference       string       `json:"reference"`
	Format          Format       `json:"format"`
	Status          string       `json:"status"`
	DryRun          bool         `json:"dryRun"`
	Replayed        bool         `json:"replayed"`
	RowsTotal       int          `json:"rowsTotal"`
	RowsAccepted    int          `json:"rowsAccepted"`
	RowsRejected    int          `json:"rowsRejected"`
	Problems        []Problem    `json:"problems"`
	ProblemCount    int          `json:"problemCount"`
	WarningCount    int          `json:"warningCount"`
	DoseClasses     []ClassCount `json:"doseClasses"`
	AnomaliesRaised int          `json:"anomaliesRaised"`
	// ConstraintNoticesRaised counts the notices of dose constraints
	// crossed, which are not anomalies.
	ConstraintNoticesRaised int `json:"constraintNoticesRaised"`
	WorkersCreated          int `json:"workersCreated"`
	EmploymentsCreated      int `json:"employmentsCreated"`
	// Phases is the time spent in each phase of the import (parse, lookup,
	// check, write, detect, statistics, exposure), for benchmarks.
	Phases map[string]time.Duration `json:"-"`
}

// Rejected reports whether rows were refused.
func (r *Report) Rejected() bool { return r.RowsRejected > 0 }

// add counts p (errors and warnings; warnings also in WarningCount) and
// lists it among the first MaxProblems. A problem without severity is an
// error.
func (r *Report) add(p Problem) {
	if p.Severity == "" {
		p.Severity = SeverityError
	}
	r.ProblemCount++
	if p.IsWarning() {
		r.WarningCount++
	}
	if len(r.Problems) < MaxProblems {
		p.Value = clip(p.Value, maxValueBytes)
		p.Message = clip(p.Message, maxMessageBytes)
		r.Problems = append(r.Problems, p)
	}
}

// A report quotes at most this much of a value, and of a message: lines run
// up to MaxLineBytes, and a report lists up to MaxProblems problems.
const (
	maxValueBytes   = 1024
	maxMessageBytes = 2048
)

// clip shortens s to at most n bytes, cut between characters and ending
// with « … » when it is cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	n -= len("…")
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func (r *Report) sortProblems() {
	sort.SliceStable(r.Problems, func(i, j int) bool { return r.Problems[i].Line < r.Problems[j].Line })
}

// Dose classes of the national annual report (thresholds in µSv, upper bound
// inclusive).
var doseClasses = []struct {
	code, label string
	upTo        int64
}{
	{"BELOW_THRESHOLD", "Inférieure au seuil d'enregistrement", 0},
	{"FROM_0_1_TO_1", "Du seuil d'enregistrement à 1 mSv", 1000},
	{"FROM_1_TO_6", "De 1 à 6 mSv", 6000},
	{"FROM_6_TO_15", "De 6 à 15 mSv", 15000},
	{"FROM_15_TO_20", "De 15 à 20 mSv", 20000},
	{"ABOVE_20", "Supérieure à 20 mSv", -1},
}

type classCounter struct {
	counts [7]int // the classes, then ABSENT
}

func (c *classCounter) add(usv int64, absent bool) {
	if absent {
		c.counts[len(doseClasses)]++
		return
	}
	for i, cl := range doseClasses {
		if cl.upTo < 0 || usv <= cl.upTo {
			c.counts[i]++
			return
		}
	}
}

func (c *classCounter) list() []ClassCount {
	out := make([]ClassCount, 0, len(doseClasses)+1)
	for i, cl := range doseClasses {
		out = append(out, ClassCount{Class: cl.code, Label: cl.label, Count: c.counts[i]})
	}
	return append(out, ClassCount{Class: "ABSENT", Label: "Absence de résultat déclarée", Count: c.counts[len(doseClasses)]})
}
