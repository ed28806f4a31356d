package synth_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/synth"
)

// The calibration population: 60,000 workers over 12 months (year 2023).
var (
	calOnce sync.Once
	calSink synth.MemSink
	calSum  synth.Summary
	calErr  error
)

func population(t *testing.T) (synth.MemSink, synth.Summary) {
	t.Helper()
	calOnce.Do(func() {
		calSink = synth.MemSink{}
		calSum, calErr = synth.Generate(synth.Options{Workers: 60000, Months: 12, Seed: 1}, calSink)
	})
	if calErr != nil {
		t.Fatal(calErr)
	}
	return calSink, calSum
}

var (
	parsedMu sync.Mutex
	parsed   = map[*bytes.Buffer][][]string{}
)

// readCSV parses one generated file, checking its header (parsed files are
// cached: the tests only read them).
func readCSV(t *testing.T, sink synth.MemSink, name string, header []string) [][]string {
	t.Helper()
	parsedMu.Lock()
	defer parsedMu.Unlock()
	if rows, ok := parsed[sink[name]]; ok && slices.Equal(rows[0], header) {
		return rows[1:]
	}
	b, ok := sink[name]
	if !ok {
		t.Fatalf("%s not written", name)
	}
	r := csv.NewReader(bytes.NewReader(b.Bytes()))
	r.Comma = ';'
	r.FieldsPerRecord = len(header)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !slices.Equal(rows[0], header) {
		t.Fatalf("%s header = %v, want %v", name, rows[0], header)
	}
	parsed[b] = rows
	return rows[1:]
}

// group is the calibration group of a declared sector and job.
func group(sector, job string) string {
	switch sector {
	case "MED-RADIO":
		return "radiology"
	case "MED-MN":
		return "nucmed"
	case "MED-CARDIO", "MED-RI":
		return "cardio"
	case "MED-RT":
		return "radiotherapy"
	case "MED-DENT":
		return "dental"
	case "MED-VET":
		return "vet"
	case "NUC-REACT":
		return "npp-operator"
	case "NUC-PREST":
		return "npp-contractor"
	case "NUC-CYCLE":
		return "fuel"
	case "IND-CND":
		if job == "GAMMAGRAPHE" {
			return "ndt-site"
		}
		return "ndt-enclosure"
	case "NAT-PN":
		return "aircrew"
	case "REC-LABO":
		return "research"
	}
	return ""
}

// annualDoses returns, per calibration group, the recorded annual external
// dose (whole-body Hp(10) plus computed aircrew E, mSv) of the workers
// monitored the whole year by one employer, without any injected anomaly —
// IRSN's "effectif suivi" and its annual dose.
func annualDoses(t *testing.T, sink synth.MemSink) map[string][]float64 {
	t.Helper()
	labelled := map[string]bool{}
	for _, l := range readCSV(t, sink, synth.FileLabels, synth.HeaderLabels) {
		labelled[l[3]] = true
	}
	decl := map[string][]string{}
	count := map[string]int{}
	for _, d := range readCSV(t, sink, synth.FileDeclarations, synth.HeaderDeclarations) {
		decl[d[1]] = d
		count[d[1]]++
	}
	yearStart, yearEnd := "2023-01-01", "2023-12-31"
	sum := map[string]float64{}
	for _, r := range readCSV(t, sink, synth.FileLabResults, synth.HeaderLabResults) {
		if (r[6] != "PASSIF_CORPS_ENTIER" || r[7] != "HP10") && r[6] != "AVIATION" {
			continue
		}
		v, err := parseResult(r[10], r[11])
		if err != nil {
			t.Fatalf("result %q %q: %v", r[10], r[11], err)
		}
		sum[r[0]] += v
	}
	out := map[string][]float64{}
	for nir, d := range decl {
		if labelled[nir] || count[nir] != 1 || d[6] > yearStart || (d[7] != "" && d[7] < yearEnd) {
			continue
		}
		g := group(d[9], d[10])
		out[g] = append(out[g], sum[nir])
	}
	return out
}

// parseResult reads a resultat/unite pair as mSv; M is 0, ABSENT counts 0.
func parseResult(v, unit string) (float64, error) {
	switch v {
	case "M", "ABSENT":
		return 0, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, err
	}
	switch unit {
	case "mSv":
		return x, nil
	case "µSv":
		return x / 1000, nil
	}
	return 0, fmt.Errorf("unit %q", unit)
}

// shares returns the percentage of doses in each class; edges are upper
// bounds (a dose d is in the first class whose edge is ≥ d, or in the last).
// below is the edge of a first "zero" class taken as d < below (UK tables),
// or 0 for none.
func shares(ds []float64, below float64, edges []float64) []float64 {
	out := make([]float64, len(edges)+1)
	if below > 0 {
		out = append(out, 0)
	}
	for _, d := range ds {
		i := 0
		if below > 0 {
			if d < below {
				out[0]++
				continue
			}
			i = 1
		}
		j := 0
		for j < len(edges) && d > edges[j]+1e-9 {
			j++
		}
		out[i+j]++
	}
	for i := range out {
		out[i] *= 100 / float64(len(ds))
	}
	return out
}

// exposedMean is the mean over doses above zero (IRSN's mean over exposed).
func exposedMean(ds []float64) float64 {
	s, n := 0.0, 0
	for _, d := range ds {
		if d > 0 {
			s += d
			n++
		}
	}
	return s / float64(n)
}

func pct(counts ...float64) []float64 {
	total := 0.0
	for _, c := range counts {
		total += c
	}
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = 100 * c / total
	}
	return out
}

// ukEdges are the UK HSE 2004 classes after "0": 0.1–1, 1.1–6, 6.1–10,
// 10.1–15, 15.1–20, 20.1–30, > 30 mSv.
var ukEdges = []float64{1, 6, 10, 15, 20, 30}

// classTargets are the published class shares of ANOMALY.md §2 and the
// groups they calibrate.
var classTargets = []struct {
	name   string
	groups []string
	below  float64
	edges  []float64
	want   []float64
}{
	{"FR EDF NPP 2023 (0.5|1|2|5|6|10|15|>15)", []string{"npp-operator", "npp-contractor"}, 0,
		[]float64{0.5, 1, 2, 5, 6, 10, 15}, pct(30463, 3998, 3991, 4572, 713, 1412, 153, 0)},
	{"UK fuel reprocessing 2004", []string{"fuel"}, 0.1, ukEdges, pct(479, 2886, 595, 17, 0, 0, 0, 0)},
	{"UK NDT site radiography 2004", []string{"ndt-site"}, 0.1, ukEdges, pct(541, 784, 297, 15, 8, 6, 3, 0)},
	{"UK NDT enclosure 2004", []string{"ndt-enclosure"}, 0.1, ukEdges, pct(317, 401, 101, 3, 6, 2, 0, 0)},
	{"FR dental 2024 (<0.1|0.1–1|1–5|>5)", []string{"dental"}, 0.1, []float64{1, 5}, pct(4390, 460, 17, 0)},
	{"FR aircrew 2023 (≤1|1–5|>5)", []string{"aircrew"}, 0, []float64{1, 5}, []float64{39, 61, 0}},
	{"FR all monitored 2022 (<1|1–5|>5): 92.7 % < 1 mSv, < 1 % > 5", nil, 0, []float64{1, 5}, []float64{92.7, 6.8, 0.5}},
	{"FR all monitored 2015–2019: 71–76 % without dose all year", nil, 0.001, []float64{}, []float64{73.5, 26.5}},
}

// meanTargets are the published exposed means (mSv over workers with a dose
// above the recording threshold).
var meanTargets = []struct {
	name   string
	groups []string
	want   float64
}{
	{"all domains 2022", nil, 0.90},
	{"nuclear 2022", []string{"npp-operator", "npp-contractor", "fuel"}, 1.26},
	{"nuclear contractors 2021", []string{"npp-contractor"}, 1.8},
	{"medical 2023", []string{"radiology", "nucmed", "cardio", "radiotherapy"}, 0.31},
	{"radiology 2023", []string{"radiology"}, 0.20},
	{"nuclear medicine 2023", []string{"nucmed"}, 0.78},
	{"dental 2023", []string{"dental"}, 0.26},
	{"aircrew 2022", []string{"aircrew"}, 1.41},
}

func pool(by map[string][]float64, groups []string) []float64 {
	if groups == nil {
		var all []float64
		for _, ds := range by {
			all = append(all, ds...)
		}
		return all
	}
	var out []float64
	for _, g := range groups {
		out = append(out, by[g]...)
	}
	return out
}

// TestCalibration checks that the recorded annual doses reproduce the
// published class shares within ±2 points and exposed means within ±10 %.
func TestCalibration(t *testing.T) {
	sink, _ := population(t)
	by := annualDoses(t, sink)
	for _, c := range classTargets {
		ds := pool(by, c.groups)
		if len(ds) < 200 {
			t.Fatalf("%s: %d workers only", c.name, len(ds))
		}
		got := shares(ds, c.below, c.edges)
		var b strings.Builder
		for i := range got {
			fmt.Fprintf(&b, " %.1f/%.1f", got[i], c.want[i])
			if math.Abs(got[i]-c.want[i]) > 2 {
				t.Errorf("%s: class %d share %.1f %%, want %.1f ± 2 (n = %d)", c.name, i, got[i], c.want[i], len(ds))
			}
		}
		t.Logf("%-62s n=%5d got/want:%s", c.name, len(ds), b.String())
	}
	for _, m := range meanTargets {
		ds := pool(by, m.groups)
		got := exposedMean(ds)
		if math.Abs(got/m.want-1) > 0.10 {
			t.Errorf("%s: exposed mean %.3f mSv, want %.2f ± 10 %%", m.name, got, m.want)
		}
		t.Logf("exposed mean %-28s %.3f / %.2f mSv", m.name, got, m.want)
	}
	// Aircrew doses are computed and bounded (max 4.7 mSv in 2011; hard cap).
	if top := slices.Max(by["aircrew"]); top > 5 {
		t.Errorf("aircrew max %.2f mSv, want ≤ 5", top)
	}
}

// TestDeterminism checks that a seed gives identical bytes and another seed
// different ones.
func TestDeterminism(t *testing.T) {
	gen := func(seed uint64) synth.MemSink {
		s := synth.MemSink{}
		if _, err := synth.Generate(synth.Options{Workers: 1500, Months: 14, Seed: seed, Start: time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)}, s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b, c := gen(7), gen(7), gen(8)
	for name, buf := range a {
		if !bytes.Equal(buf.Bytes(), b[name].Bytes()) {
			t.Errorf("%s differs between two runs with seed 7", name)
		}
	}
	if bytes.Equal(a[synth.FileLabResults].Bytes(), c[synth.FileLabResults].Bytes()) {
		t.Error("seeds 7 and 8 give the same lab results")
	}
}

// TestLabelsCoverEveryKind checks that every injected kind of ANOMALY.md §3.1
// appears in labels.csv with well-formed fields.
func TestLabelsCoverEveryKind(t *testing.T) {
	sink, sum := population(t)
	seen := map[string]int{}
	for _, l := range readCSV(t, sink, synth.FileLabels, synth.HeaderLabels) {
		seen[l[1]]++
		if !slices.Contains(synth.LabelKinds, l[1]) {
			t.Errorf("label %s: unknown kind %q", l[0], l[1])
		}
		if l[2] != "record" && l[2] != "episode" {
			t.Errorf("label %s: scope %q", l[0], l[2])
		}
		for _, d := range []string{l[7], l[8], l[11]} {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				t.Errorf("label %s: date %q", l[0], d)
			}
		}
		for i, v := range l[9:11] {
			if v == "" && (l[1] == synth.LabelMislabel || (i == 1 && l[1] == synth.LabelMissing)) {
				continue
			}
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				t.Errorf("label %s (%s): dose %q", l[0], l[1], v)
			}
		}
	}
	for _, k := range synth.LabelKinds {
		if seen[k] == 0 {
			t.Errorf("no %s label", k)
		}
		if seen[k] != sum.LabelsByKind[k] {
			t.Errorf("%s: %d labels in the file, summary says %d", k, seen[k], sum.LabelsByKind[k])
		}
	}
	t.Logf("labels by kind: %v", seen)
}

// TestRowsParse checks identifiers and the column rules of every file.
func TestRowsParse(t *testing.T) {
	sink, _ := population(t)
	date := func(where, s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatalf("%s: date %q", where, s)
		}
		return d
	}
	sirets := map[string]bool{}
	for _, e := range readCSV(t, sink, synth.FileEstablishments, synth.HeaderEstablishments) {
		if _, err := dosimetry.ParseSIRET(e[0]); err != nil {
			t.Errorf("SIRET %q: %v", e[0], err)
		}
		if sirets[e[0]] {
			t.Errorf("SIRET %s twice", e[0])
		}
		sirets[e[0]] = true
	}
	labs := map[string]bool{}
	for _, l := range readCSV(t, sink, synth.FileLaboratories, synth.HeaderLaboratories) {
		labs[l[0]] = true
	}
	people := map[string]string{}
	for _, d := range readCSV(t, sink, synth.FileDeclarations, synth.HeaderDeclarations) {
		n, err := dosimetry.ParseNIR(d[1])
		if err != nil {
			t.Fatalf("NIR %q: %v", d[1], err)
		}
		birth := date("date_naissance", d[4])
		if n.BirthYear2() != birth.Year()%100 || n.BirthMonth() != birth.Month() {
			t.Errorf("NIR %s does not match birth date %s", d[1], d[4])
		}
		if !sirets[d[0]] || (d[5] != "M" && d[5] != "F") || (d[11] != "A" && d[11] != "B") || d[9] == "" || d[10] == "" ||
			!slices.Contains([]string{"CDI", "CDD", "INTERIM"}, d[8]) {
			t.Errorf("declaration %v", d)
		}
		start := date("date_debut", d[6])
		if d[7] != "" && date("date_fin", d[7]).Before(start) {
			t.Errorf("declaration ends before it starts: %v", d)
		}
		people[d[1]] = d[2] + ";" + d[3] + ";" + d[4]
	}
	kinds := map[string][]string{"PASSIF_CORPS_ENTIER": {"HP10"}, "EXTREMITES": {"HP007"}, "CRISTALLIN": {"HP3"},
		"PEAU": {"HP007"}, "INTERNE": {"E50"}, "AVIATION": {"E"}}
	late := map[string]bool{}
	for _, l := range readCSV(t, sink, synth.FileLabels, synth.HeaderLabels) {
		if l[1] == synth.LabelMissing && l[10] != "" {
			late[l[3]+l[5]+l[8]] = true
		}
	}
	var lastMonth time.Time
	seenKinds := map[string]bool{}
	for _, r := range readCSV(t, sink, synth.FileLabResults, synth.HeaderLabResults) {
		if people[r[0]] != r[1]+";"+r[2]+";"+r[3] || !sirets[r[4]] {
			t.Fatalf("lab row of an undeclared worker or establishment: %v", r)
		}
		if i := strings.LastIndex(r[5], "-"); i < 0 || !labs[r[5][:i]] {
			t.Errorf("dosimeter %q has no laboratory prefix", r[5])
		}
		if !slices.Contains(kinds[r[6]], r[7]) {
			t.Errorf("type_suivi %q with grandeur %q", r[6], r[7])
		}
		seenKinds[r[6]] = true
		debut, fin := date("debut_periode", r[8]), date("fin_periode", r[9])
		if fin.Before(debut) || fin.Sub(debut) > 190*24*time.Hour {
			t.Errorf("period %s – %s", r[8], r[9])
		}
		if r[10] != "M" && r[10] != "ABSENT" {
			if v, err := strconv.ParseFloat(r[10], 64); err != nil || v < 0 || strings.Contains(r[10], ",") {
				t.Errorf("resultat %q", r[10])
			}
		}
		if r[11] != "mSv" && r[11] != "µSv" {
			t.Errorf("unite %q", r[11])
		}
		if (r[12] != "") != (r[6] == "INTERNE") {
			t.Errorf("radionucleide %q for %s", r[12], r[6])
		}
		// Transmission order: by month of fin_periode, except late results.
		month := time.Date(fin.Year(), fin.Month(), 1, 0, 0, 0, 0, time.UTC)
		if late[r[0]+r[6]+r[9]] && r[10] != "ABSENT" {
			continue
		}
		if month.Before(lastMonth) {
			t.Fatalf("row %v ends before the previous rows' month %s", r, lastMonth.Format("2006-01"))
		}
		lastMonth = month
	}
	for k := range kinds {
		if !seenKinds[k] {
			t.Errorf("no %s result", k)
		}
	}
	var lastFin time.Time
	ops := readCSV(t, sink, synth.FileOperational, synth.HeaderOperational)
	if len(ops) == 0 {
		t.Fatal("no operational dosimetry")
	}
	for _, o := range ops {
		if people[o[0]] != o[1]+";"+o[2]+";"+o[3][:0]+strings.SplitN(people[o[0]], ";", 3)[2] || !sirets[o[3]] {
			t.Fatalf("operational row of an undeclared worker: %v", o)
		}
		debut, err1 := time.Parse("2006-01-02T15:04:05", o[5])
		fin, err2 := time.Parse("2006-01-02T15:04:05", o[6])
		if err1 != nil || err2 != nil || !fin.After(debut) || fin.Sub(debut) > 7*24*time.Hour {
			t.Errorf("operational period %s – %s", o[5], o[6])
		}
		if v, err := strconv.ParseInt(o[7], 10, 64); err != nil || v < 0 || o[8] != "µSv" {
			t.Errorf("operational result %q %q", o[7], o[8])
		}
		if fin.Before(lastFin) {
			t.Fatalf("operational rows out of order at %v", o)
		}
		lastFin = fin
	}
}

// TestOperationalConsistent checks that operational and passive doses of
// controlled-zone workers agree within the normal gap (ANOMALY.md §1.4)
// except where a discrepancy was injected.
func TestOperationalConsistent(t *testing.T) {
	sink, _ := population(t)
	op := map[string]float64{} // nir + month
	for _, o := range readCSV(t, sink, synth.FileOperational, synth.HeaderOperational) {
		v, _ := strconv.ParseFloat(o[7], 64)
		op[o[0]+o[6][:7]] += v / 1000
	}
	labelled := map[string]bool{}
	for _, l := range readCSV(t, sink, synth.FileLabels, synth.HeaderLabels) {
		labelled[l[3]] = true
	}
	var n, far int
	for _, r := range readCSV(t, sink, synth.FileLabResults, synth.HeaderLabResults) {
		if r[6] != "PASSIF_CORPS_ENTIER" || labelled[r[0]] || r[8][:7] != r[9][:7] {
			continue
		}
		a, ok := op[r[0]+r[9][:7]]
		if !ok {
			continue
		}
		p, _ := parseResult(r[10], r[11])
		n++
		u := math.Sqrt(math.Pow(0.2*p, 2) + math.Pow(0.2*a, 2) + 0.05*0.05)
		if math.Abs(p-a) > math.Max(0.5, 3*u) {
			far++
		}
	}
	if n < 1000 || float64(far) > 0.01*float64(n) {
		t.Errorf("%d of %d monthly passive results differ from the operational sum beyond the normal gap", far, n)
	}
	t.Logf("%d monthly passive/operational pairs, %d beyond the normal gap", n, far)
}
