package graph

import (
	"context"
	"github.com/siseri/siseri/backend/anomaly"
	"math"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/graph/model"
	"github.com/siseri/siseri/policy"
)

// msv converts an integer of µSv to mSv for display.
func msv(usv int64) float64 { return float64(usv) / 1000 }

// viewer describes the signed-in caller.
func (r *Resolver) viewer(ctx context.Context) (*model.Viewer, error) {
	v := policy.FromContext(ctx)
	if v == nil {
		return nil, errUnauthenticated
	}
	return r.viewerOf(ctx, v)
}

// viewerOf describes v.
func (r *Resolver) viewerOf(ctx context.Context, v *policy.Viewer) (*model.Viewer, error) {
	acc, err := r.Client.Account.Get(policy.SystemContext(ctx), v.AccountID)
	if err != nil {
		return nil, err
	}
	need, enabled, left, err := r.Auth.SecondFactorStatus(ctx, v)
	if err != nil {
		return nil, err
	}
	out := &model.Viewer{Account: acc, Roles: v.RoleNames(), TotpEnabled: enabled, RecoveryCodesLeft: left}
	if need != "" {
		sf := model.SecondFactorRequirement(need)
		out.SecondFactor = &sf
	}
	if v.Role != "" {
		role := v.Role
		out.ActiveRole = &role
	}
	for _, g := range v.Grants {
		vg := &model.ViewerGrant{Role: g.Role, ValidFrom: g.ValidFrom, ValidTo: g.ValidTo}
		if g.EstablishmentID != 0 {
			vg.EstablishmentID = &g.EstablishmentID
		}
		if g.WorkerID != 0 {
			vg.WorkerID = &g.WorkerID
		}
		if g.LaboratoryID != 0 {
			vg.LaboratoryID = &g.LaboratoryID
		}
		if g.Region != "" {
			vg.Region = &g.Region
		}
		out.Grants = append(out.Grants, vg)
	}
	return out, nil
}

var errUnauthenticated = apperr.New(apperr.Unauthenticated, "Vous devez vous connecter pour accéder à SISERI.")

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func optMsv(usv float64) *float64 {
	if usv <= 0 {
		return nil
	}
	// Quantiles of a digest are estimates: whole µSv, like the doses.
	v := math.Round(usv) / 1000
	return &v
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// contextStats converts statistics for the API (mSv).
func contextStats(stats []anomaly.Stat) []*model.ContextStats {
	out := make([]*model.ContextStats, len(stats))
	for i, s := range stats {
		out[i] = &model.ContextStats{
			SectorCode: optString(s.SectorCode), SectorLabel: optString(s.SectorLabel),
			JobCode: optString(s.JobCode), JobLabel: optString(s.JobLabel),
			MonitoringKind: s.MonitoringKind, PeriodMonths: s.PeriodMonths, Doses: s.Doses, NonZeroDoses: s.NonZero,
			MeanMsv: math.Round(s.MeanUSv) / 1000, MedianMsv: optMsv(s.MedianUSv), P90Msv: optMsv(s.P90USv), P99Msv: optMsv(s.P99USv),
		}
	}
	return out
}

// ownWorker reports whether workerID is the viewer themself (a WORKER grant).
func ownWorker(v *policy.Viewer, workerID int) bool {
	for _, g := range v.Scope() {
		if g.WorkerID == workerID {
			return true
		}
	}
	return false
}

// invitationOf is the GraphQL form of an invitation just issued.
func invitationOf(inv *auth.Invitation) *model.Invitation {
	return &model.Invitation{Account: inv.Account, ActivationLink: inv.Link, ExpiresAt: inv.ExpiresAt}
}
