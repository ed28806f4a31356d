package graph

import (
	"context"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/oidc"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/graph/generated"
	"github.com/siseri/siseri/policy"
)

// Config holds what the GraphQL handler needs.
type Config struct {
	Client *ent.Client
	Auth   *auth.Service
	Log    *slog.Logger
	Limits Limits
	// Audit is the access log every nominative read and every write goes to.
	Audit *audit.Log
	// Hub and Broker carry live events to subscriptions.
	Hub            *alerts.Hub
	Broker         *alerts.Broker
	AllowedOrigins []string
	// OnOperation, when set, is told the type and outcome of every operation.
	OnOperation func(opType, outcome string)
	// TxOpener opens the transaction of each mutation (store.DB.OpenTx, so
	// that imports can COPY in it); the client's own when nil.
	TxOpener entgql.TxOpener
	// Importer imports batches (submit* mutations) and records corrections.
	Importer *registry.Importer
	// OIDC is the OpenID Connect sign-in (nil: password only).
	OIDC *oidc.Service
}

func (cfg Config) txOpener() entgql.TxOpener {
	if cfg.TxOpener != nil {
		return cfg.TxOpener
	}
	return cfg.Client
}

// NewHandler returns the GraphQL endpoint: POST and GET for queries, websocket
// (graphql-transport-ws and legacy graphql-ws) and server-sent events for
// subscriptions, with the error presenter, the operation guards and the
// request transaction for mutations.
func NewHandler(cfg Config) http.Handler {
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	gcfg := generated.Config{Resolvers: &Resolver{Client: cfg.Client, Auth: cfg.Auth, Audit: cfg.Audit,
		Hub: cfg.Hub, Broker: cfg.Broker, Log: cfg.Log, Importer: cfg.Importer, OIDC: cfg.OIDC, deliveries: newDeliveryCache()}}
	es := generated.NewExecutableSchema(gcfg)
	ents := &Entitlements{Auth: policy.MustDefault(), Schema: es.Schema()}
	srv := handler.New(es)
	srv.AddTransport(transport.Websocket{
		Implementation:        newGorillaWS(cfg.AllowedOrigins),
		KeepAlivePingInterval: 10 * time.Second,
		PingPongInterval:      20 * time.Second,
		MissingPongOk:         true,
		InitFunc:              websocketInit(cfg.Auth),
	})
	srv.AddTransport(sseOnly{})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpTransport{})
	// Imported files: beyond 1 MiB a file is spooled to a temporary file and
	// read as a stream, whatever the request's Content-Length says (see
	// uploads); the HTTP layer caps the whole upload.
	srv.AddTransport(uploads{MaxUploadSize: 1 << 30, MaxMemory: 1 << 20, MaxOperationsSize: 1 << 20})
	srv.AddTransport(unsupported{}) // last: answers what no transport above takes
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// « Did you mean … » hints come from the whole schema: none are given
	// (see also withoutSuggestions for the validation rules that have no switch).
	srv.SetDisableSuggestion(true)
	srv.Use(extension.Introspection{})
	srv.Use(documentGate{limits: cfg.Limits})
	srv.Use(shapeGuard{limits: cfg.Limits})
	srv.Use(fieldGuard{e: ents})
	srv.Use(inputGuard{schema: es.Schema()})
	srv.Use(costGuard{budget: cfg.Limits.MaxComplexity, schema: es.Schema()})
	// The auditor is registered first so that it runs inside the mutation
	// transaction: a write and its audit event commit together.
	srv.Use(auditor{log: cfg.Audit, ents: ents, trace: cfg.Log, live: newLiveAudit(cfg.Audit, cfg.Log)})
	srv.Use(transactioner{open: cfg.Client, log: cfg.Log})
	srv.SetErrorPresenter(Presenter(cfg.Log))
	srv.SetRecoverFunc(Recover(cfg.Log))
	srv.AroundOperations(requireViewer(cfg.OnOperation))
	srv.AroundOperations(withExposureBatch)
	srv.AroundFields(ents.recheckField)
	srv.AroundFields(ents.filterIntrospection)
	srv.AroundFields(ents.recordRead)
	return srv
}

// requireViewer refuses every operation of an anonymous caller except the
// public ones (publicOnly: login, sign-in providers, activation): no open
// API, not even introspection; and every operation of a session waiting for
// its second factor but completing it, whatever the transport (HTTP,
// multipart upload, websocket, server-sent events). (documentGate already
// refused them before validation; this is the defence in depth.)
func requireViewer(observe func(opType, outcome string)) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		opType := "unknown"
		if oc.Operation != nil {
			opType = string(oc.Operation.Operation)
		}
		if policy.FromContext(ctx) == nil && !publicOnly(oc.Operation) {
			if observe != nil {
				observe(opType, "unauthenticated")
			}
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    errUnauthenticated.Message,
				Extensions: map[string]any{"code": string(errUnauthenticated.Code)},
			}}})
		}
		if err := refusePending(ctx, oc.Operation); err != nil {
			if observe != nil {
				observe(opType, "second_factor_required")
			}
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
		}
		if observe != nil {
			observe(opType, "accepted")
		}
		return next(ctx)
	}
}

func isLoginOnly(oc *graphql.OperationContext) bool { return loginOnly(oc.Operation) }

// websocketInit authenticates a websocket connection: the session cookie of the
// upgrade request already put a viewer in ctx; other clients send their token as
// "Authorization" (or "token") in the connection_init payload. The viewer is
// then kept current for the life of the socket (auth.Watch): a revoked grant
// stops deliveries, and a session that ends closes the socket within seconds.
func websocketInit(a *auth.Service) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		tok := p.Authorization()
		if tok == "" {
			tok = p.GetString("token")
		}
		tok = strings.TrimPrefix(tok, "Bearer ")
		if tok != "" {
			v, err := a.Authenticate(ctx, tok)
			if err != nil {
				ctx = transport.WithWebsocketCloseCode(transport.AppendCloseReason(ctx, "Forbidden"), 4403)
				return ctx, nil, err
			}
			return a.Watch(policy.NewContext(ctx, v), tok, v, LiveCheckInterval), nil, nil
		}
		v := policy.FromContext(ctx)
		if v == nil {
			ctx = transport.WithWebsocketCloseCode(transport.AppendCloseReason(ctx, "Unauthorized"), 4401)
			return ctx, nil, errUnauthenticated
		}
		return a.Watch(ctx, auth.RequestFromContext(ctx).Token, v, LiveCheckInterval), nil, nil
	}
}

// LiveCheckInterval is how often an open socket's session and grants are
// checked again.
var LiveCheckInterval = 2 * time.Second

// sseOnly is gqlgen's server-sent events transport, chosen only when the client
// asks for an event stream first: clients such as urql list text/event-stream
// among many accepted types on every POST, and those must get plain JSON.
type sseOnly struct{ transport.SSE }

// Supports reports whether r wants an event stream above all.
func (t sseOnly) Supports(r *http.Request) bool {
	return WantsEventStream(r) && t.SSE.Supports(r)
}

// WantsEventStream reports whether the first media type r accepts is
// text/event-stream.
func WantsEventStream(r *http.Request) bool {
	first, _, _ := strings.Cut(r.Header.Get("Accept"), ",")
	mt, _, err := mime.ParseMediaType(strings.TrimSpace(first))
	return err == nil && mt == "text/event-stream"
}
