package anomaly

import (
	"fmt"
	"math"
)

// overlap flags a result whose wearing period overlaps another current result
// of the same worker, kind and quantity (two dosimeters for one body part, or
// a period sent twice with different bounds).
func (c Config) overlap(d Dose, history []Dose) (Finding, bool) {
	for _, h := range history {
		if h.ID == d.ID || h.Absent || h.Context.Kind != d.Context.Kind || h.Quantity != d.Quantity {
			continue
		}
		if h.Start.After(d.End) || d.Start.After(h.End) {
			continue
		}
		if h.Start.Equal(d.Start) && h.End.Equal(d.End) && h.Dosimeter == d.Dosimeter {
			continue // the same measurement: a resubmission, handled at ingest
		}
		f := d.finding(KindOverlap, LayerValidity, SeverityLow, 1,
			fmt.Sprintf("Deux résultats %s se chevauchent pour ce travailleur : %s (dosimètre %s) et %s (dosimètre %s) ; la dose risque d'être comptée deux fois.",
				kindLabel(d.Context.Kind), period(h.Start, h.End), orDash(h.Dosimeter), period(d.Start, d.End), orDash(d.Dosimeter)),
			nil, d.naturalKey(), fmt.Sprint(min(h.ID, d.ID)))
		f.RecordIDs = []int{h.ID, d.ID}
		return f, true
	}
	return Finding{}, false
}

// CheckContamination compares the Hp(0.07) and Hp(10) of one whole-body badge
// for one period: skin dose far above the deep dose suggests contamination of
// the badge (or of the skin) rather than an irradiation of the body.
func (c Config) CheckContamination(hp10, hp007 Dose) (Finding, bool) {
	if hp007.Absent || hp007.Zero || float64(hp007.USv) < floorUSv("EXTREMITY") {
		return Finding{}, false
	}
	deep := math.Max(float64(hp10.USv), 50) // below the threshold counts as half of it
	ratio := float64(hp007.USv) / deep
	if ratio < c.ContaminationRatio {
		return Finding{}, false
	}
	f := hp007.finding(KindContamination, LayerValidity, SeverityHigh, ratio,
		fmt.Sprintf("Dosimètre %s, %s : Hp(0,07) de %s pour Hp(10) de %s, soit %s plus : contamination possible du dosimètre ou de la peau.",
			orDash(hp007.Dosimeter), period(hp007.Start, hp007.End), mSv(float64(hp007.USv)), mSv(float64(hp10.USv)), times(ratio)),
		map[string]any{"hp007Usv": hp007.USv, "hp10Usv": hp10.USv, "ratio": round(ratio, 1)}, hp007.naturalKey())
	f.RecordIDs = []int{hp10.ID, hp007.ID}
	return f, true
}

// CheckDiscrepancy compares a passive whole-body result with the operational
// dosimetry summed over the same period. A gap of 0.3 mSv or 20 % is normal
// (threshold clipping, angular and energy response, wearing position); the
// finding needs |P − A| > max(0.5 mSv, 3u), u = √((0.2P)² + (0.2A)² + 0.05²).
func (c Config) CheckDiscrepancy(passive Dose, operationalUSv int64, operationalCount int) (Finding, bool) {
	if passive.Absent || operationalCount == 0 {
		return Finding{}, false
	}
	p, a := float64(passive.USv), float64(operationalUSv)
	u := math.Sqrt(math.Pow(0.2*p, 2) + math.Pow(0.2*a, 2) + 50*50)
	gap := math.Abs(p - a)
	if gap <= math.Max(500, 3*u) {
		return Finding{}, false
	}
	cause := "dosimètre passif exposé hors du port (irradiation du dosimètre non porté) possible"
	if a > p {
		cause = "dosimètre passif peut-être non porté"
	}
	return passive.finding(KindDiscrepancy, LayerValidity, SeverityMedium, gap/u,
		fmt.Sprintf("%s : dosimétrie passive %s, dosimétrie opérationnelle %s sur la même période (%d mesures) ; écart de %s au-delà de l'écart habituel, %s.",
			upper(period(passive.Start, passive.End)), mSv(p), mSv(a), operationalCount, mSv(gap), cause),
		map[string]any{"passiveUsv": passive.USv, "operationalUsv": operationalUSv, "uncertaintyUsv": round(u, 0)},
		passive.naturalKey()), true
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
