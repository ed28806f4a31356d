package dosimetry_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestParseDose(t *testing.T) {
	tests := []struct {
		name, value, unit string
		want              dosimetry.Microsievert
		wantErr           string // substring of the French message; "" for success
	}{
		{"OKmSvComma", "2,40", "mSv", 2400, ""},
		{"OKmSvDot", "2.4", "mSv", 2400, ""},
		{"OKmSvThreeDecimals", "0,055", "mSv", 55, ""},
		{"OKmSvTrailingZeros", "1,2000", "mSv", 1200, ""},
		{"OKmSvInteger", "20", "mSv", 20000, ""},
		{"OKmSvZero", "0", "mSv", 0, ""},
		{"OKmSvZeros", "000,000", "mSv", 0, ""},
		{"OKSpaces", " 1,5 ", " mSv ", 1500, ""},
		{"OKMicroSign", "55", "\u00b5Sv", 55, ""},
		{"OKGreekMu", "55", "\u03bcSv", 55, ""},
		{"OKuSv", "1200", "uSv", 1200, ""},
		{"OKuSvZeroDecimals", "1200,0", "uSv", 1200, ""},
		{"OKAboveTenSievert", "10000,001", "mSv", 10_000_001, ""},
		{"ErrNegative", "-0,10", "mSv", 0, "est négative"},
		{"ErrNegativeMinusSign", "−1", "mSv", 0, "est négative"},
		{"ErrPlus", "+1", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrNaN", "NaN", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrInf", "Inf", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrExponent", "1e3", "µSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrTwoSeparators", "1,2.3", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrThousands", "1 200", "µSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrLeadingSeparator", ",5", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrTrailingSeparator", "5,", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrEmpty", " ", "mSv", 0, "est vide"},
		{"ErrPrecisionmSv", "0,0505", "mSv", 0, "est plus précise que le microsievert : le registre enregistre les doses au microsievert près (1 µSv = 0,001 mSv)"},
		{"ErrPrecisionuSv", "0,5", "µSv", 0, "au plus 3 décimales en mSv et aucune en µSv"},
		{"ErrMinusOnly", "-", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrDoubleMinus", "--", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrDoubleMinusNumber", "--1", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrMinusLeadingSeparator", "-.5", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrPlusOnly", "+", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrInnerMinus", "1-2", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrMinusSpace", "- 1", "mSv", 0, "n'est pas un nombre décimal valide"},
		{"ErrNoUnit", "1", "", 0, "La dose « 1 » n'a pas d'unité"},
		{"ErrUnitSv", "1", "Sv", 0, "a une unité inconnue"},
		{"ErrUnitUppercase", "1", "MSV", 0, "a une unité inconnue"},
		{"ErrUnitGray", "1", "mGy", 0, "La dose « 1 mGy » a une unité inconnue (unités admises : mSv, µSv)."},
		{"ErrOverflow", "9999999999999999999", "µSv", 0, "trop grande"},
		{"ErrOverflowmSv", "9223372036854776", "mSv", 0, "trop grande"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dosimetry.ParseDose(tc.value, tc.unit)
			if tc.wantErr == "" {
				if err != nil || got != tc.want {
					t.Errorf("ParseDose(%q, %q) = %v, %v, want %v", tc.value, tc.unit, got, err, tc.want)
				}
				return
			}
			var de *dosimetry.DoseError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseDose(%q, %q) = %v, %v, want error containing %q", tc.value, tc.unit, got, err, tc.wantErr)
			}
		})
	}
}

// TestParseDoseSentinels: each kind of refusal wraps its sentinel, so that
// callers (the import's VALUE_NEGATIVE, VALUE_INVALID) can tell them apart.
func TestParseDoseSentinels(t *testing.T) {
	tests := []struct {
		value, unit string
		want        error
	}{
		{"-0.2", "mSv", dosimetry.ErrDoseNegative},
		{"−1", "µSv", dosimetry.ErrDoseNegative},
		{"-0", "mSv", dosimetry.ErrDoseNegative},
		{"--", "mSv", dosimetry.ErrDoseSyntax},
		{"-", "mSv", dosimetry.ErrDoseSyntax},
		{"--1", "mSv", dosimetry.ErrDoseSyntax},
		{"-.5", "mSv", dosimetry.ErrDoseSyntax},
		{"+", "mSv", dosimetry.ErrDoseSyntax},
		{"1-2", "mSv", dosimetry.ErrDoseSyntax},
		{"-1e3", "mSv", dosimetry.ErrDoseSyntax},
		{"", "mSv", dosimetry.ErrDoseSyntax},
		{"0.0004", "mSv", dosimetry.ErrDosePrecision},
		{"1", "Sv", dosimetry.ErrDoseUnit},
		{"99999999999999999999", "µSv", dosimetry.ErrDoseRange},
	}
	for _, tc := range tests {
		if _, err := dosimetry.ParseDose(tc.value, tc.unit); !errors.Is(err, tc.want) {
			t.Errorf("ParseDose(%q, %q) = %v, want %v", tc.value, tc.unit, err, tc.want)
		}
	}
}

func TestParseDoseRounded(t *testing.T) {
	tests := []struct {
		name, value, unit string
		want              dosimetry.Microsievert
		rounded           bool
		wantErr           error
	}{
		{"OKExact", "0,25", "mSv", 250, false, nil},
		{"OKTrailingZeros", "0,25000", "mSv", 250, false, nil},
		{"OKBelowHalfMicro", "0.30", "µSv", 0, true, nil},
		{"OKBelowHalfMilli", "0.0004", "mSv", 0, true, nil},
		{"OKHalfUpMicro", "0,5", "µSv", 1, true, nil},
		{"OKHalfUpMilli", "0.0005", "mSv", 1, true, nil},
		// Half away from zero, not to even: 2,5 µSv is 3 µSv.
		{"OKHalfAwayFromZero", "2.5", "uSv", 3, true, nil},
		{"OKJustBelowHalf", "0.49999", "µSv", 0, true, nil},
		{"OKCarry", "0,9996", "mSv", 1000, true, nil},
		{"OKCarryInteger", "9.9", "µSv", 10, true, nil},
		{"OKFinemSv", "1,2345", "mSv", 1235, true, nil},
		{"OKFineDown", "1,2344", "mSv", 1234, true, nil},
		{"ErrNegative", "-0.2", "mSv", 0, false, dosimetry.ErrDoseNegative},
		{"ErrNegativeFine", "-0.0004", "mSv", 0, false, dosimetry.ErrDoseNegative},
		{"ErrSyntax", "--", "mSv", 0, false, dosimetry.ErrDoseSyntax},
		{"ErrSyntaxAfterRounding", "0.0004x", "mSv", 0, false, dosimetry.ErrDoseSyntax},
		{"ErrOverflow", "9223372036854775807.5", "µSv", 0, false, dosimetry.ErrDoseRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, rounded, err := dosimetry.ParseDoseRounded(tc.value, tc.unit)
			if !errors.Is(err, tc.wantErr) || got != tc.want || rounded != tc.rounded {
				t.Errorf("ParseDoseRounded(%q, %q) = %v, %v, %v, want %v, %v, %v",
					tc.value, tc.unit, got, rounded, err, tc.want, tc.rounded, tc.wantErr)
			}
		})
	}
}

func TestFormatMSv(t *testing.T) {
	tests := []struct {
		in   dosimetry.Microsievert
		want string
	}{
		{2400, "2,40 mSv"},
		{0, "0,00 mSv"},
		{55, "0,055 mSv"},
		{50, "0,05 mSv"},
		{1, "0,001 mSv"},
		{20000, "20,00 mSv"},
		{10_000_000, "10000,00 mSv"},
		{-1500, "-1,50 mSv"},
		{-9223372036854775808, "-9223372036854775,808 mSv"},
	}
	for _, tc := range tests {
		if got := tc.in.FormatMSv(); got != tc.want {
			t.Errorf("Microsievert(%d).FormatMSv() = %q, want %q", int64(tc.in), got, tc.want)
		}
	}
	if got := dosimetry.Microsievert(2400).MilliSievert(); got != 2.4 {
		t.Errorf("Microsievert(2400).MilliSievert() = %v, want 2.4", got)
	}
	if got := dosimetry.Microsievert(2400).String(); got != "2400 µSv" {
		t.Errorf("Microsievert(2400).String() = %q, want %q", got, "2400 µSv")
	}
}

func TestPlausible(t *testing.T) {
	tests := []struct {
		in   dosimetry.Microsievert
		want bool
	}{
		{0, true},
		{20_000, true},
		{10_000_000, true},
		{10_000_001, false},
		{-1, false},
	}
	for _, tc := range tests {
		if got := tc.in.Plausible(); got != tc.want {
			t.Errorf("Microsievert(%d).Plausible() = %v, want %v", int64(tc.in), got, tc.want)
		}
	}
}

func FuzzParseDose(f *testing.F) {
	for _, s := range [][2]string{{"2,40", "mSv"}, {"0.055", "mSv"}, {"55", "µSv"}, {"55", "μSv"}, {"-1", "uSv"},
		{"NaN", "mSv"}, {"1e3", "mSv"}, {"9223372036854775807", "uSv"}, {"", ""},
		{"0,30", "µSv"}, {"0.0005", "mSv"}, {"--", "mSv"}, {"99999999999999999999.5", "µSv"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, value, unit string) {
		r, rounded, rerr := dosimetry.ParseDoseRounded(value, unit)
		d, err := dosimetry.ParseDose(value, unit)
		if err != nil {
			var de *dosimetry.DoseError
			if !errors.As(err, &de) {
				t.Fatalf("ParseDose(%q, %q) error = %#v, want *DoseError", value, unit, err)
			}
			// Rounding only ever accepts what ParseDose refuses for precision
			// (unless the rounded number is too large).
			precision := errors.Is(err, dosimetry.ErrDosePrecision)
			if (!precision && rerr == nil) || (precision && rerr != nil && !errors.Is(rerr, dosimetry.ErrDoseRange)) || (rerr == nil && !rounded) {
				t.Fatalf("ParseDoseRounded(%q, %q) = %v, %v, %v after ParseDose error %v", value, unit, r, rounded, rerr, err)
			}
			return
		}
		if rerr != nil || rounded || r != d {
			t.Fatalf("ParseDoseRounded(%q, %q) = %v, %v, %v, want %v as ParseDose", value, unit, r, rounded, rerr, d)
		}
		if d < 0 {
			t.Fatalf("ParseDose(%q, %q) = %v, want a non-negative dose", value, unit, d)
		}
		ms := strings.TrimSuffix(d.FormatMSv(), " mSv")
		if again, err := dosimetry.ParseDose(ms, "mSv"); err != nil || again != d {
			t.Fatalf("ParseDose(%q, %q) = %v, %v, want %v", ms, "mSv", again, err, d)
		}
		us := strconv.FormatInt(int64(d), 10)
		if again, err := dosimetry.ParseDose(us, "µSv"); err != nil || again != d {
			t.Fatalf("ParseDose(%q, %q) = %v, %v, want %v", us, "µSv", again, err, d)
		}
	})
}
