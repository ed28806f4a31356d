package graph_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/policy"
)

// TestBatchFindingsAccessAndLinkedAnomalies checks who reads the findings on
// laboratory batches (the laboratory that sent the batch and the agency, never
// employers nor advisers) and that the worker findings a batch finding
// explains leave the default anomalies list, and come back when the filter
// names the link (issue 14, batch-level checks).
func TestBatchFindingsAccessAndLinkedAnomalies(t *testing.T) {
	w := mustRegWorld(t)
	p := w.newPerson(time.Date(1985, 3, 1, 0, 0, 0, 0, time.UTC), "F")
	w.declare(t, regEmployerA, siretA, p, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{})
	c, ctx := w.client, w.ctx
	labAccount := c.Grant.Query().AllX(ctx)
	var submitter int
	for _, g := range labAccount {
		if g.Role == policy.RoleLaboratory {
			submitter = g.AccountID
		}
	}
	batch := c.ImportBatch.Create().SetSubmitterID(submitter).SetLaboratoryID(w.labID).SetFormat("LAB_RESULTS").
		SetReference("LOT-ZEROS").SetStatus("ACCEPTED").SaveX(ctx)
	bf := c.BatchFinding.Create().SetImportBatchID(batch.ID).SetLaboratoryID(w.labID).SetKind("BATCH_ZERO_SHARE").
		SetContextKey("S|MED-RI|PASSIVE_WHOLE_BODY|1").SetMonitoringKind("PASSIVE_WHOLE_BODY").SetSectorCode("MED-RI").
		SetPeriodMonths(1).SetDirection("UP").SetPValue(1e-12).SetStatistics(map[string]any{"batchShare": 0.62}).
		SetExplanation("Dans ce lot, 62 % des résultats sont nuls contre 18 % dans les 6 lots précédents du laboratoire.").SaveX(ctx)
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	mk := func(fp string) int {
		return c.Anomaly.Create().SetWorkerID(p.id).SetEstablishmentID(w.estA.ID).SetLayer("HISTORY").SetKind("ZERO_RUN").
			SetSeverity("MEDIUM").SetExplanation("5 résultats consécutifs sous le seuil d'enregistrement.").SetFingerprint(fp).
			SetPeriodStart(start).SetPeriodEnd(start.AddDate(0, 5, -1)).SaveX(ctx).ID
	}
	alone := mk("zero-run-alone")
	linked := mk("zero-run-linked")
	c.Anomaly.UpdateOneID(linked).SetBatchFindingID(bf.ID).ExecX(ctx)

	type conn struct {
		TotalCount int
		Edges      []struct{ Node struct{ ID string } }
	}
	const list = `{ batchFindings(first: 10) { totalCount edges { node { id kind explanation direction } } } }`
	for _, who := range []string{regLab, regAnalyst, regAdmin} {
		var out struct{ BatchFindings conn }
		w.must(t, who, list, nil, &out)
		if out.BatchFindings.TotalCount != 1 || out.BatchFindings.Edges[0].Node.ID != strconv.Itoa(bf.ID) {
			t.Errorf("%s reads %+v, want the batch finding %d", who, out.BatchFindings, bf.ID)
		}
	}
	// The SPA's page (frontend/src/features/batch-findings) for the laboratory and the agency.
	const page = `query BatchFindings($after: Cursor) {
		batchFindings(first: 20, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
			totalCount edges { node { id createdAt importBatchID kind contextLabel direction pValue explanation status laboratory { id name } } }
			pageInfo { hasNextPage endCursor } } }`
	for _, who := range []string{regLab, regAnalyst, regAdmin} {
		var out struct{ BatchFindings conn }
		w.must(t, who, page, nil, &out)
		if out.BatchFindings.TotalCount != 1 {
			t.Errorf("%s: the SPA's page reads %d batch findings", who, out.BatchFindings.TotalCount)
		}
	}
	for _, who := range []string{regEmployerA, regAdviserA, regPhysician} {
		res := w.as(t, who).Do(list, nil)
		if res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("%s: batchFindings answered code %q, data %s; want FORBIDDEN_FIELD", who, res.Code(), res.Data)
		}
	}
	// The laboratory reads the findings of its batch from the batch.
	var batches struct {
		ImportBatches struct {
			Edges []struct {
				Node struct {
					Reference string
					Findings  []struct{ Kind, Explanation string }
				}
			}
		}
	}
	w.must(t, regLab, `{ importBatches(first: 10) { edges { node { reference findings { kind explanation } } } } }`, nil, &batches)
	if e := batches.ImportBatches.Edges; len(e) != 1 || len(e[0].Node.Findings) != 1 || e[0].Node.Findings[0].Kind != "BATCH_ZERO_SHARE" ||
		!strings.HasPrefix(e[0].Node.Findings[0].Explanation, "Dans ce lot") {
		t.Errorf("the laboratory's batch and its findings: %+v", e)
	}

	// The default list leaves the linked worker finding out; filtering on the
	// link brings it back.
	ids := func(who, query string) []string {
		var out struct{ Anomalies conn }
		w.must(t, who, query, nil, &out)
		var got []string
		for _, e := range out.Anomalies.Edges {
			got = append(got, e.Node.ID)
		}
		return got
	}
	for _, who := range []string{regPhysician, regAdviserA, regAnalyst} {
		if got := ids(who, `{ anomalies(first: 10) { totalCount edges { node { id } } } }`); len(got) != 1 || got[0] != strconv.Itoa(alone) {
			t.Errorf("%s: default anomalies %v, want only %d (the linked %d left out)", who, got, alone, linked)
		}
		if got := ids(who, `{ anomalies(first: 10, where: {batchFindingIDNotNil: true}) { totalCount edges { node { id } } } }`); len(got) != 1 || got[0] != strconv.Itoa(linked) {
			t.Errorf("%s: linked anomalies %v, want %d", who, got, linked)
		}
	}
	if got := ids(regAnalyst, `{ anomalies(first: 10, where: {hasBatchFinding: true}) { totalCount edges { node { id } } } }`); len(got) != 1 || got[0] != strconv.Itoa(linked) {
		t.Errorf("analyst: hasBatchFinding anomalies %v, want %d", got, linked)
	}
	var explained struct {
		BatchFindings struct {
			Edges []struct {
				Node struct{ Anomalies conn }
			}
		}
	}
	w.must(t, regAnalyst, `{ batchFindings(first: 1) { edges { node { anomalies(first: 10) { totalCount edges { node { id } } } } } } }`, nil, &explained)
	if e := explained.BatchFindings.Edges; len(e) != 1 || e[0].Node.Anomalies.TotalCount != 1 || e[0].Node.Anomalies.Edges[0].Node.ID != strconv.Itoa(linked) {
		t.Errorf("the analyst reads the findings the batch finding explains: %+v", e)
	}
	// The employer's mention of the link is the explanation's; the link
	// itself is not theirs to read.
	if res := w.as(t, regEmployerA).Do(`{ anomalies(first: 10, where: {hasBatchFinding: true}) { totalCount } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
		t.Errorf("employer filtering on the batch finding: code %q, data %s", res.Code(), res.Data)
	}
}
