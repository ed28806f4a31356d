package oidc

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
)

// Audience is who a provider signs in.
type Audience string

// The audiences of providers.
const (
	// Professional accounts (ProConnect) are linked by an invitation, or by
	// the e-mail the provider asserts where the configuration allows it.
	Professional Audience = "PROFESSIONAL"
	// Workers (FranceConnect+) are matched to their registry record by the
	// identity the provider asserts, or by a claim code from their physician.
	Worker Audience = "WORKER"
)

// ProviderConfig is one provider of the deployment's configuration file
// (SISERI_OIDC_CONFIG, see docs/deploy-oidc.md).
type ProviderConfig struct {
	// Name is the provider's stable name in URLs: /auth/oidc/{name}/login.
	Name string `json:"name"`
	// Label is the button's text, e.g. « ProConnect ».
	Label    string   `json:"label"`
	Audience Audience `json:"audience"`
	// Issuer is the issuer URL; discovery reads
	// {issuer}/.well-known/openid-configuration.
	Issuer   string `json:"issuer"`
	ClientID string `json:"clientId"`
	// ClientSecret, or ClientSecretEnv naming the environment variable that
	// holds it (preferred: the file then holds no secret).
	ClientSecret    string `json:"clientSecret,omitempty"`
	ClientSecretEnv string `json:"clientSecretEnv,omitempty"`
	// Scopes requested besides openid.
	Scopes []string `json:"scopes"`
	// ACRValues are the authentication levels accepted (at least one); they
	// are also requested as acr_values.
	ACRValues []string `json:"acrValues"`
	// LinkByEmail lets a first sign-in link the active account whose e-mail
	// the provider asserts as verified (professional providers only).
	LinkByEmail bool `json:"linkByEmail"`
}

// FileConfig is the configuration file: the providers, in the order the
// sign-in page shows them.
type FileConfig struct {
	Providers []ProviderConfig `json:"providers"`
}

var providerName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// LoadFile reads and checks the configuration file at path.
func LoadFile(path string) (*FileConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read OpenID Connect configuration: %w", err)
	}
	var fc FileConfig
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fc); err != nil {
		return nil, fmt.Errorf("OpenID Connect configuration %s: %w", path, err)
	}
	for i := range fc.Providers {
		p := &fc.Providers[i]
		if p.ClientSecret == "" && p.ClientSecretEnv != "" {
			p.ClientSecret = os.Getenv(p.ClientSecretEnv)
			if p.ClientSecret == "" {
				return nil, fmt.Errorf("OpenID Connect provider %q: the environment variable %s is empty", p.Name, p.ClientSecretEnv)
			}
		}
	}
	if err := fc.Check(); err != nil {
		return nil, fmt.Errorf("OpenID Connect configuration %s: %w", path, err)
	}
	return &fc, nil
}

// Check reports the first mistake of the configuration.
func (fc *FileConfig) Check() error {
	seen := map[string]bool{}
	for _, p := range fc.Providers {
		switch {
		case !providerName.MatchString(p.Name):
			return fmt.Errorf("provider name %q: lower-case letters, digits and dashes only", p.Name)
		case seen[p.Name]:
			return fmt.Errorf("provider %q is configured twice", p.Name)
		case p.Label == "":
			return fmt.Errorf("provider %q: label is required", p.Name)
		case p.Audience != Professional && p.Audience != Worker:
			return fmt.Errorf("provider %q: audience must be PROFESSIONAL or WORKER", p.Name)
		case p.ClientID == "":
			return fmt.Errorf("provider %q: clientId is required", p.Name)
		case len(p.ACRValues) == 0:
			return fmt.Errorf("provider %q: acrValues must name at least one accepted level", p.Name)
		case p.LinkByEmail && p.Audience == Worker:
			return fmt.Errorf("provider %q: linkByEmail is for professional providers; workers are matched by identity", p.Name)
		}
		u, err := url.Parse(p.Issuer)
		if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
			return fmt.Errorf("provider %q: issuer must be an https URL (http only on loopback)", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

func loopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// scopes returns openid and the configured scopes, each once.
func (p ProviderConfig) scopes() []string {
	out := []string{"openid"}
	for _, s := range p.Scopes {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
