package bench

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// graphqlCall finds the documents of the web application's graphql(`…`) calls.
var graphqlCall = regexp.MustCompile("graphql\\(\\s*`([^`]*)`")

// canonical is a GraphQL document printed by gqlparser, so that layout and
// comments do not count.
func canonical(t *testing.T, name, src string) string {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Name: name, Input: src})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var b strings.Builder
	formatter.NewFormatter(&b).FormatQueryDocument(doc)
	return b.String()
}

// TestQueriesAreTheSPAs ensures each query the benchmark measures is the one
// the web application sends, read from its source: a query changed in the
// SPA and not here fails, instead of measuring a query nobody sends.
func TestQueriesAreTheSPAs(t *testing.T) {
	for _, tc := range []struct{ file, query string }{
		{"features/adviser/api/get-adviser-workers.ts", adviserWorkersQuery},
		{"features/followed-workers/api/get-followed-workers.ts", followedWorkersQuery},
		{"features/worker-file/api/get-worker-file.ts", workerFileQuery},
		{"features/national-statistics/api/get-national-doses.ts", nationalDosesQuery},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			ours := canonical(t, "bench", tc.query)
			var docs []string
			for _, m := range graphqlCall.FindAllStringSubmatch(string(src), -1) {
				doc := canonical(t, tc.file, m[1])
				if doc == ours {
					return
				}
				docs = append(docs, doc)
			}
			t.Errorf("the benchmark's query is not one of %s's documents:\nbenchmark:\n%s\nSPA:\n%s", tc.file, ours, strings.Join(docs, "\n"))
		})
	}
}
