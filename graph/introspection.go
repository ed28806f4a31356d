package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/introspection"

	"github.com/siseri/siseri/policy"
)

// filterIntrospection makes introspection show the caller's schema only: the
// types, fields, input fields and order values of Visible(role, profile).
func (e *Entitlements) filterIntrospection(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	v := policy.FromContext(ctx)
	if fc == nil || v == nil || (fc.Object != "__Schema" && fc.Object != "__Type") {
		return next(ctx)
	}
	res, err := next(ctx)
	if err != nil {
		return res, err
	}
	vis := e.Visible(v.Role, v.Profile)
	switch fc.Object + "." + fc.Field.Name {
	case "__Schema.types":
		types, _ := res.([]introspection.Type)
		out := types[:0:0]
		for _, t := range types {
			if t.Name() != nil && vis.Types[*t.Name()] != nil {
				out = append(out, t)
			}
		}
		return out, nil
	case "__Schema.mutationType", "__Schema.subscriptionType":
		if t, ok := res.(*introspection.Type); ok && t != nil && t.Name() != nil && vis.Types[*t.Name()] == nil {
			return (*introspection.Type)(nil), nil
		}
	case "__Type.fields", "__Type.inputFields", "__Type.enumValues":
		parent := parentType(fc)
		if parent == nil || parent.Name() == nil {
			return res, nil
		}
		def := vis.Types[*parent.Name()]
		switch list := res.(type) {
		case []introspection.Field:
			out := list[:0:0]
			for _, f := range list {
				if def != nil && def.Fields.ForName(f.Name) != nil {
					out = append(out, f)
				}
			}
			return out, nil
		case []introspection.InputValue:
			out := list[:0:0]
			for _, f := range list {
				if def != nil && def.Fields.ForName(f.Name) != nil {
					out = append(out, f)
				}
			}
			return out, nil
		case []introspection.EnumValue:
			out := list[:0:0]
			for _, ev := range list {
				if def != nil && def.EnumValues.ForName(ev.Name) != nil {
					out = append(out, ev)
				}
			}
			return out, nil
		}
	}
	return res, nil
}

// parentType finds the __Type whose field is being resolved.
func parentType(fc *graphql.FieldContext) *introspection.Type {
	for p := fc.Parent; p != nil; p = p.Parent {
		switch t := p.Result.(type) {
		case *introspection.Type:
			return t
		case introspection.Type:
			return &t
		}
	}
	return nil
}
