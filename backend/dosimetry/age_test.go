package dosimetry_test

import (
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestAgeAt(t *testing.T) {
	tests := []struct {
		birth, date string
		want        int
		young       bool
	}{
		{"2000-05-15", "2016-05-14", 15, false},
		{"2000-05-15", "2016-05-15", 16, true},
		{"2000-05-15", "2018-05-14", 17, true},
		{"2000-05-15", "2018-05-15", 18, false},
		{"2000-05-15", "2000-05-15", 0, false},
		{"2000-05-15", "2000-05-14", -1, false},
		{"1990-12-31", "2024-01-01", 33, false},
		// Ensure someone born on 29 February ages on 1 March in common years.
		{"2008-02-29", "2024-02-28", 15, false},
		{"2008-02-29", "2024-02-29", 16, true},
		{"2008-02-29", "2026-02-28", 17, true},
		{"2008-02-29", "2026-03-01", 18, false},
	}
	for _, tc := range tests {
		birth, date := MustDate(t, tc.birth), MustDate(t, tc.date)
		if got := dosimetry.AgeAt(birth, date); got != tc.want {
			t.Errorf("AgeAt(%s, %s) = %v, want %v", tc.birth, tc.date, got, tc.want)
		}
		if got := dosimetry.IsYoungWorker(birth, date); got != tc.young {
			t.Errorf("IsYoungWorker(%s, %s) = %v, want %v", tc.birth, tc.date, got, tc.young)
		}
	}
}

func TestStatusAt(t *testing.T) {
	tests := []struct {
		birth, date string
		pregnant    bool
		want        dosimetry.WorkerStatus
	}{
		{"1990-01-01", "2024-01-01", false, dosimetry.StatusAdult},
		{"1990-01-01", "2024-01-01", true, dosimetry.StatusPregnant},
		{"2007-01-01", "2024-01-01", false, dosimetry.StatusYoung},
		{"2007-01-01", "2024-01-01", true, dosimetry.StatusYoung | dosimetry.StatusPregnant},
		// Ensure under-16s get the stricter young-worker limits, not the adult ones.
		{"2009-01-02", "2024-01-01", false, dosimetry.StatusYoung},
	}
	for _, tc := range tests {
		got := dosimetry.StatusAt(MustDate(t, tc.birth), MustDate(t, tc.date), tc.pregnant)
		if got != tc.want {
			t.Errorf("StatusAt(%s, %s, %v) = %v, want %v", tc.birth, tc.date, tc.pregnant, got, tc.want)
		}
	}
}
