package registry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/operationaldose"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// TestWorkersWithoutNIR: a worker identified by an NTT and a foreign worker
// are declared, then receive a laboratory result and an operational result,
// each file naming them in the nir column in its own spelling; everything is
// read back from the database, on the worker found by the right column.
func TestWorkersWithoutNIR(t *testing.T) {
	db := storetest.MustOpen(t)
	f := newImportFixture(t, db, 1)
	ctx := policy.SystemContext(context.Background())
	D, L, O := ingest.Declarations, ingest.LabResults, ingest.Operational

	// An NTT worker (female: no NIR to agree with) and two foreign workers
	// whose identifiers are the same in two countries.
	decl := f.submit(t, f.employer, ingest.Submission{Format: D, Reference: "D-ID", Body: strings.NewReader(fileOf(D,
		siretA+";NTT:ntt2024a;Nowak;Ewa;1991-02-03;F;2024-01-01;;CDD;RI;CARDIO;B",
		siretA+"; de : 65180175-M/01.7 ;Müller;Jonas Karl;1975-01-18;M;2024-01-01;;INTERIM;RI;CARDIO;A",
		siretA+";BE:65180175-M/01.7;Peeters;Lotte;1988-09-09;F;2024-01-01;;CDI;RI;CARDIO;A",
		// The same NTT in another spelling is the same worker: a second employment.
		siretA+";ntt:NTT2024A;NOWAK;Ewa;1991-02-03;F;2023-01-01;2023-06-30;CDD;RI;CARDIO;B",
	))})
	if decl.Status != ingest.StatusAccepted || decl.WorkersCreated != 3 || decl.EmploymentsCreated != 4 || decl.ProblemCount != 0 {
		t.Fatalf("declarations: %+v", decl)
	}
	ntt := db.Client.Worker.Query().Where(worker.TemporaryID("NTT2024A")).OnlyX(ctx)
	de := db.Client.Worker.Query().Where(worker.ForeignCountry("DE"), worker.ForeignID("65180175-M/01.7")).OnlyX(ctx)
	be := db.Client.Worker.Query().Where(worker.ForeignCountry("BE"), worker.ForeignID("65180175-M/01.7")).OnlyX(ctx)
	if ntt.IdentifierKind != worker.IdentifierKindNTT || ntt.Nir != nil || ntt.ForeignID != nil || ntt.Sex != worker.SexFemale {
		t.Errorf("NTT worker: %+v", ntt)
	}
	for _, w := range []*ent.Worker{de, be} {
		if w.IdentifierKind != worker.IdentifierKindForeign || w.Nir != nil || w.TemporaryID != nil || w.BirthDate.IsZero() {
			t.Errorf("foreign worker: %+v", w)
		}
	}
	if n := db.Client.Employment.Query().CountX(ctx); n != 5 {
		t.Errorf("%d employments, want 5 (1 in the fixture, 4 declared)", n)
	}

	lab := f.submit(t, f.lab, ingest.Submission{Format: L, Reference: "L-ID", Body: strings.NewReader(fileOf(L,
		"NTT:NTT2024A;Nowak;Ewa;1991-02-03;"+siretA+";N0001;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;0,20;mSv;;;",
		"DE:65180175-M/01.7;MULLER;Jonas;1975-01-18;"+siretA+";G0001;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;0,35;mSv;;;",
		"be:65180175-m/01.7;Peeters;Lotte;1988-09-09;"+siretA+";B0001;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;120;µSv;;;",
	))})
	if lab.Status != ingest.StatusAccepted || lab.RowsAccepted != 3 || lab.ProblemCount != 0 {
		t.Fatalf("lab results: %+v", lab)
	}
	for w, usv := range map[*ent.Worker]int64{ntt: 200, de: 350, be: 120} {
		rec := db.Client.DoseRecord.Query().Where(doserecord.WorkerID(w.ID)).OnlyX(ctx)
		if rec.ValueUsv != usv || !rec.Current || rec.EstablishmentID != f.estab.ID {
			t.Errorf("result of worker %d: %+v, want %d µSv", w.ID, rec, usv)
		}
	}

	op := f.submit(t, f.employer, ingest.Submission{Format: O, Reference: "O-ID", Body: strings.NewReader(fileOf(O,
		"NTT:ntt2024a;Nowak;Ewa;"+siretA+";OP-N1;2024-03-04T08:00:00;2024-03-08T18:00:00;0.012;mSv",
		"DE:65180175-M/01.7;Müller;Jonas Karl;"+siretA+";OP-G1;2024-03-04T08:00:00;2024-03-08T18:00:00;7;µSv",
	))})
	if op.Status != ingest.StatusAccepted || op.RowsAccepted != 2 || op.ProblemCount != 0 {
		t.Fatalf("operational: %+v", op)
	}
	for w, usv := range map[*ent.Worker]int64{ntt: 12, de: 7} {
		d := db.Client.OperationalDose.Query().Where(operationaldose.WorkerID(w.ID)).OnlyX(ctx)
		if d.ValueUsv != usv || d.EstablishmentID != f.estab.ID {
			t.Errorf("operational result of worker %d: %+v, want %d µSv", w.ID, d, usv)
		}
	}

	// The same results again are stored duplicates of the same workers, and
	// the identity is checked against the worker the identifier designates.
	again := f.submit(t, f.lab, ingest.Submission{Format: L, Reference: "L-ID-2", Body: strings.NewReader(fileOf(L,
		"NTT:NTT2024A;Nowak;Ewa;1991-02-03;"+siretA+";N0001;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;200;µSv;;;",
		"BE:65180175-M/01.7;Müller;Jonas;1975-01-18;"+siretA+";G0002;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;0,35;mSv;;;",
		"NTT:NTT2024B;Nowak;Ewa;1991-02-03;"+siretA+";N0002;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;0,20;mSv;;;",
	))})
	checkProblems(t, again, []want{
		{2, "resultat", "DUPLICATE_STORED", "200"},
		{3, "nom", "IDENTITY_MISMATCH", "Müller"},
		{4, "nir", "WORKER_UNKNOWN", "NTT:NTT2024B"},
	})
}

// TestDeclarationForeignIdentifierSex: the sex of a worker without a NIR is
// taken as declared (no NIR to agree with), whereas a NIR's sex digit still
// has to agree.
func TestDeclarationForeignIdentifierSex(t *testing.T) {
	f := newImportFixture(t, storetest.MustOpen(t), 0)
	D := ingest.Declarations
	rep := f.submit(t, f.employer, ingest.Submission{Format: D, Reference: "SEX", DryRun: true, Body: strings.NewReader(fileOf(D,
		siretA+";IT:RSSMRA85T10A562S;Rossi;Maria;1985-12-10;F;2024-01-01;;CDI;RI;CARDIO;A",
		siretA+";NTT:X1;Rossi;Mario;1985-12-10;M;2024-01-01;;CDI;RI;CARDIO;A",
		siretA+";"+nir("1850575056100")+";Rossi;Maria;1985-12-10;F;2024-01-01;;CDI;RI;CARDIO;A",
	))})
	checkProblems(t, rep, []want{{4, "sexe", "NIR_SEX_MISMATCH", "F"}})
	if rep.RowsAccepted != 2 {
		t.Fatalf("report: %+v", rep)
	}
}
