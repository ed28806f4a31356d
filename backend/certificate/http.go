package certificate

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/policy"
)

// Paths of the certificate endpoints.
const (
	// DownloadPath + worker id: the signed PDF (authenticated).
	DownloadPath = "/certificats/"
	// VerifyAPIPath: POST a PDF, or GET VerifyAPIPath + "/" + id + the
	// query of the QR code; public, answers Verdict.
	VerifyAPIPath = "/certificats/verification"
	// KeysPath publishes the public keys.
	KeysPath = "/.well-known/siseri-certificate-keys.json"
	// VerifyPagePath + id: the public page of the SPA the QR code opens.
	VerifyPagePath = "/verification/"
	// MaxUpload caps an uploaded certificate.
	MaxUpload = 10 << 20
)

// Fields lists what a certificate shows, as GraphQL fields: a caller whose
// role (and API key profile) may not read every one of them cannot download
// it, as they could not read the same history through the API.
var Fields = []string{
	"Worker.lastName", "Worker.usageName", "Worker.firstNames", "Worker.birthDate", "Worker.nir",
	"Worker.employments", "Employment.startDate", "Employment.endDate", "Employment.establishment", "Establishment.name", "Establishment.siret",
	"Worker.doseRecords", "DoseRecord.periodStart", "DoseRecord.periodEnd", "DoseRecord.monitoringKind", "DoseRecord.quantity",
	"DoseRecord.status", "DoseRecord.valueMsv", "DoseRecord.establishment",
	"Worker.exposureSummaries", "ExposureSummary.limitCode", "ExposureSummary.sumMsv", "ExposureSummary.limitMsv",
	"ExposureSummary.windowStart", "ExposureSummary.windowEnd",
}

// Service serves the certificate endpoints.
type Service struct {
	Client *ent.Client
	Audit  *audit.Log
	Keys   *Keyring
	// PublicURL starts the verification URL of the QR code.
	PublicURL string
	Log       *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time

	authz *policy.Authorizer
	// uploads limits the public verification of uploaded files per remote
	// address: 30 at once, then one every 20 seconds.
	uploads *auth.KeyedLimiter
}

// Routes registers the endpoints: authn wraps the download (it puts the
// caller in the request's context).
func (s *Service) Routes(mux *http.ServeMux, authn func(http.Handler) http.Handler) {
	s.authz = policy.MustDefault()
	s.uploads = auth.NewKeyedLimiter(20*time.Second, 30)
	mux.Handle("GET "+DownloadPath+"{worker}", authn(http.HandlerFunc(s.download)))
	mux.HandleFunc("GET "+VerifyAPIPath+"/{id}", s.verifyQuery)
	mux.HandleFunc("POST "+VerifyAPIPath, s.verifyUpload)
	mux.HandleFunc("GET "+KeysPath, s.keys)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) download(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "no-store")
	v := policy.FromContext(ctx)
	if v == nil {
		auth.WriteJSONError(w, http.StatusUnauthorized, apperr.Unauthenticated, "Connectez-vous pour télécharger une attestation.")
		return
	}
	for _, f := range Fields {
		if !s.authz.Can(v.Role, v.Profile, f) {
			auth.WriteJSONError(w, http.StatusForbidden, apperr.Forbidden, "Votre rôle ne permet pas de télécharger l'attestation d'historique dosimétrique de ce travailleur.")
			return
		}
	}
	id, err := strconv.Atoi(r.PathValue("worker"))
	if err != nil {
		auth.WriteJSONError(w, http.StatusNotFound, apperr.NotFound, "Travailleur introuvable.")
		return
	}
	doc, err := s.load(ctx, id)
	switch {
	case ent.IsNotFound(err):
		auth.WriteJSONError(w, http.StatusNotFound, apperr.NotFound, "Travailleur introuvable.")
		return
	case err != nil:
		s.fail(w, r, "certificate: load", err)
		return
	}
	claim := doc.Claim()
	query := s.Keys.SignQuery(claim)
	verify := strings.TrimRight(s.PublicURL, "/") + VerifyPagePath + claim.ID + "?" + query.Encode()
	// The keywords repeat the QR claim's key id and signature for tools that read metadata.
	keywords := fmt.Sprintf("SISERI certificat=%s kid=%s sig=%s", claim.ID, query.Get("k"), query.Get("s"))
	pdf, err := Render(doc, verify, keywords)
	if err != nil {
		s.fail(w, r, "certificate: render", err)
		return
	}
	sealed := s.Keys.Seal(pdf, claim)
	// Audited as a read of the history it shows; no trace, no certificate.
	if err := s.Audit.Append(ctx, v, audit.Entry{Action: audit.ActionRead, Operation: "certificate", FieldPaths: Fields,
		ObjectType: "Worker", ObjectIDs: []int{id}, WorkerIDs: []int{id}, Details: map[string]any{"certificate": claim.ID}}); err != nil {
		s.fail(w, r, "certificate: audit", err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="attestation-dosimetrique-%s.pdf"`, claim.ID))
	w.Header().Set("Content-Length", strconv.Itoa(len(sealed)))
	_, _ = w.Write(sealed)
}

func (s *Service) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.Log.ErrorContext(r.Context(), what, "err", err)
	auth.WriteJSONError(w, http.StatusInternalServerError, apperr.Internal, "Erreur interne. L'incident a été enregistré.")
}

// load reads what the certificate shows, as the caller of ctx: the row rules
// of every entity apply (a worker out of the caller's scope is not found).
func (s *Service) load(ctx context.Context, id int) (Document, error) {
	wk, err := s.Client.Worker.Get(ctx, id)
	if err != nil {
		return Document{}, err
	}
	d := Document{ID: newID(), Issued: s.now()}
	d.Holder = Holder{LastName: wk.LastName, UsageName: wk.UsageName, FirstNames: wk.FirstNames, BirthDate: wk.BirthDate}
	if wk.Nir != nil {
		d.Holder.NIR = *wk.Nir
	}
	emps, err := wk.QueryEmployments().WithEstablishment().Order(ent.Desc(employment.FieldStartDate)).All(ctx)
	if err != nil {
		return Document{}, err
	}
	for _, e := range emps {
		item := Employment{Start: e.StartDate, End: e.EndDate}
		if est := e.Edges.Establishment; est != nil {
			item.Establishment, item.SIRET = est.Name, est.Siret
		}
		d.Employments = append(d.Employments, item)
	}
	recs, err := wk.QueryDoseRecords().
		Where(doserecord.Current(true), doserecord.Pending(false), doserecord.StatusNEQ(doserecord.StatusAbsent)).
		WithEstablishment().
		Order(ent.Desc(doserecord.FieldPeriodEnd), ent.Asc(doserecord.FieldQuantity), ent.Asc(doserecord.FieldID)).All(ctx)
	if err != nil {
		return Document{}, err
	}
	for _, r := range recs {
		item := Result{PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd, MonitoringKind: string(r.MonitoringKind),
			Quantity: string(r.Quantity), Status: string(r.Status), ValueUsv: r.ValueUsv}
		if est := r.Edges.Establishment; est != nil {
			item.Establishment = est.Name
		}
		d.Results = append(d.Results, item)
	}
	sums, err := wk.QueryExposureSummaries().Order(ent.Asc(exposuresummary.FieldLimitCode)).All(ctx)
	if err != nil {
		return Document{}, err
	}
	for _, e := range sums {
		d.Standings = append(d.Standings, Standing{Label: exposure.Label(dosimetry.LimitCode(e.LimitCode)), SumUsv: e.SumUsv,
			LimitUsv: e.LimitUsv, WindowStart: e.WindowStart, WindowEnd: e.WindowEnd})
	}
	return d, nil
}

// newID returns a new certificate number: 12 random base32 characters.
func newID() string { return rand.Text()[:12] }

// Verdict is the public answer of the verification endpoints: nothing but
// whether the certificate is authentic and unchanged, its date and its
// holder's initials.
type Verdict struct {
	Authentic bool   `json:"authentic"`
	ID        string `json:"id,omitempty"`
	Issued    string `json:"issued,omitempty"`
	Holder    string `json:"holder,omitempty"`
	Message   string `json:"message"`
}

func verdict(c Claim, err error, what string) Verdict {
	if err != nil {
		return Verdict{Message: "Ce " + what + " n'est pas authentique ou a été modifié : le registre SISERI ne l'a pas délivré tel quel."}
	}
	return Verdict{Authentic: true, ID: c.ID, Issued: c.Issued, Holder: c.Holder,
		Message: "Certificat authentique et non modifié, délivré par le registre SISERI."}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Service) verifyQuery(w http.ResponseWriter, r *http.Request) {
	c, err := s.Keys.VerifyQuery(r.PathValue("id"), r.URL.Query())
	writeJSON(w, verdict(c, err, "lien de vérification"))
}

func (s *Service) verifyUpload(w http.ResponseWriter, r *http.Request) {
	if !s.uploads.Allow(auth.RemoteHost(r.RemoteAddr), s.now()) {
		auth.WriteJSONError(w, http.StatusTooManyRequests, apperr.TooManyRequests, "Trop de vérifications depuis votre adresse. Réessayez dans quelques minutes.")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUpload))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		auth.WriteJSONError(w, http.StatusRequestEntityTooLarge, apperr.BadUserInput, "Le fichier dépasse 10 Mio : ce n'est pas une attestation SISERI.")
		return
	}
	if err != nil {
		auth.WriteJSONError(w, http.StatusBadRequest, apperr.BadUserInput, "Le fichier n'a pas pu être lu. Réessayez.")
		return
	}
	c, err := s.Keys.VerifyFile(body)
	writeJSON(w, verdict(c, err, "fichier"))
}

// PublishedKey is one entry of the published key set.
type PublishedKey struct {
	KeyID     string `json:"kid"`
	Algorithm string `json:"alg"`
	PublicKey string `json:"publicKey"`
	// Status is "current" (signs new certificates) or "retired" (verifies
	// past ones only).
	Status string `json:"status"`
}

func (s *Service) keys(w http.ResponseWriter, _ *http.Request) {
	out := struct {
		Keys []PublishedKey `json:"keys"`
	}{Keys: []PublishedKey{}}
	for _, k := range s.Keys.Keys() {
		status := "retired"
		if k.Current {
			status = "current"
		}
		out.Keys = append(out.Keys, PublishedKey{KeyID: k.ID, Algorithm: "Ed25519", PublicKey: base64.StdEncoding.EncodeToString(k.Public), Status: status})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_ = json.NewEncoder(w).Encode(out)
}
