package synth

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

// Establishment is a generated establishment, as GenerateRows emits it.
type Establishment struct {
	Index              int
	SIRET, Name        string
	Region, Laboratory string // region name; code of its dosimetry laboratory
}

// Employment is one declared employment of a generated worker. Sector and
// Job are the declared codes (they differ from the true context on a
// mislabel); End is the last day, nil while it lasts.
type Employment struct {
	Establishment int
	Start         time.Time
	End           *time.Time
	Contract      string // CDI, CDD or INTERIM (the declarations' spelling)
	Sector, Job   string
	Category      byte // 'A' or 'B'
	Kinds         []dosimetry.MonitoringKind
}

// Worker is a generated worker with their employments in time order.
type Worker struct {
	Index               int
	NIR                 string
	LastName, FirstName string
	Birth               time.Time
	Sex                 byte // 'M' or 'F'
	Employments         []Employment
}

// LabResult is one passive dosimetry result as the registry stores it: the
// value in µSv and its status (MEASURED, BELOW_THRESHOLD for « M », ABSENT).
type LabResult struct {
	Worker, Establishment int
	Laboratory, Serial    string
	Kind                  dosimetry.MonitoringKind
	Quantity              string
	Start, End            time.Time
	USv                   int64
	Status                string
	Radionuclide, Comment string
}

// OperationalResult is one weekly operational dosimetry result.
type OperationalResult struct {
	Worker, Establishment int
	Serial                string
	Start, End            time.Time
	USv                   int64
}

// RowSink receives a generation as values: every establishment, then every
// worker with their employments, then the results month by month in
// transmission order. An error stops the generation.
type RowSink interface {
	Establishment(Establishment) error
	Worker(Worker) error
	LabResult(LabResult) error
	Operational(OperationalResult) error
}

// GenerateRows generates a synthetic population like Generate, but hands the
// rows to rows as values instead of writing the exchange files (the labels
// of injected anomalies are not kept). The data are the same as Generate's
// for the same options.
func GenerateRows(opts Options, rows RowSink) (Summary, error) {
	if opts.Workers <= 0 || opts.Months <= 0 {
		return Summary{}, fmt.Errorf("synth: workers and months must be positive")
	}
	if opts.Start.IsZero() {
		opts.Start = DefaultStart
	}
	opts.Start = time.Date(opts.Start.Year(), opts.Start.Month(), 1, 0, 0, 0, 0, time.UTC)
	g, err := newGenerator(opts, discardSink{})
	if err != nil {
		return Summary{}, err
	}
	g.rows = rows
	defer g.closeAll()
	for i, e := range g.ests {
		if err := rows.Establishment(Establishment{Index: i, SIRET: e.siret, Name: e.name, Region: e.region, Laboratory: e.lab}); err != nil {
			return Summary{}, err
		}
	}
	for _, w := range g.workers {
		out := Worker{Index: w.idx, NIR: w.nir, LastName: w.nom, FirstName: w.prenom, Birth: w.birth, Sex: w.sex}
		for _, em := range w.emps {
			e := Employment{Establishment: em.est, Start: em.start, End: em.end, Contract: em.contract,
				Sector: em.declSector, Job: em.declJob, Category: em.cat}
			for _, ks := range em.kinds {
				k, err := dosimetry.ParseMonitoringKind(ks.exp.kind)
				if err != nil {
					return Summary{}, err
				}
				e.Kinds = append(e.Kinds, k)
			}
			out.Employments = append(out.Employments, e)
		}
		if err := rows.Worker(out); err != nil {
			return Summary{}, err
		}
	}
	if err := g.run(); err != nil {
		return Summary{}, err
	}
	if g.rowErr != nil {
		return Summary{}, g.rowErr
	}
	return g.summary, g.closeAll()
}

// emitLab hands a lab row to the row sink.
func (g *generator) emitLab(r labRow) {
	if g.rowErr != nil {
		return
	}
	kind, err := dosimetry.ParseMonitoringKind(r.kind)
	if err != nil {
		g.rowErr = err
		return
	}
	out := LabResult{Worker: r.w.idx, Establishment: r.est, Laboratory: g.ests[r.est].lab, Serial: r.serial, Kind: kind,
		Quantity: r.q, Start: r.debut, End: r.fin, Radionuclide: r.nuclide, Comment: r.comment}
	switch value := g.labText(r); value {
	case "M":
		out.Status = "BELOW_THRESHOLD"
	case "ABSENT":
		out.Status = "ABSENT"
	default:
		v, err := strconv.ParseFloat(strings.Replace(value, ",", ".", 1), 64)
		if err != nil {
			g.rowErr = fmt.Errorf("synth: value %q: %w", value, err)
			return
		}
		if r.unit != "µSv" {
			v *= 1000
		}
		out.USv, out.Status = int64(math.Round(v)), "MEASURED"
		if out.USv == 0 {
			out.Status = "BELOW_THRESHOLD"
		}
	}
	g.rowErr = g.rows.LabResult(out)
}

// emitOp hands an operational row to the row sink.
func (g *generator) emitOp(r opRow) {
	if g.rowErr == nil {
		g.rowErr = g.rows.Operational(OperationalResult{Worker: r.w.idx, Establishment: r.est, Serial: r.serial,
			Start: r.debut, End: r.fin, USv: r.usv})
	}
}

// discardSink drops the exchange files (GenerateRows).
type discardSink struct{}

func (discardSink) Create(string) (io.WriteCloser, error) { return nopWriteCloser{}, nil }

type nopWriteCloser struct{}

func (nopWriteCloser) Write(p []byte) (int, error) { return len(p), nil }
func (nopWriteCloser) Close() error                { return nil }

// Laboratories returns the code and name of the laboratories a generation
// uses.
func Laboratories() [][2]string { return append([][2]string(nil), laboratories...) }
