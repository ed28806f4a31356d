package eval

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/synth"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// Run describes the replay.
type RunInfo struct {
	Dir             string         `json:"dir"`
	Database        string         `json:"database"`
	Start           string         `json:"start"`
	Months          int            `json:"months"`
	WarmupMonths    int            `json:"warmup_months"`
	Workers         int            `json:"workers"`
	Batches         int            `json:"batches"`
	RowsTotal       map[string]int `json:"rows_total"`
	RowsAccepted    map[string]int `json:"rows_accepted"`
	Rejected        map[string]int `json:"rejected_by_code"`
	RejectedLabeled map[string]int `json:"rejected_labeled_rows_by_kind"`
	Anomalies       int            `json:"anomalies_stored"`
	ReplaySeconds   float64        `json:"replay_seconds"`
	AnomaliesByKind map[string]int `json:"anomalies_by_kind"`
}

// Result is what `siseri detect eval --json` prints.
type Result struct {
	Overall   Overall               `json:"overall"`
	Kinds     map[string]*KindScore `json:"kinds"`
	Baselines map[string]Baseline   `json:"baselines"`
	Run       RunInfo               `json:"run"`
}

// Evaluate replays the population of o.Dir and scores the detector.
func Evaluate(ctx context.Context, o Options) (*Result, error) {
	if o.WarmupMonths == 0 {
		o.WarmupMonths = 12
	}
	if o.Grace == 0 {
		o.Grace = 2 * 24 * time.Hour
	}
	labels, err := readTable(filepath.Join(o.Dir, synth.FileLabels))
	if err != nil {
		return nil, err
	}
	decl, err := readTable(filepath.Join(o.Dir, synth.FileDeclarations))
	if err != nil {
		return nil, err
	}
	w, err := windowOf(o.Dir)
	if err != nil {
		return nil, err
	}
	reg, err := openRegistry(ctx, o)
	if err != nil {
		return nil, err
	}
	defer reg.close()
	raisedIn, st, err := replay(ctx, reg, o, w)
	if err != nil {
		return nil, err
	}
	sys := policy.SystemContext(ctx)
	c := reg.db.Client
	s := &scoring{w: w, warmup: o.WarmupMonths, raisedIn: raisedIn, nirOf: map[int]string{}, birthOf: map[int]time.Time{}, byNIR: map[string][]*label{}}
	workers, err := c.Worker.Query().All(sys)
	if err != nil {
		return nil, err
	}
	for _, wk := range workers {
		if wk.Nir != nil {
			s.nirOf[wk.ID] = *wk.Nir
		}
		s.birthOf[wk.ID] = wk.BirthDate
	}
	if s.records, err = c.DoseRecord.Query().Where(doserecord.Current(true)).All(sys); err != nil {
		return nil, err
	}
	if s.anoms, err = loadAnomalies(ctx, c); err != nil {
		return nil, err
	}
	s.labels = parseLabels(labels, w, o.WarmupMonths)
	// An episode's latency is counted in the worker's wearing periods.
	periodOf := map[string]int{}
	for _, r := range s.records {
		periodOf[s.nirOf[r.WorkerID]+"|"+string(r.MonitoringKind)+"|"+r.PeriodEnd.Format(time.DateOnly)] = monthsSpan(r.PeriodStart, r.PeriodEnd)
	}
	for _, l := range s.labels {
		if l.scope == "episode" {
			l.months = 1
			if p := periodOf[l.nir+"|"+l.kindCode+"|"+l.onset.Format(time.DateOnly)]; p > 0 {
				l.months = p
			}
		}
		s.byNIR[l.nir] = append(s.byNIR[l.nir], l)
	}
	byKind := map[string]int{}
	for _, a := range s.anoms {
		byKind[a.Kind]++
		al := &alert{id: a.ID, kind: a.Kind, nir: s.nirOf[a.WorkerID], month: raisedIn[a.ID]}
		if a.PeriodStart != nil && a.PeriodEnd != nil {
			al.start, al.end = *a.PeriodStart, *a.PeriodEnd
		} else {
			al.start, al.end = w.month(al.month), w.month(al.month+1).AddDate(0, 0, -1)
		}
		al.scored = al.month >= o.WarmupMonths
		s.alerts = append(s.alerts, al)
	}
	rejLabeled := map[string]int{}
	for _, r := range st.rejectedRows {
		al := &alert{id: -1, kind: KindRejected, nir: r.nir, start: r.start, end: r.end, month: r.month, scored: r.month >= o.WarmupMonths}
		s.alerts = append(s.alerts, al)
		for _, l := range s.byNIR[r.nir] {
			if l.scope == "record" && l.matches(al) {
				rejLabeled[l.kind]++
			}
		}
	}
	s.wm = workerMonths(decl, w, o.WarmupMonths)
	res := &Result{Baselines: map[string]Baseline{}}
	res.Overall, res.Kinds = s.detector()
	if o.Debug != nil {
		s.debug(o.Debug)
	}
	for _, b := range s.baselines(res.Overall.FalseAlertsPerK) {
		res.Baselines[strings.SplitN(b.Name, " ", 2)[0]] = b
	}
	dbKind := "SQLite (fichier temporaire)"
	if reg.db.IsPostgres() {
		dbKind = "PostgreSQL (base temporaire)"
	}
	res.Run = RunInfo{Dir: o.Dir, Database: dbKind, Start: w.start.Format("2006-01"), Months: w.months, WarmupMonths: o.WarmupMonths,
		Workers: len(workers), Batches: st.batches, RowsTotal: map[string]int{}, RowsAccepted: map[string]int{}, Rejected: st.rejected,
		RejectedLabeled: rejLabeled, Anomalies: len(s.anoms), ReplaySeconds: st.seconds, AnomaliesByKind: byKind}
	for f, n := range st.total {
		res.Run.RowsTotal[string(f)] = n
		res.Run.RowsAccepted[string(f)] = st.accepted[f]
	}
	return res, nil
}

// windowOf reads the replayed months from the lab results (first to last
// period end).
func windowOf(dir string) (window, error) {
	lab, err := readTable(filepath.Join(dir, synth.FileLabResults))
	if err != nil {
		return window{}, err
	}
	var lo, hi time.Time
	for _, row := range lab.rows {
		e, ok := parseDate(lab.get(row, "fin_periode"))
		if !ok {
			continue
		}
		if lo.IsZero() || e.Before(lo) {
			lo = e
		}
		if e.After(hi) {
			hi = e
		}
	}
	if lo.IsZero() {
		return window{}, fmt.Errorf("%s : aucun résultat daté", synth.FileLabResults)
	}
	start := time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC)
	w := window{start: start}
	w.months = w.index(hi) + 1
	return w, nil
}

// workerMonths counts the worker × month pairs of the scored months in which
// the worker has a declared employment.
func workerMonths(decl *table, w window, warmup int) int {
	seen := map[string]bool{}
	for _, row := range decl.rows {
		from, ok := parseDate(decl.get(row, "date_debut"))
		if !ok {
			continue
		}
		to, hasEnd := parseDate(decl.get(row, "date_fin"))
		for m := warmup; m < w.months; m++ {
			first, last := w.month(m), w.month(m+1).AddDate(0, 0, -1)
			if from.After(last) || (hasEnd && to.Before(first)) {
				continue
			}
			seen[fmt.Sprintf("%s|%d", decl.get(row, "nir"), m)] = true
		}
	}
	return len(seen)
}

// kindOrder is the order of kinds in the table.
func kindOrder(r *Result) []string {
	out := append([]string(nil), synth.LabelKinds...)
	var extra []string
	for k := range r.Kinds {
		found := false
		for _, l := range out {
			found = found || l == k
		}
		if !found {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

func pct(v float64) string { return strings.Replace(fmt.Sprintf("%.1f %%", v*100), ".", ",", 1) }
func num(v float64) string { return strings.Replace(fmt.Sprintf("%.2f", v), ".", ",", 1) }
func lat(v *float64) string {
	if v == nil {
		return "—"
	}
	return strings.Replace(fmt.Sprintf("%.1f", *v), ".", ",", 1)
}

// Print writes the French table.
func Print(w io.Writer, r *Result) {
	ri := r.Run
	fmt.Fprintf(w, "Évaluation de la détection — %s\n", ri.Dir)
	fmt.Fprintf(w, "Base : %s ; %d travailleurs, %d mois à partir de %s (%d mois de préchauffage non notés) ; %d lots importés en %.0f s\n",
		ri.Database, ri.Workers, ri.Months, ri.Start, ri.WarmupMonths, ri.Batches, ri.ReplaySeconds)
	for _, f := range []ingest.Format{ingest.Declarations, ingest.Operational, ingest.LabResults} {
		fmt.Fprintf(w, "  %-28s %d lignes, %d acceptées\n", f.Label(), ri.RowsTotal[string(f)], ri.RowsAccepted[string(f)])
	}
	if len(ri.Rejected) > 0 {
		fmt.Fprintln(w, "Lignes refusées par la validation, par code :")
		codes := make([]string, 0, len(ri.Rejected))
		for c := range ri.Rejected {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			fmt.Fprintf(w, "  %-50s %d\n", c, ri.Rejected[c])
		}
	}
	fmt.Fprintf(w, "\n%-34s %8s %8s %8s %8s %8s %9s %8s %8s %8s\n", "Type", "étiq.", "détect.", "alertes", "fausses", "précis.", "rappel", "F1", "lat.p50", "lat.p90")
	for _, k := range kindOrder(r) {
		ks := r.Kinds[k]
		if ks == nil {
			continue
		}
		fmt.Fprintf(w, "%-34s %8d %8d %8d %8d %8s %9s %8s %8s %8s\n", k, ks.Labels, ks.Detected, ks.Alerts, ks.FalsePos,
			pct(ks.Precision), pct(ks.Recall), num(ks.F1), lat(ks.LatencyP50), lat(ks.LatencyP90))
	}
	ov := r.Overall
	fmt.Fprintf(w, "%-34s %8d %8d %8d %8d %8s %9s %8s\n", "ENSEMBLE", ov.Labels, ov.Detected, ov.Alerts, ov.FalsePos, pct(ov.Precision), pct(ov.Recall), num(ov.F1))
	fmt.Fprintf(w, "\nFausses alertes : %s pour 1 000 mois-travailleurs (%d mois-travailleurs notés)\n", num(ov.FalseAlertsPerK), ov.WorkerMonths)
	fmt.Fprintf(w, "Réglementaire : rappel %s — dépassements de limite sur 12 mois glissants alertés %d/%d, résultats au-dessus du niveau d'investigation alertés %d/%d (%d constats réglementaires, jamais comptés comme fausses alertes)\n",
		pct(ov.RegulatoryRecall), ov.LimitCrossingsAlerted, ov.LimitCrossings, ov.InvestigationAlerted, ov.InvestigationLevels, ov.RegulatoryFindings)
	fmt.Fprintf(w, "\nRéférences au même budget de fausses alertes (%s / 1 000 mois-travailleurs) ; entre crochets, au seuil nominal :\n", num(ov.FalseAlertsPerK))
	fmt.Fprintf(w, "%-4s %8s %8s %8s %8s %10s   %s\n", "", "alertes", "précis.", "rappel", "F1", "fa/1000", "[seuil nominal : alertes, précision, rappel, F1, fa/1000]")
	for _, key := range []string{"B0", "B1", "B2", "B3", "B4"} {
		b := r.Baselines[key]
		n := b.Nominal
		fmt.Fprintf(w, "%-4s %8d %8s %8s %8s %10s   [%d, %s, %s, %s, %s]\n", key, b.Alerts, pct(b.Precision), pct(b.Recall), num(b.F1), num(b.FalseAlertsPerK),
			n.Alerts, pct(n.Precision), pct(n.Recall), num(n.F1), num(n.FalseAlertsPerK))
	}
	for _, key := range []string{"B0", "B1", "B2", "B3", "B4"} {
		fmt.Fprintf(w, "  %s\n", r.Baselines[key].Name)
	}
	if b0 := r.Baselines["B0"].F1; b0 > 0 {
		fmt.Fprintf(w, "F1 détecteur / F1 B0 : %s\n", num(ov.F1/b0))
	}
}
