package anomaly

import "testing"

func TestBandOf(t *testing.T) {
	tests := []struct {
		name       string
		sum, limit int64
		want       string
	}{
		{"AtThePregnancyLimit", 1000, 1000, "FROM_1_TO_1_25"},
		{"JustOver", 20001, 20000, "FROM_1_TO_1_25"},
		{"RC15", 24500, 20000, "FROM_1_TO_1_25"},
		{"ExactlyOneAndAQuarter", 25000, 20000, "FROM_1_25_TO_2"},
		{"Under2", 39999, 20000, "FROM_1_25_TO_2"},
		{"Twice", 40000, 20000, "FROM_2_TO_5"},
		{"LensFourTimes", 80000, 20000, "FROM_2_TO_5"},
		{"FiveTimes", 100000, 20000, "ABOVE_5"},
		{"Extremity503", 503000, 500000, "FROM_1_TO_1_25"},
		{"Young40", 40000, 6000, "ABOVE_5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bandOf(tc.sum, tc.limit); string(got.Band) != tc.want {
				t.Errorf("bandOf(%d, %d) = %s, want %s", tc.sum, tc.limit, got.Band, tc.want)
			}
		})
	}
}
