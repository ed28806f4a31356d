package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/backend/synth"
)

// TestDetectEval runs `siseri detect eval --dir DIR --json` on a tiny
// population and checks the JSON headline; without a directory it is a
// usage error.
func TestDetectEval(t *testing.T) {
	// Ensure a missing directory is a usage error, not a replay.
	t.Run("ErrNoDirectory", func(t *testing.T) {
		err := detectCmd(context.Background(), []string{"eval", "--json"}, io.Discard, io.Discard)
		var u usageError
		if !errors.As(err, &u) {
			t.Fatalf("detect eval without directory: %v, want a usage error", err)
		}
	})
	// Ensure --dir replays the population and prints the split headline.
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := synth.Generate(synth.Options{Workers: 150, Months: 14, Seed: 5}, synth.DirSink(dir)); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err := detectCmd(context.Background(), []string{"eval", "--dir", dir, "--json", "--quiet", "--database-url", storetest.AdminURL()}, &out, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]map[string]any
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("decode %s: %v", out.String(), err)
		}
		for _, k := range []string{"overall", "missing_result", "overall_all_kinds"} {
			if _, ok := doc[k]["f1"].(float64); !ok {
				t.Errorf("%s.f1 missing in %s", k, out.String())
			}
		}
		if n, _ := doc["run"]["anomalies_stored"].(float64); n == 0 {
			t.Errorf("no anomaly read back: %v", doc["run"])
		}
	})
}
