package graph_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// TestSQLiteSmoke runs the API on the embedded SQLite database: sign-in and
// sign-out (mutations inside the request transaction), a declaration and a
// nested list.
func TestSQLiteSmoke(t *testing.T) {
	db := storetest.MustOpenSQLite(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	c := srv.NewClient(t)
	c.MustLogin("admin@test.fr", servertest.Password)
	var est struct{ CreateEstablishment struct{ ID string } }
	c.MustDo(`mutation { createEstablishment(input: {siret: "`+siret+`", name: "CHU"}) { id } }`, nil, &est)
	servertest.MustCreateAccount(t, db.Client, "rh@test.fr", policy.RoleEmployer, func(g *ent.GrantCreate) {
		g.SetEstablishmentID(mustAtoi(t, est.CreateEstablishment.ID))
	})
	rh := srv.NewClient(t)
	rh.MustLogin("rh@test.fr", servertest.Password)
	var w struct{ W struct{ ID string } }
	rh.MustDo(`mutation { w: createWorker(input: {nir: "`+nirOK+`", lastName: "Martin", firstNames: "Claire", birthDate: "1984-12-03", sex: M}) { id } }`,
		nil, &w)
	rh.MustDo(`mutation($w: ID!, $e: ID!) { createEmployment(input: {workerID: $w, establishmentID: $e, startDate: "2024-01-01",
		contractType: CDI, nomenclatureVersion: "V", classification: B, monitoringKinds: []}) { id } }`,
		map[string]any{"w": w.W.ID, "e": est.CreateEstablishment.ID}, nil)
	res := c.Do(`mutation { createEstablishment(input: {siret: "73282932000075", name: "X"}) { id } }`, nil)
	assertBadInput(t, res, "input.siret", "73282932000075")
	var out struct {
		Establishments struct{ TotalCount int }
		Workers        struct {
			Edges []struct {
				Node struct{ Nir string }
			}
		}
	}
	rh.MustDo(`{ establishments(first: 10) { totalCount } workers(first: 10) { edges { node { nir employments(first: 5) { totalCount } } } } }`, nil, &out)
	if out.Establishments.TotalCount != 1 || len(out.Workers.Edges) != 1 || out.Workers.Edges[0].Node.Nir != nirOK {
		t.Fatalf("data = %+v", out)
	}
	c.MustDo(`mutation { logout }`, nil, nil)
	if res := c.Do(`{ me { roles } }`, nil); res.Code() != "UNAUTHENTICATED" {
		t.Errorf("after logout: %q", res.Code())
	}
}

// TestAcceptHeaders ensures a client that lists text/event-stream among the
// types it accepts (urql does) still gets a JSON answer and the session cookie,
// while one that asks for an event stream first gets server-sent events.
func TestAcceptHeaders(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	login := `{"query":"mutation { login(input: {email: \"admin@test.fr\", password: \"` + servertest.Password + `\"}) { token } }"}`
	for _, tc := range []struct{ accept, wantType string }{
		{"application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed", "application/graphql-response+json"},
		{"text/event-stream", "text/event-stream"},
	} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(login))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", tc.accept)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, res)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.wantType) || !strings.Contains(body, "ses_") || strings.Contains(body, "INTERNAL") {
			t.Errorf("Accept %q: Content-Type %q, body %s", tc.accept, ct, truncate(body, 120))
		}
		if tc.wantType != "text/event-stream" && !strings.Contains(res.Header.Get("Set-Cookie"), "siseri_session=") {
			t.Errorf("Accept %q: no session cookie", tc.accept)
		}
	}
}
