package registry_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// nir builds a valid NIR from its first 13 digits.
func nir(first13 string) string {
	key, _ := dosimetry.NIRKey(first13)
	return fmt.Sprintf("%s%02d", first13, key)
}

// fixture is a small registry: two establishments, a laboratory, workers
// employed at the first, and the accounts that submit.
type importFixture struct {
	db       *store.DB
	svc      *registry.Importer
	lab      *policy.Viewer
	otherLab *policy.Viewer
	employer *policy.Viewer
	estab    *ent.Establishment
	other    *ent.Establishment
	workers  []*ent.Worker
	nirs     []string
}

const (
	siretA = "73282932000074"
	siretB = "35600000000048"
)

func newImportFixture(t testing.TB, db *store.DB, workers int) *importFixture {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	from := day(2019, 1, 1)
	c.Nomenclature.Create().SetKind("DOMAIN").SetVersion("V1").SetCode("MED").SetLabel("Médical").SetValidFrom(from).ExecX(ctx)
	c.Nomenclature.Create().SetKind("SECTOR").SetVersion("V1").SetCode("RI").SetLabel("Radiologie interventionnelle").SetParentCode("MED").SetValidFrom(from).ExecX(ctx)
	c.Nomenclature.Create().SetKind("JOB").SetVersion("V1").SetCode("CARDIO").SetLabel("Cardiologue interventionnel").SetValidFrom(from).ExecX(ctx)
	f := &importFixture{db: db}
	f.estab = c.Establishment.Create().SetSiret(siretA).SetName("CHU").SaveX(ctx)
	f.other = c.Establishment.Create().SetSiret(siretB).SetName("Autre").SaveX(ctx)
	lab := c.Laboratory.Create().SetCode("LAB1").SetName("Laboratoire 1").SaveX(ctx)
	lab2 := c.Laboratory.Create().SetCode("LAB2").SetName("Laboratoire 2").SaveX(ctx)
	c.Dosimeter.Create().SetSerial("OTHER-1").SetKind("PASSIVE_WHOLE_BODY").SetLaboratoryID(lab2.ID).ExecX(ctx)
	acc := func(email string) *ent.Account {
		return c.Account.Create().SetEmail(email).SetDisplayName(email).SetPasswordHash("x").SaveX(ctx)
	}
	a1, a2, a3 := acc("labo@test.fr"), acc("labo2@test.fr"), acc("employeur@test.fr")
	f.lab = &policy.Viewer{AccountID: a1.ID, Role: policy.RoleLaboratory,
		Grants: []policy.Grant{{Role: policy.RoleLaboratory, LaboratoryID: lab.ID, ValidFrom: from}}}
	f.otherLab = &policy.Viewer{AccountID: a2.ID, Role: policy.RoleLaboratory,
		Grants: []policy.Grant{{Role: policy.RoleLaboratory, LaboratoryID: lab2.ID, ValidFrom: from}}}
	f.employer = &policy.Viewer{AccountID: a3.ID, Role: policy.RoleEmployer,
		Grants: []policy.Grant{{Role: policy.RoleEmployer, EstablishmentID: f.estab.ID, ValidFrom: from}}}
	for i := range workers {
		n := nir(fmt.Sprintf("1800175056%03d", i+1))
		w := c.Worker.Create().SetNir(n).SetLastName(fmt.Sprintf("Dupré%d", i)).SetFirstNames("Élise Marie").
			SetBirthDate(day(1980, 1, 15)).SetSex("M").SaveX(ctx)
		c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(f.estab.ID).SetStartDate(from).SetContractType("CDI").
			SetNomenclatureVersion("V1").SetSectorCode("RI").SetJobCode("CARDIO").SetClassification("A").
			SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
		f.workers = append(f.workers, w)
		f.nirs = append(f.nirs, n)
	}
	f.svc = registry.NewImporter(db, alerts.NewBroker(alerts.NewHub(16), db.Dialect))
	f.svc.Now = func() time.Time { return now }
	f.svc.Registry.Engine.Now = f.svc.Now
	return f
}

// labLine is a valid result row for worker i in month m of 2024 (1-based).
func (f *importFixture) labLine(i, m int, result string) string {
	start := day(2024, time.Month(m), 1)
	end := start.AddDate(0, 1, -1)
	return fmt.Sprintf("%s;DUPRÉ%d;elise;1980-01-15;%s;D%04d;PASSIF_CORPS_ENTIER;HP10;%s;%s;%s;mSv;;",
		f.nirs[i], i, siretA, i, start.Format("2006-01-02"), end.Format("2006-01-02"), result)
}

const labHeader = "nir;nom;prenom;date_naissance;siret;dosimetre;type_suivi;grandeur;debut_periode;fin_periode;resultat;unite;radionucleide;commentaire"

func csvOf(header string, lines ...string) *bytes.Reader {
	return bytes.NewReader([]byte(header + "\n" + strings.Join(lines, "\n") + "\n"))
}

// submit runs a submission as v in its own transaction.
func (f *importFixture) submit(t testing.TB, v *policy.Viewer, sub ingest.Submission) *ingest.Report {
	t.Helper()
	rep, err := f.svc.Run(policy.NewContext(context.Background(), v), f.db, sub)
	if err != nil {
		t.Fatalf("submit %s: %v", sub.Reference, err)
	}
	return rep
}

func (f *importFixture) count(t testing.TB) (records, batches int) {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	records = f.db.Client.DoseRecord.Query().CountX(ctx)
	batches = f.db.Client.ImportBatch.Query().CountX(ctx)
	return
}
