package anomaly

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
)

// A limit episode is stored once, as the anomaly of its first crossing: its
// period and first explanation never change; its latest state (peak and
// latest window) and the history of states follow the doses, while the
// anomaly is open or acknowledged. Closed anomalies are never rewritten.

// episode reports whether the finding describes a limit episode.
func (f Finding) episode() bool {
	return f.Layer == LayerRegulatory && (f.Kind == KindLimitExceeded || f.Kind == KindLimitNear)
}

// historyEntry is one state of an episode: when it was seen, its peak and its
// latest window.
func historyEntry(f Finding) map[string]any {
	return map[string]any{"seenOn": time.Now().UTC().Format(time.DateOnly), "peak": f.Reference["peak"], "latest": f.Reference["latest"]}
}

// refresh updates a stored finding seen again. An open or acknowledged
// episode takes the new peak, latest window and score, its explanation gets
// the latest state after the first one, and its history one entry; other
// regulatory findings take a higher score and its explanation, as before.
func refresh(ctx context.Context, client *ent.Client, a *ent.Anomaly, f Finding) error {
	if a.Status != anomaly.StatusOpen && a.Status != anomaly.StatusAcknowledged || f.Layer != LayerRegulatory {
		return nil
	}
	if !f.episode() {
		// The stored period is the finding's window: a higher figure over
		// another window (a later month of the same year) would state a sum
		// the period does not hold, so only the same window is refreshed.
		if a.Status != anomaly.StatusOpen || f.Score <= a.Score || !samePeriod(a, f) {
			return nil
		}
		return client.Anomaly.UpdateOne(a).SetScore(f.Score).SetExplanation(f.Explanation).
			SetReference(f.Reference).SetSeverity(anomaly.Severity(f.Severity)).Exec(ctx)
	}
	if same(a.Reference["peak"], f.Reference["peak"]) && same(a.Reference["latest"], f.Reference["latest"]) && a.Reference["withdrawn"] != true {
		return nil
	}
	ref := maps.Clone(a.Reference)
	delete(ref, "withdrawn") // exceeded again
	ref["peak"], ref["latest"] = f.Reference["peak"], f.Reference["latest"]
	history, _ := ref["history"].([]any)
	ref["history"] = append(history, historyEntry(f))
	first, _ := ref["firstExplanation"].(string)
	if first == "" {
		first = a.Explanation
		ref["firstExplanation"] = first
	}
	explanation := first
	if f.Latest != "" {
		explanation += " " + f.Latest
	}
	u := client.Anomaly.UpdateOne(a).SetScore(f.Score).SetExplanation(explanation).SetReference(ref)
	if f.Kind == KindLimitExceeded {
		u.SetSeverity(anomaly.Severity(f.Severity))
	}
	if err := u.Exec(ctx); err != nil {
		return fmt.Errorf("refresh anomaly: %w", err)
	}
	return nil
}

// samePeriod reports whether the stored anomaly and the finding cover the
// same days.
func samePeriod(a *ent.Anomaly, f Finding) bool {
	day := func(t *time.Time, u time.Time) bool {
		return t == nil && u.IsZero() || t != nil && !u.IsZero() && t.UTC().Format(time.DateOnly) == u.UTC().Format(time.DateOnly)
	}
	return day(a.PeriodStart, f.PeriodStart) && day(a.PeriodEnd, f.PeriodEnd)
}

// same compares two JSON values as stored (numbers read back as float64).
func same(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// matchEpisodes maps an episode finding whose fingerprint is new onto the
// open or acknowledged anomaly of the same worker, kind and limit whose first
// crossing lies inside the episode (a result arriving for an earlier month
// moved the crossing): the finding then updates that anomaly instead of
// raising a second one.
func matchEpisodes(ctx context.Context, client *ent.Client, byPrint map[string]Finding, prints *[]string, existing map[string]*ent.Anomaly) error {
	workers := map[int]bool{}
	for _, fp := range *prints {
		if f := byPrint[fp]; existing[fp] == nil && f.episode() && !f.EpisodeFrom.IsZero() {
			workers[f.WorkerID] = true
		}
	}
	if len(workers) == 0 {
		return nil
	}
	open, err := client.Anomaly.Query().Where(anomaly.WorkerIDIn(keys(workers)...),
		anomaly.KindIn(string(KindLimitExceeded), string(KindLimitNear)),
		anomaly.StatusIn(anomaly.StatusOpen, anomaly.StatusAcknowledged)).All(ctx)
	if err != nil {
		return fmt.Errorf("load open episodes: %w", err)
	}
	taken := map[int]bool{}
	for _, a := range existing {
		taken[a.ID] = true
	}
	for i, fp := range *prints {
		f := byPrint[fp]
		if existing[fp] != nil || !f.episode() || f.EpisodeFrom.IsZero() {
			continue
		}
		for _, a := range open {
			if taken[a.ID] || a.WorkerID != f.WorkerID || a.Kind != string(f.Kind) || a.Reference["limit"] != f.Reference["limit"] ||
				a.PeriodEnd == nil || a.PeriodEnd.Before(f.EpisodeFrom) || a.PeriodEnd.After(f.EpisodeTo) {
				continue
			}
			taken[a.ID] = true
			delete(byPrint, fp)
			(*prints)[i] = a.Fingerprint
			byPrint[a.Fingerprint] = f
			existing[a.Fingerprint] = a
			break
		}
	}
	return nil
}

// withdrawn revises the open exceedances that the batch's doses undid: an
// open or acknowledged LIMIT_EXCEEDED anomaly whose first-crossing window
// holds a month of the batch, and that no exceeded episode of this run
// covers any more (a correction brought the sum under the limit). Its
// explanation and history say so, so that the alert tells the standing's
// story; closing it stays the physician's decision.
func (e *Engine) withdrawn(ctx context.Context, client *ent.Client, batch []Dose, reg []Finding) error {
	// Every month of the batch, absences of result included: one that
	// replaces a measured result can undo an exceedance.
	changed := map[int][]dosimetry.Month{}
	for _, d := range batch {
		changed[d.WorkerID] = append(changed[d.WorkerID], dosimetry.MonthOf(d.End))
	}
	workers := slices.Sorted(maps.Keys(changed))
	if len(workers) == 0 {
		return nil
	}
	open, err := client.Anomaly.Query().Where(anomaly.WorkerIDIn(workers...), anomaly.Kind(string(KindLimitExceeded)), anomaly.StatusIn(anomaly.StatusOpen, anomaly.StatusAcknowledged)).All(ctx)
	if err != nil || len(open) == 0 {
		return err
	}
	for _, a := range open {
		if a.PeriodStart == nil || a.Reference["withdrawn"] == true {
			continue
		}
		first, last := dosimetry.MonthOf(*a.PeriodStart), dosimetry.MonthOf(*a.PeriodEnd)
		touched := false
		for _, m := range changed[a.WorkerID] {
			touched = touched || (!m.Before(first) && !last.Before(m))
		}
		covered := false
		for _, f := range reg {
			if f.WorkerID == a.WorkerID && f.Kind == KindLimitExceeded && f.Reference["limit"] == a.Reference["limit"] &&
				!a.PeriodEnd.Before(f.EpisodeFrom) && !a.PeriodEnd.After(f.EpisodeTo) {
				covered = true
			}
		}
		if !touched || covered {
			continue
		}
		ref := maps.Clone(a.Reference)
		ref["withdrawn"] = true
		history, _ := ref["history"].([]any)
		ref["history"] = append(history, map[string]any{"seenOn": e.Now().UTC().Format(time.DateOnly), "withdrawn": true})
		if _, ok := ref["firstExplanation"]; !ok {
			ref["firstExplanation"] = a.Explanation
		}
		explanation := fmt.Sprint(ref["firstExplanation"]) + " Depuis, les doses de la période ont changé (correction ou nouvelle version) : la limite n'est plus dépassée ; le médecin du travail confirme ou non ce dépassement."
		if err := client.Anomaly.UpdateOne(a).SetExplanation(explanation).SetReference(ref).Exec(ctx); err != nil {
			return fmt.Errorf("revise exceedance: %w", err)
		}
	}
	return nil
}
