package dosimetry

// Category is a worker's classification under Code du travail R.4451-57.
type Category string

// Categories.
const (
	// CategoryA is for workers likely to receive more than 6 mSv effective,
	// 15 mSv to the lens or 150 mSv to the skin or extremities over 12
	// consecutive months.
	CategoryA Category = "A"
	// CategoryB is for other workers likely to receive more than 1 mSv
	// effective or 50 mSv to the skin or extremities.
	CategoryB Category = "B"
	// CategoryNone is for workers below the category B thresholds.
	CategoryNone Category = "NOT_CLASSIFIED"
)

// Label returns the French label of c.
func (c Category) Label() string {
	switch c {
	case CategoryA:
		return "Catégorie A"
	case CategoryB:
		return "Catégorie B"
	case CategoryNone:
		return "Non classé"
	}
	return ""
}

// Classification thresholds of R.4451-57; a dose must strictly exceed them.
const (
	catAEffective Microsievert = 6_000
	catALens      Microsievert = 15_000
	catASkin      Microsievert = 150_000
	catBEffective Microsievert = 1_000
	catBSkin      Microsievert = 50_000
)

// Classify returns the category matching the doses a worker is likely to
// receive over 12 consecutive months, as assessed under R.4451-53. The
// effective dose must exclude the radon situations of R.4451-1 4°, which
// R.4451-57 leaves out of category A. Skin and extremities share one
// threshold. The lens has no category B threshold in R.4451-57.
//
// Classify applies the thresholds only: the rule that young and pregnant
// workers cannot be in category A (unverified for the current text) is left
// to the caller.
func Classify(effective, lens, skin, extremity Microsievert) Category {
	switch {
	case effective > catAEffective || lens > catALens || skin > catASkin || extremity > catASkin:
		return CategoryA
	case effective > catBEffective || skin > catBSkin || extremity > catBSkin:
		return CategoryB
	}
	return CategoryNone
}
