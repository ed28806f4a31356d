package server

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/graph"
)

// statusWriter records the status code; it keeps the Hijacker and Flusher of
// the underlying writer for websockets and server-sent events.
type statusWriter struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
}

// WriteHeader sends the first status only: a transport that answers again
// after a refusal (gqlgen's websocket transport after the upgrader's 403)
// cannot change what was sent.
func (w *statusWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.code, w.wroteHeader = code, true
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("response writer cannot be hijacked")
	}
	w.code = http.StatusSwitchingProtocols
	return h.Hijack()
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies at n bytes, and multipart uploads (files
// sent to the import mutations) at upload bytes.
func limitBody(n, upload int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := n
		if isUpload(r) {
			limit = upload
		}
		if r.ContentLength > limit {
			auth.WriteJSONError(w, http.StatusRequestEntityTooLarge, apperr.BadUserInput,
				fmt.Sprintf("La requête dépasse la taille maximale de %d octets.", limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// withTimeout bounds the handling time of ordinary requests; websocket upgrades
// and event streams are long-lived and bounded by their own keep-alives. A
// request that runs out of time gets HTTP 503 and a JSON error
// SERVICE_UNAVAILABLE (operations over budget are refused before they run,
// so this is the server being overloaded, not the caller's mistake).
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	timed := http.TimeoutHandler(next, d, `{"errors":[{"message":"Le délai de traitement de la requête est dépassé : le service est surchargé. Réessayez dans quelques instants.","extensions":{"code":"SERVICE_UNAVAILABLE"}}]}`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isLongLived(r) || isUpload(r) {
			next.ServeHTTP(w, r)
			return
		}
		// The timeout answer is written with these headers; a handler that
		// finishes in time replaces them with its own.
		w.Header().Set("Content-Type", "application/json")
		timed.ServeHTTP(w, r)
	})
}

func isLongLived(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || graph.WantsEventStream(r)
}

// logRequests writes one structured log line per request.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			level = slog.LevelDebug
		}
		log.Log(r.Context(), level, "http request",
			"method", r.Method, "path", r.URL.Path, "status", sw.code,
			"duration_ms", time.Since(start).Milliseconds(), "remote", r.RemoteAddr)
	})
}

// isUpload reports a GraphQL multipart request (a file import). Its size and
// duration are bounded by the upload limits instead of the ordinary ones.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}
