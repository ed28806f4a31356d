package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Code
	}{
		{"plain", errors.New("boom"), Internal},
		{"direct", New(NotFound, "Introuvable."), NotFound},
		{"wrapped", fmt.Errorf("create worker: %w", Invalid("input.nir", "123", "NIR invalide.")), BadUserInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CodeOf(tc.err); got != tc.want {
				t.Errorf("CodeOf(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestInvalidCarriesFieldAndValue(t *testing.T) {
	e := As(fmt.Errorf("x: %w", Invalid("input.siret", "123", "Le SIRET %s est invalide.", "123")))
	if e == nil || e.Field != "input.siret" || e.Value != "123" || e.Message != "Le SIRET 123 est invalide." {
		t.Fatalf("As(...) = %+v", e)
	}
}
