package graph

import (
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/siseri/siseri/graph/generated"
	"github.com/siseri/siseri/policy"
)

// visibleCache holds one pruned schema per role and profile.
var visibleCache sync.Map // *Entitlements + role + profile → *ast.Schema

// Visible returns the schema a caller acting as role through profile may use:
// the fields policy.csv grants, the filters and orderings over them, and only
// the types reachable from what remains. Introspection with the caller's
// credentials shows it, and `siseri policy sdl --role R` prints it.
func (e *Entitlements) Visible(role policy.Role, profile policy.Profile) *ast.Schema {
	key := struct {
		e *Entitlements
		r policy.Role
		p policy.Profile
	}{e, role, profile}
	if s, ok := visibleCache.Load(key); ok {
		return s.(*ast.Schema)
	}
	s := e.prune(role, profile)
	visibleCache.Store(key, s)
	return s
}

func (e *Entitlements) prune(role policy.Role, profile policy.Profile) *ast.Schema {
	full := e.Schema
	types := map[string]*ast.Definition{}
	for name, def := range full.Types {
		cp := *def
		switch {
		case def.BuiltIn || Structural(name) && def.Kind != ast.Object:
		case def.Kind == ast.Object && !Structural(name):
			cp.Fields = nil
			for _, f := range def.Fields {
				if strings.HasPrefix(f.Name, "__") || e.Allowed(role, profile, name, f.Name) {
					cp.Fields = append(cp.Fields, f)
				}
			}
		case def.Kind == ast.InputObject:
			cp.Fields = nil
			d := &denials{e: e, role: role, profile: profile}
			for _, f := range def.Fields {
				typ, field, edge, ok := e.inputField(name, f.Name)
				if ok && (!e.Allowed(role, profile, typ, field) ||
					edge && d.toMany(typ, field) && !edgeFilterSafe(role, e.Schema.Types[typ], d.edgeTarget(typ, field))) {
					continue
				}
				cp.Fields = append(cp.Fields, f)
			}
		case def.Kind == ast.Enum && strings.HasSuffix(name, "OrderField"):
			cp.EnumValues = nil
			for _, v := range def.EnumValues {
				t, f := orderField(strings.TrimSuffix(name, "Field"), v.Name)
				if e.Allowed(role, profile, t, f) {
					cp.EnumValues = append(cp.EnumValues, v)
				}
			}
		}
		types[name] = &cp
	}
	out := &ast.Schema{Types: map[string]*ast.Definition{}, Directives: full.Directives,
		PossibleTypes: map[string][]*ast.Definition{}, Implements: map[string][]*ast.Definition{}}
	var visit func(name string)
	visit = func(name string) {
		def := types[name]
		if def == nil || out.Types[name] != nil {
			return
		}
		if (def.Kind == ast.Object || def.Kind == ast.InputObject) && len(def.Fields) == 0 {
			return
		}
		if def.Kind == ast.Enum && len(def.EnumValues) == 0 {
			return
		}
		out.Types[name] = def
		for _, f := range def.Fields {
			visit(f.Type.Name())
			for _, a := range f.Arguments {
				visit(a.Type.Name())
			}
		}
		for _, i := range def.Interfaces {
			visit(i)
		}
		if def.Kind == ast.Interface || def.Kind == ast.Union {
			for _, p := range full.PossibleTypes[name] {
				visit(p.Name)
			}
		}
	}
	for _, root := range []*ast.Definition{full.Query, full.Mutation, full.Subscription} {
		if root != nil {
			visit(root.Name)
		}
	}
	for name, def := range full.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			out.Types[name] = types[name]
		}
	}
	// Drop fields and arguments whose types did not survive.
	for _, def := range out.Types {
		if def.BuiltIn {
			continue
		}
		var keep ast.FieldList
		for _, f := range def.Fields {
			if out.Types[f.Type.Name()] == nil {
				continue
			}
			fc := *f
			fc.Arguments = nil
			for _, a := range f.Arguments {
				if out.Types[a.Type.Name()] != nil {
					fc.Arguments = append(fc.Arguments, a)
				}
			}
			keep = append(keep, &fc)
		}
		if def.Kind == ast.Object || def.Kind == ast.InputObject || def.Kind == ast.Interface {
			def.Fields = keep
		}
	}
	out.Query = out.Types[full.Query.Name]
	if full.Mutation != nil {
		out.Mutation = out.Types[full.Mutation.Name]
	}
	if full.Subscription != nil {
		out.Subscription = out.Types[full.Subscription.Name]
	}
	for name, defs := range full.PossibleTypes {
		for _, d := range defs {
			if out.Types[d.Name] != nil && out.Types[name] != nil {
				out.PossibleTypes[name] = append(out.PossibleTypes[name], out.Types[d.Name])
				out.Implements[d.Name] = append(out.Implements[d.Name], out.Types[name])
			}
		}
	}
	return out
}

// SchemaFor returns the schema of role through profile (empty for people),
// as introspection shows it to them, in SDL: partners generate their clients
// from it (siseri policy sdl --role R).
func SchemaFor(role policy.Role, profile policy.Profile) string {
	es := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}})
	e := &Entitlements{Auth: policy.MustDefault(), Schema: es.Schema()}
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithComments()).FormatSchema(e.Visible(role, profile))
	return b.String()
}
