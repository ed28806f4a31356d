package seed

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// SchemaFingerprint lists, one line each, the columns, indexes, constraints
// and triggers of a PostgreSQL database's public schema, in a stable order:
// two databases with the same schema have the same lines. It is how the
// bulk load is checked to leave exactly the schema the migration creates.
func SchemaFingerprint(ctx context.Context, db *sql.DB) ([]string, error) {
	queries := []string{
		`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable ||
			' default=' || coalesce(column_default, '') || ' identity=' || is_identity
		 FROM information_schema.columns WHERE table_schema = 'public'`,
		`SELECT 'index ' || tablename || '.' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'`,
		`SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid)
		 FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
		`SELECT 'trigger ' || tgrelid::regclass::text || '.' || tgname || ' ' || pg_get_triggerdef(oid)
		 FROM pg_trigger WHERE NOT tgisinternal`,
	}
	var out []string
	for _, q := range queries {
		rows, err := db.QueryContext(ctx, q+" ORDER BY 1")
		if err != nil {
			return nil, fmt.Errorf("schema fingerprint: %w", err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, strings.Join(strings.Fields(line), " "))
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
