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
	"os"
	"runtime/pprof"
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
            valueMsv
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
// worker's standings as the adviser may see them (REGULATION-CASES RC12,
// RC14): sums of the results the adviser may read only — current, not
// absent, external (no internal dosimetry), whose period overlaps a contract
// of the worker in one of the adviser's establishments. For each rolling
// limit (DOMAIN.md: effective 20 mSv, extremities and skin 500 mSv, lens
// 20 mSv over 12 consecutive months; 6, 150, 150 and 15 mSv for a worker
// under 18, counting the results of their minority), the state is EXCEEDED
// when one of the 12-month windows ending in the last 12 months went over
// (an exceedance stays visible for a year), else that of the current window
// (APPROACHING from 80 %). The unborn child's limit (1 mSv, to stay strictly
// below) is added for a worker with a declared pregnancy: the effective dose
// of the results overlapping the latest one, up to today.
//
// $1 the establishments, $2 the page size, $3 today, $4 the first day of the
// month 22 months before today's (the 23 months the windows cover), $5 the
// first day of the next month.
const handWorkersSQL = `
WITH scope AS (
	SELECT worker_id FROM employments WHERE establishment_id = ANY($1)
	UNION
	SELECT worker_id FROM interventions WHERE site_establishment_id = ANY($1)
), page AS (
	SELECT w.id, w.last_name, w.first_names, w.birth_date, (w.birth_date AT TIME ZONE 'UTC')::date AS birth FROM workers w
	WHERE w.id IN (SELECT worker_id FROM scope)
	ORDER BY w.last_name, w.first_names, w.id LIMIT $2
), lim(code, adult, young) AS (
	VALUES ('EFFECTIVE', 20000, 6000), ('EXTREMITY', 500000, 150000), ('SKIN', 500000, 150000), ('LENS', 20000, 15000)
), readable AS (
	SELECT d.worker_id, d.monitoring_kind, d.quantity, (d.period_start AT TIME ZONE 'UTC')::date AS s,
		(d.period_end AT TIME ZONE 'UTC')::date AS e, d.value_usv AS v
	FROM page p CROSS JOIN LATERAL (SELECT * FROM dose_records d WHERE d.worker_id = p.id
		AND d.current AND d.status <> 'ABSENT' AND d.monitoring_kind NOT IN ('INTERNAL', 'OPERATIONAL') AND d.quantity <> 'E50'
		AND d.period_end < $5::date::timestamp AT TIME ZONE 'UTC'
		AND EXISTS (SELECT 1 FROM employments e WHERE e.worker_id = d.worker_id AND e.establishment_id = ANY($1)
			AND e.start_date <= d.period_end AND (e.end_date IS NULL OR e.end_date >= d.period_start))) d
), counted AS (
	SELECT r.worker_id, l.code, (extract(year FROM r.e) * 12 + extract(month FROM r.e))::int AS m, r.v,
		r.s < p.birth + interval '18 years' AS young
	FROM readable r JOIN page p ON p.id = r.worker_id JOIN lim l ON CASE l.code
		WHEN 'EFFECTIVE' THEN r.quantity IN ('HP10', 'E')
		WHEN 'EXTREMITY' THEN r.monitoring_kind = 'EXTREMITY'
		WHEN 'SKIN' THEN r.monitoring_kind = 'SKIN' OR (r.monitoring_kind = 'PASSIVE_WHOLE_BODY' AND r.quantity = 'HP007')
		WHEN 'LENS' THEN r.monitoring_kind = 'LENS' END
	WHERE r.e >= $4::date
), cur AS (
	SELECT (extract(year FROM $3::date) * 12 + extract(month FROM $3::date))::int AS m,
		make_date(extract(year FROM $3::date)::int, extract(month FROM $3::date)::int, 1) - interval '11 months' AS start
), totals AS (
	-- A window's sum is at most the 23 months': only where those go over a
	-- limit must every window be summed.
	SELECT p.id AS worker_id, p.birth, l.code, l.adult, l.young,
		coalesce(sum(c.v), 0) AS total, coalesce(sum(c.v) FILTER (WHERE c.young), 0) AS minor,
		coalesce(sum(c.v) FILTER (WHERE c.m > cur.m - 12), 0) AS cur_total,
		coalesce(sum(c.v) FILTER (WHERE c.m > cur.m - 12 AND c.young), 0) AS cur_minor,
		age(cur.start, p.birth) < interval '18 years' AS young_now
	FROM page p CROSS JOIN lim l CROSS JOIN cur LEFT JOIN counted c ON c.worker_id = p.id AND c.code = l.code
	GROUP BY p.id, p.birth, l.code, l.adult, l.young, cur.start
), grid AS (
	SELECT t.worker_id, t.birth, t.code, t.adult, t.young, cur.m - i AS m
	FROM totals t CROSS JOIN cur CROSS JOIN generate_series(0, 22) i
	WHERE t.total > t.adult OR t.minor > t.young
), windows AS (
	SELECT g.worker_id, g.code, g.m, g.adult, g.young,
		age(make_date((g.m - 12) / 12, (g.m - 12) % 12 + 1, 1), g.birth) < interval '18 years' AS young_at_start,
		sum(coalesce(c.total, 0)) OVER w AS total, sum(coalesce(c.minor, 0)) OVER w AS minor
	FROM grid g LEFT JOIN (SELECT worker_id, code, m, sum(v) AS total, sum(v) FILTER (WHERE young) AS minor
		FROM counted WHERE (worker_id, code) IN (SELECT worker_id, code FROM grid) GROUP BY 1, 2, 3) c
		ON c.worker_id = g.worker_id AND c.code = g.code AND c.m = g.m
	WINDOW w AS (PARTITION BY g.worker_id, g.code ORDER BY g.m ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)
), exceeded AS (
	SELECT DISTINCT worker_id, code FROM windows CROSS JOIN cur
	WHERE windows.m > cur.m - 12 AND greatest(total::float8 / adult, CASE WHEN young_at_start THEN minor::float8 / young ELSE 0 END) > 1
), rolling AS (
	SELECT t.worker_id, t.code, CASE WHEN x.code IS NOT NULL THEN 'EXCEEDED'
		WHEN greatest(t.cur_total::float8 / t.adult, CASE WHEN t.young_now THEN t.cur_minor::float8 / t.young ELSE 0 END) >= 0.8 THEN 'APPROACHING'
		ELSE 'OK' END AS state
	FROM totals t LEFT JOIN exceeded x ON x.worker_id = t.worker_id AND x.code = t.code
), pregnancy AS (
	SELECT DISTINCT ON (e.worker_id) e.worker_id, (e.pregnancy_declared_on AT TIME ZONE 'UTC')::date AS declared,
		least($3::date, coalesce(max((e.pregnancy_ended_on AT TIME ZONE 'UTC')::date) OVER (PARTITION BY e.worker_id, e.pregnancy_declared_on), $3::date)) AS until
	FROM employments e JOIN page p ON p.id = e.worker_id
	WHERE e.pregnancy_declared_on IS NOT NULL AND (e.pregnancy_declared_on AT TIME ZONE 'UTC')::date <= $3::date
	ORDER BY e.worker_id, e.pregnancy_declared_on DESC
), unborn AS (
	SELECT pr.worker_id, 'PREGNANCY' AS code, CASE WHEN coalesce(sum(r.v), 0) >= 1000 THEN 'EXCEEDED'
		WHEN coalesce(sum(r.v), 0) >= 800 THEN 'APPROACHING' ELSE 'OK' END AS state
	FROM pregnancy pr LEFT JOIN readable r ON r.worker_id = pr.worker_id AND r.quantity IN ('HP10', 'E')
		AND r.s <= pr.until AND r.e >= pr.declared
	GROUP BY pr.worker_id
), standings AS (
	SELECT worker_id, json_agg(json_build_object('limitCode', code, 'state', state) ORDER BY code) AS exposure
	FROM (SELECT worker_id, code, state FROM rolling UNION ALL SELECT worker_id, code, state FROM unborn) s
	GROUP BY worker_id
)
SELECT p.id, p.last_name, p.first_names, p.birth_date, (SELECT count(*) FROM scope), coalesce(s.exposure, '[]')
FROM page p LEFT JOIN standings s ON s.worker_id = p.id ORDER BY p.last_name, p.first_names, p.id`

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
	// PhysicianEmail and AnalystEmail are the demo accounts of the
	// physician's list and worker file, and of the national statistics
	// (same Password); an empty one skips its scenarios.
	PhysicianEmail, AnalystEmail string
	// CPUProfile, when set, is the file of a CPU profile of this process
	// (the server runs in it) taken during the SISERI loads.
	CPUProfile string
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

// ReadsPage is one SPA query's comparison: the query through the server
// against the hand-written SQL returning the same rows, without and with
// the audit append, measured in the same run.
type ReadsPage struct {
	// Query is the SPA operation's name, Account the demo account it runs as.
	Query   string `json:"query"`
	Account string `json:"account"`
	// Page is the page size (for a worker file, the number of results).
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
	Workers       int     `json:"workers"`
	DoseRecords   int     `json:"dose_records"`
	ScopeWorkers  int     `json:"scope_workers"`
	Establishment []int   `json:"establishments"`
	GrantAdded    bool    `json:"grant_added"`
	Clients       int     `json:"clients"`
	Seconds       float64 `json:"seconds_per_scenario"`
	// Pages are AdviserWorkers at each page size; Scenarios the physician's
	// list, the worker file and the analyst's statistics.
	Pages     []ReadsPage   `json:"pages"`
	Scenarios []ReadsPage   `json:"scenarios"`
	Typename  ReadsScenario `json:"typename"`
	Note      string        `json:"note"`

	// PostGraphileTypename is { __typename } through PostGraphile.
	PostGraphileTypename *ReadsScenario `json:"postgraphile_typename,omitempty"`
}

// Reads measures the SPA's AdviserWorkers query and { __typename } through
// the real HTTP server, signed in as the demo adviser, against hand-written
// SQL on pgx returning the same rows, with and without an audit append like
// the server's, with o.Clients concurrent clients for o.Duration each.
func Reads(ctx context.Context, o ReadsOptions, log *slog.Logger, progress io.Writer) (ReadsResult, error) {
	res := ReadsResult{Clients: o.Clients, Seconds: o.Duration.Seconds(),
		Note: "hand SQL returns the same rows as the API for the same account: an adviser's standings are summed from the results they may read (RC12, RC14); each page is checked equal before it is measured"}
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
		p := ReadsPage{Query: "AdviserWorkers", Account: o.Email, Page: n}
		if err := sameAdviserPage(ctx, gql, hand, q, n); err != nil {
			return res, err
		}
		p.SameIDs = true
		fmt.Fprintf(progress, "AdviserWorkers, page de %d : SISERI…\n", n)
		stopProfile := startProfile(o.CPUProfile, fmt.Sprintf("adviser_workers_%d", n))
		p.SISERI = load(ctx, fmt.Sprintf("siseri_adviser_workers_%d", n), o, func(ctx context.Context) error {
			_, err := gql(ctx, q, adviserWorkersVariables)
			return err
		})
		stopProfile()
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
	if o.PhysicianEmail != "" {
		fmt.Fprintf(progress, "FollowedWorkers et PhysicianWorkerFile (%s)…\n", o.PhysicianEmail)
		pc, err := signIn(ctx, hc, endpoint, o.PhysicianEmail, o.Password)
		if err != nil {
			return res, err
		}
		ps, err := physicianScenarios(ctx, o, pool, func(ctx context.Context, q string, vars map[string]any) ([]byte, error) {
			return post(ctx, hc, endpoint, pc, q, vars)
		}, o.Pages[0])
		if err != nil {
			return res, err
		}
		res.Scenarios = append(res.Scenarios, ps...)
	}
	if o.AnalystEmail != "" {
		fmt.Fprintf(progress, "NationalDoses (%s)…\n", o.AnalystEmail)
		ac, err := signIn(ctx, hc, endpoint, o.AnalystEmail, o.Password)
		if err != nil {
			return res, err
		}
		p, err := analystScenario(ctx, o, pool, func(ctx context.Context, q string, vars map[string]any) ([]byte, error) {
			return post(ctx, hc, endpoint, ac, q, vars)
		})
		if err != nil {
			return res, err
		}
		res.Scenarios = append(res.Scenarios, p)
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

// startProfile starts a CPU profile into file.name.pprof when file is set,
// and returns what stops it.
func startProfile(file, name string) func() {
	if file == "" {
		return func() {}
	}
	f, err := os.Create(strings.TrimSuffix(file, ".pprof") + "." + name + ".pprof")
	if err != nil {
		slog.Default().Warn("bench reads: cpu profile", "err", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

func replaceFirst(s, old, new string) string { return strings.Replace(s, old, new, 1) }

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

// standingsKey is a worker's standings as "CODE STATE" pairs in code order.
type standingsKey = string

func keyOf(ls []struct {
	LimitCode string `json:"limitCode"`
	State     string `json:"state"`
}) standingsKey {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.LimitCode + " " + l.State
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// sameAdviserPage runs the API query and the hand SQL once each and fails
// unless they return the same workers, in the same order, with the same
// total and the same limit codes and states.
func sameAdviserPage(ctx context.Context, gql func(context.Context, string, map[string]any) ([]byte, error), hand *handReader, q string, n int) error {
	raw, err := gql(ctx, q, adviserWorkersVariables)
	if err != nil {
		return err
	}
	var r struct {
		Data struct {
			Workers struct {
				TotalCount int `json:"totalCount"`
				Edges      []struct {
					Node struct {
						ID       string `json:"id"`
						Exposure []struct {
							LimitCode string `json:"limitCode"`
							State     string `json:"state"`
						} `json:"exposure"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"workers"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return err
	}
	var rows []handRow
	h := *hand
	h.last = &rows
	if _, err := h.page(ctx, n, false); err != nil {
		return err
	}
	edges := r.Data.Workers.Edges
	if len(edges) != len(rows) {
		return fmt.Errorf("page de %d : l'API rend %d travailleurs, le SQL écrit à la main %d", n, len(edges), len(rows))
	}
	for i, e := range edges {
		var id int
		if _, err := fmt.Sscan(e.Node.ID, &id); err != nil {
			return fmt.Errorf("identifiant de travailleur %q : %w", e.Node.ID, err)
		}
		var hs []struct {
			LimitCode string `json:"limitCode"`
			State     string `json:"state"`
		}
		if err := json.Unmarshal(rows[i].Exposure, &hs); err != nil {
			return err
		}
		if id != rows[i].ID || keyOf(e.Node.Exposure) != keyOf(hs) || r.Data.Workers.TotalCount != rows[i].Total {
			return fmt.Errorf("page de %d, ligne %d : l'API rend le travailleur %d (%s ; %d au total), le SQL écrit à la main %d (%s ; %d au total)",
				n, i+1, id, keyOf(e.Node.Exposure), r.Data.Workers.TotalCount, rows[i].ID, keyOf(hs), rows[i].Total)
		}
	}
	return nil
}

// handReader is the baseline: the page by one hand-written statement on pgx.
type handReader struct {
	// last, when set, receives the rows of the next read (the check).
	last      *[]handRow
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
	today := time.Now().UTC()
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	rows, err := q.Query(ctx, handWorkersSQL, h.ests, n, today.Format(time.DateOnly),
		month.AddDate(0, -22, 0).Format(time.DateOnly), month.AddDate(0, 1, 0).Format(time.DateOnly))
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
	if h.last != nil {
		*h.last = out
	}
	if !audit {
		return ids, nil
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	var salt [16]byte
	_, _ = rand.Read(salt[:])
	sorted := slices.Sorted(slices.Values(ids))
	fields := []string{"Query.workers", "Worker.lastName", "Worker.firstNames", "Worker.birthDate", "Worker.exposure"}
	content, _ := json.Marshal(map[string]any{"at": at, "actor": h.accountID, "grant": h.grantID, "op": "query AdviserWorkers { workers }",
		"fields": fields, "workers": sorted, "salt": hex.EncodeToString(salt[:])})
	sum := sha256.Sum256(content)
	idsJSON, _ := json.Marshal(sorted)
	fieldsJSON, _ := json.Marshal(fields)
	var event int64
	if err := tx.QueryRow(ctx, `INSERT INTO audit_events (at, actor_account_id, actor_label, actor_role, grant_id, action, operation,
		field_paths, object_type, object_ids, worker_ids, salt, hash) VALUES ($1, $2, 'Julien Lefèvre (PCR) (conseiller en radioprotection)', $3, $4, 'READ', 'query AdviserWorkers { workers }', $5, 'Worker', $6, $6, $7, $8)
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
