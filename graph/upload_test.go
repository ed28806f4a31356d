package graph_test

import (
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
)

// uploadStream sends file to submitFile as a chunked request: the body is
// written while it is sent, so its length is unknown to the server.
func uploadStream(t *testing.T, c *servertest.Client, srvURL, reference string, file io.Reader) (reportOut, []byte) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		ops, _ := json.Marshal(map[string]any{
			"query":     `mutation($in: SubmitFileInput!) { submitFile(input: $in) { ` + reportFields + ` } }`,
			"variables": map[string]any{"in": map[string]any{"format": "LAB_RESULTS", "reference": reference, "file": nil}},
		})
		_ = mw.WriteField("operations", string(ops))
		_ = mw.WriteField("map", `{"0": ["variables.in.file"]}`)
		fw, err := mw.CreateFormFile("0", "resultats.csv")
		if err == nil {
			_, err = io.Copy(fw, file)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, srvURL+"/graphql", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	res, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte(readAll(t, res))
	var out struct {
		Data struct{ SubmitFile reportOut }
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode %s: %v", truncate(string(raw), 2000), err)
	}
	return out.Data.SubmitFile, raw
}

// repeated is n bytes of b, made as they are read.
type repeated struct {
	b byte
	n int64
}

func (r *repeated) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

// TestUploadStreamed: a chunked upload of a file with a 200 MB line (its
// length unknown to the server until it ends) is spooled to disk and read
// as a stream: the line is reported LINE_TOO_LONG on its line, the next line
// is checked, and the server allocates a bounded amount of memory.
func TestUploadStreamed(t *testing.T) {
	const size = 200 << 20
	const budget = 64 << 20
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	f := newIngestFixture(t, db)
	lab := srv.NewClient(t)
	lab.MustLogin("labo@test.fr", servertest.Password)
	file := io.MultiReader(strings.NewReader(labHeaderGQL+"\n"+f.line(1, "0,40")+"\n"), &repeated{'x', size},
		strings.NewReader("\n"+strings.Replace(f.line(2, "0,40"), f.nir, "123", 1)+"\n"))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	rep, raw := uploadStream(t, lab, srv.URL, "LONG-1", file)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d MB uploaded and checked in %v, %.1f MiB allocated", size>>20, time.Since(start).Round(time.Millisecond), float64(alloc)/(1<<20))
	if alloc > budget {
		t.Errorf("the upload allocated %d MiB, want under %d MiB", alloc>>20, budget>>20)
	}
	if rep.Status != "REJECTED" || rep.Batch != nil || len(rep.Problems) != 2 ||
		rep.Problems[0].Line != 3 || rep.Problems[0].Code != "LINE_TOO_LONG" ||
		rep.Problems[1].Line != 4 || rep.Problems[1].Code != "NIR_INVALID" {
		t.Fatalf("report: %s", truncate(string(raw), 2000))
	}
}

// TestUploadWithoutRows: a file with a header and no row (or nothing but
// blank lines) is rejected with a stable code and leaves its reference free:
// the real file sent next under the same reference is accepted. The same
// holds for rows given as GraphQL input.
func TestUploadWithoutRows(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	f := newIngestFixture(t, db)
	lab := srv.NewClient(t)
	lab.MustLogin("labo@test.fr", servertest.Password)
	for _, tc := range []struct{ name, file, code string }{
		{"ErrHeaderOnly", labHeaderGQL + "\n", "NO_DATA_ROWS"},
		{"ErrHeaderAndBlankLines", labHeaderGQL + "\r\n\r\n  \r\n", "NO_DATA_ROWS"},
		{"ErrBlankLinesOnly", "\n \n\n", "EMPTY_FILE"},
		{"ErrEmpty", "", "EMPTY_FILE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, raw := upload(t, lab, srv.URL, "LOT-VIDE", tc.file, false)
			if rep.Status != "REJECTED" || rep.Batch != nil || len(rep.Problems) != 1 || rep.Problems[0].Code != tc.code ||
				rep.Problems[0].Line != 1 || !strings.Contains(rep.Problems[0].Message, "fichier") {
				t.Fatalf("report: %s", raw)
			}
		})
	}
	t.Run("OKReferenceStillFree", func(t *testing.T) {
		file := labHeaderGQL + "\n" + f.line(1, "0,40") + "\n"
		rep, raw := upload(t, lab, srv.URL, "LOT-VIDE", file, false)
		if rep.Status != "ACCEPTED" || rep.Replayed || rep.Batch == nil || rep.RowsAccepted != 1 {
			t.Fatalf("real file under the reference of the rejected ones: %s", raw)
		}
	})
	t.Run("ErrNoRowsGiven", func(t *testing.T) {
		q := `mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "LOT-RIEN", rows: $rows) { ` + reportFields + ` } }`
		var out struct{ SubmitLabResults reportOut }
		lab.MustDo(q, map[string]any{"rows": []map[string]any{}}, &out)
		if rep := out.SubmitLabResults; rep.Status != "REJECTED" || rep.Batch != nil || len(rep.Problems) != 1 || rep.Problems[0].Code != "NO_DATA_ROWS" {
			t.Fatalf("no rows: %+v", rep)
		}
		lab.MustDo(q, map[string]any{"rows": []map[string]any{
			{"nir": f.nir, "nom": "Lefèvre", "prenom": "Anne", "dateNaissance": "1985-05-03", "siret": siret, "dosimetre": "DT1",
				"typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10", "debutPeriode": "2024-03-01", "finPeriode": "2024-03-31", "resultat": "0.1", "unite": "mSv"},
		}}, &out)
		if rep := out.SubmitLabResults; rep.Status != "ACCEPTED" || rep.Batch == nil || rep.Replayed {
			t.Fatalf("rows under the reference of the empty submission: %+v", rep)
		}
	})
}

// TestUploadOperationsBounded: the operations part of an upload is bounded
// like an ordinary request (1 MiB), not by the upload limit.
func TestUploadOperationsBounded(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	newIngestFixture(t, db)
	lab := srv.NewClient(t)
	lab.MustLogin("labo@test.fr", servertest.Password)
	var body strings.Builder
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("operations", `{"query":"mutation { __typename }","variables":{"x":"`+strings.Repeat("a", 2<<20)+`"}}`)
	_ = mw.WriteField("map", `{}`)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(body.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+lab.Token)
	res, err := lab.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw := readAll(t, res)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(raw, `"BAD_USER_INPUT"`) || !strings.Contains(raw, "operations") || !strings.Contains(raw, "1 Mio") {
		t.Fatalf("status %d, %s", res.StatusCode, truncate(raw, 500))
	}
}
