package server

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/auth"
)

// PreflightHeader is the header a browser client adds to its multipart
// uploads. A cross-site page cannot send it without a CORS preflight, which
// this server never grants, so a form posted from another site is refused.
const PreflightHeader = "GraphQL-Preflight"

// csrfGuard refuses cross-site requests that would act with the session
// cookie of the person using the browser:
//
//   - a request authenticated by the session cookie (no Authorization header)
//     whose Origin, or Referer when the browser sent no Origin on a request
//     other than GET, HEAD or OPTIONS, is neither this server's own origin nor
//     one of allowed (SISERI_ALLOWED_ORIGINS);
//   - a request with a body a plain HTML form can send (multipart/form-data,
//     application/x-www-form-urlencoded, text/plain) that carries neither the
//     GraphQL-Preflight header nor an Authorization header: such requests
//     need no CORS preflight, so the header proves the page is allowed to
//     call the API (as Apollo Server's CSRF prevention does).
//
// Clients with a bearer token (API keys, sessions used as tokens) are not
// subject to the origin check: no browser adds that header on its own.
// Refusals are HTTP 403 with the code CSRF_REFUSED.
func csrfGuard(allowed []string, next http.Handler) http.Handler {
	origins := map[string]bool{}
	for _, o := range allowed {
		origins[normalOrigin(o)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			if _, err := r.Cookie(auth.CookieName); err == nil {
				if from, ok := requestOrigin(r); ok && !sameOrigin(from, r) && !origins[normalOrigin(from)] {
					refuseCSRF(w, "Requête refusée : elle vient d'un autre site ("+truncateOrigin(from)+
						") et utilise votre session. Ouvrez SISERI directement pour effectuer cette opération.")
					return
				}
			}
			if formEncoded(r) && r.Header.Get(PreflightHeader) == "" {
				refuseCSRF(w, "Requête refusée : un envoi de fichier doit porter l'en-tête "+PreflightHeader+
					" (protection contre la falsification de requêtes intersites).")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func refuseCSRF(w http.ResponseWriter, msg string) {
	auth.WriteJSONError(w, http.StatusForbidden, apperr.CSRFRefused, msg)
}

// requestOrigin returns the origin a browser declared for r: its Origin
// header, else, for a request that may change state, the origin of its
// Referer. ok is false when neither says anything (not a browser, or a
// same-origin GET).
func requestOrigin(r *http.Request) (string, bool) {
	if o := r.Header.Get("Origin"); o != "" {
		return o, true
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return "", false
	}
	ref := r.Header.Get("Referer")
	if ref == "" {
		return "", false
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return "null", true
	}
	return u.Scheme + "://" + u.Host, true
}

// sameOrigin reports whether origin names the host r was sent to. The
// scheme is not compared: behind a TLS-terminating proxy the server sees
// plain HTTP while the browser's origin is https.
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

func normalOrigin(o string) string {
	return strings.TrimRight(strings.ToLower(strings.TrimSpace(o)), "/")
}

// formEncoded reports whether r has a body type an HTML form can send
// without a CORS preflight.
func formEncoded(r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return false
	}
	switch mt {
	case "multipart/form-data", "application/x-www-form-urlencoded", "text/plain":
		return true
	}
	return false
}

func truncateOrigin(o string) string {
	if len(o) > 100 {
		return o[:100] + "…"
	}
	return o
}
