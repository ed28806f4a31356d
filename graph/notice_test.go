package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// noticeWorker is a worker of the notice world, with what must never reach
// the ministry.
type noticeWorker struct {
	nir, last, first, birth string
}

// TestExceedanceNotice is RC15 through the API: a laboratory's results raise
// limit exceedances, the occupational physician confirms one, and the labour
// inspection (DGT) reads one anonymous notice with the sector, region, limit,
// value band and dates, and nothing that names the worker or the
// establishment; not confirming, or confirming another finding, notifies
// nothing; no other role reads the notices (except the analysts who issue
// them).
func TestExceedanceNotice(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	from := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Nomenclature.Create().SetKind("DOMAIN").SetVersion("V1").SetCode("NUCLEAR").SetLabel("Industrie nucléaire").
		SetValidFrom(from).ExecX(ctx)
	c.Nomenclature.Create().SetKind("SECTOR").SetVersion("V1").SetCode("NUC-PREST").
		SetLabel("Logistique et maintenance nucléaire").SetParentCode("NUCLEAR").SetValidFrom(from).ExecX(ctx)
	const estName = "Atlantique Maintenance Nucléaire Saint-Priest"
	est := c.Establishment.Create().SetSiret(siret).SetName(estName).SetRegion("84").SetCity("Saint-Priest").
		SetPostalCode("69800").SaveX(ctx)
	workers := []noticeWorker{
		{validNIR("1790469123456"), "Vauquelin-Dardel", "Aurélien", "1979-04-23"},
		{validNIR("2830775056123"), "Kerbrat-Ollivier", "Maëlys", "1983-07-11"},
	}
	for _, w := range workers {
		birth, _ := time.Parse(time.DateOnly, w.birth)
		wk := c.Worker.Create().SetNir(w.nir).SetLastName(w.last).SetFirstNames(w.first).SetBirthDate(birth).
			SetSex(map[byte]worker.Sex{'1': "M", '2': "F"}[w.nir[0]]).SaveX(ctx)
		c.Employment.Create().SetWorkerID(wk.ID).SetEstablishmentID(est.ID).SetStartDate(from).SetContractType("CDI").
			SetNomenclatureVersion("V1").SetSectorCode("NUC-PREST").SetClassification("A").
			SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
	}
	lab := c.Laboratory.Create().SetCode("LABN").SetName("Labo").SaveX(ctx)
	here := func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) }
	accounts := []struct {
		email string
		role  policy.Role
		set   func(*ent.GrantCreate)
	}{
		{"labo@test.fr", policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(lab.ID) }},
		{"medecin@test.fr", policy.RolePhysician, here},
		{"pcr@test.fr", policy.RoleRPA, here},
		{"rh@test.fr", policy.RoleEmployer, here},
		{"inspection@test.fr", policy.RoleControlAgent, func(g *ent.GrantCreate) { g.SetRegion("84") }},
		{"admin@test.fr", policy.RoleAdmin, nil},
		{"analyste@test.fr", policy.RoleAnalyst, nil},
		{"dgt@test.fr", policy.RoleLabourMinistry, nil},
	}
	clients := map[string]*servertest.Client{}
	for _, a := range accounts {
		servertest.MustCreateAccount(t, c, a.email, a.role, a.set)
		clients[a.email] = srv.NewClient(t)
		clients[a.email].MustLogin(a.email, servertest.Password)
	}
	labo, mdt, dgt := clients["labo@test.fr"], clients["medecin@test.fr"], clients["dgt@test.fr"]

	// May 2024: 24.5 mSv for the first worker (1.225 times the 20 mSv
	// effective dose limit), 31 mSv for the second.
	var rows []map[string]any
	for i, w := range workers {
		rows = append(rows, map[string]any{"nir": w.nir, "nom": w.last, "prenom": w.first, "dateNaissance": w.birth,
			"siret": siret, "dosimetre": fmt.Sprintf("DN%d", i), "typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10",
			"debutPeriode": "2024-05-01", "finPeriode": "2024-05-31", "resultat": []string{"24,5", "31"}[i], "unite": "mSv"})
	}
	var rep struct{ SubmitLabResults reportOut }
	labo.MustDo(`mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "RC15", rows: $rows) { `+reportFields+` } }`,
		map[string]any{"rows": rows}, &rep)
	if rep.SubmitLabResults.Status != "ACCEPTED" || rep.SubmitLabResults.AnomaliesRaised == 0 {
		t.Fatalf("report: %+v", rep.SubmitLabResults)
	}
	// The physician's findings, by worker NIR.
	var list struct {
		Anomalies struct {
			Edges []struct {
				Node struct {
					ID, Kind string
					Worker   struct{ Nir string }
				}
			}
		}
	}
	mdt.MustDo(`{ anomalies(first: 50) { edges { node { id kind worker { nir } } } } }`, nil, &list)
	exceedance := map[string]string{}
	var other string
	for _, e := range list.Anomalies.Edges {
		switch {
		case e.Node.Kind == "LIMIT_EXCEEDED":
			exceedance[e.Node.Worker.Nir] = e.Node.ID
		case other == "":
			other = e.Node.ID
		}
	}
	if exceedance[workers[0].nir] == "" || exceedance[workers[1].nir] == "" {
		t.Fatalf("physician's findings %+v: want a LIMIT_EXCEEDED per worker", list.Anomalies.Edges)
	}
	if other == "" {
		// No other finding was raised: one the detectors could raise.
		w := c.Worker.Query().FirstX(ctx)
		other = fmt.Sprint(c.Anomaly.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetLayer(anomaly.LayerContext).
			SetKind("CONTEXT_OUTLIER").SetSeverity(anomaly.SeverityMedium).SetExplanation("Dose rare dans son contexte.").
			SetFingerprint("rc15-other").SaveX(ctx).ID)
	}
	const resolve = `mutation($id: ID!, $r: AnomalyResolution!, $c: String!) { resolveAnomaly(id: $id, resolution: $r, comment: $c) { status } }`
	const notices = `{ exceedanceNotices(first: 10) { totalCount edges { node { id sectorCode sectorLabel domainCode
		domainLabel regionCode regionLabel limitCode population band bandLabel bandLowerMsv bandUpperMsv exceedanceMonth confirmedOn } } } }`
	type notice struct {
		ID, SectorCode, SectorLabel, DomainCode, DomainLabel, RegionCode, RegionLabel, LimitCode, Population string
		Band, BandLabel, ExceedanceMonth, ConfirmedOn                                                        string
		BandLowerMsv                                                                                         float64
		BandUpperMsv                                                                                         *float64
	}
	read := func(t *testing.T) ([]notice, string) {
		t.Helper()
		res := dgt.Do(notices, nil)
		if len(res.Errors) > 0 {
			t.Fatalf("ministry reading notices: %s %+v", res.Code(), res.Errors)
		}
		var out struct {
			ExceedanceNotices struct {
				TotalCount int
				Edges      []struct{ Node notice }
			}
		}
		if err := json.Unmarshal(res.Data, &out); err != nil {
			t.Fatal(err)
		}
		var ns []notice
		for _, e := range out.ExceedanceNotices.Edges {
			ns = append(ns, e.Node)
		}
		if out.ExceedanceNotices.TotalCount != len(ns) {
			t.Errorf("totalCount = %d, %d notices listed", out.ExceedanceNotices.TotalCount, len(ns))
		}
		return ns, string(res.Data)
	}

	t.Run("OKNothingBeforeConfirmation", func(t *testing.T) {
		// Ensure raising an exceedance notifies nothing: only the physician's confirmation does.
		if ns, _ := read(t); len(ns) != 0 {
			t.Errorf("notices before any confirmation: %+v", ns)
		}
	})
	t.Run("OKNotConfirmedNotifiesNothing", func(t *testing.T) {
		// Ensure an exceedance the physician does not confirm sends no notice.
		mdt.MustDo(resolve, map[string]any{"id": exceedance[workers[1].nir], "r": "NOT_CONFIRMED", "c": "Dosimètre oublié sous la source."}, nil)
		if ns, _ := read(t); len(ns) != 0 {
			t.Errorf("notices after NOT_CONFIRMED: %+v", ns)
		}
	})
	t.Run("OKOtherFindingNotifiesNothing", func(t *testing.T) {
		// Ensure confirming a finding that is not a limit exceedance sends no notice.
		mdt.MustDo(resolve, map[string]any{"id": other, "r": "CONFIRMED", "c": "Vu avec le conseiller."}, nil)
		if ns, _ := read(t); len(ns) != 0 {
			t.Errorf("notices after confirming a %s finding: %+v", "non-exceedance", ns)
		}
	})
	t.Run("OKPhysicianConfirms", func(t *testing.T) {
		// Ensure the physician's confirmation sends one anonymous notice with
		// the sector, region, limit, value band and dates (RC15).
		var out struct{ ResolveAnomaly struct{ Status string } }
		mdt.MustDo(resolve, map[string]any{"id": exceedance[workers[0].nir], "r": "CONFIRMED", "c": "Dose reçue confirmée."}, &out)
		if out.ResolveAnomaly.Status != "CONFIRMED" {
			t.Fatalf("status = %q", out.ResolveAnomaly.Status)
		}
		ns, raw := read(t)
		if len(ns) != 1 {
			t.Fatalf("notices = %+v, want one", ns)
		}
		n := ns[0]
		today := time.Now().UTC().Format(time.DateOnly)
		want := notice{ID: n.ID, SectorCode: "NUC-PREST", SectorLabel: "Logistique et maintenance nucléaire",
			DomainCode: "NUCLEAR", DomainLabel: "Industrie nucléaire", RegionCode: "84", RegionLabel: "Auvergne-Rhône-Alpes",
			LimitCode: "EFFECTIVE", Population: "ADULT", Band: "FROM_1_TO_1_25", BandLabel: "de 1 à 1,25 fois la limite",
			ExceedanceMonth: "2024-05-01", ConfirmedOn: today, BandLowerMsv: 20}
		if n.BandUpperMsv == nil || *n.BandUpperMsv != 25 {
			t.Errorf("bandUpperMsv = %v, want 25", n.BandUpperMsv)
		}
		n.BandUpperMsv = nil
		if n != want {
			t.Errorf("notice = %+v\nwant     %+v", n, want)
		}
		// Nothing of the fixture that names the worker, the establishment or
		// the value appears anywhere in the notice.
		birth, _ := time.Parse(time.DateOnly, workers[0].birth)
		for _, s := range []string{workers[0].nir, workers[0].nir[:13], workers[0].last, "Vauquelin", "Dardel", workers[0].first,
			"Aur\\u00e9lien", workers[0].birth, birth.Format("02/01/2006"), estName, "Atlantique", "Saint-Priest", "69800",
			siret, siret[:9], fmt.Sprint(est.ID), "24,5", "24.5", "24500", "24,50"} {
			if strings.Contains(raw, s) {
				t.Errorf("the ministry's notice contains %q: %s", s, raw)
			}
		}
		// Through node(id:), the notice is the same anonymous record.
		res := dgt.Do(`query($id: ID!) { node(id: $id) { __typename ... on ExceedanceNotice { regionCode band } } }`, map[string]any{"id": n.ID})
		if len(res.Errors) > 0 || !strings.Contains(string(res.Data), `"ExceedanceNotice"`) {
			t.Errorf("node(notice) as the ministry: %s %+v", res.Data, res.Errors)
		}
	})
	t.Run("ErrMinistrySeesNoPerson", func(t *testing.T) {
		// Ensure the ministry's role reaches no nominative data at all.
		for _, q := range []string{
			`{ workers(first: 1) { totalCount } }`,
			`{ anomalies(first: 1) { totalCount } }`,
			`{ doseRecords(first: 1) { totalCount } }`,
			`{ exposureSummaries(first: 1) { totalCount } }`,
			`{ employments(first: 1) { totalCount } }`,
		} {
			if res := dgt.Do(q, nil); res.Code() != "FORBIDDEN_FIELD" || !dataNull(res) {
				t.Errorf("%s as the ministry: %s %s, want FORBIDDEN_FIELD", q, res.Code(), res.Data)
			}
		}
		id := exceedance[workers[0].nir]
		res := dgt.Do(`query($id: ID!) { node(id: $id) { __typename } }`, map[string]any{"id": id})
		if strings.Contains(string(res.Data), "Anomaly") {
			t.Errorf("node(anomaly) as the ministry: %s", res.Data)
		}
	})
	t.Run("ErrOtherRoles", func(t *testing.T) {
		// Ensure every other role is refused the notices; the analysts who
		// issue them read them.
		for _, a := range accounts {
			res := clients[a.email].Do(`{ exceedanceNotices(first: 10) { totalCount edges { node { id regionCode band } } } }`, nil)
			switch a.role {
			case policy.RoleLabourMinistry, policy.RoleAnalyst:
				if len(res.Errors) > 0 || !strings.Contains(string(res.Data), `"totalCount":1`) {
					t.Errorf("%s: %s %+v, want the notice", a.role, res.Data, res.Errors)
				}
			default:
				if res.Code() != "FORBIDDEN_FIELD" || !dataNull(res) {
					t.Errorf("%s: %s %s, want FORBIDDEN_FIELD", a.role, res.Code(), res.Data)
				}
			}
		}
	})
}

func dataNull(res *servertest.Response) bool { return len(res.Data) == 0 || string(res.Data) == "null" }
