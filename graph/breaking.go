package graph

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/siseri/siseri/graph/generated"
)

// FullSDL prints the whole schema (every role's fields), with descriptions:
// what graph/schema.released.graphqls keeps of each release.
func FullSDL() string {
	es := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}})
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithComments()).FormatSchema(es.Schema())
	return b.String()
}

// BreakingChanges lists, sorted, the changes from old to cur that can break a
// client written against old: a type, field, argument, input field, enum value
// or union member removed; a type's kind changed; an output type made looser
// or different; an argument or input field made stricter, changed, or added
// as required. Each line starts with the coordinate it concerns.
func BreakingChanges(old, cur *ast.Schema) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for name, o := range old.Types {
		if o.BuiltIn {
			continue
		}
		c := cur.Types[name]
		if c == nil {
			add("%s: type removed", name)
			continue
		}
		if c.Kind != o.Kind {
			add("%s: kind changed from %s to %s", name, o.Kind, c.Kind)
			continue
		}
		switch o.Kind {
		case ast.Object, ast.Interface:
			for _, of := range o.Fields {
				cf := c.Fields.ForName(of.Name)
				if cf == nil {
					add("%s.%s: field removed", name, of.Name)
					continue
				}
				if !outputCompatible(of.Type, cf.Type) {
					add("%s.%s: type changed from %s to %s", name, of.Name, of.Type, cf.Type)
				}
				for _, oa := range of.Arguments {
					ca := cf.Arguments.ForName(oa.Name)
					if ca == nil {
						add("%s.%s(%s): argument removed", name, of.Name, oa.Name)
					} else if !inputCompatible(oa.Type, ca.Type) {
						add("%s.%s(%s): type changed from %s to %s", name, of.Name, oa.Name, oa.Type, ca.Type)
					}
				}
				for _, ca := range cf.Arguments {
					if of.Arguments.ForName(ca.Name) == nil && ca.Type.NonNull && ca.DefaultValue == nil {
						add("%s.%s(%s): required argument added", name, of.Name, ca.Name)
					}
				}
			}
			for _, oi := range o.Interfaces {
				if !contains(c.Interfaces, oi) {
					add("%s: no longer implements %s", name, oi)
				}
			}
		case ast.InputObject:
			for _, of := range o.Fields {
				cf := c.Fields.ForName(of.Name)
				if cf == nil {
					add("%s.%s: input field removed", name, of.Name)
				} else if !inputCompatible(of.Type, cf.Type) {
					add("%s.%s: type changed from %s to %s", name, of.Name, of.Type, cf.Type)
				}
			}
			for _, cf := range c.Fields {
				if o.Fields.ForName(cf.Name) == nil && cf.Type.NonNull && cf.DefaultValue == nil {
					add("%s.%s: required input field added", name, cf.Name)
				}
			}
		case ast.Enum:
			for _, ov := range o.EnumValues {
				if c.EnumValues.ForName(ov.Name) == nil {
					add("%s.%s: enum value removed", name, ov.Name)
				}
			}
		case ast.Union:
			for _, t := range o.Types {
				if !contains(c.Types, t) {
					add("%s: union member %s removed", name, t)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// outputCompatible: a client reading old still reads cur when cur is the same
// type or a non-null version of it.
func outputCompatible(old, cur *ast.Type) bool {
	if cur.NonNull && !old.NonNull {
		c := *cur
		c.NonNull = false
		return outputCompatible(old, &c)
	}
	if old.NonNull != cur.NonNull || (old.Elem == nil) != (cur.Elem == nil) {
		return false
	}
	if old.Elem != nil {
		return outputCompatible(old.Elem, cur.Elem)
	}
	return old.NamedType == cur.NamedType
}

// inputCompatible: a value a client sent for old is still valid for cur when
// cur is the same type or a nullable version of it.
func inputCompatible(old, cur *ast.Type) bool {
	return outputCompatible(cur, old)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
