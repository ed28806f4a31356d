// Command siseri-test-op runs the test OpenID provider of package oidctest
// (the example OP of github.com/zitadel/oidc/v3, with its own keys) on a
// loopback address, for the browser tests: never for production.
//
//	siseri-test-op --addr 127.0.0.1:0 --config op.json
//
// op.json: {"clients": [{"ID": "…", "Secret": "…", "RedirectURI": "…", "PostLogoutURIs": ["…"]}],
// "users": [{"ID": "…", "Username": "…", "Password": "…", "Email": "…", …}]}.
// It prints the issuer URL on its first line of standard output, then serves
// until interrupted.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/siseri/siseri/backend/oidc/oidctest"
)

type config struct {
	Clients []struct {
		ID, Secret, RedirectURI string
		PostLogoutURIs          []string
	} `json:"clients"`
	Users []oidctest.User `json:"users"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback listen address")
	file := flag.String("config", "", "JSON file of clients and users")
	flag.Parse()
	if err := run(*addr, *file); err != nil {
		fmt.Fprintln(os.Stderr, "siseri-test-op:", err)
		os.Exit(1)
	}
}

func run(addr, file string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || (host != "127.0.0.1" && host != "localhost" && !strings.HasPrefix(host, "::1")) {
		return fmt.Errorf("--addr must be a loopback address, not %q", addr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var cfg config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	p := oidctest.Serve(ln, cfg.Users...)
	defer p.Close()
	for _, c := range cfg.Clients {
		p.RegisterClient(c.ID, c.Secret, c.RedirectURI, c.PostLogoutURIs...)
	}
	fmt.Println(p.Issuer)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}
