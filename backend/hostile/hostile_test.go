package hostile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
	t.Logf("server peak resident memory: %.1f MiB (VmHWM %.1f MiB, highest sampled VmRSS %.1f MiB over %d samples); test took %v",
		mib(peak.peak()), mib(peak.hwm), mib(peak.maxRSS), peak.samples, time.Since(began).Round(time.Millisecond))
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

// uploadCases are the hostile file uploads. Cases that send a file through
// submitFile go here (a 300 MB single-line CSV, a header-only file…): they
// run after the CSRF cases with the same harness and memory watch, and
// h.upload streams the io.Reader they give it, so a large file needs no
// memory in the test.
var uploadCases = []hostileCase{}

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
		mk, mu := median(k), median(u)
		ratio := float64(mk) / float64(mu)
		t.Logf("median refusal: known address %v, unknown %v (ratio %.2f)", mk, mu, ratio)
		if ratio < 0.6 || ratio > 1.6 {
			t.Errorf("known %v vs unknown %v (ratio %.2f): a refusal must take the same time", mk, mu, ratio)
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

// harness drives the server under test.
type harness struct {
	base string
	pid  int
	logs *syncBuffer
	http *http.Client
	// Bearer tokens of demo accounts, and a browser signed in by cookie.
	admin, analyst string
	labBrowser     string
	browser        *http.Client
}

// signIn opens the sessions the cases use: one sign-in per account (the
// per-account limiter counts every attempt).
func (h *harness) signIn(t *testing.T) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	h.browser = &http.Client{Jar: jar, Timeout: 2 * time.Minute}
	for _, s := range []struct {
		who  string
		into *string
		c    *http.Client
	}{{"admin", &h.admin, nil}, {"analyste", &h.analyst, nil}, {"labo", &h.labBrowser, h.browser}} {
		a, _ := h.login(t, s.c, s.who+"@demo.siseri.fr", demoPassword)
		var out struct{ Login struct{ Token string } }
		if len(a.Errors) > 0 || json.Unmarshal(a.Data, &out) != nil || out.Login.Token == "" {
			t.Fatalf("sign in %s: %s", s.who, truncate(a.Body, 300))
		}
		*s.into = out.Login.Token
	}
	h.labBrowser = "cookie" // the lab acts through its cookie only
}

func (h *harness) login(t *testing.T, c *http.Client, email, password string) (answer, time.Duration) {
	t.Helper()
	req := h.request(t, "", operation(`mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		map[string]any{"e": email, "p": password}), nil)
	start := time.Now()
	a := h.do(t, c, req)
	return a, time.Since(start)
}

// passwordChecks reads siseri_password_checks_total from /metrics.
func (h *harness) passwordChecks(t *testing.T) float64 {
	t.Helper()
	res, err := h.http.Get(h.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "siseri_password_checks_total "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("parse %q: %v", sc.Text(), err)
			}
			return n
		}
	}
	t.Fatal("no siseri_password_checks_total in /metrics")
	return 0
}

// post sends a JSON GraphQL request; token is a bearer token, "cookie" for
// the browser's session cookie, or "" for an anonymous caller.
func (h *harness) post(t *testing.T, token string, body []byte, headers map[string]string) answer {
	t.Helper()
	var c *http.Client
	if token == "cookie" {
		c, token = h.browser, ""
	}
	return h.do(t, c, h.request(t, token, body, headers))
}

func (h *harness) request(t *testing.T, token string, body []byte, headers map[string]string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	return req
}

// upload sends operations (the multipart "operations" field, whose
// variables.input.file is the file) with file streamed from r, as the web
// application does; token as for post.
func (h *harness) upload(t *testing.T, token string, operations map[string]any, filename string, r io.Reader, headers map[string]string) answer {
	t.Helper()
	ops, _ := json.Marshal(operations)
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("operations", string(ops))
		if err == nil {
			err = mw.WriteField("map", `{"0": ["variables.input.file"]}`)
		}
		var fw io.Writer
		if err == nil {
			fw, err = mw.CreateFormFile("0", filename)
		}
		if err == nil {
			_, err = io.Copy(fw, r)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, h.base+"/graphql", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	var c *http.Client
	if token == "cookie" {
		c = h.browser
	} else if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return h.do(t, c, req)
}

func (h *harness) do(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	if c == nil {
		c = h.http
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v\nserver log:\n%s", req.Method, req.URL.Path, err, h.logs.tail(20))
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{Status: res.StatusCode, Header: res.Header, Body: string(raw)}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatalf("answer %d is not a JSON object: %s", res.StatusCode, truncate(string(raw), 300))
	}
	a.Data, a.HasData = fields["data"]
	if e, ok := fields["errors"]; ok {
		_ = json.Unmarshal(e, &a.Errors)
	}
	return a
}

// answer is an HTTP answer with its GraphQL body.
type answer struct {
	Status  int
	Header  http.Header
	Body    string
	Data    json.RawMessage
	HasData bool
	Errors  []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	}
}

func (a answer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// expect checks the status and the code of the first error ("" for none).
func (a answer) expect(t *testing.T, status int, code string) {
	t.Helper()
	if a.Status != status || a.code() != code {
		t.Fatalf("status %d code %q, want %d %q: %s", a.Status, a.code(), status, code, truncate(a.Body, 400))
	}
}

func (a answer) noData(t *testing.T) {
	t.Helper()
	if a.HasData {
		t.Errorf("a data entry on an operation refused before it ran: %s", truncate(a.Body, 200))
	}
}

func (a answer) messageHas(t *testing.T, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(a.Errors[0].Message, w) {
			t.Errorf("message %q lacks %q", a.Errors[0].Message, w)
		}
	}
}

func (a answer) bodyLacks(t *testing.T, words ...string) {
	t.Helper()
	for _, w := range words {
		if strings.Contains(a.Body, w) {
			t.Errorf("the answer reveals %q: %s", w, truncate(a.Body, 300))
		}
	}
}

// located checks extensions.field and, when value is not nil,
// extensions.value.
func (a answer) located(t *testing.T, field string, value any) {
	t.Helper()
	ext := a.Errors[0].Extensions
	if ext["field"] != field || (value != nil && ext["value"] != value) {
		t.Errorf("extensions %v, want field %q value %q", ext, field, value)
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

func labUpload(reference string, dryRun bool) map[string]any {
	return map[string]any{
		"query": `mutation($input: SubmitFileInput!) { submitFile(input: $input) { status rowsTotal problemCount } }`,
		"variables": map[string]any{"input": map[string]any{
			"format": "LAB_RESULTS", "reference": reference, "file": nil, "dryRun": dryRun}},
	}
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// buildSiseri builds the siseri command into a temporary directory.
func buildSiseri(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "siseri")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	start := time.Now()
	out, err := exec.Command(goTool, "build", "-o", bin, "github.com/siseri/siseri/backend/cmd/siseri").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built siseri in %v", time.Since(start).Round(time.Millisecond))
	return bin
}

// seed fills the database with the demo data through `siseri seed`.
func seed(t *testing.T, bin, dbURL string) {
	t.Helper()
	start := time.Now()
	cmd := exec.Command(bin, "seed", "--database-url", dbURL, "--log-level", "warn")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Données de démonstration créées") {
		t.Fatalf("siseri seed: %v\n%s", err, out)
	}
	t.Logf("seeded the demo data in %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(string(out)))
}

// serve starts `siseri serve` on a free loopback port and waits until it
// listens; the server is stopped (SIGTERM, then killed) by t's cleanup.
func serve(t *testing.T, bin, dbURL string) *harness {
	t.Helper()
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--static-dir", "", "--database-url", dbURL)
	cmd.Env = append(os.Environ(), "SISERI_LOG_LEVEL=info", "SISERI_DEMO=")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start siseri serve: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("siseri serve did not stop within 20 s of SIGTERM")
		}
	})
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("siseri serve exited: %v\n%s", err, logs.tail(40))
		default:
		}
		if addr := logs.listening(); addr != "" {
			return &harness{base: "http://" + addr, pid: cmd.Process.Pid, logs: logs,
				http: &http.Client{Timeout: 2 * time.Minute}}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("siseri serve not listening after a minute\n%s", logs.tail(40))
	return nil
}

// syncBuffer collects the server's log lines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// listening returns the address of the "SISERI listening" log line, or "".
func (b *syncBuffer) listening() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "SISERI listening" {
			return line.Addr
		}
	}
	return ""
}

func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(b.buf.String()), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// memoryPeak is what the watch saw of the server's resident memory.
type memoryPeak struct {
	maxRSS, hwm int64 // bytes
	samples     int
}

// peak is the highest resident memory seen: the kernel's high-water mark
// (VmHWM) or a sampled VmRSS, whichever is higher.
func (p memoryPeak) peak() int64 { return max(p.maxRSS, p.hwm) }

type memoryWatch struct {
	pid  int
	quit chan struct{}
	done chan memoryPeak
}

// watchMemory samples /proc/<pid>/status every 10 ms until stop.
func watchMemory(t *testing.T, pid int) *memoryWatch {
	t.Helper()
	if _, _, err := readMemory(pid); err != nil {
		t.Fatalf("read the server's memory: %v", err)
	}
	w := &memoryWatch{pid: pid, quit: make(chan struct{}), done: make(chan memoryPeak, 1)}
	go func() {
		var p memoryPeak
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss, hwm, err := readMemory(pid); err == nil {
				p.maxRSS, p.hwm = max(p.maxRSS, rss), max(p.hwm, hwm)
				p.samples++
			}
			select {
			case <-w.quit:
				w.done <- p
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

func (w *memoryWatch) stop(t *testing.T) memoryPeak {
	t.Helper()
	close(w.quit)
	p := <-w.done
	if p.samples == 0 {
		t.Fatal("no memory sample of the server")
	}
	return p
}

// readMemory returns VmRSS and VmHWM of pid, in bytes.
func readMemory(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("parse %s: %w", line, err)
		}
		if name == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	if rss == 0 || hwm == 0 {
		return 0, 0, fmt.Errorf("no VmRSS/VmHWM in /proc/%d/status", pid)
	}
	return rss, hwm, nil
}
