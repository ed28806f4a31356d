package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// TestImportHistoryCommand ensures `siseri import --history` loads a
// laboratory's past results for an administrator, with their dates of
// receipt, raising no timeliness finding, and is refused to a laboratory.
func TestImportHistoryCommand(t *testing.T) {
	url := storetest.MustCreateDatabase(t)
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sys := policy.SystemContext(ctx)
	c := db.Client
	est := c.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(sys)
	key, _ := dosimetry.NIRKey("1800175056001")
	nir := fmt.Sprintf("1800175056001%02d", key)
	w := c.Worker.Create().SetNir(nir).SetLastName("Dupré").SetFirstNames("Élise").SetBirthDate(time.Date(1980, 1, 15, 0, 0, 0, 0, time.UTC)).
		SetSex("M").SaveX(sys)
	c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetStartDate(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)).
		SetContractType("CDI").SetNomenclatureVersion("V1").SetClassification("A").SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(sys)
	lab := c.Laboratory.Create().SetCode("LABH").SetName("Laboratoire").SaveX(sys)
	hash, _ := auth.HashPassword("mot-de-passe-long-1")
	for email, role := range map[string]policy.Role{"admin@test.fr": policy.RoleAdmin, "labo@test.fr": policy.RoleLaboratory} {
		a := c.Account.Create().SetEmail(email).SetDisplayName(email).SetPasswordHash(hash).SaveX(sys)
		g := c.Grant.Create().SetAccountID(a.ID).SetRole(role).SetValidFrom(time.Now().Add(-time.Hour))
		if role == policy.RoleLaboratory {
			g.SetLaboratoryID(lab.ID)
		}
		g.ExecX(sys)
	}
	var file strings.Builder
	file.WriteString("nir;nom;prenom;date_naissance;siret;dosimetre;type_suivi;grandeur;debut_periode;fin_periode;resultat;unite;radionucleide;commentaire;date_reception\n")
	for m := 1; m <= 12; m++ {
		start := time.Date(2022, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 1, -1)
		fmt.Fprintf(&file, "%s;DUPRE;Élise;1980-01-15;73282932000074;D1;PASSIF_CORPS_ENTIER;HP10;%s;%s;0,30;mSv;;;%s\n",
			nir, start.Format(time.DateOnly), end.Format(time.DateOnly), end.AddDate(0, 0, 12).Format(time.DateOnly))
	}
	path := filepath.Join(t.TempDir(), "historique-2022.csv")
	if err := os.WriteFile(path, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	args := func(as string) []string {
		return []string{"import", "--database-url", url, "--format", "lab-results", "--as", as, "--history",
			"--laboratory", fmt.Sprint(lab.ID), "--reference", "H-" + as, path}
	}
	var out bytes.Buffer
	if err := run(ctx, args("admin@test.fr"), &out, &out); err != nil {
		t.Fatalf("import --history as an administrator: %v\n%s", err, out.String())
	}
	if n := c.DoseRecord.Query().Where(doserecord.LaboratoryID(lab.ID), doserecord.ReceivedOnNotNil()).CountX(sys); n != 12 {
		t.Errorf("history results with their date of receipt = %d, want 12\n%s", n, out.String())
	}
	if n := c.Anomaly.Query().Where(anomaly.Kind("MISSING_RESULT")).CountX(sys); n != 0 {
		t.Errorf("timeliness findings after a history import = %d, want 0", n)
	}
	out.Reset()
	err = run(ctx, args("labo@test.fr"), &out, &out)
	var rej rejectedError
	if err == nil || errors.As(err, &rej) {
		t.Errorf("import --history as a laboratory: %v, want refused\n%s", err, out.String())
	}
}

// TestImportWithoutRows: `siseri import` of a file with only its header
// exits as rejected (NO_DATA_ROWS), and the real file then sent under the
// same reference is accepted.
func TestImportWithoutRows(t *testing.T) {
	url := storetest.MustCreateDatabase(t)
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sys := policy.SystemContext(ctx)
	c := db.Client
	est := c.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(sys)
	key, _ := dosimetry.NIRKey("1800175056001")
	nir := fmt.Sprintf("1800175056001%02d", key)
	w := c.Worker.Create().SetNir(nir).SetLastName("Dupré").SetFirstNames("Élise").SetBirthDate(time.Date(1980, 1, 15, 0, 0, 0, 0, time.UTC)).
		SetSex("M").SaveX(sys)
	c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetStartDate(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)).
		SetContractType("CDI").SetNomenclatureVersion("V1").SetClassification("A").SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(sys)
	lab := c.Laboratory.Create().SetCode("LABH").SetName("Laboratoire").SaveX(sys)
	hash, _ := auth.HashPassword("mot-de-passe-long-1")
	a := c.Account.Create().SetEmail("labo@test.fr").SetDisplayName("labo").SetPasswordHash(hash).SaveX(sys)
	c.Grant.Create().SetAccountID(a.ID).SetRole(policy.RoleLaboratory).SetLaboratoryID(lab.ID).SetValidFrom(time.Now().Add(-time.Hour)).ExecX(sys)
	header := "nir;nom;prenom;date_naissance;siret;dosimetre;type_suivi;grandeur;debut_periode;fin_periode;resultat;unite;radionucleide;commentaire\n"
	dir := t.TempDir()
	importFile := func(name, content string) (string, error) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err := run(ctx, []string{"import", "--database-url", url, "--format", "lab-results", "--as", "labo@test.fr",
			"--reference", "LOT-1", path}, &out, &out)
		return out.String(), err
	}
	out, err := importFile("entete.csv", header)
	var rej rejectedError
	if !errors.As(err, &rej) || !strings.Contains(out, "NO_DATA_ROWS") || !strings.Contains(out, "rejeté") {
		t.Fatalf("header only: %v\n%s", err, out)
	}
	out, err = importFile("resultats.csv", header+nir+";DUPRE;Élise;1980-01-15;73282932000074;D1;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;0,30;mSv;;\n")
	if err != nil || !strings.Contains(out, "accepté") {
		t.Fatalf("real file under the same reference: %v\n%s", err, out)
	}
	if n := c.DoseRecord.Query().CountX(sys); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}
