package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/siseri/siseri/policy"
)

// PostGraphile is the read benchmark's outside baseline: PostGraphile v4,
// pinned in bench/postgraphile (package.json and its lock file), run by
// node over the same PostgreSQL tables as SISERI. scripts/bench.sh installs
// it (npm ci); nothing of it ships with SISERI.

// postGraphileSchema holds the SQL functions a PostGraphile user would write
// for the scopes SISERI's policy computes (PostGraphile exposes a function
// returning SETOF a table as a connection). It is created in the benchmark
// database for the run and dropped after it.
const postGraphileSchema = "siseri_postgraphile"

// postGraphileSetupSQL creates postGraphileSchema and its functions. The
// scope is the hand SQL's (handWorkersSQL): workers ever employed in, or
// declared intervening on, one of the establishments, by last name, first
// names and id. A STABLE SQL function of one SELECT is inlined by the
// planner, so PostGraphile's statement plans like the hand SQL.
const postGraphileSetupSQL = `
CREATE SCHEMA IF NOT EXISTS ` + postGraphileSchema + `;
CREATE OR REPLACE FUNCTION ` + postGraphileSchema + `.adviser_workers(establishment_ids bigint[])
RETURNS SETOF public.workers LANGUAGE sql STABLE AS $$
	SELECT w.* FROM public.workers w WHERE w.id IN (
		SELECT worker_id FROM public.employments WHERE establishment_id = ANY(establishment_ids)
		UNION
		SELECT worker_id FROM public.interventions WHERE site_establishment_id = ANY(establishment_ids))
	ORDER BY w.last_name, w.first_names, w.id
$$;`

// postGraphileAdviserWorkersQuery is AdviserWorkers as a PostGraphile user
// writes it: the scope function's connection with its total, each worker's
// identity and stored standings (limitUsv: PostGraphile has no mSv field).
const postGraphileAdviserWorkersQuery = `
  query AdviserWorkers($establishmentIds: [BigInt], $first: Int) {
    adviserWorkers(establishmentIds: $establishmentIds, first: $first) {
      totalCount
      nodes {
        id
        lastName
        firstNames
        birthDate
        exposureSummariesByWorkerId(orderBy: [LIMIT_CODE_ASC]) {
          nodes {
            limitCode
            status
            limitUsv
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

// PostGraphileQuery is one read scenario written for PostGraphile.
type PostGraphileQuery struct {
	// Name names the measured load (ReadsScenario.Name).
	Name      string
	Query     string
	Variables map[string]any
	// IDs returns the ids of the rows of a response, in order; nil for a
	// query with nothing to compare ({ __typename }).
	IDs func(raw []byte) ([]int, error)
	// Want are the ids the hand SQL returns for the same read: the first
	// response must return exactly them, or the benchmark fails.
	Want []int
	// Unordered compares the ids as sets.
	Unordered bool
	// SetupSQL creates what the query needs beyond postGraphileSetupSQL
	// (functions in postGraphileSchema), run before PostGraphile starts.
	SetupSQL string
}

// AdviserWorkersPostGraphile is AdviserWorkers' first page of n workers of
// the establishments ests, whose hand SQL returns want.
func AdviserWorkersPostGraphile(n int, ests, want []int) PostGraphileQuery {
	return PostGraphileQuery{
		Name:      fmt.Sprintf("postgraphile_adviser_workers_%d", n),
		Query:     postGraphileAdviserWorkersQuery,
		Variables: map[string]any{"establishmentIds": bigInts(ests), "first": n},
		IDs:       func(raw []byte) ([]int, error) { return connectionIDs(raw, "adviserWorkers") },
		Want:      want,
	}
}

// postGraphileFollowedSQL is the physician's scope (the hand SQL's: granted
// by worker, or employed on the day in one of their establishments) as a
// SQL function, by last name, first names and id.
const postGraphileFollowedSQL = `
CREATE OR REPLACE FUNCTION ` + postGraphileSchema + `.followed_workers(establishment_ids bigint[], worker_ids bigint[], on_date date)
RETURNS SETOF public.workers LANGUAGE sql STABLE AS $$
	SELECT w.* FROM public.workers w WHERE w.id IN (
		SELECT worker_id FROM public.employments WHERE establishment_id = ANY(establishment_ids)
			AND start_date <= on_date::timestamp AT TIME ZONE 'UTC'
			AND (end_date IS NULL OR end_date >= on_date::timestamp AT TIME ZONE 'UTC')
		UNION
		SELECT unnest(worker_ids))
	ORDER BY w.last_name, w.first_names, w.id
$$;`

// FollowedWorkersPostGraphile is the physician's list (FollowedWorkers):
// the first n workers followed on day through the establishments ests or
// grants by worker, each with their three latest employments, whose hand
// SQL returns the worker ids want.
func FollowedWorkersPostGraphile(n int, ests, workers []int, day time.Time, want []int) PostGraphileQuery {
	return PostGraphileQuery{
		Name: fmt.Sprintf("postgraphile_followed_workers_%d", n),
		Query: `
  query FollowedWorkers($establishmentIds: [BigInt], $workerIds: [BigInt], $day: Date, $first: Int) {
    followedWorkers(establishmentIds: $establishmentIds, workerIds: $workerIds, onDate: $day, first: $first) {
      totalCount
      nodes {
        id
        lastName
        usageName
        firstNames
        birthDate
        employmentsByWorkerId(first: 3, orderBy: [START_DATE_DESC, ID_ASC]) {
          nodes {
            id
            jobCode
            classification
            endDate
            establishmentByEstablishmentId { id name }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`,
		Variables: map[string]any{"establishmentIds": bigInts(ests), "workerIds": bigInts(workers),
			"day": day.Format(time.DateOnly), "first": n},
		IDs:      func(raw []byte) ([]int, error) { return connectionIDs(raw, "followedWorkers") },
		Want:     want,
		SetupSQL: postGraphileFollowedSQL,
	}
}

// bigInts are ids as PostGraphile's BigInt (strings), never null.
func bigInts(ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.Itoa(id)
	}
	return out
}

// postGraphileWorkerFileQuery is the physician's worker file
// (PhysicianWorkerFile) as a PostGraphile user writes it: the worker by id,
// their last 20 employments and up to 1,000 dose records with the
// establishment and laboratory names (valueUsv: no mSv field).
const postGraphileWorkerFileQuery = `
  query PhysicianWorkerFile($id: BigInt!) {
    workerById(id: $id) {
      id
      lastName
      usageName
      firstNames
      birthDate
      nir
      employmentsByWorkerId(first: 20, orderBy: [START_DATE_DESC]) {
        nodes {
          id
          startDate
          endDate
          jobCode
          classification
          establishmentByEstablishmentId { id name }
        }
      }
      doseRecordsByWorkerId(first: 1000, orderBy: [PERIOD_END_DESC, ID_ASC]) {
        totalCount
        nodes {
          id
          monitoringKind
          quantity
          valueUsv
          status
          source
          periodStart
          periodEnd
          version
          current
          pending
          supersedesId
          correctionReason
          radionuclide
          establishmentByEstablishmentId { name }
          laboratoryByLaboratoryId { name }
        }
      }
    }
  }
`

// WorkerFilePostGraphile is the worker file of worker id, whose hand SQL
// returns the dose record ids want (compared as sets: the order of records
// ending on the same day is not the registry's to define).
func WorkerFilePostGraphile(id int, want []int) PostGraphileQuery {
	return PostGraphileQuery{
		Name:      "postgraphile_worker_file",
		Query:     postGraphileWorkerFileQuery,
		Variables: map[string]any{"id": strconv.Itoa(id)},
		IDs: func(raw []byte) ([]int, error) {
			var r struct {
				Data struct {
					WorkerByID *struct {
						DoseRecords struct {
							Nodes []struct {
								ID json.Number `json:"id"`
							} `json:"nodes"`
						} `json:"doseRecordsByWorkerId"`
					} `json:"workerById"`
				} `json:"data"`
			}
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			if err := d.Decode(&r); err != nil {
				return nil, fmt.Errorf("réponse de PostGraphile illisible : %w", err)
			}
			if r.Data.WorkerByID == nil {
				return nil, fmt.Errorf("PostGraphile ne trouve pas le travailleur %d : %.300s", id, raw)
			}
			ids := make([]int, len(r.Data.WorkerByID.DoseRecords.Nodes))
			for i, n := range r.Data.WorkerByID.DoseRecords.Nodes {
				x, err := strconv.Atoi(n.ID.String())
				if err != nil {
					return nil, fmt.Errorf("identifiant %q rendu par PostGraphile : %w", n.ID, err)
				}
				ids[i] = x
			}
			return ids, nil
		},
		Want:      want,
		Unordered: true,
	}
}

// postGraphileNationalDosesSQL is the analyst's filter (NationalDoses) as a
// SQL function: current doses of record in HP10 or E50 ending between two
// dates, by id (PostGraphile without plugins has no IN or range filter).
const postGraphileNationalDosesSQL = `
CREATE OR REPLACE FUNCTION ` + postGraphileSchema + `.national_doses(from_date date, to_date date)
RETURNS SETOF public.dose_records LANGUAGE sql STABLE AS $$
	SELECT d.* FROM public.dose_records d
	WHERE d.current AND d.quantity IN ('HP10', 'E50')
		AND d.period_end >= from_date::timestamp AT TIME ZONE 'UTC' AND d.period_end <= to_date::timestamp AT TIME ZONE 'UTC'
	ORDER BY d.id
$$;`

// NationalDosesPostGraphile is the analyst's first page (1,000 doses) of
// NationalDoses between from and to, whose hand SQL returns want.
func NationalDosesPostGraphile(from, to time.Time, want []int) PostGraphileQuery {
	return PostGraphileQuery{
		Name: "postgraphile_national_doses",
		Query: `
  query NationalDoses($from: Date!, $to: Date!) {
    nationalDoses(fromDate: $from, toDate: $to, first: 1000) {
      totalCount
      nodes { id workerId valueUsv periodEnd sectorCode }
      pageInfo { hasNextPage endCursor }
    }
  }
`,
		Variables: map[string]any{"from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly)},
		IDs:       func(raw []byte) ([]int, error) { return connectionIDs(raw, "nationalDoses") },
		Want:      want,
		SetupSQL:  postGraphileNationalDosesSQL,
	}
}

// TypenamePostGraphile is { __typename }: PostGraphile's floor.
func TypenamePostGraphile() PostGraphileQuery {
	return PostGraphileQuery{Name: "postgraphile_typename", Query: "{ __typename }"}
}

// connectionIDs returns the ids of data.<field>.nodes[].id (PostGraphile
// sends a BigInt as a string).
func connectionIDs(raw []byte, field string) ([]int, error) {
	var r struct {
		Data map[string]struct {
			Nodes []struct {
				ID json.Number `json:"id"`
			} `json:"nodes"`
		} `json:"data"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&r); err != nil {
		return nil, fmt.Errorf("réponse de PostGraphile illisible : %w", err)
	}
	conn, ok := r.Data[field]
	if !ok {
		return nil, fmt.Errorf("la réponse de PostGraphile n'a pas de champ %s : %.300s", field, raw)
	}
	ids := make([]int, len(conn.Nodes))
	for i, n := range conn.Nodes {
		id, err := strconv.Atoi(n.ID.String())
		if err != nil {
			return nil, fmt.Errorf("identifiant %q rendu par PostGraphile : %w", n.ID, err)
		}
		ids[i] = id
	}
	return ids, nil
}

// PostGraphileReads creates the scope functions in o.DatabaseURL, starts
// PostGraphile on it, checks that each query returns the hand SQL's rows
// (a mismatch is an error), measures each with the same load driver and
// options as SISERI's reads, then stops PostGraphile and drops the
// functions. The result is keyed by PostGraphileQuery.Name.
func PostGraphileReads(ctx context.Context, o ReadsOptions, queries []PostGraphileQuery, progress io.Writer) (map[string]ReadsScenario, error) {
	dir, err := PostGraphileDir(o.PostGraphileDir)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, o.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	setup := postGraphileSetupSQL
	for _, q := range queries {
		setup += q.SetupSQL
	}
	if _, err := pool.Exec(ctx, setup); err != nil {
		return nil, fmt.Errorf("fonctions SQL pour PostGraphile : %w", err)
	}
	defer func() {
		// The functions are the benchmark's, not the registry's.
		_, _ = pool.Exec(context.WithoutCancel(ctx), "DROP SCHEMA IF EXISTS "+postGraphileSchema+" CASCADE")
	}()
	pg, err := StartPostGraphile(ctx, dir, o.DatabaseURL, postGraphileSchema)
	if err != nil {
		return nil, err
	}
	defer pg.Stop()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: max(o.Clients, 1) * 2}, Timeout: 2 * time.Minute}
	do := func(ctx context.Context, q PostGraphileQuery) ([]byte, error) {
		return post(ctx, hc, pg.Endpoint, "", q.Query, q.Variables)
	}
	out := make(map[string]ReadsScenario, len(queries))
	for _, q := range queries {
		raw, err := do(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("%s : PostGraphile a échoué : %w", q.Name, err)
		}
		if q.IDs != nil {
			got, err := q.IDs(raw)
			if err != nil {
				return nil, fmt.Errorf("%s : %w", q.Name, err)
			}
			want := q.Want
			if q.Unordered {
				got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
			}
			if !slices.Equal(got, want) {
				return nil, fmt.Errorf("%s : PostGraphile et le SQL écrit à la main ne rendent pas les mêmes lignes (%d contre %d ; PostGraphile %v…, SQL %v…)",
					q.Name, len(got), len(want), got[:min(5, len(got))], want[:min(5, len(want))])
			}
		}
		fmt.Fprintf(progress, "%s : PostGraphile…\n", q.Name)
		out[q.Name] = load(ctx, q.Name, o, func(ctx context.Context) error {
			_, err := do(ctx, q)
			return err
		})
	}
	return out, pg.Stop()
}

// PostGraphileDir is where PostGraphile is installed: dir when set, else
// $SISERI_POSTGRAPHILE_DIR, else bench/postgraphile in the working
// directory or the nearest parent that has it (tests run in their package's
// folder). It fails, saying how to install it, when node_modules lacks it.
func PostGraphileDir(dir string) (string, error) {
	if dir == "" {
		dir = os.Getenv("SISERI_POSTGRAPHILE_DIR")
	}
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "bench", "postgraphile", "package.json")); err == nil {
				dir = filepath.Join(d, "bench", "postgraphile")
				break
			}
			if filepath.Dir(d) == d {
				return "", fmt.Errorf("dossier bench/postgraphile introuvable depuis %s : lancez le banc d'essai depuis le dépôt SISERI ou indiquez SISERI_POSTGRAPHILE_DIR", wd)
			}
		}
	}
	if _, err := os.Stat(postGraphileCLI(dir)); err != nil {
		return "", fmt.Errorf("PostGraphile n'est pas installé dans %s : lancez « npm ci --prefix %s » (scripts/bench.sh le fait)", dir, dir)
	}
	return dir, nil
}

func postGraphileCLI(dir string) string {
	return filepath.Join(dir, "node_modules", "postgraphile", "cli.js")
}

// PostGraphileServer is a running PostGraphile child process.
type PostGraphileServer struct {
	// Endpoint is its GraphQL URL.
	Endpoint string
	cmd      *exec.Cmd
	exited   chan struct{}
	waitErr  error
	output   *tailBuffer
	stopOnce sync.Once
	stopErr  error
}

// StartPostGraphile runs PostGraphile from its install in dir (see
// PostGraphileDir) over databaseURL, exposing the public schema and the
// extra schemas, read-only (no default mutations), on a free local port,
// and returns once it answers { __typename }, or fails after a minute.
func StartPostGraphile(ctx context.Context, dir, databaseURL string, schemas ...string) (*PostGraphileServer, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errNoNode(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := "public"
	for _, x := range schemas {
		s += "," + x
	}
	cmd := exec.Command(node, postGraphileCLI(dir),
		"--connection", databaseURL, "--schema", s,
		"--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--disable-default-mutations", "--simple-collections", "both",
		"--disable-query-log", "--no-setof-functions-contain-nulls")
	cmd.Dir = dir
	p := &PostGraphileServer{Endpoint: fmt.Sprintf("http://127.0.0.1:%d/graphql", port), cmd: cmd,
		exited: make(chan struct{}), output: &tailBuffer{max: 8 << 10}}
	cmd.Stdout, cmd.Stderr = p.output, p.output
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("démarrage de PostGraphile : %w", err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	hc := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(time.Minute)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := post(ctx, hc, p.Endpoint, "", "{ __typename }", nil); err == nil {
			return p, nil
		} else if time.Now().After(deadline) {
			p.Stop()
			return nil, fmt.Errorf("PostGraphile ne répond pas après une minute (%v) : %s", err, p.output)
		}
		select {
		case <-p.exited:
			return nil, fmt.Errorf("PostGraphile s'est arrêté au démarrage (%v) : %s", p.waitErr, p.output)
		case <-ctx.Done():
			p.Stop()
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
}

// Stop ends the process (SIGTERM, then SIGKILL after 10 s) and waits for it.
func (p *PostGraphileServer) Stop() error {
	p.stopOnce.Do(func() {
		select {
		case <-p.exited:
			return
		default:
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
			p.stopErr = errors.New("PostGraphile ne s'est pas arrêté en 10 s après SIGTERM")
		}
	})
	return p.stopErr
}

// tailBuffer keeps the last max bytes written to it (the child's output,
// quoted in errors).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.b))
}

// PostGraphileBaseline is PostGraphile's key in ReadsPage.Others and Ratios.
const PostGraphileBaseline = "postgraphile"

// addOther records baseline s of page p and SISERI's ratio to it.
func addOther(p *ReadsPage, name string, s ReadsScenario) {
	if p.Others == nil {
		p.Others, p.Ratios = map[string]ReadsScenario{}, map[string]float64{}
	}
	p.Others[name], p.Ratios[name] = s, ratio(p.SISERI.ReqPerS, s.ReqPerS)
}

// checkPostGraphile fails before any load when o asks for PostGraphile and
// node or the install is missing.
func checkPostGraphile(o ReadsOptions) error {
	if !o.PostGraphile {
		return nil
	}
	if _, err := exec.LookPath("node"); err != nil {
		return errNoNode(err)
	}
	_, err := PostGraphileDir(o.PostGraphileDir)
	return err
}

// postGraphileReads measures, after SISERI's, the same reads through
// PostGraphile and fills the PostGraphile figures and ratios of res.
func postGraphileReads(ctx context.Context, o ReadsOptions, hand *handReader, res *ReadsResult, progress io.Writer) error {
	var queries []PostGraphileQuery
	for _, p := range res.Pages {
		want, err := hand.page(ctx, p.Page, false)
		if err != nil {
			return err
		}
		queries = append(queries, AdviserWorkersPostGraphile(p.Page, hand.ests, want))
	}
	more, err := scenarioQueries(ctx, o, hand.pool, res.Scenarios)
	if err != nil {
		return err
	}
	queries = append(queries, more...)
	queries = append(queries, TypenamePostGraphile())
	got, err := PostGraphileReads(ctx, o, queries, progress)
	if err != nil {
		return err
	}
	for i := range res.Pages {
		addOther(&res.Pages[i], PostGraphileBaseline, got[queries[i].Name])
	}
	for i := range res.Scenarios {
		addOther(&res.Scenarios[i], PostGraphileBaseline, got[more[i].Name])
	}
	t := got[TypenamePostGraphile().Name]
	res.PostGraphileTypename = &t
	res.Note += "; PostGraphile (v4, one node process, its default pool of 10) reads the same rows through SQL scope functions, the adviser's standings from the stored exposure_summaries"
	return nil
}

func errNoNode(err error) error {
	return fmt.Errorf("node (Node.js ≥ 18) est introuvable dans le PATH ; il est nécessaire pour mesurer PostGraphile : %w", err)
}

// scenarioQueries are the PostGraphile queries of the physician's and the
// analyst's scenarios, in their order, with the rows their hand SQL
// returns (the same choices as physicianScenarios and analystScenario).
func scenarioQueries(ctx context.Context, o ReadsOptions, pool *pgxpool.Pool, scenarios []ReadsPage) ([]PostGraphileQuery, error) {
	var out []PostGraphileQuery
	for _, sc := range scenarios {
		switch sc.Query {
		case "FollowedWorkers", "PhysicianWorkerFile":
			v, err := grantsOf(ctx, pool, o.PhysicianEmail, policy.RolePhysician)
			if err != nil {
				return nil, err
			}
			n := o.Pages[0]
			ids, _, _, err := handFollowed(ctx, pool, v, n)
			if err != nil {
				return nil, err
			}
			if sc.Query == "FollowedWorkers" {
				out = append(out, FollowedWorkersPostGraphile(sc.Page, v.ests, v.workers, today(), ids))
				continue
			}
			var worker int
			if err := pool.QueryRow(ctx, `SELECT worker_id FROM dose_records WHERE worker_id = ANY($1) GROUP BY worker_id
				ORDER BY count(*) DESC, worker_id LIMIT 1`, ids).Scan(&worker); err != nil {
				return nil, err
			}
			_, doses, _, err := handWorkerFile(ctx, pool, v, worker)
			if err != nil {
				return nil, err
			}
			out = append(out, WorkerFilePostGraphile(worker, doses))
		case "NationalDoses":
			var last time.Time
			if err := pool.QueryRow(ctx, `SELECT coalesce(max(period_end), now()) FROM dose_records`).Scan(&last); err != nil {
				return nil, err
			}
			from := time.Date(last.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(last.Year(), time.December, 31, 0, 0, 0, 0, time.UTC)
			ids, _, _, err := handNational(ctx, pool, from, to, 1000)
			if err != nil {
				return nil, err
			}
			out = append(out, NationalDosesPostGraphile(from, to, ids))
		default:
			return nil, fmt.Errorf("pas de requête PostGraphile pour le scénario %s", sc.Query)
		}
	}
	return out, nil
}
