package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSynthFamily checks the --family option: a held-out family is written
// with its name in the summary, an unknown one is a usage error listing the
// families.
func TestSynthFamily(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := synthCmd([]string{"--workers", "60", "--months", "3", "--family", "terrain-b", "--out", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "famille terrain-b") {
		t.Errorf("summary %q does not name the family", out.String())
	}
	if fi, err := os.Stat(filepath.Join(dir, "lab-results.csv")); err != nil || fi.Size() == 0 {
		t.Errorf("lab-results.csv not written: %v", err)
	}
	err := synthCmd([]string{"--family", "terrain-z", "--out", dir}, &out)
	var u usageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "terrain-a") {
		t.Errorf("unknown family: %v, want a usage error listing the families", err)
	}
}
