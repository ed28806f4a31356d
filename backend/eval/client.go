package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/siseri/siseri/backend/server"
)

// client is one signed-in person of the replay, speaking to the server as
// the single-page application does: GraphQL over HTTP with the session
// cookie, the page's own Origin, and the preflight header on uploads.
type client struct {
	base string
	http *http.Client
	// email and password sign the client in again when its session ends
	// (idle timeout, maximum age) during a long replay, as a person would.
	email, password string
	// totpSecret is the authenticator secret the client enrolled when its
	// account has a privileged role (a laboratory): such password sessions
	// give a second factor, as a person does with an app; lastStep is the
	// last 30-second step whose code it gave (a code serves once).
	totpSecret string
	lastStep   int64
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

func (e gqlError) code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// gqlErrors are the errors of a response.
type gqlErrors []gqlError

func (es gqlErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = fmt.Sprintf("%s (%s)", e.Message, e.code())
	}
	return strings.Join(msgs, " ; ")
}

// unauthenticated reports whether err says the session is over.
func unauthenticated(err error) bool {
	var es gqlErrors
	return errors.As(err, &es) && len(es) > 0 && es[0].code() == "UNAUTHENTICATED"
}

// post sends one request to /graphql and decodes its data into out; when
// the session has ended it signs in again and sends the request once more.
func (c *client) post(ctx context.Context, contentType string, body []byte, preflight bool, out any) error {
	err := c.send(ctx, contentType, body, preflight, out)
	if unauthenticated(err) && c.password != "" {
		if err := c.login(ctx, c.email, c.password); err != nil {
			return err
		}
		err = c.send(ctx, contentType, body, preflight, out)
	}
	return err
}

func (c *client) send(ctx context.Context, contentType string, body []byte, preflight bool, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/graphql", bytes.NewReader(body))
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
		Errors gqlErrors       `json:"errors"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("réponse HTTP %d illisible : %.200s", res.StatusCode, raw)
	}
	if len(doc.Errors) > 0 {
		return doc.Errors
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
	return c.post(ctx, "application/json", body, false, out)
}

// login signs in through the login mutation; the session cookie the
// server sets is kept in the jar (the token of the payload is not used).
func (c *client) login(ctx context.Context, email, password string) error {
	err := c.send(ctx, "application/json", mustJSON(map[string]any{"query": loginMutation,
		"variables": map[string]any{"in": map[string]any{"email": email, "password": password}}}), false, nil)
	if err != nil {
		return fmt.Errorf("connexion de %s : %w", email, err)
	}
	c.email, c.password = email, password
	if err := c.secondFactor(ctx); err != nil {
		return fmt.Errorf("vérification en deux étapes de %s : %w", email, err)
	}
	return nil
}

// secondFactor completes the second factor of a session that waits for it:
// enrols an authenticator secret on the first sign-in, then gives its codes.
func (c *client) secondFactor(ctx context.Context) error {
	query := func(q string, vars map[string]any, out any) error {
		return c.send(ctx, "application/json", mustJSON(map[string]any{"query": q, "variables": vars}), false, out)
	}
	var me struct {
		Me struct{ SecondFactor *string } `json:"me"`
	}
	if err := query(`{ me { secondFactor } }`, nil, &me); err != nil || me.Me.SecondFactor == nil {
		return err
	}
	if *me.Me.SecondFactor == "ENROLMENT_REQUIRED" {
		var begun struct {
			BeginTotpEnrolment struct{ Secret string } `json:"beginTotpEnrolment"`
		}
		if err := query(`mutation { beginTotpEnrolment { secret } }`, nil, &begun); err != nil {
			return err
		}
		c.totpSecret = begun.BeginTotpEnrolment.Secret
		code, err := c.totpCode()
		if err != nil {
			return err
		}
		return query(`mutation($c: String!) { confirmTotpEnrolment(code: $c) }`, map[string]any{"c": code}, nil)
	}
	code, err := c.totpCode()
	if err != nil {
		return err
	}
	return query(`mutation($c: String!) { verifySecondFactor(code: $c) { secondFactor } }`, map[string]any{"c": code}, nil)
}

// totpCode is a code of the client's secret for a step not used yet: now's,
// or the next one's (the server accepts one step of skew).
func (c *client) totpCode() (string, error) {
	if c.totpSecret == "" {
		return "", errors.New("aucun secret d'authentification enregistré par ce client")
	}
	step := max(time.Now().Unix()/30, c.lastStep+1)
	c.lastStep = step
	return totp.GenerateCode(c.totpSecret, time.Unix(step*30, 0))
}

const loginMutation = `mutation Login($in: LoginInput!) { login(input: $in) { expiresAt } }`

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
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
	return c.post(ctx, mw.FormDataContentType(), b.Bytes(), true, out)
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
