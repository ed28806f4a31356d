package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

// TestHostileCodes ensures malformed requests and values are the caller's
// mistake (BAD_USER_INPUT with the path, field and value, a French message),
// never INTERNAL.
func TestHostileCodes(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)

	for _, tc := range []struct {
		name       string
		body       string
		wantStatus int
		wantField  string
		wantValue  any
		wantPath   string
	}{
		{"BatchedArray", `[{"query":"{ me { roles } }"},{"query":"{ me { roles } }"}]`, 400, "body", nil, ""},
		{"NotJSON", `{"query": "{ me `, 400, "body", nil, ""},
		{"QueryNotString", `{"query": {"a": 1}}`, 400, "query", nil, ""},
		{"BadCursor", `{"query":"{ workers(first: 2, after: \"abc\") { totalCount } }"}`, 200, "after", "abc", "workers.after"},
		{"NodeID", `{"query":"{ node(id: \"abc\") { id } }"}`, 200, "id", "abc", "node.id"},
		{"NodesID", `{"query":"query($ids: [ID!]!) { nodes(ids: $ids) { id } }","variables":{"ids":["1","x2"]}}`, 200, "ids.1", "x2", "nodes.ids.1"},
		{"DateTimeVariable", `{"query":"query($t: Time) { workers(first: 1, where: {createdAtGT: $t}) { totalCount } }","variables":{"t":"hier"}}`, 200, "where.createdAtGT", "hier", "workers.where.createdAtGT"},
		{"NulInQuery", "{\"query\":\"{ me { roles } }\\u0000\"}", 200, "query", nil, ""},
		{"NulInLiteral", `{"query":"{ workers(first: 1, where: {lastName: \"a\\u0000b\"}) { totalCount } }"}`, 200, "where.lastName", "a\x00b", "workers.where.lastName"},
		{"FilterList", `{"query":"query($ids: [ID!]) { workers(first: 1, where: {idIn: $ids}) { totalCount } }","variables":{"ids":` + idList(70_000) + `}}`, 200, "where.idIn", nil, "workers.where.idIn"},
		{"NulInVariable", `{"query":"query($n: String) { workers(first: 1, where: {lastName: $n}) { totalCount } }","variables":{"n":"a\u0000b"}}`, 200, "where.lastName", "a\x00b", "workers.where.lastName"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			a := send(t, srv, nil, []byte(tc.body), bearer(admin))
			if a.Status != tc.wantStatus || a.code() != "BAD_USER_INPUT" || a.HasData {
				t.Fatalf("status %d code %q data %v, want %d BAD_USER_INPUT and no data: %s", a.Status, a.code(), a.HasData, tc.wantStatus, a.Body)
			}
			e := a.Errors[0]
			if e.Extensions["field"] != tc.wantField {
				t.Errorf("extensions.field = %v, want %q", e.Extensions["field"], tc.wantField)
			}
			if tc.wantValue != nil && e.Extensions["value"] != tc.wantValue {
				t.Errorf("extensions.value = %q, want %q", e.Extensions["value"], tc.wantValue)
			}
			if got := joinPath(e.Path); got != tc.wantPath {
				t.Errorf("path = %q, want %q", got, tc.wantPath)
			}
			if !looksFrench(e.Message) {
				t.Errorf("message %q is not a French sentence", e.Message)
			}
		})
	}
}

// TestHostileMultipart ensures a malformed upload is refused in French with
// BAD_USER_INPUT, not gqlgen's English message without a code.
func TestHostileMultipart(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)
	for _, tc := range []struct{ name, operations, mapping string }{
		{"Operations", `{"query": `, `{}`},
		{"Map", `{"query":"mutation { logout }"}`, `[`},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			_ = mw.WriteField("operations", tc.operations)
			_ = mw.WriteField("map", tc.mapping)
			_ = mw.Close()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+admin.Token)
			req.Header.Set(server.PreflightHeader, "1")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, res)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(got, `"code":"BAD_USER_INPUT"`) || !strings.Contains(got, "est illisible") {
				t.Errorf("%d %s, want 400 BAD_USER_INPUT in French", res.StatusCode, got)
			}
		})
	}
}

func idList(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = strconv.Quote(strconv.Itoa(i + 1))
	}
	return "[" + strings.Join(ids, ",") + "]"
}

func joinPath(p []any) string {
	parts := make([]string, len(p))
	for i, e := range p {
		switch v := e.(type) {
		case float64:
			parts[i] = strconv.Itoa(int(v))
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, ".")
}

// looksFrench is a cheap check that a message is one of ours: French words
// and no Go error text.
func looksFrench(msg string) bool {
	lower := strings.ToLower(msg)
	for _, w := range []string{" la ", " le ", " les ", " de ", " une ", " un ", " du ", " des ", "requête"} {
		if strings.Contains(" "+lower, w) {
			return !strings.Contains(lower, "cannot ") && !strings.Contains(lower, "invalid syntax")
		}
	}
	return false
}

// TestHostileDatabaseOutage ensures that while the database cannot be
// reached every request gets a JSON error with the code SERVICE_UNAVAILABLE
// and HTTP 503, whether the session lookup or a resolver meets the outage.
func TestHostileDatabaseOutage(t *testing.T) {
	proxy, dsn := storetest.MustProxy(t, storetest.MustCreateDatabase(t))
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	browser := srv.NewClient(t)
	browser.MustLogin("admin@test.fr", servertest.Password)
	token := browser.Token
	browser.Token = "" // the cookie only
	browser.MustDo(`{ me { roles } }`, nil, nil)

	proxy.Cut()

	for _, tc := range []struct {
		name    string
		c       *servertest.Client
		headers map[string]string
		query   string
	}{
		{"Cookie", browser, nil, `{ me { roles } }`},
		{"Bearer", nil, map[string]string{"Authorization": "Bearer " + token}, `{ me { roles } }`},
		{"AnonymousLogin", nil, nil, `mutation { login(input: {email: "admin@test.fr", password: "x"}) { token } }`},
		{"GraphQLResponseJSON", browser, map[string]string{"Accept": "application/graphql-response+json"}, `{ me { roles } }`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := send(t, srv, tc.c, operation(tc.query, nil), tc.headers)
			if a.Status != http.StatusServiceUnavailable || a.code() != "SERVICE_UNAVAILABLE" {
				t.Fatalf("status %d code %q, want 503 SERVICE_UNAVAILABLE: %s", a.Status, a.code(), truncate(a.Body, 300))
			}
			if !strings.HasPrefix(a.Header.Get("Content-Type"), "application/") || !looksFrench(a.Errors[0].Message) {
				t.Errorf("Content-Type %q, message %q", a.Header.Get("Content-Type"), a.Errors[0].Message)
			}
		})
	}
}

// TestHostileHTTPStatus ensures the statuses of the GraphQL over HTTP audit
// (graphql-http): with application/json, a document that does not parse or
// validate and a variable that does not coerce answer 200 with errors; with
// application/graphql-response+json they answer 400 without a data entry; a
// body that is not a GraphQL request answers 400 either way.
func TestHostileHTTPStatus(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)
	const (
		appJSON = "application/json"
		gqlJSON = "application/graphql-response+json"
	)
	for _, tc := range []struct {
		name, accept, body string
		wantStatus         int
	}{
		{"ParseJSON", appJSON, `{"query":"{"}`, 200},
		{"ValidationJSON", appJSON, `{"query":"{ f8f31403dfe404bccbb0e835f2629c6a7 }"}`, 200},
		{"CoercionJSON", appJSON, `{"query":"query CoerceFailure($id: ID!){ __typename }","variables":{"id":null}}`, 200},
		{"ParseGraphQLResponse", gqlJSON, `{"query":"{"}`, 400},
		{"ValidationGraphQLResponse", gqlJSON, `{"query":"{ f8f31403dfe404bccbb0e835f2629c6a7 }"}`, 400},
		{"CoercionGraphQLResponse", gqlJSON, `{"query":"query CoerceFailure($id: ID!){ __typename }","variables":{"id":null}}`, 400},
		{"InvalidParamsGraphQLResponse", gqlJSON, `{"qeury":"{ __typename }"}`, 400},
		{"JSONParseGraphQLResponse", gqlJSON, `{ "not a JSON`, 400},
		{"JSONParseNoAccept", "", `{ "not a JSON`, 400},
		{"QueryNumberNoAccept", "", `{"query": 0}`, 400},
		{"VariablesStringNoAccept", "", `{"query":"{ __typename }","variables":"x"}`, 400},
		{"ExtensionsArrayJSON", appJSON, `{"query":"{ __typename }","extensions":["x"]}`, 400},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			h := bearer(admin)
			if tc.accept != "" {
				h["Accept"] = tc.accept
			}
			a := send(t, srv, nil, []byte(tc.body), h)
			if a.Status != tc.wantStatus || len(a.Errors) == 0 || a.HasData {
				t.Fatalf("status %d, %d errors, data entry %v; want %d, errors and no data: %s", a.Status, len(a.Errors), a.HasData, tc.wantStatus, a.Body)
			}
			if a.code() != "BAD_USER_INPUT" {
				t.Errorf("code %q, want BAD_USER_INPUT", a.code())
			}
			want := appJSON
			if tc.accept == gqlJSON {
				want = gqlJSON
			}
			if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
				t.Errorf("Content-Type %q, want %s", ct, want)
			}
		})
	}
	t.Run("ErrOtherRequests", func(t *testing.T) {
		for _, tc := range []struct {
			method, path, contentType string
			wantStatus                int
		}{
			{http.MethodGet, "/graphql?query=" + url.QueryEscape("mutation { logout }"), "", http.StatusMethodNotAllowed},
			{http.MethodGet, "/graphql?query=" + url.QueryEscape("{ __typename"), "", http.StatusOK},
			{http.MethodGet, "/graphql?query=" + url.QueryEscape("{ __typename }") + "&variables=%5B1", "", http.StatusBadRequest},
			{http.MethodGet, "/graphql", "", http.StatusBadRequest},
			{http.MethodPost, "/graphql", "text/xml", http.StatusUnsupportedMediaType},
			{http.MethodPost, "/graphql", "", http.StatusUnsupportedMediaType},
			{http.MethodPut, "/graphql", "application/json", http.StatusMethodNotAllowed},
		} {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(`{"query":"{ __typename }"}`))
			req.Header.Set("Authorization", "Bearer "+admin.Token)
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(t, res)
			if res.StatusCode != tc.wantStatus || !strings.Contains(body, `"code":"BAD_USER_INPUT"`) || strings.Contains(body, `"data"`) {
				t.Errorf("%s %s (%s): %d %s, want %d BAD_USER_INPUT without data", tc.method, tc.path, tc.contentType, res.StatusCode, body, tc.wantStatus)
			}
		}
		// The logout sent with GET did not run.
		admin.MustDo(`{ me { roles } }`, nil, nil)
	})
	for _, accept := range []string{"", appJSON, gqlJSON, "*/*", gqlJSON + ", " + appJSON} {
		h := bearer(admin)
		h["Accept"] = accept
		if a := send(t, srv, nil, []byte(`{"query":"{ __typename }","variables":null,"operationName":null,"extensions":null}`), h); a.Status != 200 || len(a.Errors) > 0 || !a.HasData {
			t.Errorf("Accept %q: status %d errors %+v", accept, a.Status, a.Errors)
		}
	}
}
