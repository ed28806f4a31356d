package ingest_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/ingest"
)

// parsedAt is the instant the fuzzed files are parsed at.
var parsedAt = time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)

const labHeader = "nir;nom;prenom;date_naissance;siret;dosimetre;type_suivi;grandeur;debut_periode;fin_periode;resultat;unite;radionucleide;commentaire"

// labRow is a valid result row of worker i (a valid NIR) in month m of 2024.
func labRow(i, m int, result string) string {
	first13 := fmt.Sprintf("1800175056%03d", i+1)
	key, _ := dosimetry.NIRKey(first13)
	start := time.Date(2024, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	return fmt.Sprintf("%s%02d;DUPRÉ%d;elise;1980-01-15;73282932000074;D%04d;PASSIF_CORPS_ENTIER;HP10;%s;%s;%s;mSv;;",
		first13, key, i, i, start.Format(time.DateOnly), start.AddDate(0, 1, -1).Format(time.DateOnly), result)
}

// parseLabFile reads a laboratory results file and parses its rows, three
// at a time, as a dry run does before the registry's checks: a valid row
// is accepted unless it repeats an earlier one.
func parseLabFile(t *testing.T, data []byte) (*ingest.Report, []ingest.LabResult) {
	t.Helper()
	b := ingest.NewBatch(ingest.Submission{Format: ingest.LabResults, Reference: "FUZZ", DryRun: true, Body: bytes.NewReader(data)})
	var parsed []ingest.LabResult
	ok, err := b.Open()
	if err == nil && ok {
		err = b.Read(3, func(rows []*ingest.Row) error {
			for _, rw := range rows {
				res, ok := ingest.ParseLab(rw, parsedAt)
				if !ok || b.Duplicate(rw, res.Key(), "dosimetre") {
					b.Reject(rw)
					continue
				}
				b.AcceptDose(int64(res.Value), res.Status == dosimetry.StatusAbsent)
				parsed = append(parsed, res)
			}
			return nil
		})
	}
	if err != nil {
		t.Fatalf("parse failed: %v", err)
	}
	b.Finish()
	return b.Report, parsed
}

// FuzzLabResults parses arbitrary bytes as a laboratory results file: it
// must never fail or panic, the report must hold together (every problem
// located on a line of the file with a code and a French message, counts
// that add up), and every accepted row must be a well-formed dose.
func FuzzLabResults(f *testing.F) {
	valid := []string{labRow(0, 1, "0,25"), labRow(1, 1, "M"), labRow(2, 1, "ABSENT"), labRow(0, 2, "1.5")}
	internal := strings.Replace(labRow(1, 1, "12"), "D0001;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;12;mSv;;",
		";INTERNE;E50;2024-01-01;2024-06-30;12;µSv;Cs-137;anthroporadiométrie", 1)
	for _, body := range []string{
		labHeader + "\n" + strings.Join(valid, "\n") + "\n",
		"\xEF\xBB\xBF" + labHeader + "\r\n" + strings.Join(valid, "\r\n"),
		labHeader + "\n" + internal + "\n",
		labHeader + "\n",
		"",
		"\n  \r\n" + labHeader + "\n\t\n\n",
		labHeader + "\n" + strings.Replace(valid[0], ";;", ";\"porté;\npuis \"\"rendu\"\"\";", 1) + "\n" + valid[1],
		"nir;nom\n1;2\n",
		labHeader + "\n" + valid[0] + "\n" + valid[0] + "\n",
		labHeader + "\n" + strings.Replace(valid[0], "DUPRÉ0", `DU"PRÉ0`, 1) + "\n" + valid[1],
		labHeader + "\n" + strings.Replace(valid[1], "M;mSv", "-1;Sv", 1) + ";\n\"open",
		labHeader + "\n" + strings.Replace(valid[2], "PASSIF_CORPS_ENTIER;HP10", "OPERATIONNEL;HP007", 1) + "\n",
		labHeader + "\n" + strings.Replace(valid[3], "2024-02-29", "2024-06-01", 1) + "\n" + "\xC9\x00;;;;;;;;;;;;;\n",
		labHeader + "\n" + strings.Replace(valid[0], "0,25;mSv", "0,2504;mSv", 1) + "\n" + strings.Replace(valid[1], "M;mSv", "0.30;µSv", 1) + "\n",
		labHeader + "\n" + strings.Replace(valid[0], "DUPRÉ0", "DU\x1bPRÉ0", 1) + "\n" + strings.Replace(valid[1], "M;mSv", "--;mSv", 1) + "\n",
		labHeader + "\n" + strings.Replace(valid[0], valid[0][:15], "NTT:ABC", 1) + "\n" + strings.Replace(valid[1], valid[1][:15], "DE:X-1", 1) + "\n",
	} {
		f.Add([]byte(body))
	}
	cols := ingest.LabResults.Columns()
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, parsed := parseLabFile(t, data)
		if rep.Status != ingest.StatusDryRun || rep.RowsAccepted != len(parsed) {
			t.Fatalf("status %s, %d accepted for %d parsed", rep.Status, rep.RowsAccepted, len(parsed))
		}
		if rep.RowsAccepted+rep.RowsRejected != rep.RowsTotal || rep.RowsRejected < 0 {
			t.Fatalf("%d accepted + %d rejected != %d rows", rep.RowsAccepted, rep.RowsRejected, rep.RowsTotal)
		}
		errs := 0
		for _, p := range rep.Problems {
			if !p.IsWarning() {
				errs++
			}
		}
		if rep.ProblemCount != len(rep.Problems) || errs != rep.ProblemCount-rep.WarningCount || (errs > 0) != (rep.RowsRejected > 0) || rep.RowsRejected > errs {
			t.Fatalf("%d problems (%d listed, %d warnings, %d errors) for %d rejected rows", rep.ProblemCount, len(rep.Problems), rep.WarningCount, errs, rep.RowsRejected)
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
			first, _ := utf8.DecodeRuneInString(p.Message)
			switch {
			case p.Line < 1 || p.Line > lines:
				t.Fatalf("problem %+v: line out of the file's %d lines", p, lines)
			case i > 0 && p.Line < rep.Problems[i-1].Line:
				t.Fatalf("problems out of line order: %+v", rep.Problems)
			case p.Severity != ingest.SeverityError && p.Severity != ingest.SeverityWarning:
				t.Fatalf("problem %+v: bad severity", p)
			case p.Code == "" || strings.ToUpper(p.Code) != p.Code:
				t.Fatalf("problem %+v: bad code", p)
			case !utf8.ValidString(p.Message) || !unicode.IsUpper(first) || len(p.Message) < 10:
				t.Fatalf("problem %+v: not a French sentence", p)
			case strings.ContainsFunc(p.Message+p.Value, dosimetry.RefusedRune):
				t.Fatalf("problem %+v: quotes a control or invisible character", p)
			case p.Column != "" && !slices.Contains(cols, p.Column):
				t.Fatalf("problem %+v: unknown column", p)
			}
		}
		for _, res := range parsed {
			if _, err := dosimetry.ParseWorkerIdentifier(res.Identity.Key); err != nil || res.End.Before(res.Start) ||
				res.Value < 0 || !res.Value.Plausible() || res.Source != dosimetry.SourceLaboratory || res.Version != 1 {
				t.Fatalf("accepted result %+v: not a well-formed dose", res)
			}
		}
	})
}
