package dosimetry_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestParseMonitoringKind(t *testing.T) {
	tests := []struct {
		in      string
		want    dosimetry.MonitoringKind
		wantErr bool
	}{
		{"PASSIF_CORPS_ENTIER", dosimetry.KindWholeBody, false},
		{"EXTREMITES", dosimetry.KindExtremity, false},
		{"CRISTALLIN", dosimetry.KindLens, false},
		{"PEAU", dosimetry.KindSkin, false},
		{"NEUTRONS", dosimetry.KindNeutron, false},
		{"INTERNE", dosimetry.KindInternal, false},
		{"RADON", dosimetry.KindRadon, false},
		{"AVIATION", dosimetry.KindAviation, false},
		{"OPERATIONNEL", dosimetry.KindOperational, false},
		{" cristallin ", dosimetry.KindLens, false},
		{"PASSIVE_WHOLE_BODY", dosimetry.KindWholeBody, false},
		{"OPERATIONAL", dosimetry.KindOperational, false},
		{"EXTRÉMITÉS", "", true},
		{"CORPS_ENTIER", "", true},
		{"", "", true},
	}
	for _, tc := range tests {
		got, err := dosimetry.ParseMonitoringKind(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseMonitoringKind(%q) = %v, %v, want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}

	// Ensure the error is a French sentence listing the accepted spellings.
	t.Run("ErrUnknown", func(t *testing.T) {
		_, err := dosimetry.ParseMonitoringKind("GAMMA")
		var ce *dosimetry.CodeError
		want := "La valeur « GAMMA » n'est pas reconnue comme type de surveillance (valeurs admises : PASSIF_CORPS_ENTIER, EXTREMITES,"
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseMonitoringKind(%q) error = %v, want prefix %q", "GAMMA", err, want)
		}
	})

	// Ensure every kind round-trips through its exchange code and has a label.
	t.Run("OKRoundTrip", func(t *testing.T) {
		for _, k := range []dosimetry.MonitoringKind{dosimetry.KindWholeBody, dosimetry.KindExtremity, dosimetry.KindLens,
			dosimetry.KindSkin, dosimetry.KindNeutron, dosimetry.KindInternal, dosimetry.KindRadon,
			dosimetry.KindAviation, dosimetry.KindOperational} {
			got, err := dosimetry.ParseMonitoringKind(k.ExchangeCode())
			if err != nil || got != k || k.Label() == "" || len(k.Quantities()) == 0 {
				t.Errorf("ParseMonitoringKind(%q) = %v, %v, want %v with a label and quantities", k.ExchangeCode(), got, err, k)
			}
		}
	})
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in      string
		want    dosimetry.Quantity
		wantErr bool
	}{
		{"HP10", dosimetry.QuantityHp10, false},
		{"HP007", dosimetry.QuantityHp007, false},
		{"HP3", dosimetry.QuantityHp3, false},
		{"E50", dosimetry.QuantityE50, false},
		{"E", dosimetry.QuantityE, false},
		{"Hp(10)", dosimetry.QuantityHp10, false},
		{"Hp(0.07)", dosimetry.QuantityHp007, false},
		{"Hp(0,07)", dosimetry.QuantityHp007, false},
		{"hp(3)", dosimetry.QuantityHp3, false},
		{"E(50)", dosimetry.QuantityE50, false},
		{"Hp(0.7)", "", true},
		{"H*(10)", "", true},
		{"", "", true},
	}
	for _, tc := range tests {
		got, err := dosimetry.ParseQuantity(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseQuantity(%q) = %v, %v, want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err == nil {
			if again, _ := dosimetry.ParseQuantity(got.Symbol()); again != got {
				t.Errorf("ParseQuantity(%q) = %v, want %v", got.Symbol(), again, got)
			}
			if got.Label() == "" {
				t.Errorf("Quantity(%q).Label() is empty", got)
			}
		}
	}
}

func TestMonitoringKindQuantities(t *testing.T) {
	all := []dosimetry.Quantity{dosimetry.QuantityHp10, dosimetry.QuantityHp007, dosimetry.QuantityHp3, dosimetry.QuantityE50, dosimetry.QuantityE}
	tests := []struct {
		kind dosimetry.MonitoringKind
		want []dosimetry.Quantity
	}{
		// A whole-body badge reports Hp(10) and Hp(0.07) (skin, contamination check).
		{dosimetry.KindWholeBody, []dosimetry.Quantity{dosimetry.QuantityHp10, dosimetry.QuantityHp007}},
		{dosimetry.KindNeutron, []dosimetry.Quantity{dosimetry.QuantityHp10}},
		{dosimetry.KindExtremity, []dosimetry.Quantity{dosimetry.QuantityHp007}},
		{dosimetry.KindSkin, []dosimetry.Quantity{dosimetry.QuantityHp007}},
		{dosimetry.KindLens, []dosimetry.Quantity{dosimetry.QuantityHp3, dosimetry.QuantityHp007}},
		{dosimetry.KindInternal, []dosimetry.Quantity{dosimetry.QuantityE50}},
		{dosimetry.KindRadon, []dosimetry.Quantity{dosimetry.QuantityE}},
		{dosimetry.KindAviation, []dosimetry.Quantity{dosimetry.QuantityE}},
		{"UNKNOWN", nil},
	}
	for _, tc := range tests {
		for _, q := range all {
			want := slices.Contains(tc.want, q)
			if got := tc.kind.Allows(q); got != want {
				t.Errorf("%v.Allows(%v) = %v, want %v", tc.kind, q, got, want)
			}
			if err := tc.kind.CheckQuantity(q); (err == nil) != want {
				t.Errorf("%v.CheckQuantity(%v) = %v, want error %v", tc.kind, q, err, !want)
			}
		}
	}

	// Ensure the mismatch message names the kind and the accepted quantities.
	t.Run("ErrQuantityNotAllowed", func(t *testing.T) {
		err := dosimetry.KindExtremity.CheckQuantity(dosimetry.QuantityHp3)
		want := "La grandeur « Hp(3) » n'est pas admise pour le type de surveillance « Extrémités » (grandeurs admises : Hp(0.07))."
		if err == nil || err.Error() != want {
			t.Errorf("CheckQuantity() = %v, want %q", err, want)
		}
	})
}
