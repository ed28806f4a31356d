package oidc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadFile(t *testing.T) {
	good := `{"providers": [{"name": "proconnect", "label": "ProConnect", "audience": "PROFESSIONAL",
		"issuer": "https://auth.example.gouv.fr/api/v2", "clientId": "c", "clientSecretEnv": "SISERI_TEST_PC_SECRET",
		"scopes": ["email"], "acrValues": ["eidas1"], "linkByEmail": true}]}`
	cases := []struct {
		name, file, want string // want: "" loads, else a part of the error
	}{
		{"valid, secret from the environment", good, ""},
		{"unknown field", strings.Replace(good, `"scopes"`, `"scope"`, 1), "unknown field"},
		{"plain http issuer off loopback", strings.Replace(good, "https://auth.example.gouv.fr", "http://auth.example.gouv.fr", 1), "https"},
		{"no accepted acr", strings.Replace(good, `["eidas1"]`, `[]`, 1), "acrValues"},
		{"bad audience", strings.Replace(good, "PROFESSIONAL", "CITIZEN", 1), "audience"},
		{"e-mail linking for workers", strings.Replace(good, "PROFESSIONAL", "WORKER", 1), "linkByEmail"},
		{"name with capitals", strings.Replace(good, `"proconnect"`, `"ProConnect"`, 1), "provider name"},
		{"empty secret variable", strings.Replace(good, "SISERI_TEST_PC_SECRET", "SISERI_TEST_UNSET", 1), "SISERI_TEST_UNSET"},
	}
	t.Setenv("SISERI_TEST_PC_SECRET", "s3cret")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "oidc.json")
			if err := os.WriteFile(path, []byte(c.file), 0o600); err != nil {
				t.Fatal(err)
			}
			fc, err := LoadFile(path)
			if c.want == "" {
				if err != nil || fc.Providers[0].ClientSecret != "s3cret" {
					t.Fatalf("LoadFile = %+v, %v", fc, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to mention %q", err, c.want)
			}
		})
	}
}
