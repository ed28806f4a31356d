package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/ent/outboxmessage"
	"github.com/siseri/siseri/policy"
)

const inviteMutation = `mutation($in: InviteAccountInput!) { inviteAccount(input: $in) { activationLink expiresAt account { id email } } }`

type invitationOut struct {
	ActivationLink string
	ExpiresAt      time.Time
	Account        struct{ ID, Email string }
}

// TestInvitationAndActivation: an administrator invites an account (no
// password) and gets its link once; the link's holder, signed out, sees whose
// account it is, chooses a password and signs in; the used link is then
// invalid, and a reissued one replaces the earlier.
func TestInvitationAndActivation(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStartWith(t, db, func(c *server.Config) { c.PublicURL = "https://registre.example.fr" })
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	servertest.MustCreateAccount(t, db.Client, "analyste@test.fr", policy.RoleAnalyst, nil)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)

	var out struct{ InviteAccount invitationOut }
	admin.MustDo(inviteMutation, map[string]any{"in": map[string]any{"email": "Medecin@Test.fr", "displayName": "Dr Marchand"}}, &out)
	inv := out.InviteAccount
	token, ok := strings.CutPrefix(inv.ActivationLink, "https://registre.example.fr/activation/")
	if !ok || token == "" || inv.ExpiresAt.Sub(time.Now()) < 23*time.Hour || inv.Account.Email != "medecin@test.fr" {
		t.Fatalf("invitation %+v: want a link on the public URL, valid 24 h", inv)
	}
	// The same link waits in the outbox for the invited person's address.
	queued, err := db.Client.OutboxMessage.Query().
		Where(outboxmessage.Email("medecin@test.fr"), outboxmessage.Link(inv.ActivationLink)).
		Count(policy.SystemContext(context.Background()))
	if err != nil || queued != 1 {
		t.Fatalf("activation e-mails queued: %d (%v), want 1", queued, err)
	}
	if res := admin.Do(inviteMutation, map[string]any{"in": map[string]any{"email": "medecin@test.fr", "displayName": "Doublon"}}); res.Code() != "BAD_USER_INPUT" {
		t.Fatalf("same e-mail again: %+v, want BAD_USER_INPUT", res.Errors)
	}

	anon := srv.NewClient(t)
	var who struct {
		Activation struct{ DisplayName, Email string }
	}
	anon.MustDo(`query($t: String!) { activation(token: $t) { displayName email } }`, map[string]any{"t": token}, &who)
	if who.Activation.DisplayName != "Dr Marchand" || who.Activation.Email != "medecin@test.fr" {
		t.Fatalf("activation = %+v", who.Activation)
	}
	if res := anon.Do(`query($t: String!) { activation(token: $t) { email } me { roles } }`, map[string]any{"t": token}); res.Code() != "UNAUTHENTICATED" {
		t.Fatalf("activation with another field, signed out: %+v, want UNAUTHENTICATED", res.Errors)
	}
	for _, q := range []string{`{ __typename }`, `mutation { __typename }`} {
		if res := anon.Do(q, nil); res.Code() != "UNAUTHENTICATED" {
			t.Fatalf("%s signed out: %+v, want UNAUTHENTICATED", q, res.Errors)
		}
	}
	if res := anon.Do(`query { activation(token: "act_inconnu") { email } }`, nil); res.Code() != "TOKEN_INVALID" {
		t.Fatalf("unknown token: %+v, want TOKEN_INVALID", res.Errors)
	}
	activate := `mutation($t: String!, $p: String!) { activateAccount(token: $t, password: $p) }`
	if res := anon.Do(activate, map[string]any{"t": token, "p": "court"}); res.Code() != "BAD_USER_INPUT" {
		t.Fatalf("short password: %+v, want BAD_USER_INPUT", res.Errors)
	}
	anon.MustDo(activate, map[string]any{"t": token, "p": "un mot de passe solide"}, nil)
	if res := anon.Do(activate, map[string]any{"t": token, "p": "un autre mot de passe"}); res.Code() != "TOKEN_INVALID" {
		t.Fatalf("second use: %+v, want TOKEN_INVALID", res.Errors)
	}
	doctor := srv.NewClient(t)
	doctor.MustLogin("medecin@test.fr", "un mot de passe solide")

	reissue := `mutation($id: ID!) { reissueActivation(accountID: $id) { activationLink } }`
	analyst := srv.NewClient(t)
	analyst.MustLogin("analyste@test.fr", servertest.Password)
	if res := analyst.Do(reissue, map[string]any{"id": inv.Account.ID}); res.Code() == "" {
		t.Fatal("an analyst reissued an activation link")
	}
	var first, second struct {
		ReissueActivation struct{ ActivationLink string }
	}
	admin.MustDo(reissue, map[string]any{"id": inv.Account.ID}, &first)
	admin.MustDo(reissue, map[string]any{"id": inv.Account.ID}, &second)
	older := strings.TrimPrefix(first.ReissueActivation.ActivationLink, "https://registre.example.fr/activation/")
	if res := anon.Do(`query($t: String!) { activation(token: $t) { email } }`, map[string]any{"t": older}); res.Code() != "TOKEN_INVALID" {
		t.Fatalf("replaced link: %+v, want TOKEN_INVALID", res.Errors)
	}
}

// TestCompaniesAndLaboratories: an administrator registers companies (SIREN
// checked) and laboratories with their accreditation; others may not.
func TestCompaniesAndLaboratories(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	servertest.MustCreateAccount(t, db.Client, "analyste@test.fr", policy.RoleAnalyst, nil)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)
	createCompany := `mutation($in: CreateCompanyInput!) { createCompany(input: $in) { id siren name } }`
	res := admin.Do(createCompany, map[string]any{"in": map[string]any{"siren": "732829321", "name": "Mauvais"}})
	if res.Code() != "BAD_USER_INPUT" {
		t.Fatalf("SIREN with a wrong key: %+v, want BAD_USER_INPUT", res.Errors)
	}
	var c struct {
		CreateCompany struct{ ID, Siren, Name string }
	}
	admin.MustDo(createCompany, map[string]any{"in": map[string]any{"siren": "732829320", "name": "CHU Rhône"}}, &c)
	admin.MustDo(`mutation($id: ID!) { updateCompany(id: $id, input: {name: "CHU Rhône-Métropole"}) { name } }`, map[string]any{"id": c.CreateCompany.ID}, nil)
	var l struct {
		CreateLaboratory struct{ ID, AccreditationValidTo string }
	}
	admin.MustDo(`mutation { createLaboratory(input: {code: "LAB-A", name: "Dosimétrie Alpha", accreditation: "1-2345",
		accreditationBody: "COFRAC", accreditationScope: "Hp(10)", accreditationValidFrom: "2025-01-01", accreditationValidTo: "2029-12-31"}) { id accreditationValidTo } }`, nil, &l)
	if l.CreateLaboratory.AccreditationValidTo != "2029-12-31" {
		t.Fatalf("accreditationValidTo = %q", l.CreateLaboratory.AccreditationValidTo)
	}
	analyst := srv.NewClient(t)
	analyst.MustLogin("analyste@test.fr", servertest.Password)
	if res := analyst.Do(`mutation { createCompany(input: {siren: "552100554", name: "X"}) { id } }`, nil); res.Code() == "" {
		t.Fatal("an analyst created a company")
	}
}

// TestAccreditationLapsed: a laboratory whose accreditation has expired, or
// has not started, cannot upload results (ACCREDITATION_LAPSED, with the
// laboratory's name and the date, nothing written); a valid one can.
func TestAccreditationLapsed(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	f := newIngestFixture(t, db)
	ctx := policy.SystemContext(context.Background())
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)
	lab := srv.NewClient(t)
	lab.MustLogin("labo@test.fr", servertest.Password)
	labID := db.Client.Laboratory.Query().OnlyIDX(ctx)
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format(time.DateOnly) }
	fr := func(d int) string { return time.Now().AddDate(0, 0, d).Format("02/01/2006") }
	for i, tc := range []struct {
		name     string
		from, to string
		inactive bool
		want     string // message fragment, "" for accepted
	}{
		{"Lapsed", day(-400), day(-1), false, "L'accréditation du laboratoire Labo a expiré le " + fr(-1)},
		{"NotYetValid", day(2), day(400), false, "ne prend effet que le " + fr(2)},
		{"Deactivated", day(-400), day(400), true, "Le laboratoire Labo est désactivé"},
		{"Valid", day(-400), day(0), false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			admin.MustDo(`mutation($id: ID!, $from: Date, $to: Date, $active: Boolean) { updateLaboratory(id: $id, input: {accreditationValidFrom: $from, accreditationValidTo: $to, active: $active}) { id } }`,
				map[string]any{"id": labID, "from": tc.from, "to": tc.to, "active": !tc.inactive}, nil)
			before := db.Client.DoseRecord.Query().Where(doserecord.WorkerID(f.worker.ID)).CountX(ctx)
			rep, raw := upload(t, lab, srv.URL, fmt.Sprintf("LOT-%d", i), labHeaderGQL+"\n"+f.line(i+1, "0,40")+"\n", false)
			after := db.Client.DoseRecord.Query().Where(doserecord.WorkerID(f.worker.ID)).CountX(ctx)
			if tc.want == "" {
				if rep.Status != "ACCEPTED" || after != before+1 {
					t.Fatalf("valid accreditation: %s", raw)
				}
				return
			}
			if !strings.Contains(string(raw), `"ACCREDITATION_LAPSED"`) || !strings.Contains(string(raw), tc.want) || after != before {
				t.Fatalf("got %s with %d→%d records, want ACCREDITATION_LAPSED « %s » and nothing written", raw, before, after, tc.want)
			}
		})
	}
}

// nomenclatureAnswer is the response to importNomenclature.
type nomenclatureAnswer struct {
	Data struct {
		ImportNomenclature *struct {
			Version, ValidFrom     string
			Domains, Sectors, Jobs int
		}
	}
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

// TestImportNomenclatureUpload: a new version is added through the multipart
// upload without touching the versions before it; a bad file names each line,
// column and value and writes nothing; an existing version is a CONFLICT.
func TestImportNomenclatureUpload(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)
	old := db.Client.Nomenclature.Create().SetKind(nomenclature.KindSector).SetVersion("2019").SetCode("MED-RI").
		SetLabel("Radiologie interventionnelle").SetValidFrom(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)).SaveX(ctx)
	old = db.Client.Nomenclature.GetX(ctx, old.ID) // as stored
	const query = `mutation($in: ImportNomenclatureInput!) { importNomenclature(input: $in) { version validFrom domains sectors jobs } }`
	send := func(version, content string) (nomenclatureAnswer, []byte) {
		raw := postMultipart(t, admin, srv.URL, query, map[string]any{"version": version, "validFrom": "2027-01-01"}, "nomenclature.csv", content)
		var out nomenclatureAnswer
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		return out, raw
	}
	bad := "kind;code;label;parent\nDOMAIN;MED;Médical;\nSECTOR;MED-RI;;MED\nPLANET;X;Y;\nJOB;CARDIO;Cardiologue;NUC\n"
	out, raw := send("2027", bad)
	if len(out.Errors) != 3 || out.Data.ImportNomenclature != nil {
		t.Fatalf("bad file: %s, want 3 errors", raw)
	}
	for i, want := range []string{"line[3].label", "line[4].kind", "line[5].parent"} {
		if out.Errors[i].Extensions["field"] != want || !strings.HasPrefix(out.Errors[i].Message, "Ligne ") {
			t.Errorf("error %d = %+v, want field %s", i, out.Errors[i], want)
		}
	}
	if n := db.Client.Nomenclature.Query().Where(nomenclature.Version("2027")).CountX(ctx); n != 0 {
		t.Fatalf("%d rows written by a bad file", n)
	}
	good := "kind;code;label;parent\nDOMAIN;MED;Médical;\nSECTOR;MED-RI;Radiologie interventionnelle (2027);MED\nJOB;CARDIO;Cardiologue;MED-RI\n"
	out, raw = send("2027", good)
	if got := out.Data.ImportNomenclature; got == nil || got.Domains != 1 || got.Sectors != 1 || got.Jobs != 1 || got.ValidFrom != "2027-01-01" {
		t.Fatalf("good file: %s", raw)
	}
	if again := db.Client.Nomenclature.GetX(ctx, old.ID); again.Label != old.Label || again.ValidTo != nil || !again.UpdatedAt.Equal(old.UpdatedAt) {
		t.Fatalf("version 2019 changed: %+v", again)
	}
	out, raw = send("2027", good)
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("same version again: %s, want CONFLICT", raw)
	}
}
