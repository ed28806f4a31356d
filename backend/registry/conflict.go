package registry

import (
	"context"
	"fmt"
	"strconv"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doseconflict"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// Decision is how an occupational physician settles a correction conflict.
type Decision string

// Decisions.
const (
	// KeepCorrection leaves the physician's correction the dose of record.
	KeepCorrection Decision = "KEEP_CORRECTION"
	// AcceptLaboratory makes the laboratory's re-sent value the dose of
	// record.
	AcceptLaboratory Decision = "ACCEPT_LABORATORY"
)

// ResolveConflict settles the open conflict id with decision and reason, as
// the occupational physician of ctx (a delegate prepares, the physician
// decides: R.4451-68). Keeping the correction closes the conflict and leaves
// the re-send in the history, never current. Accepting the laboratory's value
// makes the re-send the current version, superseding the correction, and
// records it as the dose of record: judged, the worker's standings brought
// current, the news announced after commit (accepted is that record, nil when
// the correction is kept). Errors: FORBIDDEN for any other
// role; BAD_USER_INPUT (reason, decision); NOT_FOUND (id) out of scope;
// CONFLICT when the conflict is closed or its correction no longer current.
func (r *Registry) ResolveConflict(ctx context.Context, client *ent.Client, id int, decision Decision, reason string) (c *ent.DoseConflict, accepted *ent.DoseRecord, err error) {
	now := r.now()
	v := policy.FromContext(ctx)
	if !v.Acts(policy.RolePhysician) {
		return nil, nil, apperr.New(apperr.Forbidden, "Seul le médecin du travail tranche un conflit de correction : son délégataire peut le préparer, pas le trancher.")
	}
	reason, err = checkReason("reason", reason)
	if err != nil {
		return nil, nil, err
	}
	if decision != KeepCorrection && decision != AcceptLaboratory {
		return nil, nil, apperr.Invalid("decision", string(decision), "Décision inconnue : %s (KEEP_CORRECTION ou ACCEPT_LABORATORY).", decision)
	}
	c, err = client.DoseConflict.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, nil, &apperr.Error{Code: apperr.NotFound, Field: "id", Value: strconv.Itoa(id),
			Message: fmt.Sprintf("Aucun conflit de correction n° %d n'est accessible dans votre périmètre.", id)}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load conflict: %w", err)
	}
	if c.Status != doseconflict.StatusOpen {
		return nil, nil, apperr.New(apperr.Conflict, "Ce conflit de correction est déjà tranché (statut %s).", c.Status)
	}
	sys := policy.SystemContext(ctx)
	status := doseconflict.StatusKeptCorrection
	if decision == AcceptLaboratory {
		status = doseconflict.StatusAcceptedLaboratory
		n, err := client.DoseRecord.Update().Where(doserecord.ID(c.CorrectionID), doserecord.Current(true)).
			SetCurrent(false).SetSupersededAt(now).Save(sys)
		if err != nil {
			return nil, nil, fmt.Errorf("supersede correction: %w", err)
		}
		if n == 0 {
			return nil, nil, apperr.New(apperr.Conflict, "La correction n° %d n'est plus la version en vigueur : le conflit ne peut plus être tranché ainsi.", c.CorrectionID)
		}
		accepted, err = client.DoseRecord.UpdateOneID(c.ResendID).Where(doserecord.Pending(true)).
			SetPending(false).SetCurrent(true).SetSupersedesID(c.CorrectionID).Save(sys)
		if err != nil {
			return nil, nil, fmt.Errorf("accept laboratory value: %w", err)
		}
	} else if err := client.DoseRecord.UpdateOneID(c.ResendID).Where(doserecord.Pending(true)).
		SetPending(false).SetSupersededAt(now).Exec(sys); err != nil {
		return nil, nil, fmt.Errorf("set aside laboratory value: %w", err)
	}
	c, err = client.DoseConflict.UpdateOne(c).Where(doseconflict.StatusEQ(doseconflict.StatusOpen)).SetStatus(status).
		SetResolvedByID(v.AccountID).SetResolvedAt(now).SetResolutionReason(reason).Save(sys)
	if err != nil {
		return nil, nil, fmt.Errorf("close conflict: %w", err)
	}
	if accepted == nil {
		return c, nil, nil
	}
	sess, err := r.Open(ctx, Options{AnnounceTouched: true, Now: now})
	if err != nil {
		return nil, nil, err
	}
	if err := sess.Judge([]*ent.DoseRecord{accepted}); err != nil {
		return nil, nil, err
	}
	sess.Touch(accepted.WorkerID)
	return c, accepted, sess.Finish(ctx)
}

// openConflict returns the open conflict whose correction is record id, if
// any: while the physician has not decided, the correction may not be
// corrected again (the decision comes first).
func openConflict(sys context.Context, client *ent.Client, id int) (*ent.DoseConflict, error) {
	c, err := client.DoseConflict.Query().Where(doseconflict.CorrectionID(id), doseconflict.StatusEQ(doseconflict.StatusOpen)).Only(sys)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return c, err
}

// Held is a laboratory re-send of a result a physician corrected, written
// pending: it waits for the physician's decision in a conflict.
type Held struct {
	// Resend is the pending record as written; Correction the physician's
	// current version it conflicts with.
	Resend     *ent.DoseRecord
	Correction int
	// Replaces is the open conflict of an earlier re-send of the same
	// result, which this one takes the place of (nil when none).
	Replaces *ent.DoseConflict
}

// Hold opens the conflicts of pending re-sends, closing as REPLACED the open
// ones a newer re-send takes the place of (their re-send is set aside, never
// current).
func (s *Session) Hold(held []Held) error {
	var replaced, setAside []int
	creates := make([]*ent.DoseConflictCreate, len(held))
	for i, h := range held {
		creates[i] = s.client.DoseConflict.Create().SetWorkerID(h.Resend.WorkerID).SetEstablishmentID(h.Resend.EstablishmentID).
			SetLaboratoryID(h.Resend.LaboratoryID).SetCorrectionID(h.Correction).SetResendID(h.Resend.ID)
		if h.Replaces != nil {
			replaced = append(replaced, h.Replaces.ID)
			setAside = append(setAside, h.Replaces.ResendID)
		}
	}
	if len(replaced) > 0 {
		if err := s.client.DoseConflict.Update().Where(doseconflict.IDIn(replaced...)).
			SetStatus(doseconflict.StatusReplaced).SetResolvedAt(s.now).Exec(s.sys); err != nil {
			return fmt.Errorf("replace correction conflicts: %w", err)
		}
		if err := s.client.DoseRecord.Update().Where(doserecord.IDIn(setAside...)).
			SetPending(false).SetSupersededAt(s.now).Exec(s.sys); err != nil {
			return fmt.Errorf("set aside re-sends: %w", err)
		}
	}
	for i := 0; i < len(creates); i += 1000 {
		if err := s.client.DoseConflict.CreateBulk(creates[i:min(i+1000, len(creates))]...).Exec(s.sys); err != nil {
			return fmt.Errorf("store correction conflicts: %w", err)
		}
	}
	return nil
}
