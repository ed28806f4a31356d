package ingest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/siseri/siseri/backend/dosimetry"
)

// row is one row being checked: its problems go to the report.
type row struct {
	line   int
	cols   []string
	fields []string
	probs  []Problem
}

func (r *row) bad() bool { return len(r.probs) > 0 }

// fail records a problem on column col (-1: the whole row).
func (r *row) fail(col int, code, format string, args ...any) {
	p := Problem{Line: r.line, Code: code, Message: fmt.Sprintf(format, args...)}
	if col >= 0 {
		p.Column = r.cols[col]
		p.Value = r.fields[col]
	}
	r.probs = append(r.probs, p)
}

func (r *row) get(col int) string { return strings.TrimSpace(r.fields[col]) }

// required returns the trimmed value of col, or fails with REQUIRED.
func (r *row) required(col int) (string, bool) {
	v := r.get(col)
	if v == "" {
		r.fail(col, "REQUIRED", "La colonne « %s » est obligatoire.", r.cols[col])
		return "", false
	}
	return v, true
}

func (r *row) name(col int) (string, bool) {
	v, ok := r.required(col)
	if !ok {
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

func (r *row) date(col int, optional bool) (time.Time, bool) {
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

func (r *row) dateTime(col int) (time.Time, bool) {
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

// nir checks a NIR (or NIA) with its key.
func (r *row) nir(col int) (string, bool) {
	v, ok := r.required(col)
	if !ok {
		return "", false
	}
	n, err := dosimetry.ParseNIR(v)
	if err != nil {
		code := "NIR_INVALID"
		if errors.Is(err, dosimetry.ErrChecksum) {
			code = "NIR_KEY"
		}
		r.fail(col, code, "%s", err.Error())
		return "", false
	}
	return n.String(), true
}

// siret checks a SIRET with its Luhn key.
func (r *row) siret(col int) (string, bool) {
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

func (r *row) serial(col int, required bool) (string, bool) {
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

func (r *row) dose(valueCol, unitCol int, allowCodes bool) (doseValue, bool) {
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
	if strings.HasPrefix(v, "-") {
		r.fail(valueCol, "VALUE_NEGATIVE", "Le résultat « %s » est négatif : une dose est positive ou nulle.", v)
		return doseValue{}, false
	}
	d, err := dosimetry.ParseDose(v, unit)
	if err != nil {
		hint := ""
		if allowCodes {
			hint = " Valeurs admises : un nombre, « M » (inférieur au seuil d'enregistrement) ou « ABSENT »."
		}
		r.fail(valueCol, "VALUE_INVALID", "%s%s", err.Error(), hint)
		return doseValue{}, false
	}
	if !d.Plausible() {
		r.fail(valueCol, "VALUE_IMPLAUSIBLE", "Le résultat « %s %s » dépasse 10 Sv : valeur invraisemblable (erreur d'unité ou de saisie ?).", v, unit)
		return doseValue{}, false
	}
	return doseValue{usv: int64(d)}, true
}

func (r *row) unit(col int, unit string, optional bool) bool {
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
func (r *row) notFuture(col int, t, now time.Time) bool {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if t.After(today.Add(24*time.Hour - time.Nanosecond)) {
		r.fail(col, "DATE_FUTURE", "La date « %s » de la colonne « %s » est dans le futur.", r.get(col), r.cols[col])
		return false
	}
	return true
}

// warn is a placeholder until report warnings land (branch hygiene).
func (r *row) warn(col int, code, format string, args ...any) {}
