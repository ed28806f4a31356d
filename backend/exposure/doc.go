// Package exposure keeps each worker's standing against the regulatory dose
// limits (the ExposureSummary rows) and gives the month-by-month history
// charts draw. Doses themselves, physicians' corrections and additions
// included, are written by backend/registry, which calls Recompute.
//
// # What counts toward a limit
//
// Only current versions of the dose of record count; operational dosimetry
// never does (it is not a dose of record), nor do ABSENT results. The
// effective dose adds external Hp(10) (whole body, neutrons), internal E(50)
// and the E of radon and aircrew; extremities and lens count the results of
// their own dosimeters, the skin those of skin dosimeters and the Hp(0.07)
// of whole-body badges (dosimetry.CountsToward).
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
// The rules are dosimetry's (assess.go), shared with the anomaly engine: each
// dose is held to the limits in force at the end of its period, for the
// person the worker was then (the young workers' limits govern the doses
// whose period began before the 18th birthday; the unborn child's limit sums
// the results whose period overlaps the pregnancy, from the declaration to
// the birth), whatever the day of the check. A window of 12 consecutive
// calendar months is held to every limit row governing some of its doses and
// shows the one they come closest to.
//
// The rolling limits (effective, extremities, skin, lens) stand on the window
// ending with the month of the evaluation date, unless an episode over the
// limit had a window over it ending in the last 12 months: then the standing
// is that episode's peak (the window its LIMIT_EXCEEDED alert reports), so
// that an exceedance stays visible for a year after its last window over the
// limit and the standing and the alert tell the same story. The pregnancy
// limit stands on the latest pregnancy; the lens transition limit sums the
// lens dose over 2018-07-01 – 2023-06-30 for the workers who have one.
//
// The state is EXCEEDED when the sum is strictly above the limit (a dose
// equal to the limit respects it), or reaches it for the unborn child
// (« inférieure à 1 mSv »); APPROACHING from ApproachingShare (80 %) of the
// limit, the share from which the anomaly engine raises LIMIT_APPROACHING;
// OK below.
//
// # Who sees which sums
//
// The stored standings sum every current result of a worker: only roles that
// read all of them read the rows. An adviser or a control agent reads
// standings computed by ForViewer from the results they may read (the
// contract period, the region): a sum never includes a result its reader may
// not list (REGULATION-CASES RC12, RC14).
package exposure
