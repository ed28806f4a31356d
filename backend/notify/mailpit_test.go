package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// mailpitVersion is the SMTP test server the tests run: a real server on
// loopback, read back through its HTTP API.
const mailpitVersion = "v1.33.1"

var (
	mailpitOnce sync.Once
	mailpitBin  string
	mailpitErr  error
)

// mailpitBinary builds mailpit once (go install into the user cache) and
// returns its path.
func mailpitBinary(t *testing.T) string {
	t.Helper()
	mailpitOnce.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir := filepath.Join(cache, "siseri", "mailpit-"+mailpitVersion)
		bin := filepath.Join(dir, "mailpit")
		if _, err := os.Stat(bin); err == nil {
			mailpitBin = bin
			return
		}
		cmd := exec.Command("go", "install", "github.com/axllent/mailpit@"+mailpitVersion)
		cmd.Dir = os.TempDir() // outside SISERI's module: go install pkg@version
		cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			mailpitErr = fmt.Errorf("the notification tests need the mailpit SMTP test server; "+
				"`go install github.com/axllent/mailpit@%s` failed (it needs the Go module proxy once, then it is cached in %s): %v\n%s",
				mailpitVersion, dir, err, out)
			return
		}
		mailpitBin = bin
	})
	if mailpitErr != nil {
		t.Fatal(mailpitErr)
	}
	return mailpitBin
}

// freePort returns a loopback port nobody listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// mailpit is one mailpit server; Stop and Start keep its ports and its
// messages (a database file).
type mailpit struct {
	t                  *testing.T
	smtpPort, httpPort int
	db                 string
	cmd                *exec.Cmd
	done               chan struct{}
}

// newMailpit reserves ports for a mailpit server without starting it.
func newMailpit(t *testing.T) *mailpit {
	mailpitBinary(t)
	m := &mailpit{t: t, smtpPort: freePort(t), httpPort: freePort(t), db: filepath.Join(t.TempDir(), "mailpit.db")}
	t.Cleanup(m.Stop)
	return m
}

// startMailpit starts a mailpit server on free ports.
func startMailpit(t *testing.T) *mailpit {
	m := newMailpit(t)
	m.Start()
	return m
}

// SMTPURL is SISERI's configuration for the server.
func (m *mailpit) SMTPURL() string {
	return fmt.Sprintf("smtp://127.0.0.1:%d?from=ne-pas-repondre@siseri.test&starttls=none", m.smtpPort)
}

// Start runs the server and waits until its API answers.
func (m *mailpit) Start() {
	m.t.Helper()
	m.cmd = exec.Command(mailpitBinary(m.t), "--smtp", "127.0.0.1:"+strconv.Itoa(m.smtpPort),
		"--listen", "127.0.0.1:"+strconv.Itoa(m.httpPort), "--database", m.db, "--max", "0",
		"--disable-version-check", "--quiet")
	m.cmd.Stdout, m.cmd.Stderr = os.Stderr, os.Stderr
	if err := m.cmd.Start(); err != nil {
		m.t.Fatalf("start mailpit: %v", err)
	}
	m.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(m.cmd, m.done)
	waitFor(m.t, 20*time.Second, "mailpit answers", func() bool {
		_, err := m.list()
		if err != nil {
			return false
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", m.smtpPort), time.Second)
		if err != nil {
			return false
		}
		c.Close()
		return true
	})
}

// Stop ends the server (no-op when it is not running).
func (m *mailpit) Stop() {
	if m.cmd == nil {
		return
	}
	_ = m.cmd.Process.Kill()
	<-m.done
	m.cmd = nil
}

// received is a message as mailpit's API lists it.
type received struct {
	ID        string
	MessageID string
	Subject   string
	To        []struct{ Address string }
	Text      string
}

func (m *mailpit) get(path string, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d%s", m.httpPort, path), nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(out)
}

func (m *mailpit) list() ([]received, error) {
	var page struct {
		Messages []received `json:"messages"`
	}
	if err := m.get("/api/v1/messages?limit=10000", &page); err != nil {
		return nil, err
	}
	return page.Messages, nil
}

// Messages returns every received message with its text body.
func (m *mailpit) Messages() []received {
	m.t.Helper()
	list, err := m.list()
	if err != nil {
		m.t.Fatalf("list mailpit messages: %v", err)
	}
	for i := range list {
		var full struct{ Text string }
		if err := m.get("/api/v1/message/"+list[i].ID, &full); err != nil {
			m.t.Fatalf("read mailpit message: %v", err)
		}
		list[i].Text = full.Text
	}
	return list
}

// WaitCount waits until mailpit holds n messages and returns them.
func (m *mailpit) WaitCount(n int, within time.Duration) []received {
	m.t.Helper()
	waitFor(m.t, within, fmt.Sprintf("%d e-mails received", n), func() bool {
		list, err := m.list()
		if err != nil {
			return false
		}
		return len(list) >= n
	})
	return m.Messages()
}

// waitFor polls cond on a ticker until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("timed out after %s waiting for: %s", within, what)
		case <-tick.C:
		}
	}
}
