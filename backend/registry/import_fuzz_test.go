package registry_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

// FuzzImportLabResults sends arbitrary bytes as a laboratory results file through a
// dry run on SQLite: it must never fail or panic, and the report must hold
// together (every problem located on a line of the file with a code and a
// French message, counts that add up).
func FuzzImportLabResults(f *testing.F) {
	db := storetest.MustOpenSQLite(f)
	fx := newImportFixture(f, db, 3)
	valid := []string{fx.labLine(0, 1, "0,25"), fx.labLine(1, 1, "M"), fx.labLine(2, 1, "ABSENT"), fx.labLine(0, 2, "1.5")}
	internal := fx.nirs[1] + ";Dupré1;Élise Marie;1980-01-15;" + siretA + ";;INTERNE;E50;2024-01-01;2024-06-30;12;µSv;Cs-137;anthroporadiométrie"
	for _, body := range []string{
		labHeader + "\n" + strings.Join(valid, "\n") + "\n",
		"\xEF\xBB\xBF" + labHeader + "\r\n" + strings.Join(valid, "\r\n"),
		labHeader + "\n" + internal + "\n",
		labHeader + "\n",
		"",
		"\n  \r\n" + labHeader + "\n\t\n\n", // blank lines around a header without rows
		labHeader + "\n" + strings.Replace(valid[0], ";;", ";\"porté;\npuis \"\"rendu\"\"\";", 1) + "\n" + valid[1], // quoted line break
		"nir;nom\n1;2\n",
		labHeader + "\n" + valid[0] + "\n" + valid[0] + "\n",                                   // duplicate
		labHeader + "\n" + strings.Replace(valid[0], "DUPRÉ0", `DU"PRÉ0`, 1) + "\n" + valid[1], // bare quote
		labHeader + "\n" + strings.Replace(valid[1], "M;mSv", "-1;Sv", 1) + ";\n\"open",
		labHeader + "\n" + strings.Replace(valid[2], "PASSIF_CORPS_ENTIER;HP10", "OPERATIONNEL;HP007", 1) + "\n",
		labHeader + "\n" + strings.Replace(valid[3], "2024-02-29", "2024-06-01", 1) + "\n" + "\xC9\x00;;;;;;;;;;;;;\n",
		labHeader + "\n" + strings.Replace(valid[0], "0,25;mSv", "0,2504;mSv", 1) + "\n" + strings.Replace(valid[1], "M;mSv", "0.30;µSv", 1) + "\n", // rounded
		labHeader + "\n" + strings.Replace(valid[0], "DUPRÉ0", "DU\x1bPRÉ0", 1) + "\n" + strings.Replace(valid[1], "M;mSv", "--;mSv", 1) + "\n",
		labHeader + "\n" + strings.Replace(valid[0], fx.nirs[0], "NTT:ABC", 1) + "\n" + strings.Replace(valid[1], fx.nirs[1], "DE:X-1", 1) + "\n",
	} {
		f.Add([]byte(body))
	}
	cols := ingest.LabResults.Columns()
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := policy.NewContext(context.Background(), fx.lab)
		rep, err := fx.svc.Run(ctx, db, ingest.Submission{Format: ingest.LabResults, Reference: "FUZZ", DryRun: true,
			Body: bytes.NewReader(data)})
		if err != nil {
			t.Fatalf("dry run failed: %v", err)
		}
		if rep.Status != ingest.StatusDryRun || rep.BatchID != 0 {
			t.Fatalf("status %s, batch %d", rep.Status, rep.BatchID)
		}
		if rep.RowsAccepted+rep.RowsRejected != rep.RowsTotal || rep.RowsAccepted < 0 || rep.RowsRejected < 0 {
			t.Fatalf("%d accepted + %d rejected != %d rows", rep.RowsAccepted, rep.RowsRejected, rep.RowsTotal)
		}
		// Warnings (a value rounded to the µSv) do not reject their row: only
		// errors count against the rejected rows.
		warnings := 0
		for _, p := range rep.Problems {
			switch p.Severity {
			case ingest.SeverityWarning:
				warnings++
			case ingest.SeverityError:
			default:
				t.Fatalf("problem %+v: bad severity", p)
			}
		}
		errs := rep.ProblemCount - rep.WarningCount
		if rep.ProblemCount != len(rep.Problems) || warnings != rep.WarningCount || (errs > 0) != (rep.RowsRejected > 0) {
			t.Fatalf("%d problems (%d listed, %d warnings) for %d rejected rows", rep.ProblemCount, len(rep.Problems), rep.WarningCount, rep.RowsRejected)
		}
		if rep.RowsRejected > errs {
			t.Fatalf("%d rejected rows but %d errors", rep.RowsRejected, errs)
		}
		classes := 0
		for _, c := range rep.DoseClasses {
			classes += c.Count
		}
		if classes != rep.RowsAccepted {
			t.Fatalf("dose classes count %d doses for %d accepted rows", classes, rep.RowsAccepted)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for i, p := range rep.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem %+v: line out of the file's %d lines", p, lines)
			}
			if i > 0 && p.Line < rep.Problems[i-1].Line {
				t.Fatalf("problems out of line order: %+v", rep.Problems)
			}
			if p.Code == "" || strings.ToUpper(p.Code) != p.Code {
				t.Fatalf("problem %+v: bad code", p)
			}
			first, _ := utf8.DecodeRuneInString(p.Message)
			if !utf8.ValidString(p.Message) || !unicode.IsUpper(first) || len(p.Message) < 10 {
				t.Fatalf("problem %+v: not a French sentence", p)
			}
			if strings.ContainsFunc(p.Message+p.Value, dosimetry.RefusedRune) {
				t.Fatalf("problem %+v: quotes a control or invisible character", p)
			}
			if p.Column != "" && !slices.Contains(cols, p.Column) {
				t.Fatalf("problem %+v: unknown column", p)
			}
		}
	})
}
