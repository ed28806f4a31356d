package synth_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/siseri/siseri/backend/synth"
)

func outputHash(t *testing.T, s synth.MemSink) string {
	t.Helper()
	h := sha256.New()
	for _, name := range []string{synth.FileDeclarations, synth.FileLabResults, synth.FileOperational,
		synth.FileEstablishments, synth.FileLaboratories, synth.FileLabels} {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write(s[name].Bytes())
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestPreHash(t *testing.T) {
	s := synth.MemSink{}
	if _, err := synth.Generate(synth.Options{Workers: 1200, Months: 24, Seed: 11}, s); err != nil {
		t.Fatal(err)
	}
	t.Log(outputHash(t, s))
}
