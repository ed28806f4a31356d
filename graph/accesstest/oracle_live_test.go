package accesstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/graph"
	"github.com/siseri/siseri/policy"
)

// socket is one subscriber's graphql-transport-ws connection, with what each
// of its subscriptions received.
type socket struct {
	s      *subject
	conn   *websocket.Conn
	events map[string][]json.RawMessage
	errs   map[string][]map[string]any
	closed string // why the connection ended early, if it did
}

// open connects as s and starts the subscriptions (id → query).
func (or *oracle) open(t *testing.T, s *subject, subs map[string]string) *socket {
	t.Helper()
	url := "ws" + strings.TrimPrefix(or.o.srv.URL, "http") + "/graphql"
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial as %s: %v", s, err)
	}
	t.Cleanup(func() { conn.Close() })
	init := map[string]any{}
	if s.client.Token != "" {
		init["Authorization"] = "Bearer " + s.client.Token
	}
	_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": init})
	sk := &socket{s: s, conn: conn, events: map[string][]json.RawMessage{}, errs: map[string][]map[string]any{}}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var ack struct{ Type string }
	if err := conn.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		sk.closed = fmt.Sprintf("no ack (%v %s)", err, ack.Type)
		return sk
	}
	for id, q := range subs {
		or.tally.requests++
		_ = conn.WriteJSON(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": q}})
	}
	return sk
}

// drain reads until idle passes without a message.
func (sk *socket) drain(idle time.Duration) {
	if sk.closed != "" {
		return
	}
	for {
		_ = sk.conn.SetReadDeadline(time.Now().Add(idle))
		var msg struct {
			ID      string          `json:"id"`
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := sk.conn.ReadJSON(&msg); err != nil {
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				sk.closed = err.Error()
			}
			return
		}
		switch msg.Type {
		case "ping":
			_ = sk.conn.WriteJSON(map[string]any{"type": "pong"})
		case "next":
			var p struct {
				Data   json.RawMessage  `json:"data"`
				Errors []map[string]any `json:"errors"`
			}
			_ = json.Unmarshal(msg.Payload, &p)
			if len(p.Errors) > 0 {
				sk.errs[msg.ID] = append(sk.errs[msg.ID], p.Errors...)
			}
			if len(p.Data) > 0 && string(p.Data) != "null" {
				sk.events[msg.ID] = append(sk.events[msg.ID], p.Data)
			}
		case "error":
			var p []map[string]any
			_ = json.Unmarshal(msg.Payload, &p)
			sk.errs[msg.ID] = append(sk.errs[msg.ID], p...)
		}
	}
}

// exposureSelection is what s asks of a worker whose results changed: the
// count of their doses of record and their standings, as far as the oracle
// lets s read them.
func exposureSelection(s *subject) string {
	sel := "id exposure { limitCode state limitMsv windowStart windowEnd"
	if reads(s, "LimitStatus.valueMsv") {
		sel += " valueMsv"
	}
	return sel + " } doseRecords(first: 1000) { totalCount }"
}

// testSubscriptions opens one socket per subject with anomalyRaised (its
// replay), anomalyUpdated and exposureChanged for every worker (and for an
// id that does not exist), then announces a change of every worker's
// results and acknowledges one finding: each subject receives exactly what
// the oracle lets it see.
func (or *oracle) testSubscriptions(t *testing.T) {
	workers := or.all["workers"].sorted()
	missing := workers[len(workers)-1] + 100000
	var sockets []*socket
	for _, s := range or.o.subjects {
		subs := map[string]string{
			"raised":      `subscription { anomalyRaised { cursor anomaly { id workerID } } }`,
			"updated":     `subscription { anomalyUpdated { id workerID } }`,
			"raisedScore": `subscription { anomalyRaised(where: {scoreGT: 1}) { anomaly { id } } }`,
			"missing":     fmt.Sprintf(`subscription { exposureChanged(workerID: %d) { %s } }`, missing, exposureSelection(s)),
		}
		for _, w := range workers {
			subs[fmt.Sprintf("w%d", w)] = fmt.Sprintf(`subscription { exposureChanged(workerID: %d) { %s } }`, w, exposureSelection(s))
		}
		sockets = append(sockets, or.open(t, s, subs))
	}
	or.settled(t) // every subscription has reached the hub
	var events []alerts.Event
	for _, w := range workers {
		events = append(events, alerts.Event{Type: alerts.ExposureChanged, ID: w, WorkerID: w})
	}
	or.announce(t, events...)
	// WM's physician takes his classification finding in hand.
	var acked int
	for id := range or.ids(t, fmt.Sprintf("SELECT id FROM anomalies WHERE worker_id = %d AND kind = 'CLASSIFICATION_MISMATCH'", or.o.wm)) {
		acked = id
	}
	if acked != 0 {
		res := or.do(or.o.byName["physician(E3)"], `mutation($id: ID!) { acknowledgeAnomaly(id: $id) { id } }`, map[string]any{"id": acked})
		if len(res.Errors) > 0 {
			t.Errorf("acknowledgeAnomaly as physician(E3): %+v", res.Errors)
		}
	}
	var wg sync.WaitGroup
	for _, sk := range sockets {
		wg.Add(1)
		go func() { defer wg.Done(); sk.drain(2 * time.Second) }()
	}
	wg.Wait()
	for _, sk := range sockets {
		or.checkSocket(t, sk, workers, acked)
	}
}

func (or *oracle) checkSocket(t *testing.T, sk *socket, workers []int, acked int) {
	t.Helper()
	s := sk.s
	listed := or.listed(s, "anomalies") // the live streams leave the notices out
	// The replay of findings.
	var raised []int
	for _, e := range sk.events["raised"] {
		var ev struct {
			AnomalyRaised struct{ Anomaly struct{ ID any } }
		}
		_ = json.Unmarshal(e, &ev)
		raised = append(raised, parseID(ev.AnomalyRaised.Anomaly.ID))
	}
	if len(sk.errs["raised"]) == 0 || len(raised) > 0 {
		or.checkSet(t, s, "anomalyRaised (replay)", raised, nil, listed)
	} else {
		or.tally.assertions++
		if len(listed) > 0 {
			or.disagree(t, s, "anomalyRaised refused (%s); the oracle shows %d findings", code(sk.errs["raised"][0]), len(listed))
		}
	}
	or.checkFilteredReplay(t, sk)
	// The acknowledged finding.
	var updated []int
	for _, e := range sk.events["updated"] {
		var ev struct{ AnomalyUpdated struct{ ID any } }
		_ = json.Unmarshal(e, &ev)
		updated = append(updated, parseID(ev.AnomalyUpdated.ID))
	}
	if acked != 0 {
		want := idSet{}
		if listed[acked] {
			want[acked] = true
		}
		if len(sk.errs["updated"]) == 0 || len(updated) > 0 {
			or.checkSet(t, s, "anomalyUpdated", updated, nil, want)
		}
	}
	// The news of each worker's results.
	baseline := ""
	if len(sk.errs["missing"]) > 0 {
		baseline = code(sk.errs["missing"][0]) + " " + fmt.Sprint(sk.errs["missing"][0]["message"])
	}
	or.checkExposureEvents(t, sk, workers, baseline)
}

// checkExposureEvents compares what exposureChanged delivered for each
// worker (subscription "w<id>") with the oracle: nothing about a worker the
// subscriber may not see (and the refusal of a missing worker's), the count
// of the doses it may read, the sums it may read.
func (or *oracle) checkExposureEvents(t *testing.T, sk *socket, workers []int, baseline string) {
	t.Helper()
	s, ex := sk.s, or.ex[sk.s]
	rel := or.related(t, "SELECT worker_id, id FROM dose_records")
	for _, w := range workers {
		id := fmt.Sprintf("w%d", w)
		or.tally.assertions++
		if !ex.rows["workers"][w] || !ex.readsDoses {
			if len(sk.events[id]) > 0 {
				or.leak(t, s, "exposureChanged(worker %d) delivered %d events about a worker whose results it may not see", w, len(sk.events[id]))
			}
			if errs := sk.errs[id]; len(errs) > 0 && baseline != "" {
				if got := code(errs[0]) + " " + fmt.Sprint(errs[0]["message"]); got != baseline && ex.rows["workers"][w] == false && s.role != "" {
					or.leak(t, s, "exposureChanged(worker %d) is refused with %q, a missing worker with %q: an existence oracle", w, got, baseline)
				}
			}
			continue
		}
		if len(sk.events[id]) == 0 {
			or.disagree(t, s, "exposureChanged(worker %d) delivered nothing (errors %v, socket %q)", w, sk.errs[id], sk.closed)
			continue
		}
		var ev struct {
			ExposureChanged struct {
				ID          any
				Exposure    []standing
				DoseRecords *struct{ TotalCount int }
			}
		}
		_ = json.Unmarshal(sk.events[id][0], &ev)
		x := ev.ExposureChanged
		if x.DoseRecords != nil {
			want := 0
			for d := range rel[w] {
				if ex.rows["doseRecords"][d] {
					want++
				}
			}
			or.tally.assertions++
			if x.DoseRecords.TotalCount > want {
				or.leak(t, s, "exposureChanged(worker %d).doseRecords counts %d, the oracle shows %d [subscriptions: owned elsewhere]", w, x.DoseRecords.TotalCount, want)
			} else if x.DoseRecords.TotalCount < want {
				or.disagree(t, s, "exposureChanged(worker %d).doseRecords counts %d, the oracle shows %d", w, x.DoseRecords.TotalCount, want)
			}
		}
		for _, st := range x.Exposure {
			or.checkStanding(t, s, fmt.Sprintf("exposureChanged(worker %d).exposure[%s]", w, st.LimitCode), w, st)
		}
	}
}

// testCases checks what the regulation cases say in so many words, on the
// oracle world.
func (or *oracle) testCases(t *testing.T) {
	o := or.o
	t.Run("RC01", func(t *testing.T) {
		// Ensure the laboratory's report on its re-send says a correction
		// exists, without its value, reason or author.
		for _, name := range []string{"laboratory(LA)", "key:laboratory-system(LA)"} {
			s := o.byName[name]
			for b := range or.ids(t, "SELECT id FROM import_batches WHERE reference = 'LA-2'") {
				res := or.do(s, `query($id: ID!) { importReport(batchID: $id) { problems { code message } } }`, map[string]any{"id": b})
				or.tally.assertions++
				if refused(res) {
					or.disagree(t, s, "importReport(LA-2) refused (%s)", res.Code())
					continue
				}
				text := string(res.Data)
				for _, secret := range []string{"0,35", "0.35", "350", "témoin", "grossesse"} {
					if strings.Contains(text, secret) {
						or.leak(t, s, "importReport(LA-2) mentions %q, the physician's correction (RC01)", secret)
					}
				}
				if !strings.Contains(text, "CORRECTED_BY_PHYSICIAN") {
					or.disagree(t, s, "importReport(LA-2) does not report CORRECTED_BY_PHYSICIAN: %s", truncate(text, 200))
				}
			}
		}
	})
	t.Run("RC11", func(t *testing.T) {
		// Ensure E1's employer cannot tell WS (82 % of the limit) from WZ (0)
		// by any query it may run about a worker.
		s := o.byName["employer(E1)"]
		probes := []string{
			`{ workers(first: 10, where: {id: %d}) { totalCount edges { node { exposure { limitCode state limitMsv windowStart windowEnd } } } } }`,
			`{ workers(first: 10, where: {id: %d}) { edges { node { exposureSummaries(first: 10) { totalCount } anomalies(first: 10) { totalCount } } } } }`,
			`{ exposureSummaries(first: 10, where: {workerID: %d}) { totalCount edges { node { status limitCode } } } }`,
			`{ anomalies(first: 10, where: {workerID: %d}) { totalCount edges { node { kind severity } } } }`,
			`{ workers(first: 10, where: {id: %d, hasExposureSummariesWith: [{status: APPROACHING}]}) { totalCount } }`,
			`{ workers(first: 10, where: {id: %d, hasAnomaliesWith: [{kind: "LIMIT_APPROACHING"}]}) { totalCount } }`,
			`{ workers(first: 10, where: {id: %d, hasDoseRecordsWith: [{valueUsvGT: 0}]}) { totalCount } }`,
		}
		for _, p := range probes {
			x, y := or.do(s, fmt.Sprintf(p, o.ws), nil), or.do(s, fmt.Sprintf(p, o.wz), nil)
			or.tally.assertions++
			if string(x.Data) != string(y.Data) || x.Code() != y.Code() {
				or.leak(t, s, "RC11: %s answers %s for WS (approaching) and %s for WZ (zero)", truncate(p, 80), truncate(string(x.Data), 160), truncate(string(y.Data), 160))
			}
		}
	})
	t.Run("RC13", func(t *testing.T) {
		// Ensure the physician's delegate may not correct, add or decide.
		s := o.byName["delegate(E3)"]
		var dose int
		for id := range or.ids(t, fmt.Sprintf("SELECT id FROM dose_records WHERE worker_id = %d AND current AND monitoring_kind = 'PASSIVE_WHOLE_BODY' LIMIT 1", o.wm)) {
			dose = id
		}
		before := len(or.ids(t, "SELECT id FROM dose_records"))
		for _, m := range []string{
			fmt.Sprintf(`mutation { correctDose(input: {doseRecordID: %d, value: 1, unit: "mSv", reason: "essai"}) { id } }`, dose),
			fmt.Sprintf(`mutation { addDose(input: {workerID: %d, establishmentID: %d, monitoringKind: PASSIVE_WHOLE_BODY, quantity: HP10, periodStart: "%s", periodEnd: "%s", value: 1, unit: "mSv", reason: "essai"}) { id } }`,
				o.wm, o.e3, iso(o.mo(1)), iso(endOfMonth(o.mo(1)))),
		} {
			res := or.do(s, m, nil)
			or.tally.assertions++
			if !refused(res) || (res.Code() != "FORBIDDEN" && res.Code() != "FORBIDDEN_FIELD") {
				or.leak(t, s, "RC13: %s answered %s %s", truncate(m, 60), res.Code(), truncate(string(res.Data), 100))
			}
		}
		or.tally.assertions++
		if after := len(or.ids(t, "SELECT id FROM dose_records")); after != before {
			or.leak(t, s, "RC13: the delegate wrote %d dose records", after-before)
		}
	})
}

// checkWorld asserts what the oracle world is meant to hold, so that the
// comparisons above test the situations they are written for.
func (or *oracle) checkWorld(t *testing.T) {
	o := or.o
	from, to := or.currentWindow()
	wm := func(name string) int64 {
		return or.sum(t, or.ex[o.byName[name]].rows["doseRecords"], o.wm, "EFFECTIVE", from, to)
	}
	full := or.sum(t, or.all["doseRecords"], o.wm, "EFFECTIVE", from, to)
	claims := []struct {
		what string
		ok   bool
	}{
		{"WM exceeds the effective-dose limit over the current 12 months", full > 20000},
		{"no adviser's part of WM's dose exceeds it", wm("adviser(E1)") < 16000 && wm("adviser(E3)") < 16000 && wm("adviser(C1)") < 16000},
		{"the control agents' parts differ", wm("control-agent(84)") != wm("control-agent(11)")},
		{"WM's physician at E3 reads all of it", wm("physician(E3)") == full},
		{"LA never reads WP's correction", !or.ex[o.byName["laboratory(LA)"]].rows["doseRecords"][o.correction] && o.correction != 0},
		{"WP's physician reads the conflict", len(or.ex[o.byName["physician(E2)"]].rows["doseConflicts"]) == 1},
		{"E1's physician no longer follows WM", !or.ex[o.byName["physician(E1)"]].rows["workers"][o.wm]},
		{"both advisers read the ring across the move", or.ringSeenBy(t, "adviser(E1)") && or.ringSeenBy(t, "adviser(E3)")},
		{"E1's adviser reads WS's operational dose on E3's site", or.opOn(t, "adviser(E1)", o.ws, o.e3) > 0},
	}
	for _, c := range claims {
		or.tally.assertions++
		if !c.ok {
			t.Errorf("oracle world: %s: not so", c.what)
		}
	}
	for _, s := range o.subjects {
		ex := or.ex[s]
		ex.readsDoses = s.role == policy.RoleWorker || s.role == policy.RolePhysician || s.role == policy.RoleDelegate ||
			s.role == policy.RoleRPA || s.role == policy.RoleControlAgent || s.role == policy.RoleAnalyst
	}
}

func (or *oracle) ringSeenBy(t *testing.T, name string) bool {
	for id := range or.ex[or.o.byName[name]].rows["doseRecords"] {
		if or.ids(t, fmt.Sprintf("SELECT id FROM dose_records WHERE id = %d AND monitoring_kind = 'EXTREMITY'", id))[id] {
			return true
		}
	}
	return false
}

func (or *oracle) opOn(t *testing.T, name string, worker, est int) int {
	n := 0
	set := or.ids(t, fmt.Sprintf("SELECT id FROM operational_doses WHERE worker_id = %d AND establishment_id = %d", worker, est))
	for id := range or.ex[or.o.byName[name]].rows["operationalDoses"] {
		if set[id] {
			n++
		}
	}
	return n
}

// testRevocation revokes one of two grants of an adviser while their socket
// is open: what the socket delivers afterwards is what the remaining grant
// allows, payload included (the viewer of the delivery, not of the opening).
func (or *oracle) testRevocation(t *testing.T) {
	o := or.o
	s := o.byName["adviser(E1+E3)"]
	saved := graph.LiveCheckInterval
	graph.LiveCheckInterval = 200 * time.Millisecond
	defer func() { graph.LiveCheckInterval = saved }()
	sk := or.open(t, s, map[string]string{
		"wm": fmt.Sprintf(`subscription { exposureChanged(workerID: %d) { %s } }`, o.wm, exposureSelection(s)),
		"ws": fmt.Sprintf(`subscription { exposureChanged(workerID: %d) { %s } }`, o.ws, exposureSelection(s)),
	})
	time.Sleep(300 * time.Millisecond)
	ctx := policy.SystemContext(context.Background())
	o.srv.DB.Client.Grant.Update().Where(grant.AccountID(s.account), grant.EstablishmentID(o.e1)).
		SetRevokedAt(time.Now()).ExecX(ctx)
	time.Sleep(4 * graph.LiveCheckInterval)
	// What the adviser may see now: E3's grant alone.
	now := &subject{name: s.name + " after revocation", role: s.role, account: s.account, est: o.e3, client: s.client}
	or.o.company[now] = 0
	ex := or.expect(t, now)
	or.ex[now] = ex
	ex.readsDoses = true
	or.announce(t, alerts.Event{Type: alerts.ExposureChanged, ID: o.wm, WorkerID: o.wm},
		alerts.Event{Type: alerts.ExposureChanged, ID: o.ws, WorkerID: o.ws})
	sk.drain(2 * time.Second)
	sk.s = now
	for id, w := range map[string]int{"wm": o.wm, "ws": o.ws} {
		sk.events["w"+fmt.Sprint(w)] = sk.events[id]
		sk.errs["w"+fmt.Sprint(w)] = sk.errs[id]
	}
	or.tally.assertions++
	if len(sk.events["w"+fmt.Sprint(o.wm)]) == 0 {
		or.disagree(t, now, "exposureChanged(WM) delivered nothing after the revocation of the E1 grant (errors %v, socket %q)", sk.errs["wm"], sk.closed)
	}
	or.checkExposureEvents(t, sk, []int{o.wm, o.ws}, "")
}

// settled waits until the live subscriptions the sockets asked for have all
// reached the hub: the hub's subscriber count is non-zero and unchanged over
// ten polls (a loaded machine registers them late), with a deadline.
func (or *oracle) settled(t *testing.T) {
	t.Helper()
	hub := or.o.srv.App.Hub()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(15 * time.Second)
	last, same := -1, 0
	for same < 10 {
		select {
		case <-deadline:
			t.Fatalf("the hub's subscribers did not settle (%d)", last)
		case <-tick.C:
		}
		n := hub.Subscribers()
		if n > 0 && n == last {
			same++
		} else {
			same = 0
		}
		last = n
	}
}
