// Package exposure keeps each worker's standing against the regulatory dose
// limits (the ExposureSummary rows), gives the month-by-month history charts
// draw, and records physicians' corrections and additions of doses as new
// versions of the dose of record.
//
// # What counts toward a limit
//
// Only current versions of the dose of record count; operational dosimetry
// never does (it is not a dose of record), nor do ABSENT results. The
// effective dose adds external Hp(10) (whole body, neutrons), internal E(50)
// and the E of radon and aircrew; extremities, skin and lens count the
// results of their own dosimeters (see Counts).
//
// # Attribution of a period to a month
//
// A result is one value for one wearing period (a month, a quarter, at most
// three months), and the whole of it counts in the calendar month its period
// ENDS, without pro-rata: a January–March quarterly result counts in March, a
// 15 January – 14 February period counts in February. This is
// dosimetry.DatedDose's rule, shared with the anomaly engine, so that a
// standing and a LIMIT_EXCEEDED finding always add the same doses. The dose
// of record is never split into invented monthly parts; the price is that a
// window may hold a whole quarter's dose while covering only its last month,
// which errs on the side of protection (the dose is never missed, only ever
// counted in one window earlier than a pro-rata would).
//
// # Windows and states
//
// The rolling limits (effective, extremities, skin, lens) are checked over 12
// consecutive calendar months: the standing is the window ending with the
// month of the evaluation date, unless one of the 12 windows ending in the
// last 12 months exceeded its limit, in which case the exceeded window with
// the largest share is kept, so that an exceedance stays visible for a year
// after the month it was reached in. Each window is held to the limit in force
// on its last day for the worker's age then (young workers' limits before 18,
// the lens transition rule before 2023-07-01). The pregnancy limit sums the
// effective dose from the declaration to the end of pregnancy (or the
// evaluation date); the lens transition limit sums the lens dose over
// 2018-07-01 – 2023-06-30. Both count a result by its end date.
//
// The state is EXCEEDED when the sum is strictly above the limit (a dose
// equal to the limit respects it), APPROACHING from ApproachingShare (80 %) of
// the limit, the share from which the anomaly engine raises LIMIT_APPROACHING,
// and OK below.
package exposure
