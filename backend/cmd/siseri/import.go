package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/policy"
)

// rejectedError makes `siseri import` exit with status 1 after printing a
// report with rejected rows.
type rejectedError struct{ n int }

func (e rejectedError) Error() string {
	return fmt.Sprintf("%d ligne(s) rejetée(s)", e.n)
}

// importCmd runs `siseri import`: a file through the same path as the
// GraphQL upload, as a person (email) or a partner (API key).
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var c common
	c.register(fs)
	format := fs.String("format", "", "lab-results, declarations or operational")
	as := fs.String("as", "", "account email or API key (sk_…) acting as the submitter")
	reference := fs.String("reference", "", "idempotency reference (default: file name and checksum)")
	dryRun := fs.Bool("dry-run", false, "validate and report without writing")
	partial := fs.Bool("partial", false, "accept the valid rows and report the others")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	receivedAt := fs.String("received-at", "", "lab results: the day the results were received, YYYY-MM-DD (rows without date_reception)")
	history := fs.Bool("history", false, "lab results, administrators: history import (migration) of past records, no timeliness finding")
	laboratory := fs.Int("laboratory", 0, "history import: the id of the laboratory whose results the file holds")
	files, err := parseFiles(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 || *format == "" || *as == "" {
		return usageError{"usage : siseri import --format lab-results|declarations|operational --as <courriel ou clé d'API> [--reference R] [--dry-run] [--partial] [--received-at AAAA-MM-JJ] [--history --laboratory N] FICHIER"}
	}
	var received time.Time
	if *receivedAt != "" {
		var err error
		if received, err = time.Parse(time.DateOnly, *receivedAt); err != nil {
			return usageError{fmt.Sprintf("--received-at : la date « %s » n'est pas au format AAAA-MM-JJ", *receivedAt)}
		}
	}
	f, err := ingest.ParseFormat(*format)
	if err != nil {
		return usageError{err.Error()}
	}
	file, err := os.Open(files[0])
	if err != nil {
		return fmt.Errorf("ouvrir %s : %w", files[0], err)
	}
	defer file.Close()
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := submitterOf(ctx, auth.NewService(db.Client), *as, f, *history)
	if err != nil {
		return err
	}
	ref := *reference
	if ref == "" {
		st, _ := file.Stat()
		ref = fmt.Sprintf("%s@%s", filepath.Base(files[0]), st.ModTime().UTC().Format("20060102T150405"))
	}
	svc := registry.NewImporter(db, alerts.NewBroker(alerts.NewHub(1), db.Dialect))
	sub := ingest.Submission{Format: f, Reference: ref, Filename: filepath.Base(files[0]), Body: file, DryRun: *dryRun, Partial: *partial,
		ReceivedOn: received, History: *history, LaboratoryID: *laboratory}
	rep, err := runImport(policy.NewContext(ctx, v), db, svc, sub)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := json.NewEncoder(stdout).Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(stdout, rep)
	}
	if rep.RowsRejected > 0 {
		return rejectedError{rep.RowsRejected}
	}
	return nil
}

// runImport imports and audits the write in the same transaction.
func runImport(ctx context.Context, db *store.DB, svc *registry.Importer, sub ingest.Submission) (*ingest.Report, error) {
	txCtx, tx, err := db.OpenTx(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := svc.Submit(txCtx, sub)
	if err == nil && !rep.DryRun && !rep.Replayed && rep.BatchID != 0 {
		log := &audit.Log{Client: db.Client, Dialect: db.Dialect}
		err = log.Append(txCtx, policy.FromContext(ctx), audit.Entry{Action: "CREATE", Operation: "siseri import",
			ObjectType: "ImportBatch", ObjectIDs: []int{rep.BatchID},
			Details: map[string]any{"format": string(sub.Format), "reference": sub.Reference, "rows": rep.RowsAccepted,
				"history": sub.History}})
	}
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return rep, tx.Commit()
}

// submitterOf resolves --as: an API key, or an account email acting under
// the role the format needs (an administrator for a history import).
func submitterOf(ctx context.Context, a *auth.Service, as string, f ingest.Format, history bool) (*policy.Viewer, error) {
	if history && !strings.HasPrefix(as, "sk_") {
		return a.ViewerOf(ctx, as, policy.RoleAdmin)
	}
	if strings.HasPrefix(as, "sk_") {
		v, err := a.Authenticate(ctx, as)
		if err != nil {
			return nil, errors.New("clé d'API invalide, expirée ou révoquée")
		}
		return v, nil
	}
	var last error
	for _, r := range registry.SubmitterRoles(f) {
		v, err := a.ViewerOf(ctx, as, r)
		if err == nil {
			return v, nil
		}
		last = err
	}
	return nil, last
}

func printReport(w io.Writer, rep *ingest.Report) {
	status := map[string]string{
		ingest.StatusAccepted: "accepté", ingest.StatusPartial: "accepté partiellement",
		ingest.StatusRejected: "rejeté (rien n'est écrit)", ingest.StatusDryRun: "validation seule (rien n'est écrit)",
	}[rep.Status]
	fmt.Fprintf(w, "Lot « %s » (%s) : %s", rep.Reference, rep.Format.Label(), status)
	if rep.Replayed {
		fmt.Fprint(w, " — déjà reçu : rapport du premier envoi")
	}
	fmt.Fprintf(w, "\nLignes : %d lues, %d acceptées, %d rejetées", rep.RowsTotal, rep.RowsAccepted, rep.RowsRejected)
	if rep.BatchID != 0 {
		fmt.Fprintf(w, " (lot n° %d)", rep.BatchID)
	}
	fmt.Fprintln(w)
	if rep.Format == ingest.Declarations {
		fmt.Fprintf(w, "Travailleurs créés : %d ; emplois créés : %d\n", rep.WorkersCreated, rep.EmploymentsCreated)
	} else {
		fmt.Fprintln(w, "Répartition des doses :")
		for _, c := range rep.DoseClasses {
			fmt.Fprintf(w, "  %-40s %d\n", c.Label, c.Count)
		}
		fmt.Fprintf(w, "Anomalies détectées : %d\n", rep.AnomaliesRaised)
	}
	if rep.ProblemCount > 0 {
		fmt.Fprintf(w, "Problèmes (%d, dont %d avertissements) :\n", rep.ProblemCount, rep.WarningCount)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  ligne\tcolonne\tvaleur\tgravité\tcode\tmessage")
		for _, p := range rep.Problems {
			severity := "erreur"
			if p.IsWarning() {
				severity = "avertissement"
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", p.Line, p.Column, p.Value, severity, p.Code, p.Message)
		}
		tw.Flush()
	}
}
