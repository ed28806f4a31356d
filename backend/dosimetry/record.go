package dosimetry

import "time"

// Source says who produced a dose of record.
type Source string

// Sources of a dose of record.
const (
	// SourceLaboratory is a laboratory's measurement (a file or rows sent,
	// or a history import).
	SourceLaboratory Source = "LABORATORY"
	// SourcePhysician is an occupational physician's correction or addition.
	SourcePhysician Source = "PHYSICIAN"
)

// DoseStatus is what a stored value means.
type DoseStatus string

// Statuses of a dose of record.
const (
	// StatusMeasured is a measured value.
	StatusMeasured DoseStatus = "MEASURED"
	// StatusBelowThreshold is a result below the recording threshold ("M"),
	// stored as 0 µSv.
	StatusBelowThreshold DoseStatus = "BELOW_THRESHOLD"
	// StatusAbsent is a declared absence of result.
	StatusAbsent DoseStatus = "ABSENT"
)

// Dose is one dose of record on its way into the registry, before it has an
// id: whoever produced it (a laboratory file, a physician), the worker and
// establishment it was resolved to, what was measured and over which period,
// and where it stands in its version chain. Every writer of dose records
// takes this value; nothing else describes a new dose.
type Dose struct {
	WorkerID, EstablishmentID int
	// LaboratoryID is the laboratory that measured it (0: none, e.g. a
	// physician's addition); a physician's correction keeps the laboratory
	// of the measurement it corrects.
	LaboratoryID int
	// ImportBatchID is the batch that brought it (0: a physician's act).
	ImportBatchID int
	Source        Source
	Dosimeter     string
	Kind          MonitoringKind
	Quantity      Quantity
	// Start and End are the civil days of the period, inclusive.
	Start, End   time.Time
	Value        Microsievert
	Status       DoseStatus
	Radionuclide string
	Comment      string
	// ReceivedOn is the day the result was received, when known.
	ReceivedOn time.Time
	// SectorCode and JobCode are those of the covering employment ("" none).
	SectorCode, JobCode string
	// Version is the place in the version chain (1 for a first result);
	// Supersedes the record it replaces (0 none).
	Version    int
	Supersedes int
	// Pending marks a laboratory re-send of a result a physician corrected:
	// stored for the physician's decision, not current, never judged.
	Pending bool
	// RecordedBy is the account of the physician who recorded it (0 none);
	// Reason their stated reason.
	RecordedBy int
	Reason     string
}

// Current reports whether the dose is the dose of record once written.
func (d Dose) Current() bool { return !d.Pending }

// StatusOf is the status of a value a physician enters: 0 is below the
// recording threshold, anything else measured.
func StatusOf(v Microsievert) DoseStatus {
	if v == 0 {
		return StatusBelowThreshold
	}
	return StatusMeasured
}
