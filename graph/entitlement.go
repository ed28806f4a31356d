package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/policy"
)

// Entitlements applies the field layer of access control to GraphQL documents:
// a field (or a where/orderBy input that reads a field) is usable only when
// policy.csv grants it to the caller's role and, for an API key, its profile.
type Entitlements struct {
	Auth   *policy.Authorizer
	Schema *ast.Schema
}

// Structural reports whether type name is Relay plumbing or introspection,
// which carries no data of its own and is never checked.
func Structural(name string) bool {
	return strings.HasPrefix(name, "__") || name == "PageInfo" ||
		strings.HasSuffix(name, "Connection") || strings.HasSuffix(name, "Edge")
}

// Allowed reports whether the caller acting as role through profile may select typ.field.
func (e *Entitlements) Allowed(role policy.Role, profile policy.Profile, typ, field string) bool {
	if Structural(typ) || strings.HasPrefix(field, "__") {
		return true // plumbing, __typename, and introspection (pruned per role)
	}
	return e.Auth.Can(role, profile, typ+"."+field)
}

// predicateSuffixes are entgql's where-input operators, longest first.
var predicateSuffixes = []string{
	"ContainsFold", "EqualFold", "HasPrefix", "HasSuffix", "Contains", "NotNil", "IsNil",
	"NotIn", "NEQ", "GTE", "LTE", "In", "GT", "LT",
}

// inputField maps a field of a where input or an order input to the output
// field it reads: WorkerWhereInput.nirContains reads Worker.nir,
// WorkerWhereInput.hasDoseRecordsWith reads the edge Worker.doseRecords.
// It returns ok=false for inputs that read no field (not, and, or, direction)
// and for inputs that are not filters.
func (e *Entitlements) inputField(inputType, name string) (typ, field string, edge, ok bool) {
	base, isWhere := strings.CutSuffix(inputType, "WhereInput")
	if !isWhere {
		return "", "", false, false
	}
	switch name {
	case "not", "and", "or":
		return "", "", false, false
	}
	if rest, found := strings.CutPrefix(name, "has"); found && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
		rest = strings.TrimSuffix(rest, "With")
		return base, strings.ToLower(rest[:1]) + rest[1:], true, true
	}
	obj := e.Schema.Types[base]
	if obj != nil && obj.Fields.ForName(name) != nil {
		return base, name, false, true
	}
	for _, suf := range predicateSuffixes {
		if f, cut := strings.CutSuffix(name, suf); cut && f != "" && obj != nil && obj.Fields.ForName(f) != nil {
			return base, f, false, true
		}
	}
	return base, name, false, true // unknown: checked as such, hence denied
}

// orderField maps an order enum value (LAST_NAME) of XOrder to X.lastName.
func orderField(orderType, value string) (typ, field string) {
	typ = strings.TrimSuffix(orderType, "Order")
	parts := strings.Split(strings.ToLower(value), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return typ, strings.Join(parts, "")
}

// edgeFilterSafe reports whether role may filter rows of type source by a
// to-many edge to type target. The subquery behind has…With is not
// row-scoped, so it is safe only when every target row reachable from a
// visible source row is visible too:
//   - the target is public reference data;
//   - the role reads every row of the target (analysts; administrators for
//     the administrative types they read in full);
//   - the source is a worker the role sees, and the role sees every row of
//     that worker (the worker themself, their physician and delegates).
//
// Anything else — advisers bounded in time, inspectors by region, employers,
// laboratories, or a filter from public rows (establishments) into people's
// data — could serve as an oracle.
func edgeFilterSafe(role policy.Role, source, target *ast.Definition) bool {
	if target == nil || source == nil {
		return false
	}
	switch target.Name {
	case "Establishment", "Company", "Laboratory", "Nomenclature":
		return true
	}
	switch role {
	case policy.RoleAnalyst:
		return true
	case policy.RoleAdmin:
		switch target.Name {
		case "Worker", "Account", "Grant", "ApiKey", "AuditEvent":
			return true
		}
	case policy.RoleWorker, policy.RolePhysician, policy.RoleDelegate:
		return source.Name == "Worker"
	}
	return false
}

// denials collects the offending paths of an operation.
type denials struct {
	e       *Entitlements
	role    policy.Role
	profile policy.Profile
	pending bool
	doc     *ast.QueryDocument
	vars    map[string]any
	paths   []string
}

func (d *denials) deny(path string) { d.paths = append(d.paths, path) }

// allowed reports whether the caller may select typ.field.
func (d *denials) allowed(typ, field string) bool {
	if d.pending {
		return pendingAllowed(typ, field)
	}
	return d.e.Allowed(d.role, d.profile, typ, field)
}

func (d *denials) selections(set ast.SelectionSet, path string) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if d.excluded(s.Directives) {
				continue
			}
			p := strings.TrimPrefix(path+"."+s.Alias, ".")
			if s.ObjectDefinition != nil && !d.allowed(s.ObjectDefinition.Name, s.Name) {
				d.deny(fmt.Sprintf("%s (%s.%s)", p, s.ObjectDefinition.Name, s.Name))
				continue
			}
			for _, a := range s.Arguments {
				if a.Value == nil || a.Value.Definition == nil {
					continue
				}
				v, err := a.Value.Value(d.vars)
				if err != nil {
					continue
				}
				d.input(a.Value.Definition, v, p+"("+a.Name+")")
			}
			d.selections(s.SelectionSet, p)
		case *ast.InlineFragment:
			if !d.excluded(s.Directives) {
				d.selections(s.SelectionSet, path)
			}
		case *ast.FragmentSpread:
			if d.excluded(s.Directives) {
				continue
			}
			if f := d.doc.Fragments.ForName(s.Name); f != nil {
				d.selections(f.SelectionSet, path)
			}
		}
	}
}

// excluded reports a selection that @skip(if: true) or @include(if: false)
// leaves out of the result: the executor never resolves it, so it is not
// checked either (one document can then serve roles with different rights).
func (d *denials) excluded(dirs ast.DirectiveList) bool {
	cond := func(name string) (bool, bool) {
		dir := dirs.ForName(name)
		if dir == nil {
			return false, false
		}
		arg := dir.Arguments.ForName("if")
		if arg == nil || arg.Value == nil {
			return false, false
		}
		v, err := arg.Value.Value(d.vars)
		b, ok := v.(bool)
		return b, err == nil && ok
	}
	if skip, ok := cond("skip"); ok && skip {
		return true
	}
	if include, ok := cond("include"); ok && !include {
		return true
	}
	return false
}

// input checks an argument value of input type def (lists are walked).
func (d *denials) input(def *ast.Definition, v any, path string) {
	switch val := v.(type) {
	case []any:
		for i, x := range val {
			d.input(def, x, fmt.Sprintf("%s[%d]", path, i))
		}
		return
	case map[string]any:
		d.inputObject(def, val, path)
	}
}

func (d *denials) inputObject(def *ast.Definition, val map[string]any, path string) {
	if def.Kind != ast.InputObject {
		return
	}
	if typ, ok := strings.CutSuffix(def.Name, "Order"); ok && def.Fields.ForName("field") != nil {
		if f, _ := val["field"].(string); f != "" {
			t, field := orderField(def.Name, f)
			if !d.allowed(t, field) {
				d.deny(fmt.Sprintf("%s.field=%s (%s.%s)", path, f, typ, field))
			}
		}
		return
	}
	keys := make([]string, 0, len(val))
	for k := range val {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fd := def.Fields.ForName(k)
		if fd == nil {
			continue
		}
		p := path + "." + k
		if typ, field, edge, ok := d.e.inputField(def.Name, k); ok {
			if !d.allowed(typ, field) {
				d.deny(fmt.Sprintf("%s (%s.%s)", p, typ, field))
				continue
			}
			if edge {
				target := d.edgeTarget(typ, field)
				if target != nil && d.toMany(typ, field) && !edgeFilterSafe(d.role, d.e.Schema.Types[typ], target) {
					d.deny(fmt.Sprintf("%s (filtre sur %s.%s)", p, typ, field))
					continue
				}
			}
		}
		if nested := d.e.Schema.Types[fd.Type.Name()]; nested != nil && nested.Kind == ast.InputObject {
			d.input(nested, val[k], p)
		}
	}
}

func (d *denials) edgeTarget(typ, field string) *ast.Definition {
	if obj := d.e.Schema.Types[typ]; obj != nil {
		if f := obj.Fields.ForName(field); f != nil {
			name := f.Type.Name()
			if inner, ok := strings.CutSuffix(name, "Connection"); ok {
				name = inner
			}
			return d.e.Schema.Types[name]
		}
	}
	return nil
}

func (d *denials) toMany(typ, field string) bool {
	f := d.e.Schema.Types[typ].Fields.ForName(field)
	return f.Type.Elem != nil || strings.HasSuffix(f.Type.Name(), "Connection")
}

// Check returns the offending paths of an operation for the caller.
func (e *Entitlements) Check(v *policy.Viewer, rc *graphql.OperationContext) []string {
	d := &denials{e: e, role: v.Role, profile: v.Profile, pending: v.SecondFactorPending, doc: rc.Doc, vars: rc.Variables}
	d.selections(rc.Operation.SelectionSet, "")
	return d.paths
}

// fieldGuard rejects, before any resolver runs, an operation selecting or
// filtering on a field the caller is not entitled to, listing every offending
// path. Nothing is resolved, nothing is written.
type fieldGuard struct{ e *Entitlements }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = fieldGuard{}

func (fieldGuard) ExtensionName() string                   { return "FieldEntitlements" }
func (fieldGuard) Validate(graphql.ExecutableSchema) error { return nil }

func (g fieldGuard) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	v := policy.FromContext(ctx)
	if v == nil || rc.Operation == nil {
		return nil // anonymous callers are refused as a whole by requireViewer
	}
	paths := g.e.Check(v, rc)
	if len(paths) == 0 {
		return nil
	}
	return forbiddenFields(v, paths)
}

func forbiddenFields(v *policy.Viewer, paths []string) *gqlerror.Error {
	return &gqlerror.Error{
		Message: fmt.Sprintf("Votre rôle (%s) n'est pas habilité à lire ou filtrer : %s.", roleLabel(v), strings.Join(paths, ", ")),
		Extensions: map[string]any{
			"code": string(apperr.ForbiddenField), "paths": paths,
		},
	}
}

func roleLabel(v *policy.Viewer) string {
	if v.Profile != "" {
		return string(v.Role) + " / " + string(v.Profile)
	}
	return string(v.Role)
}

// recheckField is the defence in depth: a field the caller may not select is
// refused again at execution, whatever path led to it.
func (e *Entitlements) recheckField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	v := policy.FromContext(ctx)
	if policy.Ended(ctx) {
		return nil, &apperr.Error{Code: apperr.Unauthenticated, Message: "La session de cette connexion a pris fin."}
	}
	if fc == nil || v == nil || (v.SecondFactorPending && pendingAllowed(fc.Object, fc.Field.Name)) ||
		(!v.SecondFactorPending && e.Allowed(v.Role, v.Profile, fc.Object, fc.Field.Name)) {
		return next(ctx)
	}
	return nil, &apperr.Error{Code: apperr.ForbiddenField,
		Message: fmt.Sprintf("Votre rôle (%s) n'est pas habilité à lire %s.%s.", roleLabel(v), fc.Object, fc.Field.Name)}
}
