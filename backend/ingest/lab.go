package ingest

import (
	"fmt"
	"regexp"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

// labColumns are the columns of laboratory results v2; v1 files have all but
// the last, date_reception.
var labColumns = []string{"nir", "nom", "prenom", "date_naissance", "siret", "dosimetre", "type_suivi",
	"grandeur", "debut_periode", "fin_periode", "resultat", "unite", "radionucleide", "commentaire", "date_reception"}

const (
	lNIR = iota
	lNom
	lPrenom
	lNaissance
	lSIRET
	lDosimetre
	lType
	lGrandeur
	lDebut
	lFin
	lResultat
	lUnite
	lRadionucleide
	lCommentaire
	lDateReception
)

// LabResult is a laboratory result as its row says it: the Dose it becomes
// (the registry fills in the worker, establishment, laboratory, codes and
// version), and the identity and establishment the row claims.
type LabResult struct {
	dosimetry.Dose
	// Identity is the worker the row names.
	Identity Identity
	// SIRET is the establishment of the row, canonical.
	SIRET string
}

// Identity is the worker a row names: the identifier key (the canonical
// spelling of dosimetry.ParseWorkerIdentifier, which rows and workers are
// matched on), the names and, when the row has one, the birth date.
type Identity struct {
	Key        string
	LastName   string
	FirstNames string
	BirthDate  time.Time
	HasBirth   bool
}

var nuclidePattern = regexp.MustCompile(`^[A-Z][a-z]?-?[0-9]{1,3}m?$`)

// passiveMaxMonths is the longest wearing period of a passive dosimeter.
const passiveMaxMonths = 3

// ParseLab checks one row of laboratory results on its own (formats, codes,
// consistency) as of now, and reports whether it is valid.
func ParseLab(r *Row, now time.Time) (LabResult, bool) {
	rec := LabResult{Dose: dosimetry.Dose{Source: dosimetry.SourceLaboratory, Version: 1}}
	var ok bool
	good := true
	if rec.Identity.Key, ok = r.nir(lNIR); !ok {
		good = false
	}
	if rec.Identity.LastName, ok = r.name(lNom); !ok {
		good = false
	}
	if rec.Identity.FirstNames, ok = r.name(lPrenom); !ok {
		good = false
	}
	if rec.Identity.BirthDate, ok = r.date(lNaissance, false); !ok {
		good = false
	} else if r.notFuture(lNaissance, rec.Identity.BirthDate, now) {
		rec.Identity.HasBirth = true
	} else {
		good = false
	}
	if rec.SIRET, ok = r.siret(lSIRET); !ok {
		good = false
	}
	kindOK, qOK := false, false
	if v, ok := r.required(lType); ok {
		k, err := dosimetry.ParseMonitoringKind(v)
		switch {
		case err != nil:
			r.fail(lType, "MONITORING_KIND_INVALID", "%s", err.Error())
		case k == dosimetry.KindOperational:
			r.fail(lType, "MONITORING_KIND_INVALID", "La dosimétrie opérationnelle s'envoie au format « dosimétrie opérationnelle », pas avec les résultats de laboratoire.")
		default:
			rec.Kind, kindOK = k, true
		}
	}
	if v, ok := r.required(lGrandeur); ok {
		q, err := dosimetry.ParseQuantity(v)
		if err != nil {
			r.fail(lGrandeur, "QUANTITY_INVALID", "%s", err.Error())
		} else {
			rec.Quantity, qOK = q, true
		}
	}
	if kindOK && qOK {
		if err := rec.Kind.CheckQuantity(rec.Quantity); err != nil {
			r.fail(lGrandeur, "QUANTITY_KIND_MISMATCH", "%s", err.Error())
			good = false
		}
	} else {
		good = false
	}
	needsSerial := kindOK && rec.Kind != dosimetry.KindInternal && rec.Kind != dosimetry.KindAviation
	if rec.Dosimeter, ok = r.serial(lDosimetre, needsSerial); !ok {
		good = false
	}
	start, okS := r.date(lDebut, false)
	end, okE := r.date(lFin, false)
	if okS && okE {
		switch {
		case end.Before(start):
			r.fail(lFin, "PERIOD_ORDER", "La fin de période %s précède son début %s.", r.get(lFin), r.get(lDebut))
			good = false
		case !r.notFuture(lFin, end, now):
			good = false
		case kindOK && rec.Kind != dosimetry.KindInternal && !end.Before(start.AddDate(0, passiveMaxMonths, 0)):
			r.fail(lFin, "PERIOD_TOO_LONG", "La période du %s au %s dépasse %d mois, la durée maximale de port d'un dosimètre.", r.get(lDebut), r.get(lFin), passiveMaxMonths)
			good = false
		}
		rec.Start, rec.End = start, end
	} else {
		good = false
	}
	dose, ok := r.dose(lResultat, lUnite, true)
	if !ok {
		good = false
	}
	rec.Value, rec.Status = dosimetry.Microsievert(dose.usv), dose.status()
	nuc := r.get(lRadionucleide)
	switch {
	case !kindOK:
	case rec.Kind == dosimetry.KindInternal && nuc == "":
		r.fail(lRadionucleide, "RADIONUCLIDE_REQUIRED", "Le radionucléide est obligatoire pour un résultat de dosimétrie interne (ex. « Cs-137 »).")
		good = false
	case rec.Kind != dosimetry.KindInternal && nuc != "":
		r.fail(lRadionucleide, "RADIONUCLIDE_NOT_ALLOWED", "Le radionucléide ne se renseigne que pour la dosimétrie interne (type de suivi INTERNE).")
		good = false
	case nuc != "" && !nuclidePattern.MatchString(nuc):
		r.fail(lRadionucleide, "RADIONUCLIDE_INVALID", "Le radionucléide « %s » n'est pas écrit comme un symbole suivi du nombre de masse (ex. « Cs-137 », « I-131 », « Tc-99m »).", nuc)
		good = false
	default:
		rec.Radionuclide = nuc
	}
	rec.Comment = r.get(lCommentaire)
	if !r.plainText(lCommentaire) {
		good = false
	} else if len([]rune(rec.Comment)) > 500 {
		r.fail(lCommentaire, "TOO_LONG", "Le commentaire dépasse 500 caractères.")
		good = false
	}
	if got, ok := r.date(lDateReception, true); !ok {
		good = false
	} else if !got.IsZero() {
		switch {
		case !r.notFuture(lDateReception, got, now):
			good = false
		case okE && got.Before(end):
			r.fail(lDateReception, "RECEIPT_BEFORE_PERIOD_END", "Le résultat ne peut pas avoir été reçu le %s, avant la fin de sa période de port (%s).",
				r.get(lDateReception), r.get(lFin))
			good = false
		default:
			rec.ReceivedOn = got
		}
	}
	return rec, good && !r.bad()
}

// status is the stored status of a result's value.
func (v doseValue) status() dosimetry.DoseStatus {
	switch {
	case v.absent:
		return dosimetry.StatusAbsent
	case v.below:
		return dosimetry.StatusBelowThreshold
	}
	return dosimetry.StatusMeasured
}

// Key identifies a result of a laboratory: the same dosimeter (or, for
// results without dosimeter, the same worker and kind), quantity and period.
func (rec *LabResult) Key() string {
	return ResultKey(rec.Identity.Key, string(rec.Kind), rec.Dosimeter, string(rec.Quantity), rec.Start, rec.End)
}

// ResultKey is the natural key of a laboratory result, from a row or a
// stored record (nir: the identifier key of its worker).
func ResultKey(nir, kind, dosimeter, quantity string, start, end time.Time) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s", nir, kind, dosimeter, quantity,
		start.UTC().Format(dateLayout), end.UTC().Format(dateLayout))
}
