package dosimetry_test

import (
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name                             string
		effective, lens, skin, extremity dosimetry.Microsievert
		want                             dosimetry.Category
	}{
		{"OKNone", 0, 0, 0, 0, dosimetry.CategoryNone},
		// Ensure thresholds are strict: a dose equal to one does not raise the category.
		{"OKNoneEffectiveAtB", 1000, 0, 0, 0, dosimetry.CategoryNone},
		{"OKBEffective", 1001, 0, 0, 0, dosimetry.CategoryB},
		{"OKBEffectiveAtA", 6000, 0, 0, 0, dosimetry.CategoryB},
		{"OKAEffective", 6001, 0, 0, 0, dosimetry.CategoryA},
		// Ensure the lens only counts for category A.
		{"OKNoneLensBelowA", 0, 15000, 0, 0, dosimetry.CategoryNone},
		{"OKALens", 0, 15001, 0, 0, dosimetry.CategoryA},
		{"OKNoneSkinAtB", 0, 0, 50000, 0, dosimetry.CategoryNone},
		{"OKBSkin", 0, 0, 50001, 0, dosimetry.CategoryB},
		{"OKBSkinAtA", 0, 0, 150000, 0, dosimetry.CategoryB},
		{"OKASkin", 0, 0, 150001, 0, dosimetry.CategoryA},
		{"OKBExtremity", 0, 0, 0, 50001, dosimetry.CategoryB},
		{"OKAExtremity", 0, 0, 0, 150001, dosimetry.CategoryA},
		{"OKAWinsOverB", 2000, 16000, 0, 0, dosimetry.CategoryA},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := dosimetry.Classify(tc.effective, tc.lens, tc.skin, tc.extremity)
			if got != tc.want {
				t.Errorf("Classify(%v, %v, %v, %v) = %v, want %v", tc.effective, tc.lens, tc.skin, tc.extremity, got, tc.want)
			}
			if got.Label() == "" {
				t.Errorf("Category(%q).Label() is empty", got)
			}
		})
	}
}
