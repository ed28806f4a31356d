package eval

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/server"
)

// TestClient: the replay's client speaks as the web application does (the
// session cookie, its own Origin, the preflight header on uploads) and signs
// in again when its session has ended.
func TestClient(t *testing.T) {
	var logins, expired int
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Origin") != srv.URL || r.Header.Get("Authorization") != "" {
			t.Errorf("Origin %q, Authorization %q: want the page's origin and the cookie only", r.Header.Get("Origin"), r.Header.Get("Authorization"))
		}
		switch {
		case strings.Contains(string(body), "login("):
			logins++
			http.SetCookie(w, &http.Cookie{Name: "siseri_session", Value: "s" + string(rune('0'+logins)), Path: "/"})
			_, _ = io.WriteString(w, `{"data":{"login":{"expiresAt":"2030-01-01T00:00:00Z"}}}`)
		case strings.Contains(string(body), "secondFactor"):
			// An account that gives no second factor (an employer's).
			_, _ = io.WriteString(w, `{"data":{"me":{"secondFactor":null}}}`)
		case logins == 1 && expired == 0:
			expired++
			_, _ = io.WriteString(w, `{"errors":[{"message":"Session expirée.","extensions":{"code":"UNAUTHENTICATED"}}]}`)
		default:
			if c, err := r.Cookie("siseri_session"); err != nil || c.Value != "s2" {
				t.Errorf("cookie %v, %v: want the second session", c, err)
			}
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") && r.Header.Get(server.PreflightHeader) == "" {
				t.Errorf("upload without %s", server.PreflightHeader)
			}
			_, _ = io.WriteString(w, `{"data":{"ok":true}}`)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	c := newClient(srv.URL)
	if err := c.login(ctx, "a@eval.siseri.fr", "secret"); err != nil {
		t.Fatal(err)
	}
	var out struct{ OK bool }
	if err := c.do(ctx, `{ ok }`, nil, &out); err != nil || !out.OK {
		t.Fatalf("do after the session ended: %v %+v, want a new sign-in and the answer", err, out)
	}
	if err := c.upload(ctx, `mutation($in: X!) { ok }`, map[string]any{"format": "LAB_RESULTS"}, "f.csv", []byte("a;b\n"), &out); err != nil {
		t.Fatal(err)
	}
	if logins != 2 || expired != 1 {
		t.Errorf("%d sign-ins, %d expired answers; want 2 and 1", logins, expired)
	}
}
