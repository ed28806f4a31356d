package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
)

// Media types of GraphQL over HTTP responses.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport serves GET requests and POST requests with an application/json
// body, in place of gqlgen's GET and POST transports: it answers the status
// codes of the GraphQL over HTTP specification and French, coded errors for
// requests that are not well formed.
//
//   - A request that is not a GraphQL request (a body that is not JSON, a
//     batch array, a query that is not a string, variables that are not an
//     object…): HTTP 400, whatever the client accepts.
//   - A request error (the document does not parse or validate, a variable
//     does not coerce, an operation guard refuses it): HTTP 200 for clients
//     that accept application/json (the response may come from an
//     intermediary otherwise), 400 (401, 403, 429 by code) with
//     application/graphql-response+json. The response has no data entry: the
//     operation did not start.
//   - A mutation sent with GET: HTTP 405 (GET must change nothing).
//   - The database is unreachable: HTTP 503 with SERVICE_UNAVAILABLE.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

func (httpTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	switch r.Method {
	case http.MethodGet:
		return true
	case http.MethodPost:
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		return err == nil && mt == mediaJSON
	}
	return false
}

func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media := responseMedia(r)
	w.Header().Set("Content-Type", media)
	start := graphql.Now()
	params, perr := readParams(r)
	if perr != nil {
		status := perr.status
		if perr.document && media == mediaJSON {
			status = http.StatusOK
		}
		writeRequestError(w, status, perr.err)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		status := requestErrorStatus(opErr, media)
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr)
		resp.Data = nil // the operation did not start: no data entry
		writeResponse(w, status, resp)
		return
	}
	if r.Method == http.MethodGet && rc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		writeRequestError(w, http.StatusMethodNotAllowed, badRequest("query", nil,
			"Une mutation ou un abonnement ne s'envoie pas en GET : utilisez POST."))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	status := http.StatusOK
	if hasCode(resp.Errors, apperr.ServiceUnavailable) {
		status = http.StatusServiceUnavailable
	}
	writeResponse(w, status, resp)
}

// readParams reads the GraphQL request of r: the URL parameters of a GET,
// the JSON body of a POST.
func readParams(r *http.Request) (*graphql.RawParams, *paramsError) {
	if r.Method == http.MethodGet {
		return urlParams(r.URL.Query())
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &paramsError{status: http.StatusRequestEntityTooLarge, err: badRequest("body", nil,
				"La requête dépasse la taille maximale de %d octets.", tooBig.Limit)}
		}
		return nil, &paramsError{status: http.StatusBadRequest, err: badRequest("body", nil, "Le corps de la requête n'a pas pu être lu.")}
	}
	return decodeParams(body)
}

// urlParams reads a GET request: query, operationName, and variables and
// extensions as JSON objects.
func urlParams(q url.Values) (*graphql.RawParams, *paramsError) {
	fields := map[string]json.RawMessage{}
	if q.Has("query") {
		fields["query"], _ = json.Marshal(q.Get("query"))
	}
	if q.Has("operationName") {
		fields["operationName"], _ = json.Marshal(q.Get("operationName"))
	}
	for _, name := range []string{"variables", "extensions"} {
		if v := q.Get(name); v != "" {
			if !json.Valid([]byte(v)) {
				return nil, malformed(badRequest(name, v, "Le paramètre « %s » doit être un objet JSON.", name))
			}
			fields[name] = json.RawMessage(v)
		}
	}
	return paramsOf(fields)
}

// unsupported answers the requests no other transport takes: a POST body of
// another type (415), another method (405).
type unsupported struct{}

var _ graphql.Transport = unsupported{}

func (unsupported) Supports(*http.Request) bool { return true }

func (unsupported) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	w.Header().Set("Content-Type", mediaJSON)
	if r.Method == http.MethodPost {
		writeRequestError(w, http.StatusUnsupportedMediaType, badRequest("Content-Type", r.Header.Get("Content-Type"),
			"Type de contenu non pris en charge : envoyez la requête en JSON (Content-Type: application/json) "+
				"ou un fichier en multipart/form-data."))
		return
	}
	w.Header().Set("Allow", "GET, POST, OPTIONS")
	writeRequestError(w, http.StatusMethodNotAllowed, badRequest("method", r.Method,
		"La méthode %s n'est pas acceptée : utilisez POST (ou GET pour une lecture).", r.Method))
}

// responseMedia picks the response media type from the Accept header as
// gqlgen does: the first of application/json (also for */* and
// application/*) and application/graphql-response+json the client lists;
// application/json when it sends no Accept header.
func responseMedia(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// requestErrorStatus is the status of a request refused before execution.
func requestErrorStatus(errs gqlerror.List, media string) int {
	switch {
	case hasCode(errs, apperr.ServiceUnavailable):
		return http.StatusServiceUnavailable
	case media == mediaJSON:
		return http.StatusOK
	case hasCode(errs, apperr.Unauthenticated):
		return http.StatusUnauthorized
	case hasCode(errs, apperr.Forbidden), hasCode(errs, apperr.ForbiddenField):
		return http.StatusForbidden
	case hasCode(errs, apperr.TooManyRequests):
		return http.StatusTooManyRequests
	}
	return http.StatusBadRequest
}

func hasCode(errs gqlerror.List, code apperr.Code) bool {
	for _, e := range errs {
		if c, _ := e.Extensions["code"].(string); c == string(code) {
			return true
		}
	}
	return false
}

// paramsError is a request that is not a GraphQL request (HTTP status), or
// whose document cannot be read (document).
type paramsError struct {
	err      *gqlerror.Error
	status   int
	document bool
}

func malformed(err *gqlerror.Error) *paramsError {
	return &paramsError{err: err, status: http.StatusBadRequest}
}

// decodeParams reads a GraphQL request body: one JSON object with a string
// query and optional operationName (string), variables and extensions
// (objects).
func decodeParams(body []byte) (*graphql.RawParams, *paramsError) {
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return nil, malformed(badRequest("body", nil,
			`Le corps de la requête est vide : envoyez un objet JSON {"query": "…", "variables": {…}}.`))
	case trimmed[0] == '[':
		return nil, malformed(badRequest("body", nil,
			"Les requêtes groupées (un tableau JSON d'opérations) ne sont pas acceptées : envoyez une opération par requête."))
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, malformed(badRequest("body", nil,
				"Le corps de la requête n'est pas un JSON valide (erreur à l'octet %d).", syntax.Offset))
		}
		return nil, malformed(badRequest("body", nil,
			`Le corps de la requête doit être un objet JSON {"query": "…", "variables": {…}}.`))
	}
	return paramsOf(fields)
}

// paramsOf checks the parameters of a GraphQL request.
func paramsOf(fields map[string]json.RawMessage) (*graphql.RawParams, *paramsError) {
	p := &graphql.RawParams{}
	query, ok := fields["query"]
	if !ok || isNull(query) {
		return nil, malformed(badRequest("query", nil,
			"Le paramètre « query » est absent : la requête doit contenir le document GraphQL."))
	}
	if err := json.Unmarshal(query, &p.Query); err != nil {
		return nil, malformed(badRequest("query", string(query), "Le paramètre « query » doit être une chaîne."))
	}
	if i := strings.IndexByte(p.Query, 0); i >= 0 {
		err := badRequest("query", nil, "La requête contient un caractère nul (U+0000) à la position %d, qui n'est pas accepté.", i)
		err.Extensions["offset"] = i
		return nil, &paramsError{document: true, status: http.StatusBadRequest, err: err}
	}
	if v, ok := fields["operationName"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &p.OperationName); err != nil {
			return nil, malformed(badRequest("operationName", string(v), "Le paramètre « operationName » doit être une chaîne."))
		}
	}
	for _, name := range []string{"variables", "extensions"} {
		v, ok := fields[name]
		if !ok || isNull(v) {
			continue
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return nil, malformed(badRequest(name, string(v), "Le paramètre « %s » doit être un objet JSON.", name))
		}
		if name == "variables" {
			p.Variables = m
		} else {
			p.Extensions = m
		}
	}
	return p, nil
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

func badRequest(field string, value any, format string, args ...any) *gqlerror.Error {
	ext := map[string]any{"code": string(apperr.BadUserInput), "field": field}
	if value != nil {
		ext["value"] = value
	}
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: ext}
}

func writeRequestError(w http.ResponseWriter, status int, err *gqlerror.Error) {
	writeResponse(w, status, &graphql.Response{Errors: gqlerror.List{err}})
}

// wireResponse is graphql.Response with the data entry left out when there is
// none (gqlgen writes "data": null).
type wireResponse struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func writeResponse(w http.ResponseWriter, status int, resp *graphql.Response) {
	b, err := json.Marshal(wireResponse{Errors: resp.Errors, Data: resp.Data, Extensions: resp.Extensions})
	if err != nil {
		b = []byte(`{"errors":[{"message":"Erreur interne. L'incident a été enregistré.","extensions":{"code":"INTERNAL"}}]}`)
		status = http.StatusInternalServerError
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "30")
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
