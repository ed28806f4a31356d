package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// ingestFixture is an establishment with one worker identified by NIR, a
// laboratory account, an employer account and an adviser account.
type ingestFixture struct {
	estab  *ent.Establishment
	worker *ent.Worker
	nir    string
}

const ingestNIR13 = "2850575056123"

func validNIR(first13 string) string {
	key, _ := dosimetry.NIRKey(first13)
	return fmt.Sprintf("%s%02d", first13, key)
}

func newIngestFixture(t *testing.T, db *store.DB) ingestFixture {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	from := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	est := c.Establishment.Create().SetSiret(siret).SetName("CHU").SaveX(ctx)
	nir := validNIR(ingestNIR13)
	w := c.Worker.Create().SetNir(nir).SetLastName("Lefèvre").SetFirstNames("Anne Claire").
		SetBirthDate(time.Date(1985, 5, 3, 0, 0, 0, 0, time.UTC)).SetSex("F").SaveX(ctx)
	c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetStartDate(from).SetContractType("CDI").
		SetNomenclatureVersion("V1").SetClassification("A").SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
	lab := c.Laboratory.Create().SetCode("LABT").SetName("Labo").SaveX(ctx)
	servertest.MustCreateAccount(t, c, "labo@test.fr", policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(lab.ID) })
	servertest.MustCreateAccount(t, c, "employeur@test.fr", policy.RoleEmployer, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	servertest.MustCreateAccount(t, c, "pcr@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	return ingestFixture{estab: est, worker: w, nir: nir}
}

func (f ingestFixture) line(month int, result string) string {
	start := time.Date(2024, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	return fmt.Sprintf("%s;LEFEVRE;anne;1985-05-03;%s;DT1;PASSIF_CORPS_ENTIER;HP10;%s;%s;%s;mSv;;",
		f.nir, siret, start.Format("2006-01-02"), start.AddDate(0, 1, -1).Format("2006-01-02"), result)
}

const labHeaderGQL = "nir;nom;prenom;date_naissance;siret;dosimetre;type_suivi;grandeur;debut_periode;fin_periode;resultat;unite;radionucleide;commentaire"

const reportFields = `status replayed rowsTotal rowsAccepted rowsRejected problemCount anomaliesRaised
	problems { line column value code message } doseClasses { class count } batch { id reference }`

type reportOut struct {
	Status, Reference                                                    string
	Replayed                                                             bool
	RowsTotal, RowsAccepted, RowsRejected, ProblemCount, AnomaliesRaised int
	Problems                                                             []struct {
		Line                         int
		Column, Value, Code, Message string
	}
	Batch *struct{ ID, Reference string }
}

// upload sends a file to submitFile following the GraphQL multipart request spec.
func upload(t *testing.T, c *servertest.Client, srvURL, reference, content string, dryRun bool) (reportOut, []byte) {
	t.Helper()
	raw := postMultipart(t, c, srvURL, `mutation($in: SubmitFileInput!) { submitFile(input: $in) { `+reportFields+` } }`,
		map[string]any{"format": "LAB_RESULTS", "reference": reference, "dryRun": dryRun}, "resultats.csv", content)
	var out struct {
		Data struct{ SubmitFile reportOut }
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return out.Data.SubmitFile, raw
}

// postMultipart sends query with the input variable in (its "file" the
// uploaded content) following the GraphQL multipart request spec, as the web
// application does, and returns the raw response.
func postMultipart(t *testing.T, c *servertest.Client, srvURL, query string, in map[string]any, filename, content string) []byte {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	in["file"] = nil
	ops, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"in": in}})
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.in.file"]}`)
	fw, _ := mw.CreateFormFile("0", filename)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, srvURL+"/graphql", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set(server.PreflightHeader, "1") // as the web application does (docs/security.md)
	res, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(readAll(t, res))
}

func TestSubmitThroughGraphQL(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	f := newIngestFixture(t, db)
	ctx := policy.SystemContext(context.Background())
	lab := srv.NewClient(t)
	lab.MustLogin("labo@test.fr", servertest.Password)

	t.Run("OKMultipartUploadAndReplay", func(t *testing.T) {
		file := labHeaderGQL + "\n" + f.line(1, "0,40") + "\n" + f.line(2, "M") + "\n"
		dry, raw := upload(t, lab, srv.URL, "LOT-1", file, true)
		if dry.Status != "DRY_RUN" || dry.RowsAccepted != 2 || dry.Batch != nil {
			t.Fatalf("dry run: %s", raw)
		}
		rep, raw := upload(t, lab, srv.URL, "LOT-1", file, false)
		if rep.Status != "ACCEPTED" || rep.RowsAccepted != 2 || rep.Batch == nil || rep.Batch.Reference != "LOT-1" {
			t.Fatalf("upload: %s", raw)
		}
		again, raw := upload(t, lab, srv.URL, "LOT-1", file, false)
		if !again.Replayed || again.Batch == nil || again.Batch.ID != rep.Batch.ID {
			t.Fatalf("replay: %s", raw)
		}
		if n := db.Client.DoseRecord.Query().Where(doserecord.WorkerID(f.worker.ID)).CountX(ctx); n != 2 {
			t.Fatalf("%d records stored, want 2", n)
		}
	})

	t.Run("ErrRowsReportedWithLineAndColumn", func(t *testing.T) {
		var out struct{ SubmitLabResults reportOut }
		lab.MustDo(`mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "LOT-2", rows: $rows) { `+reportFields+` } }`,
			map[string]any{"rows": []map[string]any{
				{"nir": f.nir, "nom": "Lefèvre", "prenom": "Anne", "dateNaissance": "1985-05-03", "siret": siret, "dosimetre": "DT1",
					"typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10", "debutPeriode": "2024-03-01", "finPeriode": "2024-03-31", "resultat": "0.1", "unite": "mSv"},
				{"nir": f.nir, "nom": "Martin", "prenom": "Anne", "dateNaissance": "1985-05-03", "siret": siret, "dosimetre": "DT1",
					"typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10", "debutPeriode": "2024-04-01", "finPeriode": "2024-04-30", "resultat": "0.1", "unite": "mGy"},
			}}, &out)
		rep := out.SubmitLabResults
		if rep.Status != "REJECTED" || rep.RowsRejected != 1 || rep.Batch != nil || len(rep.Problems) != 1 ||
			rep.Problems[0].Line != 3 || rep.Problems[0].Column != "unite" || rep.Problems[0].Code != "UNIT_INVALID" {
			t.Fatalf("report: %+v", rep)
		}
		if n := db.Client.DoseRecord.Query().Where(doserecord.PeriodStart(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))).CountX(ctx); n != 0 {
			t.Fatalf("a rejected batch wrote %d records", n)
		}
	})

	t.Run("OKWarningsBesideErrors", func(t *testing.T) {
		// Ensure a rounded value is a WARNING on an accepted row, an error an
		// ERROR, and that the stored report reads back the same.
		const fields = `status rowsAccepted rowsRejected problemCount warningCount batch { id }
			problems { line column value severity code message }`
		type out struct {
			Status                                                 string
			RowsAccepted, RowsRejected, ProblemCount, WarningCount int
			Batch                                                  *struct{ ID string }
			Problems                                               []struct {
				Line                                   int
				Column, Value, Severity, Code, Message string
			}
		}
		row := func(start, end, result, unit string) map[string]any {
			return map[string]any{"nir": f.nir, "nom": "Lefèvre", "prenom": "Anne", "dateNaissance": "1985-05-03", "siret": siret,
				"dosimetre": "DT1", "typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10", "debutPeriode": start, "finPeriode": end,
				"resultat": result, "unite": unit}
		}
		var sub struct{ SubmitLabResults out }
		lab.MustDo(`mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "LOT-W", partial: true, rows: $rows) { `+fields+` } }`,
			map[string]any{"rows": []map[string]any{
				row("2024-06-01", "2024-06-30", "0,30", "µSv"),
				row("2024-07-01", "2024-07-31", "--", "mSv"),
			}}, &sub)
		rep := sub.SubmitLabResults
		if rep.Status != "PARTIAL" || rep.RowsAccepted != 1 || rep.RowsRejected != 1 || rep.ProblemCount != 2 || rep.WarningCount != 1 ||
			len(rep.Problems) != 2 || rep.Batch == nil {
			t.Fatalf("report: %+v", rep)
		}
		w, e := rep.Problems[0], rep.Problems[1]
		if w.Line != 2 || w.Column != "resultat" || w.Value != "0,30" || w.Severity != "WARNING" || w.Code != "VALUE_ROUNDED" ||
			!strings.Contains(w.Message, "arrondi à 0 µSv") {
			t.Errorf("warning: %+v", w)
		}
		if e.Line != 3 || e.Column != "resultat" || e.Severity != "ERROR" || e.Code != "VALUE_INVALID" {
			t.Errorf("error: %+v", e)
		}
		var again struct{ ImportReport out }
		lab.MustDo(`query($id: ID!) { importReport(batchID: $id) { `+fields+` } }`, map[string]any{"id": rep.Batch.ID}, &again)
		if again.ImportReport.WarningCount != 1 || len(again.ImportReport.Problems) != 2 || again.ImportReport.Problems[0].Severity != "WARNING" ||
			again.ImportReport.Problems[1].Severity != "ERROR" {
			t.Errorf("stored report: %+v", again.ImportReport)
		}
	})

	t.Run("ErrEmployerCannotSubmitResults", func(t *testing.T) {
		emp := srv.NewClient(t)
		emp.MustLogin("employeur@test.fr", servertest.Password)
		res := emp.Do(`mutation { submitLabResults(reference: "X", rows: []) { status } }`, nil)
		if res.Code() != "FORBIDDEN_FIELD" {
			t.Fatalf("employer submitting results: %+v", res.Errors)
		}
	})

	t.Run("OKLimitExceededRaisesAnomalyAndExposure", func(t *testing.T) {
		var out struct{ SubmitLabResults reportOut }
		lab.MustDo(`mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "LOT-3", rows: $rows) { `+reportFields+` } }`,
			map[string]any{"rows": []map[string]any{
				{"nir": f.nir, "nom": "LEFEVRE", "prenom": "Anne", "dateNaissance": "1985-05-03", "siret": siret, "dosimetre": "DT1",
					"typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10", "debutPeriode": "2024-05-01", "finPeriode": "2024-05-31", "resultat": "24,5", "unite": "mSv"},
			}}, &out)
		if out.SubmitLabResults.Status != "ACCEPTED" || out.SubmitLabResults.AnomaliesRaised == 0 {
			t.Fatalf("report: %+v", out.SubmitLabResults)
		}
		pcr := srv.NewClient(t)
		pcr.MustLogin("pcr@test.fr", servertest.Password)
		var an struct {
			Anomalies struct {
				Edges []struct {
					Node struct{ Kind, Explanation string }
				}
			}
		}
		pcr.MustDo(`{ anomalies(first: 20) { edges { node { kind explanation } } } }`, nil, &an)
		kinds := []string{}
		for _, e := range an.Anomalies.Edges {
			kinds = append(kinds, e.Node.Kind)
		}
		if !strings.Contains(strings.Join(kinds, ","), "LIMIT_EXCEEDED") {
			t.Fatalf("adviser sees anomalies %v, want LIMIT_EXCEEDED", kinds)
		}
	})
}

// TestBatchAlertAcrossInstances: a batch submitted to instance A raises an
// anomaly that an adviser subscribed on instance B receives, after commit.
func TestBatchAlertAcrossInstances(t *testing.T) {
	db := storetest.MustOpen(t)
	a := servertest.MustStart(t, db)
	f := newIngestFixture(t, db)
	// Instance B: another server process on the same database (its own hub
	// and LISTEN connection).
	other, err := store.Open(context.Background(), db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	b := servertest.MustStart(t, other)
	pcr := b.NewClient(t)
	pcr.MustLogin("pcr@test.fr", servertest.Password)
	sub := mustSubscribe(t, b, pcr.Token, "")
	time.Sleep(300 * time.Millisecond) // the subscription is registered

	lab := a.NewClient(t)
	lab.MustLogin("labo@test.fr", servertest.Password)
	var out struct{ SubmitLabResults reportOut }
	lab.MustDo(`mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "INST-A", rows: $rows) { `+reportFields+` } }`,
		map[string]any{"rows": []map[string]any{
			{"nir": f.nir, "nom": "Lefèvre", "prenom": "Anne", "dateNaissance": "1985-05-03", "siret": siret, "dosimetre": "DT9",
				"typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10", "debutPeriode": "2024-06-01", "finPeriode": "2024-06-30", "resultat": "21", "unite": "mSv"},
		}}, &out)
	if out.SubmitLabResults.AnomaliesRaised == 0 {
		t.Fatalf("no anomaly raised: %+v", out.SubmitLabResults)
	}
	deadline := time.Now().Add(10 * time.Second)
	got := 0
	for time.Now().Before(deadline) && got < out.SubmitLabResults.AnomaliesRaised {
		expl, _, ok := sub.event(time.Until(deadline))
		if !ok {
			break
		}
		if expl == "" {
			t.Fatalf("empty explanation")
		}
		got++
	}
	if got != out.SubmitLabResults.AnomaliesRaised {
		t.Fatalf("instance B delivered %d of the %d anomalies raised on instance A", got, out.SubmitLabResults.AnomaliesRaised)
	}
}

// TestIncludeDirectiveAndEntitlements: a field left out by @include(if: false)
// is neither resolved nor refused; included, it is refused.
func TestIncludeDirectiveAndEntitlements(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	newIngestFixture(t, db)
	emp := srv.NewClient(t)
	emp.MustLogin("employeur@test.fr", servertest.Password)
	q := `mutation($d: Boolean!) { submitDeclarations(reference: "R", rows: [], dryRun: true) { status doseClasses @include(if: $d) { class } } }`
	if res := emp.Do(q, map[string]any{"d": true}); res.Code() != "FORBIDDEN_FIELD" {
		t.Fatalf("employer including the dose classes: %+v", res.Errors)
	}
	var out struct{ SubmitDeclarations struct{ Status string } }
	emp.MustDo(q, map[string]any{"d": false}, &out)
	if out.SubmitDeclarations.Status != "DRY_RUN" {
		t.Fatalf("employer without the dose classes: %+v", out)
	}
	if res := emp.Do(`mutation { submitDeclarations(reference: "R", rows: [], dryRun: true) { status doseClasses @skip(if: false) { class } } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
		t.Fatalf("@skip(if: false) must be checked: %+v", res.Errors)
	}
}

// TestMissingResultsCheck: once a worker's monthly results stop arriving, the
// periodic check raises a MISSING_RESULT anomaly that the adviser receives live.
func TestMissingResultsCheck(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	f := newIngestFixture(t, db)
	lab := srv.NewClient(t)
	lab.MustLogin("labo@test.fr", servertest.Password)
	rows := []map[string]any{}
	for m := 1; m <= 6; m++ {
		start := time.Date(2024, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		rows = append(rows, map[string]any{"nir": f.nir, "nom": "Lefèvre", "prenom": "Anne", "dateNaissance": "1985-05-03", "siret": siret,
			"dosimetre": "DT1", "typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10", "debutPeriode": start.Format("2006-01-02"),
			"finPeriode": start.AddDate(0, 1, -1).Format("2006-01-02"), "resultat": "0.1", "unite": "mSv"})
	}
	var out struct{ SubmitLabResults reportOut }
	lab.MustDo(`mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "MISS", rows: $rows, partial: true) { `+reportFields+` } }`,
		map[string]any{"rows": rows}, &out)
	if out.SubmitLabResults.RowsAccepted != 6 {
		t.Fatalf("report: %+v", out.SubmitLabResults)
	}
	pcr := srv.NewClient(t)
	pcr.MustLogin("pcr@test.fr", servertest.Password)
	before := countKind(t, pcr, "MISSING_RESULT")
	n, err := srv.App.CheckMissing(context.Background(), time.Date(2024, 11, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || countKind(t, pcr, "MISSING_RESULT") != before+n {
		t.Fatalf("check raised %d, adviser sees %d more", n, countKind(t, pcr, "MISSING_RESULT")-before)
	}
	again, err := srv.App.CheckMissing(context.Background(), time.Date(2024, 11, 15, 0, 0, 0, 0, time.UTC))
	if err != nil || again != 0 {
		t.Fatalf("second check raised %d (%v), want none: findings are deduplicated", again, err)
	}
}

func countKind(t *testing.T, c *servertest.Client, kind string) int {
	t.Helper()
	var an struct{ Anomalies struct{ TotalCount int } }
	c.MustDo(`query($k: String!) { anomalies(first: 1, where: { kind: $k }) { totalCount } }`, map[string]any{"k": kind}, &an)
	return an.Anomalies.TotalCount
}
