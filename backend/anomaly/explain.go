package anomaly

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// mSv formats µSv as French mSv: « 2,4 mSv », « 0,10 mSv ».
func mSv(usv float64) string {
	v := usv / 1000
	var s string
	switch {
	case v >= 10:
		s = strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 1:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	default:
		s = strconv.FormatFloat(v, 'f', 3, 64)
		s = strings.TrimRight(s, "0")
		if strings.HasSuffix(s, ".") || len(s) < 4 {
			s = strconv.FormatFloat(v, 'f', 2, 64)
		}
	}
	return strings.Replace(s, ".", ",", 1) + " mSv"
}

// period describes a wearing period: « mai 2024 », « le trimestre avril–juin 2024 ».
func period(start, end time.Time) string {
	if start.Year() == end.Year() && start.Month() == end.Month() {
		return monthsFR[end.Month()-1] + " " + strconv.Itoa(end.Year())
	}
	if start.Year() == end.Year() {
		return fmt.Sprintf("la période %s–%s %d", monthsFR[start.Month()-1], monthsFR[end.Month()-1], end.Year())
	}
	return fmt.Sprintf("la période %s %d – %s %d", monthsFR[start.Month()-1], start.Year(), monthsFR[end.Month()-1], end.Year())
}

// ordinalPercentile writes a share as a French percentile: « 99,7e centile ».
func ordinalPercentile(p float64) string {
	v := math.Floor(p*1000) / 10
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + "e centile"
}

// count writes an integer with French thousands spacing: « 1 832 ».
func count(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// times writes a ratio: « 8 fois », « 2,5 fois ».
func times(r float64) string {
	if r >= 10 {
		return strconv.FormatFloat(math.Round(r), 'f', 0, 64) + " fois"
	}
	s := strconv.FormatFloat(math.Round(r*10)/10, 'f', 1, 64)
	return strings.Replace(strings.TrimSuffix(s, ".0"), ".", ",", 1) + " fois"
}

// quantityLabel is the quantity's symbol for sentences: « Hp(10) ».
func quantityLabel(q string) string {
	if parsed, err := dosimetry.ParseQuantity(q); err == nil {
		return parsed.Symbol()
	}
	return q
}

// kindLabel is the French label of a monitoring kind.
func kindLabel(k string) string {
	if parsed, err := dosimetry.ParseMonitoringKind(k); err == nil {
		return strings.ToLower(parsed.Label())
	}
	return strings.ToLower(k)
}

func periodicity(months int) string {
	switch months {
	case 1:
		return "mensuelles"
	case 3:
		return "trimestrielles"
	}
	return fmt.Sprintf("sur %d mois", months)
}
