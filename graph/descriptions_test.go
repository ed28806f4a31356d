package graph

import (
	"flag"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/siseri/siseri/graph/generated"
)

// undocumentedFile lists the elements still without a description when the
// check was introduced; it may only shrink.
const undocumentedFile = "testdata/undocumented.txt"

var updateUndocumented = flag.Bool("update-undocumented", false, "rewrite "+undocumentedFile+" without the elements documented since")

// TestSchemaDescriptions fails on any type, field, argument, input field or
// enum value of the full schema without a description (the explorer shows
// them to partners, who have no other documentation) unless it is one of the
// older gaps of testdata/undocumented.txt, and on any entry of that file that
// is now documented or gone (remove it: the list only shrinks).
func TestSchemaDescriptions(t *testing.T) {
	missing := MissingDescriptions(generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}}).Schema())
	raw, err := os.ReadFile(undocumentedFile)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			known[l] = true
		}
	}
	if *updateUndocumented {
		var keep []string
		for _, m := range missing {
			if known[m] {
				keep = append(keep, m)
			}
		}
		head := "# Schema elements still without a description (graph/descriptions_test.go); the list only shrinks.\n"
		if err := os.WriteFile(undocumentedFile, []byte(head+strings.Join(keep, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	var added []string
	for _, m := range missing {
		if !known[m] {
			added = append(added, m)
		}
		delete(known, m)
	}
	if len(added) > 0 {
		t.Errorf("%d schema elements have no description (add one in graph/schema/*.graphqls or the ent field's Comment):\n%s",
			len(added), strings.Join(added, "\n"))
	}
	if len(known) > 0 {
		var done []string
		for k := range known {
			done = append(done, k)
		}
		sort.Strings(done)
		t.Errorf("documented now, remove from %s:\n%s", undocumentedFile, strings.Join(done, "\n"))
	}
}

// MissingDescriptions lists, sorted, the undocumented elements of s that are
// not built in.
func MissingDescriptions(s *ast.Schema) []string {
	var out []string
	for name, def := range s.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if strings.TrimSpace(def.Description) == "" {
			out = append(out, name)
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if strings.TrimSpace(f.Description) == "" {
				out = append(out, name+"."+f.Name)
			}
			for _, a := range f.Arguments {
				if strings.TrimSpace(a.Description) == "" {
					out = append(out, name+"."+f.Name+"("+a.Name+")")
				}
			}
		}
		for _, v := range def.EnumValues {
			if strings.TrimSpace(v.Description) == "" {
				out = append(out, name+"."+v.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}
