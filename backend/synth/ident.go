package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/siseri/siseri/backend/dosimetry"
)

var (
	surnames = []string{"MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS",
		"MOREAU", "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
		"FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER",
		"LEFEVRE", "FAURE", "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER", "CHEVALIER",
		"FRANCOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLEMENT", "MORIN", "NICOLAS",
		"HENRY", "ROUSSEL", "MATHIEU", "GAUTIER", "MASSON", "N'DIAYE", "LE GALL", "DA SILVA", "NGUYEN"}
	maleNames = []string{"Jean", "Pierre", "Nicolas", "Julien", "Thomas", "Sébastien", "Olivier", "Laurent",
		"Christophe", "Mathieu", "Antoine", "Karim", "Stéphane", "Hugo", "Lucas", "Jérôme", "François", "Yann"}
	femaleNames = []string{"Marie", "Nathalie", "Isabelle", "Sophie", "Camille", "Julie", "Aurélie", "Céline",
		"Sandrine", "Émilie", "Léa", "Chloé", "Fatima", "Hélène", "Claire", "Anne", "Manon", "Inès"}
)

// nirFor returns a valid NIR (key = 97 − number mod 97) for worker idx, born
// in year/month. The commune and order number derive from idx, so NIRs of
// distinct workers differ for up to 989,010 workers.
func nirFor(rng *rand.Rand, idx int, sex byte, year, month int) string {
	dept := 1 + rng.IntN(95)
	if dept == 20 { // Corsica is 2A/2B, not 20
		dept = 21
	}
	commune := 1 + (idx/999)%990
	order := 1 + idx%999
	first := fmt.Sprintf("%c%02d%02d%02d%03d%03d", sex, year%100, month, dept, commune, order)
	key, err := dosimetry.NIRKey(first)
	if err != nil {
		panic(err) // first is 13 digits by construction
	}
	return first + fmt.Sprintf("%02d", key)
}

// luhnDigit returns the digit that makes prefix+digit Luhn-valid.
func luhnDigit(prefix string) byte {
	for d := byte('0'); d <= '9'; d++ {
		if dosimetry.Luhn(prefix + string(d)) {
			return d
		}
	}
	panic("unreachable")
}

// siretFor returns a Luhn-valid SIRET (SIREN and SIRET both valid) for
// establishment n; the SIREN derives from n so SIRETs are distinct, the
// first digit is never 1 or 2 (public bodies) for private employers.
func siretFor(rng *rand.Rand, n int) string {
	sirenBody := strconv.Itoa(3+rng.IntN(6)) + fmt.Sprintf("%07d", (n*7919+rng.IntN(7919))%10000000)
	// n*7919 + r with r < 7919 is injective in n modulo 10^7 for n < 1262.
	// Beyond, uniqueness is kept by the NIC, which carries n.
	siren := sirenBody + string(luhnDigit(sirenBody))
	nic := fmt.Sprintf("%04d", n%10000)
	return siren + nic + string(luhnDigit(siren+nic))
}
