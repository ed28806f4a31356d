package ingest_test

import (
	"go/build"
	"strings"
	"testing"
)

// forbidden are the packages ingest must not depend on: it parses, and
// backend/registry does the database work (issue 13).
var forbidden = []string{
	"github.com/siseri/siseri/ent",
	"github.com/siseri/siseri/backend/store",
	"github.com/siseri/siseri/backend/registry",
	"github.com/siseri/siseri/backend/alerts",
	"entgo.io/",
	"database/sql",
	"github.com/jackc/pgx",
}

func isForbidden(path string) bool {
	for _, f := range forbidden {
		if path == f || strings.HasPrefix(path, strings.TrimSuffix(f, "/")+"/") {
			return true
		}
	}
	return false
}

// TestImports ensures that the non-test files of ingest, and every package
// they depend on, import none of the forbidden packages.
func TestImports(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var walk func(from string, imports []string)
	walk = func(from string, imports []string) {
		for _, path := range imports {
			if isForbidden(path) {
				t.Errorf("%s imports %s", from, path)
			}
			if seen[path] || path == "C" {
				continue
			}
			seen[path] = true
			dep, err := build.Import(path, pkg.Dir, 0)
			if err != nil {
				t.Fatalf("import %s: %v", path, err)
			}
			if !dep.Goroot {
				walk(path, dep.Imports)
			}
		}
	}
	walk(pkg.ImportPath, pkg.Imports)
}
