// Package server wires SISERI's HTTP surface: /graphql, /healthz, /readyz,
// /metrics and the single-page app, with body limits, timeouts, security
// headers, structured logs and graceful shutdown.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/certificate"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/notify"
	"github.com/siseri/siseri/backend/oidc"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/graph"
	"github.com/siseri/siseri/policy"
)

// Config is the server's configuration.
type Config struct {
	// Addr is the listen address, e.g. ":8080".
	Addr string
	// StaticDir holds the built SPA (index.html and assets); empty or missing
	// serves the embedded minimal page.
	StaticDir string
	// PublicURL is the address people reach the server at (scheme, host,
	// optional path prefix): activation links, OpenID Connect callbacks and
	// the links of e-mails are built on it.
	PublicURL string
	// SecureCookies marks the session cookie Secure (behind HTTPS).
	SecureCookies bool
	// AllowedOrigins may call the API with the session cookie (HTTP and
	// websockets) besides the server's own origin, e.g. a development server.
	AllowedOrigins []string
	// MaxBodyBytes caps request bodies.
	MaxBodyBytes int64
	// MaxUploadBytes caps multipart uploads (imported files); they are
	// streamed to a temporary file beyond 1 MiB (graph.uploads).
	MaxUploadBytes int64
	// MissingCheckEvery is how often the instance looks for expected results
	// that have not arrived (0: never).
	MissingCheckEvery time.Duration
	// AuditSealEvery is how often the instance chains the audit events
	// appended since (0: never; another instance or `siseri audit seal` does).
	AuditSealEvery time.Duration
	// RequestTimeout bounds ordinary requests.
	RequestTimeout time.Duration
	// Limits bound GraphQL operations.
	Limits graph.Limits
	// SecretKey seals second-factor secrets at rest (AES-256-GCM, 32 bytes:
	// auth.ParseSecretKey); without it they are stored in clear.
	SecretKey []byte
	// OIDC lists the OpenID Connect providers people may sign in with
	// (SISERI_OIDC_CONFIG); nil offers the password sign-in only.
	OIDC *oidc.FileConfig
	// SMTP is the outgoing mail server of the notifications; nil keeps them
	// waiting in the outbox.
	SMTP *notify.SMTP
	// OutboxEvery is how often the instance looks for e-mails to send.
	OutboxEvery time.Duration
	// CertificateKeys sign the dose-history certificates and publish the
	// keys that verify them (SISERI_CERT_KEY…); nil generates a key for the
	// life of the process (demonstrations and tests).
	CertificateKeys *certificate.Keyring
	// DemoTick is how often, in demo mode only, the demo laboratory sends a
	// batch of new results (seed.Ticker; 0: never).
	DemoTick time.Duration
}

// DefaultConfig returns the production defaults.
func DefaultConfig() Config {
	return Config{
		Addr: ":8080", StaticDir: "frontend/dist", PublicURL: auth.DefaultPublicURL,
		MaxBodyBytes: 1 << 20, MaxUploadBytes: 1 << 30, RequestTimeout: 30 * time.Second, MissingCheckEvery: 6 * time.Hour, AuditSealEvery: time.Second, Limits: graph.DefaultLimits,
		OutboxEvery: 5 * time.Second,
	}
}

// Server serves SISERI over HTTP.
type Server struct {
	hub      *alerts.Hub
	broker   *alerts.Broker
	cfg      Config
	db       *store.DB
	auth     *auth.Service
	log      *slog.Logger
	metrics  *Metrics
	handler  http.Handler
	importer *registry.Importer
	oidc     *oidc.Service
}

// New builds the server and its routes.
func New(cfg Config, db *store.DB, log *slog.Logger) *Server {
	hub := alerts.NewHub(256)
	s := &Server{cfg: cfg, db: db, auth: auth.NewService(db.Client), log: log, metrics: NewMetrics(),
		hub: hub, broker: alerts.NewBroker(hub, db.Dialect)}
	s.auth.SecretKey = cfg.SecretKey
	if cfg.PublicURL != "" {
		s.auth.PublicURL = cfg.PublicURL
	}
	s.importer = registry.NewImporter(db, s.broker)
	s.oidc = oidc.New(cfg.OIDC, oidc.Options{Auth: s.auth, DB: db, Audit: &audit.Log{Client: db.Client, Dialect: db.Dialect},
		PublicURL: cfg.PublicURL, SecureCookies: cfg.SecureCookies, Log: log})
	s.metrics.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "siseri_password_checks_total",
		Help: "Password hashes computed by sign-in attempts: one per attempt the limiters let through, whether the account exists or not.",
	}, func() float64 { return float64(s.auth.PasswordChecks()) }))
	if cfg.CertificateKeys == nil {
		s.cfg.CertificateKeys = certificate.Generate()
		log.Warn("SISERI_CERT_KEY is not set: certificates are signed with a key generated for this process and will not verify after a restart",
			"key_id", s.cfg.CertificateKeys.CurrentID())
	}
	s.handler = s.routes()
	return s
}

// Handler returns the root HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Broker returns the broker that announces live events.
func (s *Server) Broker() *alerts.Broker { return s.broker }

// Importer returns the importer of the server (shared by the GraphQL
// mutations): detection on, exposure kept current, news through the broker.
func (s *Server) Importer() *registry.Importer {
	return s.importer
}

// Sender returns the instance's sender of e-mail notifications, on the pool's
// own driver like the other background work.
func (s *Server) Sender() *notify.Sender {
	return &notify.Sender{Client: ent.NewClient(ent.Driver(s.db.Driver)), Postgres: s.db.IsPostgres(),
		SMTP: s.cfg.SMTP, PublicURL: s.cfg.PublicURL, Log: s.log, Every: s.cfg.OutboxEvery}
}

// Hub returns this instance's event hub.
func (s *Server) Hub() *alerts.Hub { return s.hub }

// OIDC returns the OpenID Connect sign-in service.
func (s *Server) OIDC() *oidc.Service { return s.oidc }

// Auth returns the authentication service.
func (s *Server) Auth() *auth.Service { return s.auth }

func (s *Server) routes() http.Handler {
	gql := graph.NewHandler(graph.Config{
		Client: s.db.Client, Auth: s.auth, Log: s.log, Limits: s.cfg.Limits,
		Audit: &audit.Log{Client: s.db.Client, Dialect: s.db.Dialect},
		Hub:   s.hub, Broker: s.broker,
		TxOpener: s.db, Importer: s.Importer(),
		AllowedOrigins: s.cfg.AllowedOrigins, OIDC: s.oidc,
		OnOperation: func(opType, outcome string) {
			s.metrics.Operations.WithLabelValues(opType, outcome).Inc()
		},
	})
	mux := http.NewServeMux()
	authn := s.auth.Middleware(s.cfg.SecureCookies, s.log)
	mux.Handle("/graphql", s.metrics.Instrument("graphql", csrfGuard(s.cfg.AllowedOrigins,
		withTimeout(s.cfg.RequestTimeout, limitBody(s.cfg.MaxBodyBytes, s.cfg.MaxUploadBytes, authn(gql))))))
	oidcMux := http.NewServeMux()
	s.oidc.Routes(oidcMux)
	signIn := s.metrics.Instrument("oidc", withTimeout(s.cfg.RequestTimeout, limitBody(s.cfg.MaxBodyBytes, s.cfg.MaxBodyBytes, authn(oidcMux))))
	mux.Handle("/auth/", signIn)
	certs := &certificate.Service{Client: s.db.Client, Audit: &audit.Log{Client: s.db.Client, Dialect: s.db.Dialect},
		Keys: s.cfg.CertificateKeys, PublicURL: s.cfg.PublicURL, Log: s.log}
	certMux := http.NewServeMux()
	certs.Routes(certMux, authn)
	certHandler := s.metrics.Instrument("certificate", csrfGuard(s.cfg.AllowedOrigins, withTimeout(s.cfg.RequestTimeout, certMux)))
	mux.Handle(certificate.DownloadPath, certHandler)
	mux.Handle(certificate.KeysPath, certHandler)
	mux.Handle("GET /healthz", s.metrics.Instrument("healthz", http.HandlerFunc(s.healthz)))
	mux.Handle("GET /readyz", s.metrics.Instrument("readyz", http.HandlerFunc(s.readyz)))
	mux.Handle("GET /metrics", s.metrics.Handler())
	mux.Handle("/", s.metrics.Instrument("spa", getOnly(spaHandler(s.cfg.StaticDir))))
	return logRequests(s.log, securityHeaders(mux))
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}`))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if err := s.db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "database not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":"unavailable","database":"unreachable"}`))
		return
	}
	_, _ = w.Write([]byte(`{"status":"ready","database":"` + s.db.Dialect + `"}`))
}

// Run serves on cfg.Addr until ctx is cancelled, then shuts down gracefully:
// it stops accepting, lets requests in flight finish for up to 15 seconds and
// closes long-lived connections.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Background starts the instance's background work until ctx ends: on
// PostgreSQL, the one listener connection that carries the other instances'
// (and this one's) events to the hub.
func (s *Server) Background(ctx context.Context) {
	if s.cfg.MissingCheckEvery > 0 {
		go s.missingLoop(ctx, s.cfg.MissingCheckEvery)
	}
	if s.cfg.AuditSealEvery > 0 {
		// Background work, not a request's: it runs on the pool's own driver,
		// unseen by request instrumentation (statement counts, WithDriverWrapper).
		seq := &audit.Sequencer{Client: ent.NewClient(ent.Driver(s.db.Driver)), Dialect: s.db.Dialect}
		go seq.Run(ctx, s.cfg.AuditSealEvery, s.log)
	}
	if s.cfg.OutboxEvery > 0 {
		go s.Sender().Run(ctx)
	}
	if s.cfg.DemoTick > 0 {
		t := &seed.Ticker{DB: s.db, Importer: s.importer, Auth: s.auth}
		go t.Run(ctx, s.cfg.DemoTick, func(rep *ingest.Report, err error) {
			if err != nil {
				s.log.Error("demo batch", "err", err)
				return
			}
			s.log.Info("demo batch", "reference", rep.Reference, "status", rep.Status, "rows", rep.RowsAccepted, "anomalies", rep.AnomaliesRaised)
		})
	}
	if !s.broker.Postgres {
		return
	}
	ready := make(chan struct{})
	go func() {
		if err := s.broker.Listen(ctx, s.db.URL, s.db.Client, s.log, ready); err != nil && ctx.Err() == nil {
			s.log.Error("alerts listener stopped", "err", err)
		}
	}()
	select {
	case <-ready:
	case <-time.After(5 * time.Second):
		s.log.Warn("alerts listener not ready after 5 s")
	}
}

// Serve is Run on an existing listener.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Requests run under their own base context: cancelling it after the
	// graceful shutdown ends long-lived connections (websockets) that
	// Shutdown does not track.
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.Background(base)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("SISERI listening", "addr", ln.Addr().String(), "database", s.db.Dialect)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	s.hub.Close() // ends subscriptions cleanly
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = hs.Close()
	}
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
		return e
	}
	return err
}

// missingLoop raises, every interval, the anomalies of expected results that
// have not arrived after their period plus the grace delay. Several instances
// may run it: findings are deduplicated by fingerprint, and a transaction
// lock lets one instance at a time do the work.
func (s *Server) missingLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := s.CheckMissing(ctx, time.Now())
		if err != nil && ctx.Err() == nil {
			s.log.Error("missing results check", "err", err)
			continue
		}
		s.log.Info("missing results check", "raised", n)
	}
}

// CheckMissing runs the missing-results detection once, as of asOf, and
// announces what it raised after commit.
func (s *Server) CheckMissing(ctx context.Context, asOf time.Time) (int, error) {
	sys := policy.SystemContext(ctx)
	txCtx, tx, err := s.db.OpenTx(sys)
	if err != nil {
		return 0, err
	}
	client := ent.FromContext(txCtx)
	if s.db.IsPostgres() {
		var got bool
		rows, err := client.QueryContext(txCtx, "SELECT pg_try_advisory_xact_lock(7302)")
		if err == nil {
			if rows.Next() {
				err = rows.Scan(&got)
			}
			rows.Close()
		}
		if err != nil || !got {
			_ = tx.Rollback()
			return 0, err
		}
	}
	created, err := s.importer.Registry.Engine.CheckMissing(txCtx, client, asOf)
	if err != nil {
		_ = tx.Rollback()
		return 0, err
	}
	events := make([]alerts.Event, len(created))
	for i, a := range created {
		events[i] = alerts.Event{Type: alerts.AnomalyRaised, ID: a.ID, WorkerID: a.WorkerID}
	}
	if err := s.broker.Announce(txCtx, client, events...); err != nil {
		_ = tx.Rollback()
		return 0, err
	}
	return len(created), tx.Commit()
}
