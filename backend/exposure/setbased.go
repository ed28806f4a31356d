package exposure

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/migrate"
)

// This file recomputes the stored standings on PostgreSQL in set-based SQL:
// one statement computes the standings of every touched worker at once
// (GROUP BY over their current results, the binding limit row chosen with
// DISTINCT ON), one statement writes them (INSERT … ON CONFLICT DO UPDATE
// only where a value changed, DELETE of the limits no longer tracked). The
// rules are those of standings (standing.go), and the limits table and the
// CountsToward pairs are dosimetry's own, written into the statement.
//
// The SQL computes a rolling standing as the window of the 12 months ending
// with asOf's. That is the whole rule for a worker and code none of whose
// windows ending in those 12 months can approach a limit: their doses of the
// 23 months such windows cover sum to less than ApproachingShare of the
// smallest limit row in force then. The rare others (an exceedance whose
// peak may lie in an earlier window, an episode reaching back years) are
// computed by standingsOf, the reference, and written by the same statement.

// pgStandings is the temporary table the computed standings go through.
const pgStandings = "siseri_standings"

// IsPostgres reports whether client speaks to PostgreSQL (Ent does not expose
// the dialect of a transaction's client; version() exists only there, and a
// failed statement on SQLite leaves its transaction usable).
func IsPostgres(ctx context.Context, client *ent.Client) bool {
	rows, err := client.QueryContext(ctx, "SELECT version()")
	if err != nil {
		return false
	}
	defer rows.Close()
	var v string
	if rows.Next() && rows.Scan(&v) == nil {
		return strings.HasPrefix(v, "PostgreSQL")
	}
	return false
}

var (
	tablesOnce sync.Once
	limitRows  string // VALUES of the limits table
	// rollingCodes is a CASE over a dose's monitoring kind and quantity
	// giving the array of rolling limit codes it counts toward (NULL for
	// none); transitionPairs and pregnancyPairs are the (kind, quantity)
	// pairs counting toward the lens transition total and the pregnancy
	// limit. They are dosimetry.CountsToward, written out: a dose finds its
	// codes by a lookup on its own row, not by a join on the pairs.
	rollingCodes, transitionPairs, pregnancyPairs string
)

func sqlDate(t time.Time) string {
	if t.IsZero() {
		return "NULL::date"
	}
	return "DATE '" + t.Format(time.DateOnly) + "'"
}

// sqlTables writes the limits table as a VALUES list and CountsToward as a
// CASE (rolling codes) and two lists of pairs.
func sqlTables() (string, string, string, string) {
	tablesOnce.Do(func() {
		var b strings.Builder
		for i, l := range dosimetry.Limits() {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "(%d, '%s', '%s', %d::bigint, %t, '%s', %s, %s)", i, l.Code, l.Population, l.Value, l.Below, l.Window,
				sqlDate(l.From), sqlDate(l.To))
		}
		limitRows = b.String()
		var kinds, quantities []string
		for _, c := range migrate.DoseRecordsColumns {
			switch c.Name {
			case "monitoring_kind":
				kinds = c.Enums
			case "quantity":
				quantities = c.Enums
			}
		}
		var cs strings.Builder
		var trans, preg []string
		cs.WriteString("CASE r.monitoring_kind || '/' || r.quantity")
		for _, k := range kinds {
			for _, q := range quantities {
				var codes []string
				for _, code := range dosimetry.RollingCodes {
					if dosimetry.CountsToward(code, k, q) {
						codes = append(codes, "'"+string(code)+"'")
					}
				}
				if len(codes) > 0 {
					fmt.Fprintf(&cs, " WHEN '%s/%s' THEN ARRAY[%s]", k, q, strings.Join(codes, ", "))
				}
				if dosimetry.CountsToward(dosimetry.LimitLensTransition, k, q) {
					trans = append(trans, fmt.Sprintf("('%s', '%s')", k, q))
				}
				if dosimetry.CountsToward(dosimetry.LimitPregnancy, k, q) {
					preg = append(preg, fmt.Sprintf("('%s', '%s')", k, q))
				}
			}
		}
		cs.WriteString(" END")
		rollingCodes = cs.String()
		// A code no pair counts toward matches nothing.
		none := "(NULL, NULL)"
		transitionPairs, pregnancyPairs = none, none
		if len(trans) > 0 {
			transitionPairs = strings.Join(trans, ", ")
		}
		if len(preg) > 0 {
			pregnancyPairs = strings.Join(preg, ", ")
		}
	})
	return limitRows, rollingCodes, transitionPairs, pregnancyPairs
}

// youngSQL is dosimetry.AgeAt(birth, day) < 18 (29 February birthdays fall
// on 1 March in common years, as there).
func youngSQL(birth, day string) string {
	return fmt.Sprintf("(extract(year FROM %[2]s) - extract(year FROM %[1]s) - CASE WHEN to_char(%[2]s, 'MMDD') < to_char(%[1]s, 'MMDD') THEN 1 ELSE 0 END < 18)", birth, day)
}

// stateSQL is dosimetry.Assessment.State over a sum and a limit row.
const stateSQL = `CASE WHEN (%[3]s AND %[1]s >= %[2]s) OR (NOT %[3]s AND %[1]s > %[2]s) THEN 'EXCEEDED'
	WHEN %[1]s::float8 / %[2]s::float8 >= %[4]s THEN 'APPROACHING' ELSE 'OK' END`

func state(sum, value, below string) string {
	return fmt.Sprintf(stateSQL, sum, value, below, strconv.FormatFloat(dosimetry.ApproachingShare, 'f', -1, 64))
}

// standingsQuery fills pgStandings with the standings of the workers $1 on
// the civil day $2. $3 is the first instant after the month of $2 (results
// ending later are ignored), $4 the first day of the 23 months the rolling
// windows of the last 12 months cover.
func standingsQuery() string {
	lims, codes, transPairs, pregPairs := sqlTables()
	trans := transitionLimit()
	return `INSERT INTO ` + pgStandings + ` (worker_id, limit_code, window_start, window_end, sum_usv, limit_usv, status, records, quiet)
WITH p AS (
	SELECT $2::date AS as_of, date_trunc('month', $2::date)::date AS cur,
		(date_trunc('month', $2::date) + interval '1 month - 1 day')::date AS cur_end,
		(date_trunc('month', $2::date) - interval '11 months')::date AS win_start,
		$4::date AS horizon
), lim(idx, code, pop, value, below, wkind, l_from, l_to) AS (VALUES ` + lims + `
), lims AS (
	-- Each row with the smallest rolling limit of its code in force over
	-- the 23 months (what a quiet history stays below).
	SELECT l.*, min(l.value) FILTER (WHERE l.wkind = 'ROLLING_12_MONTHS' AND (l.l_from IS NULL OR l.l_from <= p.cur_end)
		AND (l.l_to IS NULL OR l.l_to >= p.horizon)) OVER (PARTITION BY l.code) AS smallest
	FROM lim l CROSS JOIN p
), w AS (
	SELECT id, (birth_date AT TIME ZONE 'UTC')::date AS birth FROM workers WHERE id = ANY($1::bigint[])
), d AS (
	SELECT r.worker_id, c.code, (r.period_start AT TIME ZONE 'UTC')::date AS s, (r.period_end AT TIME ZONE 'UTC')::date AS e, r.value_usv AS v
	FROM dose_records r CROSS JOIN LATERAL unnest(` + codes + `) AS c(code)
	WHERE r.worker_id = ANY($1::bigint[]) AND r.current AND r.status <> 'ABSENT'
		AND r.period_end >= $4::timestamp AT TIME ZONE 'UTC' AND r.period_end < $3::timestamptz
), rows_cur AS (
	SELECT w.id AS worker_id, w.birth, l.* FROM w CROSS JOIN lims l CROSS JOIN p
	WHERE l.wkind = 'ROLLING_12_MONTHS' AND (l.l_from IS NULL OR l.l_from <= p.cur_end) AND (l.l_to IS NULL OR l.l_to >= p.win_start)
		AND (l.pop <> 'YOUNG' OR ` + youngSQL("w.birth", "p.win_start") + `)
), sums AS (
	SELECT rc.worker_id, rc.code, rc.idx, rc.value, rc.below, rc.smallest, coalesce(sum(d.v), 0) AS total, count(d.v) AS n
	FROM rows_cur rc CROSS JOIN p LEFT JOIN d ON d.worker_id = rc.worker_id AND d.code = rc.code AND d.e >= p.win_start
		AND (rc.l_from IS NULL OR d.e >= rc.l_from) AND (rc.l_to IS NULL OR d.e <= rc.l_to)
		AND (rc.pop <> 'YOUNG' OR ` + youngSQL("rc.birth", "d.s") + `)
	GROUP BY rc.worker_id, rc.code, rc.idx, rc.value, rc.below, rc.smallest
), binding AS (
	SELECT DISTINCT ON (worker_id, code) * FROM sums
	ORDER BY worker_id, code, total::float8 / value::float8 DESC, value, idx
), recent AS (
	SELECT worker_id, code, sum(v) AS total FROM d GROUP BY worker_id, code
), trd AS (
	SELECT r.worker_id, sum(r.value_usv) AS total, count(*) AS n
	FROM dose_records r
	WHERE r.worker_id = ANY($1::bigint[]) AND r.current AND r.status <> 'ABSENT'
		AND (r.monitoring_kind, r.quantity) IN (` + transPairs + `)
		AND r.period_end >= $5::timestamp AT TIME ZONE 'UTC' AND r.period_end < $6::timestamp AT TIME ZONE 'UTC'
	GROUP BY r.worker_id
), preg AS (
	SELECT DISTINCT ON (e.worker_id) e.worker_id, e.decl, least(p.as_of, coalesce(e.ended, p.as_of)) AS pto
	FROM (SELECT worker_id, (pregnancy_declared_on AT TIME ZONE 'UTC')::date AS decl, max((pregnancy_ended_on AT TIME ZONE 'UTC')::date) AS ended
		FROM employments WHERE worker_id = ANY($1::bigint[]) AND pregnancy_declared_on IS NOT NULL GROUP BY 1, 2) e
		JOIN w ON w.id = e.worker_id CROSS JOIN p
	WHERE e.decl <= p.as_of
	ORDER BY e.worker_id, e.decl DESC
), pd AS (
	SELECT pr.worker_id, pr.decl, pr.pto, coalesce(sum(r.value_usv), 0) AS total, count(r.value_usv) AS n
	FROM preg pr LEFT JOIN dose_records r
		ON r.worker_id = pr.worker_id AND r.current AND r.status <> 'ABSENT' AND r.period_end < $3::timestamptz
		AND (r.monitoring_kind, r.quantity) IN (` + pregPairs + `)
		AND (r.period_start AT TIME ZONE 'UTC')::date <= pr.pto AND (r.period_end AT TIME ZONE 'UTC')::date >= pr.decl
	GROUP BY pr.worker_id, pr.decl, pr.pto
)
SELECT b.worker_id, b.code, p.win_start, p.cur_end, b.total, b.value, ` + state("b.total", "b.value", "b.below") + `, b.n,
	coalesce(rc.total, 0)::float8 / b.smallest::float8 < ` + strconv.FormatFloat(dosimetry.ApproachingShare, 'f', -1, 64) + `
FROM binding b CROSS JOIN p LEFT JOIN recent rc ON rc.worker_id = b.worker_id AND rc.code = b.code
UNION ALL
SELECT w.id, 'LENS_TRANSITION', DATE '` + trans.From.Format(time.DateOnly) + `', $7::date, coalesce(t.total, 0), ` + strconv.FormatInt(int64(trans.Value), 10) + `,
	` + state("coalesce(t.total, 0)", strconv.FormatInt(int64(trans.Value), 10), strconv.FormatBool(trans.Below)) + `, coalesce(t.n, 0), true
FROM w CROSS JOIN p LEFT JOIN trd t ON t.worker_id = w.id
WHERE $8 AND (coalesce(t.n, 0) > 0 OR $9)
UNION ALL
SELECT pd.worker_id, 'PREGNANCY', pd.decl, pd.pto, pd.total, l.value, ` + state("pd.total", "l.value", "l.below") + `, pd.n, true
FROM pd JOIN lim l ON l.code = 'PREGNANCY' AND (l.l_from IS NULL OR l.l_from <= pd.pto) AND (l.l_to IS NULL OR l.l_to >= pd.pto)`
}

func transitionLimit() dosimetry.Limit {
	for _, l := range dosimetry.Limits() {
		if l.Code == dosimetry.LimitLensTransition {
			return l
		}
	}
	panic("exposure: no lens transition limit")
}

// writeQuery writes pgStandings into exposure_summaries for the workers $1:
// a row only where a value changed, the limits no longer tracked removed;
// it returns the workers whose rows changed.
const writeQuery = `WITH up AS (
	INSERT INTO exposure_summaries AS es (created_at, updated_at, worker_id, limit_code, window_start, window_end, sum_usv, limit_usv, status, records)
	SELECT now(), now(), worker_id, limit_code, window_start::timestamp AT TIME ZONE 'UTC', window_end::timestamp AT TIME ZONE 'UTC',
		sum_usv, limit_usv, status, records FROM ` + pgStandings + `
	ON CONFLICT (worker_id, limit_code) DO UPDATE SET updated_at = excluded.updated_at, window_start = excluded.window_start,
		window_end = excluded.window_end, sum_usv = excluded.sum_usv, limit_usv = excluded.limit_usv, status = excluded.status,
		records = excluded.records
	WHERE (es.window_start, es.window_end, es.sum_usv, es.limit_usv, es.status, es.records) IS DISTINCT FROM
		(excluded.window_start, excluded.window_end, excluded.sum_usv, excluded.limit_usv, excluded.status, excluded.records)
	RETURNING es.worker_id
), gone AS (
	DELETE FROM exposure_summaries es WHERE es.worker_id = ANY($1::bigint[])
		AND NOT EXISTS (SELECT 1 FROM ` + pgStandings + ` s WHERE s.worker_id = es.worker_id AND s.limit_code = es.limit_code)
	RETURNING es.worker_id
)
SELECT worker_id FROM up UNION SELECT worker_id FROM gone ORDER BY 1`

// pgArray is ids as a PostgreSQL array literal.
func pgArray(ids []int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(id))
	}
	b.WriteByte('}')
	return b.String()
}

// recomputeSQL is Recompute on PostgreSQL, for ids sorted and distinct. Its
// statements share a temporary table: they run in the caller's transaction,
// or in one of their own when client has none.
func recomputeSQL(ctx context.Context, client *ent.Client, ids []int, asOf time.Time) ([]int, error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return recomputeInTx(ctx, client, ids, asOf) // client is a transaction's already
	}
	changed, err := recomputeInTx(ctx, tx.Client(), ids, asOf)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return changed, tx.Commit()
}

// workMem is the working memory of the standings statements.
const workMem = "256MB"

func recomputeInTx(ctx context.Context, client *ent.Client, ids []int, asOf time.Time) (changed []int, err error) {
	// One statement (no parameters: the simple protocol takes several)
	// makes the table, empties it and gives the statements below the
	// memory to hash and sort one row per worker and limit without spilling
	// to disk, and no JIT compilation (the cost of a statement over tens of
	// thousands of workers passes its threshold; compiling takes longer
	// than running), until the end of the transaction or the reset below.
	if _, err := client.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+pgStandings+` (worker_id bigint, limit_code text,
		window_start date, window_end date, sum_usv bigint, limit_usv bigint, status text, records int, quiet bool) ON COMMIT DROP;
		TRUNCATE `+pgStandings+`; SET LOCAL work_mem = '`+workMem+`'; SET LOCAL jit = off`); err != nil {
		return nil, fmt.Errorf("standings table: %w", err)
	}
	defer func() {
		if _, rerr := client.ExecContext(ctx, "SET LOCAL work_mem TO DEFAULT; SET LOCAL jit TO DEFAULT"); rerr != nil && err == nil {
			changed, err = nil, fmt.Errorf("standings memory: %w", rerr)
		}
	}()
	cur := dosimetry.MonthOf(asOf)
	trans := transitionLimit()
	transTo := trans.To
	if end := lastDay(cur); end.Before(transTo) {
		transTo = end
	}
	arr := pgArray(ids)
	if _, err := client.ExecContext(ctx, standingsQuery(), arr, asOf.Format(time.DateOnly), firstDay(cur.AddMonths(1)),
		firstDay(cur.AddMonths(-22)).Format(time.DateOnly), trans.From.Format(time.DateOnly), transTo.AddDate(0, 0, 1).Format(time.DateOnly),
		transTo.Format(time.DateOnly), !asOf.Before(trans.From), !asOf.After(trans.To)); err != nil {
		return nil, fmt.Errorf("compute standings: %w", err)
	}
	if err := reference(ctx, client, asOf); err != nil {
		return nil, err
	}
	return queryIDs(ctx, client, writeQuery, arr)
}

// reference replaces in pgStandings the standings of the workers whose
// rolling windows may approach a limit by those standingsOf computes.
func reference(ctx context.Context, client *ent.Client, asOf time.Time) error {
	loud, err := queryIDs(ctx, client, "SELECT DISTINCT worker_id FROM "+pgStandings+" WHERE NOT quiet ORDER BY 1")
	if err != nil || len(loud) == 0 {
		return err
	}
	for i := 0; i < len(loud); i += chunk {
		part := loud[i:min(i+chunk, len(loud))]
		people, err := LoadPeople(ctx, client, part)
		if err != nil {
			return err
		}
		all, err := standingsOf(ctx, client, people, asOf)
		if err != nil {
			return err
		}
		if _, err := client.ExecContext(ctx, "DELETE FROM "+pgStandings+" WHERE worker_id = ANY($1::bigint[])", pgArray(part)); err != nil {
			return fmt.Errorf("replace standings: %w", err)
		}
		var vals []string
		var args []any
		for _, id := range part {
			for _, s := range all[id] {
				n := len(args)
				vals = append(vals, fmt.Sprintf("($%d::bigint, $%d, $%d::date, $%d::date, $%d::bigint, $%d::bigint, $%d, $%d::int, true)",
					n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8))
				args = append(args, id, string(s.Code), s.WindowStart.Format(time.DateOnly), s.WindowEnd.Format(time.DateOnly),
					int64(s.Sum), int64(s.Limit), string(s.State), s.Records)
			}
		}
		if len(vals) == 0 {
			continue
		}
		if _, err := client.ExecContext(ctx, "INSERT INTO "+pgStandings+" VALUES "+strings.Join(vals, ", "), args...); err != nil {
			return fmt.Errorf("replace standings: %w", err)
		}
	}
	return nil
}

func queryIDs(ctx context.Context, client *ent.Client, query string, args ...any) ([]int, error) {
	rows, err := client.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("standings: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
