package ingest

import (
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

var opColumns = []string{"nir", "nom", "prenom", "siret", "dosimetre", "debut", "fin", "resultat", "unite"}

const (
	oNIR = iota
	oNom
	oPrenom
	oSIRET
	oDosimetre
	oDebut
	oFin
	oResultat
	oUnite
)

// opMaxPeriod is the longest period an operational result may cover (results
// are sent at least weekly; a month leaves room for late sends).
const opMaxPeriod = 31 * 24 * time.Hour

// OperationalResult is an operational (active) dosimetry result as its row
// says it.
type OperationalResult struct {
	// Identity is the worker the row names (no birth date).
	Identity   Identity
	SIRET      string
	Dosimeter  string
	Start, End time.Time
	Value      dosimetry.Microsievert
}

// ParseOperational checks one row of operational dosimetry on its own as of
// now, and reports whether it is valid.
func ParseOperational(r *Row, now time.Time) (OperationalResult, bool) {
	var o OperationalResult
	o.Identity.Key, _ = r.nir(oNIR)
	o.Identity.LastName, _ = r.name(oNom)
	o.Identity.FirstNames, _ = r.name(oPrenom)
	o.SIRET, _ = r.siret(oSIRET)
	o.Dosimeter, _ = r.serial(oDosimetre, true)
	start, okS := r.dateTime(oDebut)
	end, okE := r.dateTime(oFin)
	if okS && okE {
		switch {
		case !end.After(start):
			r.fail(oFin, "PERIOD_ORDER", "La fin %s ne suit pas le début %s.", r.get(oFin), r.get(oDebut))
		case end.After(now):
			r.fail(oFin, "DATE_FUTURE", "La fin %s est dans le futur.", r.get(oFin))
		case end.Sub(start) > opMaxPeriod:
			r.fail(oFin, "PERIOD_TOO_LONG", "La période du %s au %s dépasse 31 jours : la dosimétrie opérationnelle est transmise au moins chaque semaine.", r.get(oDebut), r.get(oFin))
		}
		o.Start, o.End = start, end
	}
	d, ok := r.dose(oResultat, oUnite, false)
	if ok {
		o.Value = dosimetry.Microsievert(d.usv)
	}
	return o, !r.bad()
}

// Key is the natural key of the result: its worker, dosimeter and period.
func (o *OperationalResult) Key() string {
	return OperationalKey(o.Identity.Key, o.Dosimeter, o.Start, o.End)
}

// OperationalKey is the natural key of an operational result, from a row or
// a stored one (nir: the identifier key of its worker).
func OperationalKey(nir, dosimeter string, start, end time.Time) string {
	return fmt.Sprintf("%s|%s|%s|%s", nir, dosimeter, start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
}
