package bench

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/siseri/siseri/policy"
)

// The physician's list, a worker file and the analyst's statistics: each
// SPA query verbatim (only a page size replaced), through the server, signed
// in as the demo account that uses it, against one hand-written statement on
// pgx returning the same rows, with and without the audit append.

// followedWorkersQuery is FollowedWorkers, verbatim from
// frontend/src/features/followed-workers/api/get-followed-workers.ts (the
// physician's home page); first: 20 is replaced by the page size.
const followedWorkersQuery = `
  query FollowedWorkers($after: Cursor, $where: WorkerWhereInput, $orderBy: [WorkerOrder!]) {
    workers(first: 20, after: $after, where: $where, orderBy: $orderBy) {
      totalCount
      edges {
        node {
          id
          lastName
          usageName
          firstNames
          birthDate
          employments(first: 3, orderBy: { field: START_DATE, direction: DESC }) {
            edges {
              node {
                id
                jobCode
                classification
                endDate
                establishment {
                  id
                  name
                }
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`

// followedWorkersVariables are those of the first page, unfiltered, by name.
var followedWorkersVariables = map[string]any{
	"after": nil, "where": map[string]any{},
	"orderBy": []map[string]any{{"field": "LAST_NAME", "direction": "ASC"}, {"field": "FIRST_NAMES", "direction": "ASC"}},
}

// handFollowedSQL: the workers the physician follows (policy: granted by
// worker, or employed today in one of their establishments), by last name,
// first names and id, with the total and each worker's three latest
// employments (every employment of a followed worker is readable). $1 the
// establishments, $2 the workers granted, $3 today (UTC midnight), $4 the
// page size.
const handFollowedSQL = `
WITH followed AS (
	SELECT worker_id FROM employments WHERE establishment_id = ANY($1) AND start_date <= $3 AND (end_date IS NULL OR end_date >= $3)
	UNION
	SELECT unnest($2::bigint[])
), page AS (
	SELECT w.id, w.last_name, w.usage_name, w.first_names, w.birth_date FROM workers w
	WHERE w.id IN (SELECT worker_id FROM followed)
	ORDER BY w.last_name, w.first_names, w.id LIMIT $4
)
SELECT p.id, p.last_name, p.usage_name, p.first_names, p.birth_date, (SELECT count(*) FROM followed),
	coalesce((SELECT json_agg(json_build_object('id', e.id, 'jobCode', e.job_code, 'classification', e.classification,
		'endDate', e.end_date, 'establishment', json_build_object('id', s.id, 'name', s.name)) ORDER BY e.start_date DESC, e.id)
		FROM (SELECT * FROM employments e WHERE e.worker_id = p.id ORDER BY e.start_date DESC, e.id LIMIT 3) e
		JOIN establishments s ON s.id = e.establishment_id), '[]')
FROM page p ORDER BY p.last_name, p.first_names, p.id`

// workerFileQuery is PhysicianWorkerFile, verbatim from
// frontend/src/features/worker-file/api/get-worker-file.ts.
const workerFileQuery = `
  query PhysicianWorkerFile($id: ID!) {
    node(id: $id) {
      __typename
      ... on Worker {
        id
        lastName
        usageName
        firstNames
        birthDate
        nir
        employments(first: 20, orderBy: { field: START_DATE, direction: DESC }) {
          edges {
            node {
              id
              startDate
              endDate
              jobCode
              classification
              establishment {
                id
                name
              }
            }
          }
        }
        doseRecords(first: 1000, orderBy: [{ field: PERIOD_END, direction: DESC }]) {
          totalCount
          edges {
            node {
              id
              monitoringKind
              quantity
              valueMsv
              status
              source
              periodStart
              periodEnd
              version
              current
              pending
              supersedesID
              correctionReason
              radionuclide
              establishment {
                name
              }
              laboratory {
                name
              }
            }
          }
        }
      }
    }
  }
`

// handWorkerFileSQL: one followed worker's identity, 20 latest employments
// and every result (all versions: the physician reads them all), latest
// period first, with their establishments' and laboratories' names. $1 the
// worker, $2 the establishments, $3 the workers granted, $4 today.
const handWorkerFileSQL = `
SELECT w.id, w.last_name, w.usage_name, w.first_names, w.birth_date, w.nir,
	coalesce((SELECT json_agg(json_build_object('id', e.id, 'startDate', e.start_date, 'endDate', e.end_date, 'jobCode', e.job_code,
		'classification', e.classification, 'establishment', json_build_object('id', s.id, 'name', s.name)) ORDER BY e.start_date DESC, e.id)
		FROM (SELECT * FROM employments e WHERE e.worker_id = w.id ORDER BY e.start_date DESC, e.id LIMIT 20) e
		JOIN establishments s ON s.id = e.establishment_id), '[]'),
	(SELECT count(*) FROM dose_records d WHERE d.worker_id = w.id),
	coalesce((SELECT json_agg(json_build_object('id', d.id, 'monitoringKind', d.monitoring_kind, 'quantity', d.quantity,
		'valueMsv', d.value_usv / 1000.0, 'status', d.status, 'source', d.source, 'periodStart', d.period_start, 'periodEnd', d.period_end,
		'version', d.version, 'current', d.current, 'pending', d.pending, 'supersedesID', d.supersedes_id,
		'correctionReason', d.correction_reason, 'radionuclide', d.radionuclide,
		'establishment', json_build_object('name', s.name), 'laboratory', CASE WHEN l.id IS NULL THEN NULL ELSE json_build_object('name', l.name) END)
		ORDER BY d.period_end DESC, d.id)
		FROM (SELECT * FROM dose_records d WHERE d.worker_id = w.id ORDER BY d.period_end DESC, d.id LIMIT 1000) d
		LEFT JOIN establishments s ON s.id = d.establishment_id LEFT JOIN laboratories l ON l.id = d.laboratory_id), '[]')
FROM workers w WHERE w.id = $1 AND (w.id = ANY($3) OR EXISTS (SELECT 1 FROM employments e WHERE e.worker_id = w.id
	AND e.establishment_id = ANY($2) AND e.start_date <= $4 AND (e.end_date IS NULL OR e.end_date >= $4)))`

// nationalDosesQuery is NationalDoses, verbatim from
// frontend/src/features/national-statistics/api/get-national-doses.ts.
const nationalDosesQuery = `
  query NationalDoses($after: Cursor, $from: Date!, $to: Date!) {
    doseRecords(
      first: 1000
      after: $after
      where: { current: true, quantityIn: [HP10, E50], periodEndGTE: $from, periodEndLTE: $to }
    ) {
      totalCount
      edges {
        node {
          workerID
          valueUsv
          periodEnd
          sectorCode
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`

// handNationalSQL: the first 1,000 current results of effective dose
// (HP10, E50) ending in [$1, $2], by id, and how many there are (the
// analyst reads every result). $3 the page size.
const handNationalSQL = `
SELECT d.id, d.worker_id, d.value_usv, d.period_end, d.sector_code,
	(SELECT count(*) FROM dose_records c WHERE c.current AND c.quantity IN ('HP10', 'E50') AND c.period_end >= $1 AND c.period_end <= $2)
FROM dose_records d WHERE d.current AND d.quantity IN ('HP10', 'E50') AND d.period_end >= $1 AND d.period_end <= $2
ORDER BY d.id LIMIT $3`

// viewerGrants are a demo account's id, first grant and scope.
type viewerGrants struct {
	accountID, grantID int
	role               policy.Role
	ests, workers      []int
}

func grantsOf(ctx context.Context, pool *pgxpool.Pool, email string, role policy.Role) (viewerGrants, error) {
	g := viewerGrants{role: role}
	rows, err := pool.Query(ctx, `SELECT a.id, g.id, g.establishment_id, g.worker_id FROM accounts a JOIN grants g ON g.account_id = a.id
		WHERE a.email = $1 AND g.role = $2 AND g.revoked_at IS NULL AND g.valid_from <= now() AND (g.valid_to IS NULL OR g.valid_to > now())
		ORDER BY g.id`, email, string(role))
	if err != nil {
		return g, err
	}
	defer rows.Close()
	for rows.Next() {
		var est, w *int
		var id int
		if err := rows.Scan(&g.accountID, &id, &est, &w); err != nil {
			return g, err
		}
		if g.grantID == 0 {
			g.grantID = id
		}
		if est != nil {
			g.ests = append(g.ests, *est)
		}
		if w != nil {
			g.workers = append(g.workers, *w)
		}
	}
	if err := rows.Err(); err != nil {
		return g, err
	}
	if g.grantID == 0 {
		return g, fmt.Errorf("le compte %s n'a pas d'habilitation %s en cours (la base a-t-elle été créée par siseri seed ?)", email, role)
	}
	return g, nil
}

// queryer is a pool or a transaction.
type queryer interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
	QueryRow(context.Context, string, ...any) pgx.Row
}

// inAudit runs read in one transaction that also appends what the server's
// audit.Append writes for a read (the event with its content hash and one
// audit_subjects row per worker), or directly on the pool without audit.
func inAudit(ctx context.Context, pool *pgxpool.Pool, audit bool, v viewerGrants, label, op, objectType string, fields []string,
	read func(queryer) (objects, workers []int, err error)) error {
	if !audit {
		_, _, err := read(pool)
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit, a no-op
	objects, workers, err := read(tx)
	if err != nil {
		return err
	}
	if err := appendRead(ctx, tx, v, label, op, objectType, fields, objects, workers); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// appendRead writes the audit event of a read and its worker index.
func appendRead(ctx context.Context, tx pgx.Tx, v viewerGrants, label, op, objectType string, fields []string, objects, workers []int) error {
	at := time.Now().UTC().Truncate(time.Microsecond)
	var salt [16]byte
	_, _ = rand.Read(salt[:])
	objects = slices.Compact(slices.Sorted(slices.Values(objects)))
	workers = slices.Compact(slices.Sorted(slices.Values(workers)))
	content, _ := json.Marshal(map[string]any{"at": at, "actor": v.accountID, "grant": v.grantID, "op": op,
		"fields": fields, "objects": objects, "workers": workers, "salt": hex.EncodeToString(salt[:])})
	sum := sha256.Sum256(content)
	objectsJSON, _ := json.Marshal(objects)
	workersJSON, _ := json.Marshal(workers)
	fieldsJSON, _ := json.Marshal(fields)
	var event int64
	if err := tx.QueryRow(ctx, `INSERT INTO audit_events (at, actor_account_id, actor_label, actor_role, grant_id, action, operation,
		field_paths, object_type, object_ids, worker_ids, salt, hash) VALUES ($1, $2, $3, $4, $5, 'READ', $6, $7, $8, $9, $10, $11, $12)
		RETURNING id`, at, v.accountID, label, string(v.role), v.grantID, op, fieldsJSON, objectType, objectsJSON, workersJSON,
		hex.EncodeToString(salt[:]), hex.EncodeToString(sum[:])).Scan(&event); err != nil {
		return err
	}
	if len(workers) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO audit_subjects (event_id, worker_id, at) SELECT $1, w, $2 FROM unnest($3::bigint[]) w`,
		event, at, workers)
	return err
}

func today() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }

// handFollowed reads the physician's page; it returns the worker ids, the
// total and the employment ids.
func handFollowed(ctx context.Context, q queryer, v viewerGrants, n int) (ids []int, total int, emps []int, err error) {
	rows, err := q.Query(ctx, handFollowedSQL, v.ests, v.workers, today(), n)
	if err != nil {
		return nil, 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var last, first string
		var usage *string
		var birth time.Time
		var raw json.RawMessage
		if err := rows.Scan(&id, &last, &usage, &first, &birth, &total, &raw); err != nil {
			return nil, 0, nil, err
		}
		var es []struct {
			ID int `json:"id"`
		}
		if err := json.Unmarshal(raw, &es); err != nil {
			return nil, 0, nil, err
		}
		ids = append(ids, id)
		for _, e := range es {
			emps = append(emps, e.ID)
		}
	}
	return ids, total, emps, rows.Err()
}

// handWorkerFile reads the worker file; it returns the number of results,
// the result ids and the employment ids.
func handWorkerFile(ctx context.Context, q queryer, v viewerGrants, worker int) (total int, doses, emps []int, err error) {
	var id int
	var last, first string
	var usage, nir *string
	var birth time.Time
	var empsRaw, dosesRaw json.RawMessage
	if err := q.QueryRow(ctx, handWorkerFileSQL, worker, v.ests, v.workers, today()).
		Scan(&id, &last, &usage, &first, &birth, &nir, &empsRaw, &total, &dosesRaw); err != nil {
		return 0, nil, nil, err
	}
	var es, ds []struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(empsRaw, &es); err != nil {
		return 0, nil, nil, err
	}
	if err := json.Unmarshal(dosesRaw, &ds); err != nil {
		return 0, nil, nil, err
	}
	for _, e := range es {
		emps = append(emps, e.ID)
	}
	for _, d := range ds {
		doses = append(doses, d.ID)
	}
	return total, doses, emps, nil
}

// handNational reads the analyst's page; it returns the result ids, their
// workers and the total.
func handNational(ctx context.Context, q queryer, from, to time.Time, n int) (ids, workers []int, total int, err error) {
	rows, err := q.Query(ctx, handNationalSQL, from, to, n)
	if err != nil {
		return nil, nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, w int
		var v int64
		var end time.Time
		var sector *string
		if err := rows.Scan(&id, &w, &v, &end, &sector, &total); err != nil {
			return nil, nil, 0, err
		}
		ids = append(ids, id)
		workers = append(workers, w)
	}
	return ids, workers, total, rows.Err()
}

// gqlIDs decodes the ids of a connection's nodes (and a nested
// connection's) from a GraphQL answer.
func atoiAll(ss []string) ([]int, error) {
	out := make([]int, len(ss))
	for i, s := range ss {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("identifiant %q : %w", s, err)
		}
		out[i] = n
	}
	return out, nil
}

// sameSets fails unless a and b hold the same ids (in any order).
func sameSets(what string, a, b []int) error {
	x, y := slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	if !slices.Equal(x, y) {
		return fmt.Errorf("%s : l'API et le SQL écrit à la main ne rendent pas les mêmes lignes (%d contre %d)", what, len(x), len(y))
	}
	return nil
}

type gqlFunc func(context.Context, string, map[string]any) ([]byte, error)

// physicianScenarios measures FollowedWorkers at page n and the worker file
// of the first followed worker with results, as the demo physician.
func physicianScenarios(ctx context.Context, o ReadsOptions, pool *pgxpool.Pool, gql gqlFunc, n int) ([]ReadsPage, error) {
	v, err := grantsOf(ctx, pool, o.PhysicianEmail, policy.RolePhysician)
	if err != nil {
		return nil, err
	}
	label := physicianLabel
	// FollowedWorkers.
	q := replaceFirst(followedWorkersQuery, "first: 20", fmt.Sprintf("first: %d", n))
	raw, err := gql(ctx, q, followedWorkersVariables)
	if err != nil {
		return nil, err
	}
	var r struct {
		Data struct {
			Workers struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						ID          string `json:"id"`
						Employments struct {
							Edges []struct {
								Node struct {
									ID string `json:"id"`
								} `json:"node"`
							} `json:"edges"`
						} `json:"employments"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"workers"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	var apiIDs, apiEmps []string
	for _, e := range r.Data.Workers.Edges {
		apiIDs = append(apiIDs, e.Node.ID)
		for _, x := range e.Node.Employments.Edges {
			apiEmps = append(apiEmps, x.Node.ID)
		}
	}
	ids, err := atoiAll(apiIDs)
	if err != nil {
		return nil, err
	}
	emps, err := atoiAll(apiEmps)
	if err != nil {
		return nil, err
	}
	hIDs, hTotal, hEmps, err := handFollowed(ctx, pool, v, n)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(ids, hIDs) || hTotal != r.Data.Workers.TotalCount {
		return nil, fmt.Errorf("FollowedWorkers, page de %d : l'API rend %d travailleurs sur %d, le SQL écrit à la main %d sur %d, ou dans un autre ordre",
			n, len(ids), r.Data.Workers.TotalCount, len(hIDs), hTotal)
	}
	if err := sameSets(fmt.Sprintf("FollowedWorkers, page de %d, emplois", n), emps, hEmps); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("le médecin %s ne suit aucun travailleur", o.PhysicianEmail)
	}
	followedFields := []string{"Employment.classification", "Employment.endDate", "Employment.establishment", "Employment.jobCode",
		"Query.workers", "Worker.birthDate", "Worker.employments", "Worker.firstNames", "Worker.lastName", "Worker.usageName"}
	list := ReadsPage{Query: "FollowedWorkers", Account: o.PhysicianEmail, Page: n, SameIDs: true}
	stop := startProfile(o.CPUProfile, "followed_workers")
	list.SISERI = load(ctx, fmt.Sprintf("siseri_followed_workers_%d", n), o, func(ctx context.Context) error {
		_, err := gql(ctx, q, followedWorkersVariables)
		return err
	})
	stop()
	for _, audit := range []bool{false, true} {
		s := load(ctx, fmt.Sprintf("hand_sql_followed_workers_%d%s", n, map[bool]string{true: "_audit"}[audit]), o, func(ctx context.Context) error {
			return inAudit(ctx, pool, audit, v, label, "query FollowedWorkers { workers }", "Worker", followedFields, func(q queryer) ([]int, []int, error) {
				ids, _, _, err := handFollowed(ctx, q, v, n)
				return ids, ids, err
			})
		})
		if audit {
			list.HandAudit = s
		} else {
			list.Hand = s
		}
	}
	list.RatioHand, list.RatioHandAudit = ratio(list.SISERI.ReqPerS, list.Hand.ReqPerS), ratio(list.SISERI.ReqPerS, list.HandAudit.ReqPerS)

	// The worker file of the followed worker with the most results.
	var worker int
	if err := pool.QueryRow(ctx, `SELECT worker_id FROM dose_records WHERE worker_id = ANY($1) GROUP BY worker_id
		ORDER BY count(*) DESC, worker_id LIMIT 1`, ids).Scan(&worker); err != nil {
		return nil, fmt.Errorf("aucun résultat pour les travailleurs suivis : %w", err)
	}
	fileVars := map[string]any{"id": strconv.Itoa(worker)}
	raw, err = gql(ctx, workerFileQuery, fileVars)
	if err != nil {
		return nil, err
	}
	var f struct {
		Data struct {
			Node struct {
				ID          string `json:"id"`
				Employments struct {
					Edges []struct {
						Node struct {
							ID string `json:"id"`
						} `json:"node"`
					} `json:"edges"`
				} `json:"employments"`
				DoseRecords struct {
					TotalCount int `json:"totalCount"`
					Edges      []struct {
						Node struct {
							ID string `json:"id"`
						} `json:"node"`
					} `json:"edges"`
				} `json:"doseRecords"`
			} `json:"node"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	var fe, fd []string
	for _, e := range f.Data.Node.Employments.Edges {
		fe = append(fe, e.Node.ID)
	}
	for _, d := range f.Data.Node.DoseRecords.Edges {
		fd = append(fd, d.Node.ID)
	}
	apiFileEmps, err := atoiAll(fe)
	if err != nil {
		return nil, err
	}
	apiDoses, err := atoiAll(fd)
	if err != nil {
		return nil, err
	}
	total, hDoses, hFileEmps, err := handWorkerFile(ctx, pool, v, worker)
	if err != nil {
		return nil, err
	}
	if f.Data.Node.ID != strconv.Itoa(worker) || total != f.Data.Node.DoseRecords.TotalCount {
		return nil, fmt.Errorf("dossier du travailleur %d : l'API rend %q et %d résultats, le SQL écrit à la main %d", worker, f.Data.Node.ID,
			f.Data.Node.DoseRecords.TotalCount, total)
	}
	if err := sameSets(fmt.Sprintf("dossier du travailleur %d, résultats", worker), apiDoses, hDoses); err != nil {
		return nil, err
	}
	if err := sameSets(fmt.Sprintf("dossier du travailleur %d, emplois", worker), apiFileEmps, hFileEmps); err != nil {
		return nil, err
	}
	fileFields := []string{"DoseRecord.correctionReason", "DoseRecord.current", "DoseRecord.establishment", "DoseRecord.laboratory",
		"DoseRecord.monitoringKind", "DoseRecord.pending", "DoseRecord.periodEnd", "DoseRecord.periodStart", "DoseRecord.quantity",
		"DoseRecord.radionuclide", "DoseRecord.source", "DoseRecord.status", "DoseRecord.supersedesID", "DoseRecord.valueMsv",
		"DoseRecord.version", "Employment.classification", "Employment.endDate", "Employment.establishment", "Employment.jobCode",
		"Employment.startDate", "Query.node", "Worker.birthDate", "Worker.doseRecords", "Worker.employments", "Worker.firstNames",
		"Worker.lastName", "Worker.nir", "Worker.usageName"}
	file := ReadsPage{Query: "PhysicianWorkerFile", Account: o.PhysicianEmail, Page: len(apiDoses), SameIDs: true}
	stop = startProfile(o.CPUProfile, "worker_file")
	file.SISERI = load(ctx, "siseri_worker_file", o, func(ctx context.Context) error {
		_, err := gql(ctx, workerFileQuery, fileVars)
		return err
	})
	stop()
	for _, audit := range []bool{false, true} {
		s := load(ctx, "hand_sql_worker_file"+map[bool]string{true: "_audit"}[audit], o, func(ctx context.Context) error {
			return inAudit(ctx, pool, audit, v, label, "query PhysicianWorkerFile { node }", "DoseRecord", fileFields, func(q queryer) ([]int, []int, error) {
				_, doses, _, err := handWorkerFile(ctx, q, v, worker)
				return append(doses, worker), []int{worker}, err
			})
		})
		if audit {
			file.HandAudit = s
		} else {
			file.Hand = s
		}
	}
	file.RatioHand, file.RatioHandAudit = ratio(file.SISERI.ReqPerS, file.Hand.ReqPerS), ratio(file.SISERI.ReqPerS, file.HandAudit.ReqPerS)
	return []ReadsPage{list, file}, nil
}

// analystScenario measures NationalDoses's first page (1,000 results) over
// the last full calendar year, as the demo analyst.
func analystScenario(ctx context.Context, o ReadsOptions, pool *pgxpool.Pool, gql gqlFunc) (ReadsPage, error) {
	p := ReadsPage{Query: "NationalDoses", Account: o.AnalystEmail}
	v, err := grantsOf(ctx, pool, o.AnalystEmail, policy.RoleAnalyst)
	if err != nil {
		return p, err
	}
	var last time.Time
	if err := pool.QueryRow(ctx, `SELECT coalesce(max(period_end), now()) FROM dose_records`).Scan(&last); err != nil {
		return p, err
	}
	// The latest year with results, as the statistics page offers it.
	from := time.Date(last.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(last.Year(), time.December, 31, 0, 0, 0, 0, time.UTC)
	vars := map[string]any{"after": nil, "from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly)}
	raw, err := gql(ctx, nationalDosesQuery, vars)
	if err != nil {
		return p, err
	}
	var r struct {
		Data struct {
			DoseRecords struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						WorkerID string `json:"workerID"`
						ValueUsv int64  `json:"valueUsv"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"doseRecords"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return p, err
	}
	var apiWorkers []string
	for _, e := range r.Data.DoseRecords.Edges {
		apiWorkers = append(apiWorkers, e.Node.WorkerID)
	}
	ws, err := atoiAll(apiWorkers)
	if err != nil {
		return p, err
	}
	ids, hWorkers, total, err := handNational(ctx, pool, from, to, 1000)
	if err != nil {
		return p, err
	}
	if !slices.Equal(ws, hWorkers) || total != r.Data.DoseRecords.TotalCount {
		return p, fmt.Errorf("NationalDoses : l'API rend %d résultats sur %d, le SQL écrit à la main %d sur %d, ou pour d'autres travailleurs",
			len(ws), r.Data.DoseRecords.TotalCount, len(hWorkers), total)
	}
	p.Page, p.SameIDs = len(ids), true
	fields := []string{"DoseRecord.periodEnd", "DoseRecord.sectorCode", "DoseRecord.valueUsv", "DoseRecord.workerID", "Query.doseRecords"}
	stop := startProfile(o.CPUProfile, "national_doses")
	p.SISERI = load(ctx, "siseri_national_doses", o, func(ctx context.Context) error {
		_, err := gql(ctx, nationalDosesQuery, vars)
		return err
	})
	stop()
	for _, audit := range []bool{false, true} {
		s := load(ctx, "hand_sql_national_doses"+map[bool]string{true: "_audit"}[audit], o, func(ctx context.Context) error {
			return inAudit(ctx, pool, audit, v, analystLabel, "query NationalDoses { doseRecords }", "DoseRecord", fields, func(q queryer) ([]int, []int, error) {
				ids, ws, _, err := handNational(ctx, q, from, to, 1000)
				return ids, ws, err
			})
		})
		if audit {
			p.HandAudit = s
		} else {
			p.Hand = s
		}
	}
	p.RatioHand, p.RatioHandAudit = ratio(p.SISERI.ReqPerS, p.Hand.ReqPerS), ratio(p.SISERI.ReqPerS, p.HandAudit.ReqPerS)
	return p, nil
}

const (
	physicianLabel = "Dr Hélène Marchand (médecin du travail)"
	analystLabel   = "Thomas Roux (ASNR) (analyste)"
)
