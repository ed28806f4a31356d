package registry_test

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

// generated is a file made on the fly, never held in memory: head, then n
// bytes repeating fill, then tail. It seeks back to its start only (the
// import reads a file twice: its checksum, then its rows).
type generated struct {
	head, fill, tail string
	n                int64
	off              int64
}

func (g *generated) size() int64 { return int64(len(g.head)) + g.n + int64(len(g.tail)) }

func (g *generated) Read(p []byte) (int, error) {
	h := int64(len(g.head))
	w := 0
	for w < len(p) {
		var m int
		switch o := g.off; {
		case o < h:
			m = copy(p[w:], g.head[o:])
		case o < h+g.n:
			k := o - h
			to := p[w:]
			if rest := g.n - k; int64(len(to)) > rest {
				to = to[:rest]
			}
			m = copy(to, g.fill[k%int64(len(g.fill)):])
		case o < g.size():
			m = copy(p[w:], g.tail[o-h-g.n:])
		default:
			if w == 0 {
				return 0, io.EOF
			}
			return w, nil
		}
		g.off += int64(m)
		w += m
	}
	return w, nil
}

// newGenerated repeats pattern in a fill long enough to be copied in large
// pieces.
func newGenerated(head, pattern string, n int64, tail string) *generated {
	return &generated{head: head, fill: strings.Repeat(pattern, (64<<10)/len(pattern)), n: n, tail: tail}
}

func (g *generated) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekStart {
		return 0, errors.New("generated: seek to the start only")
	}
	g.off = 0
	return 0, nil
}

// TestLongLineBoundedMemory feeds files with one line of 300 MB (made on the
// fly by a reader): the line is reported LINE_TOO_LONG on its line, the
// lines after it are still checked, nothing is written, and the import
// allocates a bounded amount of memory, not the line's size.
func TestLongLineBoundedMemory(t *testing.T) {
	const size = 300 << 20
	const budget = 64 << 20
	db := storetest.MustOpen(t)
	f := newImportFixture(t, db, 2)
	declHeader := strings.Join(ingest.Declarations.Columns(), ";")
	opHeader := strings.Join(ingest.Operational.Columns(), ";")
	badNIR := strings.Replace(f.labLine(1, 2, "0,25"), f.nirs[1], "123", 1)
	for _, tc := range []struct {
		name   string
		format ingest.Format
		file   *generated
		want   []ingest.Problem // line and code
	}{
		{"ErrHeaderLineOf300MB", ingest.LabResults, newGenerated("", "nir;", size, "\n"+f.labLine(0, 1, "0,25")+"\n"),
			[]ingest.Problem{{Line: 1, Code: "LINE_TOO_LONG"}}},
		{"ErrDataLineOf300MBThenBadRow", ingest.LabResults, newGenerated(labHeader+"\n"+f.labLine(0, 1, "0,25")+"\n", "x", size, "\n"+badNIR+"\n"),
			[]ingest.Problem{{Line: 3, Code: "LINE_TOO_LONG"}, {Line: 4, Code: "NIR_INVALID"}}},
		{"ErrUnclosedQuoteOf300MB", ingest.Declarations, newGenerated(declHeader+"\n\"", "ligne;\n", size, ""),
			[]ingest.Problem{{Line: 2, Code: "LINE_TOO_LONG"}}},
		{"ErrQuotedFieldOf300MBClosedThenBadRow", ingest.Operational,
			newGenerated(opHeader+"\n\"", "a\n", size, "\";;;;;;;;\n123;Dupré0;Élise;"+siretA+";OP-1;2024-03-04T08:00;2024-03-04T18:00;1;mSv\n"),
			[]ingest.Problem{{Line: 2, Code: "LINE_TOO_LONG"}, {Line: 3 + size/2, Code: "NIR_INVALID"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			as := f.employer
			if tc.format == ingest.LabResults {
				as = f.lab
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			rep, err := f.svc.Run(policy.NewContext(context.Background(), as), db, ingest.Submission{Format: tc.format, Reference: "LONG", Body: tc.file})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d MB read in %v, %.1f MiB allocated, heap in use %.1f MiB after",
				tc.file.size()>>20, time.Since(start).Round(time.Millisecond), float64(alloc)/(1<<20), float64(after.HeapInuse)/(1<<20))
			if alloc > budget {
				t.Errorf("the import allocated %d MiB, want under %d MiB", alloc>>20, budget>>20)
			}
			if rep.Status != ingest.StatusRejected || rep.BatchID != 0 || len(rep.Problems) != len(tc.want) {
				t.Fatalf("report %s, batch %d, problems %+v; want a rejected batch with %d problems", rep.Status, rep.BatchID, rep.Problems, len(tc.want))
			}
			for i, w := range tc.want {
				if p := rep.Problems[i]; p.Line != w.Line || p.Code != w.Code {
					t.Errorf("problem %d: line %d %s (%s), want line %d %s", i, p.Line, p.Code, p.Message, w.Line, w.Code)
				}
			}
			if p := rep.Problems[0]; !strings.Contains(p.Message, "65536 octets") || !strings.Contains(p.Message, "ligne "+strconv.Itoa(p.Line)) {
				t.Errorf("message %q: want the line and the limit", p.Message)
			}
			if records, batches := f.count(t); records != 0 || batches != 0 {
				t.Errorf("%d records and %d batches written", records, batches)
			}
		})
	}
}
