package accesstest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/ent/auditsubject"
	"github.com/siseri/siseri/policy"
)

// TestAccess builds one world (database, server, accounts, keys) and runs the
// whole authorization suite on it, sequentially.
func TestAccess(t *testing.T) {
	start := time.Now()
	w := mustBuildWorld(t)
	schema := liveSchema()
	t.Logf("fixture: %d rows, %d subjects, built in %v", len(w.entities()), len(w.subjects), time.Since(start).Round(time.Millisecond))

	t.Run("FieldMatrix", func(t *testing.T) { testFieldMatrix(t, w, schema) })
	t.Run("FilterAndOrderMatrix", func(t *testing.T) { testFilterOrderMatrix(t, w, schema) })
	t.Run("RootFields", func(t *testing.T) { testRootFields(t, w) })
	t.Run("Nodes", func(t *testing.T) { testNodes(t, w) })
	t.Run("Mutations", func(t *testing.T) { testMutations(t, w, schema) })
	t.Run("MovingWorker", func(t *testing.T) { testMovingWorker(t, w) })
	t.Run("ContractorShare", func(t *testing.T) { testContractorShare(t, w) })
	t.Run("EdgeFilterOracles", func(t *testing.T) { testEdgeFilterOracles(t, w, schema) })
	t.Run("PartnerProfiles", func(t *testing.T) { testPartnerProfiles(t, w) })
	t.Run("Subscriptions", func(t *testing.T) { testSubscriptions(t, w) })
	t.Run("Introspection", func(t *testing.T) { testIntrospection(t, w, schema) })
	t.Run("Oracle", func(t *testing.T) { testOracle(t, w.tally) })

	t.Logf("authorization matrix: %d requests, %d assertions, %d leaks (in %v)",
		w.tally.requests, w.tally.assertions, w.tally.leaks, time.Since(start).Round(time.Millisecond))
}

// listFields returns the Query connection fields, sorted.
func listFields(schema *ast.Schema) []*ast.FieldDefinition {
	var out []*ast.FieldDefinition
	for _, f := range schema.Query.Fields {
		if strings.HasSuffix(f.Type.Name(), "Connection") {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// listArgs returns the required arguments of a list field, followed by ", "
// ("workerID: <W1>, " for auditTrail).
func (w *world) listArgs(lf *ast.FieldDefinition) string {
	var out string
	for _, a := range lf.Arguments {
		if !a.Type.NonNull || a.DefaultValue != nil {
			continue
		}
		switch a.Name {
		case "workerID":
			out += fmt.Sprintf("%s: %d, ", a.Name, w.w1)
		default:
			panic("accesstest: no value for required argument " + lf.Name + "(" + a.Name + ")")
		}
	}
	return out
}

// selection returns how to select field f in a query, and the object type it
// leads to ("" for scalars and connections, whose totalCount is plumbing).
func selection(schema *ast.Schema, f *ast.FieldDefinition) (sel, target string) {
	name := f.Type.Name()
	if strings.HasSuffix(name, "Connection") {
		return f.Name + "(first: 5) { totalCount }", ""
	}
	if def := schema.Types[name]; def != nil && (def.Kind == ast.Object || def.Kind == ast.Interface) {
		if def.Fields.ForName("id") == nil {
			// A value type without identity (LimitStatus, MonthlyDose): the
			// field decides alone; its own fields are in the entitlement table.
			return f.Name + " { __typename }", ""
		}
		return f.Name + " { id }", name
	}
	return f.Name, ""
}

// expectDenied is what the pre-execution guard should refuse, by the table, in
// { list(first: 100) { edges { node { id <f> } } } }: it names the first
// refused field of each branch and does not descend below it.
//
// An edge the table refuses whose target id the table refuses too may be
// named either way: the second result maps the edge to its target's id.
func expectDenied(s *subject, list, typ string, f *ast.FieldDefinition, target string) (map[string]bool, map[string]string) {
	den, alt := map[string]bool{}, map[string]string{}
	if !s.may("Query", list) {
		den["Query."+list] = true
		return den, alt
	}
	if !s.may(typ, "id") {
		den[typ+".id"] = true
	}
	if f == nil || f.Name == "id" {
		return den, alt
	}
	switch {
	case !s.may(typ, f.Name):
		den[typ+"."+f.Name] = true
		if target != "" && !s.may(target, "id") {
			alt[typ+"."+f.Name] = target + ".id"
		}
	case target != "" && !s.may(target, "id"):
		den[target+".id"] = true
	}
	return den, alt
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sameDenials reports whether the server named exactly the expected objects,
// an expected edge being matched by its alternative (its target's id).
func sameDenials(got, want map[string]bool, alt map[string]string) bool {
	matched := map[string]bool{}
	for k := range want {
		switch {
		case got[k]:
			matched[k] = true
		case alt[k] != "" && got[alt[k]]:
			matched[alt[k]] = true
		default:
			return false
		}
	}
	return len(matched) == len(got)
}

// checkGuard compares a response with the denials the table predicts. It
// returns a description of the disagreement, or "", and whether the server
// let through something the table refuses (a leak).
func (w *world) checkGuard(res *servertest.Response, want map[string]bool, alts ...map[string]string) (problem string, leak bool) {
	alt := map[string]string{}
	for _, a := range alts {
		for k, v := range a {
			alt[k] = v
		}
	}
	w.tally.assertions++
	if len(want) == 0 {
		if len(res.Errors) == 0 {
			return "", false
		}
		if res.Code() == "FORBIDDEN_FIELD" {
			return fmt.Sprintf("refused %v, the table allows it", keys(forbiddenObjects(res))), false
		}
		return fmt.Sprintf("error %s: %s", res.Code(), res.Errors[0].Message), false
	}
	if res.Code() != "FORBIDDEN_FIELD" {
		if len(res.Errors) == 0 {
			return fmt.Sprintf("answered with data; the table refuses %v", keys(want)), true
		}
		return fmt.Sprintf("code %s (%s); the table refuses %v with FORBIDDEN_FIELD", res.Code(), res.Errors[0].Message, keys(want)), !dataIsNull(res)
	}
	w.tally.assertions++
	if !dataIsNull(res) {
		return fmt.Sprintf("FORBIDDEN_FIELD with data %s", res.Data), true
	}
	w.tally.assertions++
	if got := forbiddenObjects(res); !sameDenials(got, want, alt) {
		return fmt.Sprintf("extensions.paths name %v, the table refuses %v", keys(got), keys(want)), false
	}
	return "", false
}

// auditAbout returns the audit events about worker (all events when worker is 0).
func (w *world) auditAbout(worker int) idSet {
	ctx := policy.SystemContext(context.Background())
	out := idSet{}
	if worker == 0 {
		for _, id := range w.srv.DB.Client.AuditEvent.Query().IDsX(ctx) {
			out[id] = true
		}
		return out
	}
	for _, s := range w.srv.DB.Client.AuditSubject.Query().Where(auditsubject.WorkerID(worker)).AllX(ctx) {
		out[s.EventID] = true
	}
	return out
}

// checkRows compares the ids of data.<list> with the row rules.
func (w *world) checkRows(s *subject, res *servertest.Response, list string) string {
	w.tally.assertions++
	got, err := listIDs(res, list)
	if err != nil {
		return fmt.Sprintf("decode %s: %v", res.Data, err)
	}
	want, exact := w.visible(s, list)
	want = w.rootList(list, want)
	if !exact {
		bound := w.auditAbout(s.worker)
		switch {
		case list == "auditTrail":
			bound = w.auditAbout(w.w1) // the trail asked for
		case s.role == policy.RoleAdmin:
			bound = w.auditAbout(0)
		}
		for _, id := range got {
			if !bound[id] {
				return fmt.Sprintf("row %d is not an event about the caller", id)
			}
		}
		return ""
	}
	return want.diff(got)
}

func testFieldMatrix(t *testing.T, w *world, schema *ast.Schema) {
	for _, s := range w.subjects {
		t.Run(s.name, func(t *testing.T) {
			for _, lf := range listFields(schema) {
				typ := schema.Types[strings.TrimSuffix(lf.Type.Name(), "Connection")]
				var problems []string
				rowProblem := ""
				for _, f := range typ.Fields {
					if strings.HasPrefix(f.Name, "__") {
						continue
					}
					sel, target := selection(schema, f)
					if f.Name == "id" {
						sel = ""
					}
					q := fmt.Sprintf("{ %s(%sfirst: 100) { edges { node { id %s } } } }", lf.Name, w.listArgs(lf), sel)
					want, alt := expectDenied(s, lf.Name, typ.Name, f, target)
					res := w.do(s, q, nil)
					if p, leak := w.checkGuard(res, want, alt); p != "" {
						if leak {
							w.tally.leaks++
							p = "LEAK " + p
						}
						problems = append(problems, fmt.Sprintf("%s.%s: %s", typ.Name, f.Name, p))
					} else if len(want) == 0 && rowProblem == "" {
						if p := w.checkRows(s, res, lf.Name); p != "" {
							rowProblem = p
						}
					}
					if f.Name == "id" && want["Query."+lf.Name] && res.Code() == "FORBIDDEN_FIELD" {
						break // the guard stops at the list: every field gives the same answer
					}
				}
				if rowProblem != "" {
					if strings.Contains(rowProblem, "unexpected rows [") || strings.Contains(rowProblem, "not an event") {
						w.tally.leaks++
						rowProblem = "LEAK " + rowProblem
					}
					t.Errorf("%s as %s: row set: %s", lf.Name, s, rowProblem)
				}
				if len(problems) > 0 {
					t.Errorf("%s as %s: %d field disagreements:\n\t%s", lf.Name, s, len(problems), strings.Join(problems, "\n\t"))
				}
			}
		})
	}
}

// orderValueField maps an order enum value (PERIOD_START) to its field (periodStart).
func orderValueField(v string) string {
	parts := strings.Split(strings.ToLower(v), "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// literal returns a GraphQL literal of type typ for a where predicate.
func literal(schema *ast.Schema, typ *ast.Type) (string, bool) {
	if typ.Elem != nil {
		return "", false
	}
	switch typ.Name() {
	case "ID", "Int", "Float":
		return "0", true
	case "String":
		return `"x"`, true
	case "Boolean":
		return "true", true
	case "Time":
		return `"2024-01-01T00:00:00Z"`, true
	case "Date":
		return `"2024-01-01"`, true
	}
	if def := schema.Types[typ.Name()]; def != nil && def.Kind == ast.Enum && len(def.EnumValues) > 0 {
		return def.EnumValues[0].Name, true
	}
	return "", false
}

// testFilterOrderMatrix checks that filtering and ordering on a field needs the
// right to read it: for every list, every equality predicate on a field and
// every order value.
func testFilterOrderMatrix(t *testing.T, w *world, schema *ast.Schema) {
	for _, s := range w.subjects {
		t.Run(s.name, func(t *testing.T) {
			for _, lf := range listFields(schema) {
				typName := strings.TrimSuffix(lf.Type.Name(), "Connection")
				typ := schema.Types[typName]
				if !s.may("Query", lf.Name) {
					continue // the field matrix proved the list itself is refused
				}
				var problems []string
				run := func(label, args string, want map[string]bool) {
					res := w.do(s, fmt.Sprintf("{ %s(%sfirst: 1, %s) { totalCount } }", lf.Name, w.listArgs(lf), args), nil)
					if p, leak := w.checkGuard(res, want); p != "" {
						if leak {
							w.tally.leaks++
							p = "LEAK " + p
						}
						problems = append(problems, label+": "+p)
					}
				}
				if where := schema.Types[typName+"WhereInput"]; where != nil && lf.Arguments.ForName("where") != nil {
					for _, f := range typ.Fields {
						in := where.Fields.ForName(f.Name)
						if in == nil {
							continue
						}
						lit, ok := literal(schema, in.Type)
						if !ok {
							continue
						}
						want := map[string]bool{}
						if !s.may(typName, f.Name) {
							want[typName+"."+f.Name] = true
						}
						run("where "+f.Name, fmt.Sprintf("where: {%s: %s}", f.Name, lit), want)
					}
				}
				if enum := schema.Types[typName+"OrderField"]; enum != nil && lf.Arguments.ForName("orderBy") != nil {
					for _, v := range enum.EnumValues {
						field := orderValueField(v.Name)
						if typ.Fields.ForName(field) == nil {
							t.Errorf("order value %s.%s reads no field %s: the table cannot decide it", enum.Name, v.Name, field)
							continue
						}
						want := map[string]bool{}
						if !s.may(typName, field) {
							want[typName+"."+field] = true
						}
						run("orderBy "+v.Name, fmt.Sprintf("orderBy: [{field: %s}]", v.Name), want)
					}
				}
				if len(problems) > 0 {
					t.Errorf("%s as %s: %d filter/order disagreements:\n\t%s", lf.Name, s, len(problems), strings.Join(problems, "\n\t"))
				}
			}
		})
	}
}

// testRootFields checks the Query fields that are not lists.
func testRootFields(t *testing.T, w *world) {
	nir1 := w.workerNames[w.w1]
	for _, s := range w.subjects {
		t.Run(s.name, func(t *testing.T) {
			// Ensure everyone may describe themself.
			res := w.do(s, `{ me { roles activeRole account { id email } grants { role } } }`, nil)
			want := map[string]bool{}
			for _, o := range []string{"Query.me", "Viewer.roles", "Viewer.activeRole", "Viewer.account", "Account.id",
				"Account.email", "Viewer.grants", "ViewerGrant.role"} {
				typ, f := policy.SplitObject(o)
				if !s.may(typ, f) {
					want[o] = true
				}
			}
			if p, _ := w.checkGuard(res, want); p != "" {
				t.Errorf("me as %s: %s", s, p)
			}
			if len(want) == 0 && len(res.Errors) == 0 {
				var out struct {
					Me struct {
						ActiveRole string
						Account    struct{ ID string }
					}
				}
				_ = json.Unmarshal(res.Data, &out)
				w.tally.assertions++
				if out.Me.ActiveRole != string(s.role) || parseID(out.Me.Account.ID) != s.account {
					t.Errorf("me as %s = %+v, want role %s account %d", s, out.Me, s.role, s.account)
				}
			}

			// Ensure national statistics are refused to those the table refuses them.
			res = w.do(s, `{ contextStatistics { monitoringKind doses meanMsv p90Msv } }`, nil)
			want = map[string]bool{}
			if !s.may("Query", "contextStatistics") {
				want["Query.contextStatistics"] = true
			} else {
				for _, f := range []string{"monitoringKind", "doses", "meanMsv", "p90Msv"} {
					if !s.may("ContextStats", f) {
						want["ContextStats."+f] = true
					}
				}
			}
			if p, leak := w.checkGuard(res, want); p != "" {
				if leak {
					w.tally.leaks++
					p = "LEAK " + p
				}
				t.Errorf("contextStatistics as %s: %s", s, p)
			}

			// Ensure only laboratories check identities, and the answer is a bare yes/no.
			const check = `query($in: IdentityCheckInput!) { checkIdentity(input: $in) { matches } }`
			for _, tc := range []struct {
				in   map[string]any
				want bool
			}{
				{map[string]any{"nir": nir1[0], "lastName": nir1[1], "firstNames": nir1[2], "birthDate": "1985-03-12"}, true},
				{map[string]any{"nir": nir1[0], "lastName": "Autre", "firstNames": nir1[2]}, false},
			} {
				res := w.do(s, check, map[string]any{"in": tc.in})
				want := map[string]bool{}
				if !s.may("Query", "checkIdentity") {
					want["Query.checkIdentity"] = true
				} else if !s.may("IdentityCheck", "matches") {
					want["IdentityCheck.matches"] = true
				}
				if p, leak := w.checkGuard(res, want); p != "" {
					if leak {
						w.tally.leaks++
					}
					t.Errorf("checkIdentity as %s: %s", s, p)
					continue
				}
				if len(want) == 0 {
					var out struct{ CheckIdentity struct{ Matches bool } }
					_ = json.Unmarshal(res.Data, &out)
					w.tally.assertions++
					if out.CheckIdentity.Matches != tc.want {
						t.Errorf("checkIdentity(%v) as %s = %v, want %v", tc.in, s, out.CheckIdentity.Matches, tc.want)
					}
				}
			}
		})
	}
}

// testNodes looks every fixture row up through node(id:) and nodes(ids:) as
// every subject: a row out of scope must answer exactly like an id that does
// not exist (no data, same error), never data.
func testNodes(t *testing.T, w *world) {
	const q = `query($id: ID!) { node(id: $id) { __typename ... on %s { id } } }`
	byType := map[string][]entity{}
	var types []string
	for _, e := range w.entities() {
		if byType[e.typ] == nil {
			types = append(types, e.typ)
		}
		byType[e.typ] = append(byType[e.typ], e)
	}
	for _, s := range w.subjects {
		t.Run(s.name, func(t *testing.T) {
			var nodesCodes []string
			for _, typ := range types {
				query := fmt.Sprintf(q, typ)
				want := map[string]bool{}
				if !s.may("Query", "node") {
					want["Query.node"] = true
				} else if !s.may(typ, "id") {
					want[typ+".id"] = true
				}
				var (
					baseline                     *servertest.Response
					leaked, missing, guard, diff []string
				)
				for _, e := range byType[typ] {
					res := w.do(s, query, map[string]any{"id": e.id})
					if len(want) > 0 {
						if p, leak := w.checkGuard(res, want); p != "" {
							if leak {
								w.tally.leaks++
								p = "LEAK " + p
							}
							guard = append(guard, fmt.Sprintf("%d: %s", e.id, p))
						}
						if res.Code() == "FORBIDDEN_FIELD" {
							break // refused before execution: the same for every id
						}
						continue
					}
					var out struct {
						Node map[string]any `json:"node"`
					}
					_ = json.Unmarshal(res.Data, &out)
					w.tally.assertions++
					if w.visibleEntity(s, e) {
						if len(res.Errors) > 0 || out.Node == nil || parseID(out.Node["id"]) != e.id {
							missing = append(missing, fmt.Sprintf("%d (%s)", e.id, res.Code()))
						}
						continue
					}
					if out.Node != nil {
						w.tally.leaks++
						leaked = append(leaked, fmt.Sprint(e.id))
						continue
					}
					if baseline == nil {
						baseline = w.do(s, query, map[string]any{"id": e.id + 1_000_000})
					}
					w.tally.assertions++
					if res.Code() != baseline.Code() || len(res.Errors) > 0 && res.Errors[0].Message != baseline.Errors[0].Message {
						w.tally.leaks++
						diff = append(diff, fmt.Sprintf("%d answers %s, a missing id %s", e.id, res.Code(), baseline.Code()))
					}
				}
				if len(guard) > 0 {
					t.Errorf("node(%s) as %s: %s", typ, s, strings.Join(guard, "; "))
				}
				if len(leaked) > 0 {
					t.Errorf("LEAK node(id:) as %s returned %d %s rows out of scope: %s", s, len(leaked), typ, strings.Join(leaked, " "))
				}
				if len(missing) > 0 {
					t.Errorf("node(id:) as %s refused %d %s rows in scope: %s", s, len(missing), typ, strings.Join(missing, " "))
				}
				if len(diff) > 0 {
					t.Errorf("LEAK node(id:) as %s: %s rows out of scope answer unlike missing ids (an existence oracle): %s", s, typ, strings.Join(diff, "; "))
				}
				if len(want) > 0 {
					continue
				}
				// nodes(ids:) returns exactly the visible rows, and refuses the
				// others as node(id:) does.
				ids := make([]int, len(byType[typ]))
				for i, e := range byType[typ] {
					ids[i] = e.id
				}
				res := w.do(s, fmt.Sprintf(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on %s { id } } }`, typ), map[string]any{"ids": ids})
				var out struct {
					Nodes []map[string]any `json:"nodes"`
				}
				_ = json.Unmarshal(res.Data, &out)
				w.tally.assertions++
				for _, e := range res.Errors {
					w.tally.assertions++
					if c, _ := e.Extensions["code"].(string); baseline != nil && c != baseline.Code() {
						nodesCodes = append(nodesCodes, fmt.Sprintf("%s→%s", typ, c))
						break
					}
				}
				var got []int
				for _, n := range out.Nodes {
					if n != nil {
						got = append(got, parseID(n["id"]))
					}
				}
				wantIDs := idSet{}
				for _, e := range byType[typ] {
					if w.visibleEntity(s, e) {
						wantIDs[e.id] = true
					}
				}
				if d := wantIDs.diff(got); d != "" {
					if strings.Contains(d, "unexpected rows [") {
						w.tally.leaks++
						d = "LEAK " + d
					}
					t.Errorf("nodes(%s…) as %s: %s", typ, s, d)
				}
			}
			if len(nodesCodes) > 0 {
				t.Errorf("nodes(ids:) as %s: rows out of scope answer %s where node(id:) answers NOT_FOUND", s, strings.Join(nodesCodes, ", "))
			}
		})
	}
}

// mutationCalls are calls of every mutation with arguments that can never
// succeed, so that an entitled caller changes nothing.
var mutationCalls = map[string]string{
	"resolveDoseConflict":       `resolveDoseConflict(id: 0, decision: KEEP_CORRECTION, reason: "x") { __typename }`,
	"login":                     `login(input: {email: "personne@test.fr", password: "faux"}) { __typename }`,
	"logout":                    `logout`,
	"switchRole":                `switchRole(role: %s) { __typename }`,
	"beginTotpEnrolment":        `beginTotpEnrolment { __typename }`,
	"confirmTotpEnrolment":      `confirmTotpEnrolment(code: "x")`,
	"verifySecondFactor":        `verifySecondFactor(code: "x") { __typename }`,
	"regenerateRecoveryCodes":   `regenerateRecoveryCodes(code: "x")`,
	"resetSecondFactor":         `resetSecondFactor(accountID: 0)`,
	"issueWorkerClaimCode":      `issueWorkerClaimCode(workerID: 0) { __typename }`,
	"createEstablishment":       `createEstablishment(input: {siret: "1", name: "x"}) { __typename }`,
	"updateEstablishment":       `updateEstablishment(id: 0, input: {}) { __typename }`,
	"createWorker":              `createWorker(input: {nir: "1", lastName: "x", firstNames: "y", birthDate: "1980-01-01", sex: M}) { __typename }`,
	"updateWorker":              `updateWorker(id: 0, input: {}) { __typename }`,
	"createEmployment":          `createEmployment(input: {startDate: "2024-01-01", contractType: CDI, nomenclatureVersion: "", classification: A, monitoringKinds: ["INCONNU"], workerID: 0, establishmentID: 0}) { __typename }`,
	"updateEmployment":          `updateEmployment(id: 0, input: {}) { __typename }`,
	"createDosimeter":           `createDosimeter(input: {serial: "", kind: PASSIVE_WHOLE_BODY}) { __typename }`,
	"updateDosimeter":           `updateDosimeter(id: 0, input: {}) { __typename }`,
	"createDosimeterAssignment": `createDosimeterAssignment(input: {startDate: "2024-02-01", endDate: "2024-01-01", dosimeterID: 0, workerID: 0}) { __typename }`,
	"updateDosimeterAssignment": `updateDosimeterAssignment(id: 0, input: {}) { __typename }`,
	"createAccount":             `createAccount(input: {email: "x", displayName: "", password: "x"}) { __typename }`,
	"updateAccount":             `updateAccount(id: 0, input: {}) { __typename }`,
	"createGrant":               `createGrant(input: {role: WORKER, validFrom: "2024-01-01T00:00:00Z", accountID: 0}) { __typename }`,
	"revokeGrant":               `revokeGrant(id: 0) { __typename }`,
	"createApiKey":              `createApiKey(input: {name: "x", profile: STATISTICS_CONSUMER, grantID: 0}) { __typename }`,
	"revokeApiKey":              `revokeApiKey(id: 0) { __typename }`,
	"createDelegation":          `createDelegation(input: {grantID: 0, accountID: 0, validTo: "2020-01-01T00:00:00Z"}) { __typename }`,
	"acknowledgeAnomaly":        `acknowledgeAnomaly(id: 0) { __typename }`,
	"resolveAnomaly":            `resolveAnomaly(id: 0, resolution: FALSE_POSITIVE, comment: "x") { __typename }`,
	"submitFile":                `submitFile(input: {format: LAB_RESULTS, reference: "", file: "x"}) { __typename }`,
	"submitLabResults":          `submitLabResults(reference: "", rows: []) { __typename }`,
	"submitDeclarations":        `submitDeclarations(reference: "", rows: []) { __typename }`,
	"submitOperationalDoses":    `submitOperationalDoses(reference: "", rows: []) { __typename }`,
	"correctDose":               `correctDose(input: {doseRecordID: 0, value: -1, unit: "x", reason: ""}) { __typename }`,
	"declareIntervention":       `declareIntervention(input: {siteEstablishmentID: 0, contractorSiret: "1", nir: "1", lastName: "x", firstNames: "y", birthDate: "1980-01-01", startDate: "2024-02-01", endDate: "2024-01-01"}) { __typename }`,
	"endIntervention":           `endIntervention(id: 0, endDate: "2024-01-01") { __typename }`,
	"setDoseConstraint":         `setDoseConstraint(input: {establishmentId: 0, limit: EFFECTIVE, annualUsv: -1}) { __typename }`,
	"endDoseConstraint":         `endDoseConstraint(id: 0) { __typename }`,
	"activateAccount":           `activateAccount(token: "act_inconnu", password: "x")`,
	"inviteAccount":             `inviteAccount(input: {email: "x", displayName: ""}) { __typename }`,
	"reissueActivation":         `reissueActivation(accountID: 0) { __typename }`,
	"createCompany":             `createCompany(input: {siren: "1", name: ""}) { __typename }`,
	"updateCompany":             `updateCompany(id: 0, input: {}) { __typename }`,
	"createLaboratory":          `createLaboratory(input: {code: "", name: ""}) { __typename }`,
	"updateLaboratory":          `updateLaboratory(id: 0, input: {}) { __typename }`,
	"importNomenclature":        `importNomenclature(input: {file: "x", version: "", validFrom: "2024-01-01"}) { __typename }`,
	"addDose":                   `addDose(input: {workerID: 0, establishmentID: 0, monitoringKind: PASSIVE_WHOLE_BODY, quantity: HP10, periodStart: "2024-02-01", periodEnd: "2024-01-01", value: -1, unit: "x", reason: ""}) { __typename }`,
	// No argument fails it after the guard: it sets the subject's own choice,
	// which nothing else in the fixture reads.
	"setNotificationSetting": `setNotificationSetting(kind: BATCH_REJECTED, mode: OFF) { __typename }`,
}

// testMutations checks every root mutation for every subject: refused before
// execution when the table refuses it; otherwise not refused by the field
// guard (the arguments are such that nothing is written).
func testMutations(t *testing.T, w *world, schema *ast.Schema) {
	for _, f := range schema.Mutation.Fields {
		if _, ok := mutationCalls[f.Name]; !ok && !strings.HasPrefix(f.Name, "__") {
			t.Errorf("mutation %s has no call in mutationCalls: add one that cannot succeed", f.Name)
		}
	}
	for _, s := range w.subjects {
		t.Run(s.name, func(t *testing.T) {
			var problems []string
			for _, f := range schema.Mutation.Fields {
				call, ok := mutationCalls[f.Name]
				if !ok {
					continue
				}
				allowed := s.may("Mutation", f.Name)
				if allowed && (f.Name == "login" || f.Name == "logout") {
					continue // would sign in (rate-limited) or end the session
				}
				if f.Name == "switchRole" {
					other := policy.RoleWorker
					if s.role == policy.RoleWorker {
						other = policy.RoleAdmin
					}
					call = fmt.Sprintf(call, other)
				}
				res := w.do(s, "mutation { "+call+" }", nil)
				w.tally.assertions++
				if !allowed {
					if p, leak := w.checkGuard(res, map[string]bool{"Mutation." + f.Name: true}); p != "" {
						if leak {
							w.tally.leaks++
							p = "LEAK " + p
						}
						problems = append(problems, fmt.Sprintf("%s: %s", f.Name, p))
					}
					continue
				}
				if res.Code() == "FORBIDDEN_FIELD" {
					problems = append(problems, fmt.Sprintf("%s: refused %v, the table allows it", f.Name, keys(forbiddenObjects(res))))
				}
			}
			if len(problems) > 0 {
				t.Errorf("mutations as %s: %d disagreements:\n\t%s", s, len(problems), strings.Join(problems, "\n\t"))
			}
		})
	}
}
