package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ariga.io/atlas/sql/migrate"
	entschema "entgo.io/ent/dialect/sql/schema"

	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	entmigrate "github.com/siseri/siseri/ent/migrate"
	"github.com/siseri/siseri/policy"
)

// openEmpty returns an open database of the dialect with no table at all.
func openEmpty(t *testing.T, dia string) *store.DB {
	t.Helper()
	url := filepath.Join(t.TempDir(), "siseri.db")
	if dia == "postgres" {
		url = storetest.MustCreateDatabase(t)
	}
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func migrationFiles(t *testing.T, dia string) []migrate.File {
	t.Helper()
	dir, err := store.EmbeddedMigrations(dia)
	if err != nil {
		t.Fatal(err)
	}
	files, err := dir.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("%d migrations, want the baseline and at least one more", len(files))
	}
	return files
}

var dialects = []string{"postgres", "sqlite3"}

// The dialects' directories hold the same versions, so that a revision
// means the same schema everywhere.
func TestMigrationVersionsAgree(t *testing.T) {
	var versions [2][]string
	for i, dia := range dialects {
		for _, f := range migrationFiles(t, dia) {
			versions[i] = append(versions[i], f.Version()+"_"+f.Desc())
		}
	}
	if !slices.Equal(versions[0], versions[1]) {
		t.Fatalf("postgres %v, sqlite %v", versions[0], versions[1])
	}
}

// A fresh database migrated by the files has exactly the schema Ent wants.
func TestMigrationsMatchEntSchema(t *testing.T) {
	for _, dia := range dialects {
		t.Run(dia, func(t *testing.T) {
			db := openEmpty(t, dia)
			ctx := context.Background()
			applied, err := db.MigrateTo(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(migrationFiles(t, dia)) || applied[0].Baseline {
				t.Fatalf("applied %v", applied)
			}
			m, err := entschema.NewMigrate(db.Driver, entschema.WithDir(&migrate.MemDir{}), entschema.WithErrNoPlan(true),
				entschema.WithDropColumn(true), entschema.WithDropIndex(true))
			if err != nil {
				t.Fatal(err)
			}
			if err := m.NamedDiff(ctx, "diff", entmigrate.Tables...); !errors.Is(err, migrate.ErrNoPlan) {
				t.Fatalf("diff between the migrated database and ent/schema: %v (want none)", err)
			}
			// Once migrated, nothing is pending.
			if applied, err := db.MigrateTo(ctx, ""); err != nil || len(applied) != 0 {
				t.Fatalf("second migration: %v, %v", applied, err)
			}
		})
	}
}

// A database migrated to the baseline and filled with plain SQL (the
// baseline's columns) keeps its rows, readable through Ent, once migrated
// to the last version.
func TestMigrationsKeepData(t *testing.T) {
	for _, dia := range dialects {
		t.Run(dia, func(t *testing.T) {
			db := openEmpty(t, dia)
			ctx := context.Background()
			files := migrationFiles(t, dia)
			if _, err := db.MigrateTo(ctx, files[0].Version()); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.SQL.QueryRow("SELECT count(*) FROM " + store.RevisionsTable).Scan(&n); err != nil || n != 1 {
				t.Fatalf("revisions after the baseline: %d, %v", n, err)
			}
			ids := fillBaseline(t, db)
			applied, err := db.MigrateTo(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(files)-1 || applied[0].Version != files[1].Version() {
				t.Fatalf("applied %v, want the %d migrations after the baseline", applied, len(files)-1)
			}
			checkBaselineData(t, db, ids)
		})
	}
}

type baselineIDs struct{ company, establishment, worker, employment, laboratory, dose, account, grant int }

// fillBaseline inserts rows with plain SQL written against the baseline's
// columns.
func fillBaseline(t *testing.T, db *store.DB) baselineIDs {
	t.Helper()
	now := time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)
	insert := func(q string, args ...any) int {
		t.Helper()
		if db.IsPostgres() {
			for i := 1; strings.Contains(q, "?"); i++ {
				q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
			}
		}
		var id int
		if err := db.SQL.QueryRow(q+" RETURNING id", args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	var ids baselineIDs
	ids.company = insert(`INSERT INTO companies (created_at, updated_at, siren, name) VALUES (?, ?, ?, ?)`,
		now, now, "732829320", "Centre hospitalier")
	ids.establishment = insert(`INSERT INTO establishments (created_at, updated_at, siret, name, city, company_id)
		VALUES (?, ?, ?, ?, ?, ?)`, now, now, "73282932000074", "CHU Nord", "Lille", ids.company)
	ids.worker = insert(`INSERT INTO workers (created_at, updated_at, identifier_kind, nir, last_name, first_names,
		birth_date, sex, pseudonym) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, now, now, "NIR", "180017505600103", "Dupré",
		"Élise", time.Date(1980, 1, 15, 0, 0, 0, 0, time.UTC), "F", "PSEUDO-1")
	ids.employment = insert(`INSERT INTO employments (created_at, updated_at, start_date, contract_type, work_fraction,
		nomenclature_version, classification, monitoring_kinds, establishment_id, worker_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, now, now, time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), "CDI", 80,
		"2024", "A", `["PASSIVE_WHOLE_BODY"]`, ids.establishment, ids.worker)
	ids.laboratory = insert(`INSERT INTO laboratories (created_at, updated_at, code, name, active) VALUES (?, ?, ?, ?, ?)`,
		now, now, "LAB1", "Laboratoire de dosimétrie", true)
	ids.account = insert(`INSERT INTO accounts (created_at, updated_at, email, display_name, active, demo)
		VALUES (?, ?, ?, ?, ?, ?)`, now, now, "medecin@example.fr", "Dr Martin", true, false)
	ids.grant = insert(`INSERT INTO grants (created_at, updated_at, role, valid_from, account_id, establishment_id)
		VALUES (?, ?, ?, ?, ?, ?)`, now, now, string(policy.RolePhysician), now, ids.account, ids.establishment)
	ids.dose = insert(`INSERT INTO dose_records (source, monitoring_kind, quantity, value_usv, status, period_start,
		period_end, version, "current", received_at, pending, establishment_id, laboratory_id, worker_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, "LABORATORY", "PASSIVE_WHOLE_BODY", "HP10", 250, "MEASURED",
		time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), 1, true, now, false,
		ids.establishment, ids.laboratory, ids.worker)
	return ids
}

// checkBaselineData reads fillBaseline's rows back through Ent.
func checkBaselineData(t *testing.T, db *store.DB, ids baselineIDs) {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	// The global ids resolve to their type: the id ranges survived.
	for id, typ := range map[int]string{ids.company: "Company", ids.worker: "Worker", ids.dose: "DoseRecord", ids.grant: "Grant"} {
		n, err := c.Noder(ctx, id)
		if err != nil || !strings.HasSuffix(fmt.Sprintf("%T", n), "."+typ) {
			t.Errorf("node %d: %T, %v; want a %s", id, n, err, typ)
		}
	}
	est := c.Establishment.GetX(ctx, ids.establishment)
	if est.Siret != "73282932000074" || est.City != "Lille" || est.QueryCompany().OnlyX(ctx).Name != "Centre hospitalier" {
		t.Errorf("establishment %+v", est)
	}
	w := c.Worker.GetX(ctx, ids.worker)
	if w.Nir == nil || *w.Nir != "180017505600103" || w.LastName != "Dupré" || !w.BirthDate.Equal(time.Date(1980, 1, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("worker %+v", w)
	}
	emp := c.Employment.GetX(ctx, ids.employment)
	if emp.WorkFraction != 80 || string(emp.ContractType) != "CDI" || !slices.Equal(emp.MonitoringKinds, []string{"PASSIVE_WHOLE_BODY"}) ||
		emp.QueryWorker().OnlyIDX(ctx) != ids.worker {
		t.Errorf("employment %+v", emp)
	}
	if l := c.Laboratory.GetX(ctx, ids.laboratory); l.Code != "LAB1" || !l.Active {
		t.Errorf("laboratory %+v", l)
	}
	d := c.DoseRecord.GetX(ctx, ids.dose)
	if d.ValueUsv != 250 || !d.Current || d.QueryWorker().OnlyIDX(ctx) != ids.worker || d.QueryLaboratory().OnlyIDX(ctx) != ids.laboratory {
		t.Errorf("dose %+v", d)
	}
	a := c.Account.GetX(ctx, ids.account)
	g := c.Grant.GetX(ctx, ids.grant)
	if a.Email != "medecin@example.fr" || string(g.Role) != string(policy.RolePhysician) || g.QueryAccount().OnlyIDX(ctx) != ids.account {
		t.Errorf("account %+v, grant %+v", a, g)
	}
	// The table of a later migration works beside the old rows.
	tok := c.AccountToken.Create().SetAccountID(ids.account).SetPurpose("ACTIVATION").SetTokenHash([]byte("h")).
		SetExpiresAt(time.Now().Add(time.Hour)).SaveX(ctx)
	if tok.QueryAccount().OnlyIDX(ctx) != ids.account {
		t.Error("token's account")
	}
}

// A database that Ent's automatic migration created (no revisions table) is
// adopted: the migrations its schema matches are recorded as applied, the
// later ones applied; one that matches none is refused.
func TestMigrationsAdoptSchemaCreate(t *testing.T) {
	for _, dia := range dialects {
		t.Run(dia, func(t *testing.T) {
			ctx := context.Background()
			files := migrationFiles(t, dia)

			// Created by Schema.Create from today's ent/schema: every migration matches.
			db := openEmpty(t, dia)
			if err := db.Client.Schema.Create(policy.SystemContext(ctx)); err != nil {
				t.Fatal(err)
			}
			applied, err := db.MigrateTo(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(files) || !applied[len(applied)-1].Baseline {
				t.Fatalf("applied %v, want all %d marked", applied, len(files))
			}

			// Created at the baseline, before the later entities: the baseline is
			// marked, the rest applied, the data kept.
			db = openEmpty(t, dia)
			if _, err := db.MigrateTo(ctx, files[0].Version()); err != nil {
				t.Fatal(err)
			}
			ids := fillBaseline(t, db)
			if _, err := db.SQL.Exec("DROP TABLE " + store.RevisionsTable); err != nil {
				t.Fatal(err)
			}
			applied, err = db.MigrateTo(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(files) || !applied[0].Baseline || applied[1].Baseline {
				t.Fatalf("applied %v, want the baseline marked and the others applied", applied)
			}
			if got := applied[0].String(); !strings.Contains(got, "marquée comme appliquée") {
				t.Errorf("baseline message %q", got)
			}
			checkBaselineData(t, db, ids)

			// A schema that is no migration's: refused, and nothing recorded.
			db = openEmpty(t, dia)
			if _, err := db.SQL.Exec("CREATE TABLE companies (id integer PRIMARY KEY, siren text)"); err != nil {
				t.Fatal(err)
			}
			_, err = db.MigrateTo(ctx, "")
			if err == nil || !strings.Contains(err.Error(), "ne correspond à aucune migration") {
				t.Fatalf("got %v, want a refusal", err)
			}
			q := "SELECT count(*) FROM sqlite_master WHERE name = '" + store.RevisionsTable + "'"
			if db.IsPostgres() {
				q = "SELECT count(*) FROM information_schema.tables WHERE table_name = '" + store.RevisionsTable + "'"
			}
			var n int
			if err := db.SQL.QueryRow(q).Scan(&n); err != nil || n != 0 {
				t.Fatalf("revisions table after the refusal: %d, %v", n, err)
			}
		})
	}
}

// A database migrated by a newer binary (a revision this one does not know)
// is refused.
func TestMigrationsRefuseUnknownRevision(t *testing.T) {
	for _, dia := range dialects {
		t.Run(dia, func(t *testing.T) {
			db := openEmpty(t, dia)
			ctx := context.Background()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL.Exec("INSERT INTO " + store.RevisionsTable +
				" (version, description, hash) VALUES ('29990101000000', 'future', 'x')"); err != nil {
				t.Fatal(err)
			}
			err := db.Migrate(ctx)
			var unknown *store.UnknownRevisionError
			if !errors.As(err, &unknown) || unknown.Version != "29990101000000" || !strings.Contains(err.Error(), "version plus récente") {
				t.Fatalf("got %v, want an unknown revision", err)
			}
		})
	}
}

// A migration file edited by hand no longer matches atlas.sum.
func TestMigrationsValidateSum(t *testing.T) {
	sub, err := fs.Sub(os.DirFS("migrations"), "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := store.CopyDir(sub)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ValidateDir(dir); err != nil {
		t.Fatalf("checked-in directory: %v", err)
	}
	files, _ := dir.Files()
	if err := dir.WriteFile(files[0].Name(), append(files[0].Bytes(), "-- edited\n"...)); err != nil {
		t.Fatal(err)
	}
	err = store.ValidateDir(dir)
	if err == nil || !strings.Contains(err.Error(), "atlas.sum ne correspond pas") || !strings.Contains(err.Error(), files[0].Name()) {
		t.Fatalf("got %v, want a checksum refusal naming %s", err, files[0].Name())
	}
}

// The generator refuses a change that would drop a table or a column, and
// writes nothing when ent/schema and the directory agree.
func TestPlanMigrationRefusesDrops(t *testing.T) {
	ctx := context.Background()
	for _, dia := range dialects {
		t.Run(dia, func(t *testing.T) {
			sub, err := fs.Sub(os.DirFS("migrations"), store.MigrationDirName(dia))
			if err != nil {
				t.Fatal(err)
			}
			dir, err := store.CopyDir(sub)
			if err != nil {
				t.Fatal(err)
			}
			dev, closeDev, err := store.OpenDevDatabase(ctx, dia, storetest.AdminURL())
			if err != nil {
				t.Fatal(err)
			}
			defer closeDev()
			if err := store.PlanMigration(ctx, dia, dev, dir, "none", "29990101000000"); !errors.Is(err, migrate.ErrNoPlan) {
				t.Fatalf("checked-in directory: %v, want no change", err)
			}
			if err := dir.WriteFile("29990101000000_extra.sql",
				[]byte("ALTER TABLE companies ADD COLUMN legacy_code text;\nCREATE TABLE legacy_things (id integer PRIMARY KEY);\n")); err != nil {
				t.Fatal(err)
			}
			sum, _ := dir.Checksum()
			if err := migrate.WriteSumFile(dir, sum); err != nil {
				t.Fatal(err)
			}
			err = store.PlanMigration(ctx, dia, dev, dir, "drop", "29990102000000")
			var destructive *store.DestructiveError
			if !errors.As(err, &destructive) || !slices.Contains(destructive.Drops, "table legacy_things") ||
				!slices.Contains(destructive.Drops, "column companies.legacy_code") {
				t.Fatalf("got %v, want both drops refused", err)
			}
		})
	}
}

// Servers starting together on one PostgreSQL database migrate it one after
// the other: each migration is applied once.
func TestMigrationsConcurrentPostgres(t *testing.T) {
	url := storetest.MustCreateDatabase(t)
	ctx := context.Background()
	const n = 3
	errs := make(chan error, n)
	applied := make(chan int, n)
	for range n {
		go func() {
			db, err := store.Open(ctx, url)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			a, err := db.MigrateTo(ctx, "")
			applied <- len(a)
			errs <- err
		}()
	}
	total := 0
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		total += <-applied
	}
	if want := len(migrationFiles(t, "postgres")); total != want {
		t.Fatalf("%d migrations applied in all, want %d (each once)", total, want)
	}
}
