package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// A Luhn-valid SIRET and NIRs whose keys are right (97 − n mod 97).
const (
	siret = "73282932000074"
	nirOK = "184127645108946"
)

func TestDeclarations(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)
	ctx := policy.SystemContext(context.Background())

	const createEst = `mutation($in: CreateEstablishmentInput!) { createEstablishment(input: $in) { id siret name } }`
	const createWorker = `mutation($in: CreateWorkerInput!) { createWorker(input: $in) { id nir lastName firstNames identifierKind } }`

	t.Run("ErrInvalidSIRET", func(t *testing.T) {
		// Ensure a SIRET with a wrong Luhn key is refused, named, and nothing is written.
		res := admin.Do(createEst, map[string]any{"in": map[string]any{"siret": "73282932000075", "name": "Clinique"}})
		assertBadInput(t, res, "input.siret", "73282932000075")
		if n := db.Client.Establishment.Query().CountX(ctx); n != 0 {
			t.Errorf("establishments after refusal = %d, want 0", n)
		}
	})

	var estID string
	t.Run("OKEstablishment", func(t *testing.T) {
		// Ensure a valid declaration is stored and returned.
		var out struct {
			CreateEstablishment struct{ ID, Siret, Name string }
		}
		admin.MustDo(createEst, map[string]any{"in": map[string]any{"siret": siret, "name": "CHU Test", "region": "84", "postalCode": "69003"}}, &out)
		if out.CreateEstablishment.Siret != siret {
			t.Errorf("siret = %q", out.CreateEstablishment.Siret)
		}
		estID = out.CreateEstablishment.ID
	})

	// An employer correspondent of that establishment declares its workers.
	servertest.MustCreateAccount(t, db.Client, "rh@test.fr", policy.RoleEmployer, func(g *ent.GrantCreate) {
		g.SetEstablishmentID(mustAtoi(t, estID))
	})
	rh := srv.NewClient(t)
	rh.MustLogin("rh@test.fr", servertest.Password)

	t.Run("ErrDuplicateSIRET", func(t *testing.T) {
		// Ensure a second establishment with the same SIRET is a CONFLICT.
		res := admin.Do(createEst, map[string]any{"in": map[string]any{"siret": siret, "name": "Doublon"}})
		if res.Code() != "CONFLICT" {
			t.Errorf("code = %q, want CONFLICT (%+v)", res.Code(), res.Errors)
		}
	})

	worker := func(nir string) map[string]any {
		return map[string]any{"in": map[string]any{
			"nir": nir, "lastName": "  Martin ", "firstNames": "Claire  Anne", "birthDate": "1984-12-03", "sex": "M",
		}}
	}
	t.Run("ErrInvalidNIR", func(t *testing.T) {
		// Ensure a NIR with a wrong key is refused with its field and value, nothing written.
		res := rh.Do(createWorker, worker("184127645108912"))
		assertBadInput(t, res, "input.nir", "184127645108912")
		if n := db.Client.Worker.Query().CountX(ctx); n != 0 {
			t.Errorf("workers after refusal = %d, want 0", n)
		}
	})

	var workerID string
	t.Run("OKWorker", func(t *testing.T) {
		// Ensure the NIR is normalised and names are tidied.
		var out struct {
			CreateWorker struct{ ID, Nir, LastName, FirstNames, IdentifierKind string }
		}
		rh.MustDo(createWorker, worker("1 84 12 76 451 089 46"), &out)
		w := out.CreateWorker
		if w.Nir != nirOK || w.LastName != "Martin" || w.FirstNames != "Claire Anne" || w.IdentifierKind != "NIR" {
			t.Errorf("worker = %+v", w)
		}
		workerID = w.ID
	})

	t.Run("ErrControlCharacterInNames", func(t *testing.T) {
		// Ensure a name or place with a control or invisible character is
		// refused on its field with a French message naming the character,
		// at creation and at update, and nothing is written.
		const updateWorker = `mutation($id: ID!, $in: UpdateWorkerInput!) { updateWorker(id: $id, input: $in) { id lastName } }`
		before := db.Client.Worker.Query().CountX(ctx)
		for _, tc := range []struct{ field, value, msg string }{
			{"lastName", "Mar\x1btin", "Le nom de naissance contient le caractère de contrôle U+001B (échappement) en position 4 : " +
				"un nom ou un lieu ne peut contenir ni caractère de contrôle ni caractère invisible."},
			{"usageName", "Dupont\u200b", "Le nom d'usage contient le caractère invisible de mise en forme U+200B (espace sans chasse) en position 7"},
			{"firstNames", "Claire \u202eennA", "La liste des prénoms contient le caractère de contrôle bidirectionnel U+202E (forçage droite-à-gauche) en position 8"},
			{"birthPlace", "Lyon\a", "Le lieu de naissance contient le caractère de contrôle U+0007 (sonnerie) en position 5"},
			{"lastName", "Martin\tDurand", "U+0009 (tabulation) en position 7"},
		} {
			in := worker(validNIR("2900375056123"))
			in["in"].(map[string]any)["sex"] = "F"
			in["in"].(map[string]any)[tc.field] = tc.value
			res := rh.Do(createWorker, in)
			assertBadInput(t, res, "input."+tc.field, nil)
			if msg := res.Errors[0].Message; !strings.Contains(msg, tc.msg) {
				t.Errorf("%s: message %q, want %q", tc.field, msg, tc.msg)
			}
			upd := rh.Do(updateWorker, map[string]any{"id": workerID, "in": map[string]any{tc.field: tc.value}})
			assertBadInput(t, upd, "input."+tc.field, nil)
		}
		if n := db.Client.Worker.Query().CountX(ctx); n != before {
			t.Errorf("workers after refusal = %d, want %d", n, before)
		}
		if w := db.Client.Worker.GetX(ctx, mustAtoi(t, workerID)); w.LastName != "Martin" || w.UsageName != "" || w.BirthPlace != "" {
			t.Errorf("worker after refused updates = %+v", w)
		}
	})

	t.Run("ErrMissingIdentifier", func(t *testing.T) {
		// Ensure an NTT worker without its temporary number is refused.
		res := rh.Do(createWorker, map[string]any{"in": map[string]any{
			"identifierKind": "NTT", "lastName": "Durand", "firstNames": "Paul", "birthDate": "1990-01-01", "sex": "M",
		}})
		assertBadInput(t, res, "input.temporaryID", nil)
	})

	const createEmp = `mutation($in: CreateEmploymentInput!) { createEmployment(input: $in) { id startDate endDate worker { lastName } establishment { siret } } }`
	emp := func(start, end string) map[string]any {
		in := map[string]any{
			"workerID": workerID, "establishmentID": estID, "startDate": start, "contractType": "CDI",
			"nomenclatureVersion": "SISERI-2023", "classification": "A", "monitoringKinds": []string{"PASSIVE_WHOLE_BODY", "EXTREMITY"},
		}
		if end != "" {
			in["endDate"] = end
		}
		return map[string]any{"in": in}
	}
	t.Run("ErrEmploymentDates", func(t *testing.T) {
		// Ensure an employment ending before it starts is refused on the end date.
		assertBadInput(t, rh.Do(createEmp, emp("2024-05-01", "2024-04-30")), "input.endDate", nil)
	})
	t.Run("ErrMonitoringKind", func(t *testing.T) {
		// Ensure an unknown monitoring kind is refused with its value.
		in := emp("2024-05-01", "")
		in["in"].(map[string]any)["monitoringKinds"] = []string{"PASSIVE_WHOLE_BODY", "RAYONS_X"}
		assertBadInput(t, rh.Do(createEmp, in), "input.monitoringKinds", "RAYONS_X")
	})
	t.Run("ErrBadDate", func(t *testing.T) {
		// Ensure a malformed date is a BAD_USER_INPUT.
		if res := rh.Do(createEmp, emp("2024-13-01", "")); res.Code() != "BAD_USER_INPUT" {
			t.Errorf("code = %q, want BAD_USER_INPUT (%+v)", res.Code(), res.Errors)
		}
	})
	t.Run("OKEmployment", func(t *testing.T) {
		// Ensure an employment links the worker and the establishment, and can be ended.
		var out struct {
			CreateEmployment struct {
				ID, StartDate string
				Worker        struct{ LastName string }
				Establishment struct{ Siret string }
			}
		}
		rh.MustDo(createEmp, emp("2024-05-01", ""), &out)
		e := out.CreateEmployment
		if e.StartDate != "2024-05-01" || e.Worker.LastName != "Martin" || e.Establishment.Siret != siret {
			t.Errorf("employment = %+v", e)
		}
		var upd struct{ UpdateEmployment struct{ EndDate string } }
		rh.MustDo(`mutation($id: ID!) { updateEmployment(id: $id, input: {endDate: "2025-06-30"}) { endDate } }`,
			map[string]any{"id": e.ID}, &upd)
		if upd.UpdateEmployment.EndDate != "2025-06-30" {
			t.Errorf("endDate = %q", upd.UpdateEmployment.EndDate)
		}
		res := rh.Do(`mutation($id: ID!) { updateEmployment(id: $id, input: {endDate: "2024-01-01"}) { endDate } }`, map[string]any{"id": e.ID})
		assertBadInput(t, res, "input.endDate", nil)
	})

	t.Run("OKDosimeterAssignment", func(t *testing.T) {
		// Ensure a dosimeter can be registered and assigned for a wearing period.
		var d struct{ CreateDosimeter struct{ ID string } }
		rh.MustDo(`mutation($e: ID!) { createDosimeter(input: {serial: "OSL-000123", kind: PASSIVE_WHOLE_BODY, establishmentID: $e}) { id } }`,
			map[string]any{"e": estID}, &d)
		var a struct {
			CreateDosimeterAssignment struct {
				StartDate string
				Worker    struct{ ID string }
			}
		}
		rh.MustDo(`mutation($d: ID!, $w: ID!) { createDosimeterAssignment(input: {dosimeterID: $d, workerID: $w, startDate: "2024-05-01", bodyPosition: "poitrine"}) { startDate worker { id } } }`,
			map[string]any{"d": d.CreateDosimeter.ID, "w": workerID}, &a)
		if a.CreateDosimeterAssignment.Worker.ID != workerID {
			t.Errorf("assignment = %+v", a)
		}
	})

	t.Run("ErrNotDeclarer", func(t *testing.T) {
		// Ensure a role that does not declare may not call a declaration at all,
		// and nothing is written.
		servertest.MustCreateAccount(t, db.Client, "pcr@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) {
			g.SetEstablishmentID(mustAtoi(t, estID))
		})
		c := srv.NewClient(t)
		c.MustLogin("pcr@test.fr", servertest.Password)
		res := c.Do(createEst, map[string]any{"in": map[string]any{"siret": "35600000000048", "name": "La Poste"}})
		if res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("write: code = %q, want FORBIDDEN_FIELD (%+v)", res.Code(), res.Errors)
		}
		if n := db.Client.Establishment.Query().CountX(ctx); n != 1 {
			t.Errorf("establishments = %d, want 1", n)
		}
	})

	t.Run("ErrEmployerOutOfScope", func(t *testing.T) {
		// Ensure an employer correspondent declares only in their establishments.
		other := db.Client.Establishment.Create().SetSiret("35600000000048").SetName("La Poste").SaveX(ctx)
		servertest.MustCreateAccount(t, db.Client, "rh2@test.fr", policy.RoleEmployer, func(g *ent.GrantCreate) {
			g.SetEstablishmentID(other.ID)
		})
		c := srv.NewClient(t)
		c.MustLogin("rh2@test.fr", servertest.Password)
		res := c.Do(`mutation($w: ID!, $e: ID!) { createEmployment(input: {workerID: $w, establishmentID: $e, startDate: "2024-01-01",
			contractType: CDD, nomenclatureVersion: "V", classification: B, monitoringKinds: []}) { id } }`,
			map[string]any{"w": workerID, "e": estID})
		if res.Code() != "FORBIDDEN" {
			t.Errorf("code = %q, want FORBIDDEN (%+v)", res.Code(), res.Errors)
		}
		c.MustDo(`mutation($w: ID!, $e: ID!) { createEmployment(input: {workerID: $w, establishmentID: $e, startDate: "2024-01-01",
			contractType: CDD, nomenclatureVersion: "V", classification: B, monitoringKinds: []}) { id } }`,
			map[string]any{"w": workerID, "e": other.ID}, nil)
	})

	t.Run("ErrDelete", func(t *testing.T) {
		// Ensure nothing can be hard-deleted, even by the system.
		err := db.Client.Worker.DeleteOneID(mustAtoi(t, workerID)).Exec(ctx)
		if err == nil || db.Client.Worker.Query().CountX(ctx) != 1 {
			t.Fatalf("delete worker: err = %v, want refusal", err)
		}
	})
}

func assertBadInput(t *testing.T, res *servertest.Response, field string, value any) {
	t.Helper()
	if res.Code() != "BAD_USER_INPUT" {
		t.Fatalf("code = %q, want BAD_USER_INPUT (%+v)", res.Code(), res.Errors)
	}
	ext := res.Errors[0].Extensions
	if ext["field"] != field {
		t.Errorf("field = %v, want %s (message %q)", ext["field"], field, res.Errors[0].Message)
	}
	if value != nil && ext["value"] != value {
		t.Errorf("value = %v, want %v", ext["value"], value)
	}
	if msg := res.Errors[0].Message; msg == "" || msg[len(msg)-1] != '.' {
		t.Errorf("message %q is not a sentence", msg)
	}
}
