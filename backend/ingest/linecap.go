package ingest

import (
	"io"
	"sort"
)

// MaxLineBytes is the longest line of a file: a record of more bytes (its
// line break aside; the line breaks inside a quoted field count) is reported
// LINE_TOO_LONG and never held in memory whole. The longest valid row of any
// format is under 2 KiB.
const MaxLineBytes = 64 << 10

// recState is where lineCap stands in a record, following encoding/csv's
// rules (RFC 4180, LazyQuotes off): only inside a quoted field does a line
// break not end the record.
type recState uint8

const (
	stFieldStart  recState = iota // at the start of a field
	stUnquoted                    // in a field not in quotes
	stQuoted                      // in a quoted field
	stQuoteSeen                   // after a quote in a quoted field: closing, or the first of a doubled quote
	stQuoteSeenCR                 // after a closing quote and '\r'
	stSkipLine                    // after a syntax error: encoding/csv drops the rest of the line
)

// nextState is the state after byte b, b not a line break that ends the
// record.
func nextState(st recState, b byte) recState {
	switch st {
	case stFieldStart:
		switch b {
		case '"':
			return stQuoted
		case ';':
			return stFieldStart
		}
		return stUnquoted
	case stUnquoted:
		switch b {
		case ';':
			return stFieldStart
		case '"':
			return stSkipLine // bare quote
		}
		return stUnquoted
	case stQuoted:
		if b == '"' {
			return stQuoteSeen
		}
		return stQuoted
	case stQuoteSeen:
		switch b {
		case '"':
			return stQuoted
		case ';':
			return stFieldStart
		case '\r':
			return stQuoteSeenCR
		}
		return stSkipLine // text after a closing quote
	}
	return stSkipLine
}

// lineCap sits between a file and encoding/csv, which reads a whole line (and
// a quoted field to its closing quote, or to the end of the file) into memory
// before parsing it. lineCap follows the records as encoding/csv will cut
// them; once one grows past max bytes it hands out no more of it: it ends it
// for the CSV reader (a closing quote if needed, then a line break), skips
// the rest of it in the file, and notes its line so that the source reports
// LINE_TOO_LONG instead of whatever the truncated record holds. encoding/csv
// counts the lines it is given; fileLine maps them back to the file's.
type lineCap struct {
	src     io.Reader
	max     int
	buf     []byte
	pos     int
	end     int
	srcErr  error
	pending []byte // bytes handed out before anything else (the end of a cut record)

	st      recState
	recLen  int  // bytes of the current record so far, line breaks inside quotes included
	lastCR  bool // the record's last byte was '\r' (not counted before its line break)
	cutting bool // skipping the rest of an over-long record

	fileLn, csvLn int // line of the next byte: in the file, and as the CSV reader counts
	recFile       int // line where the current record starts, in the file
	recCSV        int // and as the CSV reader counts

	long   map[int]int // CSV reader's line of an over-long record → its line in the file
	shifts []lineShift
}

// lineShift: the CSV reader's lines from `from` on are delta lines further
// in the file (the line breaks skipped with over-long records).
type lineShift struct{ from, delta int }

func newLineCap(src io.Reader, max int) *lineCap {
	c := &lineCap{src: src, max: max, buf: make([]byte, 32<<10), long: map[int]int{}, fileLn: 1, csvLn: 1}
	c.newRecord()
	return c
}

func (c *lineCap) newRecord() {
	c.st, c.recLen, c.lastCR = stFieldStart, 0, false
	c.recFile, c.recCSV = c.fileLn, c.csvLn
}

// Read implements io.Reader for the CSV reader.
func (c *lineCap) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if len(c.pending) > 0 {
			n := copy(p, c.pending)
			c.pending = c.pending[n:]
			return n, nil
		}
		if c.pos == c.end {
			if c.srcErr != nil {
				if c.cutting { // the over-long record runs to the end of the file
					c.endCut()
				} else {
					c.endRecord() // the last record, without a line break
				}
				return 0, c.srcErr
			}
			n, err := c.src.Read(c.buf)
			c.pos, c.end, c.srcErr = 0, n, err
			continue
		}
		if c.cutting {
			c.skip()
			continue
		}
		if n := c.pass(p); n > 0 {
			return n, nil
		}
	}
}

// pass copies bytes of the buffer to p while the current record stays within
// max; it starts cutting a record that goes past it.
func (c *lineCap) pass(p []byte) int {
	w := 0
	for c.pos < c.end && w < len(p) {
		b := c.buf[c.pos]
		if b == '\n' && c.st != stQuoted { // end of the record
			p[w] = b
			w++
			c.pos++
			c.endRecord()
			c.fileLn++
			c.csvLn++
			c.newRecord()
			continue
		}
		if c.recLen > c.max { // max+1 bytes passed (the last may be a '\r'): too long
			c.startCut()
			return w
		}
		c.recLen++
		c.lastCR = b == '\r'
		if b == '\n' { // inside quotes
			c.fileLn++
			c.csvLn++
		}
		c.st = nextState(c.st, b)
		p[w] = b
		w++
		c.pos++
	}
	return w
}

// endRecord notes a record passed whole that is one byte too long (the
// byte that was not known to be the '\r' of a line break).
func (c *lineCap) endRecord() {
	n := c.recLen
	if c.lastCR {
		n-- // before '\n', or at the end of the file: encoding/csv drops it
	}
	if n > c.max {
		c.long[c.recCSV] = c.recFile
	}
	c.recLen, c.lastCR = 0, false
}

// startCut ends the current record for the CSV reader and starts skipping
// the rest of it.
func (c *lineCap) startCut() {
	c.long[c.recCSV] = c.recFile
	c.cutting = true
	if c.st == stQuoted {
		c.pending = []byte("\"\n")
	} else {
		c.pending = []byte("\n")
	}
	c.csvLn++
}

// skip drops the bytes of the buffer up to the end of the record being cut.
func (c *lineCap) skip() {
	for c.pos < c.end {
		b := c.buf[c.pos]
		c.pos++
		if b == '\n' {
			c.fileLn++
			if c.st != stQuoted {
				c.endCut()
				return
			}
			continue
		}
		c.st = nextState(c.st, b)
	}
}

func (c *lineCap) endCut() {
	c.cutting = false
	if d := c.fileLn - c.csvLn; len(c.shifts) == 0 || c.shifts[len(c.shifts)-1].delta != d {
		c.shifts = append(c.shifts, lineShift{from: c.csvLn, delta: d})
	}
	c.newRecord()
}

// fileLine is the line of the file where the CSV reader's line csvLine is.
func (c *lineCap) fileLine(csvLine int) int {
	i := sort.Search(len(c.shifts), func(i int) bool { return c.shifts[i].from > csvLine })
	if i == 0 {
		return csvLine
	}
	return csvLine + c.shifts[i-1].delta
}

// tooLong reports whether the record the CSV reader starts on line csvLine
// was over-long, and returns its line in the file.
func (c *lineCap) tooLong(csvLine int) (int, bool) {
	line, ok := c.long[csvLine]
	if ok {
		delete(c.long, csvLine)
	}
	return line, ok
}
