// Command migrations writes and checks SISERI's versioned migrations
// (backend/store/migrations/<dialect>/), from the module root:
//
//	go run ./backend/cmd/migrations new NAME   the next migration, both dialects (make migration NAME=…)
//	go run ./backend/cmd/migrations check      fail when ent/schema and the migrations disagree (make check-generate)
//
// Both diff the migration directory, replayed on a clean dev database, with
// ent/schema: PostgreSQL on a throw-away database of the server
// SISERI_TEST_DATABASE_URL names (as the tests do), SQLite in memory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"

	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
)

var dialects = []string{dialect.Postgres, dialect.SQLite}

func main() {
	root := flag.String("dir", store.MigrationsDir, "directory holding the postgres/ and sqlite/ migration directories")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: migrations [-dir DIR] new NAME | check")
	}
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var err error
	switch {
	case flag.NArg() == 2 && flag.Arg(0) == "new":
		err = newMigration(ctx, *root, flag.Arg(1))
	case flag.NArg() == 1 && flag.Arg(0) == "check":
		err = check(ctx, *root)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "\nerror: %v\n", err)
		os.Exit(1)
	}
}

// plan diffs one dialect's directory (copied in memory) with ent/schema and
// returns the copy, with the new migration when there is one.
func plan(ctx context.Context, root, dia, name, version string) (*migrate.MemDir, error) {
	path := filepath.Join(root, store.MigrationDirName(dia))
	dir, err := store.CopyDir(os.DirFS(path))
	if err != nil {
		return nil, err
	}
	if err := store.ValidateDir(dir); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dev, closeDev, err := store.OpenDevDatabase(ctx, dia, storetest.AdminURL())
	if err != nil {
		return nil, fmt.Errorf("%s dev database: %w.\nPostgreSQL is needed to check and write migrations: run through "+
			"`make test`, or `scripts/ensure-postgres.sh make check-generate`, or set SISERI_TEST_DATABASE_URL. "+
			"(PostgreSQL est nécessaire pour vérifier et écrire les migrations.)", dia, err)
	}
	defer closeDev()
	return dir, store.PlanMigration(ctx, dia, dev, dir, name, version)
}

func versions(dir migrate.Dir) ([]string, error) {
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	var vs []string
	for _, f := range files {
		vs = append(vs, f.Version())
	}
	return vs, nil
}

var validName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func newMigration(ctx context.Context, root, name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("NAME %q: lower-case letters, digits and _ only (lettres minuscules, chiffres et _)", name)
	}
	version := time.Now().UTC().Format("20060102150405")
	dirs := map[string]*migrate.MemDir{}
	changed := 0
	for _, dia := range dialects {
		dir, err := plan(ctx, root, dia, name, version)
		switch {
		case errors.Is(err, migrate.ErrNoPlan):
		case err != nil:
			return fmt.Errorf("%s: %w", dia, err)
		default:
			changed++
		}
		vs, err := versions(dir)
		if err != nil {
			return err
		}
		if len(vs) > 0 && vs[len(vs)-1] > version {
			return fmt.Errorf("%s: the last migration %s is later than now (%s)", dia, vs[len(vs)-1], version)
		}
		dirs[dia] = dir
	}
	if changed == 0 {
		fmt.Println("ent/schema and the migrations agree: no migration to write (rien à migrer).")
		return nil
	}
	for _, dia := range dialects {
		dir := dirs[dia]
		vs, _ := versions(dir)
		if !slices.Contains(vs, version) {
			// Same versions in every dialect: an empty step where nothing changes.
			if err := dir.WriteFile(version+"_"+name+".sql", []byte("-- No change on "+dia+".\n")); err != nil {
				return err
			}
			sum, err := dir.Checksum()
			if err != nil {
				return err
			}
			if err := migrate.WriteSumFile(dir, sum); err != nil {
				return err
			}
		}
		path := filepath.Join(root, store.MigrationDirName(dia))
		if err := os.MkdirAll(path, 0o755); err != nil {
			return err
		}
		for _, n := range []string{version + "_" + name + ".sql", migrate.HashFileName} {
			b, err := fs.ReadFile(dir, n)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(path, n), b, 0o644); err != nil {
				return err
			}
			fmt.Println("wrote", filepath.Join(path, n))
		}
	}
	return nil
}

func check(ctx context.Context, root string) error {
	var first []string
	for i, dia := range dialects {
		dir, err := plan(ctx, root, dia, "pending", "00000000000000")
		switch {
		case errors.Is(err, migrate.ErrNoPlan):
		case err != nil:
			return fmt.Errorf("%s: %w", dia, err)
		default:
			files, _ := dir.Files()
			pending := files[0]
			for _, f := range files {
				if f.Version() == "00000000000000" {
					pending = f
				}
			}
			return fmt.Errorf("the %s migrations do not create the schema ent/schema describes; missing:\n\n%s\n"+
				"Write the migration with `make migration NAME=what_changed` and commit it.\n"+
				"(Les migrations ne correspondent pas à ent/schema : lancez `make migration NAME=…` et committez le résultat.)",
				dia, pending.Bytes())
		}
		vs, err := versions(dir)
		if err != nil {
			return err
		}
		if i == 0 {
			first = vs
		} else if !slices.Equal(first, vs) {
			return fmt.Errorf("the migration versions differ between %s (%v) and %s (%v); write migrations with `make migration` only. "+
				"(Les versions des migrations diffèrent d'un dialecte à l'autre.)", dialects[0], first, dia, vs)
		}
	}
	fmt.Fprintln(os.Stderr, "migrations: up to date with ent/schema")
	return nil
}
