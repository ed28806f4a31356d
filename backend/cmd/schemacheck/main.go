// Command schemacheck compares the current GraphQL schema with the schema of
// the last release (graph/schema.released.graphqls) and fails on breaking
// changes that graph/schema.acknowledged.txt does not list. With -release it
// writes the current schema as the released one and empties the
// acknowledgements (make schema-release). See docs/schema-changes.md.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/siseri/siseri/graph"
)

func main() {
	released := flag.String("released", "graph/schema.released.graphqls", "schema of the last release")
	acked := flag.String("acknowledged", "graph/schema.acknowledged.txt", "breaking changes acknowledged since the release, one per line")
	release := flag.Bool("release", false, "write the current schema as the released one and clear the acknowledgements")
	flag.Parse()
	if err := run(*released, *acked, *release); err != nil {
		fmt.Fprintln(os.Stderr, "schemacheck:", err)
		os.Exit(1)
	}
}

const ackHeader = "# Breaking changes of the GraphQL schema since the last release, acknowledged\n" +
	"# (partners warned): one line as `make schema-check` prints it. Emptied by `make schema-release`.\n"

func run(releasedPath, ackPath string, release bool) error {
	cur := graph.FullSDL()
	if release {
		if err := os.WriteFile(releasedPath, []byte(cur), 0o644); err != nil {
			return err
		}
		return os.WriteFile(ackPath, []byte(ackHeader), 0o644)
	}
	old, err := os.ReadFile(releasedPath)
	if err != nil {
		return fmt.Errorf("%w (run `make schema-release` once to record the released schema)", err)
	}
	oldSchema, gerr := gqlparser.LoadSchema(&ast.Source{Name: releasedPath, Input: string(old)})
	if gerr != nil {
		return gerr
	}
	curSchema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "current", Input: cur})
	if gerr != nil {
		return gerr
	}
	ack, err := readAcknowledged(ackPath)
	if err != nil {
		return err
	}
	var unacked int
	for _, c := range graph.BreakingChanges(oldSchema, curSchema) {
		if ack[c] {
			fmt.Println("acknowledged:", c)
			continue
		}
		fmt.Println("BREAKING:", c)
		unacked++
	}
	if unacked > 0 {
		return fmt.Errorf("%d breaking change(s) of the schema not acknowledged in %s", unacked, ackPath)
	}
	fmt.Println("schema: no unacknowledged breaking change since the last release")
	return nil
}

func readAcknowledged(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ack := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			ack[line] = true
		}
	}
	return ack, sc.Err()
}
