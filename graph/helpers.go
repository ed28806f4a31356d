package graph

import (
	"context"

	"github.com/siseri/siseri/backend/apperr"
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
	out := &model.Viewer{Account: acc, Roles: v.RoleNames()}
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
