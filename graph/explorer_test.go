package graph_test

import (
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

// introspectionQuery is graphql-js's getIntrospectionQuery({inputValueDeprecation: true}),
// the one the explorer (GraphiQL) sends: its type references nest eight deep.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`

func TestExplorerIntrospection(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "analyste@test.fr", policy.RoleAnalyst, nil)
	c := srv.NewClient(t)
	c.MustLogin("analyste@test.fr", servertest.Password)
	// Ensure the explorer's standard introspection query passes the depth
	// limit and shows the caller's pruned schema (no identity for the analyst).
	var out struct {
		Schema struct {
			Types []struct {
				Name   string
				Fields []struct{ Name string }
			}
		} `json:"__schema"`
	}
	c.MustDo(introspectionQuery, nil, &out)
	var worker []string
	for _, typ := range out.Schema.Types {
		if typ.Name == "Worker" {
			for _, f := range typ.Fields {
				worker = append(worker, f.Name)
			}
		}
	}
	got := " " + strings.Join(worker, " ") + " "
	if !strings.Contains(got, " pseudonym ") || strings.Contains(got, " nir ") || strings.Contains(got, " lastName ") {
		t.Errorf("analyst's Worker fields = %v, want the pseudonym without identity", worker)
	}
}
