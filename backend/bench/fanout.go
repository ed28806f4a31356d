// Package bench holds SISERI's benchmarks that run as commands (`siseri bench
// …`): they need a real server, real sockets and, for fan-out, more file
// descriptors than one process may hold, so clients run in a child process.
package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// FanoutOptions configure the fan-out benchmark.
type FanoutOptions struct {
	Subscribers int
	Alerts      int
	// Rate is alerts per second.
	Rate float64
	// DatabaseURL is a postgres:// URL (the benchmark works in a database of
	// its own created next to it), or empty for a temporary SQLite file.
	DatabaseURL string
	// Self is the path of the siseri binary that runs the client side.
	Self string
}

// FanoutResult is what `siseri bench fanout --json` prints.
type FanoutResult struct {
	Subscribers   int     `json:"subscribers"`
	Alerts        int     `json:"alerts"`
	P50ms         float64 `json:"p50_ms"`
	P99ms         float64 `json:"p99_ms"`
	BaselineP50ms float64 `json:"baseline_p50_ms"`
	BaselineP99ms float64 `json:"baseline_p99_ms"`
	P99Ratio      float64 `json:"p99_ratio"`
	Lost          int     `json:"lost"`
	BaselineLost  int     `json:"baseline_lost"`
	BytesPerConn  float64 `json:"bytes_per_conn"`
	Database      string  `json:"database"`
}

// RaiseFileLimit lifts the soft open-file limit to the hard limit.
func RaiseFileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, err
	}
	return lim.Cur, nil
}

// Fanout measures delivery latency from commit to receipt through SISERI's
// subscriptions, then the same messages through a bare gorilla/websocket
// broadcast, with the clients in a child process.
func Fanout(ctx context.Context, o FanoutOptions, log *slog.Logger, progress io.Writer) (FanoutResult, error) {
	res := FanoutResult{Subscribers: o.Subscribers, Alerts: o.Alerts}
	if _, err := RaiseFileLimit(); err != nil {
		return res, fmt.Errorf("raise the open file limit: %w", err)
	}
	url := o.DatabaseURL
	if url != "" {
		// A database of its own next to the one given, dropped at the end:
		// the fixture's establishment and accounts must not pile up in it.
		own, drop, err := store.CreateDatabase(ctx, url, "siseri_bench_")
		if err != nil {
			return res, err
		}
		defer drop()
		url = own
	} else {
		dir, err := os.MkdirTemp("", "siseri-fanout-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(dir)
		url = filepath.Join(dir, "siseri.db")
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		return res, err
	}
	defer db.Close()
	res.Database = db.Dialect
	if err := db.Migrate(ctx); err != nil {
		return res, err
	}
	token, worker, est, err := fanoutFixture(ctx, db)
	if err != nil {
		return res, err
	}
	cfg := server.DefaultConfig()
	cfg.StaticDir = ""
	app := server.New(cfg, db, log)
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	app.Background(sctx)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	go app.Serve(sctx, ln)

	if path := os.Getenv("SISERI_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			_ = pprof.StartCPUProfile(f)
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	before := heapAndStacks()
	fmt.Fprintf(progress, "SISERI : %d abonnés, %d alertes…\n", o.Subscribers, o.Alerts)
	siseri, err := runClients(ctx, o, "siseri", "ws://"+ln.Addr().String()+"/graphql", token, func(i int) (time.Time, error) {
		return raiseOne(ctx, db, app.Broker(), worker, est, i)
	}, func() { res.BytesPerConn = float64(heapAndStacks()-before) / float64(o.Subscribers) })
	if err != nil {
		return res, err
	}
	res.P50ms, res.P99ms, res.Lost = siseri.P50ms, siseri.P99ms, siseri.Lost

	bare := newBroadcaster()
	bln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	bsrv := &http.Server{Handler: bare}
	go bsrv.Serve(bln)
	defer bsrv.Close()
	fmt.Fprintf(progress, "Référence gorilla/websocket : %d abonnés, %d messages…\n", o.Subscribers, o.Alerts)
	base, err := runClients(ctx, o, "bare", "ws://"+bln.Addr().String()+"/", "", func(i int) (time.Time, error) {
		return bare.broadcast(i), nil
	}, nil)
	if err != nil {
		return res, err
	}
	res.BaselineP50ms, res.BaselineP99ms, res.BaselineLost = base.P50ms, base.P99ms, base.Lost
	if res.BaselineP99ms > 0 {
		res.P99Ratio = res.P99ms / res.BaselineP99ms
	}
	return res, nil
}

func heapAndStacks() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// fanoutFixture creates an analyst (who sees every anomaly) and the worker
// the alerts are about, and returns a session token.
func fanoutFixture(ctx context.Context, db *store.DB) (token string, worker, est int, err error) {
	sys := policy.SystemContext(ctx)
	c := db.Client
	e, err := c.Establishment.Create().SetSiret("73282932000074").SetName("Banc d'essai").Save(sys)
	if err != nil {
		return "", 0, 0, err
	}
	w, err := c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID("BENCH").SetLastName("Banc").
		SetFirstNames("Essai").SetBirthDate(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)).SetSex("F").Save(sys)
	if err != nil {
		return "", 0, 0, err
	}
	svc := auth.NewService(c)
	acc, err := svc.CreateAccount(sys, auth.AccountInput{Email: "banc@siseri.test", DisplayName: "Banc", Password: "banc-d-essai-fanout"})
	if err != nil {
		return "", 0, 0, err
	}
	if _, err := c.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleAnalyst).SetValidFrom(time.Now().Add(-time.Hour)).Save(sys); err != nil {
		return "", 0, 0, err
	}
	ses, err := svc.Login(ctx, "banc@siseri.test", "banc-d-essai-fanout", "127.0.0.1", "bench")
	if err != nil {
		return "", 0, 0, err
	}
	return ses.Token, w.ID, e.ID, nil
}

// raiseOne stores alert i and announces it; it returns the commit instant.
func raiseOne(ctx context.Context, db *store.DB, b *alerts.Broker, worker, est, i int) (time.Time, error) {
	sys := policy.SystemContext(ctx)
	tx, err := db.Client.Tx(sys)
	if err != nil {
		return time.Time{}, err
	}
	tctx := ent.NewTxContext(sys, tx)
	created, err := anomaly.Store(tctx, tx.Client(), []anomaly.Finding{{
		Kind: anomaly.KindContext, Layer: anomaly.LayerContext, Severity: anomaly.SeverityMedium, Score: 4,
		WorkerID: worker, EstablishmentID: est, Explanation: fmt.Sprintf("alerte %d", i), Identity: []string{fmt.Sprint(i)},
	}}, db.IsPostgres())
	if err != nil {
		_ = tx.Rollback()
		return time.Time{}, err
	}
	for _, a := range created {
		if err := b.Announce(tctx, tx.Client(), alerts.Event{Type: alerts.AnomalyRaised, ID: a.ID, WorkerID: a.WorkerID}); err != nil {
			_ = tx.Rollback()
			return time.Time{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, err
	}
	return time.Now(), nil
}

// clientReport is what the child process prints.
type clientReport struct {
	Received int     `json:"received"`
	Lost     int     `json:"lost"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	Error    string  `json:"error,omitempty"`
}

// runClients starts the child process with n clients, waits until they are
// subscribed, sends alerts at the configured rate through send (which
// returns the instant the alert became visible), tells the child each
// instant, and reads its report. connected, when set, runs once all clients
// are connected.
func runClients(ctx context.Context, o FanoutOptions, mode, url, token string, send func(i int) (time.Time, error), connected func()) (clientReport, error) {
	var rep clientReport
	cmd := exec.CommandContext(ctx, o.Self, "bench", "fanout-clients", "--mode", mode, "--url", url,
		"--subscribers", fmt.Sprint(o.Subscribers), "--alerts", fmt.Sprint(o.Alerts))
	cmd.Env = append(os.Environ(), "SISERI_BENCH_TOKEN="+token)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return rep, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return rep, err
	}
	if err := cmd.Start(); err != nil {
		return rep, err
	}
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "READY" {
		_ = cmd.Process.Kill()
		return rep, fmt.Errorf("clients not ready: %q %v", line, err)
	}
	if connected != nil {
		connected()
	}
	every := time.Duration(float64(time.Second) / o.Rate)
	next := time.Now()
	for i := 1; i <= o.Alerts; i++ {
		time.Sleep(time.Until(next))
		next = next.Add(every)
		at, err := send(i)
		if err != nil {
			_ = cmd.Process.Kill()
			return rep, err
		}
		fmt.Fprintf(stdin, "%d %d\n", i, at.UnixNano())
	}
	stdin.Close()
	if err := json.NewDecoder(out).Decode(&rep); err != nil {
		_ = cmd.Process.Kill()
		return rep, fmt.Errorf("read client report: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return rep, fmt.Errorf("clients: %w", err)
	}
	if rep.Error != "" {
		return rep, fmt.Errorf("clients: %s", rep.Error)
	}
	return rep, nil
}
