package seed

import (
	"math/rand/v2"
	"time"

	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/worker"
)

// Career events over the data period.
const (
	shareMovers  = 0.05 // change establishment (end one employment, start another)
	shareLeavers = 0.03 // end their employment and leave the registry's view
)

// planCareers ends some employments during the data period: about 5 % of the
// workers move to another establishment of their group (hospital staff, NPP
// contractors and temps), some leave, and a few women declare a pregnancy.
// At least two workers leave and two join the interventional cardiology
// establishment, so that its adviser's time-bounded view has cases.
func planCareers(rng *rand.Rand, ws []*workerPlan, org *orgPlan, win window) {
	order := rng.Perm(len(ws))
	movers := int(float64(len(ws))*shareMovers + 0.5)
	cardio := org.estByKey[estCardio]
	out, in := 0, 0
	moved := map[int]bool{}
	// First the forced moves around the cardiology establishment, then any.
	for pass := 0; pass < 2 && movers > 0; pass++ {
		for _, i := range order {
			w := ws[i]
			e := w.emps[0]
			group := moverGroup(estSpecs[e.est])
			if movers == 0 || moved[i] || w.special != ordinary || group == "" || e.young ||
				e.end != nil || e.start.After(win.start.AddDate(0, 6, 0)) {
				continue
			}
			dest := -1
			switch {
			case pass == 0 && e.est == cardio && out < 2:
				dest = otherIn(rng, org.estsByGroup[group], e.est, e.role.job)
				out += min(1, dest+1)
			case pass == 0 && group == "hospital" && e.est != cardio && in < 2 && hasJob(cardio, e.role.job):
				dest = cardio
				in++
			case pass == 1:
				dest = otherIn(rng, org.estsByGroup[group], e.est, e.role.job)
			}
			if dest < 0 {
				continue
			}
			move(rng, w, dest, win)
			moved[i] = true
			movers--
		}
	}
	leave(rng, ws, order, moved, win)
	pregnancies(rng, ws, order, win)
}

// otherIn returns an establishment of group, other than not, that employs
// the job; -1 when there is none.
func otherIn(rng *rand.Rand, group []int, not int, job string) int {
	var cands []int
	for _, g := range group {
		if g != not && hasJob(g, job) {
			cands = append(cands, g)
		}
	}
	if len(cands) == 0 {
		return -1
	}
	return oneOf(rng, cands)
}

// move ends w's employment at the end of a month and starts one in dest on
// the first day of the next month (or one month later, after a gap).
func move(rng *rand.Rand, w *workerPlan, dest int, win window) {
	old := w.emps[0]
	at := win.start.AddDate(0, 6+rng.IntN(max(1, win.months-12)), 0)
	if !at.After(old.start) {
		// Hired on the very month the move was drawn: stay one month at least,
		// so that the employment never ends before it starts.
		at = firstOfMonth(old.start).AddDate(0, 1, 0)
	}
	end := at.AddDate(0, 0, -1)
	old.end = &end
	if rng.Float64() < 0.3 {
		at = at.AddDate(0, 1, 0)
	}
	spec := &estSpecs[dest]
	var r *role
	for i := range spec.roles {
		if spec.roles[i].job == old.role.job && (r == nil || spec.roles[i].sector == old.role.sector) {
			r = &spec.roles[i]
		}
	}
	e := &empPlan{est: dest, role: r, start: at}
	e.contract, e.fraction = contract(rng, spec.employer, r)
	e.declared = rng.Float64() < spec.completeness
	e.kinds = drawKinds(rng, r)
	e.class = classify(rng, r, e.kinds)
	w.emps = append(w.emps, e)
}

// leave ends the employment of about 3 % of the workers during the period.
func leave(rng *rand.Rand, ws []*workerPlan, order []int, moved map[int]bool, win window) {
	n := int(float64(len(ws))*shareLeavers + 0.5)
	for _, i := range order {
		w := ws[i]
		e := w.emps[0]
		if n == 0 {
			return
		}
		if moved[i] || w.special != ordinary || e.end != nil || e.start.After(win.start.AddDate(0, 3, 0)) {
			continue
		}
		end := win.start.AddDate(0, 3+rng.IntN(max(1, win.months-6)), -1)
		if end.Before(e.start) {
			end = firstOfMonth(e.start).AddDate(0, 1, -1) // a month at least
		}
		e.end = &end
		n--
	}
}

// pregnancies gives a few women of the medical and research domains a
// declared pregnancy; they are classified B (no category A when pregnant).
func pregnancies(rng *rand.Rand, ws []*workerPlan, order []int, win window) {
	n := max(2, len(ws)/400)
	last := win.end.AddDate(0, 0, -1)
	mid := win.start.AddDate(0, win.months/2, 0)
	for _, i := range order {
		w := ws[i]
		e := w.emps[len(w.emps)-1]
		age := mid.Year() - w.birth.Year()
		dom := estSpecs[e.est].dom
		if n == 0 {
			return
		}
		if w.sex != worker.SexFemale || w.special != ordinary || age < 23 || age > 41 ||
			(dom != domMedical && dom != domResearch) || e.end != nil || e.start.After(win.start) {
			continue
		}
		from := win.start.AddDate(0, 3+rng.IntN(max(1, win.months-10)), rng.IntN(28))
		e.pregFrom = &from
		if to := from.AddDate(0, 6, rng.IntN(40)); to.Before(last) {
			e.pregTo = &to
		}
		e.class = employment.ClassificationB
		n--
	}
}

// pregnant reports whether the employment's pregnancy covers day d.
func (e *empPlan) pregnant(d time.Time) bool {
	return e.pregFrom != nil && !d.Before(*e.pregFrom) && (e.pregTo == nil || !d.After(*e.pregTo))
}

// hasJob reports whether establishment est employs job.
func hasJob(est int, job string) bool {
	for _, r := range estSpecs[est].roles {
		if r.job == job {
			return true
		}
	}
	return false
}
