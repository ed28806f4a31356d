package registry_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/operationaldose"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// The bad-input table: every column and every rule of the three exchange
// formats, each case asserting the exact problems (line, column, code, value)
// of a rejected batch, that the dry run reports the same, and that nothing was
// written. Positive controls (the edges that must pass) run as dry runs.

// rowSpec is one row of a format, by column name.
type rowSpec struct {
	format ingest.Format
	vals   map[string]string
}

func spec(f ingest.Format, kv ...string) rowSpec {
	return rowSpec{format: f, vals: map[string]string{}}.with(kv...)
}

// with returns a copy of r with the given columns replaced.
func (r rowSpec) with(kv ...string) rowSpec {
	out := rowSpec{format: r.format, vals: make(map[string]string, len(r.vals))}
	for k, v := range r.vals {
		out.vals[k] = v
	}
	known := map[string]bool{}
	for _, c := range r.format.Columns() {
		known[c] = true
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if !known[kv[i]] {
			panic(fmt.Sprintf("no column %q in %s", kv[i], r.format))
		}
		out.vals[kv[i]] = kv[i+1]
	}
	return out
}

func (r rowSpec) line() string {
	cols := r.format.Columns()
	fields := make([]string, len(cols))
	for i, c := range cols {
		fields[i] = r.vals[c]
	}
	return strings.Join(fields, ";")
}

// want is an expected problem; value is the value the report must quote.
type want struct {
	line  int
	col   string
	code  string
	value string
}

type badCase struct {
	name   string
	format ingest.Format
	as     *policy.Viewer // nil: the default submitter of the format
	body   string         // the whole file
	want   []want
}

type goodCase struct {
	name   string
	format ingest.Format
	as     *policy.Viewer
	body   string
	rows   int
}

func fileOf(f ingest.Format, lines ...string) string {
	return strings.Join(f.Columns(), ";") + "\n" + strings.Join(lines, "\n") + "\n"
}

// bad is a one-row file whose row 2 has one problem on col.
func bad(name string, r rowSpec, col, code string) badCase {
	return badCase{name: name, format: r.format, body: fileOf(r.format, r.line()),
		want: []want{{2, col, code, r.vals[col]}}}
}

// badValue is bad with the value the report must quote (control characters
// show as « � »).
func badValue(name string, r rowSpec, col, code, value string) badCase {
	return badCase{name: name, format: r.format, body: fileOf(r.format, r.line()),
		want: []want{{2, col, code, value}}}
}

// good is a one-row file that must be accepted.
func good(name string, r rowSpec) goodCase {
	return goodCase{name: name, format: r.format, body: fileOf(r.format, r.line()), rows: 1}
}

// padded is r with trailing spaces in its comment (ignored) so that its line
// is n bytes long.
func padded(r rowSpec, n int) rowSpec {
	return r.with("commentaire", r.vals["commentaire"]+strings.Repeat(" ", n-len(r.line())))
}

// validSIRET completes 13 digits with the Luhn key.
func validSIRET(first13 string) string {
	for d := 0; d <= 9; d++ {
		if s := first13 + strconv.Itoa(d); dosimetry.Luhn(s) {
			return s
		}
	}
	panic("no Luhn key for " + first13)
}

// wrongKey returns a NIR whose key is off by one.
func wrongKey(n string) string {
	k, _ := strconv.Atoi(n[13:])
	return fmt.Sprintf("%s%02d", n[:13], k%97+1)
}

// badInputEnv is the fixture plus what the table needs: stored results to
// duplicate, a worker with a usage name, an adviser.
type badInputEnv struct {
	*importFixture
	rpa       *policy.Viewer
	lab       rowSpec // a valid result of worker 0
	internal  rowSpec // a valid internal dosimetry result (no dosimeter)
	aviation  rowSpec // a valid aircrew result (no dosimeter)
	stored    rowSpec // a result already stored
	decl      rowSpec // a valid declaration of a new worker
	declKnown rowSpec // a valid declaration of worker 0's employment (an update)
	op        rowSpec // a valid operational result of worker 0
	opStored  rowSpec // an operational result already stored
}

func newBadInputEnv(t *testing.T, db *store.DB) *badInputEnv {
	t.Helper()
	f := newImportFixture(t, db, 3)
	ctx := policy.SystemContext(context.Background())
	f.db.Client.Worker.UpdateOne(f.workers[1]).SetUsageName("Leroy-Martin").ExecX(ctx)
	acc := f.db.Client.Account.Create().SetEmail("rpa@test.fr").SetDisplayName("rpa").SetPasswordHash("x").SaveX(ctx)
	e := &badInputEnv{importFixture: f}
	e.rpa = &policy.Viewer{AccountID: acc.ID, Role: policy.RoleRPA,
		Grants: []policy.Grant{{Role: policy.RoleRPA, EstablishmentID: f.estab.ID, ValidFrom: day(2019, 1, 1)}}}
	e.lab = spec(ingest.LabResults, "nir", f.nirs[0], "nom", "DUPRÉ0", "prenom", "Élise", "date_naissance", "1980-01-15",
		"siret", siretA, "dosimetre", "D0001", "type_suivi", "PASSIF_CORPS_ENTIER", "grandeur", "HP10",
		"debut_periode", "2024-01-01", "fin_periode", "2024-01-31", "resultat", "0.25", "unite", "mSv",
		"radionucleide", "", "commentaire", "")
	e.internal = e.lab.with("dosimetre", "", "type_suivi", "INTERNE", "grandeur", "E50", "radionucleide", "Cs-137",
		"resultat", "12", "unite", "µSv")
	e.aviation = e.lab.with("dosimetre", "", "type_suivi", "AVIATION", "grandeur", "E", "resultat", "0.180")
	e.stored = e.lab.with("dosimetre", "STORED-1", "debut_periode", "2023-01-01", "fin_periode", "2023-01-31", "resultat", "0.5")
	e.decl = spec(ingest.Declarations, "siret", siretA, "nir", nir("1900575056100"), "nom", "Martin", "prenom", "Paul",
		"date_naissance", "1990-05-12", "sexe", "M", "date_debut", "2024-01-01", "date_fin", "", "type_contrat", "CDI",
		"secteur", "RI", "metier", "CARDIO", "categorie", "A")
	e.declKnown = e.decl.with("nir", f.nirs[0], "nom", "Dupré0", "prenom", "Élise Marie", "date_naissance", "1980-01-15",
		"date_debut", "2019-01-01")
	e.op = spec(ingest.Operational, "nir", f.nirs[0], "nom", "Dupré0", "prenom", "Élise", "siret", siretA,
		"dosimetre", "OP-0001", "debut", "2024-03-04T08:00:00", "fin", "2024-03-08T18:00:00", "resultat", "0.012", "unite", "mSv")
	e.opStored = e.op.with("dosimetre", "OP-STORED", "debut", "2023-02-06T08:00:00", "fin", "2023-02-10T18:00:00", "resultat", "0.010")

	// What the DUPLICATE_STORED cases find.
	rep := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "SETUP-LAB",
		Body: strings.NewReader(fileOf(ingest.LabResults, e.stored.line()))})
	if rep.Status != ingest.StatusAccepted {
		t.Fatalf("setup lab batch: %+v", rep)
	}
	rep = f.submit(t, f.employer, ingest.Submission{Format: ingest.Operational, Reference: "SETUP-OP",
		Body: strings.NewReader(fileOf(ingest.Operational, e.opStored.line()))})
	if rep.Status != ingest.StatusAccepted {
		t.Fatalf("setup operational batch: %+v", rep)
	}
	return e
}

func (e *badInputEnv) submitter(format ingest.Format, as *policy.Viewer) *policy.Viewer {
	if as != nil {
		return as
	}
	if format == ingest.LabResults {
		return e.importFixture.lab
	}
	return e.employer
}

// fingerprint digests every table an import may write, rows and contents.
func fingerprint(t testing.TB, db *store.DB) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"dose_records", "operational_doses", "workers", "employments", "import_batches",
		"anomalies", "exposure_summaries", "dosimeters", "audit_events"} {
		var n int
		var sum string
		q := fmt.Sprintf("SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM %s t", table)
		if err := db.SQL.QueryRowContext(context.Background(), q).Scan(&n, &sum); err != nil {
			t.Fatalf("fingerprint %s: %v", table, err)
		}
		parts = append(parts, fmt.Sprintf("%s=%d/%s", table, n, sum))
	}
	return strings.Join(parts, " ")
}

func (e *badInputEnv) cases() []badCase {
	L, D, O := ingest.LabResults, ingest.Declarations, ingest.Operational
	lab, internal, decl, known, op := e.lab, e.internal, e.decl, e.declKnown, e.op
	unknownNIR := nir("1800175056099")
	unknownSIRET := validSIRET("7328293200010")
	long := func(n int) string { return strings.Repeat("a", n) }
	file := func(name string, f ingest.Format, body string, w ...want) badCase {
		return badCase{name: name, format: f, body: body, want: w}
	}
	labHeaderCols := L.Columns()
	hdr := func(cols []string) string { return strings.Join(cols, ";") }
	replaced := func(cols []string, i int, v string) []string {
		out := append([]string(nil), cols...)
		out[i] = v
		return out
	}
	cs := []badCase{
		// ---- Lab results: the file.
		file("lab/empty file", L, "", want{1, "", "EMPTY_FILE", ""}),
		file("lab/BOM only", L, "\xEF\xBB\xBF", want{1, "", "EMPTY_FILE", ""}),
		file("lab/header missing last column", L, hdr(labHeaderCols[:13])+"\n"+lab.line()+"\n",
			want{1, "commentaire", "HEADER_MISSING_COLUMN", ""}),
		file("lab/header renamed column", L, hdr(replaced(labHeaderCols, 2, "prénom"))+"\n"+lab.line()+"\n",
			want{1, "prenom", "HEADER_COLUMN", "prénom"}),
		file("lab/header swapped columns", L, hdr(append([]string{"nom", "nir"}, labHeaderCols[2:]...))+"\n",
			want{1, "nir", "HEADER_COLUMN", "nom"}),
		file("lab/header extra column", L, hdr(append(append([]string(nil), labHeaderCols...), "laboratoire"))+"\n"+lab.line()+";X\n",
			want{1, "", "HEADER_EXTRA_COLUMN", "laboratoire"}),
		file("lab/header with comma separators", L, strings.Join(labHeaderCols, ",")+"\n",
			want{1, "nir", "HEADER_COLUMN", strings.Join(labHeaderCols, ",")}),
		file("lab/no header, data first", L, lab.line()+"\n", want{1, "nir", "HEADER_COLUMN", e.nirs[0]}),
		file("lab/latin-1 header", L, hdr(replaced(labHeaderCols, 2, "pr\xE9nom"))+"\n", want{1, "prenom", "HEADER_COLUMN", "pr\uFFFDnom"}),
		file("lab/header only", L, hdr(labHeaderCols)+"\n", want{1, "", "NO_DATA_ROWS", ""}),
		file("lab/header only, no line break", L, hdr(labHeaderCols), want{1, "", "NO_DATA_ROWS", ""}),
		file("lab/header and blank lines", L, hdr(labHeaderCols)+"\n\n   \r\n\t\n", want{1, "", "NO_DATA_ROWS", ""}),
		file("lab/blank lines only", L, "\n  \n\t\r\n", want{1, "", "EMPTY_FILE", ""}),
		file("lab/header after blank lines, renamed column", L, "\n   \n"+hdr(replaced(labHeaderCols, 2, "prénom"))+"\n"+lab.line()+"\n",
			want{3, "prenom", "HEADER_COLUMN", "prénom"}),
		file("lab/header line too long", L, hdr(labHeaderCols)+strings.Repeat(" ", ingest.MaxLineBytes)+"\n"+lab.line()+"\n",
			want{1, "", "LINE_TOO_LONG", ""}),
		file("lab/line too long, the next lines checked", L, fileOf(L, lab.with("commentaire", long(ingest.MaxLineBytes)).line(),
			lab.with("dosimetre", "D0002", "nir", "123").line()),
			want{2, "", "LINE_TOO_LONG", ""}, want{3, "nir", "NIR_INVALID", "123"}),
		file("lab/line one byte too long", L, fileOf(L, padded(lab, ingest.MaxLineBytes+1).line(), lab.with("dosimetre", "D0002", "nir", "123").line()),
			want{2, "", "LINE_TOO_LONG", ""}, want{3, "nir", "NIR_INVALID", "123"}),
		file("lab/unclosed quote past the limit", L, fileOf(L, lab.with("commentaire", `"non fermé`).line(),
			strings.Repeat(lab.with("dosimetre", "D0002").line()+"\n", ingest.MaxLineBytes/100)),
			want{2, "", "LINE_TOO_LONG", ""}),
		file("lab/long quoted field over many lines, the next lines checked", L, fileOf(L,
			lab.with("commentaire", `"`+strings.Repeat("x\n", ingest.MaxLineBytes/2)+`"`).line(),
			lab.with("dosimetre", "D0002", "nir", "123").line(),
			lab.with("dosimetre", "D0003", "nom", `DU"PRÉ0`).line()),
			want{2, "", "LINE_TOO_LONG", ""}, want{3 + ingest.MaxLineBytes/2, "nir", "NIR_INVALID", "123"},
			want{4 + ingest.MaxLineBytes/2, "", "CSV_SYNTAX", ""}),
		file("lab/value quoted in part", L, fileOf(L, lab.with("commentaire", long(5000)).line()),
			want{2, "commentaire", "TOO_LONG", long(1021) + "…"}),
		file("lab/header bare quote", L, `ni"r;`+hdr(labHeaderCols[1:])+"\n", want{1, "", "CSV_SYNTAX", ""}),
		file("lab/bare quote in a field", L, fileOf(L, lab.with("nom", `DU"PRÉ0`).line()), want{2, "", "CSV_SYNTAX", ""}),
		file("lab/unclosed quote", L, fileOf(L, lab.with("commentaire", `"non fermé`).line()), want{2, "", "CSV_SYNTAX", ""}),
		file("lab/too few fields", L, fileOf(L, strings.TrimSuffix(lab.line(), ";")), want{2, "", "FIELD_COUNT", ""}),
		file("lab/too many fields", L, fileOf(L, lab.line()+";en trop"), want{2, "", "FIELD_COUNT", ""}),
		file("lab/comma separated row", L, fileOf(L, strings.ReplaceAll(lab.line(), ";", ",")), want{2, "", "FIELD_COUNT", ""}),
		file("lab/latin-1 surname", L, fileOf(L, lab.with("nom", "DUPR\xC90").line()), want{2, "nom", "ENCODING", "DUPR\uFFFD0"}),
		file("lab/latin-1 comment", L, fileOf(L, lab.with("commentaire", "d\xE9pass\xE9").line()),
			want{2, "commentaire", "ENCODING", "d\uFFFDpass\uFFFD"}),
		file("lab/NUL byte in comment", L, fileOf(L, lab.with("commentaire", "a\x00b").line()),
			want{2, "commentaire", "ENCODING", "a\uFFFDb"}),
		file("lab/problem on line 3", L, fileOf(L, lab.line(), lab.with("dosimetre", "D0002", "resultat", "x").line()),
			want{3, "resultat", "VALUE_INVALID", "x"}),

		// ---- Lab results: identity columns.
		bad("lab/nir empty", lab.with("nir", ""), "nir", "REQUIRED"),
		bad("lab/nir blank", lab.with("nir", "   "), "nir", "REQUIRED"),
		bad("lab/nir too short", lab.with("nir", "18001750560"), "nir", "NIR_INVALID"),
		bad("lab/nir 13 digits without key", lab.with("nir", e.nirs[0][:13]), "nir", "NIR_INVALID"),
		bad("lab/nir too long", lab.with("nir", e.nirs[0]+"1"), "nir", "NIR_INVALID"),
		bad("lab/nir letter", lab.with("nir", "1800175O56001"+e.nirs[0][13:]), "nir", "NIR_INVALID"),
		bad("lab/nir sex digit 3", lab.with("nir", nir("3800175056001")), "nir", "NIR_INVALID"),
		bad("lab/nir month 13", lab.with("nir", nir("1801375056001")), "nir", "NIR_INVALID"),
		bad("lab/nir department 00", lab.with("nir", nir("1800100056001")), "nir", "NIR_INVALID"),
		bad("lab/nir order 000", lab.with("nir", nir("1800175056000")), "nir", "NIR_INVALID"),
		bad("lab/nir key off by one", lab.with("nir", wrongKey(e.nirs[0])), "nir", "NIR_KEY"),
		bad("lab/nir transposed digits", lab.with("nir", "1800175065001"+e.nirs[0][13:]), "nir", "NIR_KEY"),
		bad("lab/nir key 00", lab.with("nir", e.nirs[0][:13]+"00"), "nir", "NIR_KEY"),
		bad("lab/nir unknown", lab.with("nir", unknownNIR), "nir", "WORKER_UNKNOWN"),
		bad("lab/nom empty", lab.with("nom", ""), "nom", "REQUIRED"),
		bad("lab/nom too long", lab.with("nom", long(101)), "nom", "TOO_LONG"),
		bad("lab/nom without letters", lab.with("nom", "1234"), "nom", "NAME_INVALID"),
		bad("lab/nom other person", lab.with("nom", "MARTIN"), "nom", "IDENTITY_MISMATCH"),
		bad("lab/nom of another worker", lab.with("nom", "Dupré1"), "nom", "IDENTITY_MISMATCH"),
		bad("lab/prenom empty", lab.with("prenom", ""), "prenom", "REQUIRED"),
		bad("lab/prenom too long", lab.with("prenom", long(101)), "prenom", "TOO_LONG"),
		bad("lab/prenom punctuation only", lab.with("prenom", "--"), "prenom", "NAME_INVALID"),
		bad("lab/prenom other person", lab.with("prenom", "Paul"), "prenom", "IDENTITY_MISMATCH"),
		bad("lab/prenom second first name alone", lab.with("prenom", "Marie"), "prenom", "IDENTITY_MISMATCH"),
		bad("lab/prenom prefix of first name", lab.with("prenom", "Eli"), "prenom", "IDENTITY_MISMATCH"),
		bad("lab/date_naissance empty", lab.with("date_naissance", ""), "date_naissance", "REQUIRED"),
		bad("lab/date_naissance french order", lab.with("date_naissance", "15/01/1980"), "date_naissance", "DATE_INVALID"),
		bad("lab/date_naissance future", lab.with("date_naissance", "2025-06-16"), "date_naissance", "DATE_FUTURE"),
		bad("lab/date_naissance other day", lab.with("date_naissance", "1980-01-16"), "date_naissance", "IDENTITY_MISMATCH"),
		bad("lab/date_naissance other year", lab.with("date_naissance", "1981-01-15"), "date_naissance", "IDENTITY_MISMATCH"),

		bad("lab/nir NTT invalid", lab.with("nir", "NTT:AB-12"), "nir", "IDENTIFIER_INVALID"),
		bad("lab/nir NTT empty", lab.with("nir", "NTT:"), "nir", "IDENTIFIER_INVALID"),
		bad("lab/nir alpha-3 country", lab.with("nir", "DEU:65180175M017"), "nir", "IDENTIFIER_INVALID"),
		bad("lab/nir foreign identifier with a space", lab.with("nir", "DE:6518 0175"), "nir", "IDENTIFIER_INVALID"),
		bad("lab/nir foreign identifier 41 characters", lab.with("nir", "DE:"+strings.Repeat("7", 41)), "nir", "IDENTIFIER_INVALID"),
		bad("lab/nir unknown country", lab.with("nir", "XX:123"), "nir", "COUNTRY_INVALID"),
		bad("lab/nir France as a foreign country", lab.with("nir", "FR:123"), "nir", "COUNTRY_INVALID"),
		bad("lab/nir unknown NTT", lab.with("nir", "NTT:NOBODY1"), "nir", "WORKER_UNKNOWN"),
		bad("lab/nir unknown foreign identifier", lab.with("nir", "DE:NOBODY1"), "nir", "WORKER_UNKNOWN"),
		badValue("lab/nom escape", lab.with("nom", "DU\x1bPRÉ0"), "nom", "CONTROL_CHARACTER", "DU\uFFFDPRÉ0"),
		badValue("lab/nom bell", lab.with("nom", "DUPRÉ0\a"), "nom", "CONTROL_CHARACTER", "DUPRÉ0\uFFFD"),
		badValue("lab/nom zero-width space of a matching name", lab.with("nom", "DUPR\u200bÉ0"), "nom", "CONTROL_CHARACTER", "DUPR\uFFFDÉ0"),
		badValue("lab/nom right-to-left override", lab.with("nom", "\u202e0ÉRPUD"), "nom", "CONTROL_CHARACTER", "\uFFFD0ÉRPUD"),
		badValue("lab/nom C1 control", lab.with("nom", "DUPRÉ0\u0085"), "nom", "CONTROL_CHARACTER", "DUPRÉ0\uFFFD"),
		badValue("lab/nom tab", lab.with("nom", "DUPRÉ0\t"), "nom", "CONTROL_CHARACTER", "DUPRÉ0\uFFFD"),
		badValue("lab/prenom byte order mark", lab.with("prenom", "\ufeffÉlise"), "prenom", "CONTROL_CHARACTER", "\uFFFDÉlise"),
		badValue("lab/prenom zero-width joiner", lab.with("prenom", "Él\u200dise"), "prenom", "CONTROL_CHARACTER", "Él\uFFFDise"),
		badValue("lab/prenom left-to-right isolate", lab.with("prenom", "\u2066Élise\u2069"), "prenom", "CONTROL_CHARACTER", "\uFFFDÉlise\uFFFD"),
		badValue("lab/prenom soft hyphen", lab.with("prenom", "Éli\u00adse"), "prenom", "CONTROL_CHARACTER", "Éli\uFFFDse"),

		// ---- Lab results: establishment and dosimeter.
		bad("lab/siret empty", lab.with("siret", ""), "siret", "REQUIRED"),
		bad("lab/siret 13 digits", lab.with("siret", siretA[:13]), "siret", "SIRET_INVALID"),
		bad("lab/siret letter", lab.with("siret", "7328293200007A"), "siret", "SIRET_INVALID"),
		bad("lab/siret zeros", lab.with("siret", "00000000000000"), "siret", "SIRET_INVALID"),
		bad("lab/siret luhn", lab.with("siret", "73282932000075"), "siret", "SIRET_LUHN"),
		bad("lab/siret la poste rule", lab.with("siret", "35600000000049"), "siret", "SIRET_LUHN"),
		bad("lab/siret unknown", lab.with("siret", unknownSIRET), "siret", "ESTABLISHMENT_UNKNOWN"),
		bad("lab/no employment at that establishment", lab.with("siret", siretB), "debut_periode", "EMPLOYMENT_NOT_FOUND"),
		bad("lab/period before the employment", lab.with("debut_periode", "2018-11-01", "fin_periode", "2018-12-31"),
			"debut_periode", "EMPLOYMENT_NOT_FOUND"),
		bad("lab/dosimetre empty (whole body)", lab.with("dosimetre", ""), "dosimetre", "REQUIRED"),
		bad("lab/dosimetre empty (extremities)", lab.with("dosimetre", "", "type_suivi", "EXTREMITES", "grandeur", "HP007"),
			"dosimetre", "REQUIRED"),
		bad("lab/dosimetre empty (lens)", lab.with("dosimetre", "", "type_suivi", "CRISTALLIN", "grandeur", "HP3"),
			"dosimetre", "REQUIRED"),
		bad("lab/dosimetre empty (radon)", lab.with("dosimetre", "", "type_suivi", "RADON", "grandeur", "E"),
			"dosimetre", "REQUIRED"),
		bad("lab/dosimetre space", lab.with("dosimetre", "D 0001"), "dosimetre", "DOSIMETER_INVALID"),
		bad("lab/dosimetre leading dash", lab.with("dosimetre", "-D1"), "dosimetre", "DOSIMETER_INVALID"),
		bad("lab/dosimetre hash", lab.with("dosimetre", "D#1"), "dosimetre", "DOSIMETER_INVALID"),
		bad("lab/dosimetre 41 characters", lab.with("dosimetre", "D"+strings.Repeat("0", 40)), "dosimetre", "DOSIMETER_INVALID"),
		bad("lab/dosimetre accent", lab.with("dosimetre", "DÉ1"), "dosimetre", "DOSIMETER_INVALID"),
		bad("lab/dosimetre of another laboratory", lab.with("dosimetre", "OTHER-1"), "dosimetre", "DOSIMETER_OTHER_LABORATORY"),

		// ---- Lab results: kind and quantity.
		bad("lab/type_suivi empty", lab.with("type_suivi", ""), "type_suivi", "REQUIRED"),
		bad("lab/type_suivi unknown", lab.with("type_suivi", "CORPS_ENTIER"), "type_suivi", "MONITORING_KIND_INVALID"),
		bad("lab/type_suivi singular", lab.with("type_suivi", "EXTREMITE", "grandeur", "HP007"), "type_suivi", "MONITORING_KIND_INVALID"),
		bad("lab/type_suivi OPERATIONNEL", lab.with("type_suivi", "OPERATIONNEL"), "type_suivi", "MONITORING_KIND_INVALID"),
		bad("lab/type_suivi OPERATIONAL", lab.with("type_suivi", "OPERATIONAL"), "type_suivi", "MONITORING_KIND_INVALID"),
		bad("lab/grandeur empty", lab.with("grandeur", ""), "grandeur", "REQUIRED"),
		bad("lab/grandeur unknown", lab.with("grandeur", "HP5"), "grandeur", "QUANTITY_INVALID"),
		bad("lab/grandeur unit instead", lab.with("grandeur", "mSv"), "grandeur", "QUANTITY_INVALID"),
		bad("lab/grandeur Hp(3) whole body", lab.with("grandeur", "HP3"), "grandeur", "QUANTITY_KIND_MISMATCH"),
		bad("lab/grandeur E50 whole body", lab.with("grandeur", "E50"), "grandeur", "QUANTITY_KIND_MISMATCH"),
		bad("lab/grandeur Hp(10) extremities", lab.with("type_suivi", "EXTREMITES"), "grandeur", "QUANTITY_KIND_MISMATCH"),
		bad("lab/grandeur Hp(10) internal", internal.with("grandeur", "HP10"), "grandeur", "QUANTITY_KIND_MISMATCH"),
		bad("lab/grandeur E aviation as E50", e.aviation.with("grandeur", "E50"), "grandeur", "QUANTITY_KIND_MISMATCH"),

		// ---- Lab results: period.
		bad("lab/debut empty", lab.with("debut_periode", ""), "debut_periode", "REQUIRED"),
		bad("lab/fin empty", lab.with("fin_periode", ""), "fin_periode", "REQUIRED"),
		bad("lab/debut month 13", lab.with("debut_periode", "2024-13-01"), "debut_periode", "DATE_INVALID"),
		bad("lab/debut 30 February", lab.with("debut_periode", "2024-02-30"), "debut_periode", "DATE_INVALID"),
		bad("lab/debut 29 February non-leap", lab.with("debut_periode", "2023-02-29"), "debut_periode", "DATE_INVALID"),
		bad("lab/debut french order", lab.with("debut_periode", "01/02/2024"), "debut_periode", "DATE_INVALID"),
		bad("lab/debut slashes", lab.with("debut_periode", "2024/01/01"), "debut_periode", "DATE_INVALID"),
		bad("lab/debut no dashes", lab.with("debut_periode", "20240101"), "debut_periode", "DATE_INVALID"),
		bad("lab/debut single digits", lab.with("debut_periode", "2024-1-1"), "debut_periode", "DATE_INVALID"),
		bad("lab/debut with time", lab.with("debut_periode", "2024-01-01T00:00:00"), "debut_periode", "DATE_INVALID"),
		bad("lab/fin day 32", lab.with("fin_periode", "2024-01-32"), "fin_periode", "DATE_INVALID"),
		bad("lab/fin 31 April", lab.with("debut_periode", "2024-04-01", "fin_periode", "2024-04-31"), "fin_periode", "DATE_INVALID"),
		bad("lab/fin words", lab.with("fin_periode", "fin janvier"), "fin_periode", "DATE_INVALID"),
		bad("lab/fin before debut", lab.with("debut_periode", "2024-02-01", "fin_periode", "2024-01-31"), "fin_periode", "PERIOD_ORDER"),
		bad("lab/fin tomorrow", lab.with("debut_periode", "2025-06-01", "fin_periode", "2025-06-16"), "fin_periode", "DATE_FUTURE"),
		bad("lab/period next year", lab.with("debut_periode", "2026-01-01", "fin_periode", "2026-01-31"), "fin_periode", "DATE_FUTURE"),
		bad("lab/period 3 months and a day", lab.with("debut_periode", "2024-01-01", "fin_periode", "2024-04-01"), "fin_periode", "PERIOD_TOO_LONG"),
		bad("lab/period 3 months and a day mid-month", lab.with("debut_periode", "2024-01-15", "fin_periode", "2024-04-15"), "fin_periode", "PERIOD_TOO_LONG"),
		bad("lab/period a year", lab.with("debut_periode", "2023-01-01", "fin_periode", "2023-12-31"), "fin_periode", "PERIOD_TOO_LONG"),
		bad("lab/period too long aviation", e.aviation.with("debut_periode", "2024-01-01", "fin_periode", "2024-06-30"), "fin_periode", "PERIOD_TOO_LONG"),

		// ---- Lab results: value and unit.
		bad("lab/resultat empty", lab.with("resultat", ""), "resultat", "REQUIRED"),
		bad("lab/resultat letters", lab.with("resultat", "abc"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat two separators", lab.with("resultat", "1.2.3"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat two commas", lab.with("resultat", "1,2,3"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat double dash", lab.with("resultat", "--"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat dash", lab.with("resultat", "-"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat double minus number", lab.with("resultat", "--1"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat minus no integer part", lab.with("resultat", "-.5"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat plus only", lab.with("resultat", "+"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat range", lab.with("resultat", "1-2"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat exponent", lab.with("resultat", "1e3"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat thousands separator", lab.with("resultat", "1 000", "unite", "µSv"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat no integer part", lab.with("resultat", ".5"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat no fraction", lab.with("resultat", "5."), "resultat", "VALUE_INVALID"),
		bad("lab/resultat plus sign", lab.with("resultat", "+1"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat NaN", lab.with("resultat", "NaN"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat unit inside", lab.with("resultat", "0.25mSv"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat overflow", lab.with("resultat", "99999999999999999999", "unite", "µSv"), "resultat", "VALUE_INVALID"),
		bad("lab/resultat negative", lab.with("resultat", "-1"), "resultat", "VALUE_NEGATIVE"),
		bad("lab/resultat negative decimal", lab.with("resultat", "-0,05"), "resultat", "VALUE_NEGATIVE"),
		bad("lab/resultat negative below the µSv", lab.with("resultat", "-0.2", "unite", "µSv"), "resultat", "VALUE_NEGATIVE"),
		bad("lab/resultat above 10 Sv in mSv", lab.with("resultat", "10000.001"), "resultat", "VALUE_IMPLAUSIBLE"),
		bad("lab/resultat above 10 Sv in µSv", lab.with("resultat", "10000001", "unite", "µSv"), "resultat", "VALUE_IMPLAUSIBLE"),
		bad("lab/resultat µSv sent as mSv", lab.with("resultat", "250000"), "resultat", "VALUE_IMPLAUSIBLE"),
		bad("lab/unite empty", lab.with("unite", ""), "unite", "REQUIRED"),
		bad("lab/unite Sv", lab.with("unite", "Sv"), "unite", "UNIT_INVALID"),
		bad("lab/unite MSv", lab.with("unite", "MSv"), "unite", "UNIT_INVALID"),
		bad("lab/unite msv", lab.with("unite", "msv"), "unite", "UNIT_INVALID"),
		bad("lab/unite mGy", lab.with("unite", "mGy"), "unite", "UNIT_INVALID"),
		bad("lab/unite mrem", lab.with("unite", "mrem"), "unite", "UNIT_INVALID"),
		bad("lab/unite wrong with M", lab.with("resultat", "M", "unite", "Gy"), "unite", "UNIT_INVALID"),

		// ---- Lab results: radionuclide and comment.
		bad("lab/radionucleide missing for internal", internal.with("radionucleide", ""), "radionucleide", "RADIONUCLIDE_REQUIRED"),
		bad("lab/radionucleide on whole body", lab.with("radionucleide", "Cs-137"), "radionucleide", "RADIONUCLIDE_NOT_ALLOWED"),
		bad("lab/radionucleide on aviation", e.aviation.with("radionucleide", "Rn-222"), "radionucleide", "RADIONUCLIDE_NOT_ALLOWED"),
		bad("lab/radionucleide name", internal.with("radionucleide", "césium"), "radionucleide", "RADIONUCLIDE_INVALID"),
		bad("lab/radionucleide mass first", internal.with("radionucleide", "137Cs"), "radionucleide", "RADIONUCLIDE_INVALID"),
		bad("lab/radionucleide upper case", internal.with("radionucleide", "CS-137"), "radionucleide", "RADIONUCLIDE_INVALID"),
		bad("lab/commentaire 501 characters", lab.with("commentaire", long(501)), "commentaire", "TOO_LONG"),
		badValue("lab/commentaire bell", lab.with("commentaire", "rendu\aen retard"), "commentaire", "CONTROL_CHARACTER", "rendu\uFFFDen retard"),
		badValue("lab/commentaire escape sequence", lab.with("commentaire", "\x1b[31mrouge"), "commentaire", "CONTROL_CHARACTER", "\uFFFD[31mrouge"),
		badValue("lab/commentaire line break", lab.with("commentaire", "\"ligne 1\nligne 2\""), "commentaire", "CONTROL_CHARACTER", "ligne 1\uFFFDligne 2"),
		badValue("lab/commentaire right-to-left mark", lab.with("commentaire", "dose\u200f"), "commentaire", "CONTROL_CHARACTER", "dose\uFFFD"),

		// ---- Lab results: duplicates.
		{name: "lab/duplicate in file", format: L, body: fileOf(L, lab.line(), lab.line()),
			want: []want{{3, "dosimetre", "DUPLICATE_IN_FILE", "D0001"}}},
		{name: "lab/duplicate in file other value", format: L, body: fileOf(L, lab.line(), lab.with("resultat", "0.30").line()),
			want: []want{{3, "dosimetre", "DUPLICATE_IN_FILE", "D0001"}}},
		{name: "lab/duplicate in file internal", format: L, body: fileOf(L, internal.line(), internal.line()),
			want: []want{{3, "dosimetre", "DUPLICATE_IN_FILE", ""}}},
		bad("lab/duplicate stored", e.stored, "resultat", "DUPLICATE_STORED"),
		bad("lab/duplicate stored written differently", e.stored.with("resultat", "500", "unite", "µSv", "nom", "dupre0"),
			"resultat", "DUPLICATE_STORED"),

		// ---- Declarations.
		file("decl/empty file", D, "", want{1, "", "EMPTY_FILE", ""}),
		file("decl/lab results header", D, fileOf(L, lab.line()), want{1, "siret", "HEADER_COLUMN", "nir"}),
		file("decl/header missing columns", D, hdr(D.Columns()[:11])+"\n", want{1, "categorie", "HEADER_MISSING_COLUMN", ""}),
		file("decl/header only", D, hdr(D.Columns())+"\n", want{1, "", "NO_DATA_ROWS", ""}),
		file("decl/line too long", D, fileOf(D, decl.with("prenom", long(ingest.MaxLineBytes)).line(), decl.with("sexe", "X").line()),
			want{2, "", "LINE_TOO_LONG", ""}, want{3, "sexe", "SEX_INVALID", "X"}),
		file("decl/bare quote", D, fileOf(D, decl.with("nom", `Mar"tin`).line()), want{2, "", "CSV_SYNTAX", ""}),
		file("decl/too few fields", D, fileOf(D, strings.TrimSuffix(decl.line(), ";A")), want{2, "", "FIELD_COUNT", ""}),
		file("decl/latin-1 first name", D, fileOf(D, decl.with("prenom", "Ren\xE9").line()), want{2, "prenom", "ENCODING", "Ren\uFFFD"}),
		bad("decl/siret empty", decl.with("siret", ""), "siret", "REQUIRED"),
		bad("decl/siret luhn", decl.with("siret", "73282932000075"), "siret", "SIRET_LUHN"),
		bad("decl/siret short", decl.with("siret", "732829320"), "siret", "SIRET_INVALID"),
		bad("decl/siret unknown", decl.with("siret", unknownSIRET), "siret", "ESTABLISHMENT_UNKNOWN"),
		bad("decl/siret of another employer", decl.with("siret", siretB), "siret", "ESTABLISHMENT_NOT_IN_SCOPE"),
		bad("decl/nir empty", decl.with("nir", ""), "nir", "REQUIRED"),
		bad("decl/nir invalid", decl.with("nir", "19005750561"), "nir", "NIR_INVALID"),
		bad("decl/nir key", decl.with("nir", wrongKey(decl.vals["nir"])), "nir", "NIR_KEY"),
		bad("decl/nir NTT invalid", decl.with("nir", "NTT:N-1"), "nir", "IDENTIFIER_INVALID"),
		bad("decl/nir foreign identifier empty", decl.with("nir", "DE:"), "nir", "IDENTIFIER_INVALID"),
		bad("decl/nir unknown prefix", decl.with("nir", "SSN:123"), "nir", "IDENTIFIER_INVALID"),
		bad("decl/nir France as a foreign country", decl.with("nir", "fr:1234"), "nir", "COUNTRY_INVALID"),
		bad("decl/nir reserved country code", decl.with("nir", "EU:1234"), "nir", "COUNTRY_INVALID"),
		badValue("decl/nom tab", decl.with("nom", "Mar\ttin"), "nom", "CONTROL_CHARACTER", "Mar\uFFFDtin"),
		badValue("decl/nom escape", decl.with("nom", "\x1bMartin"), "nom", "CONTROL_CHARACTER", "\uFFFDMartin"),
		badValue("decl/prenom word joiner", decl.with("prenom", "Pa\u2060ul"), "prenom", "CONTROL_CHARACTER", "Pa\uFFFDul"),
		badValue("decl/prenom arabic letter mark", decl.with("prenom", "Paul\u061c"), "prenom", "CONTROL_CHARACTER", "Paul\uFFFD"),
		badValue("decl/known worker name with a zero-width space", known.with("nom", "Dupré\u200b0"), "nom", "CONTROL_CHARACTER", "Dupré\uFFFD0"),
		bad("decl/nom empty", decl.with("nom", ""), "nom", "REQUIRED"),
		bad("decl/nom too long", decl.with("nom", long(101)), "nom", "TOO_LONG"),
		bad("decl/prenom empty", decl.with("prenom", ""), "prenom", "REQUIRED"),
		bad("decl/prenom without letters", decl.with("prenom", "42"), "prenom", "NAME_INVALID"),
		bad("decl/date_naissance empty", decl.with("date_naissance", ""), "date_naissance", "REQUIRED"),
		bad("decl/date_naissance invalid", decl.with("date_naissance", "1990-05-32"), "date_naissance", "DATE_INVALID"),
		bad("decl/date_naissance future", decl.with("date_naissance", "2026-01-01"), "date_naissance", "DATE_FUTURE"),
		bad("decl/sexe empty", decl.with("sexe", ""), "sexe", "REQUIRED"),
		bad("decl/sexe X", decl.with("sexe", "X"), "sexe", "SEX_INVALID"),
		bad("decl/sexe word", decl.with("sexe", "Homme"), "sexe", "SEX_INVALID"),
		bad("decl/sexe F for a male NIR", decl.with("sexe", "F"), "sexe", "NIR_SEX_MISMATCH"),
		bad("decl/sexe 2 for a male NIR", decl.with("sexe", "2"), "sexe", "NIR_SEX_MISMATCH"),
		bad("decl/sexe M for a female NIR", decl.with("nir", nir("2900575056100"), "sexe", "M"), "sexe", "NIR_SEX_MISMATCH"),
		bad("decl/date_debut empty", decl.with("date_debut", ""), "date_debut", "REQUIRED"),
		bad("decl/date_debut invalid", decl.with("date_debut", "01/01/2024"), "date_debut", "DATE_INVALID"),
		bad("decl/date_debut before birth", decl.with("date_debut", "1989-01-01"), "date_debut", "PERIOD_ORDER"),
		bad("decl/date_fin invalid", decl.with("date_fin", "2024-02-30"), "date_fin", "DATE_INVALID"),
		bad("decl/date_fin before date_debut", decl.with("date_fin", "2023-12-31"), "date_fin", "PERIOD_ORDER"),
		bad("decl/type_contrat empty", decl.with("type_contrat", ""), "type_contrat", "REQUIRED"),
		bad("decl/type_contrat unknown", decl.with("type_contrat", "CDX"), "type_contrat", "CONTRACT_INVALID"),
		bad("decl/type_contrat label", decl.with("type_contrat", "Intérim"), "type_contrat", "CONTRACT_INVALID"),
		bad("decl/secteur unknown", decl.with("secteur", "XX"), "secteur", "SECTOR_UNKNOWN"),
		bad("decl/secteur is a domain", decl.with("secteur", "MED"), "secteur", "SECTOR_UNKNOWN"),
		bad("decl/secteur lower case", decl.with("secteur", "ri"), "secteur", "SECTOR_UNKNOWN"),
		bad("decl/metier unknown", decl.with("metier", "PILOTE"), "metier", "JOB_UNKNOWN"),
		bad("decl/metier is a sector", decl.with("metier", "RI"), "metier", "JOB_UNKNOWN"),
		bad("decl/categorie empty", decl.with("categorie", ""), "categorie", "REQUIRED"),
		bad("decl/categorie C", decl.with("categorie", "C"), "categorie", "CATEGORY_INVALID"),
		bad("decl/categorie non classé", decl.with("categorie", "NC"), "categorie", "CATEGORY_INVALID"),
		bad("decl/known worker other name", known.with("nom", "Durand"), "nom", "IDENTITY_MISMATCH"),
		bad("decl/known worker other first name", known.with("prenom", "Paul"), "prenom", "IDENTITY_MISMATCH"),
		bad("decl/known worker other birth date", known.with("date_naissance", "1980-01-16"), "date_naissance", "IDENTITY_MISMATCH"),
		bad("decl/overlapping employment", known.with("date_debut", "2020-01-01"), "date_debut", "EMPLOYMENT_OVERLAP"),
		bad("decl/overlapping employment ended", known.with("date_debut", "2018-01-01", "date_fin", "2019-06-30"), "date_debut", "EMPLOYMENT_OVERLAP"),
		{name: "decl/duplicate in file", format: D, body: fileOf(D, decl.line(), decl.with("categorie", "B").line()),
			want: []want{{3, "date_debut", "DUPLICATE_IN_FILE", "2024-01-01"}}},

		// ---- Operational dosimetry.
		file("op/empty file", O, "", want{1, "", "EMPTY_FILE", ""}),
		file("op/header renamed", O, hdr(replaced(O.Columns(), 5, "date_debut"))+"\n", want{1, "debut", "HEADER_COLUMN", "date_debut"}),
		file("op/header extra", O, hdr(append(append([]string(nil), O.Columns()...), "grandeur"))+"\n", want{1, "", "HEADER_EXTRA_COLUMN", "grandeur"}),
		file("op/too many fields", O, fileOf(O, op.line()+";HP10"), want{2, "", "FIELD_COUNT", ""}),
		file("op/header only", O, hdr(O.Columns())+"\r\n", want{1, "", "NO_DATA_ROWS", ""}),
		file("op/unclosed quote past the limit", O, fileOf(O, op.with("dosimetre", `"OP-0001`).line(),
			strings.Repeat(op.line()+"\n", ingest.MaxLineBytes/90)), want{2, "", "LINE_TOO_LONG", ""}),
		file("op/unclosed quote", O, fileOf(O, op.with("dosimetre", `"OP-0001`).line()), want{2, "", "CSV_SYNTAX", ""}),
		bad("op/nir empty", op.with("nir", ""), "nir", "REQUIRED"),
		bad("op/nir invalid", op.with("nir", "X800175056001"+e.nirs[0][13:]), "nir", "NIR_INVALID"),
		bad("op/nir key", op.with("nir", wrongKey(e.nirs[0])), "nir", "NIR_KEY"),
		bad("op/nir unknown", op.with("nir", unknownNIR), "nir", "WORKER_UNKNOWN"),
		bad("op/nir NTT too long", op.with("nir", "NTT:"+strings.Repeat("N", 41)), "nir", "IDENTIFIER_INVALID"),
		bad("op/nir foreign identifier accent", op.with("nir", "ES:ÑANDÚ1"), "nir", "IDENTIFIER_INVALID"),
		bad("op/nir unknown country", op.with("nir", "ZZ:1"), "nir", "COUNTRY_INVALID"),
		bad("op/nir unknown NTT", op.with("nir", "NTT:NOBODY2"), "nir", "WORKER_UNKNOWN"),
		badValue("op/nom escape", op.with("nom", "Dupré0\x1b"), "nom", "CONTROL_CHARACTER", "Dupré0\uFFFD"),
		badValue("op/nom C1 control", op.with("nom", "\u009bDupré0"), "nom", "CONTROL_CHARACTER", "\uFFFDDupré0"),
		badValue("op/prenom right-to-left isolate", op.with("prenom", "Élise\u2067"), "prenom", "CONTROL_CHARACTER", "Élise\uFFFD"),
		badValue("op/prenom zero-width non-joiner", op.with("prenom", "É\u200clise"), "prenom", "CONTROL_CHARACTER", "É\uFFFDlise"),
		bad("op/nom empty", op.with("nom", ""), "nom", "REQUIRED"),
		bad("op/nom other person", op.with("nom", "Durand"), "nom", "IDENTITY_MISMATCH"),
		bad("op/prenom other person", op.with("prenom", "Paul"), "prenom", "IDENTITY_MISMATCH"),
		bad("op/siret luhn", op.with("siret", "73282932000075"), "siret", "SIRET_LUHN"),
		bad("op/siret invalid", op.with("siret", "SIRET"), "siret", "SIRET_INVALID"),
		bad("op/siret unknown", op.with("siret", unknownSIRET), "siret", "ESTABLISHMENT_UNKNOWN"),
		bad("op/siret of another employer", op.with("siret", siretB), "siret", "ESTABLISHMENT_NOT_IN_SCOPE"),
		bad("op/dosimetre empty", op.with("dosimetre", ""), "dosimetre", "REQUIRED"),
		bad("op/dosimetre invalid", op.with("dosimetre", "OP 1"), "dosimetre", "DOSIMETER_INVALID"),
		bad("op/debut empty", op.with("debut", ""), "debut", "REQUIRED"),
		bad("op/debut date only", op.with("debut", "2024-03-04"), "debut", "DATETIME_INVALID"),
		bad("op/debut french order", op.with("debut", "04/03/2024 08:00"), "debut", "DATETIME_INVALID"),
		bad("op/debut hour 25", op.with("debut", "2024-03-04T25:00:00"), "debut", "DATETIME_INVALID"),
		bad("op/debut minute 60", op.with("debut", "2024-03-04 08:60"), "debut", "DATETIME_INVALID"),
		bad("op/fin empty", op.with("fin", ""), "fin", "REQUIRED"),
		bad("op/fin 30 February", op.with("fin", "2024-02-30T10:00:00"), "fin", "DATETIME_INVALID"),
		bad("op/fin equals debut", op.with("fin", "2024-03-04T08:00:00"), "fin", "PERIOD_ORDER"),
		bad("op/fin before debut", op.with("fin", "2024-03-03T18:00:00"), "fin", "PERIOD_ORDER"),
		bad("op/fin in the future", op.with("debut", "2025-06-14T08:00:00", "fin", "2025-06-15T10:00:01"), "fin", "DATE_FUTURE"),
		bad("op/period 31 days and a minute", op.with("debut", "2024-03-01T08:00:00", "fin", "2024-04-01T08:01:00"), "fin", "PERIOD_TOO_LONG"),
		bad("op/period a quarter", op.with("debut", "2024-01-01T00:00:00", "fin", "2024-03-31T23:59:59"), "fin", "PERIOD_TOO_LONG"),
		bad("op/period before the employment", op.with("debut", "2018-12-03T08:00:00", "fin", "2018-12-07T18:00:00"), "debut", "EMPLOYMENT_NOT_FOUND"),
		bad("op/resultat empty", op.with("resultat", ""), "resultat", "REQUIRED"),
		bad("op/resultat M not allowed", op.with("resultat", "M"), "resultat", "VALUE_INVALID"),
		bad("op/resultat ABSENT not allowed", op.with("resultat", "ABSENT"), "resultat", "VALUE_INVALID"),
		bad("op/resultat letters", op.with("resultat", "douze"), "resultat", "VALUE_INVALID"),
		bad("op/resultat double dash", op.with("resultat", "--"), "resultat", "VALUE_INVALID"),
		bad("op/resultat minus dot", op.with("resultat", "-.5"), "resultat", "VALUE_INVALID"),
		bad("op/resultat negative", op.with("resultat", "-0.012"), "resultat", "VALUE_NEGATIVE"),
		bad("op/resultat implausible", op.with("resultat", "12000"), "resultat", "VALUE_IMPLAUSIBLE"),
		bad("op/unite empty", op.with("unite", ""), "unite", "REQUIRED"),
		bad("op/unite Gy", op.with("unite", "Gy"), "unite", "UNIT_INVALID"),
		{name: "op/duplicate in file", format: O, body: fileOf(O, op.line(), op.with("resultat", "0.013").line()),
			want: []want{{3, "dosimetre", "DUPLICATE_IN_FILE", "OP-0001"}}},
		bad("op/duplicate stored", e.opStored, "resultat", "DUPLICATE_STORED"),
		bad("op/duplicate stored in µSv", e.opStored.with("resultat", "10", "unite", "µSv"), "resultat", "DUPLICATE_STORED"),
	}
	rpaBad := bad("op/adviser for another establishment", op.with("siret", siretB), "siret", "ESTABLISHMENT_NOT_IN_SCOPE")
	rpaBad.as = e.rpa
	return append(cs, rpaBad)
}

func (e *badInputEnv) goodCases() []goodCase {
	L := ingest.LabResults
	lab, decl, known, op := e.lab, e.decl, e.declKnown, e.op
	hdr := strings.Join(L.Columns(), ";")
	cs := []goodCase{
		{name: "lab/BOM", format: L, body: "\xEF\xBB\xBF" + fileOf(L, lab.line()), rows: 1},
		{name: "lab/CRLF", format: L, body: strings.ReplaceAll(fileOf(L, lab.line(), lab.with("dosimetre", "D0002").line()), "\n", "\r\n"), rows: 2},
		{name: "lab/header upper case and spaced", format: L, body: strings.ToUpper(strings.ReplaceAll(hdr, ";", " ; ")) + "\n" + lab.line() + "\n", rows: 1},
		{name: "lab/blank lines", format: L, body: fileOf(L, "", lab.line(), "   ", ""), rows: 1},
		{name: "lab/blank lines before the header", format: L, body: "\n  \n" + fileOf(L, lab.line()), rows: 1},
		{name: "lab/line of exactly 64 KiB", format: L, body: fileOf(L, padded(lab, ingest.MaxLineBytes).line()), rows: 1},
		{name: "lab/line of exactly 64 KiB, CRLF", format: L,
			body: strings.ReplaceAll(fileOf(L, padded(lab, ingest.MaxLineBytes).line(), lab.with("dosimetre", "D0002").line()), "\n", "\r\n"), rows: 2},
		good("lab/accents and case ignored", lab.with("nom", "dupre0", "prenom", "ELISE")),
		good("lab/all first names", lab.with("prenom", "élise-marie")),
		good("lab/usage name", lab.with("nir", e.nirs[1], "nom", "LEROY MARTIN", "dosimetre", "D0101")),
		good("lab/birth name of a worker with a usage name", lab.with("nir", e.nirs[1], "nom", "Dupré1", "dosimetre", "D0101")),
		good("lab/nir with spaces", lab.with("nir", e.nirs[0][:1]+" "+e.nirs[0][1:3]+" "+e.nirs[0][3:5]+" "+e.nirs[0][5:7]+" "+e.nirs[0][7:10]+" "+e.nirs[0][10:13]+" "+e.nirs[0][13:])),
		good("lab/siret with spaces", lab.with("siret", "732 829 320 00074")),
		good("lab/exactly 3 months", lab.with("debut_periode", "2024-01-01", "fin_periode", "2024-03-31")),
		good("lab/exactly 3 months mid-month", lab.with("debut_periode", "2024-01-15", "fin_periode", "2024-04-14")),
		good("lab/one day", lab.with("debut_periode", "2024-01-15", "fin_periode", "2024-01-15")),
		good("lab/29 February leap year", lab.with("debut_periode", "2024-02-01", "fin_periode", "2024-02-29")),
		good("lab/ends today", lab.with("debut_periode", "2025-06-01", "fin_periode", "2025-06-15")),
		good("lab/internal without dosimeter", e.internal),
		good("lab/internal over 6 months", e.internal.with("debut_periode", "2023-07-01", "fin_periode", "2023-12-31")),
		good("lab/internal metastable nuclide", e.internal.with("radionucleide", "Tc-99m")),
		good("lab/internal nuclide without dash", e.internal.with("radionucleide", "I131")),
		good("lab/aviation without dosimeter", e.aviation),
		good("lab/radon", lab.with("type_suivi", "RADON", "grandeur", "E")),
		good("lab/lens Hp(0.07)", lab.with("type_suivi", "CRISTALLIN", "grandeur", "Hp(0.07)")),
		good("lab/kind lower case", lab.with("type_suivi", "extremites", "grandeur", "hp007")),
		good("lab/exactly 10 Sv in mSv", lab.with("resultat", "10000")),
		good("lab/exactly 10 Sv in µSv", lab.with("resultat", "10000000", "unite", "µSv")),
		good("lab/decimal comma", lab.with("resultat", "0,25")),
		good("lab/trailing zeros", lab.with("resultat", "0.25000")),
		good("lab/zero", lab.with("resultat", "0")),
		good("lab/uSv", lab.with("resultat", "250", "unite", "uSv")),
		good("lab/greek mu", lab.with("resultat", "250", "unite", "μSv")),
		good("lab/M without unit", lab.with("resultat", "M", "unite", "")),
		good("lab/m lower case", lab.with("resultat", "m")),
		good("lab/ABSENT", lab.with("resultat", "ABSENT", "unite", "")),
		good("lab/comment 500 characters", lab.with("commentaire", strings.Repeat("é", 500))),
		good("lab/quoted comment with separator", lab.with("commentaire", `"porté; puis rendu"`)),
		good("lab/corrected value of a stored result", e.stored.with("resultat", "0.6")),
		good("lab/below threshold for a stored result", e.stored.with("resultat", "M")),
		good("decl/new worker", decl),
		good("decl/new worker NIA", decl.with("nir", nir("7900575056100"))),
		good("decl/female", decl.with("nir", nir("2900575056100"), "sexe", "F")),
		good("decl/sexe H", decl.with("sexe", "H")),
		good("decl/sexe 1", decl.with("sexe", "1")),
		good("decl/ended employment", decl.with("date_fin", "2024-12-31")),
		good("decl/lower-case codes", decl.with("type_contrat", "interim", "categorie", "radon")),
		good("decl/update of a declared employment", known.with("categorie", "B", "date_fin", "2025-12-31")),
		good("decl/known worker usage name", known.with("nir", e.nirs[1], "nom", "Leroy-Martin")),
		good("decl/known worker earlier employment", known.with("date_debut", "2018-01-01", "date_fin", "2018-12-31")),
		good("op/week", op),
		good("op/space separated", op.with("debut", "2024-03-04 08:00", "fin", "2024-03-08 18:00")),
		good("op/offset", op.with("debut", "2024-03-04T08:00:00+01:00", "fin", "2024-03-08T18:00:00Z")),
		good("op/exactly 31 days", op.with("debut", "2024-03-01T08:00:00", "fin", "2024-04-01T08:00:00")),
		good("op/ends now", op.with("debut", "2025-06-14T08:00:00", "fin", "2025-06-15T10:00:00")),
		good("op/exactly 10 Sv", op.with("resultat", "10000")),
		good("op/corrected value of a stored result", e.opStored.with("resultat", "0.011")),
	}
	rpa := good("op/adviser", op)
	rpa.as = e.rpa
	return append(cs, rpa)
}

func TestBadInput(t *testing.T) {
	start := time.Now()
	db := storetest.MustOpen(t)
	e := newBadInputEnv(t, db)
	base := fingerprint(t, db)
	cases := e.cases()
	if len(cases) < 110 {
		t.Fatalf("only %d bad-input cases", len(cases))
	}
	codes := map[string]bool{}
	names := map[string]bool{}
	for i, c := range cases {
		if names[c.name] {
			t.Fatalf("two cases named %q", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			as := e.submitter(c.format, c.as)
			ref := fmt.Sprintf("BAD-%03d", i)
			rep := e.submit(t, as, ingest.Submission{Format: c.format, Reference: ref, Body: strings.NewReader(c.body)})
			checkProblems(t, rep, c.want)
			if rep.Status != ingest.StatusRejected || rep.BatchID != 0 || rep.RowsAccepted != 0 || rep.RowsRejected == 0 || rep.Replayed {
				t.Errorf("status %s, batch %d, %d accepted, %d rejected, replayed %v: want a rejected batch",
					rep.Status, rep.BatchID, rep.RowsAccepted, rep.RowsRejected, rep.Replayed)
			}
			for _, cl := range rep.DoseClasses {
				if cl.Count != 0 {
					t.Errorf("a rejected batch counts %d doses in class %s", cl.Count, cl.Class)
				}
			}
			if got := fingerprint(t, db); got != base {
				t.Fatalf("the rejected batch wrote something:\nbefore %s\nafter  %s", base, got)
			}
			// The offline validator reports exactly the same.
			dry := e.submit(t, as, ingest.Submission{Format: c.format, Reference: ref, DryRun: true, Body: strings.NewReader(c.body)})
			if dry.Status != ingest.StatusDryRun {
				t.Errorf("dry run status %s", dry.Status)
			}
			checkProblems(t, dry, c.want)
			if dry.RowsAccepted+dry.RowsRejected != dry.RowsTotal {
				t.Errorf("dry run counts: %d accepted + %d rejected != %d", dry.RowsAccepted, dry.RowsRejected, dry.RowsTotal)
			}
			for _, w := range c.want {
				codes[w.code] = true
			}
		})
	}
	for i, c := range e.goodCases() {
		t.Run("ok/"+c.name, func(t *testing.T) {
			rep := e.submit(t, e.submitter(c.format, c.as), ingest.Submission{Format: c.format, Reference: fmt.Sprintf("GOOD-%03d", i),
				DryRun: true, Body: strings.NewReader(c.body)})
			if rep.Status != ingest.StatusDryRun || rep.ProblemCount != 0 || rep.RowsAccepted != c.rows || rep.RowsRejected != 0 || rep.RowsTotal != c.rows {
				t.Errorf("want %d accepted rows and no problem, got %s %d/%d/%d %+v",
					c.rows, rep.Status, rep.RowsAccepted, rep.RowsRejected, rep.RowsTotal, rep.Problems)
			}
		})
	}
	if got := fingerprint(t, db); got != base {
		t.Fatalf("the dry runs wrote something")
	}
	t.Logf("%d bad-input cases, %d codes, in %v", len(cases), len(codes), time.Since(start).Round(time.Millisecond))
}

func checkProblems(t *testing.T, rep *ingest.Report, ws []want) {
	t.Helper()
	warnings := 0
	for _, w := range ws {
		if isWarning(w.code) {
			warnings++
		}
	}
	if rep.WarningCount != warnings {
		t.Errorf("%d warnings, want %d", rep.WarningCount, warnings)
	}
	if rep.ProblemCount != len(ws) || len(rep.Problems) != len(ws) {
		t.Errorf("%d problems (%d listed), want %d: %+v", rep.ProblemCount, len(rep.Problems), len(ws), rep.Problems)
		return
	}
	for i, w := range ws {
		p := rep.Problems[i]
		if p.Line != w.line || p.Column != w.col || p.Code != w.code || p.Value != w.value {
			t.Errorf("problem %d: got line %d column %q code %s value %q (%s)\nwant line %d column %q code %s value %q",
				i, p.Line, p.Column, p.Code, p.Value, p.Message, w.line, w.col, w.code, w.value)
		}
		severity := ingest.SeverityError
		if isWarning(w.code) {
			severity = ingest.SeverityWarning
		}
		if p.Severity != severity {
			t.Errorf("problem %d (%s): severity %q, want %q", i, p.Code, p.Severity, severity)
		}
		if p.Code == "CONTROL_CHARACTER" && !strings.Contains(p.Message, "U+") {
			t.Errorf("problem %d: %q does not name the character by its code point", i, p.Message)
		}
		if strings.TrimSpace(p.Message) == "" {
			t.Errorf("problem %d (%s) has no message", i, p.Code)
		}
	}
}

// TestBadInputEveryProblemReported: a file with several bad rows reports
// every problem with its line, across chunks, not just the first.
func TestBadInputEveryProblemReported(t *testing.T) {
	db := storetest.MustOpen(t)
	e := newBadInputEnv(t, db)
	e.svc.ChunkSize = 3
	base := fingerprint(t, db)
	lab := e.lab
	lines := []string{
		lab.line(), // 2: valid
		lab.with("dosimetre", "D0002", "nir", wrongKey(e.nirs[0])).line(),                                 // 3
		lab.with("dosimetre", "D0003", "nom", `DU"PRÉ0`).line(),                                           // 4: CSV syntax
		lab.with("dosimetre", "D0004").line(),                                                             // 5: valid
		lab.with("dosimetre", "D0005", "nir", "123", "grandeur", "HP5", "resultat", "-2").line(),          // 6: three problems
		lab.with("dosimetre", "D0006").line() + ";",                                                       // 7: field count
		lab.with("dosimetre", "D0007", "nir", nir("1800175056099")).line(),                                // 8: unknown worker
		lab.with("resultat", "0.30").line(),                                                               // 9: duplicate of line 2
		lab.with("dosimetre", "D0009", "prenom", "Paul").line(),                                           // 10
		lab.with("dosimetre", "D0010", "siret", siretB).line(),                                            // 11
		lab.with("dosimetre", "D0011", "debut_periode", "2024-01-01", "fin_periode", "2024-05-01").line(), // 12
		e.stored.line(), // 13
		lab.with("dosimetre", "D0013", "unite", "Sv").line(), // 14
	}
	ws := []want{
		{3, "nir", "NIR_KEY", wrongKey(e.nirs[0])},
		{4, "", "CSV_SYNTAX", ""},
		{6, "nir", "NIR_INVALID", "123"},
		{6, "grandeur", "QUANTITY_INVALID", "HP5"},
		{6, "resultat", "VALUE_NEGATIVE", "-2"},
		{7, "", "FIELD_COUNT", ""},
		{8, "nir", "WORKER_UNKNOWN", nir("1800175056099")},
		{9, "dosimetre", "DUPLICATE_IN_FILE", "D0001"},
		{10, "prenom", "IDENTITY_MISMATCH", "Paul"},
		{11, "debut_periode", "EMPLOYMENT_NOT_FOUND", "2024-01-01"},
		{12, "fin_periode", "PERIOD_TOO_LONG", "2024-05-01"},
		{13, "resultat", "DUPLICATE_STORED", "0.5"},
		{14, "unite", "UNIT_INVALID", "Sv"},
	}
	body := fileOf(ingest.LabResults, lines...)
	rep := e.submit(t, e.importFixture.lab, ingest.Submission{Format: ingest.LabResults, Reference: "MANY", Body: strings.NewReader(body)})
	checkProblems(t, rep, ws)
	if rep.Status != ingest.StatusRejected || rep.RowsTotal != 13 || rep.RowsRejected != 11 || rep.RowsAccepted != 0 {
		t.Errorf("report: %s, %d rows, %d rejected, %d accepted", rep.Status, rep.RowsTotal, rep.RowsRejected, rep.RowsAccepted)
	}
	if got := fingerprint(t, db); got != base {
		t.Fatalf("the rejected batch wrote something")
	}
	dry := e.submit(t, e.importFixture.lab, ingest.Submission{Format: ingest.LabResults, Reference: "MANY", DryRun: true, Partial: true, Body: strings.NewReader(body)})
	checkProblems(t, dry, ws)
	if dry.RowsTotal != 13 || dry.RowsRejected != 11 || dry.RowsAccepted != 2 {
		t.Errorf("dry run: %d rows, %d rejected, %d accepted", dry.RowsTotal, dry.RowsRejected, dry.RowsAccepted)
	}
	// Rows given as GraphQL input are checked the same way (row i is line i+2).
	split := func(r rowSpec) []string {
		out := make([]string, 0, len(r.vals))
		for _, c := range ingest.LabResults.Columns() {
			out = append(out, r.vals[c])
		}
		return out
	}
	gql := e.submit(t, e.importFixture.lab, ingest.Submission{Format: ingest.LabResults, Reference: "GQL", Rows: [][]string{
		split(lab), split(lab.with("dosimetre", "D0102", "nir", wrongKey(e.nirs[0]))),
		split(lab.with("dosimetre", "D0103", "commentaire", "a\x00b")), split(lab.with("dosimetre", "D0104", "prenom", "Marie")),
	}})
	checkProblems(t, gql, []want{
		{3, "nir", "NIR_KEY", wrongKey(e.nirs[0])},
		{4, "commentaire", "ENCODING", "a\uFFFDb"},
		{5, "prenom", "IDENTITY_MISMATCH", "Marie"},
	})
	if gql.Status != ingest.StatusRejected || gql.RowsTotal != 4 || gql.RowsRejected != 3 {
		t.Errorf("GraphQL rows: %s, %d rows, %d rejected", gql.Status, gql.RowsTotal, gql.RowsRejected)
	}
	if got := fingerprint(t, db); got != base {
		t.Fatalf("the rejected batch wrote something")
	}

	// A partial batch writes its valid rows and reports the others, a NUL
	// character included (it once reached COPY and failed the whole batch).
	part := e.submit(t, e.importFixture.lab, ingest.Submission{Format: ingest.LabResults, Reference: "PARTIAL", Partial: true,
		Body: strings.NewReader(fileOf(ingest.LabResults, lab.with("dosimetre", "D0201").line(),
			lab.with("dosimetre", "D0202", "commentaire", "a\x00b").line(), lab.with("dosimetre", "D0203", "nom", "\xC9").line()))})
	checkProblems(t, part, []want{{3, "commentaire", "ENCODING", "a\uFFFDb"}, {4, "nom", "ENCODING", "\uFFFD"}})
	if part.Status != ingest.StatusPartial || part.RowsAccepted != 1 || part.RowsRejected != 2 || part.BatchID == 0 {
		t.Fatalf("partial batch: %+v", part)
	}
	stored, err := registry.ReportOf(e.db.Client.ImportBatch.GetX(policy.SystemContext(context.Background()), part.BatchID))
	if err != nil || len(stored.Problems) != 2 || stored.Problems[0].Value != "a\uFFFDb" {
		t.Fatalf("stored report: %+v, %v", stored, err)
	}

	// The reference stays free after a rejection: the corrected file lands under it.
	ok := e.submit(t, e.importFixture.lab, ingest.Submission{Format: ingest.LabResults, Reference: "MANY",
		Body: strings.NewReader(fileOf(ingest.LabResults, lines[0], lines[3]))})
	if ok.Status != ingest.StatusAccepted || ok.RowsAccepted != 2 {
		t.Fatalf("corrected file under the same reference: %+v", ok)
	}
}

// TestBadInputRights: only a laboratory sends results, only an employer
// declares, an employer or an adviser sends operational dosimetry; anyone
// else gets an error and nothing is written.
func TestBadInputRights(t *testing.T) {
	db := storetest.MustOpen(t)
	e := newBadInputEnv(t, db)
	base := fingerprint(t, db)
	from := day(2019, 1, 1)
	expired := day(2024, 12, 31)
	physician := &policy.Viewer{AccountID: e.employer.AccountID, Role: policy.RolePhysician,
		Grants: []policy.Grant{{Role: policy.RolePhysician, EstablishmentID: e.estab.ID, ValidFrom: from}}}
	admin := &policy.Viewer{AccountID: e.employer.AccountID, Role: policy.RoleAdmin,
		Grants: []policy.Grant{{Role: policy.RoleAdmin, ValidFrom: from}}}
	worker := &policy.Viewer{AccountID: e.employer.AccountID, Role: policy.RoleWorker,
		Grants: []policy.Grant{{Role: policy.RoleWorker, WorkerID: e.workers[0].ID, ValidFrom: from}}}
	labNoLab := &policy.Viewer{AccountID: e.importFixture.lab.AccountID, Role: policy.RoleLaboratory,
		Grants: []policy.Grant{{Role: policy.RoleLaboratory, ValidFrom: from}}}
	labExpired := &policy.Viewer{AccountID: e.importFixture.lab.AccountID, Role: policy.RoleLaboratory,
		Grants: []policy.Grant{{Role: policy.RoleLaboratory, LaboratoryID: 1, ValidFrom: from, ValidTo: &expired}}}
	files := map[ingest.Format]string{
		ingest.LabResults:   fileOf(ingest.LabResults, e.lab.line()),
		ingest.Declarations: fileOf(ingest.Declarations, e.decl.line()),
		ingest.Operational:  fileOf(ingest.Operational, e.op.line()),
	}
	cases := []struct {
		name   string
		as     *policy.Viewer
		format ingest.Format
		code   apperr.Code
	}{
		{"employer sends lab results", e.employer, ingest.LabResults, apperr.Forbidden},
		{"adviser sends lab results", e.rpa, ingest.LabResults, apperr.Forbidden},
		{"physician sends lab results", physician, ingest.LabResults, apperr.Forbidden},
		{"laboratory grant without laboratory", labNoLab, ingest.LabResults, apperr.Forbidden},
		{"laboratory grant expired", labExpired, ingest.LabResults, apperr.Forbidden},
		{"laboratory declares", e.importFixture.lab, ingest.Declarations, apperr.Forbidden},
		{"adviser declares", e.rpa, ingest.Declarations, apperr.Forbidden},
		{"admin declares", admin, ingest.Declarations, apperr.Forbidden},
		{"worker declares", worker, ingest.Declarations, apperr.Forbidden},
		{"laboratory sends operational", e.importFixture.lab, ingest.Operational, apperr.Forbidden},
		{"physician sends operational", physician, ingest.Operational, apperr.Forbidden},
		{"worker sends operational", worker, ingest.Operational, apperr.Forbidden},
		{"anonymous sends lab results", nil, ingest.LabResults, apperr.Unauthenticated},
		{"anonymous declares", nil, ingest.Declarations, apperr.Unauthenticated},
	}
	for _, c := range cases {
		for _, dry := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/dry=%v", c.name, dry), func(t *testing.T) {
				ctx := context.Background()
				if c.as != nil {
					ctx = policy.NewContext(ctx, c.as)
				}
				rep, err := e.svc.Run(ctx, db, ingest.Submission{Format: c.format, Reference: "RIGHTS", DryRun: dry,
					Body: strings.NewReader(files[c.format])})
				if err == nil || apperr.CodeOf(err) != c.code || rep != nil {
					t.Fatalf("got report %+v and error %v (%s), want %s", rep, err, apperr.CodeOf(err), c.code)
				}
				if got := fingerprint(t, db); got != base {
					t.Fatalf("a refused submission wrote something")
				}
			})
		}
	}
	// An empty reference is refused too, before anything is read.
	_, err := e.svc.Run(policy.NewContext(context.Background(), e.importFixture.lab), db,
		ingest.Submission{Format: ingest.LabResults, Reference: "  ", Body: strings.NewReader(files[ingest.LabResults])})
	if apperr.CodeOf(err) != apperr.BadUserInput {
		t.Fatalf("empty reference: %v", err)
	}
	if got := fingerprint(t, db); got != base {
		t.Fatalf("a refused submission wrote something")
	}
}

// TestBadInputWarnings: a value finer than the µSv is rounded and its row
// accepted and written, with a WARNING on its line and column; a warning on
// a row rejected for another reason is listed too, and does not reject a row
// on its own.
func TestBadInputWarnings(t *testing.T) {
	db := storetest.MustOpen(t)
	e := newBadInputEnv(t, db)
	ctx := policy.SystemContext(context.Background())
	lab, op := e.lab, e.op
	cases := []struct {
		name   string
		format ingest.Format
		rows   []rowSpec
		want   []want
		// stored is the value in µSv written for the first row, -1 when the
		// batch is rejected.
		stored  int64
		message string
	}{
		{"lab/0.30 µSv", ingest.LabResults, []rowSpec{lab.with("dosimetre", "W0001", "resultat", "0.30", "unite", "µSv")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "0.30"}}, 0,
			"Le résultat 0.30 µSv est plus précis que le µSv, unité de stockage du registre : il est enregistré arrondi à 0 µSv."},
		{"lab/0,30 µSv written the French way", ingest.LabResults, []rowSpec{lab.with("dosimetre", "W0002", "resultat", "0,30", "unite", "µSv")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "0,30"}}, 0,
			"Le résultat 0,30 µSv est plus précis que le µSv, unité de stockage du registre : il est enregistré arrondi à 0 µSv."},
		{"lab/0.0004 mSv", ingest.LabResults, []rowSpec{lab.with("dosimetre", "W0003", "resultat", "0.0004")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "0.0004"}}, 0, "arrondi à 0 µSv (0,00 mSv)"},
		{"lab/half away from zero", ingest.LabResults, []rowSpec{lab.with("dosimetre", "W0004", "resultat", "2.5", "unite", "uSv")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "2.5"}}, 3, "arrondi à 3 µSv"},
		{"lab/1.2345 mSv", ingest.LabResults, []rowSpec{lab.with("dosimetre", "W0005", "resultat", "1,2345")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "1,2345"}}, 1235, "arrondi à 1235 µSv (1,235 mSv)"},
		{"lab/warning on line 3 of two rows", ingest.LabResults, []rowSpec{lab.with("dosimetre", "W0006"), lab.with("dosimetre", "W0007", "resultat", "0.2506")},
			[]want{{3, "resultat", "VALUE_ROUNDED", "0.2506"}}, 250, "arrondi à 251 µSv (0,251 mSv)"},
		{"op/0.0125 mSv", ingest.Operational, []rowSpec{op.with("dosimetre", "OP-W1", "resultat", "0.0125")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "0.0125"}}, 13, "arrondi à 13 µSv (0,013 mSv)"},
		{"op/0.4 µSv", ingest.Operational, []rowSpec{op.with("dosimetre", "OP-W2", "resultat", "0.4", "unite", "μSv")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "0.4"}}, 0, "arrondi à 0 µSv."},
		// Rejected rows: the warning is listed with the error.
		{"lab/rounded value of an unknown worker", ingest.LabResults, []rowSpec{lab.with("dosimetre", "W0008", "nir", "NTT:NOBODY3", "resultat", "0,30", "unite", "µSv")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "0,30"}, {2, "nir", "WORKER_UNKNOWN", "NTT:NOBODY3"}}, -1, ""},
		{"lab/rounded value and a bad SIRET", ingest.LabResults, []rowSpec{lab.with("dosimetre", "W0009", "siret", "73282932000075", "resultat", "0.0004")},
			[]want{{2, "siret", "SIRET_LUHN", "73282932000075"}, {2, "resultat", "VALUE_ROUNDED", "0.0004"}}, -1, ""},
		{"lab/rounded to a stored value", ingest.LabResults, []rowSpec{e.stored.with("resultat", "0.5004")},
			[]want{{2, "resultat", "VALUE_ROUNDED", "0.5004"}, {2, "resultat", "DUPLICATE_STORED", "0.5004"}}, -1, ""},
		{"op/rounded value and a control character", ingest.Operational, []rowSpec{op.with("dosimetre", "OP-W3", "nom", "Dupré0\x07", "resultat", "0.0125")},
			[]want{{2, "nom", "CONTROL_CHARACTER", "Dupré0\uFFFD"}, {2, "resultat", "VALUE_ROUNDED", "0.0125"}}, -1, ""},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := make([]string, len(c.rows))
			for j, r := range c.rows {
				lines[j] = r.line()
			}
			body := fileOf(c.format, lines...)
			as := e.submitter(c.format, nil)
			ref := fmt.Sprintf("WARN-%03d", i)
			dry := e.submit(t, as, ingest.Submission{Format: c.format, Reference: ref, DryRun: true, Body: strings.NewReader(body)})
			checkProblems(t, dry, c.want)
			rep := e.submit(t, as, ingest.Submission{Format: c.format, Reference: ref, Body: strings.NewReader(body)})
			checkProblems(t, rep, c.want)
			if c.stored < 0 {
				if rep.Status != ingest.StatusRejected || rep.RowsRejected != 1 {
					t.Fatalf("status %s, %d rejected: want the row rejected", rep.Status, rep.RowsRejected)
				}
				return
			}
			if rep.Status != ingest.StatusAccepted || rep.RowsAccepted != len(c.rows) || rep.RowsRejected != 0 || rep.BatchID == 0 {
				t.Fatalf("status %s, %d accepted, %d rejected: want every row accepted", rep.Status, rep.RowsAccepted, rep.RowsRejected)
			}
			warning := rep.Problems[0]
			if !strings.Contains(warning.Message, c.message) {
				t.Errorf("message %q, want it to contain %q", warning.Message, c.message)
			}
			var got int64
			if c.format == ingest.LabResults {
				got = e.db.Client.DoseRecord.Query().Where(doserecord.ImportBatchID(rep.BatchID)).Order(doserecord.ByID()).FirstX(ctx).ValueUsv
			} else {
				got = e.db.Client.OperationalDose.Query().Where(operationaldose.ImportBatchID(rep.BatchID)).OnlyX(ctx).ValueUsv
			}
			if got != c.stored {
				t.Errorf("stored %d µSv, want %d", got, c.stored)
			}
			// The stored report reads back with its severities.
			stored, err := registry.ReportOf(e.db.Client.ImportBatch.GetX(ctx, rep.BatchID))
			if err != nil || stored.WarningCount != 1 || stored.Problems[0].Severity != ingest.SeverityWarning {
				t.Errorf("stored report: %+v, %v", stored, err)
			}
		})
	}
}

// TestReportOfOldReport: a report stored before severities existed reads
// back with every problem as an error.
func TestReportOfOldReport(t *testing.T) {
	db := storetest.MustOpen(t)
	f := newImportFixture(t, db, 1)
	ctx := policy.SystemContext(context.Background())
	b := db.Client.ImportBatch.Create().SetSubmitterID(f.lab.AccountID).SetFormat("LAB_RESULTS").SetReference("OLD").
		SetChecksum("x").SetStatus("PARTIAL").SetReport(map[string]any{
		"reference": "OLD", "format": "LAB_RESULTS", "status": "PARTIAL", "problemCount": 1,
		"problems": []any{map[string]any{"line": 3, "column": "nir", "value": "1", "code": "NIR_INVALID", "message": "Le NIR 1 est invalide."}},
	}).SaveX(ctx)
	rep, err := registry.ReportOf(b)
	if err != nil || len(rep.Problems) != 1 || rep.Problems[0].Severity != ingest.SeverityError || rep.WarningCount != 0 {
		t.Fatalf("ReportOf(old report) = %+v, %v: want one ERROR problem", rep, err)
	}
}

// isWarning reports whether a problem code is a warning (the row is kept).
func isWarning(code string) bool {
	return code == "VALUE_ROUNDED" || code == "SECTOR_MISSING" || code == "JOB_MISSING"
}

// TestDeclarationWithoutSectorOrJob: employers leave the sector or the job
// out for many workers (ANOMALY.md: 35–45 % missing context); the row is
// accepted with a warning on the empty column and the employment is stored
// without the code, never with an empty string.
func TestDeclarationWithoutSectorOrJob(t *testing.T) {
	db := storetest.MustOpen(t)
	e := newBadInputEnv(t, db)
	ctx := policy.SystemContext(context.Background())
	both := e.decl.with("nir", nir("1900575056177"), "secteur", "", "metier", "")
	jobOnly := e.decl.with("nir", nir("1900575056188"), "metier", "")
	body := fileOf(ingest.Declarations, both.line(), jobOnly.line())
	rep := e.submit(t, e.submitter(ingest.Declarations, nil), ingest.Submission{Format: ingest.Declarations, Reference: "NO-SECTOR", Body: strings.NewReader(body)})
	checkProblems(t, rep, []want{{2, "secteur", "SECTOR_MISSING", ""}, {2, "metier", "JOB_MISSING", ""}, {3, "metier", "JOB_MISSING", ""}})
	if rep.Status != ingest.StatusAccepted || rep.RowsAccepted != 2 {
		t.Fatalf("status %s, %d accepted: want both rows accepted", rep.Status, rep.RowsAccepted)
	}
	emps := db.Client.Employment.Query().Where(employment.HasWorkerWith(worker.LastName("Martin"))).Order(employment.ByID()).AllX(ctx)
	var sectors, jobs int
	for _, em := range emps {
		if em.SectorCode != nil {
			sectors++
		}
		if em.JobCode != nil {
			jobs++
		}
	}
	if len(emps) != 2 || sectors != 1 || jobs != 0 {
		t.Fatalf("%d employments, %d with a sector, %d with a job: want 2, 1, 0", len(emps), sectors, jobs)
	}
}
