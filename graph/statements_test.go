package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/importbatch"
	"github.com/siseri/siseri/policy"
)

// spaOperation is one query of the web application, as a self-contained
// document (the operation and the fragments it spreads).
type spaOperation struct {
	name string
	op   *ast.OperationDefinition
	frag []*ast.FragmentDefinition
}

// spaQueries returns every query the web application sends.
func spaQueries(t *testing.T) []spaOperation {
	t.Helper()
	fragments := map[string]*ast.FragmentDefinition{}
	var ops []*ast.OperationDefinition
	for file, sources := range spaDocuments(t) {
		for _, src := range sources {
			doc, err := parser.ParseQuery(&ast.Source{Name: file, Input: src})
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for _, f := range doc.Fragments {
				fragments[f.Name] = f
			}
			ops = append(ops, doc.Operations...)
		}
	}
	var out []spaOperation
	for _, op := range ops {
		if op.Operation != ast.Query {
			continue
		}
		o := spaOperation{name: op.Name, op: op}
		for _, name := range usedFragments(op.SelectionSet, fragments, map[string]bool{}) {
			o.frag = append(o.frag, fragments[name])
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// withPageSize returns the operation's text with the page size of its
// outermost lists set to n: a literal `first` becomes n, and a `$first`
// variable is reported so that the caller sets it. Nested lists keep their
// size (a worker's last three employments stay three).
func (o spaOperation) withPageSize(n int) (query string, firstVars []string) {
	var walk func(set ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if a := s.Arguments.ForName("first"); a != nil {
					if a.Value.Kind == ast.Variable {
						firstVars = append(firstVars, a.Value.Raw)
					} else {
						a.Value = &ast.Value{Kind: ast.IntValue, Raw: strconv.Itoa(n)}
					}
					continue
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	cp := copyOperation(o.op)
	walk(cp.SelectionSet)
	var b bytes.Buffer
	formatter.NewFormatter(&b).FormatQueryDocument(&ast.QueryDocument{
		Operations: ast.OperationList{cp}, Fragments: o.frag,
	})
	return b.String(), firstVars
}

// copyOperation deep-copies an operation through its printed form, so that
// rewriting its arguments leaves the parsed original intact.
func copyOperation(op *ast.OperationDefinition) *ast.OperationDefinition {
	var b bytes.Buffer
	formatter.NewFormatter(&b).FormatQueryDocument(&ast.QueryDocument{Operations: ast.OperationList{op}})
	doc, err := parser.ParseQuery(&ast.Source{Input: b.String()})
	if err != nil {
		panic(err)
	}
	return doc.Operations[0]
}

// countNodes counts the objects under "node" keys and the items of lists in a
// response: the rows a request returned.
func countNodes(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if k == "node" || k == "nodes" {
				n++
			}
			n += countNodes(c)
		}
	case []any:
		for _, c := range x {
			n += countNodes(c)
		}
	}
	return n
}

// TestSPAStatementsPerPage runs every query of the web application, as every
// demo role entitled to it, at page sizes 10, 100 and 500 against PostgreSQL,
// and fails when the number of SQL statements a request sends grows with the
// page size: per-row fields (a worker's exposure, a dose's establishment, an
// alert's worker) are loaded for the whole page at once, never row by row.
func TestSPAStatementsPerPage(t *testing.T) {
	var counter *store.CountingDriver
	db := storetest.MustOpen(t, store.WithDriverWrapper(func(d dialect.Driver) dialect.Driver {
		counter = store.NewCountingDriver(d)
		return counter
	}))
	ctx := policy.SystemContext(context.Background())
	opts := seed.DefaultOptions()
	opts.Workers, opts.Months = 1200, 24
	if _, err := seed.IfEmpty(ctx, db.Client, opts, nil); err != nil {
		t.Fatal(err)
	}
	srv := servertest.MustStart(t, db)
	vars := spaVariables(t, ctx, db.Client)

	sizes := []int{10, 100, 500}
	type run struct {
		op, email string
		stmts     [3]int64
		rows      [3]int
	}
	var runs []run
	forbidden := map[string]int{}
	for _, demo := range seed.DemoAccounts {
		c := srv.NewClient(t)
		c.MustLogin(demo.Email, seed.DemoPassword)
		for _, o := range spaQueries(t) {
			r := run{op: o.name, email: demo.Email}
			ok := true
			for i, n := range sizes {
				q, firstVars := o.withPageSize(n)
				v := vars(demo.Email, o.op)
				for _, name := range firstVars {
					v[name] = n
				}
				c.Do(q, v) // warm: the session's touch, caches
				counter.Reset()
				res := c.Do(q, v)
				r.stmts[i] = counter.Count()
				if len(res.Errors) > 0 {
					if code := res.Code(); code == "FORBIDDEN_FIELD" || code == "FORBIDDEN" || code == "NOT_FOUND" {
						forbidden[o.name]++
						ok = false
						break
					}
					t.Fatalf("%s as %s at page %d: %+v\n%s", o.name, demo.Email, n, res.Errors, q)
				}
				var data any
				if err := json.Unmarshal(res.Data, &data); err != nil {
					t.Fatal(err)
				}
				r.rows[i] = countNodes(data)
			}
			if ok {
				runs = append(runs, r)
			}
		}
	}
	ran := map[string]bool{}
	var grew int
	for _, r := range runs {
		ran[r.op] = true
		t.Logf("%-26s %-28s statements %v rows %v", r.op, r.email, r.stmts, r.rows)
		if r.stmts[0] != r.stmts[1] || r.stmts[1] != r.stmts[2] {
			t.Errorf("%s as %s: statements at page 10/100/500 = %v (rows %v), want the same count",
				r.op, r.email, r.stmts, r.rows)
		}
		if r.rows[2] > r.rows[1] && r.rows[1] > r.rows[0] {
			grew++
		}
	}
	for _, o := range spaQueries(t) {
		if !ran[o.name] {
			t.Errorf("%s: no demo role may run it (refused %d times)", o.name, forbidden[o.name])
		}
	}
	// The check means something only if pages were really fuller at 500.
	if grew < 8 {
		t.Errorf("only %d runs returned more rows at each larger page, want at least 8", grew)
	}
}

// spaVariables returns the variables of an operation run by a demo account:
// its own worker for a worker, a followed worker for the others, the
// establishments of its grants, a batch of its laboratory.
func spaVariables(t *testing.T, ctx context.Context, client *ent.Client) func(email string, op *ast.OperationDefinition) map[string]any {
	t.Helper()
	worker := client.Account.Query().Where(account.Email("travailleur@demo.siseri.fr")).OnlyX(ctx).WorkerID
	if worker == nil {
		t.Fatal("the demo worker account has no worker")
	}
	ests := map[string][]int{}
	for _, a := range client.Account.Query().WithGrants().AllX(ctx) {
		for _, g := range a.Edges.Grants {
			if g.EstablishmentID != nil {
				ests[a.Email] = append(ests[a.Email], *g.EstablishmentID)
			}
		}
	}
	batch := client.ImportBatch.Query().Order(ent.Asc(importbatch.FieldID)).FirstIDX(ctx)
	from := time.Now().AddDate(-2, 0, 0).Format(time.DateOnly)
	// The activation page's query reads the account of a pending invitation.
	invited := client.Account.Create().SetEmail("invitee@test.fr").SetDisplayName("Invitée").SaveX(ctx)
	token, _, err := auth.NewService(client).IssueActivation(ctx, invited.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return func(email string, op *ast.OperationDefinition) map[string]any {
		all := map[string]any{
			"first": 0, "id": *worker, "workerID": *worker, "batchID": batch, "withDoses": true,
			"from": from, "to": time.Now().Format(time.DateOnly), "region": "84", "token": token, "missing": "MISSING_RESULT",
			"fromTime": from + "T00:00:00Z",
			"states":   []string{"APPROACHING", "EXCEEDED"},
			"orderBy":  []map[string]any{{"field": "LAST_NAME", "direction": "ASC"}},
		}
		if e := ests[email]; len(e) > 0 {
			all["establishmentID"] = e[0]
			all["ids"] = e
		} else {
			all["establishmentID"] = ests["pcr@demo.siseri.fr"][0]
			all["ids"] = nil
		}
		all["establishmentId"] = all["establishmentID"]
		out := map[string]any{}
		for _, v := range op.VariableDefinitions {
			if v.Variable == "orderBy" && v.Type.Name() != "WorkerOrder" {
				continue // the application's default order
			}
			if x, ok := all[v.Variable]; ok {
				out[v.Variable] = x
			} else if v.Type.NonNull {
				panic(fmt.Sprintf("%s: no value for $%s", op.Name, v.Variable))
			}
		}
		return out
	}
}
