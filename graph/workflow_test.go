package graph_test

import (
	"context"
	"testing"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

func TestAnomalyWorkflow(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	est := mustPopulate(t, db.Client, 1)
	w := db.Client.Worker.Query().OnlyX(ctx)
	created, err := anomaly.Store(ctx, db.Client, []anomaly.Finding{
		{Kind: anomaly.KindLimitExceeded, Layer: anomaly.LayerRegulatory, Severity: anomaly.SeverityCritical, WorkerID: w.ID,
			EstablishmentID: est.ID, Explanation: "Limite de dose efficace dépassée.", Identity: []string{"a"}},
		{Kind: anomaly.KindContext, Layer: anomaly.LayerContext, Severity: anomaly.SeverityMedium, WorkerID: w.ID,
			EstablishmentID: est.ID, Explanation: "Dose rare dans son contexte.", Identity: []string{"b"}},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	exceedance, outlier := created[0].ID, created[1].ID
	scope := func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) }
	servertest.MustCreateAccount(t, db.Client, "pcr@test.fr", policy.RoleRPA, scope)
	servertest.MustCreateAccount(t, db.Client, "mdt@test.fr", policy.RolePhysician, scope)
	servertest.MustCreateAccount(t, db.Client, "rh@test.fr", policy.RoleEmployer, scope)
	pcr, mdt, rh := srv.NewClient(t), srv.NewClient(t), srv.NewClient(t)
	pcr.MustLogin("pcr@test.fr", servertest.Password)
	mdt.MustLogin("mdt@test.fr", servertest.Password)
	rh.MustLogin("rh@test.fr", servertest.Password)
	const ack = `mutation($id: ID!) { acknowledgeAnomaly(id: $id) { status acknowledgedBy { email } } }`
	const resolve = `mutation($id: ID!, $r: AnomalyResolution!, $c: String!) { resolveAnomaly(id: $id, resolution: $r, comment: $c) { status resolutionComment resolvedAt } }`

	t.Run("OKAcknowledge", func(t *testing.T) {
		var out struct {
			AcknowledgeAnomaly struct {
				Status         string
				AcknowledgedBy struct{ Email string }
			}
		}
		pcr.MustDo(ack, map[string]any{"id": exceedance}, &out)
		if out.AcknowledgeAnomaly.Status != "ACKNOWLEDGED" {
			t.Errorf("status = %q", out.AcknowledgeAnomaly.Status)
		}
		if res := pcr.Do(ack, map[string]any{"id": exceedance}); res.Code() != "CONFLICT" {
			t.Errorf("second acknowledgement: %q, want CONFLICT", res.Code())
		}
	})
	t.Run("ErrAdviserConfirmsExceedance", func(t *testing.T) {
		res := pcr.Do(resolve, map[string]any{"id": exceedance, "r": "CONFIRMED", "c": "vu"})
		if res.Code() != "FORBIDDEN" {
			t.Errorf("code = %q, want FORBIDDEN (only the physician confirms)", res.Code())
		}
	})
	t.Run("ErrNoComment", func(t *testing.T) {
		if res := mdt.Do(resolve, map[string]any{"id": exceedance, "r": "CONFIRMED", "c": "  "}); res.Code() != "BAD_USER_INPUT" {
			t.Errorf("code = %q, want BAD_USER_INPUT", res.Code())
		}
	})
	t.Run("OKPhysicianConfirms", func(t *testing.T) {
		var out struct {
			ResolveAnomaly struct{ Status, ResolutionComment string }
		}
		mdt.MustDo(resolve, map[string]any{"id": exceedance, "r": "NOT_CONFIRMED", "c": "Dosimètre resté dans la salle."}, &out)
		if out.ResolveAnomaly.Status != "NOT_CONFIRMED" {
			t.Errorf("status = %q", out.ResolveAnomaly.Status)
		}
	})
	t.Run("OKAdviserFalsePositive", func(t *testing.T) {
		if res := pcr.Do(resolve, map[string]any{"id": outlier, "r": "NOT_CONFIRMED", "c": "x"}); res.Code() != "BAD_USER_INPUT" {
			t.Errorf("NOT_CONFIRMED on a statistical finding: %q", res.Code())
		}
		pcr.MustDo(resolve, map[string]any{"id": outlier, "r": "FALSE_POSITIVE", "c": "Intervention programmée."}, nil)
	})
	t.Run("ErrEmployer", func(t *testing.T) {
		if res := rh.Do(ack, map[string]any{"id": exceedance}); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("employer acknowledging: %q, want FORBIDDEN_FIELD", res.Code())
		}
		var out struct {
			Anomalies struct {
				Edges []struct{ Node struct{ Kind string } }
			}
		}
		rh.MustDo(`{ anomalies(first: 10) { edges { node { kind status } } } }`, nil, &out)
		if len(out.Anomalies.Edges) != 1 || out.Anomalies.Edges[0].Node.Kind != "LIMIT_EXCEEDED" {
			t.Errorf("employer sees %+v, want only the exceedance", out.Anomalies.Edges)
		}
	})
}
