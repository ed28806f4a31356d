package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/server"
)

// client is one signed-in person of the replay, speaking to the server as
// the single-page application does: GraphQL over HTTP with the session
// cookie, the page's own Origin, and the preflight header on uploads.
type client struct {
	base string
	http *http.Client
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	// No overall timeout: a large batch is checked and detected while the
	// request is open; ctx bounds each call.
	return &client{base: base, http: &http.Client{Jar: jar}}
}

// gqlError is one GraphQL error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) String() string {
	code, _ := e.Extensions["code"].(string)
	return fmt.Sprintf("%s (%s)", e.Message, code)
}

// post sends one request to /graphql and decodes its data into out.
func (c *client) post(ctx context.Context, contentType string, body io.Reader, preflight bool, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/graphql", body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", c.base)
	if preflight {
		req.Header.Set(server.PreflightHeader, "1")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var doc struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("réponse HTTP %d illisible : %.200s", res.StatusCode, raw)
	}
	if len(doc.Errors) > 0 {
		msgs := make([]string, len(doc.Errors))
		for i, e := range doc.Errors {
			msgs[i] = e.String()
		}
		return fmt.Errorf("%s", strings.Join(msgs, " ; "))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(doc.Data, out)
}

// do runs a GraphQL operation.
func (c *client) do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	return c.post(ctx, "application/json", bytes.NewReader(body), false, out)
}

// login signs in through the login mutation; the session cookie the
// server sets is kept in the jar (the token of the payload is not used).
func (c *client) login(ctx context.Context, email, password string) error {
	err := c.do(ctx, `mutation Login($in: LoginInput!) { login(input: $in) { expiresAt } }`,
		map[string]any{"in": map[string]any{"email": email, "password": password}}, nil)
	if err != nil {
		return fmt.Errorf("connexion de %s : %w", email, err)
	}
	return nil
}

// upload runs a mutation whose variable input.file is the file body, by
// GraphQL multipart upload.
func (c *client) upload(ctx context.Context, query string, input map[string]any, filename string, file []byte, out any) error {
	in := map[string]any{"file": nil}
	for k, v := range input {
		in[k] = v
	}
	ops, err := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"in": in}})
	if err != nil {
		return err
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.in.file"]}`)
	fw, err := mw.CreateFormFile("0", filename)
	if err != nil {
		return err
	}
	if _, err := fw.Write(file); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	return c.post(ctx, mw.FormDataContentType(), &b, true, out)
}

// gid is a GraphQL ID (gqlgen IntID: a string of digits, or a number).
type gid int

func (g *gid) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("identifiant %s : %w", b, err)
	}
	*g = gid(n)
	return nil
}

// day is a GraphQL Date (YYYY-MM-DD); null stays the zero time.
type day struct{ time.Time }

func (d *day) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

// pageInfo is a Relay connection's page info.
type pageInfo struct {
	HasNextPage bool    `json:"hasNextPage"`
	EndCursor   *string `json:"endCursor"`
}
