package hostile

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/store/storetest"
)

// memoryCeiling is the most resident memory the server may use during the
// whole hostile run.
const memoryCeiling = 256 << 20

const demoPassword = "siseri-demo"

// hostileCase is one hostile request (or a few of the same kind) against
// the running server.
type hostileCase struct {
	name string
	run  func(t *testing.T, h *harness)
}

// TestHostile builds the siseri binary, serves a fresh PostgreSQL database
// seeded with the demo data (`siseri seed`) and replays over real HTTP every
// hostile request of issue 12, checking each answer's HTTP status and
// extensions.code, while it samples the server's resident memory
// (/proc/<pid>/status VmRSS and VmHWM): the peak must stay under 256 MiB.
// The database outage comes last: the test cuts the server's connection to
// PostgreSQL.
func TestHostile(t *testing.T) {
	began := time.Now()
	bin := buildSiseri(t)
	dbURL := storetest.MustCreateDatabase(t)
	seed(t, bin, dbURL)
	proxy, viaProxy := storetest.MustProxy(t, dbURL)
	h := serve(t, bin, viaProxy)
	mem := watchMemory(t, h.pid)
	h.signIn(t)

	groups := [][]hostileCase{costCases, csrfCases, uploadCases, schemaCases, loginCases, codeCases, httpCases}
	for _, group := range groups {
		for _, c := range group {
			t.Run(c.name, func(t *testing.T) { c.run(t, h) })
		}
	}
	t.Run("DatabaseOutage", func(t *testing.T) {
		proxy.Cut()
		databaseOutage(t, h)
	})

	peak := mem.stop(t)
	t.Logf("server peak resident memory: %.1f MiB (VmHWM %.1f MiB, highest sampled VmRSS %.1f MiB over %d samples, %.1f MiB at the start); test took %v",
		mib(peak.peak()), mib(peak.hwm), mib(peak.maxRSS), peak.samples, mib(peak.startRSS), time.Since(began).Round(time.Millisecond))
	if peak.peak() >= memoryCeiling {
		t.Errorf("the server's resident memory reached %.1f MiB, over the ceiling of %.0f MiB", mib(peak.peak()), mib(memoryCeiling))
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", h.pid)); err != nil {
		t.Errorf("the server died during the hostile run\n%s", h.logs.tail(40))
	}
}

// Cost: every field has a price and the operation's is checked before it
// runs.
var costCases = []hostileCase{
	{"Cost/1000AliasesOfContextStatistics", func(t *testing.T, h *harness) {
		start := time.Now()
		a := h.post(t, h.analyst, operation(aliases(1000, "contextStatistics { sectorCode doses medianMsv p90Msv }"), nil), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.noData(t)
		a.messageHas(t, "champs")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("refused after %v: it must be refused before it runs", d)
		}
	}},
	{"Cost/100AliasesOfContextStatistics", func(t *testing.T, h *harness) {
		a := h.post(t, h.analyst, operation(aliases(100, "contextStatistics { doses }"), nil), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.noData(t)
		a.messageHas(t, "coûte", "budget")
	}},
	{"Cost/NodesWith50000IDs", func(t *testing.T, h *harness) {
		ids := make([]string, 50_000)
		for i := range ids {
			ids[i] = strconv.Itoa(i + 1)
		}
		start := time.Now()
		a := h.post(t, h.admin, operation(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids}), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.noData(t)
		a.messageHas(t, "50000", "100")
		literal := `{ nodes(ids: [` + strings.Join(ids, ",") + `]) { id } }`
		a = h.post(t, h.admin, operation(literal, nil), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.messageHas(t, "50000")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("refused after %v", d)
		}
	}},
	{"Cost/ManySameFields", func(t *testing.T, h *harness) {
		// Validation compares same-named fields pairwise: 20,000 copies
		// would take minutes of CPU before the cost could be computed.
		start := time.Now()
		a := h.post(t, h.admin, operation("{ "+strings.Repeat("__typename ", 20_000)+"}", nil), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("refused after %v", d)
		}
	}},
}

// CSRF: a form upload or a JSON request that rides the session cookie from
// another site is refused.
var csrfCases = []hostileCase{
	{"CSRF/MultipartFromForeignOrigin", func(t *testing.T, h *harness) {
		a := h.upload(t, h.labBrowser, labUpload("CSRF-1", true), "resultats.csv", strings.NewReader(labCSV),
			map[string]string{"Origin": "https://evil.example", "GraphQL-Preflight": "1"})
		a.expect(t, 403, "CSRF_REFUSED")
	}},
	{"CSRF/MultipartWithoutPreflight", func(t *testing.T, h *harness) {
		a := h.upload(t, h.labBrowser, labUpload("CSRF-2", true), "resultats.csv", strings.NewReader(labCSV), nil)
		a.expect(t, 403, "CSRF_REFUSED")
	}},
	{"CSRF/JSONFromForeignOrigin", func(t *testing.T, h *harness) {
		a := h.post(t, h.labBrowser, operation(`mutation { logout }`, nil), map[string]string{"Origin": "https://evil.example"})
		a.expect(t, 403, "CSRF_REFUSED")
		a = h.post(t, h.labBrowser, operation(`mutation { logout }`, nil), map[string]string{"Referer": "https://evil.example/x"})
		a.expect(t, 403, "CSRF_REFUSED")
	}},
	{"CSRF/TheApplicationsUpload", func(t *testing.T, h *harness) {
		a := h.upload(t, h.labBrowser, labUpload("CSRF-3", true), "resultats.csv", strings.NewReader(labCSV),
			map[string]string{"Origin": h.base, "GraphQL-Preflight": "1"})
		a.expect(t, 200, "")
		if !a.HasData {
			t.Errorf("no report: %s", truncate(a.Body, 300))
		}
	}},
}

// uploadCases are the hostile file uploads (a 300 MB single-line CSV, a
// header-only file…): they run after the CSRF cases, under the same memory
// watch. A case sends its file through submitFile as the web application
// does, with
//
//	h.upload(t, h.labBrowser, labUpload(reference, dryRun), "fichier.csv", r,
//		map[string]string{"GraphQL-Preflight": "1"})
//
// (the demo laboratory's cookie session; a bearer token works too). r is
// streamed to the server, so a generated 300 MB file takes no memory in the
// test.
var uploadCases = []hostileCase{
	{"Upload/OneLineOf300MB", func(t *testing.T, h *harness) {
		// A comment of 300 MB on line 2, then a valid row on line 3.
		header, row, _ := strings.Cut(labCSV, "\n")
		file := io.MultiReader(strings.NewReader(header+"\n"+strings.TrimSuffix(row, "\n")),
			io.LimitReader(repeat('x'), 300<<20), strings.NewReader("\n"+row))
		rep := h.uploadReport(t, labUploadProblems("LONG-1", false), file)
		if !rep.has(2, "LINE_TOO_LONG") || rep.RowsTotal != 2 {
			t.Errorf("report %+v, want LINE_TOO_LONG on line 2 of 2 rows", rep)
		}
	}},
	{"Upload/UnclosedQuoteOf300MB", func(t *testing.T, h *harness) {
		header, _, _ := strings.Cut(labCSV, "\n")
		file := io.MultiReader(strings.NewReader(header+"\n\""), io.LimitReader(repeat('y'), 300<<20))
		rep := h.uploadReport(t, labUploadProblems("LONG-2", true), file)
		if !rep.has(2, "LINE_TOO_LONG") {
			t.Errorf("report %+v, want LINE_TOO_LONG on line 2", rep)
		}
	}},
	{"Upload/HeaderOnlyKeepsItsReference", func(t *testing.T, h *harness) {
		header, _, _ := strings.Cut(labCSV, "\n")
		rep := h.uploadReport(t, labUploadProblems("HEADER-1", false), strings.NewReader(header+"\n"))
		if rep.Status != "REJECTED" || !rep.has(1, "NO_DATA_ROWS") {
			t.Errorf("header-only file: report %+v, want REJECTED with NO_DATA_ROWS on line 1", rep)
		}
		// The reference was not used up: the real file sent under it is read.
		rep = h.uploadReport(t, labUploadProblems("HEADER-1", false), strings.NewReader(labCSV))
		if rep.Replayed || rep.RowsTotal != 1 {
			t.Errorf("the file sent again under the same reference: report %+v, want it read (1 row, not replayed)", rep)
		}
	}},
}

// uploadReport sends file through submitFile as the demo laboratory's
// browser does and returns the report (HTTP 200, no error).
func (h *harness) uploadReport(t *testing.T, operations map[string]any, file io.Reader) importReport {
	t.Helper()
	a := h.upload(t, h.labBrowser, operations, "resultats.csv", file, map[string]string{"Origin": h.base, "GraphQL-Preflight": "1"})
	a.expect(t, 200, "")
	var out struct{ SubmitFile importReport }
	if err := json.Unmarshal(a.Data, &out); err != nil {
		t.Fatalf("report %s: %v", truncate(a.Body, 300), err)
	}
	return out.SubmitFile
}

type importReport struct {
	Status                  string
	Replayed                bool
	RowsTotal, RowsRejected int
	Problems                []struct {
		Line int
		Code string
	}
}

// has reports whether the report holds a problem of code on line.
func (r importReport) has(line int, code string) bool {
	for _, p := range r.Problems {
		if p.Line == line && p.Code == code {
			return true
		}
	}
	return false
}

// repeat is an endless reader of byte b.
func repeat(b byte) io.Reader { return repeatReader(b) }

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// Schema disclosure: suggestions never name what the caller may not see.
var schemaCases = []hostileCase{
	{"Schema/AnonymousSuggestion", func(t *testing.T, h *harness) {
		a := h.post(t, "", operation(`{ doseRecord }`, nil), nil)
		a.expect(t, 200, "UNAUTHENTICATED")
		a.bodyLacks(t, "doseRecords", "Did you mean")
	}},
	{"Schema/AnalystSuggestion", func(t *testing.T, h *harness) {
		a := h.post(t, h.analyst, operation(`{ workers(first: 1) { edges { node { ni } } } }`, nil), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.bodyLacks(t, `"nir`, `nir"`, "Did you mean")
	}},
}

// Account enumeration: a known and an unknown address are refused alike, in
// the same time.
var loginCases = []hostileCase{
	{"Login/KnownAndUnknownAddress", func(t *testing.T, h *harness) {
		// Six demo accounts, two attempts each, against twelve unknown
		// addresses, in alternating order: 24 failures, under the 30 the
		// address may fail.
		known := []string{"travailleur", "medecin", "pcr", "employeur", "inspection", "dgt"}
		var k, u []time.Duration
		for i := 0; i < 2*len(known); i++ {
			knownEmail := known[i%len(known)] + "@demo.siseri.fr"
			unknownEmail := fmt.Sprintf("inconnu%d@demo.siseri.fr", i)
			attempt := func(email string) (answer, time.Duration) {
				before := h.passwordChecks(t)
				a, d := h.login(t, nil, email, "mauvais-mot-de-passe")
				a.expect(t, 200, "UNAUTHENTICATED")
				if n := h.passwordChecks(t) - before; n != 1 {
					t.Errorf("%s: %v password hashes computed, want exactly 1", email, n)
				}
				return a, d
			}
			var a, b answer
			var dk, du time.Duration
			if i%2 == 0 {
				a, dk = attempt(knownEmail)
				b, du = attempt(unknownEmail)
			} else {
				b, du = attempt(unknownEmail)
				a, dk = attempt(knownEmail)
			}
			if a.Errors[0].Message != b.Errors[0].Message {
				t.Errorf("known %q vs unknown %q", a.Errors[0].Message, b.Errors[0].Message)
			}
			k, u = append(k, dk), append(u, du)
		}
		// Noise on a shared machine only slows samples down: the fastest
		// samples are compared as well as the medians, and one of the two
		// ratios must be close to 1 (a second hash would make both about 2).
		mk, mu := median(k), median(u)
		fk, fu := fastest(k), fastest(u)
		medianRatio, fastRatio := float64(mk)/float64(mu), float64(fk)/float64(fu)
		t.Logf("refusal of a known address: median %v, fastest %v; unknown: median %v, fastest %v (ratios %.2f, %.2f)",
			mk, fk, mu, fu, medianRatio, fastRatio)
		if !within(medianRatio, 0.6, 1.6) && !within(fastRatio, 0.6, 1.6) {
			t.Errorf("known vs unknown address: ratios %.2f (medians) and %.2f (fastest), want the same time (0.6–1.6)", medianRatio, fastRatio)
		}
	}},
}

// Wrong codes: malformed requests and values are BAD_USER_INPUT with the
// path and the value, never INTERNAL.
var codeCases = []hostileCase{
	{"Codes/BatchedArray", func(t *testing.T, h *harness) {
		a := h.post(t, h.admin, []byte(`[{"query":"{ me { roles } }"},{"query":"{ me { roles } }"}]`), nil)
		a.expect(t, 400, "BAD_USER_INPUT")
		a.noData(t)
	}},
	{"Codes/BadCursor", func(t *testing.T, h *harness) {
		a := h.post(t, h.admin, operation(`{ workers(first: 2, after: "abc") { totalCount } }`, nil), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.located(t, "after", "abc")
	}},
	{"Codes/NodeID", func(t *testing.T, h *harness) {
		a := h.post(t, h.admin, operation(`{ node(id: "abc") { id } }`, nil), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.located(t, "id", "abc")
	}},
	{"Codes/DateTimeVariable", func(t *testing.T, h *harness) {
		a := h.post(t, h.admin, operation(`query($t: Time) { workers(first: 1, where: {createdAtGT: $t}) { totalCount } }`, map[string]any{"t": "31/12/2024"}), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.located(t, "where.createdAtGT", "31/12/2024")
	}},
	{"Codes/NulInQuery", func(t *testing.T, h *harness) {
		a := h.post(t, h.admin, operation("{ me { roles } }\x00", nil), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.located(t, "query", nil)
	}},
	{"Codes/NulInVariable", func(t *testing.T, h *harness) {
		a := h.post(t, h.admin, operation(`query($n: String) { workers(first: 1, where: {lastName: $n}) { totalCount } }`, map[string]any{"n": "DU\x00PONT"}), nil)
		a.expect(t, 200, "BAD_USER_INPUT")
		a.located(t, "where.lastName", "DU\x00PONT")
	}},
}

// GraphQL over HTTP: the statuses the graphql-http audit expects.
var httpCases = []hostileCase{
	{"GraphQLOverHTTP/Statuses", func(t *testing.T, h *harness) {
		const (
			appJSON = "application/json"
			gqlJSON = "application/graphql-response+json"
		)
		for _, tc := range []struct {
			accept, body string
			status       int
			code         string
		}{
			{appJSON, `{"query":"{"}`, 200, "BAD_USER_INPUT"},
			{appJSON, `{"query":"{ f8f31403dfe404bccbb0e835f2629c6a7 }"}`, 200, "BAD_USER_INPUT"},
			{appJSON, `{"query":"query CoerceFailure($id: ID!){ __typename }","variables":{"id":null}}`, 200, "BAD_USER_INPUT"},
			{gqlJSON, `{"query":"{"}`, 400, "BAD_USER_INPUT"},
			{gqlJSON, `{"query":"{ f8f31403dfe404bccbb0e835f2629c6a7 }"}`, 400, "BAD_USER_INPUT"},
			{gqlJSON, `{"query":"query CoerceFailure($id: ID!){ __typename }","variables":{"id":null}}`, 400, "BAD_USER_INPUT"},
			{gqlJSON, `{"qeury":"{ __typename }"}`, 400, "BAD_USER_INPUT"},
			{gqlJSON, `{ "not a JSON`, 400, "BAD_USER_INPUT"},
			{"", `{ "not a JSON`, 400, "BAD_USER_INPUT"},
			{"", `{"query":{"obj":"ect"}}`, 400, "BAD_USER_INPUT"},
			{gqlJSON, `{"query":"{ __typename }"}`, 200, ""},
			{appJSON, `{"query":"{ __typename }","variables":null,"operationName":null,"extensions":null}`, 200, ""},
		} {
			a := h.post(t, h.admin, []byte(tc.body), map[string]string{"Accept": tc.accept})
			if a.Status != tc.status || a.code() != tc.code {
				t.Errorf("Accept %q, %s: status %d code %q, want %d %q", tc.accept, tc.body, a.Status, a.code(), tc.status, tc.code)
			}
			if tc.code != "" && a.HasData {
				t.Errorf("Accept %q, %s: a data entry on a request error", tc.accept, tc.body)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, h.base+"/graphql?query="+url.QueryEscape("mutation { logout }"), nil)
		req.Header.Set("Authorization", "Bearer "+h.admin)
		a := h.do(t, nil, req)
		a.expect(t, http.StatusMethodNotAllowed, "BAD_USER_INPUT")
	}},
}

// databaseOutage runs with the database unreachable: every request gets a
// JSON error SERVICE_UNAVAILABLE with HTTP 503.
func databaseOutage(t *testing.T, h *harness) {
	for _, tc := range []struct {
		name  string
		token string
		body  []byte
	}{
		{"Cookie", "cookie", operation(`{ me { roles } }`, nil)},
		{"Bearer", h.admin, operation(`{ me { roles } }`, nil)},
		{"Login", "", operation(`mutation { login(input: {email: "admin@demo.siseri.fr", password: "x"}) { token } }`, nil)},
	} {
		a := h.post(t, tc.token, tc.body, nil)
		if a.Status != 503 || a.code() != "SERVICE_UNAVAILABLE" || !strings.HasPrefix(a.Header.Get("Content-Type"), "application/") {
			t.Errorf("%s: status %d code %q Content-Type %q, want 503 SERVICE_UNAVAILABLE in JSON: %s",
				tc.name, a.Status, a.code(), a.Header.Get("Content-Type"), truncate(a.Body, 200))
		}
	}
	res, err := http.Get(h.base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 503 {
		t.Errorf("/readyz = %d during the outage, want 503", res.StatusCode)
	}
}

func operation(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

func aliases(n int, selection string) string {
	var q strings.Builder
	q.WriteString("{")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&q, " a%d: %s", i, selection)
	}
	q.WriteString(" }")
	return q.String()
}

const labCSV = "nir;nom;prenom;date_naissance;siret;dosimetre;type_suivi;grandeur;debut_periode;fin_periode;resultat;unite;radionucleide;commentaire\n" +
	"185057505612345;DUPONT;JEAN;1985-05-01;00000000000000;D-1;PASSIF_CORPS_ENTIER;HP10;2025-01-01;2025-01-31;0,1;mSv;;\n"

// labUploadProblems is labUpload asking for the report's problems.
func labUploadProblems(reference string, dryRun bool) map[string]any {
	op := labUpload(reference, dryRun)
	op["query"] = `mutation($input: SubmitFileInput!) { submitFile(input: $input) { status replayed rowsTotal rowsRejected problems { line code } } }`
	return op
}

func labUpload(reference string, dryRun bool) map[string]any {
	return map[string]any{
		"query": `mutation($input: SubmitFileInput!) { submitFile(input: $input) { status rowsTotal problemCount } }`,
		"variables": map[string]any{"input": map[string]any{
			"format": "LAB_RESULTS", "reference": reference, "file": nil, "dryRun": dryRun}},
	}
}
