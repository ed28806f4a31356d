package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/siseri/siseri/backend/dosimetry"
)

// source yields the rows of a submission with their line numbers.
type source interface {
	// next returns the next row; io.EOF at the end. A *rowError reports a row
	// that could not be read (CSV syntax, encoding); reading goes on after it.
	next() (line int, fields []string, err error)
}

type rowError struct {
	line  int
	code  string
	msg   string
	col   string // the column, when the error is about one
	value string
}

func (e *rowError) Error() string { return e.msg }

// csvSource reads a UTF-8 CSV file with ';' separators and checks its header.
type csvSource struct {
	r    *csv.Reader
	lc   *lineCap
	cols []string
	// width is the number of columns of the file's version: an earlier
	// version has fewer (the last, optional columns are missing) and its
	// rows are padded with empty fields.
	width int
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// newCSVSource reads a file of the format with columns cols; widths are the
// column counts of the format's earlier versions whose header is accepted
// too (laboratory results v1: the v2 columns but the last). Blank lines
// before the header are skipped; a file with nothing else is EMPTY_FILE.
func newCSVSource(r io.Reader, cols []string, widths ...int) (*csvSource, *Problem) {
	br := bufio.NewReaderSize(r, 256<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(3)
	}
	lc := newLineCap(br, MaxLineBytes)
	cr := csv.NewReader(lc)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	s := &csvSource{r: cr, lc: lc, cols: cols, width: len(cols)}
	var header []string
	line := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil, &Problem{Line: 1, Code: "EMPTY_FILE", Message: "Le fichier est vide (ou n'a que des lignes vides) : la ligne d'en-tête est attendue."}
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if at, long := lc.tooLong(pe.StartLine); long {
				return nil, lineTooLong(at).problem()
			}
			return nil, &Problem{Line: lc.fileLine(pe.StartLine), Code: "CSV_SYNTAX", Message: "La ligne d'en-tête est illisible : " + csvReason(err) + "."}
		}
		if err != nil {
			return nil, &Problem{Line: 1, Code: "CSV_SYNTAX", Message: "La ligne d'en-tête est illisible : " + csvReason(err) + "."}
		}
		at, _ := cr.FieldPos(0)
		if l, long := lc.tooLong(at); long {
			return nil, lineTooLong(l).problem()
		}
		if !blank(rec) {
			header, line = rec, lc.fileLine(at)
			break
		}
	}
	for _, w := range widths {
		if len(header) == w {
			s.width = w
		}
	}
	if p := checkHeader(line, header, cols[:s.width]); p != nil {
		return nil, p
	}
	return s, nil
}

// blank reports whether a record is a line of spaces (or nothing).
func blank(rec []string) bool { return len(rec) == 1 && strings.TrimSpace(rec[0]) == "" }

// lineTooLong is the problem of a line longer than MaxLineBytes.
func lineTooLong(line int) *rowError {
	return &rowError{line: line, code: "LINE_TOO_LONG",
		msg: fmt.Sprintf("La ligne %d dépasse la longueur maximale d'une ligne, %d Kio (%d octets) : elle n'est pas lue. "+
			"Un guillemet jamais refermé, qui prolonge le champ jusqu'au guillemet suivant, en est une cause fréquente.",
			line, MaxLineBytes>>10, MaxLineBytes)}
}

func (e *rowError) problem() *Problem {
	return &Problem{Line: e.line, Column: e.col, Value: e.value, Code: e.code, Message: e.msg}
}

func checkHeader(line int, header, cols []string) *Problem {
	header = slices.Clone(header)
	for i := range header {
		header[i] = printable(header[i])
	}
	// What the report quotes shows control and invisible characters as « � ».
	shown := func(i int) string { return dosimetry.Visible(header[i]) }
	for i, want := range cols {
		if i >= len(header) {
			return &Problem{Line: line, Column: want, Code: "HEADER_MISSING_COLUMN",
				Message: fmt.Sprintf("La ligne d'en-tête n'a pas la colonne « %s » en position %d (en-tête attendu : %s).", want, i+1, strings.Join(cols, ";"))}
		}
		got := strings.ToLower(strings.TrimSpace(header[i]))
		if got != want {
			return &Problem{Line: line, Column: want, Value: shown(i), Code: "HEADER_COLUMN",
				Message: fmt.Sprintf("La colonne %d de l'en-tête est « %s » alors que « %s » est attendue (en-tête attendu : %s).", i+1, shown(i), want, strings.Join(cols, ";"))}
		}
	}
	if len(header) > len(cols) {
		return &Problem{Line: line, Value: shown(len(cols)), Code: "HEADER_EXTRA_COLUMN",
			Message: fmt.Sprintf("La ligne d'en-tête a %d colonnes au lieu de %d : « %s » est en trop.", len(header), len(cols), shown(len(cols)))}
	}
	return nil
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return fmt.Sprintf("guillemet isolé dans un champ non entouré de guillemets (colonne %d)", pe.Column)
		case errors.Is(pe.Err, csv.ErrQuote):
			return fmt.Sprintf("guillemet mal placé ou non fermé (colonne %d)", pe.Column)
		}
		return pe.Err.Error()
	}
	return err.Error()
}

func (s *csvSource) next() (int, []string, error) {
	for {
		rec, err := s.r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, nil, io.EOF
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if line, long := s.lc.tooLong(pe.StartLine); long {
					return line, nil, lineTooLong(line)
				}
				line := s.lc.fileLine(pe.StartLine)
				return line, nil, &rowError{line: line, code: "CSV_SYNTAX",
					msg: "La ligne est illisible : " + csvReason(err) + "."}
			}
			return 0, nil, err
		}
		at, _ := s.r.FieldPos(0)
		if line, long := s.lc.tooLong(at); long {
			return line, nil, lineTooLong(line)
		}
		line := s.lc.fileLine(at)
		if blank(rec) && len(s.cols) > 1 {
			continue
		}
		if len(rec) != s.width {
			return line, nil, &rowError{line: line, code: "FIELD_COUNT",
				msg: fmt.Sprintf("La ligne a %d champs au lieu de %d (séparateur « ; » attendu).", len(rec), s.width)}
		}
		for len(rec) < len(s.cols) {
			rec = append(rec, "")
		}
		if err := checkEncoding(line, s.cols, rec); err != nil {
			return line, nil, err
		}
		return line, rec, nil
	}
}

// printable replaces invalid UTF-8 and NUL characters of s with U+FFFD, so
// that a header can be compared (reports quote it through dosimetry.Visible).
func printable(s string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
}

// checkEncoding fails on a field that is not UTF-8 or holds a NUL character
// (which PostgreSQL cannot store in text).
func checkEncoding(line int, cols, rec []string) *rowError {
	for i, f := range rec {
		if !utf8.ValidString(f) || strings.IndexByte(f, 0) >= 0 {
			return &rowError{line: line, code: "ENCODING", col: cols[i], value: dosimetry.Visible(f),
				msg: fmt.Sprintf("La colonne « %s » n'est pas en UTF-8 ou contient un caractère nul.", cols[i])}
		}
	}
	return nil
}

// sliceSource yields rows given as GraphQL input (row i is "line" i+2, as if
// a header preceded it).
type sliceSource struct {
	rows [][]string
	cols []string
	i    int
}

func (s *sliceSource) next() (int, []string, error) {
	if s.i >= len(s.rows) {
		return 0, nil, io.EOF
	}
	s.i++
	if err := checkEncoding(s.i+1, s.cols, s.rows[s.i-1]); err != nil {
		return s.i + 1, nil, err
	}
	return s.i + 1, s.rows[s.i-1], nil
}
