package eval

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/synth"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// registry is the replay's SISERI: a fresh database served over HTTP on a
// loopback port by the production handler, on the real clock, and the
// signed-in people who use it: the employer correspondent (declarations and
// operational dosimetry), one account per laboratory (results) and an
// analyst, who may read every anomaly of the population (policy/scope
// Anomaly) with its explanation and dose records.
type registry struct {
	db       *store.DB
	url      string
	dbURL    string
	employer *client
	labs     map[string]*client
	labCodes []string
	reader   *client
	stop     func()
	drop     func()
}

// account is an account the replay creates: an e-mail and its grants.
type account struct {
	email, name string
	grants      []*ent.GrantCreate
}

// openRegistry creates the fresh database, migrates it, loads the reference
// data an administrator loads (nomenclature, establishments, laboratories),
// creates the accounts with a password and their grants, starts the server
// and signs everyone in through the login mutation.
func openRegistry(ctx context.Context, o Options) (reg *registry, err error) {
	reg = &registry{labs: map[string]*client{}}
	defer func() {
		if err != nil {
			reg.close()
		}
	}()
	dbURL := o.DatabaseURL
	if store.IsPostgresURL(dbURL) {
		u, drop, err := store.CreateDatabase(ctx, dbURL, "siseri_eval_")
		if err != nil {
			return nil, err
		}
		dbURL, reg.drop = u, drop
	} else {
		dir, err := os.MkdirTemp("", "siseri-eval")
		if err != nil {
			return nil, err
		}
		dbURL = filepath.Join(dir, "eval.db")
		reg.drop = func() { os.RemoveAll(dir) }
	}
	reg.dbURL = dbURL
	if reg.db, err = store.Open(ctx, dbURL); err != nil {
		return nil, err
	}
	if err := reg.db.Migrate(ctx); err != nil {
		return nil, err
	}
	accounts, err := loadReference(ctx, reg.db.Client, o.Dir)
	if err != nil {
		return nil, err
	}
	password, err := newPassword()
	if err != nil {
		return nil, err
	}
	if err := createAccounts(ctx, reg.db.Client, accounts, password); err != nil {
		return nil, err
	}
	if err := reg.serve(o); err != nil {
		return nil, err
	}
	for _, a := range accounts {
		c := newClient(reg.url)
		if err := c.login(ctx, a.email, password); err != nil {
			return nil, err
		}
		switch {
		case a.email == employerEmail:
			reg.employer = c
		case a.email == readerEmail:
			reg.reader = c
		default:
			reg.labs[a.name] = c
			reg.labCodes = append(reg.labCodes, a.name)
		}
	}
	// Longest codes first, so that ORANO-LH is not taken for a prefix of a longer code.
	sort.Slice(reg.labCodes, func(i, j int) bool { return len(reg.labCodes[i]) > len(reg.labCodes[j]) })
	return reg, nil
}

const (
	employerEmail = "employeur@eval.siseri.fr"
	readerEmail   = "analyste@eval.siseri.fr"
)

// validFrom is the start of the replay's grants: before any synthetic month.
var validFrom = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// loadReference loads the nomenclature, the establishments and the
// laboratories of the population, and returns the accounts to create: the
// employer correspondent of every establishment, one account per
// laboratory, and the analyst.
func loadReference(ctx context.Context, c *ent.Client, dir string) ([]account, error) {
	sys := policy.SystemContext(ctx)
	if err := seed.CreateNomenclature(sys, c); err != nil {
		return nil, fmt.Errorf("nomenclature : %w", err)
	}
	ests, err := readTable(filepath.Join(dir, synth.FileEstablishments))
	if err != nil {
		return nil, err
	}
	employer := account{email: employerEmail, name: "Correspondant employeur (évaluation)"}
	for _, row := range ests.rows {
		e, err := c.Establishment.Create().SetSiret(ests.get(row, "siret")).SetName(ests.get(row, "raison_sociale")).Save(sys)
		if err != nil {
			return nil, fmt.Errorf("établissement %s : %w", ests.get(row, "siret"), err)
		}
		employer.grants = append(employer.grants, c.Grant.Create().SetRole(policy.RoleEmployer).SetEstablishmentID(e.ID))
	}
	out := []account{employer, {email: readerEmail, name: "Analyste (évaluation)", grants: []*ent.GrantCreate{c.Grant.Create().SetRole(policy.RoleAnalyst)}}}
	labs, err := readTable(filepath.Join(dir, synth.FileLaboratories))
	if err != nil {
		return nil, err
	}
	for i, row := range labs.rows {
		code := labs.get(row, "code")
		l, err := c.Laboratory.Create().SetCode(code).SetName(labs.get(row, "nom")).Save(sys)
		if err != nil {
			return nil, fmt.Errorf("laboratoire %s : %w", code, err)
		}
		out = append(out, account{email: fmt.Sprintf("labo%d@eval.siseri.fr", i), name: code,
			grants: []*ent.GrantCreate{c.Grant.Create().SetRole(policy.RoleLaboratory).SetLaboratoryID(l.ID)}})
	}
	return out, nil
}

// createAccounts creates the accounts with password and their grants.
func createAccounts(ctx context.Context, c *ent.Client, accounts []account, password string) error {
	sys := policy.SystemContext(ctx)
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		acc, err := c.Account.Create().SetEmail(a.email).SetDisplayName(a.name).SetPasswordHash(hash).Save(sys)
		if err != nil {
			return fmt.Errorf("compte %s : %w", a.email, err)
		}
		for _, g := range a.grants {
			if _, err := g.SetAccountID(acc.ID).SetValidFrom(validFrom).Save(sys); err != nil {
				return fmt.Errorf("habilitation de %s : %w", a.email, err)
			}
		}
	}
	return nil
}

func newPassword() (string, error) {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// serve starts the production server on a loopback port.
func (r *registry) serve(o Options) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	cfg := server.DefaultConfig()
	cfg.StaticDir = ""
	logOut := io.Discard
	if o.Debug != nil {
		logOut = o.Debug
	}
	srv := server.New(cfg, r.db, slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ctx, ln)
	}()
	r.url = "http://" + ln.Addr().String()
	r.stop = func() {
		cancel()
		<-done
	}
	return nil
}

func (r *registry) close() {
	if r.stop != nil {
		r.stop()
	}
	if r.db != nil {
		r.db.Close()
	}
	if r.drop != nil {
		r.drop()
	}
}

// labOf returns the laboratory code a dosimeter serial starts with.
func (r *registry) labOf(serial string) string {
	for _, c := range r.labCodes {
		if strings.HasPrefix(serial, c+"-") || serial == c {
			return c
		}
	}
	return ""
}
