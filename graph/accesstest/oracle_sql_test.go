package accesstest

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/policy"
)

// The oracle: what each role may see, as plain SQL over the tables, written
// from DOMAIN.md §1.3 and §10 and REGULATION-CASES.md (RC01, RC11–RC14) —
// not from policy.csv, policy/scope, the entitlement table or rows_test.go.
// A caller's scope is its grant: an establishment (or every establishment of
// a company, or of a region), a worker, a laboratory, an account.
//
//   - worker: themself, every row about them (DOMAIN §1.3: own, all periods);
//   - occupational physician and delegates (R.4451-68, L.4624-1): the workers
//     under their enhanced follow-up — employed today in their establishment
//     (a worker who left is followed by the new employer's physician) — and
//     every row about them, internal dosimetry, corrections and conflicts
//     included;
//   - radiation protection adviser (R.4451-69): the workers ever employed in
//     their establishments or intervening on their site; of their doses of
//     record, the external results (never internal dosimetry) whose period
//     overlaps an employment there — the contract period (DOMAIN §10.1);
//     operational dosimetry taken on their site, and that of their workers
//     on a host site under a declared intervention during their contract
//     (arrêté 2023 art. 17–18); the findings there, in the contract period,
//     on no internal result;
//   - employer correspondent (arrêté 2019 art. 2, arrêté 2023 art. 8): the
//     same workers, administrative data only — no dose row; that a limit
//     was exceeded by a worker employed today, never a value or an
//     approaching state (R.4451-79 I, RC11); the batches they submitted and
//     those sent for their establishment (by its adviser, arrêté 2023
//     art. 17), as the adviser does;
//   - laboratory (R.4451-65, RC01): what it submitted itself, every version;
//     never a physician's correction;
//   - control agent (R.4451-71, arrêté 2023 art. 4): the workers, employments
//     and external results of their region's establishments;
//   - analyst (ASNR): every row, pseudonymised by fields;
//   - administrator: accounts and workers' identities, no dose;
//   - labour ministry: anonymous notices only; anonymous caller: nothing.
//
// Aggregates (RC14): a sum a role reads for a worker over a window is the sum
// of the results of that worker and window it may read: current versions,
// not pending, not ABSENT, of the quantities counting toward the limit
// (docs/formats.md: Hp(10), E(50) and E for the effective dose).
type oracle struct {
	db  *sql.DB
	o   *oracleWorld
	all map[string]idSet // every row of each list, read as the system
	// notices are the anomaly rows of layer CONSTRAINT (notices of dose
	// constraints crossed): in the row scope of Anomaly, left out of the
	// anomalies query and subscriptions (see listed).
	notices idSet

	tally    *tally
	ex       map[*subject]*expectation
	exposure map[*subject]map[string]bool // standings shown by Worker.exposure
	problems []string                     // every disagreement, for the summary
}

// oracleLists are the lists the oracle computes, by their Query field.
var oracleLists = []string{"workers", "employments", "doseRecords", "operationalDoses", "exposureSummaries",
	"anomalies", "doseConflicts", "importBatches", "interventions"}

// oracleTables maps a list to its table and GraphQL type.
var oracleTables = map[string][2]string{
	"workers": {"workers", "Worker"}, "employments": {"employments", "Employment"},
	"doseRecords": {"dose_records", "DoseRecord"}, "operationalDoses": {"operational_doses", "OperationalDose"},
	"exposureSummaries": {"exposure_summaries", "ExposureSummary"}, "anomalies": {"anomalies", "Anomaly"},
	"doseConflicts": {"dose_conflicts", "DoseConflict"}, "importBatches": {"import_batches", "ImportBatch"},
	"interventions": {"interventions", "Intervention"},
}

func newOracle(t *testing.T, o *oracleWorld) *oracle {
	or := &oracle{db: o.srv.DB.SQL, o: o, all: map[string]idSet{}}
	or.notices = or.ids(t, "SELECT id FROM anomalies WHERE layer = 'CONSTRAINT'")
	for _, l := range oracleLists {
		or.all[l] = or.ids(t, "SELECT id FROM "+oracleTables[l][0])
	}
	return or
}

// ids runs a query returning one integer column.
func (or *oracle) ids(t *testing.T, q string, args ...any) idSet {
	t.Helper()
	rows, err := or.db.Query(q, args...)
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, q)
	}
	defer rows.Close()
	out := idSet{}
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id] = true
	}
	return out
}

// in renders ids as an SQL list; (NULL) when empty, which matches nothing.
func in(ids idSet) string {
	if len(ids) == 0 {
		return "(NULL)"
	}
	parts := make([]string, 0, len(ids))
	for _, id := range ids.sorted() {
		parts = append(parts, fmt.Sprint(id))
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// day of a timestamp column, in UTC (dates are stored as midnight UTC).
func dayOf(col string) string { return "((" + col + ") AT TIME ZONE 'UTC')::date" }

const today = "((now() AT TIME ZONE 'UTC')::date)"

// ests returns the establishments of s's grant: the one granted, every one of
// the company granted, every one of the region granted.
func (or *oracle) ests(t *testing.T, s *subject) idSet {
	return or.ids(t, `SELECT id FROM establishments WHERE id = $1 OR company_id = $2 OR region = $3 OR id IN `+in(setOf(or.o.extra[s]...)),
		s.est, or.o.company[s], s.region)
}

// expectation is what the oracle lets one subject see.
type expectation struct {
	rows map[string]idSet
	ests idSet
	// readsDoses: the role reads dose rows at all (exposureChanged is news
	// about them).
	readsDoses bool
}

// expect computes every list's visible rows for s.
func (or *oracle) expect(t *testing.T, s *subject) *expectation {
	t.Helper()
	ex := &expectation{rows: map[string]idSet{}, ests: or.ests(t, s)}
	for _, l := range oracleLists {
		ex.rows[l] = idSet{}
	}
	if s.role == "" {
		return ex // anonymous: nothing
	}
	E := in(ex.ests)
	self := fmt.Sprint(s.worker)
	// Workers under the physician's follow-up: employed today in their
	// establishments, or granted by worker.
	followed := fmt.Sprintf(`SELECT worker_id FROM employments WHERE establishment_id IN %s AND %s <= %s AND (end_date IS NULL OR %s >= %s)
		UNION SELECT %s`, E, dayOf("start_date"), today, dayOf("end_date"), today, self)
	// The contract period: an employment of the row's worker in one of the
	// caller's establishments overlapping [start, end].
	contract := func(workerCol, start, end string) string {
		return fmt.Sprintf(`EXISTS (SELECT 1 FROM employments c WHERE c.worker_id = %s AND c.establishment_id IN %s
			AND %s <= %s AND (c.end_date IS NULL OR %s >= %s))`, workerCol, E, dayOf("c.start_date"), dayOf(end), dayOf("c.end_date"), dayOf(start))
	}
	// A finding's evidence inside one contract: one employment of the worker
	// in the caller's establishments covering every day of [start, end], and
	// for a finding on the worker's own history the back years before it
	// (RC12: nothing of another contract in values, sums, states or alerts).
	covers := func(workerCol, start, end string, back int) string {
		from := dayOf(start)
		if back > 0 {
			from = fmt.Sprintf("(%s - interval '%d years')::date", from, back)
		}
		return fmt.Sprintf(`EXISTS (SELECT 1 FROM employments c WHERE c.worker_id = %s AND c.establishment_id IN %s
			AND %s <= %s AND (c.end_date IS NULL OR %s >= %s))`, workerCol, E, dayOf("c.start_date"), from, dayOf("c.end_date"), dayOf(end))
	}
	const external = `d.monitoring_kind <> 'INTERNAL' AND d.quantity <> 'E50'`
	var q map[string]string
	switch s.role {
	case policy.RoleWorker:
		q = map[string]string{
			"workers": "SELECT id FROM workers WHERE id = " + self, "employments": "SELECT id FROM employments WHERE worker_id = " + self,
			"doseRecords": "SELECT id FROM dose_records WHERE worker_id = " + self, "operationalDoses": "SELECT id FROM operational_doses WHERE worker_id = " + self,
			"exposureSummaries": "SELECT id FROM exposure_summaries WHERE worker_id = " + self, "interventions": "SELECT id FROM interventions WHERE worker_id = " + self,
		}
	case policy.RolePhysician, policy.RoleDelegate:
		q = map[string]string{"workers": "SELECT id FROM workers WHERE id IN (" + followed + ")"}
		for _, l := range []string{"employments", "doseRecords", "operationalDoses", "exposureSummaries", "anomalies", "doseConflicts", "interventions"} {
			q[l] = "SELECT id FROM " + oracleTables[l][0] + " WHERE worker_id IN (" + followed + ")"
		}
	case policy.RoleRPA, policy.RoleEmployer, policy.RoleControlAgent:
		q = map[string]string{
			"workers": fmt.Sprintf(`SELECT id FROM workers WHERE id IN (SELECT worker_id FROM employments WHERE establishment_id IN %s)
				OR id IN (SELECT worker_id FROM interventions WHERE site_establishment_id IN %s)`, E, E),
			"employments":   "SELECT id FROM employments WHERE establishment_id IN " + E,
			"interventions": fmt.Sprintf("SELECT id FROM interventions WHERE site_establishment_id IN %s OR contractor_establishment_id IN %s", E, E),
		}
		switch s.role {
		case policy.RoleRPA:
			q["doseRecords"] = "SELECT d.id FROM dose_records d WHERE " + external + " AND " + contract("d.worker_id", "d.period_start", "d.period_end")
			q["operationalDoses"] = fmt.Sprintf(`SELECT d.id FROM operational_doses d WHERE d.establishment_id IN %s OR EXISTS (
				SELECT 1 FROM interventions i WHERE i.worker_id = d.worker_id AND i.site_establishment_id = d.establishment_id
				AND i.contractor_establishment_id IN %s AND %s <= %s AND (i.end_date IS NULL OR %s >= %s)
				AND EXISTS (SELECT 1 FROM employments c WHERE c.worker_id = d.worker_id AND c.establishment_id = i.contractor_establishment_id
					AND %s <= %s AND (c.end_date IS NULL OR %s >= %s)))`, E, E,
				dayOf("i.start_date"), dayOf("d.end_at"), dayOf("i.end_date"), dayOf("d.start_at"),
				dayOf("c.start_date"), dayOf("d.end_at"), dayOf("c.end_date"), dayOf("d.start_at"))
			q["anomalies"] = fmt.Sprintf(`SELECT a.id FROM anomalies a WHERE a.establishment_id IN %s
				AND NOT EXISTS (SELECT 1 FROM anomaly_dose_records l JOIN dose_records d ON d.id = l.dose_record_id
					WHERE l.anomaly_id = a.id AND NOT (%s))
				AND (a.period_start IS NULL OR %s OR (a.layer <> 'HISTORY' AND %s))
				AND (a.layer <> 'REGULATORY' OR NOT EXISTS (SELECT 1 FROM dose_records i WHERE i.worker_id = a.worker_id AND i.current
					AND (i.monitoring_kind = 'INTERNAL' OR i.quantity = 'E50') AND i.period_end BETWEEN a.period_start AND a.period_end))`, E, external,
				covers("a.worker_id", "a.period_start", "a.period_end", 2), covers("a.worker_id", "a.period_start", "a.period_end", 0))
		case policy.RoleEmployer:
			q["exposureSummaries"] = fmt.Sprintf(`SELECT s.id FROM exposure_summaries s WHERE s.status = 'EXCEEDED' AND s.worker_id IN (
				SELECT worker_id FROM employments WHERE establishment_id IN %s AND %s <= %s AND (end_date IS NULL OR %s >= %s))`,
				E, dayOf("start_date"), today, dayOf("end_date"), today)
			q["anomalies"] = fmt.Sprintf("SELECT id FROM anomalies WHERE establishment_id IN %s AND kind = 'LIMIT_EXCEEDED'", E)
		case policy.RoleControlAgent:
			q["doseRecords"] = "SELECT d.id FROM dose_records d WHERE " + external + " AND d.establishment_id IN " + E
		}
		if s.role != policy.RoleControlAgent {
			// The establishment transmits its operational dosimetry, by its
			// correspondent or its adviser (arrêté 2023 art. 17; DOMAIN
			// §1.3): both read the batches sent for it, and their own.
			q["importBatches"] = fmt.Sprintf(`SELECT b.id FROM import_batches b WHERE b.submitter_id = %d OR b.establishment_id IN %s
				OR (EXISTS (SELECT 1 FROM operational_doses d WHERE d.import_batch_id = b.id)
					AND NOT EXISTS (SELECT 1 FROM operational_doses d WHERE d.import_batch_id = b.id AND d.establishment_id NOT IN %s))`,
				s.account, E, E)
		}
	case policy.RoleLaboratory:
		q = map[string]string{
			"doseRecords":   fmt.Sprintf("SELECT id FROM dose_records WHERE source = 'LABORATORY' AND laboratory_id = %d", s.lab),
			"importBatches": fmt.Sprintf("SELECT id FROM import_batches WHERE laboratory_id = %d OR submitter_id = %d", s.lab, s.account),
		}
	case policy.RoleAnalyst:
		q = map[string]string{}
		for _, l := range oracleLists {
			if l != "doseConflicts" && l != "importBatches" {
				q[l] = "SELECT id FROM " + oracleTables[l][0]
			}
		}
	case policy.RoleAdmin:
		q = map[string]string{"workers": "SELECT id FROM workers",
			"importBatches": fmt.Sprintf("SELECT id FROM import_batches WHERE submitter_id = %d", s.account)}
	}
	for l, sqlText := range q {
		ex.rows[l] = or.ids(t, sqlText)
	}
	return ex
}

// countsToward is the SQL condition of a result counting toward a limit
// (docs/formats.md, « Compte pour la limite »).
func countsToward(code string) string {
	switch code {
	case "EFFECTIVE", "PREGNANCY":
		return "d.quantity IN ('HP10', 'E50', 'E')"
	case "EXTREMITY":
		return "d.monitoring_kind = 'EXTREMITY'"
	case "SKIN":
		return "(d.monitoring_kind = 'SKIN' OR (d.monitoring_kind = 'PASSIVE_WHOLE_BODY' AND d.quantity = 'HP007'))"
	case "LENS", "LENS_TRANSITION":
		return "d.monitoring_kind = 'LENS'"
	}
	return "FALSE"
}

// sum returns the sum of the results in doses of worker counting toward code
// over the window: for a rolling limit, the results whose period ends in it
// (a result counts in the month its period ends); for the unborn child's,
// those whose period overlaps it. Dose of record only: current, not pending,
// not ABSENT.
func (or *oracle) sum(t *testing.T, doses idSet, worker int, code string, from, to time.Time) int64 {
	t.Helper()
	window := fmt.Sprintf("%s BETWEEN '%s' AND '%s'", dayOf("d.period_end"), iso(from), iso(to))
	if code == "PREGNANCY" {
		window = fmt.Sprintf("%s <= '%s' AND %s >= '%s'", dayOf("d.period_start"), iso(to), dayOf("d.period_end"), iso(from))
	}
	var n int64
	err := or.db.QueryRow(fmt.Sprintf(`SELECT COALESCE(SUM(d.value_usv), 0) FROM dose_records d WHERE d.id IN %s AND d.worker_id = $1
		AND d.current AND NOT d.pending AND d.status <> 'ABSENT' AND %s AND %s`, in(doses), countsToward(code), window), worker).Scan(&n)
	if err != nil {
		t.Fatalf("oracle sum: %v", err)
	}
	return n
}

// bound returns the most any sum toward code over [from, to] may show from
// doses: every version of every result of worker counting toward code whose
// period overlaps the window, summed (a finding keeps the sum of its day;
// later corrections do not make it a leak, a result out of doses does). An
// empty code bounds a single result: the largest one.
func (or *oracle) bound(t *testing.T, doses idSet, worker int, code string, from, to time.Time) int64 {
	t.Helper()
	agg, cond := "SUM", countsToward(code)
	if code == "" {
		agg, cond = "MAX", "TRUE"
	}
	var n int64
	err := or.db.QueryRow(fmt.Sprintf(`SELECT COALESCE(%s(d.value_usv), 0) FROM dose_records d WHERE d.id IN %s AND d.worker_id = $1
		AND %s AND %s <= '%s' AND %s >= '%s'`, agg, in(doses), cond, dayOf("d.period_start"), iso(to), dayOf("d.period_end"), iso(from)), worker).Scan(&n)
	if err != nil {
		t.Fatalf("oracle bound: %v", err)
	}
	return n
}

// state is where sum stands against limit (R.4451-6: over the limit;
// R.4451-7: the unborn child's dose must stay below 1 mSv, so 1 mSv is over,
// RC07; approaching from 80 %).
func state(code string, sum, limit int64) string {
	switch {
	case sum > limit, code == "PREGNANCY" && sum >= limit:
		return "EXCEEDED"
	case float64(sum) >= 0.8*float64(limit):
		return "APPROACHING"
	}
	return "OK"
}

// monthly is one line of a dose history.
type monthly struct {
	Month, Kind, Quantity string
	USv                   int64
	Records               int
}

// history returns worker's results in doses month by month (the month their
// period ends), by monitoring kind and quantity, from..to: current versions,
// ABSENT results left out.
func (or *oracle) history(t *testing.T, doses idSet, worker int, from, to time.Time) []monthly {
	t.Helper()
	rows, err := or.db.Query(fmt.Sprintf(`SELECT to_char(d.period_end AT TIME ZONE 'UTC', 'YYYY-MM'), d.monitoring_kind, d.quantity,
		SUM(d.value_usv), COUNT(*) FROM dose_records d WHERE d.id IN %s AND d.worker_id = $1 AND d.current AND d.status <> 'ABSENT'
		AND %s BETWEEN $2 AND $3 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, in(doses), dayOf("d.period_end")), worker, iso(from), iso(to))
	if err != nil {
		t.Fatalf("oracle history: %v", err)
	}
	defer rows.Close()
	var out []monthly
	for rows.Next() {
		var m monthly
		if err := rows.Scan(&m.Month, &m.Kind, &m.Quantity, &m.USv, &m.Records); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// related returns, for each parent id, the ids of the child rows related to
// it by q (two columns: parent, child), read as the system.
func (or *oracle) related(t *testing.T, q string) map[int]idSet {
	t.Helper()
	rows, err := or.db.Query(q)
	if err != nil {
		t.Fatalf("oracle related: %v\n%s", err, q)
	}
	defer rows.Close()
	out := map[int]idSet{}
	for rows.Next() {
		var p int
		var c sql.NullInt64
		if err := rows.Scan(&p, &c); err != nil {
			t.Fatal(err)
		}
		if out[p] == nil {
			out[p] = idSet{}
		}
		if c.Valid {
			out[p][int(c.Int64)] = true
		}
	}
	return out
}

// values returns an integer column by id, read as the system.
func (or *oracle) values(t *testing.T, q string) map[int]float64 {
	t.Helper()
	rows, err := or.db.Query(q)
	if err != nil {
		t.Fatalf("oracle values: %v\n%s", err, q)
	}
	defer rows.Close()
	out := map[int]float64{}
	for rows.Next() {
		var id int
		var v float64
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		out[id] = v
	}
	return out
}

// cellWorkers returns the number of distinct workers behind a statistics
// cell (sector, job, monitoring kind) per quarter of [from, to]: the fewest.
func (or *oracle) cellWorkers(t *testing.T, sector, job, kind string, from, to time.Time) int {
	t.Helper()
	rows, err := or.db.Query(fmt.Sprintf(`SELECT date_trunc('quarter', d.period_end AT TIME ZONE 'UTC'), COUNT(DISTINCT d.worker_id)
		FROM dose_records d WHERE d.sector_code = $1 AND d.job_code = $2 AND d.monitoring_kind = $3 AND d.status <> 'ABSENT'
		AND %s BETWEEN $4 AND $5 GROUP BY 1`, dayOf("d.period_end")), sector, job, kind, iso(from), iso(to))
	if err != nil {
		t.Fatalf("oracle cell: %v", err)
	}
	defer rows.Close()
	fewest := -1
	for rows.Next() {
		var q time.Time
		var n int
		if err := rows.Scan(&q, &n); err != nil {
			t.Fatal(err)
		}
		if fewest < 0 || n < fewest {
			fewest = n
		}
	}
	return fewest
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// listed is what root list l shows of the rows s may see: the anomalies query
// and its subscriptions leave out the notices of dose constraints
// (doseConstraintNotices lists them), which node lookups and edges reach.
func (or *oracle) listed(s *subject, l string) idSet {
	rows := or.ex[s].rows[l]
	if l != "anomalies" {
		return rows
	}
	out := idSet{}
	for id := range rows {
		if !or.notices[id] {
			out[id] = true
		}
	}
	return out
}
