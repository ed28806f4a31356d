// Command composecheck validates docker compose files without docker: it loads,
// interpolates, normalises and validates them with compose-go (the loader that
// `docker compose` itself uses), prints the normalised YAML like
// `docker compose config`, and also checks what compose-go does not: that each
// service's local build context directory and its Dockerfile exist.
//
//	composecheck [-q] [-p project] [file ...]
//
// Without a file it looks for compose.yaml, docker-compose.yml, … in the
// current directory, as docker compose does. Exit status: 0 valid, 1 invalid,
// 2 usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("composecheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quiet := fs.Bool("q", false, "only validate, do not print the normalised YAML")
	name := fs.String("p", "", "project name (default: the compose file's name: or its directory)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: composecheck [-q] [-p project] [file ...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	out, err := check(ctx, fs.Args(), *name)
	if err != nil {
		fmt.Fprintf(stderr, "composecheck: %v\n", err)
		return 1
	}
	if !*quiet {
		_, _ = stdout.Write(out)
	}
	return 0
}

// check loads and validates the compose files and returns the normalised YAML.
func check(ctx context.Context, files []string, name string) ([]byte, error) {
	opts := []cli.ProjectOptionsFn{cli.WithOsEnv, cli.WithDotEnv}
	if len(files) == 0 {
		opts = append(opts, cli.WithDefaultConfigPath)
	}
	if name != "" {
		opts = append(opts, cli.WithName(name))
	}
	po, err := cli.NewProjectOptions(files, opts...)
	if err != nil {
		return nil, err
	}
	project, err := po.LoadProject(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkBuilds(project); err != nil {
		return nil, err
	}
	return project.MarshalYAML()
}

// checkBuilds reports every service whose local build context or Dockerfile is
// missing. Remote contexts (git, http, docker-image://, service:…) and inline
// Dockerfiles are not checked.
func checkBuilds(p *types.Project) error {
	var errs []error
	names := make([]string, 0, len(p.Services))
	for n := range p.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b := p.Services[n].Build
		if b == nil || isRemote(b.Context) {
			continue
		}
		dir := b.Context
		if dir == "" {
			dir = "."
		}
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(p.WorkingDir, dir)
		}
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			errs = append(errs, fmt.Errorf("services.%s.build.context: directory %s does not exist", n, dir))
			continue
		}
		if b.DockerfileInline != "" {
			continue
		}
		df := b.Dockerfile
		if df == "" {
			df = "Dockerfile"
		}
		if !filepath.IsAbs(df) {
			df = filepath.Join(dir, df)
		}
		if st, err := os.Stat(df); err != nil || st.IsDir() {
			errs = append(errs, fmt.Errorf("services.%s.build.dockerfile: file %s does not exist", n, df))
		}
	}
	return errors.Join(errs...)
}

func isRemote(context string) bool {
	if strings.Contains(context, "://") || strings.HasPrefix(context, types.ServicePrefix) {
		return true
	}
	for _, prefix := range []string{"github.com/", "git@"} {
		if strings.HasPrefix(context, prefix) {
			return true
		}
	}
	return false
}
