package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/ent/notificationevent"
	"github.com/siseri/siseri/ent/outboxmessage"
	"github.com/siseri/siseri/policy"
)

// ActivationLink writes the activation e-mail of account (the link only), with
// client, the client of the transaction that issued the token: the e-mail
// leaves only if it commits. It is always sent, whatever the settings.
func ActivationLink(ctx context.Context, client *ent.Client, acc *ent.Account, link string) error {
	sum := sha256.Sum256([]byte(link))
	now := time.Now()
	c := client.OutboxMessage.Create().SetAccountID(acc.ID).SetEmail(acc.Email).SetTemplate(TemplateActivation).
		SetLink(link).SetDedupKey("activation:" + strconv.Itoa(acc.ID) + ":" + hex.EncodeToString(sum[:16])).
		SetNextAttemptAt(now).SetCreatedAt(now)
	if err := insert(policy.SystemContext(ctx), client, []*ent.OutboxMessageCreate{c}, nil); err != nil {
		return fmt.Errorf("notify: activation e-mail: %w", err)
	}
	return nil
}

// Rejection is a batch rejected in full: nothing of it is stored, so its
// recipients are those who would read it: the submitter, the other accounts
// of its laboratory, or of its one establishment.
type Rejection struct {
	SubmitterID     int
	LaboratoryID    int
	EstablishmentID int
	// Reference and Checksum identify the submission.
	Reference, Checksum string
}

// Rejected writes the notifications of a rejected batch with client (the
// transaction of the submission).
func Rejected(ctx context.Context, client *ent.Client, r Rejection) error {
	sys := policy.SystemContext(ctx)
	where := grant.AccountID(r.SubmitterID)
	if r.LaboratoryID != 0 {
		where = grant.Or(where, grant.And(grant.RoleEQ(policy.RoleLaboratory), grant.LaboratoryID(r.LaboratoryID)))
	}
	if r.EstablishmentID != 0 {
		where = grant.Or(where, grant.And(grant.RoleIn(policy.RoleEmployer, policy.RoleRPA), grant.EstablishmentID(r.EstablishmentID)))
	}
	viewers, err := viewersOf(sys, client, []policy.Role{policy.RoleLaboratory, policy.RoleEmployer, policy.RoleRPA}, where)
	if err != nil {
		return err
	}
	var notices []notice
	for _, v := range viewers {
		link := "/"
		if v.Role == policy.RoleLaboratory {
			link = "/lots"
		}
		notices = append(notices, notice{account: v.AccountID, kind: BatchRejected, link: link,
			key: "batch:" + strconv.Itoa(r.SubmitterID) + ":" + r.Checksum + ":" + r.Reference})
	}
	return deliver(sys, client, viewers, notices, time.Now())
}

// Digest writes, for every person with digest entries created before the
// start of now's day (in zone), one DIGEST message counting them by kind, and
// marks them digested: one e-mail per person per day.
func Digest(ctx context.Context, client *ent.Client, now time.Time, zone *time.Location) (int, error) {
	sys := policy.SystemContext(ctx)
	local := now.In(zone)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, zone)
	due, err := client.NotificationEvent.Query().
		Where(notificationevent.DigestedAtIsNil(), notificationevent.CreatedAtLT(day)).All(sys)
	if err != nil {
		return 0, fmt.Errorf("notify: read digest entries: %w", err)
	}
	counts := map[int]map[string]int{}
	var ids []int
	for _, e := range due {
		if counts[e.AccountID] == nil {
			counts[e.AccountID] = map[string]int{}
		}
		counts[e.AccountID][string(e.Kind)]++
		ids = append(ids, e.ID)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	roles := map[int][]policy.Role{}
	for id := range counts {
		roles[id] = nil
	}
	emails, err := addresses(sys, client, roles)
	if err != nil {
		return 0, err
	}
	// A person already sent today's digest keeps the rest for tomorrow's.
	key := func(id int) string { return "digest:" + strconv.Itoa(id) + ":" + day.Format(time.DateOnly) }
	keys := make([]string, 0, len(counts))
	for id := range counts {
		keys = append(keys, key(id))
	}
	sent, err := client.OutboxMessage.Query().Where(outboxmessage.DedupKeyIn(keys...)).
		Select(outboxmessage.FieldAccountID).Ints(sys)
	if err != nil {
		return 0, fmt.Errorf("notify: read digests: %w", err)
	}
	for _, id := range sent {
		delete(counts, id)
	}
	ids = ids[:0]
	for _, e := range due {
		if counts[e.AccountID] != nil {
			ids = append(ids, e.ID)
		}
	}
	var messages []*ent.OutboxMessageCreate
	for _, id := range slices.Sorted(maps.Keys(counts)) {
		messages = append(messages, client.OutboxMessage.Create().SetAccountID(id).SetEmail(emails[id]).
			SetTemplate(TemplateDigest).SetCounts(counts[id]).
			SetDedupKey(key(id)).SetNextAttemptAt(now).SetCreatedAt(now))
	}
	if err := insert(sys, client, messages, nil); err != nil {
		return 0, err
	}
	for i := 0; i < len(ids); i += 1000 {
		if err := client.NotificationEvent.Update().Where(notificationevent.IDIn(ids[i:min(i+1000, len(ids))]...)).
			SetDigestedAt(now).Exec(sys); err != nil {
			return 0, fmt.Errorf("notify: mark digested: %w", err)
		}
	}
	return len(messages), nil
}

// pendingMessages counts the messages not sent yet (for tests and logs).
func pendingMessages(ctx context.Context, client *ent.Client) (int, error) {
	return client.OutboxMessage.Query().Where(outboxmessage.SentAtIsNil()).Count(policy.SystemContext(ctx))
}
