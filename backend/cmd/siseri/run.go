package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/certificate"
	"github.com/siseri/siseri/backend/notify"
	"github.com/siseri/siseri/backend/oidc"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/store"
)

const usage = `siseri — registre national de l'exposition des travailleurs aux rayonnements ionisants

Usage: siseri <commande> [options]

Commandes :
  serve     sert l'API GraphQL, les sondes, les métriques et l'application web
  migrate   applique les migrations en attente (serve et seed le font aussi au démarrage)
  admin create --email COURRIEL --name NOM [--public-url URL]
                        crée le premier administrateur (sans mot de passe) et affiche son lien
                        d'activation, valable 24 h ; refusé si un administrateur actif existe
  nomenclature import --version V --valid-from AAAA-MM-JJ FICHIER
                        ajoute une version de la nomenclature (domaines, secteurs, métiers ; CSV
                        kind;code;label;parent, docs/formats.md) sans toucher aux versions existantes
  seed [--workers N --months M --seed S --mode demo|bulk|auto]
                        remplit une base vide : données de démonstration, ou population nationale
                        chargée en masse (PostgreSQL, COPY) au-delà de 20 000 travailleurs
  import --format lab-results|declarations|operational --as <courriel ou clé> [--reference R] [--dry-run] [--partial] FICHIER
                        importe un fichier d'échange et affiche le rapport d'exécution
  audit verify [--grace 10m]  vérifie la chaîne d'empreintes du journal des accès
  audit seal            chaîne maintenant les événements d'audit en attente (chaque serveur le fait chaque seconde)
  bench fanout [--subscribers N --alerts M --rate R --json]
                        latence des alertes en direct comparée à une diffusion websocket nue
  synth --workers N --months M --seed S --out DOSSIER [--start AAAA-MM] [--family reference|terrain-a|terrain-b]
                        population synthétique (famille calibrée « reference » ou familles tenues à l'écart) et anomalies étiquetées
  detect eval --dir DOSSIER [--json] [--database-url URL]
                        rejoue une population synthétique comme ses utilisateurs (serveur local, envois GraphQL
                        avec la date de réception, horloge réelle) et mesure la détection (vs références B0–B4)
  policy sdl --role R [--profile P]
                        affiche le schéma GraphQL visible pour un rôle (et un profil de clé partenaire)

Configuration (options ou variables d'environnement) :
  SISERI_ADDR            adresse d'écoute (défaut :8080)
  SISERI_DATABASE_URL    postgres://… ou chemin d'un fichier SQLite (défaut ./data/siseri.db)
  SISERI_DEMO=1          données de démonstration si la base est vide (serve)
  SISERI_DEMO_TICK       en démonstration, intervalle des lots du laboratoire de démonstration (défaut 3m ; 0 : aucun)
  SISERI_STATIC_DIR      application web construite (défaut frontend/dist)
  SISERI_PUBLIC_URL      adresse publique du serveur, telle que les navigateurs l'atteignent : début des
                         liens d'activation, des retours OpenID Connect et des liens des courriels
                         (défaut http://localhost:8080)
  SISERI_ALLOWED_ORIGINS autres origines autorisées à appeler l'API avec le cookie de session
                         (HTTP et websockets), séparées par des virgules
  SISERI_SECURE_COOKIES=1 cookie de session marqué Secure (derrière HTTPS)
  SISERI_SECRET_KEY      clé (32 octets en base64 : openssl rand -base64 32) qui chiffre au repos
                         les secrets de la vérification en deux étapes ; sans elle ils sont en clair
  SISERI_OIDC_CONFIG     fichier JSON des fournisseurs OpenID Connect (ProConnect, FranceConnect+),
                         voir docs/deploy-oidc.md
  SISERI_SMTP_URL        serveur de courrier sortant des notifications (smtp://…, docs/notifications.md) ;
                         sans lui, les courriels attendent dans la file d'envoi
  SISERI_CERT_KEY        graine Ed25519 (32 octets en base64 : openssl rand -base64 32) qui signe les
                         attestations ; sans elle, une clé est tirée au démarrage (démonstration)
  SISERI_CERT_KEY_ID     identifiant de cette clé (défaut : dérivé de la clé publique)
  SISERI_CERT_OLD_KEYS   anciennes clés publiques qui vérifient encore : id=base64,… (docs/certificate.md)
  SISERI_LOG_LEVEL       debug, info, warn ou error (défaut info)
`

// usageError is a command-line mistake: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr)
	case "migrate":
		return migrate(ctx, args[1:], stdout)
	case "admin":
		if len(args) > 1 && args[1] == "create" {
			return adminCreate(ctx, args[2:], stdout)
		}
		return usageError{"usage : siseri admin create --email COURRIEL --name NOM [--public-url URL]"}
	case "nomenclature":
		if len(args) > 1 && args[1] == "import" {
			return nomenclatureImport(ctx, args[2:], stdout)
		}
		return usageError{"usage : siseri nomenclature import --version V --valid-from AAAA-MM-JJ FICHIER"}
	case "seed":
		return seedCmd(ctx, args[1:], stdout, stderr)
	case "audit":
		if len(args) > 1 && args[1] == "verify" {
			return auditVerify(ctx, args[2:], stdout, stderr)
		}
		if len(args) > 1 && args[1] == "seal" {
			return auditSeal(ctx, args[2:], stdout)
		}
		return usageError{"usage : siseri audit verify [--grace DURÉE] | siseri audit seal [--database-url URL]"}
	case "import":
		return importCmd(ctx, args[1:], stdout, stderr)
	case "bench":
		return benchCmd(ctx, args[1:], stdout, stderr)
	case "synth":
		return synthCmd(args[1:], stdout)
	case "detect":
		return detectCmd(ctx, args[1:], stdout, stderr)
	case "policy":
		if len(args) > 1 && args[1] == "sdl" {
			return policySDL(args[2:], stdout)
		}
		return usageError{"usage : siseri policy sdl --role ROLE [--profile PROFIL]"}
	}
	return usageError{fmt.Sprintf("commande inconnue %q (voir siseri help)", args[0])}
}

// common are the options every command shares.
type common struct {
	databaseURL string
	logLevel    string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.databaseURL, "database-url", env("SISERI_DATABASE_URL", "./data/siseri.db"), "postgres://… URL or SQLite file path")
	fs.StringVar(&c.logLevel, "log-level", env("SISERI_LOG_LEVEL", "info"), "debug, info, warn or error")
}

func (c *common) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

func (c *common) open(ctx context.Context) (*store.DB, error) {
	return c.openMigrated(ctx, nil)
}

// openMigrated opens the database and applies the pending migrations,
// telling report about each one when it is not nil.
func (c *common) openMigrated(ctx context.Context, report io.Writer) (*store.DB, error) {
	db, err := store.Open(ctx, c.databaseURL)
	if err != nil {
		return nil, err
	}
	applied, err := db.MigrateTo(ctx, "")
	if report != nil {
		for _, a := range applied {
			fmt.Fprintln(report, a)
		}
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s : %v", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s : argument inattendu %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// parseFiles parses the options of fs and returns the file arguments, which
// may come before, between or after the options.
func parseFiles(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var files []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{fmt.Sprintf("%s : %v", fs.Name(), err)}
		}
		args = fs.Args()
		if len(args) > 0 {
			files = append(files, args[0])
			args = args[1:]
		}
	}
	return files, nil
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c common
	c.register(fs)
	cfg := server.DefaultConfig()
	fs.StringVar(&cfg.Addr, "addr", env("SISERI_ADDR", ":8080"), "listen address")
	fs.StringVar(&cfg.PublicURL, "public-url", env("SISERI_PUBLIC_URL", cfg.PublicURL), "address people reach the server at: activation links, OpenID Connect callbacks and e-mail links start with it")
	fs.StringVar(&cfg.StaticDir, "static-dir", env("SISERI_STATIC_DIR", cfg.StaticDir), "built single-page app")
	demo := fs.Bool("demo", envBool("SISERI_DEMO"), "seed demo data when the database is empty")
	demoTick := fs.String("demo-tick", env("SISERI_DEMO_TICK", "3m"), "in demo mode, how often the demo laboratory sends a batch of new results (0: never)")
	origins := fs.String("allowed-origins", env("SISERI_ALLOWED_ORIGINS", ""), "extra origins allowed to call the API with the session cookie (HTTP and websockets), comma-separated")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", envBool("SISERI_SECURE_COOKIES"), "mark the session cookie Secure")
	secretKey := fs.String("secret-key", env("SISERI_SECRET_KEY", ""), "32 bytes in base64 sealing second-factor secrets at rest (openssl rand -base64 32)")
	oidcConfig := fs.String("oidc-config", env("SISERI_OIDC_CONFIG", ""), "JSON file of the OpenID Connect providers (docs/deploy-oidc.md)")
	smtpURL := fs.String("smtp-url", env("SISERI_SMTP_URL", ""), "outgoing mail server of the notifications, smtp://user:pass@host:port?from=…&starttls=mandatory|opportunistic|none (none: e-mails wait in the outbox)")
	certKey := fs.String("cert-key", env("SISERI_CERT_KEY", ""), "Ed25519 seed (32 bytes in base64) signing the dose-history certificates (docs/certificate.md)")
	certKeyID := fs.String("cert-key-id", env("SISERI_CERT_KEY_ID", ""), "id of the certificate signing key (default: derived from its public key)")
	certOldKeys := fs.String("cert-old-keys", env("SISERI_CERT_OLD_KEYS", ""), "retired certificate public keys that still verify, comma-separated id=base64")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *certKey != "" {
		keys, err := certificate.ParseConfig(*certKey, *certKeyID, *certOldKeys)
		if err != nil {
			return usageError{"serve : " + err.Error()}
		}
		cfg.CertificateKeys = keys
	}
	if *secretKey != "" {
		key, err := auth.ParseSecretKey(*secretKey)
		if err != nil {
			return usageError{"serve : " + err.Error()}
		}
		cfg.SecretKey = key
	}
	if *oidcConfig != "" {
		fc, err := oidc.LoadFile(*oidcConfig)
		if err != nil {
			return err
		}
		cfg.OIDC = fc
	}
	if *smtpURL != "" {
		smtp, err := notify.ParseSMTPURL(*smtpURL)
		if err != nil {
			return usageError{err.Error()}
		}
		cfg.SMTP = smtp
	}
	for _, o := range strings.Split(*origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.AllowedOrigins = append(cfg.AllowedOrigins, o)
		}
	}
	log := c.logger(stderr)
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.SecretKey == nil && !*demo {
		log.Warn("SISERI_SECRET_KEY is not set: second-factor secrets are stored in clear")
	}
	if *demo {
		n, err := seed.IfEmpty(ctx, db.Client, seed.DefaultOptions(), log)
		if err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
		if n > 0 {
			log.Info("demo data seeded", "workers", n)
		}
		if cfg.DemoTick, err = time.ParseDuration(*demoTick); err != nil || cfg.DemoTick < 0 {
			return usageError{fmt.Sprintf("serve : --demo-tick %q n'est pas une durée (3m, 30s ; 0 : jamais)", *demoTick)}
		}
	}
	return server.New(cfg, db, log).Run(ctx)
}

func migrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var c common
	c.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := c.openMigrated(ctx, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Schéma à jour (%s).\n", db.Dialect)
	return db.Close()
}

func seedCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	var c common
	c.register(fs)
	opts := seed.DefaultOptions()
	fs.IntVar(&opts.Workers, "workers", opts.Workers, "number of workers")
	fs.IntVar(&opts.Months, "months", opts.Months, "months of dose history, 24 to 120")
	fs.Int64Var(&opts.Seed, "seed", opts.Seed, "random seed")
	mode := fs.String("mode", "auto", "demo (every row through Ent), bulk (PostgreSQL COPY, national scale) or auto (bulk on PostgreSQL above 20,000 workers)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *mode != "auto" && *mode != "demo" && *mode != "bulk" {
		return usageError{fmt.Sprintf("seed : mode inconnu %q (demo, bulk ou auto)", *mode)}
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *mode == "bulk" || (*mode == "auto" && db.IsPostgres() && opts.Workers > 20000) {
		if !db.IsPostgres() {
			return usageError{"seed : le chargement en masse (--mode bulk) demande une base PostgreSQL"}
		}
		res, err := seed.Bulk(ctx, db, seed.BulkOptions{Workers: opts.Workers, Months: opts.Months, Seed: opts.Seed, Progress: stderr})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Base à l'échelle créée en %s : %d travailleurs (dont %d de démonstration), %d établissements, %d emplois.\n",
			res.Duration.Round(time.Second), res.Workers, res.DemoWorkers, res.Establishments+0, res.Employments)
		fmt.Fprintf(stdout, "%d enregistrements de dose : %d résultats de dosimétrie passive (dont %d versions remplacées), %d résultats de dosimétrie opérationnelle.\n",
			res.Records(), res.DoseRecords, res.Superseded, res.Operational)
		fmt.Fprintf(stdout, "Débit : %.0f enregistrements/s ; %d situations au regard des limites, %d cellules de statistiques de contexte ; taille de la base : %.2f Gio.\n",
			res.RecordsPerSecond(), res.Summaries, res.Statistics, float64(res.DatabaseBytes)/(1<<30))
		return nil
	}
	began := time.Now()
	n, err := seed.IfEmpty(ctx, db.Client, opts, c.logger(stderr))
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(stdout, "La base contient déjà des données : rien n'a été ajouté.")
		return nil
	}
	fmt.Fprintf(stdout, "Données de démonstration créées en %s : %d travailleurs.\n", time.Since(began).Round(time.Second), n)
	return nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func envBool(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "oui", "on":
		return true
	}
	return false
}
