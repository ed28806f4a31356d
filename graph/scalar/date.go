// Package scalar holds the GraphQL scalars SISERI adds to gqlgen's built-ins.
package scalar

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/siseri/siseri/backend/apperr"
)

// MarshalDate writes a calendar date as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.DateOnly)))
	})
}

// UnmarshalDate reads a calendar date written "YYYY-MM-DD" (midnight UTC).
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, apperr.Invalid("", v, "Une date doit être une chaîne au format AAAA-MM-JJ.")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, apperr.Invalid("", s, "La date « %s » n'est pas au format AAAA-MM-JJ ou n'existe pas.", s)
	}
	return t, nil
}
