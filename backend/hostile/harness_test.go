package hostile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// harness drives the server under test.
type harness struct {
	base string
	pid  int
	logs *syncBuffer
	http *http.Client
	// Bearer tokens of demo accounts, and a browser signed in by cookie.
	admin, analyst string
	labBrowser     string
	browser        *http.Client
}

// signIn opens the sessions the cases use: one sign-in per account (the
// per-account limiter counts every attempt).
func (h *harness) signIn(t *testing.T) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	h.browser = &http.Client{Jar: jar, Timeout: 2 * time.Minute}
	for _, s := range []struct {
		who  string
		into *string
		c    *http.Client
	}{{"admin", &h.admin, nil}, {"analyste", &h.analyst, nil}, {"labo", &h.labBrowser, h.browser}} {
		a, _ := h.login(t, s.c, s.who+"@demo.siseri.fr", demoPassword)
		var out struct{ Login struct{ Token string } }
		if len(a.Errors) > 0 || json.Unmarshal(a.Data, &out) != nil || out.Login.Token == "" {
			t.Fatalf("sign in %s: %s", s.who, truncate(a.Body, 300))
		}
		*s.into = out.Login.Token
	}
	h.labBrowser = "cookie" // the lab acts through its cookie only
}

func (h *harness) login(t *testing.T, c *http.Client, email, password string) (answer, time.Duration) {
	t.Helper()
	req := h.request(t, "", operation(`mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		map[string]any{"e": email, "p": password}), nil)
	start := time.Now()
	a := h.do(t, c, req)
	return a, time.Since(start)
}

// passwordChecks reads siseri_password_checks_total from /metrics.
func (h *harness) passwordChecks(t *testing.T) float64 {
	t.Helper()
	res, err := h.http.Get(h.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "siseri_password_checks_total "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("parse %q: %v", sc.Text(), err)
			}
			return n
		}
	}
	t.Fatal("no siseri_password_checks_total in /metrics")
	return 0
}

// post sends a JSON GraphQL request; token is a bearer token, "cookie" for
// the browser's session cookie, or "" for an anonymous caller.
func (h *harness) post(t *testing.T, token string, body []byte, headers map[string]string) answer {
	t.Helper()
	var c *http.Client
	if token == "cookie" {
		c, token = h.browser, ""
	}
	return h.do(t, c, h.request(t, token, body, headers))
}

func (h *harness) request(t *testing.T, token string, body []byte, headers map[string]string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	return req
}

// upload sends operations (the multipart "operations" field, whose
// variables.input.file is the file) with file streamed from r, as the web
// application does; token as for post.
func (h *harness) upload(t *testing.T, token string, operations map[string]any, filename string, r io.Reader, headers map[string]string) answer {
	t.Helper()
	ops, _ := json.Marshal(operations)
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("operations", string(ops))
		if err == nil {
			err = mw.WriteField("map", `{"0": ["variables.input.file"]}`)
		}
		var fw io.Writer
		if err == nil {
			fw, err = mw.CreateFormFile("0", filename)
		}
		if err == nil {
			_, err = io.Copy(fw, r)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, h.base+"/graphql", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	var c *http.Client
	if token == "cookie" {
		c = h.browser
	} else if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return h.do(t, c, req)
}

func (h *harness) do(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	if c == nil {
		c = h.http
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v\nserver log:\n%s", req.Method, req.URL.Path, err, h.logs.tail(20))
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{Status: res.StatusCode, Header: res.Header, Body: string(raw)}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatalf("answer %d is not a JSON object: %s", res.StatusCode, truncate(string(raw), 300))
	}
	a.Data, a.HasData = fields["data"]
	if e, ok := fields["errors"]; ok {
		_ = json.Unmarshal(e, &a.Errors)
	}
	return a
}

// answer is an HTTP answer with its GraphQL body.
type answer struct {
	Status  int
	Header  http.Header
	Body    string
	Data    json.RawMessage
	HasData bool
	Errors  []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	}
}

func (a answer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// expect checks the status and the code of the first error ("" for none).
func (a answer) expect(t *testing.T, status int, code string) {
	t.Helper()
	if a.Status != status || a.code() != code {
		t.Fatalf("status %d code %q, want %d %q: %s", a.Status, a.code(), status, code, truncate(a.Body, 400))
	}
}

func (a answer) noData(t *testing.T) {
	t.Helper()
	if a.HasData {
		t.Errorf("a data entry on an operation refused before it ran: %s", truncate(a.Body, 200))
	}
}

func (a answer) messageHas(t *testing.T, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(a.Errors[0].Message, w) {
			t.Errorf("message %q lacks %q", a.Errors[0].Message, w)
		}
	}
}

func (a answer) bodyLacks(t *testing.T, words ...string) {
	t.Helper()
	for _, w := range words {
		if strings.Contains(a.Body, w) {
			t.Errorf("the answer reveals %q: %s", w, truncate(a.Body, 300))
		}
	}
}

// located checks extensions.field and, when value is not nil,
// extensions.value.
func (a answer) located(t *testing.T, field string, value any) {
	t.Helper()
	ext := a.Errors[0].Extensions
	if ext["field"] != field || (value != nil && ext["value"] != value) {
		t.Errorf("extensions %v, want field %q value %q", ext, field, value)
	}
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func fastest(d []time.Duration) time.Duration {
	m := d[0]
	for _, x := range d[1:] {
		m = min(m, x)
	}
	return m
}

func within(x, lo, hi float64) bool { return x >= lo && x <= hi }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// buildSiseri builds the siseri command into a temporary directory.
func buildSiseri(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "siseri")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	start := time.Now()
	out, err := exec.Command(goTool, "build", "-o", bin, "github.com/siseri/siseri/backend/cmd/siseri").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built siseri in %v", time.Since(start).Round(time.Millisecond))
	return bin
}

// seed fills the database with the demo data through `siseri seed`.
func seed(t *testing.T, bin, dbURL string) {
	t.Helper()
	start := time.Now()
	cmd := exec.Command(bin, "seed", "--database-url", dbURL, "--log-level", "warn")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Données de démonstration créées") {
		t.Fatalf("siseri seed: %v\n%s", err, out)
	}
	t.Logf("seeded the demo data in %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(string(out)))
}

// serve starts `siseri serve` on a free loopback port and waits until it
// listens; the server is stopped (SIGTERM, then killed) by t's cleanup.
func serve(t *testing.T, bin, dbURL string) *harness {
	t.Helper()
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--static-dir", "", "--database-url", dbURL)
	cmd.Env = append(os.Environ(), "SISERI_LOG_LEVEL=info", "SISERI_DEMO=")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start siseri serve: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("siseri serve did not stop within 20 s of SIGTERM")
		}
	})
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("siseri serve exited: %v\n%s", err, logs.tail(40))
		default:
		}
		if addr := logs.listening(); addr != "" {
			return &harness{base: "http://" + addr, pid: cmd.Process.Pid, logs: logs,
				http: &http.Client{Timeout: 2 * time.Minute}}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("siseri serve not listening after a minute\n%s", logs.tail(40))
	return nil
}

// syncBuffer collects the server's log lines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// listening returns the address of the "SISERI listening" log line, or "".
func (b *syncBuffer) listening() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "SISERI listening" {
			return line.Addr
		}
	}
	return ""
}

func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(b.buf.String()), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// memoryPeak is what the watch saw of the server's resident memory.
type memoryPeak struct {
	startRSS, maxRSS, hwm int64 // bytes
	samples               int
}

// peak is the highest resident memory seen: the kernel's high-water mark
// (VmHWM) or a sampled VmRSS, whichever is higher.
func (p memoryPeak) peak() int64 { return max(p.maxRSS, p.hwm) }

type memoryWatch struct {
	pid  int
	quit chan struct{}
	done chan memoryPeak
}

// watchMemory samples /proc/<pid>/status every 10 ms until stop.
func watchMemory(t *testing.T, pid int) *memoryWatch {
	t.Helper()
	if _, _, err := readMemory(pid); err != nil {
		t.Fatalf("read the server's memory: %v", err)
	}
	w := &memoryWatch{pid: pid, quit: make(chan struct{}), done: make(chan memoryPeak, 1)}
	go func() {
		var p memoryPeak
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss, hwm, err := readMemory(pid); err == nil {
				if p.samples == 0 {
					p.startRSS = rss
				}
				p.maxRSS, p.hwm = max(p.maxRSS, rss), max(p.hwm, hwm)
				p.samples++
			}
			select {
			case <-w.quit:
				w.done <- p
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

func (w *memoryWatch) stop(t *testing.T) memoryPeak {
	t.Helper()
	close(w.quit)
	p := <-w.done
	if p.samples == 0 {
		t.Fatal("no memory sample of the server")
	}
	return p
}

// readMemory returns VmRSS and VmHWM of pid, in bytes.
func readMemory(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("parse %s: %w", line, err)
		}
		if name == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	if rss == 0 || hwm == 0 {
		return 0, 0, fmt.Errorf("no VmRSS/VmHWM in /proc/%d/status", pid)
	}
	return rss, hwm, nil
}
