package notify

import (
	"context"
	"crypto/sha256"
	stdsql "database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/doseconflict"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/establishment"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/ent/hook"
	"github.com/siseri/siseri/ent/notificationevent"
	"github.com/siseri/siseri/ent/outboxmessage"
	"github.com/siseri/siseri/ent/predicate"
	"github.com/siseri/siseri/policy"
)

// Templates of the messages besides the event kinds.
const (
	TemplateActivation = "ACTIVATION"
	TemplateDigest     = "DIGEST"
)

// Register adds the hooks that write the notifications of an anomaly or a
// correction conflict in the transaction that creates it. The recipients are
// computed once per transaction, just before it commits (one read of the
// candidates for all the events of an import); outside a transaction, at
// once.
func Register(client *ent.Client) {
	client.Anomaly.Use(hook.On(collect(func(p *pending, id int) { p.anomalies = append(p.anomalies, id) }), entgo.OpCreate))
	client.DoseConflict.Use(hook.On(collect(func(p *pending, id int) { p.conflicts = append(p.conflicts, id) }), entgo.OpCreate))
}

// pending are the events of one transaction not yet notified.
type pending struct {
	mu                   sync.Mutex
	anomalies, conflicts []int
}

// open holds the pending events of each open transaction.
var open sync.Map // *ent.Tx → *pending

func collect(add func(*pending, int)) entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return v, err
			}
			idm, ok := m.(interface{ ID() (int, bool) })
			if !ok {
				return v, nil
			}
			id, ok := idm.ID()
			if !ok {
				return v, nil
			}
			tx := ent.TxFromContext(ctx)
			if tx == nil {
				// No transaction to wait for: the mutation's client (in
				// whatever transaction it runs) writes the notifications now.
				p := &pending{}
				add(p, id)
				c, _ := m.(interface{ Client() *ent.Client })
				if c == nil {
					return v, nil
				}
				return v, p.write(ctx, c.Client(), time.Now())
			}
			actual, loaded := open.LoadOrStore(tx, &pending{})
			p := actual.(*pending)
			p.mu.Lock()
			add(p, id)
			p.mu.Unlock()
			if !loaded {
				tx.OnCommit(func(next ent.Committer) ent.Committer {
					return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
						open.Delete(tx)
						if err := p.write(ctx, tx.Client(), time.Now()); err != nil {
							_ = tx.Rollback()
							return err
						}
						return next.Commit(ctx, tx)
					})
				})
				tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
					return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
						open.Delete(tx)
						return next.Rollback(ctx, tx)
					})
				})
			}
			return v, nil
		})
	}
}

// candidateRoles are the roles told about anomalies and conflicts.
var candidateRoles = []policy.Role{policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA, policy.RoleEmployer}

// notice is one e-mail (or digest entry) for one person about one event.
type notice struct {
	account int
	kind    Kind
	link    string
	// key identifies the event for that person.
	key string
}

// write computes who may read the pending events and writes their
// notifications with client (the transaction's).
func (p *pending) write(ctx context.Context, client *ent.Client, now time.Time) error {
	p.mu.Lock()
	anomalyIDs, conflictIDs := slices.Clone(p.anomalies), slices.Clone(p.conflicts)
	p.mu.Unlock()
	if len(anomalyIDs) == 0 && len(conflictIDs) == 0 {
		return nil
	}
	sys := policy.SystemContext(ctx)
	var anomalies []*ent.Anomaly
	var conflicts []*ent.DoseConflict
	for _, part := range chunks(anomalyIDs) {
		rows, err := client.Anomaly.Query().Where(anomaly.IDIn(part...)).All(sys)
		if err != nil {
			return fmt.Errorf("notify: read anomalies: %w", err)
		}
		anomalies = append(anomalies, rows...)
	}
	for _, part := range chunks(conflictIDs) {
		rows, err := client.DoseConflict.Query().Where(doseconflict.IDIn(part...)).All(sys)
		if err != nil {
			return fmt.Errorf("notify: read conflicts: %w", err)
		}
		conflicts = append(conflicts, rows...)
	}
	var workers, places []int
	byID := map[int]*ent.Anomaly{}
	for _, a := range anomalies {
		byID[a.ID] = a
		workers = append(workers, a.WorkerID)
		if a.EstablishmentID != 0 {
			places = append(places, a.EstablishmentID)
		}
	}
	for _, c := range conflicts {
		workers = append(workers, c.WorkerID)
		places = append(places, c.EstablishmentID)
	}
	viewers, err := candidates(sys, client, candidateRoles, workers, places)
	if err != nil {
		return err
	}
	// Who reads what is the entities' own policy, asked as each candidate.
	var notices []notice
	for _, v := range viewers {
		// A fresh context: the candidates' reads must go through their row
		// rules, not the system's.
		as := policy.NewContext(context.Background(), v)
		for _, part := range chunks(anomalyIDs) {
			seen, err := client.Anomaly.Query().Where(anomaly.IDIn(part...)).IDs(as)
			if err != nil {
				return fmt.Errorf("notify: anomalies of account %d: %w", v.AccountID, err)
			}
			for _, id := range seen {
				notices = append(notices, anomalyNotice(v, byID[id]))
			}
		}
		if v.Role != policy.RolePhysician && v.Role != policy.RoleDelegate {
			continue // conflicts are the physicians'
		}
		for _, part := range chunks(conflictIDs) {
			seen, err := client.DoseConflict.Query().Where(doseconflict.IDIn(part...)).IDs(as)
			if err != nil {
				return fmt.Errorf("notify: conflicts of account %d: %w", v.AccountID, err)
			}
			for _, id := range seen {
				notices = append(notices, notice{account: v.AccountID, kind: Conflict, link: "/conflits-correction",
					key: "conflict:" + strconv.Itoa(id)})
			}
		}
	}
	return deliver(sys, client, viewers, notices, now)
}

// anomalyNotice is what the person v is told about anomaly a: the
// physician an exceedance to confirm, everyone else a new anomaly.
func anomalyNotice(v *policy.Viewer, a *ent.Anomaly) notice {
	n := notice{account: v.AccountID, kind: NewAnomaly, link: "/anomalies", key: "anomaly:" + strconv.Itoa(a.ID)}
	switch {
	case v.Role == policy.RolePhysician && a.Kind == "LIMIT_EXCEEDED":
		n.kind = ExceedanceToConfirm
	case v.Role == policy.RoleEmployer:
		n.link = "/depassements"
	case a.Layer == anomaly.LayerConstraint:
		n.link = "/avis-contrainte"
	}
	return n
}

// candidates returns, for each account holding an active grant of one of
// roles that may reach the workers or establishments given (directly, through
// the establishments' company, or as the worker), a viewer per such role.
// Only a first cut: the entities' policies decide.
func candidates(sys context.Context, client *ent.Client, roles []policy.Role, workers, places []int) ([]*policy.Viewer, error) {
	workers = uniq(workers)
	for _, part := range chunks(workers) {
		here, err := client.Employment.Query().Where(employment.WorkerIDIn(part...)).
			Unique(true).Select(employment.FieldEstablishmentID).Ints(sys)
		if err != nil {
			return nil, fmt.Errorf("notify: employments: %w", err)
		}
		places = append(places, here...)
	}
	places = uniq(places)
	var companies []int
	for _, part := range chunks(places) {
		ids, err := client.Establishment.Query().Where(establishment.IDIn(part...), establishment.CompanyIDNotNil()).
			Unique(true).Select(establishment.FieldCompanyID).Ints(sys)
		if err != nil {
			return nil, fmt.Errorf("notify: companies: %w", err)
		}
		companies = append(companies, ids...)
	}
	var reach []predicate.Grant
	for _, part := range chunks(places) {
		reach = append(reach, grant.EstablishmentIDIn(part...))
	}
	for _, part := range chunks(workers) {
		reach = append(reach, grant.WorkerIDIn(part...))
	}
	for _, part := range chunks(uniq(companies)) {
		reach = append(reach, grant.CompanyIDIn(part...))
	}
	var out []*policy.Viewer
	// One query per 1,000 ids of each kind, the bound of a statement's
	// parameters; a viewer found twice is kept once.
	seen := map[[2]any]bool{}
	for _, where := range reach {
		vs, err := viewersOf(sys, client, roles, where)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if k := [2]any{v.AccountID, v.Role}; !seen[k] {
				seen[k] = true
				out = append(out, v)
			}
		}
	}
	return out, nil
}

// viewersOf returns a viewer per active account and role among roles of the
// active grants that satisfy where, each with every active grant of its
// account.
func viewersOf(sys context.Context, client *ent.Client, roles []policy.Role, where predicate.Grant) ([]*policy.Viewer, error) {
	now := time.Now()
	active := []predicate.Grant{grant.RevokedAtIsNil(), grant.ValidFromLTE(now),
		grant.Or(grant.ValidToIsNil(), grant.ValidToGT(now)), grant.HasAccountWith(account.Active(true))}
	hits, err := client.Grant.Query().Where(append(active, grant.RoleIn(roles...), where)...).All(sys)
	if err != nil {
		return nil, fmt.Errorf("notify: candidate grants: %w", err)
	}
	if len(hits) == 0 {
		return nil, nil
	}
	wanted := map[int]map[policy.Role]bool{}
	for _, g := range hits {
		if wanted[g.AccountID] == nil {
			wanted[g.AccountID] = map[policy.Role]bool{}
		}
		wanted[g.AccountID][g.Role] = true
	}
	ids := make([]int, 0, len(wanted))
	for id := range wanted {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	all, err := client.Grant.Query().Where(append(active, grant.AccountIDIn(ids...))...).Order(ent.Asc(grant.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("notify: grants: %w", err)
	}
	grants := map[int][]policy.Grant{}
	for _, g := range all {
		grants[g.AccountID] = append(grants[g.AccountID], toPolicyGrant(g))
	}
	var out []*policy.Viewer
	for _, id := range ids {
		for _, r := range policy.Roles {
			if wanted[id][r] {
				out = append(out, &policy.Viewer{AccountID: id, Role: r, Grants: grants[id]})
			}
		}
	}
	return out, nil
}

// toPolicyGrant converts a stored grant to the form access decisions use.
func toPolicyGrant(g *ent.Grant) policy.Grant {
	pg := policy.Grant{ID: g.ID, Role: g.Role, ValidFrom: g.ValidFrom, ValidTo: g.ValidTo}
	for _, f := range []struct {
		dst *int
		src *int
	}{{&pg.EstablishmentID, g.EstablishmentID}, {&pg.CompanyID, g.CompanyID}, {&pg.WorkerID, g.WorkerID}, {&pg.LaboratoryID, g.LaboratoryID}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if g.Region != nil {
		pg.Region = *g.Region
	}
	return pg
}

// deliver writes the notices: an outbox message for those the person wants
// at once, a digest entry for those they want daily. One event reaches a
// person once, as the first of its kinds in Kinds order.
func deliver(sys context.Context, client *ent.Client, viewers []*policy.Viewer, notices []notice, now time.Time) error {
	if len(notices) == 0 {
		return nil
	}
	roles := map[int][]policy.Role{}
	for _, v := range viewers {
		for _, g := range v.Grants {
			if !slices.Contains(roles[v.AccountID], g.Role) {
				roles[v.AccountID] = append(roles[v.AccountID], g.Role)
			}
		}
	}
	slices.SortStableFunc(notices, func(a, b notice) int {
		return slices.Index(Kinds, a.kind) - slices.Index(Kinds, b.kind)
	})
	mode, err := modes(sys, client, roles)
	if err != nil {
		return err
	}
	emails, err := addresses(sys, client, roles)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	var messages []*ent.OutboxMessageCreate
	var events []*ent.NotificationEventCreate
	for _, n := range notices {
		key := dedupKey(n.key, strconv.Itoa(n.account))
		if done[key] {
			continue
		}
		done[key] = true
		switch mode[n.account][n.kind] {
		case Immediate:
			messages = append(messages, client.OutboxMessage.Create().SetAccountID(n.account).SetEmail(emails[n.account]).
				SetTemplate(string(n.kind)).SetLink(n.link).SetDedupKey(key).SetNextAttemptAt(now).SetCreatedAt(now))
		case DailyDigest:
			events = append(events, client.NotificationEvent.Create().SetAccountID(n.account).
				SetKind(notificationevent.Kind(n.kind)).SetDedupKey(key).SetCreatedAt(now))
		}
	}
	return insert(sys, client, messages, events)
}

// insert writes messages and digest entries, leaving out those already written.
func insert(sys context.Context, client *ent.Client, messages []*ent.OutboxMessageCreate, events []*ent.NotificationEventCreate) error {
	for i := 0; i < len(messages); i += 500 {
		if err := client.OutboxMessage.CreateBulk(messages[i:min(i+500, len(messages))]...).
			OnConflict(sql.ConflictColumns(outboxmessage.FieldDedupKey)).DoNothing().Exec(sys); err != nil && !noRows(err) {
			return fmt.Errorf("notify: write outbox: %w", err)
		}
	}
	for i := 0; i < len(events); i += 500 {
		if err := client.NotificationEvent.CreateBulk(events[i:min(i+500, len(events))]...).
			OnConflict(sql.ConflictColumns(notificationevent.FieldDedupKey)).DoNothing().Exec(sys); err != nil && !noRows(err) {
			return fmt.Errorf("notify: write digest entries: %w", err)
		}
	}
	return nil
}

// addresses returns the e-mail address of each account.
func addresses(sys context.Context, client *ent.Client, accounts map[int][]policy.Role) (map[int]string, error) {
	ids := make([]int, 0, len(accounts))
	for id := range accounts {
		ids = append(ids, id)
	}
	out := make(map[int]string, len(ids))
	for _, part := range chunks(ids) {
		rows, err := client.Account.Query().Where(account.IDIn(part...)).Select(account.FieldID, account.FieldEmail).All(sys)
		if err != nil {
			return nil, fmt.Errorf("notify: read addresses: %w", err)
		}
		for _, a := range rows {
			out[a.ID] = a.Email
		}
	}
	return out, nil
}

// dedupKey joins parts into a message's identity, hashed when too long for
// the column.
func dedupKey(parts ...string) string {
	k := ""
	for i, p := range parts {
		if i > 0 {
			k += ":"
		}
		k += p
	}
	if len(k) <= 200 {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// noRows is the answer of an insert whose every row was already there.
func noRows(err error) bool { return errors.Is(err, stdsql.ErrNoRows) }

// chunks cuts ids into parts of at most 1,000.
func chunks(ids []int) [][]int {
	var out [][]int
	for i := 0; i < len(ids); i += 1000 {
		out = append(out, ids[i:min(i+1000, len(ids))])
	}
	return out
}

func uniq(ids []int) []int {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
