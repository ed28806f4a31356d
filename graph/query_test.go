package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// mustPopulate creates one establishment with n workers employed there, each
// with 15 monthly whole-body dose records, and returns the establishment.
func mustPopulate(t *testing.T, client *ent.Client, n int) *ent.Establishment {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	est := client.Establishment.Create().SetSiret(siret).SetName("CHU").SaveX(ctx)
	workers := make([]*ent.WorkerCreate, n)
	for i := range workers {
		workers[i] = client.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(fmt.Sprintf("NTT%05d", i)).
			SetLastName(fmt.Sprintf("Nom%04d", i)).SetFirstNames("Prénom").SetBirthDate(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)).SetSex("F")
	}
	ws := client.Worker.CreateBulk(workers...).SaveX(ctx)
	var emps []*ent.EmploymentCreate
	var doses []*ent.DoseRecordCreate
	for _, w := range ws {
		emps = append(emps, client.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).
			SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).SetContractType("CDI").
			SetNomenclatureVersion("V1").SetClassification("A").SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}))
		for m := 0; m < 15; m++ {
			start := time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)
			doses = append(doses, client.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).
				SetSource("LABORATORY").SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").
				SetValueUsv(int64(50*m)).SetStatus("MEASURED").SetPeriodStart(start).SetPeriodEnd(start.AddDate(0, 1, -1)))
		}
	}
	client.Employment.CreateBulk(emps...).ExecX(ctx)
	for i := 0; i < len(doses); i += 1000 {
		client.DoseRecord.CreateBulk(doses[i:min(i+1000, len(doses))]...).ExecX(ctx)
	}
	return est
}

// TestStatementsPerPage proves that listing an establishment's workers with
// each worker's last 12 dose records costs the same number of SQL statements
// for page sizes 10, 100 and 500: nested connections are loaded in one query
// per level (entgql field collection), never one per worker.
func TestStatementsPerPage(t *testing.T) {
	var counter *store.CountingDriver
	db := storetest.MustOpen(t, store.WithDriverWrapper(func(d dialect.Driver) dialect.Driver {
		counter = store.NewCountingDriver(d)
		return counter
	}))
	est := mustPopulate(t, db.Client, 520)
	srv := servertest.MustStart(t, db)
	// A physician following the establishment: every query carries the row scope.
	servertest.MustCreateAccount(t, db.Client, "mdt@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) {
		g.SetEstablishmentID(est.ID)
	})
	c := srv.NewClient(t)
	c.MustLogin("mdt@test.fr", servertest.Password)
	const q = `query($est: ID!, $n: Int!) {
	  workers(first: $n, orderBy: [{field: LAST_NAME}], where: {hasEmploymentsWith: {establishmentID: $est}}) {
	    totalCount
	    pageInfo { hasNextPage endCursor }
	    edges { node { id lastName
	      doseRecords(last: 12, orderBy: [{field: PERIOD_START}]) {
	        totalCount
	        edges { node { periodStart valueUsv valueMsv quantity } }
	      }
	    } }
	  }
	}`
	counts := map[int]int64{}
	for _, n := range []int{10, 100, 500} {
		var out struct {
			Workers struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						DoseRecords struct {
							TotalCount int
							Edges      []struct{ Node struct{ PeriodStart string } }
						}
					}
				}
			}
		}
		counter.Reset()
		c.MustDo(q, map[string]any{"est": est.ID, "n": n}, &out)
		counts[n] = counter.Count()
		if got := len(out.Workers.Edges); got != n || out.Workers.TotalCount != 520 {
			t.Fatalf("page %d: %d workers of %d", n, got, out.Workers.TotalCount)
		}
		last := out.Workers.Edges[n-1].Node.DoseRecords
		if len(last.Edges) != 12 || last.TotalCount != 15 || last.Edges[11].Node.PeriodStart != "2025-03-01" {
			t.Fatalf("page %d: last worker has %d of %d doses, last %+v", n, len(last.Edges), last.TotalCount, last.Edges)
		}
	}
	t.Logf("SQL statements per request: %v", counts)
	if counts[10] != counts[100] || counts[100] != counts[500] {
		t.Errorf("statements per page size = %v, want the same count for 10, 100 and 500", counts)
	}
}

func TestOperationLimits(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "analyste@test.fr", policy.RoleAnalyst, nil)
	c := srv.NewClient(t)
	c.MustLogin("analyste@test.fr", servertest.Password)
	deep := "{ workers(first: 1) { edges { node { employments(first: 1) { edges { node { establishment { employments(first: 1) { edges { node { worker { employments(first: 1) { edges { node { id } } } } } } } } } } } } } } }"
	for name, q := range map[string]string{
		"ErrNoPageSize":   `{ workers { totalCount } }`,
		"ErrNestedNoPage": `{ workers(first: 5) { edges { node { doseRecords { totalCount } } } } }`,
		"ErrPageTooLarge": `{ workers(first: 5000) { totalCount } }`,
		"ErrTooDeep":      deep,
		"ErrTooComplex":   `{ workers(first: 1000) { edges { node { doseRecords(first: 1000) { edges { node { id valueUsv periodStart } } } } } } }`,
		"ErrUnknownField": `{ workers(first: 1) { edges { node { salaire } } } }`,
	} {
		t.Run(name, func(t *testing.T) {
			// Ensure the operation is refused before execution with a French message.
			res := c.Do(q, nil)
			if res.Code() != "BAD_USER_INPUT" && res.Code() != "COMPLEXITY_LIMIT_EXCEEDED" {
				t.Fatalf("code = %q, want BAD_USER_INPUT (%+v)", res.Code(), res.Errors)
			}
			if res.Data != nil && string(res.Data) != "null" {
				t.Errorf("data = %s, want none", res.Data)
			}
		})
	}
	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		// Ensure an oversized request body is refused.
		body := `{"query":"{ me { roles } }","variables":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status = %d, want 413", res.StatusCode)
		}
	})
}

func TestNodes(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	c := srv.NewClient(t)
	c.MustLogin("admin@test.fr", servertest.Password)
	est := mustPopulate(t, db.Client, 2)
	var list struct {
		Workers struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	c.MustDo(`{ workers(first: 2) { edges { node { id } } } }`, nil, &list)
	wid := list.Workers.Edges[0].Node.ID
	var out struct {
		Nodes []struct {
			Typename string `json:"__typename"`
			ID       string
		}
	}
	c.MustDo(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, map[string]any{"ids": []any{wid, est.ID}}, &out)
	if len(out.Nodes) != 2 || out.Nodes[0].Typename != "Worker" || out.Nodes[1].Typename != "Establishment" {
		t.Fatalf("nodes = %+v, want a Worker then an Establishment", out.Nodes)
	}
	if wid == fmt.Sprint(est.ID) {
		t.Fatal("global IDs collide across types")
	}
	res := c.Do(`{ node(id: 999999999) { id } }`, nil)
	if res.Code() != "NOT_FOUND" {
		t.Errorf("unknown node: code = %q, want NOT_FOUND", res.Code())
	}
}
