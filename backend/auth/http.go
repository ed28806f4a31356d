package auth

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/policy"
)

// CookieName is the session cookie of browsers.
const CookieName = "siseri_session"

// Request is what resolvers may need of the HTTP exchange: where the caller comes
// from, its token, and how to set or clear the session cookie.
type Request struct {
	RemoteAddr string
	UserAgent  string
	Token      string
	// FromCookie is true when Token came from the session cookie.
	FromCookie bool
	w          http.ResponseWriter
	secure     bool
}

type requestKey struct{}

// RequestFromContext returns the HTTP exchange of ctx, or an empty one.
func RequestFromContext(ctx context.Context) *Request {
	if r, ok := ctx.Value(requestKey{}).(*Request); ok {
		return r
	}
	return &Request{}
}

// SetSessionCookie sets the HttpOnly, SameSite=Strict session cookie.
func (r *Request) SetSessionCookie(token string, expires time.Time) {
	if r.w == nil {
		return
	}
	WriteSessionCookie(r.w, r.secure, token, expires)
}

// WriteSessionCookie sets the HttpOnly, SameSite=Strict session cookie on w
// (secure marks it Secure): a password sign-in through GraphQL and an OpenID
// Connect sign-in set the same cookie.
func WriteSessionCookie(w http.ResponseWriter, secure bool, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode,
	})
}

// ClearSessionCookie removes the session cookie.
func (r *Request) ClearSessionCookie() {
	if r.w == nil {
		return
	}
	http.SetCookie(r.w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.secure, SameSite: http.SameSiteStrictMode,
	})
}

// TokenFromRequest returns the bearer token of r, else its session cookie.
func TokenFromRequest(r *http.Request) (token string, fromCookie bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t), false
		}
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value, true
	}
	return "", false
}

// Middleware resolves the viewer of each request from its bearer token or
// session cookie and puts it in the context. A request with an invalid token
// goes on anonymously (GraphQL then answers UNAUTHENTICATED) and, when the token
// came from the cookie, the cookie is cleared. secure marks cookies Secure.
func (s *Service) Middleware(secure bool, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, fromCookie := TokenFromRequest(r)
			req := &Request{
				RemoteAddr: RemoteHost(r.RemoteAddr), UserAgent: r.UserAgent(),
				Token: token, FromCookie: fromCookie, w: w, secure: secure,
			}
			ctx := context.WithValue(r.Context(), requestKey{}, req)
			if token != "" {
				v, err := s.Authenticate(ctx, token)
				switch {
				case err == nil:
					ctx = policy.NewContext(ctx, v)
				case apperr.CodeOf(err) == apperr.TooManyRequests:
					w.Header().Set("Retry-After", "60")
					WriteJSONError(w, http.StatusTooManyRequests, apperr.TooManyRequests, apperr.As(err).Message)
					return
				case IsAuthError(err):
					if fromCookie {
						req.ClearSessionCookie()
					}
				case store.IsUnavailable(err):
					log.WarnContext(ctx, "authenticate: database unavailable", "err", err)
					w.Header().Set("Retry-After", "30")
					WriteJSONError(w, http.StatusServiceUnavailable, apperr.ServiceUnavailable, UnavailableMessage)
					return
				default:
					log.ErrorContext(ctx, "authenticate", "err", err)
					WriteJSONError(w, http.StatusInternalServerError, apperr.Internal, "Erreur interne. L'incident a été enregistré.")
					return
				}
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// UnavailableMessage is the answer while the database cannot be reached.
const UnavailableMessage = "Le registre est momentanément indisponible (base de données injoignable). Réessayez dans quelques minutes."

// WriteJSONError answers a request refused before GraphQL runs with a
// GraphQL-shaped JSON error: a French message and a stable code.
func WriteJSONError(w http.ResponseWriter, status int, code apperr.Code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": message, "extensions": map[string]any{"code": string(code)},
	}}})
}

// RemoteHost is the host part of a request's remote address.
func RemoteHost(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}
