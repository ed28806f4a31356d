package ingest

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/siseri/siseri/backend/dosimetry"
)

// maxArgBytes is how much of a value a message quotes.
const maxArgBytes = 256

// Row is one row being checked, with its line in the file: its problems
// go to the report (Batch.Reject for a refused row; the warnings of an
// accepted one once its chunk is done).
type Row struct {
	line   int
	cols   []string
	fields []string
	probs  []Problem
	// rejected is set once the row's problems went to the report (Batch.Reject).
	rejected bool
}

// Line is the row's line in the file (row i of rows given as input is line
// i+2, as if a header preceded it).
func (r *Row) Line() int { return r.line }

// Fail records an error on the column named column (a header name such as
// "nir" or "siret"; "" for the whole row): the row is rejected. The message
// is format with args, in French; string args are quoted values, clipped.
func (r *Row) Fail(column, code, format string, args ...any) {
	r.fail(slices.Index(r.cols, column), code, format, args...)
}

// Warn records a warning on the column named column (see Fail): the row is
// accepted and written all the same, and the warning is reported on its
// line.
func (r *Row) Warn(column, code, format string, args ...any) {
	r.warn(slices.Index(r.cols, column), code, format, args...)
}

// bad reports whether the row has an error; warnings do not reject a row.
func (r *Row) bad() bool {
	for _, p := range r.probs {
		if !p.IsWarning() {
			return true
		}
	}
	return false
}

// fail records an error on column col (-1: the whole row): the row is
// rejected.
func (r *Row) fail(col int, code, format string, args ...any) {
	r.problem(SeverityError, col, code, format, args...)
}

// warn records a warning on column col (-1: the whole row): the row is
// accepted and written all the same, and the warning is reported on its
// line.
func (r *Row) warn(col int, code, format string, args ...any) {
	r.problem(SeverityWarning, col, code, format, args...)
}

// problem records a problem. Control and invisible characters of the value
// and the message are shown as « � » (dosimetry.Visible), so that a report
// never hides part of a value nor reorders the text around it.
func (r *Row) problem(severity string, col int, code, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = clip(s, maxArgBytes) // a value quoted in the message
		}
	}
	p := Problem{Line: r.line, Severity: severity, Code: code, Message: dosimetry.Visible(fmt.Sprintf(format, args...))}
	if col >= 0 {
		p.Column = r.cols[col]
		p.Value = dosimetry.Visible(r.fields[col])
	}
	r.probs = append(r.probs, p)
}

func (r *Row) get(col int) string { return strings.TrimSpace(r.fields[col]) }

// required returns the trimmed value of col, or fails with REQUIRED.
func (r *Row) required(col int) (string, bool) {
	v := r.get(col)
	if v == "" {
		r.fail(col, "REQUIRED", "La colonne « %s » est obligatoire.", r.cols[col])
		return "", false
	}
	return v, true
}

// plainText fails with CONTROL_CHARACTER when column col, as received,
// holds a control or invisible character (dosimetry.CheckText): names and
// free text are stored, compared and printed as people read them.
func (r *Row) plainText(col int) bool {
	var te *dosimetry.TextError
	if err := dosimetry.CheckText(r.fields[col]); errors.As(err, &te) {
		r.fail(col, "CONTROL_CHARACTER", "La colonne « %s » contient %s : un nom ou un texte ne peut contenir ni caractère de contrôle ni caractère invisible.",
			r.cols[col], te.Describe())
		return false
	}
	return true
}

func (r *Row) name(col int) (string, bool) {
	v, ok := r.required(col)
	if !ok || !r.plainText(col) {
		return "", false
	}
	if len([]rune(v)) > 100 {
		r.fail(col, "TOO_LONG", "La colonne « %s » dépasse 100 caractères.", r.cols[col])
		return "", false
	}
	if !strings.ContainsFunc(v, unicode.IsLetter) {
		r.fail(col, "NAME_INVALID", "La colonne « %s » ne contient aucune lettre.", r.cols[col])
		return "", false
	}
	return v, true
}

const dateLayout = "2006-01-02"

func (r *Row) date(col int, optional bool) (time.Time, bool) {
	v := r.get(col)
	if v == "" {
		if optional {
			return time.Time{}, true
		}
		r.fail(col, "REQUIRED", "La colonne « %s » est obligatoire (date AAAA-MM-JJ).", r.cols[col])
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		r.fail(col, "DATE_INVALID", "La date « %s » de la colonne « %s » n'est pas une date valide au format AAAA-MM-JJ.", v, r.cols[col])
		return time.Time{}, false
	}
	return t, true
}

var dateTimeLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", time.RFC3339}

func (r *Row) dateTime(col int) (time.Time, bool) {
	v, ok := r.required(col)
	if !ok {
		return time.Time{}, false
	}
	for _, l := range dateTimeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), true
		}
	}
	r.fail(col, "DATETIME_INVALID", "La valeur « %s » de la colonne « %s » n'est pas une date et heure au format AAAA-MM-JJTHH:MM:SS.", v, r.cols[col])
	return time.Time{}, false
}

// nir checks the worker identifier column (named nir for compatibility
// with v1 files): a NIR or NIA with its key, "NTT:<ntt>" or
// "<country>:<identifier>" (dosimetry.ParseWorkerIdentifier). It returns
// the identifier's canonical spelling, the key rows and workers are
// matched on.
func (r *Row) nir(col int) (string, bool) {
	v, ok := r.required(col)
	if !ok {
		return "", false
	}
	id, err := dosimetry.ParseWorkerIdentifier(v)
	if err != nil {
		code, msg := identifierProblem(err)
		r.fail(col, code, "%s", msg)
		return "", false
	}
	return id.String(), true
}

// identifierProblem is the code and message of a refused worker identifier.
func identifierProblem(err error) (code, msg string) {
	var ie *dosimetry.IdentifierError
	switch {
	case errors.Is(err, dosimetry.ErrCountry):
		return "COUNTRY_INVALID", err.Error()
	case !errors.As(err, &ie) || ie.Field != "NIR":
		return "IDENTIFIER_INVALID", err.Error()
	case errors.Is(err, dosimetry.ErrChecksum):
		return "NIR_KEY", err.Error()
	case errors.Is(err, dosimetry.ErrLength), errors.Is(err, dosimetry.ErrCharacter):
		return "NIR_INVALID", err.Error() + " Un travailleur sans NIR ni NIA s'identifie par « NTT:<numéro> » ou « <code pays>:<identifiant> »."
	}
	return "NIR_INVALID", err.Error()
}

// IdentifierLabel names an identifier key (see Identity.Key) in a sentence:
// « le NIR 180017505600103 », « le NTT ABC123 », « l'identifiant étranger
// 65180175M017 (DE) ».
func IdentifierLabel(key string) string {
	id, err := dosimetry.ParseWorkerIdentifier(key)
	switch {
	case err != nil:
		return "l'identifiant " + key
	case id.Kind == dosimetry.IdentifierNTT:
		return "le NTT " + id.Value
	case id.Kind == dosimetry.IdentifierForeign:
		return "l'identifiant étranger " + id.Value + " (" + id.Country + ")"
	}
	return "le " + string(id.Kind) + " " + id.Value
}

// siret checks a SIRET with its Luhn key.
func (r *Row) siret(col int) (string, bool) {
	v, ok := r.required(col)
	if !ok {
		return "", false
	}
	s, err := dosimetry.ParseSIRET(v)
	if err != nil {
		code := "SIRET_INVALID"
		if errors.Is(err, dosimetry.ErrChecksum) {
			code = "SIRET_LUHN"
		}
		r.fail(col, code, "%s", err.Error())
		return "", false
	}
	return s.String(), true
}

var serialPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$`)

func (r *Row) serial(col int, required bool) (string, bool) {
	v := r.get(col)
	if v == "" {
		if required {
			r.fail(col, "REQUIRED", "La colonne « %s » est obligatoire pour ce type de suivi.", r.cols[col])
			return "", false
		}
		return "", true
	}
	if !serialPattern.MatchString(v) {
		r.fail(col, "DOSIMETER_INVALID", "Le numéro de dosimètre « %s » est invalide (1 à 40 lettres, chiffres, « . », « _ », « / » ou « - »).", v)
		return "", false
	}
	return v, true
}

// dose parses a result: a number with its unit, M (below the recording
// threshold) or ABSENT (absence of result declared).
type doseValue struct {
	usv    int64
	below  bool
	absent bool
}

func (r *Row) dose(valueCol, unitCol int, allowCodes bool) (doseValue, bool) {
	v, ok := r.required(valueCol)
	if !ok {
		return doseValue{}, false
	}
	unit := r.get(unitCol)
	switch strings.ToUpper(v) {
	case "M":
		if !allowCodes {
			break
		}
		return doseValue{below: true}, r.unit(unitCol, unit, true)
	case "ABSENT":
		if !allowCodes {
			break
		}
		return doseValue{absent: true}, r.unit(unitCol, unit, true)
	}
	if !r.unit(unitCol, unit, false) {
		return doseValue{}, false
	}
	d, rounded, err := dosimetry.ParseDoseRounded(v, unit)
	switch {
	case errors.Is(err, dosimetry.ErrDoseNegative):
		r.fail(valueCol, "VALUE_NEGATIVE", "Le résultat « %s » porte un signe moins : une dose est positive ou nulle.", v)
		return doseValue{}, false
	case err != nil:
		hint := ""
		if allowCodes {
			hint = " Valeurs admises : un nombre, « M » (inférieur au seuil d'enregistrement) ou « ABSENT »."
		} else if u := strings.ToUpper(v); u == "M" || u == "ABSENT" {
			hint = " La dosimétrie opérationnelle n'admet qu'un nombre, ni « M » ni « ABSENT »."
		}
		r.fail(valueCol, "VALUE_INVALID", "%s%s", err.Error(), hint)
		return doseValue{}, false
	case !d.Plausible():
		r.fail(valueCol, "VALUE_IMPLAUSIBLE", "Le résultat « %s %s » dépasse 10 Sv : valeur invraisemblable (erreur d'unité ou de saisie ?).", v, unit)
		return doseValue{}, false
	case rounded:
		r.warn(valueCol, "VALUE_ROUNDED", "Le résultat %s %s est plus précis que le µSv, unité de stockage du registre : il est enregistré arrondi à %s.",
			v, unit, roundedLabel(d, unit))
	}
	return doseValue{usv: int64(d)}, true
}

// roundedLabel writes a rounded dose as recorded: in µSv, and in mSv too
// when the value was sent in mSv.
func roundedLabel(d dosimetry.Microsievert, unit string) string {
	if unit == "mSv" {
		return d.String() + " (" + d.FormatMSv() + ")"
	}
	return d.String()
}

func (r *Row) unit(col int, unit string, optional bool) bool {
	switch unit {
	case "mSv", "µSv", "μSv", "uSv":
		return true
	case "":
		if optional {
			return true
		}
		r.fail(col, "REQUIRED", "La colonne « unite » est obligatoire pour un résultat chiffré (mSv ou µSv).")
		return false
	}
	r.fail(col, "UNIT_INVALID", "L'unité « %s » n'est pas admise (unités admises : mSv, µSv, uSv).", unit)
	return false
}

// futureCheck fails when t is after today.
func (r *Row) notFuture(col int, t, now time.Time) bool {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if t.After(today.Add(24*time.Hour - time.Nanosecond)) {
		r.fail(col, "DATE_FUTURE", "La date « %s » de la colonne « %s » est dans le futur.", r.get(col), r.cols[col])
		return false
	}
	return true
}
