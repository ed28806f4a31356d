package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"testing"
)

// `siseri migrate` says which migrations it applied, in French, and nothing
// once the database is up to date.
func TestMigrateCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "siseri.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--database-url", path}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	applied := regexp.MustCompile(`(?m)^Migration \d{14} \(.+\) appliquée$`).FindAllString(out.String(), -1)
	if len(applied) < 2 || !bytes.HasSuffix(out.Bytes(), []byte("Schéma à jour (sqlite3).\n")) {
		t.Fatalf("first run printed %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "--database-url", path}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if out.String() != "Schéma à jour (sqlite3).\n" {
		t.Fatalf("second run printed %q", out.String())
	}
}
