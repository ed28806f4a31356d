package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// entry is what reading a record gives: its line, and its fields, a syntax
// error or (capped reading only) LINE_TOO_LONG.
type entry struct {
	line   int
	fields []string
	err    bool
	long   bool
	span   int64 // bytes the uncapped reader consumed for it (blank lines before it included)
}

func newTestCSV(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	return cr
}

// readUncapped reads data with encoding/csv alone.
func readUncapped(t *testing.T, data []byte) []entry {
	cr := newTestCSV(bytes.NewReader(data))
	var out []entry
	for {
		before := cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			out = append(out, entry{line: pe.StartLine, err: true, span: cr.InputOffset() - before})
		case err != nil:
			t.Fatalf("uncapped read: %v", err)
		default:
			line, _ := cr.FieldPos(0)
			out = append(out, entry{line: line, fields: slices.Clone(rec), span: cr.InputOffset() - before})
		}
	}
}

// readCapped reads data through lineCap, as csvSource does.
func readCapped(t *testing.T, data []byte, max int) []entry {
	lc := newLineCap(bytes.NewReader(data), max)
	cr := newTestCSV(lc)
	var out []entry
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if len(lc.long) != 0 {
				t.Fatalf("over-long records never read: %v", lc.long)
			}
			return out
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			if line, long := lc.tooLong(pe.StartLine); long {
				out = append(out, entry{line: line, long: true})
			} else {
				out = append(out, entry{line: lc.fileLine(pe.StartLine), err: true})
			}
		case err != nil:
			t.Fatalf("capped read: %v", err)
		default:
			at, _ := cr.FieldPos(0)
			if line, long := lc.tooLong(at); long {
				out = append(out, entry{line: line, long: true})
			} else {
				out = append(out, entry{line: lc.fileLine(at), fields: slices.Clone(rec)})
			}
		}
	}
}

// checkCap compares the capped reading of data with encoding/csv's: the same
// records at the same lines, except that those longer than max are
// reported on their line instead, and only those.
func checkCap(t *testing.T, data []byte, max int) {
	t.Helper()
	want, got := readUncapped(t, data), readCapped(t, data, max)
	if len(got) != len(want) {
		t.Fatalf("max %d: %d records, encoding/csv reads %d\ngot  %+v\nwant %+v", max, len(got), len(want), got, want)
	}
	for i, w := range want {
		g := got[i]
		if g.line != w.line {
			t.Fatalf("max %d, record %d: line %d, encoding/csv says %d", max, i, g.line, w.line)
		}
		// A lower bound of the record's length: its fields and separators.
		n := 0
		for _, f := range w.fields {
			n += len(f) + 1
		}
		switch {
		case g.long:
			if w.span <= int64(max) {
				t.Fatalf("max %d, line %d: reported too long, but encoding/csv read %d bytes for it", max, w.line, w.span)
			}
		case n-1 > max:
			t.Fatalf("max %d, line %d: %d bytes of fields not reported too long", max, w.line, n-1)
		case g.err != w.err || !slices.Equal(g.fields, w.fields):
			t.Fatalf("max %d, line %d: got %q (error %v), encoding/csv reads %q (error %v)", max, w.line, g.fields, g.err, w.fields, w.err)
		}
	}
}

func TestLineCap(t *testing.T) {
	long := strings.Repeat("x", 40)
	for _, tc := range []struct {
		name string
		data string
		max  int
		want []entry // line, long (fields not compared here)
	}{
		{"OKShortLines", "a;b\nc;d\n", 10, []entry{{line: 1}, {line: 2}}},
		{"OKExactlyMax", "abcdefghij\nb\n", 10, []entry{{line: 1}, {line: 2}}},
		{"OKExactlyMaxCRLF", "abcdefghij\r\nb\r\n", 10, []entry{{line: 1}, {line: 2}}},
		{"OKExactlyMaxAtEOF", "a\nabcdefghij", 10, []entry{{line: 1}, {line: 2}}},
		{"ErrOneByteOver", "abcdefghijk\nb\n", 10, []entry{{line: 1, long: true}, {line: 2}}},
		{"ErrOneByteOverCRLF", "abcdefghijk\r\nb\r\n", 10, []entry{{line: 1, long: true}, {line: 2}}},
		{"ErrCRBeforeTheEnd", "abcdefghij\rk\nb\n", 10, []entry{{line: 1, long: true}, {line: 2}}},
		{"ErrLongAtEOF", "a\n" + long, 10, []entry{{line: 1}, {line: 2, long: true}}},
		{"ErrLongThenBlankLines", long + "\n\n\n" + "b\n", 10, []entry{{line: 1, long: true}, {line: 4}}},
		{"ErrUnclosedQuoteToEOF", "a\n\"" + strings.Repeat("x\n", 30), 10, []entry{{line: 1}, {line: 2, long: true}}},
		{"ErrLongQuotedFieldOverLines", "a\n\"" + strings.Repeat("x\n", 30) + "\";b\nc\n\"d\ne\"\n", 10,
			[]entry{{line: 1}, {line: 2, long: true}, {line: 33}, {line: 34}}},
		{"ErrTwoLongQuotedFields", "\"" + strings.Repeat("\n", 20) + "\"\n\"" + strings.Repeat("x\n", 20) + "\"\nz\n", 10,
			[]entry{{line: 1, long: true}, {line: 22, long: true}, {line: 43}}},
		{"ErrLongAfterBareQuote", "a\"b" + long + "\nc\n", 10, []entry{{line: 1, long: true}, {line: 2}}},
		{"ErrQuotedThenLongJunk", "\"a\"b" + long + "\nc\n", 10, []entry{{line: 1, long: true}, {line: 2}}},
		{"ErrBlankButLong", strings.Repeat(" ", 20) + "\nc\n", 10, []entry{{line: 1, long: true}, {line: 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkCap(t, []byte(tc.data), tc.max)
			got := readCapped(t, []byte(tc.data), tc.max)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %d records", got, len(tc.want))
			}
			for i, w := range tc.want {
				if got[i].line != w.line || got[i].long != w.long {
					t.Errorf("record %d: line %d long %v, want line %d long %v", i, got[i].line, got[i].long, w.line, w.long)
				}
			}
		})
	}
}

// FuzzLineCap checks that capping lines changes nothing to what encoding/csv
// reads but the over-long records, which are reported on their own line
// (see checkCap), whatever the bytes and the cap.
func FuzzLineCap(f *testing.F) {
	for _, s := range []string{
		"a;b\nc;d\n",
		"abcdefghijk\r\nb\r\n",
		"a\n\"" + strings.Repeat("x\n", 30) + "\";b\nc\n\"d\ne\"\n",
		"\"a\"b" + strings.Repeat("x", 40) + "\nc\n",
		"a\"b;\"c\"\"d\";\"e\"\r\n\r\n\n;;\n\"\n",
		"\"x\"\r\r\n\"y\"\rz\n",
	} {
		f.Add([]byte(s), uint8(10))
	}
	f.Fuzz(func(t *testing.T, data []byte, max uint8) {
		checkCap(t, data, int(max%64)+1)
		checkCap(t, data, len(data)+1) // never cut: exactly encoding/csv
	})
}

// BenchmarkLineCap reads 10 MB of result rows with encoding/csv, alone and
// behind lineCap, to show what the cap costs.
func BenchmarkLineCap(b *testing.B) {
	row := "180017505600103;DUPRÉ;Élise;1980-01-15;73282932000074;D0001;PASSIF_CORPS_ENTIER;HP10;2024-01-01;2024-01-31;0,25;mSv;;\"porté; puis rendu\";2024-02-12\n"
	data := []byte(strings.Repeat(row, (10<<20)/len(row)))
	for _, capped := range []bool{false, true} {
		name := "csv"
		if capped {
			name = "csv+lineCap"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var r io.Reader = bytes.NewReader(data)
				if capped {
					r = newLineCap(r, MaxLineBytes)
				}
				cr := newTestCSV(r)
				cr.ReuseRecord = true
				for {
					if _, err := cr.Read(); err != nil {
						break
					}
				}
			}
		})
	}
}
