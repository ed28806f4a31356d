package anomaly

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/exceedancenotice"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/policy"
)

// Unknown is the code (and « Non renseigné » the label) of a sector, domain
// or region the registry does not know for a notice.
const Unknown = "NON_RENSEIGNE"

const unknownLabel = "Non renseigné"

// noticeBand is one band of an exceedance relative to its limit: from Lower
// times the limit (inclusive) to Upper times (exclusive; 0 for the top band).
type noticeBand struct {
	Band         exceedancenotice.Band
	Lower, Upper float64
	Label        string
}

// noticeBands are the value bands of the ministry's notice, in order.
var noticeBands = []noticeBand{
	{exceedancenotice.BandFrom1To1_25, 1, 1.25, "de 1 à 1,25 fois la limite"},
	{exceedancenotice.BandFrom1_25To2, 1.25, 2, "de 1,25 à 2 fois la limite"},
	{exceedancenotice.BandFrom2To5, 2, 5, "de 2 à 5 fois la limite"},
	{exceedancenotice.BandAbove5, 5, 0, "plus de 5 fois la limite"},
}

// bandOf returns the band of a sum relative to its limit (the first band for
// a sum at or under the limit: the pregnancy limit is exceeded from the limit).
func bandOf(sumUSv, limitUSv int64) noticeBand {
	b := noticeBands[0]
	for _, x := range noticeBands[1:] {
		if float64(sumUSv) >= x.Lower*float64(limitUSv) {
			b = x
		}
	}
	return b
}

// regionLabels are the INSEE codes of the French regions (2016 map).
var regionLabels = map[string]string{
	"01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion", "06": "Mayotte",
	"11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté", "28": "Normandie",
	"32": "Hauts-de-France", "44": "Grand Est", "52": "Pays de la Loire", "53": "Bretagne",
	"75": "Nouvelle-Aquitaine", "76": "Occitanie", "84": "Auvergne-Rhône-Alpes",
	"93": "Provence-Alpes-Côte d'Azur", "94": "Corse",
}

// Notify records, in the transaction of client, the ministry of labour's
// anonymous notice of exceedance a, which the occupational physician
// confirmed on day confirmed (arrêté 2023, « devoir d'alerte »). The notice
// keeps only the sector and domain of the exposure context, the region of the
// establishment, the limit and population, the band of the value relative to
// the limit (at the episode's peak), the month the first window over the limit
// ends and the day of confirmation: nothing that names the worker, the
// establishment or the value. It fails when a's reference does not name its
// limit, which the regulatory layer always does.
func Notify(ctx context.Context, client *ent.Client, a *ent.Anomaly, confirmed time.Time) (*ent.ExceedanceNotice, error) {
	sys := policy.SystemContext(ctx)
	ref := a.Reference
	limit := exceedancenotice.LimitCode(refString(ref["limit"]))
	if exceedancenotice.LimitCodeValidator(limit) != nil {
		return nil, fmt.Errorf("notify exceedance %d: reference names no known limit (%q)", a.ID, ref["limit"])
	}
	pop := exceedancenotice.Population(refString(ref["population"]))
	if exceedancenotice.PopulationValidator(pop) != nil {
		pop = exceedancenotice.PopulationAdult
		if limit == exceedancenotice.LimitCodePregnancy {
			pop = exceedancenotice.PopulationUnbornChild
		}
	}
	sum, limitUSv := refInt(ref["sumUsv"]), refInt(ref["limitUsv"])
	if peak, ok := ref["peak"].(map[string]any); ok && refInt(peak["limitUsv"]) > 0 {
		sum, limitUSv = refInt(peak["sumUsv"]), refInt(peak["limitUsv"])
	}
	if limitUSv <= 0 {
		return nil, fmt.Errorf("notify exceedance %d: reference has no limit value", a.ID)
	}
	band := bandOf(sum, limitUSv)
	month := confirmed
	if a.PeriodEnd != nil {
		month = *a.PeriodEnd
	} else if t, err := time.Parse(time.DateOnly, refString(ref["windowLast"])); err == nil {
		month = t
	}
	ctxt, err := contextOf(sys, client, a, month)
	if err != nil {
		return nil, err
	}
	n := client.ExceedanceNotice.Create().
		SetSectorCode(ctxt.sector).SetSectorLabel(ctxt.sectorLabel).
		SetDomainCode(ctxt.domain).SetDomainLabel(ctxt.domainLabel).
		SetRegionCode(ctxt.region).SetRegionLabel(ctxt.regionLabel).
		SetLimitCode(limit).SetPopulation(pop).
		SetBand(band.Band).SetBandLabel(band.Label).SetBandLowerUsv(int64(band.Lower * float64(limitUSv))).
		SetExceedanceMonth(time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)).
		SetConfirmedOn(time.Date(confirmed.UTC().Year(), confirmed.UTC().Month(), confirmed.UTC().Day(), 0, 0, 0, 0, time.UTC))
	if band.Upper > 0 {
		n.SetBandUpperUsv(int64(band.Upper * float64(limitUSv)))
	}
	saved, err := n.Save(sys)
	if err != nil {
		return nil, fmt.Errorf("record exceedance notice: %w", err)
	}
	return saved, nil
}

// noticeContext is the coarse context of a notice.
type noticeContext struct {
	sector, sectorLabel, domain, domainLabel, region, regionLabel string
}

// contextOf finds the sector (of the worker's employment in the anomaly's
// establishment on day, else of the anomaly's doses), its domain (the
// sector's parent in the nomenclature, else the establishment's) and the
// establishment's region, with their labels; unknown ones are NON_RENSEIGNE.
func contextOf(sys context.Context, client *ent.Client, a *ent.Anomaly, day time.Time) (noticeContext, error) {
	c := noticeContext{sector: Unknown, domain: Unknown, region: Unknown}
	version := ""
	if a.EstablishmentID != 0 {
		e, err := client.Establishment.Get(sys, a.EstablishmentID)
		if err != nil {
			return c, fmt.Errorf("find establishment: %w", err)
		}
		if e.Region != "" {
			c.region = e.Region
		}
		if e.DomainCode != "" {
			c.domain = e.DomainCode
		}
		emps, err := client.Employment.Query().Where(employment.WorkerID(a.WorkerID), employment.EstablishmentID(e.ID),
			employment.SectorCodeNotNil()).Order(ent.Desc(employment.FieldStartDate)).All(sys)
		if err != nil {
			return c, fmt.Errorf("find employments: %w", err)
		}
		if len(emps) > 0 {
			chosen := emps[0] // the latest, unless one covers the day
			for _, emp := range emps {
				if !emp.StartDate.After(day) && (emp.EndDate == nil || !emp.EndDate.Before(day)) {
					chosen = emp
					break
				}
			}
			c.sector, version = *chosen.SectorCode, chosen.NomenclatureVersion
		}
	}
	if c.sector == Unknown {
		d, err := a.QueryDoseRecords().Where(doserecord.SectorCodeNotNil()).Order(ent.Desc(doserecord.FieldPeriodEnd)).First(sys)
		if err != nil && !ent.IsNotFound(err) {
			return c, fmt.Errorf("find doses: %w", err)
		}
		if d != nil {
			c.sector = *d.SectorCode
		}
	}
	if c.sector != Unknown {
		s, err := nomenclatureCode(sys, client, nomenclature.KindSector, c.sector, version)
		if err != nil {
			return c, err
		}
		if s != nil {
			c.sectorLabel = s.Label
			if s.ParentCode != "" {
				c.domain = s.ParentCode
			}
		}
	}
	if c.domain != Unknown {
		d, err := nomenclatureCode(sys, client, nomenclature.KindDomain, c.domain, version)
		if err != nil {
			return c, err
		}
		if d != nil {
			c.domainLabel = d.Label
		}
	}
	c.sectorLabel = labelOr(c.sector, c.sectorLabel)
	c.domainLabel = labelOr(c.domain, c.domainLabel)
	c.regionLabel = labelOr(c.region, regionLabels[c.region])
	return c, nil
}

// nomenclatureCode returns the nomenclature row of a code, preferring version, else the
// latest version; nil when the code is not in the nomenclature.
func nomenclatureCode(sys context.Context, client *ent.Client, kind nomenclature.Kind, c, version string) (*ent.Nomenclature, error) {
	rows, err := client.Nomenclature.Query().Where(nomenclature.KindEQ(kind), nomenclature.Code(c)).
		Order(ent.Desc(nomenclature.FieldValidFrom)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("find nomenclature %s %s: %w", kind, c, err)
	}
	for _, r := range rows {
		if r.Version == version {
			return r, nil
		}
	}
	if len(rows) > 0 {
		return rows[0], nil
	}
	return nil, nil
}

// labelOr returns label, « Non renseigné » for an unknown code, else the code.
func labelOr(c, label string) string {
	switch {
	case c == Unknown:
		return unknownLabel
	case label != "":
		return label
	}
	return c
}

// refString reads a string of a reference.
func refString(v any) string {
	s, _ := v.(string)
	return s
}

// refInt reads an integer of a reference, as stored (int64) or read back from
// JSON (float64).
func refInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}
