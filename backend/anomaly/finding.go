// Package anomaly detects doses that look abnormal, in four layers that each
// produce a number a person can check (ANOMALY.md §4):
//
//   - L0 data validity: probable unit error, possible contamination,
//     implausible values, overlapping periods, passive vs operational gaps;
//   - L1 regulatory: limits exceeded or approached over 12 rolling months,
//     classification mismatch, pregnancy and young workers — fixed rules,
//     never statistics; beside it, notices of results above the employer's
//     dose constraint (by default 3/10 of the limit), kept apart from the
//     anomalies (constraint.go);
//   - L2 exposure context: the dose's percentile and robust z among the doses
//     of the same sector × job × monitoring kind × period length over 24
//     months, with a hurdle for zeros, an absolute floor, shrinkage and
//     back-off to coarser contexts;
//   - L3 the worker's own history: a jump against their median, a drift
//     (CUSUM) with its onset, an improbable run of zeros.
//
// Each finding carries a one-sentence French explanation, the reference it was
// measured against, and a fingerprint so that re-sent or recomputed data never
// raises the same finding twice.
package anomaly

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Kind is a stable finding code.
type Kind string

// Finding kinds, by layer.
const (
	KindUnitError      Kind = "PROBABLE_UNIT_ERROR"
	KindContamination  Kind = "POSSIBLE_CONTAMINATION"
	KindImplausible    Kind = "IMPLAUSIBLE_VALUE"
	KindOverlap        Kind = "OVERLAPPING_PERIODS"
	KindMissing        Kind = "MISSING_RESULT"
	KindDiscrepancy    Kind = "PASSIVE_OPERATIONAL_DISCREPANCY"
	KindLimitExceeded  Kind = "LIMIT_EXCEEDED"
	KindLimitNear      Kind = "LIMIT_APPROACHING"
	KindClassification Kind = "CLASSIFICATION_MISMATCH"
	KindContext        Kind = "CONTEXT_OUTLIER"
	KindJump           Kind = "HISTORY_JUMP"
	KindDrift          Kind = "HISTORY_DRIFT"
	KindZeroRun        Kind = "ZERO_RUN"
	// KindMislabel: the worker's doses contradict the declared sector or
	// job (the employer's declaration is probably wrong).
	KindMislabel Kind = "CONTEXT_MISLABEL"
	// KindConstraint is a notice, not an anomaly: a result above the
	// employer's dose constraint, or the default 3/10 of the limit
	// (LayerConstraint).
	KindConstraint Kind = "DOSE_CONSTRAINT_EXCEEDED"
)

// Layer is the detection layer of a finding; its values are the Anomaly
// entity's layer enum.
type Layer string

// Layers.
const (
	LayerValidity   Layer = "VALIDITY"
	LayerRegulatory Layer = "REGULATORY"
	LayerContext    Layer = "CONTEXT"
	LayerHistory    Layer = "HISTORY"
	// LayerConstraint holds the notices of dose constraints crossed, kept
	// apart from the anomalies (the anomalies query leaves them out).
	LayerConstraint Layer = "CONSTRAINT"
)

// Severity ranks findings for triage; its values are the Anomaly entity's
// severity enum.
type Severity string

// Severities.
const (
	SeverityInfo     Severity = "INFO"
	SeverityLow      Severity = "LOW"
	SeverityMedium   Severity = "MEDIUM"
	SeverityHigh     Severity = "HIGH"
	SeverityCritical Severity = "CRITICAL"
)

// Finding is one detected anomaly before it is stored.
type Finding struct {
	Kind            Kind
	Layer           Layer
	Severity        Severity
	Score           float64
	WorkerID        int
	EstablishmentID int
	RecordIDs       []int
	PeriodStart     time.Time
	PeriodEnd       time.Time
	// Explanation is one French sentence a radiation protection adviser understands.
	Explanation string
	// Reference is the snapshot of what the dose was measured against.
	Reference map[string]any
	// Identity is what makes two findings the same finding (see Fingerprint).
	Identity []string
	// Latest, for an episode (a limit exceedance), is the French sentence of
	// its latest state when it differs from the first one: Store appends it
	// to the stored explanation and keeps the history of states.
	Latest string
	// EpisodeFrom and EpisodeTo, for an episode, are the last days of its
	// first and last windows: a stored episode whose first crossing ends
	// between them is the same episode.
	EpisodeFrom, EpisodeTo time.Time
}

// Fingerprint identifies the finding: its kind and identity (the worker, the
// record's natural key or the episode), never its score, so re-sent or
// recomputed data maps onto the finding already stored.
func (f Finding) Fingerprint() string {
	h := sha256.Sum256([]byte(string(f.Kind) + "|" + fmt.Sprint(f.WorkerID) + "|" + strings.Join(f.Identity, "|")))
	return hex.EncodeToString(h[:16])
}
