package graph

import (
	"context"
	"fmt"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/doseconstraint"
	"github.com/siseri/siseri/policy"
)

// Notices of dose constraints crossed (layer CONSTRAINT) are Anomaly rows
// kept apart: the anomalies query and subscriptions leave them out unless the
// caller's where filters on the layer itself (where: {layer: CONSTRAINT});
// doseConstraintNotices lists them alone.

// withoutNotices leaves the notices out of q unless where names the layer.
func withoutNotices(q *ent.AnomalyQuery, where *ent.AnomalyWhereInput) *ent.AnomalyQuery {
	if filtersLayer(where) {
		return q
	}
	return q.Where(anomaly.LayerNEQ(anomaly.LayerConstraint))
}

// filtersLayer reports whether where (or one of its nested conditions)
// filters on the layer.
func filtersLayer(w *ent.AnomalyWhereInput) bool {
	if w == nil {
		return false
	}
	if w.Layer != nil || w.LayerNEQ != nil || len(w.LayerIn) > 0 || len(w.LayerNotIn) > 0 || filtersLayer(w.Not) {
		return true
	}
	for _, c := range append(append([]*ent.AnomalyWhereInput{}, w.And...), w.Or...) {
		if filtersLayer(c) {
			return true
		}
	}
	return false
}

// accountName is the display name of an account, read by the system: the
// person who set a dose constraint is shown to everyone who reads it.
func accountName(ctx context.Context, client *ent.Client, id int) (string, error) {
	a, err := client.Account.Get(policy.SystemContext(ctx), id)
	if err != nil {
		return "", fmt.Errorf("read account: %w", err)
	}
	return a.DisplayName, nil
}

// doseConstraintLimit is the GraphQL enum of a constrained limit.
func doseConstraintLimit(code dosimetry.LimitCode) doseconstraint.LimitCode {
	return doseconstraint.LimitCode(code)
}

// listedAnomalies is what the anomalies list and streams show by default:
// neither the notices of dose constraints nor the worker findings that a
// laboratory batch finding explains, unless where asks for them.
func listedAnomalies(q *ent.AnomalyQuery, where *ent.AnomalyWhereInput) *ent.AnomalyQuery {
	return unlinkedAnomalies(withoutNotices(q, where), where)
}
