package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"runtime/debug"
	"strings"

	"entgo.io/ent/privacy"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// Presenter turns any resolver error into a GraphQL error with a French message
// and a stable extensions.code. Internal details are logged, never shown.
func Presenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		ae := classify(ctx, err)
		if ae.Code == apperr.Internal {
			code, _ := gqlErr.Extensions["code"].(string)
			switch {
			case code == "GRAPHQL_VALIDATION_FAILED" || code == "GRAPHQL_PARSE_FAILED":
				ae = &apperr.Error{Code: apperr.BadUserInput, Message: "La requête GraphQL est invalide : " + withoutSuggestions(gqlErr.Message)}
			case code != "" && presented[apperr.Code(code)]:
				// Set by the transport and the operation guards, whose messages
				// are already French and whose extensions (offending paths,
				// cost and budget) are meant for the client.
				return gqlErr
			default:
				if in := coercionError(ctx, gqlErr); in != nil {
					ae = in
					break
				}
				log.ErrorContext(ctx, "internal error", "path", gqlErr.Path.String(), "err", err)
			}
		}
		if ae.Code == apperr.BadUserInput && ae.Field == "" && len(gqlErr.Path) > 1 {
			// Argument coercion errors (a malformed date…) carry the argument path.
			ae = &apperr.Error{Code: ae.Code, Message: ae.Message, Value: ae.Value, Field: argumentPath(gqlErr.Path[1:])}
		}
		gqlErr.Message = ae.Message
		gqlErr.Extensions = map[string]any{"code": string(ae.Code)}
		if ae.Field != "" {
			gqlErr.Extensions["field"] = ae.Field
		}
		if ae.Value != nil {
			gqlErr.Extensions["value"] = ae.Value
		}
		return gqlErr
	}
}

// presented are the codes of errors built ready for the client.
var presented = map[apperr.Code]bool{
	apperr.BadUserInput: true, apperr.ForbiddenField: true, apperr.Unauthenticated: true,
	apperr.ServiceUnavailable: true, apperr.TooManyRequests: true, apperr.SecondFactorRequired: true,
}

// suggestions matches the « Did you mean … » hints of GraphQL validation
// messages. They are computed from the whole schema, so they would name
// fields, arguments, types and enum values the caller may not see.
var suggestions = regexp.MustCompile(`\s*Did you mean [^?]*\?`)

func withoutSuggestions(msg string) string {
	return suggestions.ReplaceAllString(msg, "")
}

// coercionError recognises a value that gqlgen could not read for an argument
// (its path goes past the field into the argument) and answers it
// BAD_USER_INPUT; inputGuard catches the known scalars before execution, this
// covers the others.
func coercionError(ctx context.Context, gqlErr *gqlerror.Error) *apperr.Error {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil
	}
	fp := fc.Path()
	if len(gqlErr.Path) <= len(fp) {
		return nil
	}
	for i := range fp {
		if fmt.Sprint(fp[i]) != fmt.Sprint(gqlErr.Path[i]) {
			return nil
		}
	}
	rest := gqlErr.Path[len(fp):]
	if _, ok := rest[0].(ast.PathName); !ok {
		return nil
	}
	field := argumentPath(rest)
	return &apperr.Error{Code: apperr.BadUserInput, Field: field,
		Message: fmt.Sprintf("La valeur donnée pour « %s » n'est pas valide pour son type.", field)}
}

// Recover turns a panic into an internal error and logs it.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", p, "stack", string(debug.Stack()))
		return apperr.New(apperr.Internal, "Erreur interne. L'incident a été enregistré.")
	}
}

var errUnavailable = &apperr.Error{Code: apperr.ServiceUnavailable, Message: auth.UnavailableMessage}

var internal = &apperr.Error{Code: apperr.Internal, Message: "Erreur interne. L'incident a été enregistré."}

// classify maps err to an application error.
func classify(ctx context.Context, err error) *apperr.Error {
	var (
		verr *ent.ValidationError
		nf   *ent.NotFoundError
		ce   *ent.ConstraintError
	)
	switch {
	case errors.As(err, &verr):
		return fromValidation(ctx, verr)
	case apperr.As(err) != nil:
		return apperr.As(err)
	case store.IsUnavailable(err):
		return errUnavailable
	case errors.Is(err, privacy.Deny):
		if policy.FromContext(ctx) == nil {
			return errUnauthenticated
		}
		return apperr.New(apperr.Forbidden, "Vous n'avez pas accès à cette information ou à cette opération.")
	case errors.As(err, &nf):
		return apperr.New(apperr.NotFound, "L'élément demandé n'existe pas ou ne vous est pas accessible.")
	case errors.As(err, &ce):
		return fromConstraint(ce)
	}
	var idErr *dosimetry.IdentifierError
	if errors.As(err, &idErr) {
		return &apperr.Error{Code: apperr.BadUserInput, Message: idErr.Error(), Value: idErr.Value}
	}
	return internal
}

// fromValidation names the GraphQL input field and the offending value.
func fromValidation(ctx context.Context, verr *ent.ValidationError) *apperr.Error {
	field := inputPath(verr.Name)
	if ae := apperr.As(verr); ae != nil {
		out := *ae
		if out.Field == "" {
			out.Field = field
		}
		if out.Value == nil {
			out.Value = inputValue(ctx, verr.Name)
		}
		return &out
	}
	var idErr *dosimetry.IdentifierError
	if errors.As(verr, &idErr) {
		return &apperr.Error{Code: apperr.BadUserInput, Message: idErr.Error(), Field: field, Value: idErr.Value}
	}
	var codeErr *dosimetry.CodeError
	if errors.As(verr, &codeErr) {
		return &apperr.Error{Code: apperr.BadUserInput, Message: codeErr.Error(), Field: field, Value: codeErr.Value}
	}
	v := inputValue(ctx, verr.Name)
	name := strings.TrimPrefix(field, "input.")
	reason := "n'est pas acceptée"
	switch cause := verr.Unwrap().Error(); {
	case strings.Contains(cause, "less than the required length"):
		reason = "est vide ou trop courte"
	case strings.Contains(cause, "greater than the required length"):
		reason = "est trop longue"
	case strings.Contains(cause, "does not match"):
		reason = "n'a pas le format attendu"
	case strings.Contains(cause, "out of range"), strings.Contains(cause, "negative"):
		reason = "est hors des bornes admises"
	}
	msg := fmt.Sprintf("La valeur %s du champ « %s » %s.", describe(v), name, reason)
	if v == nil || v == "" {
		msg = fmt.Sprintf("Le champ « %s » ne peut pas être vide.", name)
	}
	return &apperr.Error{
		Code:    apperr.BadUserInput,
		Message: msg,
		Field:   field, Value: v,
	}
}

func fromConstraint(ce *ent.ConstraintError) *apperr.Error {
	msg := strings.ToLower(ce.Error())
	if strings.Contains(msg, "foreign key") || strings.Contains(msg, "23503") {
		return apperr.New(apperr.BadUserInput, "Un élément référencé (travailleur, établissement, dosimètre…) n'existe pas.")
	}
	return apperr.New(apperr.Conflict, "Un élément avec ces valeurs existe déjà (identifiant déjà enregistré).")
}

// inputPath is the GraphQL path of an Ent field inside a mutation input.
func inputPath(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] == "id" {
			parts[i] = "ID"
			continue
		}
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return "input." + strings.Join(parts, "")
}

// inputValue finds the value the caller sent for an Ent field in the "input"
// argument of the current mutation, or nil.
func inputValue(ctx context.Context, name string) any {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil
	}
	in, ok := fc.Args["input"]
	if !ok {
		return nil
	}
	rv := reflect.Indirect(reflect.ValueOf(in))
	if rv.Kind() != reflect.Struct {
		return nil
	}
	want := strings.ReplaceAll(name, "_", "")
	for i := 0; i < rv.NumField(); i++ {
		if strings.EqualFold(rv.Type().Field(i).Name, want) {
			f := rv.Field(i)
			if f.Kind() == reflect.Pointer {
				if f.IsNil() {
					return nil
				}
				f = f.Elem()
			}
			return f.Interface()
		}
	}
	return nil
}

func describe(v any) string {
	if v == nil || v == "" {
		return "vide"
	}
	return fmt.Sprintf("« %v »", v)
}

// argumentPath writes an argument path such as input.birthDate.
func argumentPath(p ast.Path) string {
	parts := make([]string, 0, len(p))
	for _, e := range p {
		parts = append(parts, fmt.Sprint(e))
	}
	return strings.Join(parts, ".")
}
