package eval

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/synth"
)

// RunInfo describes the replay.
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
	// Notices are the notices of dose constraints crossed, read apart.
	Notices         int            `json:"constraint_notices_stored"`
	ReplaySeconds   float64        `json:"replay_seconds"`
	AnomaliesByKind map[string]int `json:"anomalies_by_kind"`
	// Server is how the replay reached SISERI: its HTTP address, the
	// GraphQL operations used and the clock (always the real one).
	Server string `json:"server"`
}

// Result is what `siseri detect eval --json` prints.
type Result struct {
	// Overall is the headline: the point kinds without MISSING_RESULT.
	Overall Overall `json:"overall"`
	// MissingResult is MISSING_RESULT, scored apart.
	MissingResult GroupScore `json:"missing_result"`
	// Episodes are the episode kinds (drift, runs of zeros), scored apart.
	Episodes GroupScore `json:"episodes"`
	// AllKinds is every kind together, MISSING_RESULT included (the
	// headline before issue 14, for comparison).
	AllKinds  GroupScore            `json:"overall_all_kinds"`
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
	s, err := readBack(ctx, reg, w, o.WarmupMonths, raisedIn)
	if err != nil {
		return nil, err
	}
	s.labels = parseLabels(labels, w, o.WarmupMonths)
	s.indexLabels()
	byKind := s.addAlerts(o.WarmupMonths)
	rejLabeled := s.addRejected(st.rejectedRows, o.WarmupMonths)
	s.wm = workerMonths(decl, w, o.WarmupMonths)
	res := &Result{Baselines: map[string]Baseline{}, Kinds: s.kindScores()}
	res.Overall.GroupScore = s.score(pointGroup)
	s.regulatory(&res.Overall)
	res.MissingResult, res.Episodes, res.AllKinds = s.score(missingGroup), s.score(episodeGroup), s.score(allGroup)
	if o.Debug != nil {
		s.debug(o.Debug)
	}
	for _, b := range s.baselines(res.Overall.FalseAlertsPerK, pointGroup) {
		res.Baselines[strings.SplitN(b.Name, " ", 2)[0]] = b
	}
	dbKind := "SQLite (fichier temporaire)"
	if reg.db.IsPostgres() {
		dbKind = "PostgreSQL (base temporaire)"
	}
	res.Run = RunInfo{Dir: o.Dir, Database: dbKind, Start: w.start.Format("2006-01"), Months: w.months, WarmupMonths: o.WarmupMonths,
		Workers: len(s.birthOf), Batches: st.batches, RowsTotal: map[string]int{}, RowsAccepted: map[string]int{}, Rejected: st.rejected,
		RejectedLabeled: rejLabeled, Anomalies: len(s.anoms), Notices: len(s.notices), ReplaySeconds: st.seconds, AnomaliesByKind: byKind,
		Server: reg.url + "/graphql (submitFile, anomalies, doseConstraintNotices ; horloge réelle)"}
	for f, n := range st.total {
		res.Run.RowsTotal[f] = n
		res.Run.RowsAccepted[f] = st.accepted[f]
	}
	if o.Inspect != nil {
		if err := o.Inspect(ctx, reg.dbURL, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// readBack reads, through GraphQL, the workers (as their employer
// correspondent, who knows their NIR), the current dose records and every
// anomaly (as the analyst).
func readBack(ctx context.Context, reg *registry, w window, warmup int, raisedIn map[int]int) (*scoring, error) {
	s := &scoring{w: w, warmup: warmup, raisedIn: raisedIn, nirOf: map[int]string{}, birthOf: map[int]time.Time{}, byNIR: map[string][]*label{}}
	workers, err := readWorkers(ctx, reg.employer)
	if err != nil {
		return nil, err
	}
	for _, wk := range workers {
		if wk.NIR != "" {
			s.nirOf[wk.ID] = wk.NIR
		}
		s.birthOf[wk.ID] = wk.BirthDate
	}
	if s.records, err = readDoseRecords(ctx, reg.reader); err != nil {
		return nil, err
	}
	if s.anoms, err = readAnomalies(ctx, reg.reader); err != nil {
		return nil, err
	}
	if s.notices, err = readNotices(ctx, reg.reader); err != nil {
		return nil, err
	}
	return s, nil
}

// indexLabels counts each episode's latency in the worker's wearing periods
// and indexes the labels by NIR.
func (s *scoring) indexLabels() {
	periodOf := map[string]int{}
	for _, r := range s.records {
		periodOf[s.nirOf[r.WorkerID]+"|"+r.MonitoringKind+"|"+r.PeriodEnd.Format(time.DateOnly)] = monthsSpan(r.PeriodStart, r.PeriodEnd)
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
}

// addAlerts turns the anomalies read back into alerts and returns their
// count by kind. An anomaly raised before any month was read (none) or
// missing from raisedIn counts in the last month.
func (s *scoring) addAlerts(warmup int) map[string]int {
	byKind := map[string]int{}
	for _, a := range s.anoms {
		byKind[a.Kind]++
		m, ok := s.raisedIn[a.ID]
		if !ok {
			m = s.w.months - 1
		}
		al := &alert{id: a.ID, kind: a.Kind, nir: s.nirOf[a.WorkerID], month: m}
		if a.PeriodStart != nil && a.PeriodEnd != nil {
			al.start, al.end = *a.PeriodStart, *a.PeriodEnd
		} else {
			al.start, al.end = s.w.month(al.month), s.w.month(al.month+1).AddDate(0, 0, -1)
		}
		// A wrong declaration is a state, not an event: its finding is
		// scored wherever raised (see parseLabels).
		al.scored = al.month >= warmup || a.Kind == string(anomaly.KindMislabel)
		s.alerts = append(s.alerts, al)
	}
	return byKind
}

// addRejected adds the rows the validator refused as validity alerts and
// returns how many of them carried a label, by kind.
func (s *scoring) addRejected(rows []rejectedRow, warmup int) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		al := &alert{id: -1, kind: KindRejected, nir: r.nir, start: r.start, end: r.end, month: r.month, scored: r.month >= warmup}
		s.alerts = append(s.alerts, al)
		for _, l := range s.byNIR[r.nir] {
			if l.scope == "record" && l.matches(al) {
				out[l.kind]++
			}
		}
	}
	return out
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
	fmt.Fprintf(w, "Parcours utilisateur : %s\n", ri.Server)
	for _, f := range []string{formatDeclarations, formatOperational, formatLabResults} {
		fmt.Fprintf(w, "  %-28s %d lignes, %d acceptées\n", formatLabels[f], ri.RowsTotal[f], ri.RowsAccepted[f])
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
	for _, g := range []struct {
		name string
		s    GroupScore
	}{
		{"ENSEMBLE PONCTUELS (titre)", ov.GroupScore},
		{"MISSING_RESULT (à part)", r.MissingResult},
		{"ÉPISODES (à part)", r.Episodes},
		{"tous types (ancien titre)", r.AllKinds},
	} {
		fmt.Fprintf(w, "%-34s %8d %8d %8d %8d %8s %9s %8s\n", g.name, g.s.Labels, g.s.Detected, g.s.Alerts, g.s.FalsePos, pct(g.s.Precision), pct(g.s.Recall), num(g.s.F1))
	}
	fmt.Fprintf(w, "\nTitre : F1 %s sur les types ponctuels hors MISSING_RESULT (%s) ; MISSING_RESULT à part : F1 %s\n",
		num(ov.F1), strings.Join(ov.Kinds, ", "), num(r.MissingResult.F1))
	fmt.Fprintf(w, "Fausses alertes (types ponctuels) : %s pour 1 000 mois-travailleurs (%d mois-travailleurs notés) ; MISSING_RESULT : %s ; tous types : %s\n",
		num(ov.FalseAlertsPerK), ov.WorkerMonths, num(r.MissingResult.FalseAlertsPerK), num(r.AllKinds.FalseAlertsPerK))
	fmt.Fprintf(w, "Réglementaire : rappel %s — dépassements de limite sur 12 mois glissants alertés %d/%d, résultats au-dessus du niveau d'investigation signalés %d/%d par un avis de dépassement de contrainte (%d constats réglementaires et %d avis, jamais comptés comme fausses alertes)\n",
		pct(ov.RegulatoryRecall), ov.LimitCrossingsAlerted, ov.LimitCrossings, ov.InvestigationAlerted, ov.InvestigationLevels, ov.RegulatoryFindings, ov.ConstraintNotices)
	printBaselines(w, r)
}

// printBaselines writes the baselines at the headline's false-alert budget.
func printBaselines(w io.Writer, r *Result) {
	ov := r.Overall
	fmt.Fprintf(w, "\nRéférences sur les types ponctuels au même budget de fausses alertes (%s / 1 000 mois-travailleurs) ; entre crochets, au seuil nominal :\n", num(ov.FalseAlertsPerK))
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
		fmt.Fprintf(w, "F1 détecteur / F1 B0 (types ponctuels) : %s\n", num(ov.F1/b0))
	}
}
