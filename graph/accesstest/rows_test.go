package accesstest

import (
	"time"

	"github.com/siseri/siseri/policy"
)

// Row rules: which fixture rows each subject may see, written as plain Go over
// the fixture from DOMAIN.md §1.3 and §10 (not from policy/scope):
//
//   - a worker sees themself;
//   - a physician (and delegate) follows the workers under their SIR: those
//     currently employed in their establishment (or granted by worker), and
//     sees every row of those workers, all periods;
//   - an adviser sees the workers ever employed in their establishment, their
//     employments there, their external doses whose period overlaps an
//     employment there, operational doses taken there, the findings there
//     that involve no internal dose and fall in such a period, and rolling
//     sums only when the whole window lies in such a period (a sum across the
//     move would disclose the other employer's doses);
//   - an employer sees the same workers and employments, the limits a
//     current worker exceeded (never the others: no band), limit exceedances
//     there, dosimeters there, and its own batches;
//   - a laboratory sees its own submissions (never a physician's correction
//     of them) and dosimeters;
//   - a control agent sees the workers, employments and external doses of
//     their region's establishments;
//   - the stored rolling sums cover every result of a worker: only the
//     worker, their physician and delegates, and analysts read them; advisers
//     and control agents read sums of what they see (Worker.exposure);
//   - correction conflicts are the physician's (and delegates') to read;
//   - an outside company's worker intervening on a nuclear site: the site's
//     adviser and employer see the worker and the intervention, the site's
//     adviser the operational doses taken there; the contractor's adviser
//     sees those doses too when an intervention on that site covers them and
//     the worker is under contract with the contractor then (arrêté 2023
//     art. 18); interventions are read by both establishments' advisers,
//     employers and control agents, the worker and their physician;
//   - the anonymous notices of confirmed exceedances go to the ministry of
//     labour (DGT) and the analysts; no one else reads them;
//   - analysts see every row (pseudonymised by fields), administrators every
//     account, grant, key, worker and audit event.
//
// A partner key sees the rows of the grant it acts under.

// onDay reports whether employment e covers date d (end inclusive).
func (e employmentRow) covers(d time.Time) bool {
	return !d.Before(e.start) && (e.end == nil || !d.After(*e.end))
}

// overlaps reports whether employment e overlaps [start, end].
func (e employmentRow) overlaps(start, end time.Time) bool {
	return !e.start.After(end) && (e.end == nil || !e.end.Before(start))
}

// within reports whether [start, end] lies inside employment e.
func (e employmentRow) within(start, end time.Time) bool {
	return !start.Before(e.start) && (e.end == nil || !end.After(*e.end))
}

// establishments returns the establishments of s's grant (directly or by region).
func (w *world) establishments(s *subject) idSet {
	out := idSet{}
	if s.est != 0 {
		out[s.est] = true
	}
	if s.region != "" {
		for id, r := range w.region {
			if r == s.region {
				out[id] = true
			}
		}
	}
	return out
}

// employed returns the workers with an employment in ests matching keep.
func (w *world) employed(ests idSet, keep func(employmentRow) bool) idSet {
	out := idSet{}
	for _, e := range w.employments {
		if ests[e.est] && keep(e) {
			out[e.worker] = true
		}
	}
	return out
}

func always(employmentRow) bool { return true }

// hosted returns the workers with an intervention on one of ests (as the site).
func (w *world) hosted(ests idSet) idSet {
	out := idSet{}
	for _, i := range w.interventions {
		if ests[i.site] {
			out[i.worker] = true
		}
	}
	return out
}

// shared reports whether ests, as the outside company, receive operational
// dose d: an intervention of its worker on d's site for one of ests covers
// one of d's days, and the worker is under contract with that establishment
// on one of them (dates are days: an instant counts by its day).
func (w *world) shared(ests idSet, d opDoseRow) bool {
	first, last := d.start.UTC().Truncate(24*time.Hour), d.end.UTC().Truncate(24*time.Hour)
	for _, i := range w.interventions {
		if i.worker != d.worker || i.site != d.est || !ests[i.contractor] || i.start.After(last) || i.end != nil && i.end.Before(first) {
			continue
		}
		if w.inContract(idSet{i.contractor: true}, d.worker, first, last) {
			return true
		}
	}
	return false
}

// followed returns the workers a physician or delegate follows today.
func (w *world) followed(s *subject) idSet {
	out := w.employed(w.establishments(s), func(e employmentRow) bool { return e.covers(w.today) })
	if s.worker != 0 {
		out[s.worker] = true
	}
	return out
}

// inContract reports whether worker was employed in ests over part of [start, end].
func (w *world) inContract(ests idSet, worker int, start, end time.Time) bool {
	for _, e := range w.employments {
		if e.worker == worker && ests[e.est] && e.overlaps(start, end) {
			return true
		}
	}
	return false
}

// contractCovers reports whether one employment of worker in ests covers
// [start, end] whole.
func (w *world) contractCovers(ests idSet, worker int, start, end time.Time) bool {
	for _, e := range w.employments {
		if e.worker == worker && ests[e.est] && e.within(start, end) {
			return true
		}
	}
	return false
}

func (w *world) internalAnomaly(a anomalyRow) bool {
	for _, id := range a.doses {
		for _, d := range w.doses {
			if d.id == id && d.internal {
				return true
			}
		}
	}
	return false
}

// visible returns the ids of the rows of list (a Query connection field) s may
// see. exact is false when the set cannot be known in advance (audit events):
// then the result is an upper bound.
func (w *world) visible(s *subject, list string) (ids idSet, exact bool) {
	ids, exact = idSet{}, true
	ests := w.establishments(s)
	all := func(rows []int) {
		for _, id := range rows {
			ids[id] = true
		}
	}
	var mine idSet // workers whose every row s sees
	switch s.role {
	case policy.RoleWorker:
		mine = setOf(s.worker)
	case policy.RolePhysician, policy.RoleDelegate:
		mine = w.followed(s)
	}
	switch list {
	case "companies":
		all([]int{w.company})
	case "establishments":
		all([]int{w.estA, w.estB, w.estC})
	case "laboratories":
		all([]int{w.labL1, w.labL2})
	case "nomenclatures":
		all(w.nomenclatures)
	case "workers":
		switch s.role {
		case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
			ids = mine
		case policy.RoleRPA, policy.RoleEmployer, policy.RoleControlAgent:
			ids = w.employed(ests, always)
			for id := range w.hosted(ests) {
				ids[id] = true
			}
		case policy.RoleAnalyst, policy.RoleAdmin:
			all([]int{w.w1, w.w2, w.w3})
		}
	case "employments":
		for _, e := range w.employments {
			switch s.role {
			case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
				ids[e.id] = mine[e.worker]
			case policy.RoleRPA, policy.RoleEmployer, policy.RoleControlAgent:
				ids[e.id] = ests[e.est]
			case policy.RoleAnalyst:
				ids[e.id] = true
			}
		}
	case "doseRecords":
		for _, d := range w.doses {
			switch s.role {
			case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
				ids[d.id] = mine[d.worker]
			case policy.RoleRPA:
				ids[d.id] = !d.internal && w.inContract(ests, d.worker, d.start, d.end)
			case policy.RoleLaboratory:
				ids[d.id] = d.lab == s.lab && !d.physician
			case policy.RoleControlAgent:
				ids[d.id] = !d.internal && ests[d.est]
			case policy.RoleAnalyst:
				ids[d.id] = true
			}
		}
	case "operationalDoses":
		for _, d := range w.opDoses {
			switch s.role {
			case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
				ids[d.id] = mine[d.worker]
			case policy.RoleRPA:
				// Taken on their site, or shared as the outside company.
				ids[d.id] = ests[d.est] || w.shared(ests, d)
			case policy.RoleAnalyst:
				ids[d.id] = true
			}
		}
	case "interventions":
		for _, i := range w.interventions {
			switch s.role {
			case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
				ids[i.id] = mine[i.worker]
			case policy.RoleRPA, policy.RoleEmployer, policy.RoleControlAgent:
				ids[i.id] = ests[i.site] || ests[i.contractor]
			case policy.RoleAnalyst:
				ids[i.id] = true
			}
		}
	case "exceedanceNotices":
		if s.role == policy.RoleLabourMinistry || s.role == policy.RoleAnalyst {
			all(w.notices)
		}
	case "exposureSummaries":
		current := w.employed(ests, func(e employmentRow) bool { return e.covers(w.today) })
		for _, x := range w.summaries {
			switch s.role {
			case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
				ids[x.id] = mine[x.worker]
			case policy.RoleEmployer:
				// That a worker employed today exceeded a limit, nothing of
				// the others.
				ids[x.id] = current[x.worker] && x.status == "EXCEEDED"
			case policy.RoleAnalyst:
				ids[x.id] = true
			}
		}
	case "doseConflicts":
		for _, x := range w.conflicts {
			switch s.role {
			case policy.RolePhysician, policy.RoleDelegate:
				ids[x.id] = mine[x.worker]
			}
		}
	case "anomalies", "doseConstraintNotices":
		// The row scope of Anomaly, notices of dose constraints (layer
		// CONSTRAINT) included; doseConstraintNotices lists those alone (and
		// the anomalies query leaves them out: see rootList).
		for _, a := range w.anomalies {
			if list == "doseConstraintNotices" && a.layer != "CONSTRAINT" {
				continue
			}
			switch s.role {
			case policy.RolePhysician, policy.RoleDelegate:
				ids[a.id] = mine[a.worker]
			case policy.RoleRPA:
				// Its evidence inside one contract: the period, and for a
				// finding on the worker's own history the two years before.
				from := a.start
				if a.layer == "HISTORY" {
					from = from.AddDate(-2, 0, 0)
				}
				ids[a.id] = ests[a.est] && !w.internalAnomaly(a) && w.contractCovers(ests, a.worker, from, a.end)
			case policy.RoleEmployer:
				ids[a.id] = ests[a.est] && a.kind == "LIMIT_EXCEEDED"
			case policy.RoleAnalyst:
				ids[a.id] = true
			}
		}
	case "dosimeters":
		for _, d := range w.dosimeters {
			switch s.role {
			case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
				for _, a := range w.assignments {
					if a.dosimeter == d.id && mine[a.worker] {
						ids[d.id] = true
					}
				}
			case policy.RoleRPA, policy.RoleEmployer:
				ids[d.id] = ests[d.est]
			case policy.RoleLaboratory:
				ids[d.id] = d.lab == s.lab
			}
		}
	case "dosimeterAssignments":
		dosimeter := map[int]dosimeterRow{}
		for _, d := range w.dosimeters {
			dosimeter[d.id] = d
		}
		for _, a := range w.assignments {
			d := dosimeter[a.dosimeter]
			switch s.role {
			case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
				ids[a.id] = mine[a.worker]
			case policy.RoleRPA, policy.RoleEmployer:
				ids[a.id] = ests[d.est]
			case policy.RoleLaboratory:
				ids[a.id] = d.lab == s.lab
			}
		}
	case "importBatches":
		for _, b := range w.batches {
			switch s.role {
			case policy.RoleLaboratory:
				ids[b.id] = b.lab == s.lab
			case policy.RoleEmployer, policy.RoleRPA:
				ids[b.id] = b.submitter == s.account || ests[b.est]
			}
		}
	case "batchFindings":
		for _, f := range w.batchFindings {
			switch s.role {
			case policy.RoleLaboratory:
				ids[f.id] = f.lab == s.lab
			case policy.RoleAnalyst, policy.RoleAdmin:
				ids[f.id] = true
			}
		}
	case "accounts":
		delegates := map[int]bool{}
		for _, g := range w.grants {
			if s.role == policy.RolePhysician && g.delegatedFrom == s.grant {
				delegates[g.account] = true
			}
		}
		for _, b := range w.batches {
			if (s.role == policy.RoleEmployer || s.role == policy.RoleRPA) && ests[b.est] {
				delegates[b.submitter] = true // "sent by", on the establishment's batches
			}
		}
		for _, a := range w.accounts {
			ids[a] = a == s.account || s.role == policy.RoleAdmin || delegates[a]
		}
	case "grants":
		for _, g := range w.grants {
			ids[g.id] = g.account == s.account || s.role == policy.RoleAdmin ||
				s.role == policy.RolePhysician && g.delegatedFrom == s.grant
		}
	case "apiKeys":
		for _, k := range w.keys {
			ids[k.id] = k.account == s.account || s.role == policy.RoleAdmin
		}
	case "auditEvents", "auditTrail":
		exact = false // checked against the database: events about the worker, or all
	default:
		panic("rows: unknown list " + list)
	}
	for id, ok := range ids {
		if !ok {
			delete(ids, id)
		}
	}
	return ids, exact
}

// visibleEntity reports whether s may see fixture row e (by its list's rule).
func (w *world) visibleEntity(s *subject, e entity) bool {
	ids, _ := w.visible(s, listOf[e.typ])
	return ids[e.id]
}

// rootList narrows the row scope of a root list to what the list shows: the
// anomalies query leaves out the notices of dose constraints (layer
// CONSTRAINT), which doseConstraintNotices lists.
func (w *world) rootList(list string, ids idSet) idSet {
	if list != "anomalies" {
		return ids
	}
	out := idSet{}
	for _, a := range w.anomalies {
		if ids[a.id] && a.layer != "CONSTRAINT" {
			out[a.id] = true
		}
	}
	return out
}

// listOf maps a type to its Query connection field.
var listOf = map[string]string{
	"Account": "accounts", "Anomaly": "anomalies", "ApiKey": "apiKeys", "AuditEvent": "auditEvents",
	"Company": "companies", "DoseConflict": "doseConflicts", "DoseRecord": "doseRecords", "Dosimeter": "dosimeters",
	"DosimeterAssignment": "dosimeterAssignments", "Employment": "employments", "Establishment": "establishments",
	"ExposureSummary": "exposureSummaries", "Grant": "grants", "ImportBatch": "importBatches",
	"Laboratory": "laboratories", "Nomenclature": "nomenclatures", "OperationalDose": "operationalDoses",
	"Worker": "workers", "Intervention": "interventions", "ExceedanceNotice": "exceedanceNotices",
	"BatchFinding": "batchFindings",
}
