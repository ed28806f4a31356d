// Package dosimetry holds the pure domain rules of the SISERI dose registry:
// worker and establishment identifiers (NIR, NIA, NTT, SIREN, SIRET, RPPS),
// monitoring kinds and dosimetric quantities, dose values, the regulatory
// dose limits with their effective dates, rolling 12-month windows, worker
// classification and age helpers.
//
// The package does no I/O and depends only on the standard library, so every
// rule here can be tested with table tests and fuzzing alone.
//
// Dates are civil dates. Functions read the calendar fields (year, month,
// day) of a time.Time in its own location and ignore the clock, so callers
// must not convert a date to another time zone before passing it: midnight
// in Paris converted to UTC falls on the previous day.
//
// Errors meant for people (identifier, dose and code errors) are French
// sentences; the typed errors also carry the offending value so callers can
// build their own messages.
package dosimetry
