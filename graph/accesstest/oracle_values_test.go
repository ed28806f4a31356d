package accesstest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/policy"
)

// standing is a LimitStatus or LimitAlert as the API shows it.
type standing struct {
	Worker      *struct{ ID any } `json:"worker"`
	LimitCode   string            `json:"limitCode"`
	State       string            `json:"state"`
	LimitMsv    float64           `json:"limitMsv"`
	ValueMsv    *float64          `json:"valueMsv"`
	WindowStart string            `json:"windowStart"`
	WindowEnd   string            `json:"windowEnd"`
}

func usv(msv float64) int64 { return int64(math.Round(msv * 1000)) }

// checkStanding compares one standing of worker w shown to s with the oracle:
// its value is the sum of the results s may read over its window (RC14), its
// state follows from that value (RC12: nothing of another period in states
// either); without a value (the employer), only an exceedance is shown
// (RC11), and it is a real one.
func (or *oracle) checkStanding(t *testing.T, s *subject, label string, w int, st standing) {
	t.Helper()
	from, err1 := time.Parse(time.DateOnly, st.WindowStart)
	to, err2 := time.Parse(time.DateOnly, st.WindowEnd)
	if err1 != nil || err2 != nil {
		or.disagree(t, s, "%s: window %q–%q", label, st.WindowStart, st.WindowEnd)
		return
	}
	limit := usv(st.LimitMsv)
	mine := or.ex[s].rows["doseRecords"]
	full := or.sum(t, or.all["doseRecords"], w, st.LimitCode, from, to)
	or.tally.assertions++
	if st.LimitCode != "PREGNANCY" && st.LimitCode != "LENS_TRANSITION" &&
		(from.Day() != 1 || !to.Equal(endOfMonth(to)) || !from.AddDate(0, 12, -1).Equal(to) || to.After(endOfMonth(or.o.today))) {
		or.disagree(t, s, "%s: window %s–%s is not 12 whole months ending by this month", label, st.WindowStart, st.WindowEnd)
	}
	if st.ValueMsv == nil {
		or.tally.assertions += 2
		if st.State != "EXCEEDED" {
			or.leak(t, s, "%s: state %s shown without a value: a band the employer may not learn (RC11)", label, st.State)
		}
		if state(st.LimitCode, full, limit) != "EXCEEDED" {
			or.disagree(t, s, "%s: shown EXCEEDED, but the worker's results sum to %d µSv over %s–%s (limit %d)", label, full, st.WindowStart, st.WindowEnd, limit)
		}
		return
	}
	if !reads(s, "LimitStatus.valueMsv") {
		or.leak(t, s, "%s: valueMsv %v answered; the oracle's field table refuses it", label, *st.ValueMsv)
	}
	v := usv(*st.ValueMsv)
	want := or.sum(t, mine, w, st.LimitCode, from, to)
	or.tally.assertions += 2
	if v != want {
		if v > want {
			or.leak(t, s, "%s: %d µSv over %s–%s, the results it may read sum to %d µSv (all results: %d): the sum includes results it may not read (RC12, RC14)",
				label, v, st.WindowStart, st.WindowEnd, want, full)
		} else {
			or.disagree(t, s, "%s: %d µSv over %s–%s, the results it may read sum to %d µSv", label, v, st.WindowStart, st.WindowEnd, want)
		}
	}
	if ws := state(st.LimitCode, want, limit); st.State != ws {
		if st.State == state(st.LimitCode, full, limit) {
			or.leak(t, s, "%s: state %s, from results it may not read; its own results give %s (RC12)", label, st.State, ws)
		} else {
			or.disagree(t, s, "%s: state %s for %d µSv of a %d µSv limit, want %s", label, st.State, want, limit, ws)
		}
	}
}

// currentWindow is the rolling window that ends with this month.
func (or *oracle) currentWindow() (time.Time, time.Time) {
	return or.o.mo(11), endOfMonth(or.o.mo(0))
}

// testExposure reads Worker.exposure and Worker.doseHistory of every worker
// each subject sees, and compares them with the oracle's sums.
func (or *oracle) testExposure(t *testing.T) {
	or.exposure = map[*subject]map[string]bool{}
	for _, s := range or.o.subjects {
		ex := or.ex[s]
		value := ""
		if reads(s, "LimitStatus.valueMsv") {
			value = "valueMsv"
		}
		res := or.do(s, `{ workers(first: 100) { edges { node { id exposure { limitCode state limitMsv windowStart windowEnd `+value+` } } } } }`, nil)
		or.tally.assertions++
		seen := map[string]bool{}
		or.exposure[s] = seen
		if refused(res) {
			if len(ex.rows["workers"]) > 0 && s.role != policy.RoleAdmin && s.role != policy.RoleLaboratory {
				or.disagree(t, s, "Worker.exposure refused (%s) on %d workers", res.Code(), len(ex.rows["workers"]))
			}
		} else {
			var out struct {
				Workers struct {
					Edges []struct {
						Node struct {
							ID       any
							Exposure []standing
						}
					}
				}
			}
			_ = json.Unmarshal(res.Data, &out)
			effective := map[int]bool{}
			for _, e := range out.Workers.Edges {
				w := parseID(e.Node.ID)
				for _, st := range e.Node.Exposure {
					or.checkStanding(t, s, fmt.Sprintf("worker(%d).exposure[%s]", w, st.LimitCode), w, st)
					seen[fmt.Sprintf("%d|%s|%s|%s|%s", w, st.LimitCode, st.State, st.WindowStart, st.WindowEnd)] = true
					if st.LimitCode == "EFFECTIVE" && st.State == "EXCEEDED" {
						effective[w] = true
					}
				}
			}
			if s.role == policy.RoleEmployer {
				or.checkEmployerCompleteness(t, s, effective)
			}
		}
		or.checkHistory(t, s)
	}
}

// checkEmployerCompleteness: the employer is told that a worker employed
// today exceeded the effective-dose limit (R.4451-79 I; arrêté 2023, devoir
// d'alerte), at least when the current 12 months are over it.
func (or *oracle) checkEmployerCompleteness(t *testing.T, s *subject, shown map[int]bool) {
	t.Helper()
	current := or.ids(t, fmt.Sprintf(`SELECT worker_id FROM employments WHERE establishment_id IN %s AND %s <= %s AND (end_date IS NULL OR %s >= %s)`,
		in(or.ex[s].ests), dayOf("start_date"), today, dayOf("end_date"), today))
	from, to := or.currentWindow()
	for w := range current {
		or.tally.assertions++
		if sum := or.sum(t, or.all["doseRecords"], w, "EFFECTIVE", from, to); sum > 20000 && !shown[w] {
			or.disagree(t, s, "worker %d exceeds the effective-dose limit now (%d µSv), the employer is not told", w, sum)
		}
	}
}

// checkHistory compares Worker.doseHistory with the oracle's monthly sums.
func (or *oracle) checkHistory(t *testing.T, s *subject) {
	t.Helper()
	value := ""
	if reads(s, "MonthlyDose.valueMsv") {
		value = "valueMsv"
	}
	from, to := or.o.mo(30), or.o.today
	res := or.do(s, `query($from: Date!, $to: Date!) { workers(first: 100) { edges { node { id doseHistory(from: $from, to: $to) {
	  month monitoringKind quantity records `+value+` } } } } }`, map[string]any{"from": iso(from), "to": iso(to)})
	or.tally.assertions++
	if refused(res) {
		return
	}
	var out struct {
		Workers struct {
			Edges []struct {
				Node struct {
					ID          any
					DoseHistory []struct {
						Month, MonitoringKind, Quantity string
						Records                         int
						ValueMsv                        *float64
					}
				}
			}
		}
	}
	_ = json.Unmarshal(res.Data, &out)
	for _, e := range out.Workers.Edges {
		w := parseID(e.Node.ID)
		want := map[string]monthly{}
		for _, m := range or.history(t, or.ex[s].rows["doseRecords"], w, from, to) {
			want[m.Month+"|"+m.Kind+"|"+m.Quantity] = m
		}
		full := map[string]monthly{}
		for _, m := range or.history(t, or.all["doseRecords"], w, from, to) {
			full[m.Month+"|"+m.Kind+"|"+m.Quantity] = m
		}
		got := map[string]bool{}
		for _, m := range e.Node.DoseHistory {
			k := m.Month + "|" + m.MonitoringKind + "|" + m.Quantity
			got[k] = true
			wm, ok := want[k]
			or.tally.assertions++
			switch {
			case !ok:
				or.leak(t, s, "worker(%d).doseHistory has %s (%d results), which it may not read", w, k, m.Records)
			case m.Records != wm.Records:
				if m.Records > wm.Records {
					or.leak(t, s, "worker(%d).doseHistory %s counts %d results, it may read %d", w, k, m.Records, wm.Records)
				} else {
					or.disagree(t, s, "worker(%d).doseHistory %s counts %d results, it may read %d", w, k, m.Records, wm.Records)
				}
			case m.ValueMsv != nil && usv(*m.ValueMsv) != wm.USv:
				if usv(*m.ValueMsv) > wm.USv {
					or.leak(t, s, "worker(%d).doseHistory %s = %d µSv, its results sum to %d (all: %d)", w, k, usv(*m.ValueMsv), wm.USv, full[k].USv)
				} else {
					or.disagree(t, s, "worker(%d).doseHistory %s = %d µSv, its results sum to %d", w, k, usv(*m.ValueMsv), wm.USv)
				}
			}
		}
		for k := range want {
			if !got[k] {
				or.disagree(t, s, "worker(%d).doseHistory misses %s", w, k)
			}
		}
	}
}

// testLimitAlerts compares limitAlerts with the oracle and with
// Worker.exposure: the same standings, values from readable results, and
// for the employer exceedances only, in an order that ranks no hidden value.
func (or *oracle) testLimitAlerts(t *testing.T) {
	for _, s := range or.o.subjects {
		value := ""
		if reads(s, "LimitAlert.valueMsv") {
			value = "valueMsv"
		}
		for _, states := range []string{"[APPROACHING, EXCEEDED]", "[APPROACHING]", "[OK]"} {
			res := or.do(s, `{ limitAlerts(states: `+states+`, first: 1000) { totalCount edges { node { worker { id } limitCode state limitMsv windowStart windowEnd `+value+` } } } }`, nil)
			or.tally.assertions++
			if refused(res) {
				continue
			}
			var out struct {
				LimitAlerts struct {
					TotalCount int
					Edges      []struct{ Node standing }
				}
			}
			_ = json.Unmarshal(res.Data, &out)
			type key struct {
				w    int
				code string
			}
			var order []key
			for _, e := range out.LimitAlerts.Edges {
				st := e.Node
				w := parseID(st.Worker.ID)
				label := fmt.Sprintf("limitAlerts(%s) worker(%d)[%s]", states, w, st.LimitCode)
				or.tally.assertions++
				if !or.ex[s].rows["workers"][w] {
					or.leak(t, s, "%s: a worker the oracle hides", label)
					continue
				}
				if !strings.Contains(states, st.State) {
					or.disagree(t, s, "%s: state %s not asked for", label, st.State)
				}
				or.checkStanding(t, s, label, w, st)
				if k := fmt.Sprintf("%d|%s|%s|%s|%s", w, st.LimitCode, st.State, st.WindowStart, st.WindowEnd); !or.exposure[s][k] && len(or.exposure[s]) > 0 {
					or.disagree(t, s, "%s: %s–%s %s, unlike Worker.exposure", label, st.WindowStart, st.WindowEnd, st.State)
				}
				order = append(order, key{w, st.LimitCode})
			}
			if states == "[APPROACHING, EXCEEDED]" && len(or.exposure[s]) > 0 {
				n := 0
				for k := range or.exposure[s] {
					if strings.Contains(k, "|APPROACHING|") || strings.Contains(k, "|EXCEEDED|") {
						n++
					}
				}
				or.tally.assertions++
				if n != out.LimitAlerts.TotalCount {
					or.disagree(t, s, "limitAlerts totalCount = %d, Worker.exposure shows %d standings approaching or over", out.LimitAlerts.TotalCount, n)
				}
			}
			// Without values, the order must not follow them.
			if value == "" && len(order) > 1 {
				or.tally.assertions++
				sorted := append([]key(nil), order...)
				sort.SliceStable(sorted, func(i, j int) bool {
					if sorted[i].w != sorted[j].w {
						return sorted[i].w < sorted[j].w
					}
					return sorted[i].code < sorted[j].code
				})
				if fmt.Sprint(sorted) != fmt.Sprint(order) {
					or.leak(t, s, "limitAlerts(%s) lists %v: ordered by the share of the limit, a value it may not read (RC11)", states, order)
				}
			}
		}
	}
}

// testFindings checks the sums findings carry in their reference (and so in
// their explanation): none may exceed what the reader's own results over
// that window could make.
func (or *oracle) testFindings(t *testing.T) {
	for _, s := range or.o.subjects {
		res := or.do(s, `{ anomalies(first: 1000) { edges { node { id workerID kind periodStart periodEnd reference } } } }`, nil)
		or.tally.assertions++
		if refused(res) {
			continue
		}
		var out struct {
			Anomalies struct {
				Edges []struct {
					Node struct {
						ID, WorkerID           any
						Kind                   string
						PeriodStart, PeriodEnd *string
						Reference              map[string]any
					}
				}
			}
		}
		_ = json.Unmarshal(res.Data, &out)
		mine := or.ex[s].rows["doseRecords"]
		for _, e := range out.Anomalies.Edges {
			a := e.Node
			w := parseID(a.WorkerID)
			var pf, pt string
			if a.PeriodStart != nil && a.PeriodEnd != nil {
				pf, pt = *a.PeriodStart, *a.PeriodEnd
			}
			for _, sum := range sumsIn(a.Reference, pf, pt) {
				from, err1 := time.Parse(time.DateOnly, sum.from)
				to, err2 := time.Parse(time.DateOnly, sum.to)
				if err1 != nil || err2 != nil {
					continue
				}
				or.tally.assertions++
				b := or.bound(t, mine, w, sum.code, from, to)
				if sum.usv <= b {
					continue
				}
				if all := or.bound(t, or.all["doseRecords"], w, sum.code, from, to); b == all {
					// The reader reads every result there: not a leak, but the
					// finding's sum does not belong to its window.
					or.disagree(t, s, "finding %v (%s) states %d µSv over %s–%s (%s), more than all the results there (%d µSv): its window and its sum disagree [backend/anomaly]",
						a.ID, a.Kind, sum.usv, sum.from, sum.to, sum.key, all)
					continue
				}
				or.leak(t, s, "finding %v (%s) states %d µSv over %s–%s (%s); the results it may read there come to at most %d µSv [anomaly explanations: owned by backend/anomaly]",
					a.ID, a.Kind, sum.usv, sum.from, sum.to, sum.key, b)
			}
		}
	}
}

type refSum struct {
	key      string
	code     string // the limit the sum is held to; "" for one result's value
	usv      int64
	from, to string
}

// sumsIn returns the sums a finding's reference states, each with its window
// (its own windowFirst/windowLast, else the finding's period) and its limit
// (the reference's limit or threshold, else the effective dose).
func sumsIn(ref map[string]any, from, to string) []refSum {
	var out []refSum
	code := "EFFECTIVE"
	for _, k := range []string{"limit", "threshold"} {
		if c, ok := ref[k].(string); ok {
			code = c
		}
	}
	var walk func(path string, m map[string]any, from, to string)
	walk = func(path string, m map[string]any, from, to string) {
		if f, ok := m["windowFirst"].(string); ok {
			from = f
		}
		if l, ok := m["windowLast"].(string); ok {
			to = l
		}
		for k, v := range m {
			switch x := v.(type) {
			case float64:
				switch k {
				case "sumUsv":
					out = append(out, refSum{path + k, code, int64(x), from, to})
				case "value_usv", "valueUsv":
					out = append(out, refSum{path + k, "", int64(x), from, to})
				}
			case map[string]any:
				walk(path+k+".", x, from, to)
			case []any:
				for i, e := range x {
					if em, ok := e.(map[string]any); ok {
						walk(fmt.Sprintf("%s%s[%d].", path, k, i), em, from, to)
					}
				}
			}
		}
	}
	if ref != nil {
		walk("", ref, from, to)
	}
	return out
}

// statisticsReaders may read the national statistics per exposure context
// (DOMAIN §1.2: the manager's statistics; §8: the SISERI 2 module an adviser
// compares their workers with). See policy/README.md, Decisions.
var statisticsReaders = []policy.Role{policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleControlAgent, policy.RoleAnalyst}

// minCellWorkers is the fewest workers behind a statistics cell (the French
// statistical-secrecy rule: at least three contributors).
const minCellWorkers = 3

// testStatistics reads contextStatistics over the last complete quarter.
func (or *oracle) testStatistics(t *testing.T) {
	q0 := time.Date(or.o.today.Year(), ((or.o.today.Month()-1)/3)*3+1, 1, 0, 0, 0, 0, time.UTC)
	from, to := q0.AddDate(0, -3, 0), q0.AddDate(0, 0, -1)
	for _, s := range or.o.subjects {
		res := or.do(s, `query($from: Date, $to: Date) { contextStatistics(from: $from, to: $to) { sectorCode jobCode monitoringKind periodMonths doses meanMsv } }`,
			map[string]any{"from": iso(from), "to": iso(to)})
		or.tally.assertions++
		allowed := false
		for _, r := range statisticsReaders {
			allowed = allowed || s.role == r
		}
		if refused(res) {
			if allowed {
				or.disagree(t, s, "contextStatistics refused (%s)", res.Code())
			}
			continue
		}
		var out struct {
			ContextStatistics []struct {
				SectorCode, JobCode *string
				MonitoringKind      string
				PeriodMonths, Doses int
				MeanMsv             float64
			}
		}
		_ = json.Unmarshal(res.Data, &out)
		if !allowed && len(out.ContextStatistics) > 0 {
			or.leak(t, s, "contextStatistics answered %d cells; the oracle refuses statistics to this role", len(out.ContextStatistics))
		}
		for _, c := range out.ContextStatistics {
			if c.SectorCode == nil || c.JobCode == nil {
				continue
			}
			or.tally.assertions++
			if n := or.cellWorkers(t, *c.SectorCode, *c.JobCode, c.MonitoringKind, from, to); n < minCellWorkers {
				or.leak(t, s, "contextStatistics cell %s/%s/%s (%d doses, mean %.3f mSv) comes from %d worker(s) in a quarter: one person's doses [statistics anonymity: owned elsewhere]",
					*c.SectorCode, *c.JobCode, c.MonitoringKind, c.Doses, c.MeanMsv, n)
			}
		}
	}
}

// announceExposure publishes that workers' results changed, as a write does.
func (or *oracle) announce(t *testing.T, events ...alerts.Event) {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	if err := or.o.srv.App.Broker().Announce(ctx, or.o.srv.DB.Client, events...); err != nil {
		t.Fatal(err)
	}
}
