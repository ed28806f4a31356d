package exposure

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/migrate"
)

// TestSQLCountsToward ensures the set-based statement's lookups of a dose's
// limits (the CASE of rolling codes, the lens transition and pregnancy
// pairs) are dosimetry.CountsToward for every monitoring kind and quantity
// the dose table accepts, on PostgreSQL.
func TestSQLCountsToward(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	_, codes, trans, preg := sqlTables()
	q := `SELECT coalesce((SELECT array_agg(c ORDER BY c) FROM unnest(` + codes + `) AS c), '{}'),
		(r.monitoring_kind, r.quantity) IN (` + trans + `), (r.monitoring_kind, r.quantity) IN (` + preg + `)
		FROM (SELECT $1::text AS monitoring_kind, $2::text AS quantity) r`
	var kinds, quantities []string
	for _, c := range migrate.DoseRecordsColumns {
		switch c.Name {
		case "monitoring_kind":
			kinds = c.Enums
		case "quantity":
			quantities = c.Enums
		}
	}
	pairs := 0
	for _, k := range kinds {
		for _, qu := range quantities {
			var got string
			var inTrans, inPreg bool
			if err := db.SQL.QueryRowContext(ctx, q, k, qu).Scan(&got, &inTrans, &inPreg); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, code := range dosimetry.RollingCodes {
				if dosimetry.CountsToward(code, k, qu) {
					want = append(want, string(code))
				}
			}
			slices.Sort(want)
			if w := "{" + strings.Join(want, ",") + "}"; got != w {
				t.Errorf("%s %s: rolling codes %s, want %s", k, qu, got, w)
			}
			if w := dosimetry.CountsToward(dosimetry.LimitLensTransition, k, qu); inTrans != w {
				t.Errorf("%s %s: lens transition %t, want %t", k, qu, inTrans, w)
			}
			if w := dosimetry.CountsToward(dosimetry.LimitPregnancy, k, qu); inPreg != w {
				t.Errorf("%s %s: pregnancy %t, want %t", k, qu, inPreg, w)
			}
			if len(want) > 0 {
				pairs++
			}
		}
	}
	// The enums must have been found, or the test proves nothing.
	if pairs < 5 {
		t.Errorf("%d kind and quantity pairs count toward a rolling limit, want at least 5", pairs)
	}
}
