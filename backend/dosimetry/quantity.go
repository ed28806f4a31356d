package dosimetry

import (
	"fmt"
	"slices"
	"strings"
)

// MonitoringKind is the kind of individual exposure monitoring a result
// comes from. The string values are the package's stable English codes;
// ParseMonitoringKind also accepts the French exchange-format spellings.
type MonitoringKind string

// Monitoring kinds.
const (
	// KindWholeBody is passive whole-body external dosimetry.
	KindWholeBody MonitoringKind = "PASSIVE_WHOLE_BODY"
	// KindExtremity is extremity dosimetry (hands, forearms, feet, ankles).
	KindExtremity MonitoringKind = "EXTREMITY"
	// KindLens is dosimetry of the lens of the eye.
	KindLens MonitoringKind = "LENS"
	// KindSkin is skin dosimetry.
	KindSkin MonitoringKind = "SKIN"
	// KindNeutron is neutron dosimetry.
	KindNeutron MonitoringKind = "NEUTRON"
	// KindInternal is internal dosimetry (committed dose computed by the
	// occupational physician from anthroporadiometry or radiotoxicology).
	KindInternal MonitoringKind = "INTERNAL"
	// KindRadon is radon exposure monitoring.
	KindRadon MonitoringKind = "RADON"
	// KindAviation is aircrew cosmic exposure, computed by modelling.
	KindAviation MonitoringKind = "AVIATION"
	// KindOperational is operational (active, real-time) dosimetry, which is
	// radiological surveillance and not the dose of record.
	KindOperational MonitoringKind = "OPERATIONAL"
)

type kindInfo struct {
	kind       MonitoringKind
	exchange   string // French exchange-format spelling
	label      string
	quantities []Quantity
}

// kinds is the closed list of monitoring kinds. The exchange spelling of
// operational dosimetry is an assumption: none was given in the sources.
var kinds = []kindInfo{
	// A whole-body badge reports the deep dose Hp(10) and the shallow dose
	// Hp(0.07) (skin dose, contamination check) as two results.
	{KindWholeBody, "PASSIF_CORPS_ENTIER", "Corps entier (dosimétrie passive)", []Quantity{QuantityHp10, QuantityHp007}},
	{KindExtremity, "EXTREMITES", "Extrémités", []Quantity{QuantityHp007}},
	{KindLens, "CRISTALLIN", "Cristallin", []Quantity{QuantityHp3, QuantityHp007}},
	{KindSkin, "PEAU", "Peau", []Quantity{QuantityHp007}},
	{KindNeutron, "NEUTRONS", "Neutrons", []Quantity{QuantityHp10}},
	{KindInternal, "INTERNE", "Exposition interne", []Quantity{QuantityE50}},
	{KindRadon, "RADON", "Radon", []Quantity{QuantityE}},
	{KindAviation, "AVIATION", "Personnel navigant (rayonnement cosmique)", []Quantity{QuantityE}},
	{KindOperational, "OPERATIONNEL", "Dosimétrie opérationnelle", []Quantity{QuantityHp10, QuantityHp007}},
}

// ParseMonitoringKind parses a monitoring kind from its exchange-format
// spelling (PASSIF_CORPS_ENTIER, EXTREMITES, CRISTALLIN, PEAU, NEUTRONS,
// INTERNE, RADON, AVIATION, OPERATIONNEL) or from its English code, ignoring
// case and surrounding spaces. Errors are *CodeError values.
func ParseMonitoringKind(s string) (MonitoringKind, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	for _, k := range kinds {
		if code == k.exchange || code == string(k.kind) {
			return k.kind, nil
		}
	}
	allowed := make([]string, len(kinds))
	for i, k := range kinds {
		allowed[i] = k.exchange
	}
	return "", &CodeError{Field: "type de surveillance", Value: s, Allowed: allowed}
}

func (k MonitoringKind) info() (kindInfo, bool) {
	for _, ki := range kinds {
		if ki.kind == k {
			return ki, true
		}
	}
	return kindInfo{}, false
}

// Valid reports whether k is one of the declared monitoring kinds.
func (k MonitoringKind) Valid() bool {
	_, ok := k.info()
	return ok
}

// ExchangeCode returns the French exchange-format spelling of k, or "" for
// an unknown kind.
func (k MonitoringKind) ExchangeCode() string {
	ki, _ := k.info()
	return ki.exchange
}

// Label returns the French label of k, or "" for an unknown kind.
func (k MonitoringKind) Label() string {
	ki, _ := k.info()
	return ki.label
}

// Quantities returns the dosimetric quantities a result of kind k may be
// expressed in (whole body and neutrons: Hp(10); extremities and skin:
// Hp(0.07); lens: Hp(3) or Hp(0.07) as a surrogate; internal: E(50); radon
// and aviation: E; operational: Hp(10) or Hp(0.07), an assumption).
func (k MonitoringKind) Quantities() []Quantity {
	ki, _ := k.info()
	return slices.Clone(ki.quantities)
}

// Allows reports whether a result of kind k may be expressed in q.
func (k MonitoringKind) Allows(q Quantity) bool {
	ki, _ := k.info()
	return slices.Contains(ki.quantities, q)
}

// CheckQuantity returns nil when k allows q, and otherwise a French error
// naming the quantities that would be accepted.
func (k MonitoringKind) CheckQuantity(q Quantity) error {
	if k.Allows(q) {
		return nil
	}
	if !k.Valid() {
		return fmt.Errorf("Le type de surveillance %s est inconnu.", quote(string(k)))
	}
	var allowed []string
	for _, a := range k.Quantities() {
		allowed = append(allowed, a.Symbol())
	}
	return fmt.Errorf("La grandeur %s n'est pas admise pour le type de surveillance « %s » (grandeurs admises : %s).",
		quote(q.Symbol()), k.Label(), strings.Join(allowed, ", "))
}

// Quantity is a dosimetric quantity. The string values are the exchange
// codes.
type Quantity string

// Dosimetric quantities (ICRU operational quantities and protection
// quantities).
const (
	// QuantityHp10 is the personal dose equivalent Hp(10).
	QuantityHp10 Quantity = "HP10"
	// QuantityHp007 is the personal dose equivalent Hp(0.07).
	QuantityHp007 Quantity = "HP007"
	// QuantityHp3 is the personal dose equivalent Hp(3).
	QuantityHp3 Quantity = "HP3"
	// QuantityE50 is the committed effective dose E(50).
	QuantityE50 Quantity = "E50"
	// QuantityE is the effective dose E.
	QuantityE Quantity = "E"
)

var quantities = []struct {
	q             Quantity
	symbol, label string
}{
	{QuantityHp10, "Hp(10)", "Équivalent de dose individuel Hp(10)"},
	{QuantityHp007, "Hp(0.07)", "Équivalent de dose individuel Hp(0,07)"},
	{QuantityHp3, "Hp(3)", "Équivalent de dose individuel Hp(3)"},
	{QuantityE50, "E(50)", "Dose efficace engagée E(50)"},
	{QuantityE, "E", "Dose efficace E"},
}

// ParseQuantity parses a quantity from its code (HP10, HP007, HP3, E50, E)
// or its symbol (Hp(10), Hp(0.07), Hp(0,07), Hp(3), E(50)), ignoring case,
// spaces, parentheses and decimal separators. Errors are *CodeError values.
func ParseQuantity(s string) (Quantity, error) {
	code := strings.Map(func(r rune) rune {
		switch r {
		case '(', ')', '.', ',', ' ':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
	for _, q := range quantities {
		if code == string(q.q) {
			return q.q, nil
		}
	}
	allowed := make([]string, len(quantities))
	for i, q := range quantities {
		allowed[i] = string(q.q)
	}
	return "", &CodeError{Field: "grandeur dosimétrique", Value: s, Allowed: allowed}
}

// Symbol returns the ICRU symbol of q, e.g. "Hp(0.07)", or the raw code for
// an unknown quantity.
func (q Quantity) Symbol() string {
	for _, x := range quantities {
		if x.q == q {
			return x.symbol
		}
	}
	return string(q)
}

// Label returns the French label of q, e.g. "Dose efficace engagée E(50)",
// or "" for an unknown quantity.
func (q Quantity) Label() string {
	for _, x := range quantities {
		if x.q == q {
			return x.label
		}
	}
	return ""
}
