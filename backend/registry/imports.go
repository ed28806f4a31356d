package registry

import (
	"context"
	stdsql "database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/notify"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/establishment"
	"github.com/siseri/siseri/ent/importbatch"
	"github.com/siseri/siseri/ent/laboratory"
	"github.com/siseri/siseri/policy"
)

// Importer imports batches: backend/ingest reads and parses their rows, the
// importer checks them against the registry and records them in the
// caller's transaction (rights, the batch's reference, lookups in bulk,
// writes through a Session, standings, the stored report, news after
// commit).
type Importer struct {
	// Registry records the doses of a batch: writes, detection (its Engine),
	// standings and news.
	Registry *Registry
	// Now is the instant of the import (tests set it).
	Now func() time.Time
	// ChunkSize is how many rows are checked and written at a time.
	ChunkSize int
	// Trace, when set, receives the time spent in each phase of an import.
	Trace io.Writer
	// Postgres is set on PostgreSQL (COPY, advisory locks).
	Postgres bool
	// AfterChunk, when set, runs after each chunk is written (tests inject
	// failures with it).
	AfterChunk func(ctx context.Context, rowsDone int) error
}

func (s *Importer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Importer) chunkSize() int {
	if s.ChunkSize > 0 {
		return s.ChunkSize
	}
	return 5000
}

// Run imports sub in a transaction of its own opened by db, and commits it.
func (s *Importer) Run(ctx context.Context, db *store.DB, sub ingest.Submission) (*ingest.Report, error) {
	txCtx, tx, err := db.OpenTx(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := s.Submit(txCtx, sub)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit import: %w", err)
	}
	return rep, nil
}

// submitter is who submits and for what.
type submitter struct {
	viewer *policy.Viewer
	// laboratoryID is the laboratory of a results batch.
	laboratoryID int
	// establishments are those the submitter may submit for (nil: any).
	establishments map[int]bool
}

// only returns the establishment of a submitter who may submit for exactly
// one; a batch of theirs can hold that establishment's rows only.
func (w submitter) only() (int, bool) {
	if len(w.establishments) != 1 {
		return 0, false
	}
	for id := range w.establishments {
		return id, true
	}
	return 0, false
}

// Submit imports sub in the transaction carried by ctx (ent.TxFromContext; on
// PostgreSQL store.CopierFromContext for COPY). A batch with problems writes
// nothing unless sub.Partial; a dry run writes nothing at all. The report is
// returned with a nil error whether rows were accepted or not; errors are for
// the caller's rights, the reference, or the database.
func (s *Importer) Submit(ctx context.Context, sub ingest.Submission) (*ingest.Report, error) {
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		return nil, errors.New("import: no transaction in context")
	}
	client := tx.Client()
	who, err := s.rights(ctx, client, sub)
	if err != nil {
		return nil, err
	}
	if !sub.ReceivedOn.IsZero() {
		sub.ReceivedOn = time.Date(sub.ReceivedOn.Year(), sub.ReceivedOn.Month(), sub.ReceivedOn.Day(), 0, 0, 0, 0, time.UTC)
		if sub.ReceivedOn.After(s.now()) {
			return nil, apperr.Invalid("receivedAt", sub.ReceivedOn.Format(time.DateOnly), "La date de réception %s est dans le futur.", sub.ReceivedOn.Format("02/01/2006"))
		}
	}
	sub.Reference = strings.TrimSpace(sub.Reference)
	if sub.Reference == "" || len(sub.Reference) > 100 {
		return nil, apperr.Invalid("reference", sub.Reference, "La référence du lot est obligatoire (1 à 100 caractères) : elle rend l'envoi rejouable sans double écriture.")
	}
	sum, err := ingest.Checksum(sub)
	if err != nil {
		return nil, err
	}
	sys := policy.SystemContext(ctx)
	if prev, err := s.previous(sys, client, who, sub, sum); prev != nil || err != nil {
		return prev, err
	}
	b := ingest.NewBatch(sub)
	run := &runner{imp: s, client: client, sys: sys, sub: sub, who: who, now: s.now().UTC(), postgres: s.Postgres,
		batch: b, rep: b.Report}
	if sub.Format == ingest.LabResults && !sub.DryRun && !sub.History {
		run.profile = anomaly.NewBatchProfile()
	}
	if sub.DryRun {
		if err := run.run(ctx); err != nil {
			return nil, err
		}
		b.Finish()
		return run.rep, nil
	}
	if _, err := client.ExecContext(sys, "SAVEPOINT siseri_ingest"); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	rollback := func() error {
		_, err := client.ExecContext(sys, "ROLLBACK TO SAVEPOINT siseri_ingest")
		return err
	}
	claimed, err := run.claim(sum)
	if err == nil && claimed {
		run.sess, err = s.Registry.Open(ctx, Options{History: sub.History, Now: run.now, Timed: run.timed})
	}
	if err != nil {
		_ = rollback()
		return nil, err
	}
	if !claimed {
		// A concurrent submission with the same reference committed first.
		if err := rollback(); err != nil {
			return nil, err
		}
		prev, err := s.previous(sys, client, who, sub, sum)
		if prev == nil && err == nil {
			err = apperr.New(apperr.Conflict, "Un envoi de même référence « %s » est en cours ; réessayez dans un instant.", sub.Reference)
		}
		return prev, err
	}
	if err := run.run(ctx); err != nil {
		_ = rollback()
		return nil, err
	}
	b.Finish()
	if run.rep.Status == ingest.StatusRejected {
		// Nothing is written, and the reference stays free for the corrected file.
		if err := rollback(); err != nil {
			return nil, err
		}
		run.rep.BatchID = 0
		// Those who would read the batch are told it was refused (in this
		// transaction, which commits the report's answer).
		only, _ := who.only()
		if err := notify.Rejected(ctx, client, notify.Rejection{SubmitterID: who.viewer.AccountID,
			LaboratoryID: who.laboratoryID, EstablishmentID: only, Reference: sub.Reference, Checksum: sum}); err != nil {
			return nil, err
		}
		return run.rep, nil
	}
	if err := run.complete(ctx); err != nil {
		_ = rollback()
		return nil, err
	}
	if _, err := client.ExecContext(sys, "RELEASE SAVEPOINT siseri_ingest"); err != nil {
		return nil, fmt.Errorf("release savepoint: %w", err)
	}
	run.rep.Phases = run.spent
	if s.Trace != nil {
		for phase, d := range run.spent {
			fmt.Fprintf(s.Trace, "%-10s %8.3f s\n", phase, d.Seconds())
		}
	}
	return run.rep, nil
}

// rights checks that the caller may submit the format and returns its scope.
func (s *Importer) rights(ctx context.Context, client *ent.Client, sub ingest.Submission) (submitter, error) {
	v := policy.FromContext(ctx)
	if v == nil {
		return submitter{}, apperr.New(apperr.Unauthenticated, "Authentification requise.")
	}
	who := submitter{viewer: v}
	f := sub.Format
	if sub.History || sub.LaboratoryID != 0 {
		return s.historyRights(ctx, client, sub, who)
	}
	switch f {
	case ingest.LabResults:
		if !slices.Contains(SubmitterRoles(f), v.Role) {
			return who, apperr.New(apperr.Forbidden, "Seul un laboratoire de dosimétrie peut envoyer des résultats.")
		}
		for _, g := range v.Scope() {
			if g.LaboratoryID != 0 {
				who.laboratoryID = g.LaboratoryID
			}
		}
		if who.laboratoryID == 0 {
			return who, apperr.New(apperr.Forbidden, "Votre habilitation de laboratoire ne désigne aucun laboratoire.")
		}
		return who, checkAccreditation(policy.SystemContext(ctx), client, who.laboratoryID, s.now())
	case ingest.Declarations, ingest.Operational:
		if !slices.Contains(SubmitterRoles(f), v.Role) {
			if f == ingest.Declarations {
				return who, apperr.New(apperr.Forbidden, "Seul le correspondant de l'employeur peut déclarer des travailleurs.")
			}
			return who, apperr.New(apperr.Forbidden, "Seuls le correspondant de l'employeur et le conseiller en radioprotection peuvent envoyer la dosimétrie opérationnelle.")
		}
		who.establishments = map[int]bool{}
		sys := policy.SystemContext(ctx)
		for _, g := range v.Scope() {
			if g.EstablishmentID != 0 {
				who.establishments[g.EstablishmentID] = true
			}
			if g.CompanyID != 0 {
				ids, err := client.Establishment.Query().Where(establishment.CompanyID(g.CompanyID)).IDs(sys)
				if err != nil {
					return who, err
				}
				for _, id := range ids {
					who.establishments[id] = true
				}
			}
		}
		return who, nil
	}
	return who, apperr.Invalid("format", string(f), "Format d'échange inconnu « %s ».", f)
}

// historyRights checks a history import: laboratory results, by an
// administrator, for a registered laboratory.
func (s *Importer) historyRights(ctx context.Context, client *ent.Client, sub ingest.Submission, who submitter) (submitter, error) {
	switch {
	case !sub.History:
		return who, apperr.Invalid("laboratoryID", fmt.Sprint(sub.LaboratoryID), "Le laboratoire ne se désigne que pour un import d'historique (history).")
	case sub.Format != ingest.LabResults:
		return who, apperr.Invalid("history", "true", "L'import d'historique ne concerne que les résultats de laboratoire.")
	case !who.viewer.Acts(policy.RoleAdmin):
		return who, apperr.New(apperr.Forbidden, "Seul un administrateur importe un historique (migration des résultats passés).")
	case sub.LaboratoryID == 0:
		return who, apperr.Invalid("laboratoryID", "", "Un import d'historique désigne le laboratoire dont il reprend les résultats (laboratoryID).")
	}
	ok, err := client.Laboratory.Query().Where(laboratory.ID(sub.LaboratoryID)).Exist(policy.SystemContext(ctx))
	if err != nil {
		return who, fmt.Errorf("find laboratory: %w", err)
	}
	if !ok {
		return who, apperr.Invalid("laboratoryID", fmt.Sprint(sub.LaboratoryID), "Aucun laboratoire n° %d n'est enregistré.", sub.LaboratoryID)
	}
	who.laboratoryID = sub.LaboratoryID
	return who, nil
}

// SubmitterRoles are the roles that may submit a format: laboratories their
// results, employer correspondents their declarations, and operational
// dosimetry the correspondent or, by delegation, the radiation protection
// adviser.
func SubmitterRoles(f ingest.Format) []policy.Role {
	switch f {
	case ingest.LabResults:
		return []policy.Role{policy.RoleLaboratory}
	case ingest.Declarations:
		return []policy.Role{policy.RoleEmployer}
	case ingest.Operational:
		return []policy.Role{policy.RoleEmployer, policy.RoleRPA}
	}
	return nil
}

// previous returns the stored report of an earlier submission of the same
// reference, or an error when the reference was used for other content.
func (s *Importer) previous(ctx context.Context, client *ent.Client, who submitter, sub ingest.Submission, sum string) (*ingest.Report, error) {
	b, err := client.ImportBatch.Query().Where(
		importbatch.SubmitterID(who.viewer.AccountID), importbatch.Reference(sub.Reference),
	).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find batch: %w", err)
	}
	if b.Checksum != sum || string(b.Format) != string(sub.Format) {
		return nil, apperr.New(apperr.Conflict,
			"La référence « %s » a déjà servi le %s pour un autre contenu : choisissez une nouvelle référence pour un nouveau lot.",
			sub.Reference, b.CreatedAt.Format("02/01/2006 à 15:04"))
	}
	if sub.DryRun {
		return nil, nil // a dry run of an accepted batch validates again
	}
	rep, err := ReportOf(b)
	if err != nil {
		return nil, err
	}
	rep.Replayed = true
	return rep, nil
}

// ReportOf decodes the report stored with a batch.
func ReportOf(b *ent.ImportBatch) (*ingest.Report, error) {
	raw, err := json.Marshal(b.Report)
	if err != nil {
		return nil, err
	}
	var rep ingest.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, fmt.Errorf("decode batch report: %w", err)
	}
	rep.BatchID = b.ID
	if rep.Problems == nil {
		rep.Problems = []ingest.Problem{}
	}
	for i := range rep.Problems {
		if rep.Problems[i].Severity == "" {
			rep.Problems[i].Severity = ingest.SeverityError // stored before severities existed
		}
	}
	return &rep, nil
}

// claim inserts the batch row, which reserves the reference: a concurrent
// submission of the same reference waits on it and then finds it taken.
func (r *runner) claim(sum string) (bool, error) {
	c := r.client.ImportBatch.Create().
		SetSubmitterID(r.who.viewer.AccountID).
		SetFormat(importbatch.Format(r.sub.Format)).
		SetReference(r.sub.Reference).
		SetChecksum(sum).
		SetStatus(importbatch.StatusPending)
	if r.who.viewer.APIKeyID != 0 {
		c.SetAPIKeyID(r.who.viewer.APIKeyID)
	}
	if r.who.laboratoryID != 0 {
		c.SetLaboratoryID(r.who.laboratoryID)
	}
	if id, ok := r.who.only(); ok {
		// The batch of a correspondent (or adviser) of one establishment is
		// that establishment's: its other correspondents read its report.
		c.SetEstablishmentID(id)
	}
	if r.sub.Filename != "" {
		c.SetFilename(truncate(r.sub.Filename, 255))
	}
	err := c.OnConflict(sql.ConflictColumns(importbatch.FieldSubmitterID, importbatch.FieldReference)).DoNothing().Exec(r.sys)
	if errors.Is(err, stdsql.ErrNoRows) {
		return false, nil // taken by a submission that committed first
	}
	if err != nil {
		return false, fmt.Errorf("create batch: %w", err)
	}
	b, err := r.client.ImportBatch.Query().Where(
		importbatch.SubmitterID(r.who.viewer.AccountID), importbatch.Reference(r.sub.Reference),
		importbatch.StatusEQ(importbatch.StatusPending), importbatch.Checksum(sum),
	).Only(r.sys)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("find batch: %w", err)
	}
	r.batchID = b.ID
	r.rep.BatchID = b.ID
	return true, nil
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// NewImporter returns the importer of db, recording through the registry
// of db (detection on, standings kept current, news announced through
// broker).
func NewImporter(db *store.DB, broker *alerts.Broker) *Importer {
	return &Importer{Registry: New(db, broker), Postgres: db.IsPostgres()}
}
