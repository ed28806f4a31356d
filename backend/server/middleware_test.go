package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestTimeoutAnswersJSON ensures a request that runs out of time gets a JSON
// error SERVICE_UNAVAILABLE with HTTP 503, and one that finishes in time keeps
// its own Content-Type.
func TestTimeoutAnswersJSON(t *testing.T) {
	slow := withTimeout(20*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // until the timeout cancels it
	}))
	rec := httptest.NewRecorder()
	slow.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader("{}")))
	var body struct {
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	if rec.Code != http.StatusServiceUnavailable || body.Errors[0].Extensions.Code != "SERVICE_UNAVAILABLE" ||
		rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("timeout: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}

	fast := withTimeout(time.Minute, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/graphql-response+json")
		_, _ = w.Write([]byte(`{"data":{}}`))
	}))
	rec = httptest.NewRecorder()
	fast.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader("{}")))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/graphql-response+json" {
		t.Errorf("in time: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}
