package anomaly

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/policy"
)

// Resolution is how a person closes an anomaly.
type Resolution string

// Resolutions. CONFIRMED and NOT_CONFIRMED are the regulation's words for a
// limit exceedance the physician has analysed; FALSE_POSITIVE closes a
// finding that was not an anomaly (a statistical or validity finding can also
// be CONFIRMED).
const (
	Confirmed     Resolution = "CONFIRMED"
	NotConfirmed  Resolution = "NOT_CONFIRMED"
	FalsePositive Resolution = "FALSE_POSITIVE"
)

func isPhysician(v *policy.Viewer) bool {
	return v.Acts(policy.RolePhysician) || v.Acts(policy.RoleDelegate)
}

// Acknowledge marks an open anomaly the viewer may see as taken in hand.
// Physicians, their delegates and radiation protection advisers do it.
func Acknowledge(ctx context.Context, client *ent.Client, id int, now time.Time) (*ent.Anomaly, error) {
	v := policy.FromContext(ctx)
	if !isPhysician(v) && !v.Acts(policy.RoleRPA) {
		return nil, apperr.New(apperr.Forbidden, "Seuls le médecin du travail, ses délégataires et le conseiller en radioprotection prennent en charge une anomalie.")
	}
	a, err := client.Anomaly.Get(ctx, id) // under the viewer's row scope
	if err != nil {
		return nil, err
	}
	if a.Status != anomaly.StatusOpen {
		return nil, apperr.New(apperr.Conflict, "Cette anomalie n'est plus ouverte (statut %s).", a.Status)
	}
	return client.Anomaly.UpdateOne(a).SetStatus(anomaly.StatusAcknowledged).
		SetAcknowledgedByID(v.AccountID).SetAcknowledgedAt(now).Save(policy.SystemContext(ctx))
}

// Resolve closes an anomaly with a resolution and a comment. A limit
// exceedance is confirmed or not confirmed by the occupational physician
// only; other findings are closed by the physician or the adviser. A
// physician's delegate takes anomalies in hand and prepares, but closes
// none: confirming is the physician's act (R.4451-68, RC13). A confirmed
// exceedance records the ministry's anonymous notice (Notify).
func Resolve(ctx context.Context, client *ent.Client, id int, r Resolution, comment string, now time.Time) (*ent.Anomaly, error) {
	v := policy.FromContext(ctx)
	comment = strings.TrimSpace(comment)
	if comment == "" {
		return nil, apperr.Invalid("comment", "", "Un commentaire est obligatoire pour clore une anomalie.")
	}
	a, err := client.Anomaly.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != anomaly.StatusOpen && a.Status != anomaly.StatusAcknowledged {
		return nil, apperr.New(apperr.Conflict, "Cette anomalie est déjà close (statut %s).", a.Status)
	}
	exceedance := a.Kind == string(KindLimitExceeded)
	switch {
	case v.Acts(policy.RoleDelegate):
		return nil, apperr.New(apperr.Forbidden, "Clore une anomalie est une décision du médecin du travail : son délégataire peut la prendre en charge et la préparer, pas la clore.")
	case exceedance && !v.Acts(policy.RolePhysician):
		return nil, apperr.New(apperr.Forbidden, "Seul le médecin du travail confirme ou infirme un dépassement de limite.")
	case exceedance && r == FalsePositive:
		return nil, apperr.Invalid("resolution", string(r), "Un dépassement de limite est confirmé ou non confirmé par le médecin du travail.")
	case !exceedance && r == NotConfirmed:
		return nil, apperr.Invalid("resolution", string(r), "Seul un dépassement de limite peut être « non confirmé » ; choisissez « confirmée » ou « faux positif ».")
	case !exceedance && !isPhysician(v) && !v.Acts(policy.RoleRPA):
		return nil, apperr.New(apperr.Forbidden, "Seuls le médecin du travail, ses délégataires et le conseiller en radioprotection closent une anomalie.")
	}
	status := map[Resolution]anomaly.Status{Confirmed: anomaly.StatusConfirmed, NotConfirmed: anomaly.StatusNotConfirmed,
		FalsePositive: anomaly.StatusFalsePositive}[r]
	if status == "" {
		return nil, apperr.Invalid("resolution", string(r), "Issue inconnue : %s.", r)
	}
	u := client.Anomaly.UpdateOne(a).SetStatus(status).SetResolvedByID(v.AccountID).SetResolvedAt(now).
		SetResolutionComment(comment)
	if a.AcknowledgedAt == nil {
		u.SetAcknowledgedByID(v.AccountID).SetAcknowledgedAt(now)
	}
	saved, err := u.Save(policy.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("resolve anomaly: %w", err)
	}
	if exceedance && status == anomaly.StatusConfirmed {
		// The ministry's anonymous notice, in the same transaction.
		if _, err := Notify(ctx, client, saved, now); err != nil {
			return nil, err
		}
	}
	return saved, nil
}
