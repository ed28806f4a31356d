package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/ingest"
)

// outputHash hashes every file of a generation, in a fixed order.
func outputHash(s MemSink) string {
	h := sha256.New()
	for _, name := range []string{FileDeclarations, FileLabResults, FileOperational, FileEstablishments, FileLaboratories, FileLabels} {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(s[name].Bytes())
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func generate(t *testing.T, o Options) (MemSink, Summary) {
	t.Helper()
	s := MemSink{}
	sum, err := Generate(o, s)
	if err != nil {
		t.Fatal(err)
	}
	return s, sum
}

// records parses a generated file (header excluded).
func records(t *testing.T, s MemSink, name string) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(s[name].Bytes()))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows[1:]
}

// TestReferenceFamilyUnchanged checks that the reference family writes, byte
// for byte, what the generator wrote before families existed.
func TestReferenceFamilyUnchanged(t *testing.T) {
	// The pre-family output: computed on commit 108f060, before Options.Family
	// was added, for 1,200 workers × 24 months, seed 11.
	const preFamily = "b0a41e3a1a4b9e22f8732f8c165b3482489d86880a4ba944d639cbbcdb82822d"
	for _, name := range []string{"", FamilyReference} {
		s, _ := generate(t, Options{Workers: 1200, Months: 24, Seed: 11, Family: name})
		if got := outputHash(s); got != preFamily {
			t.Errorf("family %q: output hash %s, want the pre-family %s", name, got, preFamily)
		}
	}
	if _, err := Generate(Options{Workers: 10, Months: 2, Seed: 1, Family: "terrain-z"}, MemSink{}); err == nil ||
		!strings.Contains(err.Error(), "terrain-a") {
		t.Errorf("unknown family: error %v, want one listing the families", err)
	}
}

// TestFamiliesDiffer checks that the held-out families are deterministic
// for a seed, differ from the reference and from each other, and draw their
// own parameters.
func TestFamiliesDiffer(t *testing.T) {
	o := Options{Workers: 600, Months: 14, Seed: 4}
	hashes := map[string]string{}
	for _, f := range Families() {
		o.Family = f
		a, _ := generate(t, o)
		b, _ := generate(t, o)
		if outputHash(a) != outputHash(b) {
			t.Errorf("%s: two generations with the same seed differ", f)
		}
		for g, h := range hashes {
			if h == outputHash(a) {
				t.Errorf("%s and %s give the same output", f, g)
			}
		}
		hashes[f] = outputHash(a)
		o.Seed = 5
		if c, _ := generate(t, o); bytes.Equal(c[FileLabResults].Bytes(), a[FileLabResults].Bytes()) {
			t.Errorf("%s: seeds 4 and 5 give the same lab results", f)
		}
		o.Seed = 4
	}

	ref := contexts
	tables := map[string][numContexts]context{}
	for _, name := range []string{FamilyTerrainA, FamilyTerrainB} {
		f, err := LookupFamily(name)
		if err != nil {
			t.Fatal(err)
		}
		tab := f.contextTable()
		tables[name] = tab
		changed := 0
		for i := range tab {
			for j, x := range tab[i].exp {
				r := x.median / ref[i].exp[j].median
				if r < 0.5-1e-9 || r > 2+1e-9 {
					t.Errorf("%s %s: median ×%.2f, want within ×0.5–2", name, tab[i].name, r)
				}
				if math.Abs(math.Log(r)) > math.Log(1.2) {
					changed++
				}
			}
			if i != ctxAircrew && (tab[i].sigmaW < f.SigmaW[0] || tab[i].sigmaW > f.SigmaW[1]) {
				t.Errorf("%s %s: σ_w %.2f outside %v", name, tab[i].name, tab[i].sigmaW, f.SigmaW)
			}
		}
		var desc []string
		for i := range tab {
			desc = append(desc, strings.ReplaceAll(tab[i].name, " ", "_")+"×"+strconv.FormatFloat(tab[i].exp[0].median/ref[i].exp[0].median, 'f', 2, 64)+
				"/σw"+strconv.FormatFloat(tab[i].sigmaW, 'f', 2, 64))
		}
		t.Logf("%s: %s", name, strings.Join(desc, " "))
		if changed < numContexts/2 {
			t.Errorf("%s: only %d exposures moved by more than ×1.2", name, changed)
		}
		if r := f.rates(); r.drift <= rateDrift || r.beam <= rateBeam || r.mislabel <= rateMislabel {
			t.Errorf("%s: rates %+v not above the reference's", name, r)
		}
	}
	if tables[FamilyTerrainA][ctxRadiology].exp[0].median == tables[FamilyTerrainB][ctxRadiology].exp[0].median {
		t.Error("terrain-a and terrain-b share their radiology median")
	}
	// The reference table is the calibrated one, untouched by the families.
	if contexts[ctxRadiology].exp[0].median != 0.133 {
		t.Errorf("reference radiology median changed: %v", contexts[ctxRadiology].exp[0].median)
	}
}

// TestFamilyShifts checks the legitimate shifts a family draws: level changes
// of establishments, seasonal campaigns, dosimeter model changes.
func TestFamilyShifts(t *testing.T) {
	for _, name := range []string{FamilyTerrainA, FamilyTerrainB} {
		g, err := newGenerator(Options{Workers: 3000, Months: 24, Seed: 1, Start: DefaultStart, Family: name}, MemSink{})
		if err != nil {
			t.Fatal(err)
		}
		f := g.fs.fam
		if len(g.fs.shifts) == 0 || len(g.fs.shifts) > len(g.ests)/2 {
			t.Errorf("%s: %d of %d establishments shift", name, len(g.fs.shifts), len(g.ests))
		}
		for e, s := range g.fs.shifts {
			if s.factor < 0.4 || s.factor > 2.5 || math.Abs(math.Log(s.factor)) < math.Log(1.5) || s.from < 3 || s.from >= 24 {
				t.Errorf("%s: establishment %d shift %+v", name, e, s)
			}
			if got := g.legitFactor(ctxRadiology, e, s.from) / g.legitFactor(ctxRadiology, e, s.from-1); math.Abs(got-s.factor) > 1e-9 &&
				len(g.fs.campaign) == 0 {
				t.Errorf("%s: shift factor applied ×%v, want ×%v", name, got, s.factor)
			}
		}
		if len(g.fs.campaign) != 2*f.Campaigns {
			t.Errorf("%s: %d campaigns over 2 years, want %d", name, len(g.fs.campaign), 2*f.Campaigns)
		}
		// Drift episodes also fall in seasonal contexts (outages, campaigns).
		seasonal := 0
		for _, w := range g.workers {
			if ep := w.episode; ep != nil && ep.label == LabelDrift {
				c := w.emps[0].ctx
				_, camp1 := g.fs.campaign[[2]int{c, 2023}]
				_, camp2 := g.fs.campaign[[2]int{c, 2024}]
				if s := g.ctxs[c].exp[0].season; s == seasonOutage || s == seasonCampaign || camp1 || camp2 {
					seasonal++
				}
			}
		}
		if seasonal < 5 {
			t.Errorf("%s: %d drift episodes in seasonal contexts, want ≥ 5", name, seasonal)
		}
		changes := 0
		for code, p := range g.fs.labs {
			if p.change >= 0 {
				changes++
				if p.threshold2 == p.threshold || p.change < 6 || p.change >= 18 {
					t.Errorf("%s: laboratory %s device change %+v", name, code, p)
				}
			}
		}
		for _, l := range laboratories {
			t.Logf("%s %-9s %+v", name, l[0], g.fs.labs[l[0]])
		}
		t.Logf("%s: %d of %d establishments shift, campaigns %v", name, len(g.fs.shifts), len(g.ests), g.fs.campaign)
		if changes != f.DeviceChanges {
			t.Errorf("%s: %d laboratories change device, want %d", name, changes, f.DeviceChanges)
		}
	}
}

// TestFamilyLabels checks that terrain-a at 3,000 workers × 24 months holds at
// least 20 labels of every kind (point kinds, drift and zero-run episodes,
// mislabels), with the reference's label semantics.
func TestFamilyLabels(t *testing.T) {
	for _, name := range []string{FamilyTerrainA, FamilyTerrainB} {
		s, sum := generate(t, Options{Workers: 3000, Months: 24, Seed: 1, Family: name})
		seen := map[string]int{}
		scope := map[string]string{LabelDrift: "episode", LabelZeroRun: "episode", LabelMislabel: "episode"}
		nir := map[string]bool{}
		for _, d := range records(t, s, FileDeclarations) {
			nir[d[1]] = true
		}
		for _, l := range records(t, s, FileLabels) {
			seen[l[1]]++
			want := scope[l[1]]
			if want == "" {
				want = "record"
			}
			if l[2] != want || !nir[l[3]] || !slices.Contains(LabelKinds, l[1]) {
				t.Errorf("%s: label %v", name, l)
			}
		}
		for _, k := range LabelKinds {
			if seen[k] != sum.LabelsByKind[k] {
				t.Errorf("%s %s: %d labels, summary %d", name, k, seen[k], sum.LabelsByKind[k])
			}
			if name == FamilyTerrainA && seen[k] < 20 {
				t.Errorf("%s: %d %s labels, want ≥ 20 at 3,000 × 24", name, seen[k], k)
			}
		}
		t.Logf("%s: %v", name, seen)
	}
}

// TestFamilyRowsParse checks the held-out families' files: a third of the
// employments declared without sector or job, the laboratory variants, and
// every row valid for backend/ingest (an empty sector or job is accepted
// with a warning).
func TestFamilyRowsParse(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	nom := &ingest.Nomenclature{Version: "SISERI-2023", Sectors: map[string]bool{}, Jobs: map[string]bool{}}
	for i, c := range contexts {
		for _, j := range c.jobs {
			nom.Sectors[sectorOf(i, j.code)], nom.Jobs[j.code] = true, true
		}
	}
	for _, name := range []string{FamilyTerrainA, FamilyTerrainB} {
		s, sum := generate(t, Options{Workers: 1500, Months: 24, Seed: 2, Family: name})

		decl := records(t, s, FileDeclarations)
		var both, jobOnly int
		for _, d := range decl {
			switch {
			case d[9] == "" && d[10] == "":
				both++
			case d[10] == "":
				jobOnly++
			case d[9] == "":
				t.Errorf("%s: a sector missing with a job: %v", name, d)
			}
		}
		share := float64(both+jobOnly) / float64(len(decl))
		if share < 0.25 || share > 0.42 || both == 0 || jobOnly == 0 {
			t.Errorf("%s: %.3f of the employments without sector or job (%d both, %d job only), want 0.25–0.42 with both kinds",
				name, share, both, jobOnly)
		}

		// Laboratory variants.
		variants := map[string]int{}
		number := regexp.MustCompile(`^[0-9]+([.,][0-9]+)?$`)
		for _, r := range records(t, s, FileLabResults) {
			v := r[10]
			switch {
			case v == "M":
				variants["M"]++
			case regexp.MustCompile(`^0([.,]0+)?$`).MatchString(v):
				variants["0"]++
			case strings.Contains(v, ","):
				variants["comma"]++
			case strings.Contains(v, "."):
				variants["point"]++
			}
			if v != "M" && v != "ABSENT" && !number.MatchString(v) {
				t.Errorf("%s: resultat %q", name, v)
			}
			variants[r[11]]++
			if r[6] == "PASSIF_CORPS_ENTIER" {
				d, _ := time.Parse(time.DateOnly, r[8])
				f, _ := time.Parse(time.DateOnly, r[9])
				variants["period"+string(rune('0'+(f.Year()-d.Year())*12+int(f.Month())-int(d.Month())+1))]++
			}
		}
		for _, v := range []string{"M", "0", "comma", "point", "mSv", "µSv", "period1", "period2", "period3"} {
			if variants[v] == 0 {
				t.Errorf("%s: no %s variant in the lab results (%v)", name, v, variants)
			}
		}
		t.Logf("%s: %.3f without sector or job (%d both, %d job only of %d); variants %v", name, share, both, jobOnly, len(decl), variants)

		// Every row parses with backend/ingest, except the unit errors and
		// beam exposures the validator finds implausible (over 10 Sv).
		labRows := records(t, s, FileLabResults)
		implausible := map[string]bool{}
		for _, l := range records(t, s, FileLabels) {
			if l[1] == LabelUnitError || l[1] == LabelBeam {
				implausible[l[3]+l[5]+l[8]] = true
			}
		}
		warnings := map[string]int{}
		read := func(format ingest.Format, file string, check func(*ingest.Row) (key string, ok bool)) int {
			b := ingest.NewBatch(ingest.Submission{Format: format, Reference: file, DryRun: true, Body: bytes.NewReader(s[file].Bytes())})
			ok, err := b.Open()
			if err != nil || !ok {
				t.Fatalf("%s %s: open: %v %v", name, file, err, b.Report.Problems)
			}
			rows := 0
			if err := b.Read(500, func(rs []*ingest.Row) error {
				for _, rw := range rs {
					rows++
					key, ok := check(rw)
					if !ok || (key != "" && b.Duplicate(rw, key, "dosimetre")) {
						b.Reject(rw)
						continue
					}
					b.Accept()
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			b.Finish()
			for _, p := range b.Report.Problems {
				if p.IsWarning() && slices.Contains([]string{"VALUE_ROUNDED", "SECTOR_MISSING", "JOB_MISSING"}, p.Code) {
					warnings[p.Code]++
					continue
				}
				if r := labRows[max(0, p.Line-2)]; file == FileLabResults && p.Code == "VALUE_IMPLAUSIBLE" && implausible[r[0]+r[6]+r[9]] {
					warnings[p.Code]++
					continue
				}
				t.Errorf("%s %s line %d: %s %s %q: %s", name, file, p.Line, p.Code, p.Column, p.Value, p.Message)
			}
			return rows
		}
		nd := read(ingest.Declarations, FileDeclarations, func(rw *ingest.Row) (string, bool) {
			_, ok := ingest.ParseDeclaration(rw, now, nom)
			return "", ok
		})
		nl := read(ingest.LabResults, FileLabResults, func(rw *ingest.Row) (string, bool) {
			r, ok := ingest.ParseLab(rw, now)
			return r.Key(), ok
		})
		no := read(ingest.Operational, FileOperational, func(rw *ingest.Row) (string, bool) {
			_, ok := ingest.ParseOperational(rw, now)
			return "", ok
		})
		if warnings["SECTOR_MISSING"] != both || warnings["JOB_MISSING"] != both+jobOnly {
			t.Errorf("%s: warnings %v, want %d SECTOR_MISSING and %d JOB_MISSING", name, warnings, both, both+jobOnly)
		}
		if nd != sum.Declarations || nl != sum.LabResults || no != sum.Operational {
			t.Errorf("%s: parsed %d/%d/%d rows, generated %d/%d/%d", name, nd, nl, no, sum.Declarations, sum.LabResults, sum.Operational)
		}
	}
}
