package registry

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/operationaldose"
)

// DoseColumns are the dose_records columns a dose is written to (the id
// aside), in the order of doseRow.
var DoseColumns = []string{"source", "dosimeter_serial", "monitoring_kind", "quantity", "value_usv", "status",
	"period_start", "period_end", "radionuclide", "comment", "sector_code", "job_code", "version", "current",
	"received_at", "supersedes_id", "establishment_id", "import_batch_id", "laboratory_id", "worker_id",
	"received_on", "pending", "recorded_by_id", "correction_reason"}

// doseRow is the one mapping of a Dose to its dose_records columns.
func doseRow(d *dosimetry.Dose, now time.Time) []any {
	return []any{string(d.Source), nullable(d.Dosimeter), string(d.Kind), string(d.Quantity), int64(d.Value),
		string(d.Status), d.Start, d.End, nullable(d.Radionuclide), nullable(d.Comment), nullable(d.SectorCode),
		nullable(d.JobCode), d.Version, d.Current(), now, nullableInt(d.Supersedes), d.EstablishmentID,
		nullableInt(d.ImportBatchID), nullableInt(d.LaboratoryID), d.WorkerID, nullableTime(d.ReceivedOn), d.Pending,
		nullableInt(d.RecordedBy), nullable(d.Reason)}
}

// LoadColumns are the dose_records columns of LoadRow.
var LoadColumns = append(append([]string{"id"}, DoseColumns...), "superseded_at")

var currentColumn = slices.Index(DoseColumns, "current")

// LoadRow is doseRow for a bulk load that draws its own ids (siseri seed at
// national scale): the dose with id, received at receivedAt, and, for a
// version a later one already replaced, not current since supersededAt.
func LoadRow(d *dosimetry.Dose, id int, receivedAt, supersededAt time.Time) []any {
	row := append([]any{id}, doseRow(d, receivedAt)...)
	if !supersededAt.IsZero() {
		row[1+currentColumn] = false
	}
	return append(row, nullableTime(supersededAt))
}

// Record is a dose as written, with its id: the row as Ent would read it
// back (times to the microsecond PostgreSQL keeps).
func Record(d *dosimetry.Dose, id int, now time.Time) *ent.DoseRecord {
	r := &ent.DoseRecord{ID: id, Source: doserecord.Source(d.Source), DosimeterSerial: d.Dosimeter,
		MonitoringKind: doserecord.MonitoringKind(d.Kind), Quantity: doserecord.Quantity(d.Quantity), ValueUsv: int64(d.Value),
		Status: doserecord.Status(d.Status), PeriodStart: d.Start, PeriodEnd: d.End, Radionuclide: d.Radionuclide,
		Comment: d.Comment, Version: d.Version, Current: d.Current(), Pending: d.Pending, CorrectionReason: d.Reason,
		ReceivedAt: now.Truncate(time.Microsecond), EstablishmentID: d.EstablishmentID, LaboratoryID: d.LaboratoryID,
		WorkerID: d.WorkerID, ImportBatchID: d.ImportBatchID, SupersedesID: d.Supersedes, RecordedByID: d.RecordedBy}
	if d.SectorCode != "" {
		r.SectorCode = &d.SectorCode
	}
	if d.JobCode != "" {
		r.JobCode = &d.JobCode
	}
	if !d.ReceivedOn.IsZero() {
		r.ReceivedOn = &d.ReceivedOn
	}
	return r
}

// Write writes doses as new dose records and returns them as written, in
// the order given. The workers of current doses are touched; current doses
// are judged (a pending re-send is not the dose of record: nothing is judged
// on it). The records they supersede must have been superseded first
// (Supersede).
func (s *Session) Write(ctx context.Context, doses []dosimetry.Dose) ([]*ent.DoseRecord, error) {
	if len(doses) == 0 {
		return nil, nil
	}
	t0 := time.Now()
	rows := make([][]any, len(doses))
	for i := range doses {
		rows[i] = doseRow(&doses[i], s.now)
	}
	ids, err := s.insert(ctx, "dose_records", DoseColumns, rows)
	if err != nil {
		return nil, fmt.Errorf("write dose records: %w", err)
	}
	written := make([]*ent.DoseRecord, len(doses))
	live := make([]*ent.DoseRecord, 0, len(doses))
	for i := range doses {
		written[i] = Record(&doses[i], ids[i], s.now)
		if !doses[i].Pending {
			live = append(live, written[i])
			s.Touch(doses[i].WorkerID)
		}
	}
	s.LastID = ids[len(ids)-1]
	s.timed("write", t0)
	defer s.timed("detect", time.Now())
	return written, s.Judge(live)
}

// Supersede makes the dose records ids no longer current, as of the
// session's instant.
func (s *Session) Supersede(ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.client.DoseRecord.Update().Where(doserecord.IDIn(ids...)).
		SetCurrent(false).SetSupersededAt(s.now).Exec(s.sys); err != nil {
		return fmt.Errorf("supersede dose records: %w", err)
	}
	return nil
}

// OperationalDose is an operational (active) dosimetry result on its way
// into operational_doses: another noun than the dose of record, never summed
// with it toward a limit, but written by the same path.
type OperationalDose struct {
	WorkerID, EstablishmentID, ImportBatchID int
	Dosimeter                                string
	Start, End                               time.Time
	Value                                    dosimetry.Microsievert
	Version, Supersedes                      int
}

// operationalColumns are the operational_doses columns of operationalRow.
var operationalColumns = []string{"dosimeter_serial", "start_at", "end_at", "value_usv", "version", "current",
	"received_at", "establishment_id", "import_batch_id", "supersedes_id", "worker_id"}

func operationalRow(o *OperationalDose, now time.Time) []any {
	return []any{o.Dosimeter, o.Start, o.End, int64(o.Value), o.Version, true, now, o.EstablishmentID,
		nullableInt(o.ImportBatchID), nullableInt(o.Supersedes), o.WorkerID}
}

// LoadOperationalColumns are the operational_doses columns of LoadOperationalRow.
var LoadOperationalColumns = append([]string{"id"}, operationalColumns...)

// LoadOperationalRow is operationalRow for a bulk load that draws its own
// ids: the result with id, received at receivedAt.
func LoadOperationalRow(o *OperationalDose, id int, receivedAt time.Time) []any {
	return append([]any{id}, operationalRow(o, receivedAt)...)
}

// WriteOperational supersedes the operational results the doses replace and
// writes the doses. Operational dosimetry counts toward no limit and is not
// judged on arrival: no worker is touched.
func (s *Session) WriteOperational(ctx context.Context, doses []OperationalDose) error {
	var superseded []int
	rows := make([][]any, len(doses))
	for i := range doses {
		if doses[i].Supersedes != 0 {
			superseded = append(superseded, doses[i].Supersedes)
		}
		rows[i] = operationalRow(&doses[i], s.now)
	}
	if len(superseded) > 0 {
		if err := s.client.OperationalDose.Update().Where(operationaldose.IDIn(superseded...)).
			SetCurrent(false).SetSupersededAt(s.now).Exec(s.sys); err != nil {
			return fmt.Errorf("supersede operational results: %w", err)
		}
	}
	if _, err := s.insert(ctx, "operational_doses", operationalColumns, rows); err != nil {
		return fmt.Errorf("write operational results: %w", err)
	}
	return nil
}

// insert writes rows into table and returns their ids, in the order of rows.
// On PostgreSQL the ids are drawn from the table's sequence in one statement
// and the rows copied straight into the table (COPY batches its heap and
// index insertions; an INSERT … SELECT from a staging table inserts row by
// row, and measured 1.4 × slower than this on the benchmark); elsewhere they
// go by multi-row INSERTs.
func (s *Session) insert(ctx context.Context, table string, cols []string, rows [][]any) ([]int, error) {
	var ids []int
	var err error
	if s.copier != nil {
		ids, err = s.copyRows(ctx, table, cols, rows)
	} else {
		ids, err = s.insertValues(table, cols, rows)
	}
	if err != nil {
		return nil, err
	}
	if len(ids) != len(rows) {
		return nil, fmt.Errorf("%s: %d ids for %d rows", table, len(ids), len(rows))
	}
	// Ids are drawn in the order of the rows (generate_series order, VALUES
	// order on SQLite), so the ascending ids are the rows' in order.
	slices.Sort(ids)
	return ids, nil
}

// copyRows draws the rows' ids from the table's identity sequence, then
// copies the rows with their ids.
func (s *Session) copyRows(ctx context.Context, table string, cols []string, rows [][]any) ([]int, error) {
	ids, err := s.queryIDs(fmt.Sprintf("SELECT nextval(pg_get_serial_sequence('%s', 'id')) FROM generate_series(1, $1)", table), len(rows))
	if err != nil {
		return nil, fmt.Errorf("draw ids: %w", err)
	}
	if len(ids) != len(rows) {
		return nil, fmt.Errorf("draw ids: %d for %d rows", len(ids), len(rows))
	}
	withIDs := make([][]any, len(rows))
	for i, r := range rows {
		withIDs[i] = append([]any{ids[i]}, r...)
	}
	if _, err := s.copier.CopyFrom(ctx, table, append([]string{"id"}, cols...), pgx.CopyFromRows(withIDs)); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	return ids, nil
}

// insertValues writes rows by INSERTs of up to 500 rows (SQLite's and
// PostgreSQL's bounds on parameters hold: 500 × 24 columns).
func (s *Session) insertValues(table string, cols []string, rows [][]any) ([]int, error) {
	ids := make([]int, 0, len(rows))
	for i := 0; i < len(rows); i += 500 {
		part := rows[i:min(i+500, len(rows))]
		args := make([]any, 0, len(part)*len(cols))
		var values strings.Builder
		for j, r := range part {
			if j > 0 {
				values.WriteString(", ")
			}
			values.WriteByte('(')
			for k := range r {
				if k > 0 {
					values.WriteString(", ")
				}
				if s.reg.Postgres {
					// PostgreSQL without COPY access (a transaction not
					// opened by store.OpenTx).
					fmt.Fprintf(&values, "$%d", len(args)+k+1)
				} else {
					values.WriteByte('?')
				}
			}
			values.WriteByte(')')
			args = append(args, r...)
		}
		q := fmt.Sprintf("INSERT INTO %s (%s) VALUES %s RETURNING id", table, strings.Join(cols, ", "), values.String())
		got, err := s.queryIDs(q, args...)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

func (s *Session) queryIDs(q string, args ...any) ([]int, error) {
	rows, err := s.client.QueryContext(s.sys, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func nullableTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullableInt(i int) any {
	if i == 0 {
		return nil
	}
	return i
}
