package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"text/template"

	atlas "ariga.io/atlas/sql/schema"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	entschema "entgo.io/ent/dialect/sql/schema"

	entmigrate "github.com/siseri/siseri/ent/migrate"
)

// PlanMigration writes into dir the migration that takes the schema its
// files create to the one ent/schema describes, as file version_name.sql
// (and updates atlas.sum). It replays dir on dev, a clean database of the
// dialect (an empty PostgreSQL database, or an in-memory SQLite one), to
// compute the current state. It returns migrate.ErrNoPlan when there is
// nothing to change, and a *DestructiveError when the change would drop a
// table or a column: nothing is ever dropped.
func PlanMigration(ctx context.Context, dia string, dev *sql.DB, dir migrate.Dir, name, version string) error {
	f, err := migrate.NewTemplateFormatter(
		template.Must(template.New("name").Parse(version+"{{ with .Name }}_{{ . }}{{ end }}.sql")),
		migrate.DefaultFormatter[0].C,
	)
	if err != nil {
		return err
	}
	m, err := entschema.NewMigrate(entsql.OpenDB(dia, dev),
		entschema.WithDir(dir),
		entschema.WithMigrationMode(entschema.ModeReplay),
		entschema.WithFormatter(f),
		entschema.WithErrNoPlan(true),
		// Drops are not filtered out silently: refuseDrops sees them and refuses.
		entschema.WithDropColumn(true),
		entschema.WithDropIndex(true),
		entschema.WithDiffHook(refuseDrops),
	)
	if err != nil {
		return err
	}
	return m.NamedDiff(ctx, name, entmigrate.Tables...)
}

// DestructiveError is a schema change that would drop tables or columns.
type DestructiveError struct{ Drops []string }

func (e *DestructiveError) Error() string {
	return fmt.Sprintf("the change drops %s: nothing is ever dropped, keep the field or table in ent/schema "+
		"(deprecate it instead) — see docs/migrations.md. "+
		"(Le changement supprime %s : rien ne se supprime jamais ; gardez le champ ou la table dans ent/schema.)",
		strings.Join(e.Drops, ", "), strings.Join(e.Drops, ", "))
}

// refuseDrops is an Ent diff hook that refuses dropped tables and columns.
func refuseDrops(next entschema.Differ) entschema.Differ {
	return entschema.DiffFunc(func(current, desired *atlas.Schema) ([]atlas.Change, error) {
		changes, err := next.Diff(current, desired)
		if err != nil {
			return nil, err
		}
		var drops []string
		for _, c := range changes {
			switch c := c.(type) {
			case *atlas.DropTable:
				drops = append(drops, "table "+c.T.Name)
			case *atlas.ModifyTable:
				for _, cc := range c.Changes {
					if d, ok := cc.(*atlas.DropColumn); ok {
						drops = append(drops, "column "+c.T.Name+"."+d.C.Name)
					}
				}
			}
		}
		if len(drops) > 0 {
			return nil, &DestructiveError{Drops: drops}
		}
		return changes, nil
	})
}

// OpenDevDatabase opens a clean database of the dialect for PlanMigration: a
// throw-away database on the PostgreSQL server of the maintenance database
// adminURL, or an in-memory SQLite database. close drops it.
func OpenDevDatabase(ctx context.Context, dia, adminURL string) (db *sql.DB, close func(), err error) {
	if dia != dialect.Postgres {
		db, err := sql.Open("sqlite", "file:dev?mode=memory&_pragma=foreign_keys(1)")
		if err != nil {
			return nil, nil, err
		}
		db.SetMaxOpenConns(1) // one connection: one in-memory database
		return db, func() { db.Close() }, nil
	}
	u, drop, err := CreateDatabase(ctx, adminURL, "siseri_dev_")
	if err != nil {
		return nil, nil, err
	}
	db, err = sql.Open("pgx", u)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}
