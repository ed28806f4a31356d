package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"time"
)

// Submission is a batch to import.
type Submission struct {
	Format    Format
	Reference string
	Filename  string
	// Body is the CSV file (header included); when nil, Rows holds the rows
	// given as GraphQL input, in the format's column order.
	Body    io.ReadSeeker
	Rows    [][]string
	DryRun  bool
	Partial bool
	// ReceivedOn is the day the batch's results were received, for rows
	// that do not say (laboratory results); zero: the day of the import.
	ReceivedOn time.Time
	// History makes a laboratory results batch a history import (an
	// administrator's migration of past records) for LaboratoryID: standings
	// are computed and the regulatory findings still open are raised, but no
	// timeliness, validity or statistical finding on the past.
	History      bool
	LaboratoryID int
}

// Checksum is the SHA-256 of the submitted content (the file, or the rows)
// and of the options that change what it records.
func Checksum(sub Submission) (string, error) {
	h := sha256.New()
	if sub.Body != nil {
		if _, err := io.Copy(h, sub.Body); err != nil {
			return "", fmt.Errorf("read file: %w", err)
		}
		if _, err := sub.Body.Seek(0, io.SeekStart); err != nil {
			return "", fmt.Errorf("rewind file: %w", err)
		}
	} else {
		enc := json.NewEncoder(h)
		if err := enc.Encode(sub.Rows); err != nil {
			return "", err
		}
	}
	_, _ = fmt.Fprintf(h, "|%s|partial=%t", sub.Format, sub.Partial)
	if sub.History || !sub.ReceivedOn.IsZero() {
		_, _ = fmt.Fprintf(h, "|history=%t|lab=%d|received=%s", sub.History, sub.LaboratoryID, sub.ReceivedOn.Format(time.DateOnly))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Batch is the reading side of one import: it yields the submission's rows
// chunk by chunk, with their line numbers, and keeps the report (problems,
// counts, dose classes, status). Whoever checks the rows further (the
// registry) rejects or accepts each one through it.
type Batch struct {
	sub Submission
	// Report is the batch's report; its status and counts are set by Finish.
	Report *Report
	src    source

	classes  classCounter
	accepted int
	rejected int
	// stopped is set once a problem makes the batch fail whole: rows are
	// still checked and reported, but no longer written.
	stopped bool
	// seen maps the hash of each valid row's natural key to its line.
	seen map[uint64]int32
}

// NewBatch starts reading sub (its reference trimmed already).
func NewBatch(sub Submission) *Batch {
	return &Batch{sub: sub, seen: map[uint64]int32{},
		Report: &Report{Reference: sub.Reference, Format: sub.Format, DryRun: sub.DryRun, Problems: []Problem{}}}
}

// Open reads the header of a file, or checks the width of the rows given as
// input. It reports false when the file is rejected whole (its header
// problem is in the report); an error is for rows given with the wrong
// number of fields.
func (b *Batch) Open() (bool, error) {
	cols := b.sub.Format.Columns()
	if b.sub.Body == nil {
		for i, fields := range b.sub.Rows {
			if len(fields) != len(cols) {
				return false, fmt.Errorf("ingest: row %d has %d fields, want %d", i, len(fields), len(cols))
			}
		}
		b.src = &sliceSource{rows: b.sub.Rows, cols: cols}
		return true, nil
	}
	cs, p := newCSVSource(b.sub.Body, cols, b.sub.Format.earlierWidths()...)
	if p != nil {
		b.Report.add(*p)
		b.Report.RowsTotal++ // the header line, rejected with the file
		b.rejected++
		b.stopped = true
		return false, nil
	}
	b.src = cs
	return true, nil
}

// maxChunkBytes bounds the field bytes of a chunk of rows held in memory.
const maxChunkBytes = 8 << 20

// Read calls check with the rows of the opened batch, size rows (or
// maxChunkBytes of fields) at a time, in file order; rows that cannot be
// read are rejected on the way. Once check has returned, the warnings of
// the chunk's accepted rows go to the report.
func (b *Batch) Read(size int, check func(rows []*Row) error) error {
	cols := b.sub.Format.Columns()
	chunk := make([]*Row, 0, size)
	chunkBytes := 0
	flush := func() error {
		if err := check(chunk); err != nil {
			return err
		}
		b.reportWarnings(chunk)
		return nil
	}
	for {
		line, fields, err := b.src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *rowError
		if errors.As(err, &re) {
			b.Report.RowsTotal++
			b.Reject(&Row{line: line, probs: []Problem{*re.problem()}})
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", b.sub.Format.Label(), err)
		}
		b.Report.RowsTotal++
		chunk = append(chunk, &Row{line: line, cols: cols, fields: slices.Clone(fields)})
		for _, f := range fields {
			chunkBytes += len(f)
		}
		// Rows of up to MaxLineBytes each: a chunk is also bounded in bytes.
		if len(chunk) == size || chunkBytes >= maxChunkBytes {
			if err := flush(); err != nil {
				return err
			}
			clear(chunk)
			chunk, chunkBytes = chunk[:0], 0
		}
	}
	if len(chunk) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	if b.Report.RowsTotal == 0 {
		// A header and nothing else (or no row given): a batch of nothing
		// would use up its reference.
		b.Report.add(Problem{Line: 1, Code: "NO_DATA_ROWS", Message: noDataRows(b.sub.Body != nil)})
		b.Report.RowsTotal++ // counted like a header problem: the file is the rejected row
		b.rejected++
		b.stopped = true
	}
	return nil
}

func noDataRows(file bool) string {
	if file {
		return "Le fichier n'a aucune ligne de données : il n'a que la ligne d'en-tête (et peut-être des lignes vides). Un lot doit contenir au moins une ligne ; la référence reste libre."
	}
	return "L'envoi ne contient aucune ligne (rows est vide). Un lot doit contenir au moins une ligne ; la référence reste libre."
}

// Writing reports whether accepted rows are to be written: not a dry run,
// and no problem made the batch fail whole.
func (b *Batch) Writing() bool { return !b.sub.DryRun && !b.stopped }

// Done is the number of rows accepted or rejected so far.
func (b *Batch) Done() int { return b.accepted + b.rejected }

// Reject reports a row's problems; unless the batch is partial, the batch
// fails whole.
func (b *Batch) Reject(rw *Row) {
	rw.rejected = true
	for _, p := range rw.probs {
		b.Report.add(p)
	}
	b.rejected++
	if !b.sub.Partial {
		b.stopped = true
	}
}

// Accept counts an accepted row that carries no dose (a declaration).
func (b *Batch) Accept() { b.accepted++ }

// AcceptDose counts an accepted row and its dose in the report's dose
// classes (absent: an absence of result declared).
func (b *Batch) AcceptDose(v int64, absent bool) {
	b.accepted++
	b.classes.add(v, absent)
}

// Duplicate checks a valid row's natural key against the rows before it in
// the batch; a duplicate fails on column.
func (b *Batch) Duplicate(rw *Row, key, column string) bool {
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	k := h.Sum64()
	if first, ok := b.seen[k]; ok {
		rw.Fail(column, "DUPLICATE_IN_FILE", "Cette ligne reprend le résultat de la ligne %d (même travailleur, dosimètre, grandeur et période).", first)
		return true
	}
	b.seen[k] = int32(rw.line)
	return false
}

// reportWarnings reports the warnings of a chunk's accepted rows: those not
// rejected, whose problems (warnings only) did not go to the report yet.
func (b *Batch) reportWarnings(rows []*Row) {
	for _, rw := range rows {
		if !rw.rejected {
			for _, p := range rw.probs {
				b.Report.add(p)
			}
		}
	}
}

// Finish sets the status and counts of the report. A rejected batch (or a
// partial one with nothing accepted) accepts nothing: its dose classes and
// the registry's counts on it are cleared.
func (b *Batch) Finish() {
	rep := b.Report
	rep.RowsRejected = b.rejected
	rep.RowsAccepted = b.accepted
	switch {
	case b.sub.DryRun:
		rep.Status = StatusDryRun
	case b.rejected > 0 && (!b.sub.Partial || b.accepted == 0):
		rep.Status = StatusRejected
		rep.RowsAccepted = 0
		b.classes = classCounter{} // nothing was accepted
		rep.AnomaliesRaised = 0
		rep.ConstraintNoticesRaised = 0
		rep.WorkersCreated = 0
		rep.EmploymentsCreated = 0
	case b.rejected > 0:
		rep.Status = StatusPartial
	default:
		rep.Status = StatusAccepted
	}
	if b.sub.Format != Declarations {
		rep.DoseClasses = b.classes.list()
	} else {
		rep.DoseClasses = []ClassCount{}
	}
	rep.sortProblems()
}
