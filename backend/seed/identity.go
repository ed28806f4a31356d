package seed

import (
	"fmt"
	"math/rand/v2"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent/worker"
)

// Shares of workers without a certified NIR (DOMAIN.md §4.1): about 1 % in all.
const (
	shareNIA     = 0.004
	shareNTT     = 0.003
	shareForeign = 0.003
	shareAbroad  = 0.06 // NIR holders born abroad (department 99)
)

// identities hands out unique personal identifiers.
type identities struct {
	nirs map[string]bool
	next int // sequence of NTT and foreign identifiers
}

func newIdentities() *identities { return &identities{nirs: map[string]bool{}} }

// assign sets w's identifier and place of birth. draw, uniform in [0, 1),
// chooses the identifier kind; 1 forces a NIR.
func (ids *identities) assign(rng *rand.Rand, w *workerPlan, draw float64) {
	w.nir, w.temporaryID, w.foreignID, w.foreignCountry = "", "", "", ""
	w.birthPlace, w.birthCountry = "", ""
	switch {
	case draw < shareNIA:
		// A waiting number given while the NIR is certified, mostly to people
		// born abroad: same shape and key, sex digit 7 or 8.
		w.kind = worker.IdentifierKindNIA
		c := oneOf(rng, foreignBirths)
		w.birthPlace, w.birthCountry = c.name, c.iso
		w.nir = ids.nir(rng, w, sexDigit(w.sex)+6, "99", c.insee)
	case draw < shareNIA+shareNTT:
		w.kind = worker.IdentifierKindNTT
		c := oneOf(rng, foreignBirths)
		w.birthPlace, w.birthCountry = c.name, c.iso
		ids.next++
		w.temporaryID = fmt.Sprintf("NTT%04d%06d", w.birth.Year(), 100000+ids.next*37%900000)
	case draw < shareNIA+shareNTT+shareForeign:
		w.kind = worker.IdentifierKindForeign
		c := oneOf(rng, foreignIDs)
		w.birthPlace, w.birthCountry = c.name, c.iso
		w.foreignCountry = c.iso
		ids.next++
		w.foreignID = fmt.Sprintf("%s%s%05d", c.iso, w.birth.Format("060102"), 10000+ids.next*53%90000)
	default:
		w.kind = worker.IdentifierKindNIR
		if rng.Float64() < shareAbroad {
			c := oneOf(rng, foreignBirths)
			w.birthPlace, w.birthCountry = c.name, c.iso
			w.nir = ids.nir(rng, w, sexDigit(w.sex), "99", c.insee)
			return
		}
		p := oneOf(rng, frenchBirthPlaces)
		w.birthPlace, w.birthCountry = p.name, "FR"
		dept := p.dept
		if (dept == "2A" || dept == "2B") && w.birth.Year() < 1976 {
			dept = "20" // Corsica had one department until 1976
		}
		w.nir = ids.nir(rng, w, sexDigit(w.sex), dept, p.commune)
	}
}

func sexDigit(s worker.Sex) int {
	if s == worker.SexFemale {
		return 2
	}
	return 1
}

// nir builds a unique NIR (or NIA) for w: sex digit, year and month of birth,
// place of birth, a random order number and the key of dosimetry.NIRKey.
func (ids *identities) nir(rng *rand.Rand, w *workerPlan, sex int, dept, place string) string {
	for {
		first13 := fmt.Sprintf("%d%02d%02d%s%s%03d", sex, w.birth.Year()%100, int(w.birth.Month()), dept, place, 1+rng.IntN(999))
		key, err := dosimetry.NIRKey(first13)
		if err != nil {
			panic(fmt.Sprintf("seed: NIR %s: %v", first13, err))
		}
		s := fmt.Sprintf("%s%02d", first13, key)
		if !ids.nirs[s] {
			ids.nirs[s] = true
			return s
		}
	}
}
