package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/policy"
)

// adviserWorkersQuery is the SPA's AdviserWorkers query, verbatim from
// frontend/src/features/adviser/api/get-adviser-workers.ts; only its page
// size (first: 20) is replaced by the benchmark's.
const adviserWorkersQuery = `
  query AdviserWorkers($after: Cursor, $where: WorkerWhereInput, $orderBy: [WorkerOrder!]) {
    workers(first: 20, after: $after, where: $where, orderBy: $orderBy) {
      totalCount
      edges {
        node {
          id
          lastName
          firstNames
          birthDate
          exposure {
            limitCode
            state
            limitMsv
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

// adviserWorkersVariables are the variables the SPA sends for the first page
// (no name filter, by last name then first names).
var adviserWorkersVariables = map[string]any{
	"after": nil, "where": map[string]any{},
	"orderBy": []map[string]any{{"field": "LAST_NAME", "direction": "ASC"}, {"field": "FIRST_NAMES", "direction": "ASC"}},
}

// handWorkersSQL returns the same page by hand: the workers ever employed in,
// or declared intervening on, one of the adviser's establishments (the
// policy's rule), by last name, first names and id, with the total and each
// worker's standings (the stored ones: see ReadsResult.Note).
const handWorkersSQL = `
WITH scope AS (
	SELECT worker_id FROM employments WHERE establishment_id = ANY($1)
	UNION
	SELECT worker_id FROM interventions WHERE site_establishment_id = ANY($1)
), page AS (
	SELECT w.id, w.last_name, w.first_names, w.birth_date FROM workers w
	WHERE w.id IN (SELECT worker_id FROM scope)
	ORDER BY w.last_name, w.first_names, w.id LIMIT $2
)
SELECT p.id, p.last_name, p.first_names, p.birth_date,
	(SELECT count(*) FROM scope),
	coalesce((SELECT json_agg(json_build_object('limitCode', s.limit_code, 'state', s.status, 'limitMsv', s.limit_usv / 1000.0) ORDER BY s.limit_code)
		FROM exposure_summaries s WHERE s.worker_id = p.id), '[]')
FROM page p ORDER BY p.last_name, p.first_names, p.id`

// ReadsOptions configure the read benchmark.
type ReadsOptions struct {
	// DatabaseURL is the (scale) PostgreSQL database, already seeded with
	// the demo accounts (siseri seed).
	DatabaseURL string
	Clients     int
	Duration    time.Duration
	Pages       []int
	Email       string
	Password    string
	// MinScope is the number of workers the adviser must see; below it the
	// benchmark grants the adviser the establishment with most employments.
	MinScope int
	// PostGraphile also measures each read through PostGraphile, installed
	// in PostGraphileDir (see PostGraphileReads).
	PostGraphile    bool
	PostGraphileDir string
}

// ReadsScenario is one measured load.
type ReadsScenario struct {
	Name     string  `json:"name"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	ReqPerS  float64 `json:"req_per_s"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
}

// ReadsPage is the AdviserWorkers comparison at one page size.
type ReadsPage struct {
	Page      int           `json:"page"`
	SISERI    ReadsScenario `json:"siseri"`
	Hand      ReadsScenario `json:"hand_sql"`
	HandAudit ReadsScenario `json:"hand_sql_audit"`
	// Ratios of requests per second: SISERI / hand SQL (goal: ≥ 1/1.5).
	RatioHand      float64 `json:"ratio_hand_sql"`
	RatioHandAudit float64 `json:"ratio_hand_sql_audit"`
	SameIDs        bool    `json:"same_ids"`
	// Others are further baselines of the same query (e.g. "postgraphile"),
	// with Ratios of SISERI's requests per second to each.
	Others map[string]ReadsScenario `json:"others,omitempty"`
	Ratios map[string]float64       `json:"ratios,omitempty"`
}

// ReadsResult is what `siseri bench reads --json` prints.
type ReadsResult struct {
	Workers       int           `json:"workers"`
	DoseRecords   int           `json:"dose_records"`
	ScopeWorkers  int           `json:"scope_workers"`
	Establishment []int         `json:"establishments"`
	GrantAdded    bool          `json:"grant_added"`
	Clients       int           `json:"clients"`
	Seconds       float64       `json:"seconds_per_scenario"`
	Pages         []ReadsPage   `json:"pages"`
	Typename      ReadsScenario `json:"typename"`
	Note          string        `json:"note"`

	// PostGraphileTypename is { __typename } through PostGraphile.
	PostGraphileTypename *ReadsScenario `json:"postgraphile_typename,omitempty"`
}

// Reads measures the SPA's AdviserWorkers query and { __typename } through
// the real HTTP server, signed in as the demo adviser, against hand-written
// SQL on pgx returning the same rows, with and without an audit append like
// the server's, with o.Clients concurrent clients for o.Duration each.
func Reads(ctx context.Context, o ReadsOptions, log *slog.Logger, progress io.Writer) (ReadsResult, error) {
	res := ReadsResult{Clients: o.Clients, Seconds: o.Duration.Seconds(),
		Note: "hand SQL reads the stored standings (exposure_summaries); SISERI recomputes an adviser's standings from the results they may read (RC12, RC14)"}
	if !store.IsPostgresURL(o.DatabaseURL) {
		return res, fmt.Errorf("la base du banc d'essai doit être PostgreSQL (postgres://…)")
	}
	if err := checkPostGraphile(o); err != nil {
		return res, err
	}
	db, err := store.Open(ctx, o.DatabaseURL)
	if err != nil {
		return res, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return res, err
	}
	pool, err := pgxpool.New(ctx, o.DatabaseURL)
	if err != nil {
		return res, err
	}
	defer pool.Close()
	adviser, err := adviserScope(ctx, db, pool, o, &res)
	if err != nil {
		return res, err
	}
	if err := pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM workers), (SELECT count(*) FROM dose_records)").Scan(&res.Workers, &res.DoseRecords); err != nil {
		return res, err
	}
	fmt.Fprintf(progress, "base : %d travailleurs, %d résultats ; le conseiller voit %d travailleurs (établissements %v)\n",
		res.Workers, res.DoseRecords, res.ScopeWorkers, res.Establishment)

	cfg := server.DefaultConfig()
	cfg.StaticDir = ""
	app := server.New(cfg, db, log)
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	app.Background(sctx)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	go app.Serve(sctx, ln)
	endpoint := "http://" + ln.Addr().String() + "/graphql"
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Clients * 2}, Timeout: 2 * time.Minute}
	cookie, err := signIn(ctx, hc, endpoint, o.Email, o.Password)
	if err != nil {
		return res, err
	}
	gql := func(ctx context.Context, query string, vars map[string]any) ([]byte, error) {
		return post(ctx, hc, endpoint, cookie, query, vars)
	}
	hand := &handReader{pool: pool, ests: adviser.ests, accountID: adviser.accountID, grantID: adviser.grantID}

	for _, n := range o.Pages {
		q := strings.Replace(adviserWorkersQuery, "first: 20", fmt.Sprintf("first: %d", n), 1)
		p := ReadsPage{Page: n}
		apiIDs, err := apiPageIDs(ctx, gql, q)
		if err != nil {
			return res, err
		}
		handIDs, err := hand.page(ctx, n, false)
		if err != nil {
			return res, err
		}
		if !slices.Equal(apiIDs, handIDs) {
			return res, fmt.Errorf("page de %d : l'API et le SQL écrit à la main ne rendent pas les mêmes travailleurs (%d contre %d ; API %v…, SQL %v…)",
				n, len(apiIDs), len(handIDs), apiIDs[:min(5, len(apiIDs))], handIDs[:min(5, len(handIDs))])
		}
		p.SameIDs = true
		fmt.Fprintf(progress, "AdviserWorkers, page de %d : SISERI…\n", n)
		p.SISERI = load(ctx, fmt.Sprintf("siseri_adviser_workers_%d", n), o, func(ctx context.Context) error {
			_, err := gql(ctx, q, adviserWorkersVariables)
			return err
		})
		fmt.Fprintf(progress, "AdviserWorkers, page de %d : SQL à la main…\n", n)
		p.Hand = load(ctx, fmt.Sprintf("hand_sql_%d", n), o, func(ctx context.Context) error {
			_, err := hand.page(ctx, n, false)
			return err
		})
		fmt.Fprintf(progress, "AdviserWorkers, page de %d : SQL à la main et audit…\n", n)
		p.HandAudit = load(ctx, fmt.Sprintf("hand_sql_audit_%d", n), o, func(ctx context.Context) error {
			_, err := hand.page(ctx, n, true)
			return err
		})
		p.RatioHand, p.RatioHandAudit = ratio(p.SISERI.ReqPerS, p.Hand.ReqPerS), ratio(p.SISERI.ReqPerS, p.HandAudit.ReqPerS)
		res.Pages = append(res.Pages, p)
	}
	fmt.Fprintf(progress, "{ __typename }…\n")
	res.Typename = load(ctx, "siseri_typename", o, func(ctx context.Context) error {
		_, err := gql(ctx, "{ __typename }", nil)
		return err
	})
	if o.PostGraphile {
		stop() // SISERI's server idles while PostGraphile is measured
		if err := postGraphileReads(ctx, o, hand, &res, progress); err != nil {
			return res, err
		}
	}
	return res, nil
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

type adviserInfo struct {
	accountID, grantID int
	ests               []int
}

// adviserScope finds the demo adviser's establishments and, when they hold
// fewer than o.MinScope workers, grants the adviser the establishment with
// the most employments (through the store).
func adviserScope(ctx context.Context, db *store.DB, pool *pgxpool.Pool, o ReadsOptions, res *ReadsResult) (adviserInfo, error) {
	sys := policy.SystemContext(ctx)
	var a adviserInfo
	acc, err := db.Client.Account.Query().Where(account.Email(o.Email)).Only(sys)
	if err != nil {
		return a, fmt.Errorf("compte %s : %w (la base a-t-elle été créée par siseri seed ?)", o.Email, err)
	}
	a.accountID = acc.ID
	grants := func() error {
		gs, err := acc.QueryGrants().Where(grant.RoleEQ(policy.RoleRPA), grant.EstablishmentIDNotNil(), grant.RevokedAtIsNil()).
			Order(grant.ByID()).All(sys)
		if err != nil {
			return err
		}
		if len(gs) == 0 {
			return fmt.Errorf("le compte %s n'a pas d'habilitation de conseiller en radioprotection", o.Email)
		}
		a.grantID, a.ests = gs[0].ID, nil
		for _, g := range gs {
			a.ests = append(a.ests, *g.EstablishmentID)
		}
		return pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT worker_id FROM employments WHERE establishment_id = ANY($1)
			UNION SELECT worker_id FROM interventions WHERE site_establishment_id = ANY($1)) s`, a.ests).Scan(&res.ScopeWorkers)
	}
	if err := grants(); err != nil {
		return a, err
	}
	if res.ScopeWorkers < o.MinScope {
		var est int
		if err := pool.QueryRow(ctx, `SELECT establishment_id FROM employments WHERE establishment_id <> ALL($1)
			GROUP BY establishment_id ORDER BY count(DISTINCT worker_id) DESC LIMIT 1`, a.ests).Scan(&est); err != nil {
			return a, fmt.Errorf("aucun autre établissement à confier au conseiller : %w", err)
		}
		if err := db.Client.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleRPA).SetEstablishmentID(est).
			SetValidFrom(time.Now().Add(-time.Hour)).Exec(sys); err != nil {
			return a, err
		}
		res.GrantAdded = true
		if err := grants(); err != nil {
			return a, err
		}
	}
	res.Establishment = a.ests
	return a, nil
}

func signIn(ctx context.Context, hc *http.Client, endpoint, email, password string) (string, error) {
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation SignIn($input: LoginInput!) { login(input: $input) { expiresAt } }`,
		"variables": map[string]any{"input": map[string]any{"email": email, "password": password}},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.Name == auth.CookieName && c.Value != "" {
			return c.Name + "=" + c.Value, nil
		}
	}
	return "", fmt.Errorf("connexion de %s refusée : %s", email, raw)
}

func post(ctx context.Context, hc *http.Client, endpoint, cookie, query string, vars map[string]any) ([]byte, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", cookie)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
		return raw, fmt.Errorf("HTTP %d : %.300s", resp.StatusCode, raw)
	}
	return raw, nil
}

// apiPageIDs runs the query once and returns the worker ids of its page.
func apiPageIDs(ctx context.Context, gql func(context.Context, string, map[string]any) ([]byte, error), q string) ([]int, error) {
	raw, err := gql(ctx, q, adviserWorkersVariables)
	if err != nil {
		return nil, err
	}
	var r struct {
		Data struct {
			Workers struct {
				Edges []struct {
					Node struct {
						ID string `json:"id"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"workers"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	ids := make([]int, 0, len(r.Data.Workers.Edges))
	for _, e := range r.Data.Workers.Edges {
		var id int
		if _, err := fmt.Sscan(e.Node.ID, &id); err != nil {
			return nil, fmt.Errorf("identifiant de travailleur %q : %w", e.Node.ID, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// handReader is the baseline: the page by one hand-written statement on pgx.
type handReader struct {
	pool      *pgxpool.Pool
	ests      []int
	accountID int
	grantID   int
}

type handRow struct {
	ID         int
	LastName   string
	FirstNames string
	BirthDate  time.Time
	Total      int
	Exposure   json.RawMessage
}

// page reads the first n workers; with audit, in one transaction that also
// appends what the server's audit.Append writes for a read (the event with
// its content hash and one audit_subjects row per worker).
func (h *handReader) page(ctx context.Context, n int, audit bool) ([]int, error) {
	var q interface {
		Query(context.Context, string, ...any) (pgx.Rows, error)
	} = h.pool
	var tx pgx.Tx
	if audit {
		var err error
		if tx, err = h.pool.Begin(ctx); err != nil {
			return nil, err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // after Commit, a no-op
		q = tx
	}
	rows, err := q.Query(ctx, handWorkersSQL, h.ests, n)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (handRow, error) {
		var x handRow
		err := r.Scan(&x.ID, &x.LastName, &x.FirstNames, &x.BirthDate, &x.Total, &x.Exposure)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(out))
	for i, r := range out {
		ids[i] = r.ID
	}
	if !audit {
		return ids, nil
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	var salt [16]byte
	_, _ = rand.Read(salt[:])
	sorted := slices.Sorted(slices.Values(ids))
	fields := []string{"Query.workers", "Worker.lastName", "Worker.firstNames", "Worker.birthDate", "Worker.exposure"}
	content, _ := json.Marshal(map[string]any{"at": at, "actor": h.accountID, "grant": h.grantID, "op": "AdviserWorkers",
		"fields": fields, "workers": sorted, "salt": hex.EncodeToString(salt[:])})
	sum := sha256.Sum256(content)
	idsJSON, _ := json.Marshal(sorted)
	fieldsJSON, _ := json.Marshal(fields)
	var event int64
	if err := tx.QueryRow(ctx, `INSERT INTO audit_events (at, actor_account_id, actor_label, actor_role, grant_id, action, operation,
		field_paths, object_type, object_ids, worker_ids, salt, hash) VALUES ($1, $2, 'PCR', $3, $4, 'READ', 'AdviserWorkers', $5, 'Worker', $6, $6, $7, $8)
		RETURNING id`, at, h.accountID, string(policy.RoleRPA), h.grantID, fieldsJSON, idsJSON, hex.EncodeToString(salt[:]), hex.EncodeToString(sum[:])).Scan(&event); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_subjects (event_id, worker_id, at) SELECT $1, w, $2 FROM unnest($3::bigint[]) w`,
		event, at, sorted); err != nil {
		return nil, err
	}
	return ids, tx.Commit(ctx)
}

// load runs do from o.Clients goroutines for o.Duration and reports
// requests per second and latency percentiles.
func load(ctx context.Context, name string, o ReadsOptions, do func(context.Context) error) ReadsScenario {
	var mu sync.Mutex
	var lat []float64
	errs := 0
	var firstErr error
	deadline := time.Now().Add(o.Duration)
	start := time.Now()
	var wg sync.WaitGroup
	for range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []float64
			bad := 0
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := time.Now()
				err := do(ctx)
				if err != nil {
					bad++
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, float64(time.Since(t).Microseconds())/1000)
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	sort.Float64s(lat)
	s := ReadsScenario{Name: name, Requests: len(lat), Errors: errs, ReqPerS: float64(len(lat)) / secs}
	if len(lat) > 0 {
		s.P50ms, s.P99ms = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	if firstErr != nil {
		slog.Default().Warn("bench reads: request failed", "scenario", name, "errors", errs, "first", firstErr)
	}
	return s
}
