package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/graph"
	"github.com/siseri/siseri/policy"
)

// errAuditBroken makes `siseri audit verify` exit non-zero.
var errAuditBroken = errors.New("la chaîne du journal des accès est rompue")

func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	var c common
	c.register(fs)
	grace := fs.Duration("grace", audit.DefaultGrace, "how long an event may wait to be chained")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := audit.VerifyAt(ctx, db.Client, time.Now(), *grace)
	if err != nil {
		return err
	}
	head := "aucun lot scellé"
	if rep.Batches > 0 {
		head = fmt.Sprintf("lot n° %d, empreinte %s", rep.HeadNumber, rep.HeadHash)
	}
	if rep.OK() {
		fmt.Fprintf(stdout, "Journal des accès intègre : %d événements vérifiés (%d en attente de chaînage), %s.\nTête de la chaîne : %s.\n",
			rep.Events, rep.Pending, lots(rep.Batches), head)
		return nil
	}
	fmt.Fprintf(stdout, "Journal des accès ROMPU (%d événements lus, %s) :\n", rep.Events, lots(rep.Batches))
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "  - "+p)
	}
	return errAuditBroken
}

func lots(n int) string {
	if n < 2 {
		return fmt.Sprintf("%d lot scellé", n)
	}
	return fmt.Sprintf("%d lots scellés", n)
}

// auditSeal chains the pending audit events now (what every server instance
// does each second), e.g. after the servers are stopped.
func auditSeal(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("audit seal", flag.ContinueOnError)
	var c common
	c.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	seq := &audit.Sequencer{Client: db.Client, Dialect: db.Dialect}
	n, err := seq.Drain(ctx)
	if errors.Is(err, audit.ErrSealing) {
		fmt.Fprintf(stdout, "%d événements chaînés ; un autre processus (un serveur) chaîne les suivants.\n", n)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d événements chaînés.\n", n)
	return nil
}

func policySDL(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("policy sdl", flag.ContinueOnError)
	role := fs.String("role", "", "role (WORKER, OCCUPATIONAL_PHYSICIAN, …)")
	profile := fs.String("profile", "", "partner API key profile (OCCUPATIONAL_HEALTH_SOFTWARE, LABORATORY_SYSTEM, STATISTICS_CONSUMER)")
	if err := parse(fs, args); err != nil {
		return err
	}
	r := policy.Role(*role)
	if !r.Valid() {
		return usageError{fmt.Sprintf("policy sdl : rôle inconnu %q (rôles : %v)", *role, policy.Roles)}
	}
	p := policy.Profile(*profile)
	if p != "" && !validProfile(p) {
		return usageError{fmt.Sprintf("policy sdl : profil inconnu %q (profils : %v)", *profile, policy.Profiles)}
	}
	_, err := io.WriteString(stdout, graph.SchemaFor(r, p))
	return err
}

func validProfile(p policy.Profile) bool {
	for _, x := range policy.Profiles {
		if x == p {
			return true
		}
	}
	return false
}
