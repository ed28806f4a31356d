// Package eval measures the anomaly detector on a synthetic population
// written by `siseri synth` (ANOMALY.md §5): it creates a fresh registry,
// replays the files in time order as its users would: a SISERI server on a
// loopback port and the real clock, the employer correspondent and the
// laboratories uploading their files through the GraphQL multipart upload
// with the date of receipt (detection runs inside each import), and an
// analyst reading the anomalies back through GraphQL. It matches them to
// the injected labels and compares the detector with the baselines B0–B4
// at the same false-alert budget.
package eval

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/synth"
)

// Options configure an evaluation.
type Options struct {
	// Dir holds the files of `siseri synth`.
	Dir string
	// DatabaseURL: a PostgreSQL URL makes the evaluation create a temporary
	// database next to it (dropped at the end); anything else uses a
	// temporary SQLite file.
	DatabaseURL string
	// WarmupMonths are replayed but not scored (default 12).
	WarmupMonths int
	// Grace is how long after a month's end its laboratory batches are
	// received: their date of receipt is the month's end plus Grace
	// (default 2 days). The server itself runs on the real clock.
	Grace time.Duration
	// Progress receives one line per replayed month (may be nil).
	Progress io.Writer
	// Debug receives the false alerts, the missed labels and the server's
	// warnings (may be nil).
	Debug io.Writer
	// Inspect, when not nil, is called with the replay's database URL and
	// the result before the database is dropped (tests compare the two).
	Inspect func(ctx context.Context, databaseURL string, res *Result) error
}

// table is a CSV file: header and rows.
type table struct {
	header []string
	rows   [][]string
	col    map[string]int
}

func readTable(path string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	all, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: fichier vide", filepath.Base(path))
	}
	t := &table{header: all[0], rows: all[1:], col: map[string]int{}}
	for i, h := range t.header {
		t.col[h] = i
	}
	return t, nil
}

func (t *table) get(row []string, name string) string {
	i, ok := t.col[name]
	if !ok || i >= len(row) {
		return ""
	}
	return row[i]
}

// body writes rows as a CSV body with the table's header.
func (t *table) body(rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write(t.header)
	_ = w.WriteAll(rows)
	return b.Bytes()
}

func parseDate(s string) (time.Time, bool) {
	if len(s) >= 10 {
		s = s[:10]
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// Formats of the exchange files (docs/formats.md), as the GraphQL enum
// ImportFormat spells them.
const (
	formatDeclarations = "DECLARATIONS"
	formatOperational  = "OPERATIONAL"
	formatLabResults   = "LAB_RESULTS"
)

// formatLabels are the formats' French names in the report.
var formatLabels = map[string]string{
	formatDeclarations: "déclarations",
	formatOperational:  "dosimétrie opérationnelle",
	formatLabResults:   "résultats de laboratoire",
}

const submitFileMutation = `mutation EvalSubmitFile($in: SubmitFileInput!) {
  submitFile(input: $in) { status rowsTotal rowsAccepted problemCount problems { line code severity } }
}`

// submit uploads one batch as c, with partial acceptance and, for
// laboratory results, the date of receipt; problems are added to the
// statistics and the rejected rows returned by their index in rows.
func (r *registry) submit(ctx context.Context, c *client, f, ref string, t *table, rows [][]string, receivedAt time.Time, st *replayStats) (map[int]string, error) {
	in := map[string]any{"format": f, "reference": ref, "partial": true}
	if !receivedAt.IsZero() {
		in["receivedAt"] = receivedAt.Format(time.DateOnly)
	}
	var out struct {
		SubmitFile struct {
			Status       string
			RowsTotal    int
			RowsAccepted int
			ProblemCount int
			Problems     []struct {
				Line           int
				Code, Severity string
			}
		}
	}
	if err := c.upload(ctx, submitFileMutation, in, ref+".csv", t.body(rows), &out); err != nil {
		return nil, fmt.Errorf("lot %s : %w", ref, err)
	}
	rep := out.SubmitFile
	st.batches++
	st.accepted[f] += rep.RowsAccepted
	st.total[f] += len(rows)
	bad := map[int]string{}
	for _, p := range rep.Problems {
		if p.Severity != "ERROR" {
			continue
		}
		if _, seen := bad[p.Line-2]; seen {
			continue
		}
		bad[p.Line-2] = p.Code
		st.rejected[f+" "+p.Code]++
	}
	if rep.ProblemCount > len(rep.Problems) {
		st.rejected[f+" (non détaillés)"] += rep.ProblemCount - len(rep.Problems)
	}
	return bad, nil
}

type replayStats struct {
	batches  int
	accepted map[string]int
	total    map[string]int
	rejected map[string]int
	// rejectedRows are lab rows the validator refused: they count as
	// validity alerts (the value never entered the registry).
	rejectedRows []rejectedRow
	seconds      float64
}

type rejectedRow struct {
	nir        string
	start, end time.Time
	code       string
	month      int
}

// window describes the replayed months.
type window struct {
	start  time.Time
	months int
}

func (w window) index(t time.Time) int {
	return (t.Year()-w.start.Year())*12 + int(t.Month()) - int(w.start.Month())
}

func (w window) month(i int) time.Time { return w.start.AddDate(0, i, 0) }

// lateComment is what the generator's laboratories write on a late result;
// it tells a late result of the previous month from an on-time one.
const lateComment = "retard"

// arrivalMonths assigns each lab row the month it is transmitted in:
// lab-results.csv is in transmission order, sorted by period end within a
// month, so a month's block starts with its late results (ending earlier).
func arrivalMonths(t *table, w window) []int {
	out := make([]int, len(t.rows))
	cur, prevF := -1, -1
	for i, row := range t.rows {
		end, ok := parseDate(t.get(row, "fin_periode"))
		f := cur
		if ok {
			f = w.index(end)
		}
		switch {
		case cur < 0 || f > cur:
			cur = f
		case f < prevF:
			cur++
		case f == cur && strings.Contains(t.get(row, "commentaire"), lateComment):
			cur++
		}
		cur = min(max(cur, 0), w.months-1)
		out[i] = cur
		prevF = f
	}
	return out
}

// receiptOf is the date of receipt of the laboratory batches transmitted in
// month m: the month's end plus the grace delay (the synthetic files carry
// no date of receipt of their own).
func receiptOf(w window, m int, grace time.Duration) time.Time {
	return w.month(m+1).AddDate(0, 0, -1).Add(grace)
}

// replay uploads the declarations, then month by month, in time order, the
// operational dosimetry and the laboratory results, through the server's
// multipart upload mutation, as the people who send them. Detection runs
// inside each import on the server's real clock. After each month the
// reader lists the anomalies raised since; replay returns the month each
// anomaly was raised in.
func replay(ctx context.Context, r *registry, o Options, w window) (map[int]int, *replayStats, error) {
	st := &replayStats{accepted: map[string]int{}, total: map[string]int{}, rejected: map[string]int{}}
	t0 := time.Now()
	if err := submitDeclarations(ctx, r, o, st); err != nil {
		return nil, nil, err
	}
	labByMonth, opByMonth, lab, ops, err := monthly(r, o, w)
	if err != nil {
		return nil, nil, err
	}
	raisedIn := map[int]int{}
	lastID := 0
	for m := 0; m < w.months; m++ {
		ym := w.month(m).Format("2006-01")
		if len(opByMonth[m]) > 0 {
			if _, err := r.submit(ctx, r.employer, formatOperational, "eval-op-"+ym, ops, opByMonth[m], time.Time{}, st); err != nil {
				return nil, nil, err
			}
		}
		codes := make([]string, 0, len(labByMonth[m]))
		for c := range labByMonth[m] {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			rows := labByMonth[m][c]
			sender := r.labs[c]
			if sender == nil {
				sender = r.labs[r.labCodes[0]] // unknown prefix: the validator will say so
			}
			bad, err := r.submit(ctx, sender, formatLabResults, "eval-"+c+"-"+ym, lab, rows, receiptOf(w, m, o.Grace), st)
			if err != nil {
				return nil, nil, err
			}
			for i, code := range bad {
				if i < 0 || i >= len(rows) {
					continue
				}
				s, _ := parseDate(lab.get(rows[i], "debut_periode"))
				e, _ := parseDate(lab.get(rows[i], "fin_periode"))
				st.rejectedRows = append(st.rejectedRows, rejectedRow{nir: lab.get(rows[i], "nir"), start: s, end: e, code: code, month: m})
			}
		}
		news, err := readAnomalyIDs(ctx, r.reader, lastID)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range news {
			raisedIn[id] = m
			lastID = max(lastID, id)
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "mois %s : %d anomalies nouvelles (%.0f s)\n", ym, len(news), time.Since(t0).Seconds())
		}
	}
	st.seconds = time.Since(t0).Seconds()
	return raisedIn, st, nil
}

// submitDeclarations uploads the declarations as the employer
// correspondent. They are known before the replay (an employer declares
// employments, past and planned, up front). One batch per rank of a
// worker's declarations (first employment of every worker, then second…):
// a batch declaring one new worker twice fails in the import (the second
// row keeps the placeholder id of the worker being created).
func submitDeclarations(ctx context.Context, r *registry, o Options, st *replayStats) error {
	decl, err := readTable(filepath.Join(o.Dir, synth.FileDeclarations))
	if err != nil {
		return err
	}
	var ranks [][][]string
	seen := map[string]int{}
	for _, row := range decl.rows {
		k := seen[decl.get(row, "nir")]
		seen[decl.get(row, "nir")] = k + 1
		if k == len(ranks) {
			ranks = append(ranks, nil)
		}
		ranks[k] = append(ranks[k], row)
	}
	for i, rows := range ranks {
		if _, err := r.submit(ctx, r.employer, formatDeclarations, fmt.Sprintf("eval-declarations-%d", i+1), decl, rows, time.Time{}, st); err != nil {
			return err
		}
	}
	return nil
}

// monthly splits the laboratory results by month of transmission and
// laboratory, and the operational results by month.
func monthly(r *registry, o Options, w window) (labByMonth []map[string][][]string, opByMonth [][][]string, lab, ops *table, err error) {
	if lab, err = readTable(filepath.Join(o.Dir, synth.FileLabResults)); err != nil {
		return
	}
	if ops, err = readTable(filepath.Join(o.Dir, synth.FileOperational)); err != nil {
		return
	}
	arrival := arrivalMonths(lab, w)
	labByMonth = make([]map[string][][]string, w.months)
	for i := range labByMonth {
		labByMonth[i] = map[string][][]string{}
	}
	for i, row := range lab.rows {
		code := r.labOf(lab.get(row, "dosimetre"))
		labByMonth[arrival[i]][code] = append(labByMonth[arrival[i]][code], row)
	}
	opByMonth = make([][][]string, w.months)
	for _, row := range ops.rows {
		end, ok := parseDate(ops.get(row, "fin"))
		m := 0
		if ok {
			m = min(max(w.index(end), 0), w.months-1)
		}
		opByMonth[m] = append(opByMonth[m], row)
	}
	return
}
