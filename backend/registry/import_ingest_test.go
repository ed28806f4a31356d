package registry_test

import (
	"context"
	"testing"

	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

func TestLabResultsLifecycle(t *testing.T) {
	for name, open := range map[string]func(testing.TB, ...store.Option) *store.DB{
		"postgres": storetest.MustOpen, "sqlite": storetest.MustOpenSQLite,
	} {
		t.Run(name, func(t *testing.T) {
			f := newImportFixture(t, open(t), 3)
			ctx := policy.SystemContext(context.Background())
			lines := []string{f.labLine(0, 1, "0,25"), f.labLine(1, 1, "M"), f.labLine(2, 1, "ABSENT"), f.labLine(0, 2, "1.5")}

			dry := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "R1", Body: csvOf(labHeader, lines...), DryRun: true})
			if dry.Status != ingest.StatusDryRun || dry.RowsAccepted != 4 || dry.ProblemCount != 0 {
				t.Fatalf("dry run: %+v", dry)
			}
			if r, b := f.count(t); r != 0 || b != 0 {
				t.Fatalf("dry run wrote %d records, %d batches", r, b)
			}

			rep := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "R1", Body: csvOf(labHeader, lines...)})
			if rep.Status != ingest.StatusAccepted || rep.RowsAccepted != 4 || rep.Replayed || rep.BatchID == 0 {
				t.Fatalf("first submission: %+v", rep)
			}
			recs := f.db.Client.DoseRecord.Query().Order(doserecord.ByID()).AllX(ctx)
			if len(recs) != 4 || recs[0].ValueUsv != 250 || recs[1].Status != doserecord.StatusBelowThreshold ||
				recs[2].Status != doserecord.StatusAbsent || recs[3].ValueUsv != 1500 || *recs[0].SectorCode != "RI" {
				t.Fatalf("stored records: %+v", recs)
			}
			if n := f.db.Client.ExposureSummary.Query().CountX(ctx); n == 0 {
				t.Fatalf("no exposure summary after the import")
			}
			classes := map[string]int{}
			for _, c := range rep.DoseClasses {
				classes[c.Class] = c.Count
			}
			if classes["BELOW_THRESHOLD"] != 1 || classes["FROM_0_1_TO_1"] != 1 || classes["FROM_1_TO_6"] != 1 || classes["ABSENT"] != 1 {
				t.Fatalf("dose classes: %+v", rep.DoseClasses)
			}

			again := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "R1", Body: csvOf(labHeader, lines...)})
			if !again.Replayed || again.BatchID != rep.BatchID || again.RowsAccepted != 4 {
				t.Fatalf("replay: %+v", again)
			}
			if r, b := f.count(t); r != 4 || b != 1 {
				t.Fatalf("after replay: %d records, %d batches", r, b)
			}

			// The same results under a new reference are duplicates of stored ones.
			dup := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "R2", Body: csvOf(labHeader, lines[0])})
			if dup.Status != ingest.StatusRejected || dup.Problems[0].Code != "DUPLICATE_STORED" || dup.Problems[0].Line != 2 {
				t.Fatalf("stored duplicate: %+v", dup)
			}
			// A corrected value supersedes the stored result.
			corr := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "R3", Body: csvOf(labHeader, f.labLine(0, 1, "0,30"))})
			if corr.Status != ingest.StatusAccepted {
				t.Fatalf("correction: %+v", corr)
			}
			old := f.db.Client.DoseRecord.GetX(ctx, recs[0].ID)
			cur := f.db.Client.DoseRecord.Query().Where(doserecord.SupersedesID(recs[0].ID)).OnlyX(ctx)
			if old.Current || !cur.Current || cur.Version != 2 || cur.ValueUsv != 300 {
				t.Fatalf("versions: old %+v new %+v", old, cur)
			}

			// Partial acceptance keeps the valid rows.
			part := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "R4", Partial: true,
				Body: csvOf(labHeader, f.labLine(1, 3, "0.2"), f.labLine(1, 4, "-1"))})
			if part.Status != ingest.StatusPartial || part.RowsAccepted != 1 || part.RowsRejected != 1 || part.Problems[0].Code != "VALUE_NEGATIVE" || part.Problems[0].Line != 3 {
				t.Fatalf("partial: %+v", part)
			}
			if r, _ := f.count(t); r != 6 {
				t.Fatalf("after partial: %d records, want 6", r)
			}
		})
	}
}

// TestDeclarationsNewWorkerTwice: a new worker declared on two rows (two
// successive contracts) is created once, with both employments.
func TestDeclarationsNewWorkerTwice(t *testing.T) {
	f := newImportFixture(t, storetest.MustOpen(t), 0)
	const header = "siret;nir;nom;prenom;date_naissance;sexe;date_debut;date_fin;type_contrat;secteur;metier;categorie"
	n := nir("2900575056777")
	rep := f.submit(t, f.employer, ingest.Submission{Format: ingest.Declarations, Reference: "D1", Body: csvOf(header,
		siretA+";"+n+";Lambert;Zoé;1990-05-12;F;2024-01-01;2024-06-30;CDD;RI;CARDIO;B",
		siretA+";"+n+";Lambert;Zoé;1990-05-12;F;2024-07-01;;CDI;RI;CARDIO;A",
	)})
	if rep.Status != ingest.StatusAccepted || rep.WorkersCreated != 1 || rep.EmploymentsCreated != 2 {
		t.Fatalf("report: %+v", rep)
	}
}
