package schema

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"entgo.io/ent"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/dosimetry"
)

var isoCountry = regexp.MustCompile(`^[A-Z]{2}$`)

// timeNow is the default for server-set instants.
func timeNow() time.Time { return time.Now().UTC() }

// newPseudonym returns a random, stable pseudonymous key (no link to the NIR).
func newPseudonym() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return "P" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
}

func validSIREN(s string) error {
	_, err := dosimetry.ParseSIREN(s)
	return err
}

func validSIRET(s string) error {
	_, err := dosimetry.ParseSIRET(s)
	return err
}

func validSIRETOrEmpty(s string) error {
	if s == "" {
		return nil
	}
	return validSIRET(s)
}

func validRPPS(s string) error {
	_, err := dosimetry.ParseRPPS(s)
	return err
}

// fieldValue returns the string value of field name in m, if set.
func fieldString(m ent.Mutation, name string) (string, bool) {
	v, ok := m.Field(name)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		if p, isPtr := v.(*string); isPtr && p != nil {
			return *p, true
		}
	}
	return s, ok
}

// fieldTime returns the time value of field name in m: the new value when the
// mutation sets it, else the stored one for single-row updates.
func fieldTime(ctx context.Context, m ent.Mutation, name string) (time.Time, bool) {
	if v, ok := m.Field(name); ok {
		if t, ok := v.(time.Time); ok {
			return t, true
		}
	}
	if m.Op().Is(ent.OpUpdateOne) {
		if v, err := m.OldField(ctx, name); err == nil {
			switch t := v.(type) {
			case time.Time:
				return t, true
			case *time.Time:
				if t != nil {
					return *t, true
				}
			}
		}
	}
	return time.Time{}, false
}

// toDate truncates the date fields that m sets to midnight UTC: measurement and
// employment periods are calendar dates.
func toDate(m ent.Mutation, names ...string) error {
	for _, n := range names {
		if v, ok := m.Field(n); ok {
			if t, ok := v.(time.Time); ok {
				y, mo, d := t.Date()
				if err := m.SetField(n, time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkPeriod refuses an end date before the start date.
func checkPeriod(ctx context.Context, m ent.Mutation, start, end string) error {
	s, okS := fieldTime(ctx, m, start)
	e, okE := fieldTime(ctx, m, end)
	if okS && okE && e.Before(s) {
		return apperr.Invalid(camel(end), e.Format(time.DateOnly),
			"La date de fin (%s) est antérieure à la date de début (%s).",
			e.Format(time.DateOnly), s.Format(time.DateOnly))
	}
	return nil
}

// camel turns an Ent field name into the GraphQL input path of that field.
func camel(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] == "id" {
			parts[i] = "ID"
			continue
		}
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return "input." + strings.Join(parts, "")
}

// normaliseWorker upper-cases and checks identifiers and names of a worker before
// the validators run: a NIR is stored in its canonical 15-character form, and
// the identifier kind must match the identifier given.
var normaliseWorker = ent.Hook(func(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if err := toDate(m, "birth_date"); err != nil {
			return nil, err
		}
		if err := checkWorkerText(m); err != nil {
			return nil, err
		}
		for _, n := range []string{"last_name", "usage_name", "first_names"} {
			if s, ok := fieldString(m, n); ok {
				if err := m.SetField(n, strings.Join(strings.Fields(s), " ")); err != nil {
					return nil, err
				}
			}
		}
		if s, ok := fieldString(m, "nir"); ok {
			n, err := dosimetry.ParseNIR(s)
			if err != nil {
				return nil, apperr.Invalid("input.nir", s, "%s", frenchMessage(err))
			}
			if err := m.SetField("nir", n.String()); err != nil {
				return nil, err
			}
		}
		if m.Op().Is(ent.OpCreate) {
			if err := checkIdentifier(m); err != nil {
				return nil, err
			}
		}
		return next.Mutate(ctx, m)
	})
})

// workerTexts are the names and place of a worker, with their French label:
// text that people read, compare and print.
var workerTexts = []struct{ field, label string }{
	{"last_name", "Le nom de naissance"}, {"usage_name", "Le nom d'usage"},
	{"first_names", "La liste des prénoms"}, {"birth_place", "Le lieu de naissance"},
}

// checkWorkerText refuses control and invisible characters in a worker's
// names and place of birth: the rule of the exchange files
// (dosimetry.CheckText), whichever way the worker is written.
func checkWorkerText(m ent.Mutation) error {
	for _, t := range workerTexts {
		s, ok := fieldString(m, t.field)
		if !ok {
			continue
		}
		var te *dosimetry.TextError
		if err := dosimetry.CheckText(s); errors.As(err, &te) {
			return apperr.Invalid(camel(t.field), dosimetry.Visible(s),
				"%s contient %s : un nom ou un lieu ne peut contenir ni caractère de contrôle ni caractère invisible.", t.label, te.Describe())
		}
	}
	return nil
}

// checkIdentifier requires the identifier that the identifier kind announces.
func checkIdentifier(m ent.Mutation) error {
	kind, _ := m.Field("identifier_kind")
	k := fmt.Sprint(kind)
	if kind == nil {
		k = "NIR"
	}
	has := func(n string) bool { s, ok := fieldString(m, n); return ok && s != "" }
	switch k {
	case "NIR", "NIA":
		if !has("nir") {
			return apperr.Invalid("input.nir", nil, "Le NIR (ou NIA) du travailleur est obligatoire pour ce type d'identifiant.")
		}
	case "NTT":
		if !has("temporary_id") {
			return apperr.Invalid("input.temporaryID", nil, "Le numéro technique temporaire (NTT) est obligatoire pour ce type d'identifiant.")
		}
	case "FOREIGN":
		if !has("foreign_id") || !has("foreign_country") {
			return apperr.Invalid("input.foreignID", nil, "Un travailleur identifié à l'étranger doit avoir un identifiant et un pays d'émission.")
		}
	}
	return nil
}

// checkEmployment keeps employment dates ordered and at day precision.
var checkEmployment = ent.Hook(func(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if err := toDate(m, "start_date", "end_date", "pregnancy_declared_on", "pregnancy_ended_on"); err != nil {
			return nil, err
		}
		if err := checkPeriod(ctx, m, "start_date", "end_date"); err != nil {
			return nil, err
		}
		if err := checkPeriod(ctx, m, "pregnancy_declared_on", "pregnancy_ended_on"); err != nil {
			return nil, err
		}
		if v, ok := m.Field("monitoring_kinds"); ok {
			for _, k := range v.([]string) {
				if !isMonitoringKind(k) {
					return nil, apperr.Invalid("input.monitoringKinds", k, "Le type de suivi « %s » est inconnu.", k)
				}
			}
		}
		return next.Mutate(ctx, m)
	})
})

// checkAssignment keeps wearing periods ordered and at day precision.
var checkAssignment = ent.Hook(func(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if err := toDate(m, "start_date", "end_date"); err != nil {
			return nil, err
		}
		if err := checkPeriod(ctx, m, "start_date", "end_date"); err != nil {
			return nil, err
		}
		return next.Mutate(ctx, m)
	})
})

// frenchMessage returns the French sentence of an identifier error.
func frenchMessage(err error) string { return err.Error() }

// isMonitoringKind reports whether k is the GraphQL value of a monitoring kind.
func isMonitoringKind(k string) bool {
	for i := 1; i < len(monitoringKinds); i += 2 {
		if monitoringKinds[i] == k {
			return true
		}
	}
	return false
}

// grantScopes names, per role, the scope fields a grant of that role may set;
// at least one must be set unless the role is national.
var grantScopes = map[string][]string{
	"WORKER":                       {"worker_id"},
	"OCCUPATIONAL_PHYSICIAN":       {"establishment_id", "company_id", "worker_id"},
	"PHYSICIAN_DELEGATE":           {"establishment_id", "company_id", "worker_id"},
	"RADIATION_PROTECTION_ADVISER": {"establishment_id", "company_id"},
	"EMPLOYER_CORRESPONDENT":       {"establishment_id", "company_id"},
	"LABORATORY":                   {"laboratory_id"},
	"CONTROL_AGENT":                {"region"},
	"ANALYST":                      nil,
	"ADMIN":                        nil,
	"LABOUR_MINISTRY":              nil,
}

var scopeFields = []string{"establishment_id", "company_id", "worker_id", "laboratory_id", "region"}

// checkGrantScope requires a grant's scope to fit its role: a worker grant names
// the worker, an adviser grant an establishment or a company, a laboratory
// grant a laboratory, an inspector grant a region; analysts and administrators
// are national; a delegation derives from a grant.
var checkGrantScope = ent.Hook(func(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if !m.Op().Is(ent.OpCreate) {
			return next.Mutate(ctx, m)
		}
		if err := checkPeriod(ctx, m, "valid_from", "valid_to"); err != nil {
			return nil, err
		}
		rv, _ := m.Field("role")
		role := fmt.Sprint(rv)
		allowed := grantScopes[role]
		set := 0
		for _, f := range scopeFields {
			if _, ok := m.Field(f); !ok {
				continue
			}
			set++
			if !contains(allowed, f) {
				return nil, apperr.Invalid(camel(f), nil, "Une habilitation %s ne peut pas être restreinte par « %s ».", role, strings.TrimPrefix(camel(f), "input."))
			}
		}
		if len(allowed) > 0 && set == 0 {
			return nil, apperr.Invalid("input.role", role, "Une habilitation %s doit préciser son périmètre (%s).", role, strings.Join(allowed, " ou "))
		}
		if _, ok := m.Field("delegated_from_id"); ok != (role == "PHYSICIAN_DELEGATE") {
			return nil, apperr.Invalid("input.delegatedFromID", nil, "Seule une délégation de médecin du travail dérive d'une autre habilitation.")
		}
		return next.Mutate(ctx, m)
	})
})

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
