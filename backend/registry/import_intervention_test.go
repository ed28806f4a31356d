package registry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/operationaldose"
	"github.com/siseri/siseri/policy"
)

const opHeader = "nir;nom;prenom;siret;dosimetre;debut;fin;resultat;unite"

// TestOperationalIntervention: the operator of site B transmits the
// operational dosimetry of an outside company's worker (employed at A) for
// the days of a declared intervention on B, and nothing outside them.
func TestOperationalIntervention(t *testing.T) {
	db := storetest.MustOpen(t)
	f := newImportFixture(t, db, 2)
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	acc := c.Account.Create().SetEmail("exploitant@test.fr").SetDisplayName("Exploitant").SetPasswordHash("x").SaveX(ctx)
	operator := &policy.Viewer{AccountID: acc.ID, Role: policy.RoleEmployer,
		Grants: []policy.Grant{{Role: policy.RoleEmployer, EstablishmentID: f.other.ID, ValidFrom: day(2019, 1, 1)}}}
	// Worker 0 intervenes on B for A from 1 to 30 September 2024; worker 1
	// never does.
	c.Intervention.Create().SetWorkerID(f.workers[0].ID).SetSiteEstablishmentID(f.other.ID).
		SetContractorEstablishmentID(f.estab.ID).SetStartDate(day(2024, 9, 1)).SetEndDate(day(2024, 9, 30)).
		SetDeclaredByID(acc.ID).ExecX(ctx)
	line := func(i int, serial, start, end string) string {
		return fmt.Sprintf("%s;Dupré%d;Élise;%s;%s;%s;%s;0.042;mSv", f.nirs[i], i, siretB, serial, start, end)
	}
	submit := func(t *testing.T, ref string, lines ...string) *ingest.Report {
		t.Helper()
		return f.submit(t, operator, ingest.Submission{Format: ingest.Operational, Reference: ref, Body: csvOf(opHeader, lines...)})
	}
	expectRefused := func(t *testing.T, rep *ingest.Report) {
		t.Helper()
		if rep.Status != "REJECTED" || len(rep.Problems) != 1 || rep.Problems[0].Code != "EMPLOYMENT_NOT_FOUND" ||
			rep.Problems[0].Column != "debut" || !strings.Contains(rep.Problems[0].Message, "intervention") {
			t.Fatalf("report = %+v, want EMPLOYMENT_NOT_FOUND on debut mentioning the intervention", rep)
		}
	}

	t.Run("OKDuringIntervention", func(t *testing.T) {
		// Ensure the site's rows for the worker are accepted for the
		// intervention's days, the last one included, and stored at the site.
		rep := submit(t, "OP-IN", line(0, "OP-1", "2024-09-02T07:00:00", "2024-09-06T18:00:00"),
			line(0, "OP-1", "2024-09-30T07:00:00", "2024-09-30T15:00:00"))
		if rep.Status != "ACCEPTED" || rep.RowsAccepted != 2 {
			t.Fatalf("report = %+v", rep)
		}
		ds := c.OperationalDose.Query().Where(operationaldose.WorkerID(f.workers[0].ID)).AllX(ctx)
		if len(ds) != 2 || ds[0].EstablishmentID != f.other.ID || ds[1].EstablishmentID != f.other.ID {
			t.Fatalf("stored %+v, want two doses at the site", ds)
		}
	})
	t.Run("ErrNoIntervention", func(t *testing.T) {
		// Ensure a worker of no intervention on the site is refused.
		expectRefused(t, submit(t, "OP-NONE", line(1, "OP-2", "2024-09-02T07:00:00", "2024-09-06T18:00:00")))
	})
	t.Run("ErrOutsideIntervention", func(t *testing.T) {
		// Ensure days after the intervention, before it, or straddling its
		// end are refused.
		for i, period := range [][2]string{
			{"2024-10-07T07:00:00", "2024-10-11T18:00:00"},
			{"2024-08-26T07:00:00", "2024-08-30T18:00:00"},
			{"2024-09-30T07:00:00", "2024-10-01T15:00:00"},
		} {
			expectRefused(t, submit(t, fmt.Sprintf("OP-OUT-%d", i), line(0, "OP-3", period[0], period[1])))
		}
	})
	t.Run("ErrContractorIsNotTheSite", func(t *testing.T) {
		// Ensure the intervention admits rows at the site only: the operator
		// cannot send for the contractor's establishment.
		rep := submit(t, "OP-A", strings.Replace(line(0, "OP-4", "2024-09-09T07:00:00", "2024-09-13T18:00:00"), siretB, siretA, 1))
		if rep.Status != "REJECTED" || len(rep.Problems) != 1 || rep.Problems[0].Code != "ESTABLISHMENT_NOT_IN_SCOPE" {
			t.Fatalf("report = %+v, want ESTABLISHMENT_NOT_IN_SCOPE", rep)
		}
	})
}
