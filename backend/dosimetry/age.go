package dosimetry

import "time"

// AgeAt returns the age in completed years on the civil day of date for a
// person born on the civil day of birth. Someone born on 29 February turns a
// year older on 1 March in common years. The result is negative when date
// is before birth.
func AgeAt(birth, date time.Time) int {
	age := date.Year() - birth.Year()
	if date.Month() < birth.Month() || (date.Month() == birth.Month() && date.Day() < birth.Day()) {
		age--
	}
	return age
}

// IsYoungWorker reports whether the person is a young worker on date, aged
// 16 or 17 (16 ≤ age < 18), to whom the young-worker limits apply.
func IsYoungWorker(birth, date time.Time) bool {
	age := AgeAt(birth, date)
	return 16 <= age && age < 18
}

// StatusAt returns the WorkerStatus to pass to LimitsAt on date for a worker
// born on birth, pregnant or not. Anyone under 18 gets StatusYoung, including
// under-16s who should not be exposed at all, so that the stricter limits
// apply rather than the adult ones.
func StatusAt(birth, date time.Time, pregnant bool) WorkerStatus {
	s := StatusAdult
	if AgeAt(birth, date) < 18 {
		s |= StatusYoung
	}
	if pregnant {
		s |= StatusPregnant
	}
	return s
}
