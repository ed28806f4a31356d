package graph

import (
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
)

// unlinkedAnomalies leaves out the worker findings a laboratory batch finding
// explains (they are read through it, or by filtering on it), unless where
// filters on the link itself.
func unlinkedAnomalies(q *ent.AnomalyQuery, where *ent.AnomalyWhereInput) *ent.AnomalyQuery {
	if filtersBatchFinding(where) {
		return q
	}
	return q.Where(anomaly.BatchFindingIDIsNil())
}

// filtersBatchFinding reports whether where, or one of its sub-filters,
// names the batch finding of an anomaly.
func filtersBatchFinding(w *ent.AnomalyWhereInput) bool {
	if w == nil {
		return false
	}
	if w.HasBatchFinding != nil || len(w.HasBatchFindingWith) > 0 || w.BatchFindingID != nil || w.BatchFindingIDNEQ != nil ||
		len(w.BatchFindingIDIn) > 0 || len(w.BatchFindingIDNotIn) > 0 || w.BatchFindingIDIsNil || w.BatchFindingIDNotNil {
		return true
	}
	if filtersBatchFinding(w.Not) {
		return true
	}
	for _, o := range w.Or {
		if filtersBatchFinding(o) {
			return true
		}
	}
	for _, a := range w.And {
		if filtersBatchFinding(a) {
			return true
		}
	}
	return false
}
