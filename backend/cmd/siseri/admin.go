package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/policy"
)

// adminCreate creates the first administrator of a deployment and prints its
// one-time activation link.
func adminCreate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	var c common
	c.register(fs)
	email := fs.String("email", "", "the administrator's e-mail address (their login)")
	name := fs.String("name", "", "the administrator's display name")
	publicURL := fs.String("public-url", env("SISERI_PUBLIC_URL", auth.DefaultPublicURL), "address people reach the server at; the activation link starts with it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" || *name == "" {
		return usageError{"admin create : --email et --name sont obligatoires"}
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := auth.NewService(db.Client)
	svc.PublicURL = *publicURL
	inv, err := svc.CreateFirstAdmin(ctx, *email, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Administrateur créé : %s <%s>.\n", inv.Account.DisplayName, inv.Account.Email)
	fmt.Fprintf(stdout, "Lien d'activation, à usage unique, valable jusqu'au %s :\n%s\n",
		inv.ExpiresAt.Local().Format("02/01/2006 à 15:04"), inv.Link)
	return nil
}

// nomenclatureImport adds a version of the nomenclature from a CSV file.
func nomenclatureImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("nomenclature import", flag.ContinueOnError)
	var c common
	c.register(fs)
	version := fs.String("version", "", "name of the new version, e.g. 2027")
	validFrom := fs.String("valid-from", "", "first day the version is in force, YYYY-MM-DD")
	files, err := parseFiles(fs, args)
	if err != nil {
		return err
	}
	if len(files) > 1 {
		return usageError{fmt.Sprintf("%s : argument inattendu %q", fs.Name(), files[1])}
	}
	var file string
	if len(files) == 1 {
		file = files[0]
	}
	if file == "" || *version == "" || *validFrom == "" {
		return usageError{"nomenclature import : FICHIER, --version et --valid-from sont obligatoires"}
	}
	from, err := time.Parse(time.DateOnly, *validFrom)
	if err != nil {
		return usageError{fmt.Sprintf("nomenclature import : date --valid-from %q invalide (AAAA-MM-JJ)", *validFrom)}
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// The command line writes reference data as the system, in one transaction.
	sys := policy.SystemContext(ctx)
	tx, err := db.Client.Tx(sys)
	if err != nil {
		return err
	}
	res, err := registry.ImportNomenclature(sys, tx.Client(), f, *version, from)
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Nomenclature %s en vigueur à partir du %s : %d domaines, %d secteurs, %d métiers.\n",
		res.Version, res.ValidFrom.Format("02/01/2006"), res.Domains, res.Sectors, res.Jobs)
	return nil
}
