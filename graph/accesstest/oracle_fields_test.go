package accesstest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/siseri/siseri/policy"
)

// filterSpec is a where argument and the SQL condition it stands for.
type filterSpec struct{ list, where, sql string }

func (or *oracle) filters() []filterSpec {
	o := or.o
	return []filterSpec{
		{"doseRecords", "{valueUsvGT: 1000}", "SELECT id FROM dose_records WHERE value_usv > 1000"},
		{"doseRecords", "{valueUsvGTE: 350, valueUsvLTE: 350}", "SELECT id FROM dose_records WHERE value_usv = 350"},
		{"doseRecords", "{status: BELOW_THRESHOLD}", "SELECT id FROM dose_records WHERE status = 'BELOW_THRESHOLD'"},
		{"doseRecords", "{status: ABSENT}", "SELECT id FROM dose_records WHERE status = 'ABSENT'"},
		{"doseRecords", "{source: PHYSICIAN}", "SELECT id FROM dose_records WHERE source = 'PHYSICIAN'"},
		{"doseRecords", "{current: false}", "SELECT id FROM dose_records WHERE NOT current"},
		{"doseRecords", "{pending: true}", "SELECT id FROM dose_records WHERE pending"},
		{"doseRecords", "{quantity: E50}", "SELECT id FROM dose_records WHERE quantity = 'E50'"},
		{"doseRecords", "{monitoringKind: EXTREMITY}", "SELECT id FROM dose_records WHERE monitoring_kind = 'EXTREMITY'"},
		{"doseRecords", fmt.Sprintf("{workerID: %d}", o.wm), fmt.Sprintf("SELECT id FROM dose_records WHERE worker_id = %d", o.wm)},
		{"doseRecords", fmt.Sprintf("{establishmentID: %d}", o.e1), fmt.Sprintf("SELECT id FROM dose_records WHERE establishment_id = %d", o.e1)},
		{"doseRecords", "{hasAnomaliesWith: [{kind: \"LIMIT_EXCEEDED\"}]}", "SELECT dose_record_id FROM anomaly_dose_records l JOIN anomalies a ON a.id = l.anomaly_id WHERE a.kind = 'LIMIT_EXCEEDED'"},
		{"operationalDoses", "{valueUsvGT: 20}", "SELECT id FROM operational_doses WHERE value_usv > 20"},
		{"operationalDoses", fmt.Sprintf("{establishmentID: %d}", o.e3), fmt.Sprintf("SELECT id FROM operational_doses WHERE establishment_id = %d", o.e3)},
		{"anomalies", `{kind: "LIMIT_EXCEEDED"}`, "SELECT id FROM anomalies WHERE kind = 'LIMIT_EXCEEDED'"},
		{"anomalies", `{kind: "LIMIT_APPROACHING"}`, "SELECT id FROM anomalies WHERE kind = 'LIMIT_APPROACHING'"},
		{"anomalies", `{kind: "CLASSIFICATION_MISMATCH"}`, "SELECT id FROM anomalies WHERE kind = 'CLASSIFICATION_MISMATCH'"},
		{"anomalies", "{scoreGT: 1}", "SELECT id FROM anomalies WHERE score > 1"},
		{"anomalies", "{severity: CRITICAL}", "SELECT id FROM anomalies WHERE severity = 'CRITICAL'"},
		{"exposureSummaries", "{status: APPROACHING}", "SELECT id FROM exposure_summaries WHERE status = 'APPROACHING'"},
		{"exposureSummaries", "{status: OK}", "SELECT id FROM exposure_summaries WHERE status = 'OK'"},
		{"exposureSummaries", "{sumUsvGT: 20000}", "SELECT id FROM exposure_summaries WHERE sum_usv > 20000"},
		{"exposureSummaries", "{limitCode: PREGNANCY}", "SELECT id FROM exposure_summaries WHERE limit_code = 'PREGNANCY'"},
		{"doseConflicts", "{status: OPEN}", "SELECT id FROM dose_conflicts WHERE status = 'OPEN'"},
		{"employments", "{pregnancyDeclaredOnNotNil: true}", "SELECT id FROM employments WHERE pregnancy_declared_on IS NOT NULL"},
	}
}

// workerFilters are edge filters on workers: the worker matches when one of
// its related rows the caller may see matches (no row it may not see may
// decide).
func (or *oracle) workerFilters() []struct{ where, child, sql string } {
	return []struct{ where, child, sql string }{
		{"{hasDoseRecordsWith: [{valueUsvGT: 2000}]}", "doseRecords", "SELECT worker_id, id FROM dose_records WHERE value_usv > 2000"},
		{"{hasDoseRecordsWith: [{quantity: E50}]}", "doseRecords", "SELECT worker_id, id FROM dose_records WHERE quantity = 'E50'"},
		{"{hasExposureSummariesWith: [{status: APPROACHING}]}", "exposureSummaries", "SELECT worker_id, id FROM exposure_summaries WHERE status = 'APPROACHING'"},
		{"{hasExposureSummariesWith: [{status: OK, limitCode: EFFECTIVE}]}", "exposureSummaries", "SELECT worker_id, id FROM exposure_summaries WHERE status = 'OK' AND limit_code = 'EFFECTIVE'"},
		{"{hasAnomaliesWith: [{kind: \"LIMIT_APPROACHING\"}]}", "anomalies", "SELECT worker_id, id FROM anomalies WHERE kind = 'LIMIT_APPROACHING'"},
		{"{hasOperationalDosesWith: [{valueUsvGT: 0}]}", "operationalDoses", "SELECT worker_id, id FROM operational_doses WHERE value_usv > 0"},
	}
}

// testFilters runs where arguments on every list: refused, or the oracle's
// rows that match.
func (or *oracle) testFilters(t *testing.T) {
	for _, f := range or.filters() {
		if f.sql == "" {
			continue
		}
		match := or.ids(t, f.sql)
		for _, s := range or.o.subjects {
			res := or.do(s, fmt.Sprintf(`{ %s(first: 1000, where: %s) { totalCount edges { node { id } } } }`, f.list, f.where), nil)
			or.tally.assertions++
			if refused(res) {
				continue
			}
			want := idSet{}
			for id := range or.listed(s, f.list) {
				if match[id] {
					want[id] = true
				}
			}
			c := decodeConn(res.Data, f.list)
			or.checkSet(t, s, fmt.Sprintf("%s(where: %s)", f.list, f.where), c.ids(), c.TotalCount, want)
		}
	}
	for _, f := range or.workerFilters() {
		rel := or.related(t, f.sql)
		for _, s := range or.o.subjects {
			res := or.do(s, fmt.Sprintf(`{ workers(first: 100, where: %s) { totalCount edges { node { id } } } }`, f.where), nil)
			or.tally.assertions++
			if refused(res) {
				continue
			}
			ex := or.ex[s]
			want := idSet{}
			for w := range ex.rows["workers"] {
				for id := range rel[w] {
					if ex.rows[f.child][id] {
						want[w] = true
					}
				}
			}
			c := decodeConn(res.Data, "workers")
			or.checkSet(t, s, "workers(where: "+f.where+")", c.ids(), c.TotalCount, want)
		}
	}
}

// orderSpec is an ordering by a value field, and the SQL of that value.
type orderSpec struct{ list, field, value, sql string }

var oracleOrders = []orderSpec{
	{"doseRecords", "VALUE_USV", "DoseRecord.valueUsv", "SELECT id, value_usv FROM dose_records"},
	{"operationalDoses", "VALUE_USV", "OperationalDose.valueUsv", "SELECT id, value_usv FROM operational_doses"},
	{"anomalies", "SCORE", "Anomaly.score", "SELECT id, score FROM anomalies"},
	{"exposureSummaries", "SUM_USV", "ExposureSummary.sumUsv", "SELECT id, sum_usv FROM exposure_summaries"},
}

// testOrderings orders every list by its value fields: a caller who may not
// read the value is refused (an ordering would rank what it hides); one who
// may gets the oracle's rows in the order of their values.
func (or *oracle) testOrderings(t *testing.T) {
	for _, spec := range oracleOrders {
		vals := or.values(t, spec.sql)
		for _, s := range or.o.subjects {
			for _, dir := range []string{"ASC", "DESC"} {
				res := or.do(s, fmt.Sprintf(`{ %s(first: 1000, orderBy: [{field: %s, direction: %s}]) { totalCount edges { node { id } } } }`,
					spec.list, spec.field, dir), nil)
				or.tally.assertions++
				if refused(res) {
					if reads(s, spec.value) && len(or.listed(s, spec.list)) > 0 {
						or.disagree(t, s, "%s ordered by %s refused (%s); the oracle lets it read %s", spec.list, spec.field, res.Code(), spec.value)
					}
					continue
				}
				c := decodeConn(res.Data, spec.list)
				ids := c.ids()
				or.checkSet(t, s, fmt.Sprintf("%s(orderBy: %s %s)", spec.list, spec.field, dir), ids, c.TotalCount, or.listed(s, spec.list))
				or.tally.assertions++
				if !reads(s, spec.value) && len(ids) > 1 {
					or.leak(t, s, "%s ordered by %s answers %d rows: it ranks by %s, which the oracle hides", spec.list, spec.field, len(ids), spec.value)
					continue
				}
				for i := 1; i < len(ids); i++ {
					a, b := vals[ids[i-1]], vals[ids[i]]
					if dir == "ASC" && a > b || dir == "DESC" && a < b {
						or.disagree(t, s, "%s ordered by %s %s: row %d (%v) before row %d (%v)", spec.list, spec.field, dir, ids[i-1], a, ids[i], b)
						break
					}
				}
			}
		}
	}
}

// valueReaders is the oracle's field table: who may read each value
// (DOMAIN.md §1.3; RC01, RC11, RC12; see policy/README.md).
var valueReaders = map[string][]policy.Role{
	// A dose of record's value: the worker, the medical team, the adviser and
	// the control agent (their rows), the laboratory (its own), analysts.
	"DoseRecord.valueUsv": {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleLaboratory,
		policy.RoleControlAgent, policy.RoleAnalyst},
	// Internal dosimetry detail: never the adviser or the control agent.
	"DoseRecord.radionuclide": {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate, policy.RoleLaboratory, policy.RoleAnalyst},
	// A correction's reason is traced in the medical file (DOMAIN §1.3):
	// the worker and the medical team only; never the laboratory (RC01).
	"DoseRecord.correctionReason": {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate},
	"OperationalDose.valueUsv":    {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleAnalyst},
	// A stored standing sums every result of the worker.
	"ExposureSummary.sumUsv": {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate, policy.RoleAnalyst},
	// Findings' values: the medical team, the adviser, analysts; the employer
	// learns that a limit was exceeded, never a value (R.4451-79, RC11).
	"Anomaly.score":       {policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleAnalyst},
	"Anomaly.explanation": {policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleAnalyst},
	"Anomaly.reference":   {policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleAnalyst},
	// Sums of what the role may read (RC14).
	"LimitStatus.valueMsv": {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleControlAgent, policy.RoleAnalyst},
	"LimitAlert.valueMsv":  {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleControlAgent, policy.RoleAnalyst},
	"MonthlyDose.valueMsv": {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleControlAgent, policy.RoleAnalyst},
	// Identity: not to analysts (pseudonymised), not to laboratories
	// (they check an identity, they do not browse it).
	"Worker.nir": {policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleEmployer,
		policy.RoleControlAgent, policy.RoleAdmin},
}

// reads reports whether the oracle's field table lets s read value.
func reads(s *subject, value string) bool {
	for _, r := range valueReaders[value] {
		if r == s.role {
			return true
		}
	}
	return false
}

// fieldPaths reach each value through a list the role may use.
var fieldPaths = map[string]string{
	"DoseRecord.valueUsv":         `{ doseRecords(first: 1000) { edges { node { id v: valueUsv } } } }`,
	"DoseRecord.radionuclide":     `{ doseRecords(first: 1000) { edges { node { id v: radionuclide } } } }`,
	"DoseRecord.correctionReason": `{ doseRecords(first: 1000) { edges { node { id v: correctionReason } } } }`,
	"OperationalDose.valueUsv":    `{ operationalDoses(first: 1000) { edges { node { id v: valueUsv } } } }`,
	"ExposureSummary.sumUsv":      `{ exposureSummaries(first: 1000) { edges { node { id v: sumUsv } } } }`,
	"Anomaly.score":               `{ anomalies(first: 1000) { edges { node { id v: score } } } }`,
	"Anomaly.explanation":         `{ anomalies(first: 1000) { edges { node { id v: explanation } } } }`,
	"Anomaly.reference":           `{ anomalies(first: 1000) { edges { node { id v: reference } } } }`,
	"LimitStatus.valueMsv":        `{ workers(first: 100) { edges { node { id exposure { v: valueMsv } } } } }`,
	"MonthlyDose.valueMsv":        `{ workers(first: 100) { edges { node { id doseHistory { v: valueMsv } } } } }`,
	"LimitAlert.valueMsv":         `{ limitAlerts(states: [APPROACHING, EXCEEDED], first: 100) { edges { node { v: valueMsv } } } }`,
	"Worker.nir":                  `{ workers(first: 100) { edges { node { id v: nir } } } }`,
}

// valueListOf is the list whose rows a field path reads.
var valueListOf = map[string]string{
	"DoseRecord.valueUsv": "doseRecords", "DoseRecord.radionuclide": "doseRecords", "DoseRecord.correctionReason": "doseRecords",
	"OperationalDose.valueUsv": "operationalDoses", "ExposureSummary.sumUsv": "exposureSummaries", "Anomaly.score": "anomalies",
	"Anomaly.explanation": "anomalies", "Anomaly.reference": "anomalies", "LimitStatus.valueMsv": "workers",
	"MonthlyDose.valueMsv": "workers", "LimitAlert.valueMsv": "workers", "Worker.nir": "workers",
}

// testFields selects each value field as every subject: a subject the
// oracle's field table refuses gets no value (refused, or null); one it
// allows is not refused.
func (or *oracle) testFields(t *testing.T) {
	for _, value := range sortedKeys(fieldPaths) {
		for _, s := range or.o.subjects {
			res := or.do(s, fieldPaths[value], nil)
			or.tally.assertions++
			rows := len(or.ex[s].rows[valueListOf[value]])
			if refused(res) {
				if reads(s, value) && rows > 0 {
					or.disagree(t, s, "%s refused (%s); the oracle lets it read it on %d rows", value, res.Code(), rows)
				}
				continue
			}
			if n := countValues(res.Data); n > 0 && !reads(s, value) {
				or.leak(t, s, "%s: %d values answered; the oracle's field table refuses it (RC01/RC11/RC12)", value, n)
			}
		}
	}
}

// countValues counts the non-null, non-empty "v" values in a response.
func countValues(raw json.RawMessage) int {
	var v any
	_ = json.Unmarshal(raw, &v)
	n := 0
	var walk func(any)
	walk = func(x any) {
		switch y := x.(type) {
		case map[string]any:
			for k, e := range y {
				if k == "v" {
					if e != nil && e != "" {
						n++
					}
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range y {
				walk(e)
			}
		}
	}
	walk(v)
	return n
}
