package certificate_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/certificate"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/policy"
)

func TestCertificateEndpoints(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	est := c.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(ctx)
	other := c.Establishment.Create().SetSiret("73282932000082").SetName("Clinique").SaveX(ctx)
	worker := func(name string, at *ent.Establishment) *ent.Worker {
		w := c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID("NTT-" + name).SetLastName(name).SetFirstNames("Élise").
			SetBirthDate(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)).SetSex("F").SaveX(ctx)
		c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(at.ID).SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
			SetContractType("CDI").SetNomenclatureVersion("V1").SetClassification("A").SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
		for m := range 3 {
			start := time.Date(2025, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)
			c.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(at.ID).SetSource("LABORATORY").SetMonitoringKind("PASSIVE_WHOLE_BODY").
				SetQuantity("HP10").SetValueUsv(int64(100 * m)).SetStatus("MEASURED").SetPeriodStart(start).SetPeriodEnd(start.AddDate(0, 1, -1)).ExecX(ctx)
		}
		return w
	}
	me, stranger := worker("Dupont", est), worker("Martin", other)
	servertest.MustCreateAccount(t, c, "moi@test.fr", policy.RoleWorker, func(g *ent.GrantCreate) { g.SetWorkerID(me.ID) })
	servertest.MustCreateAccount(t, c, "mdt@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	servertest.MustCreateAccount(t, c, "rh@test.fr", policy.RoleEmployer, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	servertest.MustCreateAccount(t, c, "pcr@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	login := func(email string) *servertest.Client {
		cl := srv.NewClient(t)
		if email != "" {
			cl.MustLogin(email, servertest.Password)
		}
		return cl
	}
	get := func(cl *servertest.Client, path string) (int, []byte, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if cl.Token != "" {
			req.Header.Set("Authorization", "Bearer "+cl.Token)
		}
		res, err := cl.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, body, res.Header
	}
	verify := func(file []byte) certificate.Verdict {
		t.Helper()
		res, err := http.Post(srv.URL+certificate.VerifyAPIPath, "application/pdf", bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var v certificate.Verdict
		if err := json.NewDecoder(res.Body).Decode(&v); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("verify: status %d, %v", res.StatusCode, err)
		}
		return v
	}
	path := func(w *ent.Worker) string { return certificate.DownloadPath + strconv.Itoa(w.ID) }

	var file []byte
	t.Run("OKWorkerDownloadsOwn", func(t *testing.T) {
		// Ensure the worker downloads a sealed PDF that the public endpoint calls authentic, and the read is audited.
		status, body, h := get(login("moi@test.fr"), path(me))
		if status != http.StatusOK || h.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
			t.Fatalf("status %d, type %q, body %.80q", status, h.Get("Content-Type"), body)
		}
		file = body
		if !bytes.Contains(file, []byte("kid=")) || !bytes.Contains(file, []byte("sig=")) {
			t.Error("the PDF keywords lack the key id and signature")
		}
		v := verify(file)
		if !v.Authentic || v.Holder != "É. D." || v.Issued != time.Now().Format(time.DateOnly) || v.ID == "" {
			t.Fatalf("verdict = %+v", v)
		}
		ev := c.AuditEvent.Query().Where(auditevent.Operation("certificate")).Order(ent.Desc(auditevent.FieldID)).FirstX(ctx)
		if ev.Action != audit.ActionRead || ev.ActorRole != "WORKER" || len(ev.WorkerIds) != 1 || ev.WorkerIds[0] != me.ID {
			t.Errorf("audit event = %+v", ev)
		}
	})

	t.Run("OKPhysicianDownloadsFollowed", func(t *testing.T) {
		// Ensure the physician downloads the certificate of a worker they follow.
		if status, body, _ := get(login("mdt@test.fr"), path(me)); status != http.StatusOK || !verify(body).Authentic {
			t.Fatalf("status %d", status)
		}
	})

	t.Run("ErrUnauthorisedReaders", func(t *testing.T) {
		// Ensure whoever cannot read the history gets no certificate, and nothing is audited for them.
		before := c.AuditEvent.Query().Where(auditevent.Operation("certificate")).CountX(ctx)
		for _, tc := range []struct {
			name, email string
			w           *ent.Worker
			status      int
		}{
			{"anonymous", "", me, http.StatusUnauthorized},
			{"employer (no dose values)", "rh@test.fr", me, http.StatusForbidden},
			{"adviser (contract period only, no stored standings)", "pcr@test.fr", me, http.StatusForbidden},
			{"worker, another's", "moi@test.fr", stranger, http.StatusNotFound},
			{"physician, not followed", "mdt@test.fr", stranger, http.StatusNotFound},
		} {
			status, body, _ := get(login(tc.email), path(tc.w))
			if status != tc.status || bytes.HasPrefix(body, []byte("%PDF")) {
				t.Errorf("%s: status %d, want %d: %s", tc.name, status, tc.status, body)
			}
		}
		if after := c.AuditEvent.Query().Where(auditevent.Operation("certificate")).CountX(ctx); after != before {
			t.Errorf("refused downloads audited: %d → %d", before, after)
		}
	})

	t.Run("ErrModifiedFile", func(t *testing.T) {
		// Ensure a file changed by one byte is not authentic, and the answer carries nothing of the holder.
		changed := bytes.Replace(file, []byte("/Title"), []byte("/Titlf"), 1)
		if bytes.Equal(changed, file) {
			t.Fatal("no /Title in the PDF")
		}
		if v := verify(changed); v.Authentic || v.Holder != "" || v.Issued != "" || !strings.Contains(v.Message, "pas authentique") {
			t.Errorf("verdict = %+v", v)
		}
	})

	t.Run("OKQueryOfTheQRCode", func(t *testing.T) {
		// Ensure the URL of the QR code is signed: authentic as issued, refused with other initials.
		i := bytes.Index(file, []byte("/verification/"))
		if i < 0 {
			t.Fatal("no verification URL in the PDF")
		}
		end := bytes.IndexAny(file[i:], " \n\r)")
		u, err := url.Parse(string(file[i : i+end]))
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimPrefix(u.Path, "/verification/")
		var v certificate.Verdict
		_, body, _ := get(login(""), certificate.VerifyAPIPath+"/"+id+"?"+u.RawQuery)
		if err := json.Unmarshal(body, &v); err != nil || !v.Authentic || v.Holder != "É. D." {
			t.Fatalf("verdict = %+v (%v)", v, err)
		}
		q := u.Query()
		q.Set("t", "M. M.")
		_, body, _ = get(login(""), certificate.VerifyAPIPath+"/"+id+"?"+q.Encode())
		if err := json.Unmarshal(body, &v); err != nil || v.Authentic {
			t.Fatalf("tampered verdict = %+v (%v)", v, err)
		}
	})

	t.Run("OKPublishedKeys", func(t *testing.T) {
		// Ensure the public key set is published without a session.
		status, body, _ := get(login(""), certificate.KeysPath)
		var out struct{ Keys []certificate.PublishedKey }
		if err := json.Unmarshal(body, &out); status != http.StatusOK || err != nil || len(out.Keys) != 1 ||
			out.Keys[0].Algorithm != "Ed25519" || out.Keys[0].Status != "current" || len(out.Keys[0].PublicKey) != 44 {
			t.Errorf("status %d, keys %s", status, body)
		}
	})
}

func TestRotationThroughServer(t *testing.T) {
	seed := func(b byte) string {
		return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, ed25519.SeedSize))
	}
	old, err := certificate.ParseConfig(seed(1), "2025", "")
	if err != nil {
		t.Fatal(err)
	}
	past := issue(t, old, document())
	oldPub := base64.StdEncoding.EncodeToString(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize)).Public().(ed25519.PublicKey))
	rotated, err := certificate.ParseConfig(seed(2), "2026", "2025="+oldPub)
	if err != nil {
		t.Fatal(err)
	}
	srv := servertest.MustStartWith(t, storetest.MustOpen(t), func(cfg *server.Config) { cfg.CertificateKeys = rotated })
	t.Run("OK", func(t *testing.T) {
		// Ensure a server signing with a new key publishes the retired one and still calls a past certificate authentic.
		res, err := http.Post(srv.URL+certificate.VerifyAPIPath, "application/pdf", bytes.NewReader(past))
		if err != nil {
			t.Fatal(err)
		}
		var v certificate.Verdict
		err = json.NewDecoder(res.Body).Decode(&v)
		res.Body.Close()
		if err != nil || !v.Authentic || v.ID != document().ID {
			t.Fatalf("verdict = %+v (%v)", v, err)
		}
		res, err = http.Get(srv.URL + certificate.KeysPath)
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ Keys []certificate.PublishedKey }
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if err != nil || len(out.Keys) != 2 || out.Keys[0].KeyID != "2026" || out.Keys[0].Status != "current" ||
			out.Keys[1].KeyID != "2025" || out.Keys[1].Status != "retired" || out.Keys[1].PublicKey != oldPub {
			t.Errorf("keys = %+v (%v)", out.Keys, err)
		}
	})
}

func TestVerificationUploadsAreRateLimited(t *testing.T) {
	srv := servertest.MustStartWith(t, storetest.MustOpen(t), func(*server.Config) {})
	t.Run("Error", func(t *testing.T) {
		// Ensure one address may check 30 files at once, and the next is refused until tokens come back.
		status := func() int {
			res, err := http.Post(srv.URL+certificate.VerifyAPIPath, "application/pdf", bytes.NewReader([]byte("%PDF-1.4 pas une attestation")))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		for i := 1; i <= 30; i++ {
			if got := status(); got != http.StatusOK {
				t.Fatalf("check %d: status %d, want 200", i, got)
			}
		}
		if got := status(); got != http.StatusTooManyRequests {
			t.Fatalf("check 31: status %d, want 429", got)
		}
	})
}
