package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

func TestAuditVerifyCommand(t *testing.T) {
	url := storetest.MustCreateDatabase(t)
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	log := &audit.Log{Client: db.Client, Dialect: db.Dialect}
	for i := 0; i < 3; i++ {
		if err := log.Append(ctx, &policy.Viewer{AccountID: 1, Role: policy.RoleAdmin}, audit.Entry{Action: audit.ActionWrite}); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify", "--database-url", url}, &out, io.Discard); err != nil {
		t.Fatalf("intact chain: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "3 événements vérifiés (3 en attente de chaînage), 0 lot scellé") {
		t.Errorf("output %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "seal", "--database-url", url}, &out, io.Discard); err != nil || out.String() != "3 événements chaînés.\n" {
		t.Fatalf("seal: %v, output %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify", "--database-url", url}, &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "3 événements vérifiés (0 en attente de chaînage), 1 lot scellé") || !strings.Contains(out.String(), "Tête de la chaîne : lot n° 1, empreinte ") {
		t.Fatalf("sealed chain: %v\n%s", err, out.String())
	}
	// The database refuses the edit; a superuser who switches its triggers
	// off is caught by the chain.
	if _, err := db.SQL.Exec(`UPDATE audit_events SET action = 'READ' WHERE seq = 2`); err == nil {
		t.Fatal("the database accepted an edit of the audit log")
	}
	if _, err := db.SQL.Exec(`SET session_replication_role = replica; UPDATE audit_events SET action = 'READ' WHERE seq = 2; RESET session_replication_role`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(ctx, []string{"audit", "verify", "--database-url", url}, &out, io.Discard)
	if !errors.Is(err, errAuditBroken) || !strings.Contains(out.String(), "n° 2") {
		t.Fatalf("edited chain: err %v, output %q; want errAuditBroken naming event 2", err, out.String())
	}
}

func TestPolicySDLCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"policy", "sdl", "--role", "ANALYST"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	sdl := out.String()
	if !strings.Contains(sdl, "pseudonym: String!") || strings.Contains(sdl, "nir:") || strings.Contains(sdl, "lastName:") {
		t.Errorf("analyst SDL shows identity or lacks the pseudonym:\n%s", sdl[:min(len(sdl), 2000)])
	}
	out.Reset()
	if err := run(context.Background(), []string{"policy", "sdl", "--role", "EMPLOYER_CORRESPONDENT"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "valueUsv") || strings.Contains(out.String(), "sumUsv") {
		t.Errorf("employer SDL shows dose values")
	}
	if err := run(context.Background(), []string{"policy", "sdl", "--role", "ROI"}, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("unknown role: %v", err)
	}
}
