package graph

import (
	"reflect"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestBreakingChanges(t *testing.T) {
	load := func(sdl string) *ast.Schema {
		return gqlparser.MustLoadSchema(&ast.Source{Name: "s.graphqls", Input: sdl})
	}
	old := load(`
type Query { a: String, b: Int!, c(x: Int, y: String!): String, gone: String, looser: Int! }
input In { p: Int!, q: String, r: Int }
enum E { X Y }
type Removed { id: ID }
union U = Query | Removed`)
	for _, tc := range []struct {
		name string
		cur  string
		want []string
	}{
		{"OKSame", `
type Query { a: String, b: Int!, c(x: Int, y: String!): String, gone: String, looser: Int! }
input In { p: Int!, q: String, r: Int }
enum E { X Y }
type Removed { id: ID }
union U = Query | Removed`, nil},
		{"OKAdditions", `
type Query { a: String!, b: Int!, c(x: Int, y: String, z: Int): String, gone: String, looser: Int!, added: Int }
input In { p: Int, q: String, r: Int, s: Int }
enum E { X Y Z }
type Removed { id: ID, more: Int }
type New { id: ID }
union U = Query | Removed | New`, nil},
		{"ErrBreaking", `
type Query { a: Int, b: Int!, c(y: String!, z: Int!): String, looser: Int }
input In { p: Int!, q: Int, r: Int, s: Int! }
enum E { X }
type Other { id: ID }
union U = Query | Other`, []string{
			"E.Y: enum value removed",
			"In.q: type changed from String to Int",
			"In.s: required input field added",
			"Query.a: type changed from String to Int",
			"Query.c(x): argument removed",
			"Query.c(z): required argument added",
			"Query.gone: field removed",
			"Query.looser: type changed from Int! to Int",
			"Removed: type removed",
			"U: union member Removed removed",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := BreakingChanges(old, load(tc.cur))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("BreakingChanges =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}
