package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/policy"
)

var activationLink = regexp.MustCompile(`https://siseri\.example\.fr/activation/(\S+)`)

// TestAdminCreate: `siseri admin create` on a migrated empty database creates
// an administrator without password and prints a link that activates it; a
// second administrator is refused with a French message and a non-zero exit.
func TestAdminCreate(t *testing.T) {
	url := storetest.MustCreateDatabase(t)
	ctx := context.Background()
	if err := run(ctx, []string{"migrate", "--database-url", url}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(ctx, []string{"admin", "create", "--database-url", url, "--email", "Claire.Dubois@agence.fr",
		"--name", "Claire Dubois", "--public-url", "https://siseri.example.fr/"}, &out, &out)
	if err != nil {
		t.Fatalf("admin create: %v\n%s", err, out.String())
	}
	m := activationLink.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no activation link on the public URL in %q", out.String())
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sys := policy.SystemContext(ctx)
	acc := db.Client.Account.Query().OnlyX(sys)
	if acc.Email != "claire.dubois@agence.fr" || acc.PasswordHash != "" {
		t.Fatalf("account %q with password hash %q, want the e-mail in lower case and no password", acc.Email, acc.PasswordHash)
	}
	g := acc.QueryGrants().OnlyX(sys)
	if g.Role != policy.RoleAdmin || g.EstablishmentID != nil || g.LaboratoryID != nil || g.Region != nil || g.CompanyID != nil {
		t.Fatalf("grant %+v, want a national ADMIN grant", g)
	}

	svc := auth.NewService(db.Client)
	if _, err := svc.Activate(ctx, m[1], "un mot de passe assez long"); err != nil {
		t.Fatalf("activate with the printed link: %v", err)
	}
	if _, err := svc.Login(ctx, "claire.dubois@agence.fr", "un mot de passe assez long", "127.0.0.1", "test"); err != nil {
		t.Fatalf("sign in after activation: %v", err)
	}

	out.Reset()
	err = run(ctx, []string{"admin", "create", "--database-url", url, "--email", "autre@agence.fr", "--name", "Autre"}, &out, &out)
	if err == nil || exitCode(err) == 0 || apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "administrateur actif existe déjà") {
		t.Fatalf("second administrator: err %v (exit %d), want a CONFLICT in French and a non-zero exit", err, exitCode(err))
	}
	if n := db.Client.Account.Query().CountX(sys); n != 1 {
		t.Fatalf("%d accounts after the refusal, want 1", n)
	}

	// A deactivated administrator does not count: a new one can be created.
	db.Client.Account.UpdateOne(acc).SetActive(false).ExecX(sys)
	out.Reset()
	if err := run(ctx, []string{"admin", "create", "--database-url", url, "--email", "autre@agence.fr", "--name", "Autre",
		"--public-url", "https://siseri.example.fr"}, &out, &out); err != nil || !activationLink.MatchString(out.String()) {
		t.Fatalf("administrator after the first one was deactivated: %v\n%s", err, out.String())
	}
	if err := run(ctx, []string{"admin", "create", "--database-url", url, "--email", "x@agence.fr"}, &out, &out); exitCode(err) != 2 {
		t.Fatalf("missing --name: %v, want a usage error", err)
	}
}

// TestNomenclatureImportCommand: `siseri nomenclature import` adds a version
// and refuses to import it twice.
func TestNomenclatureImportCommand(t *testing.T) {
	url := storetest.MustCreateDatabase(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nomenclature.csv")
	csv := "kind;code;label;parent\nDOMAIN;MED;Médical;\nSECTOR;MED-RI;Radiologie interventionnelle;MED\nJOB;CARDIO;Cardiologue;MED-RI\nJOB;INF;Infirmier;\n"
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"nomenclature", "import", path, "--database-url", url, "--version", "2027", "--valid-from", "2027-01-01"}, &out, &out); err != nil {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(out.String(), "1 domaines, 1 secteurs, 2 métiers") {
		t.Fatalf("summary %q", out.String())
	}
	err := run(ctx, []string{"nomenclature", "import", "--database-url", url, "--version", "2027", "--valid-from", "2027-01-01", path}, &out, &out)
	if apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("same version again: %v, want CONFLICT", err)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := db.Client.Nomenclature.Query().Where(nomenclature.Version("2027")).CountX(policy.SystemContext(ctx)); n != 4 {
		t.Fatalf("%d rows of version 2027, want 4", n)
	}
}
