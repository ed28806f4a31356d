// Package notify tells people by e-mail that something waits for them in
// SISERI: a limit exceedance to confirm, a new anomaly, a correction conflict,
// a rejected batch, and the activation link of a new account. The messages
// are written to an outbox (OutboxMessage) in the transaction of the event
// that causes them, and a sender loop in the server delivers them over SMTP,
// retrying until the server accepts them. No message carries health data:
// only « something waits for you » and a link to the screen.
package notify

import (
	"context"
	"fmt"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/notificationsubscription"
	"github.com/siseri/siseri/policy"
)

// Kind is an event a person may be told about.
type Kind = notificationsubscription.Kind

// Mode is how a person is told about one kind of event.
type Mode = notificationsubscription.Mode

// The kinds and modes.
const (
	ExceedanceToConfirm = notificationsubscription.KindExceedanceToConfirm
	NewAnomaly          = notificationsubscription.KindNewAnomaly
	Conflict            = notificationsubscription.KindConflict
	BatchRejected       = notificationsubscription.KindBatchRejected

	Immediate   = notificationsubscription.ModeImmediate
	DailyDigest = notificationsubscription.ModeDailyDigest
	Off         = notificationsubscription.ModeOff
)

// Kinds lists the kinds in the order they are shown (and, for one event a
// person sees under several roles, in order of precedence).
var Kinds = []Kind{ExceedanceToConfirm, NewAnomaly, Conflict, BatchRejected}

// roleDefaults are the modes of a person who has not chosen, per role: each
// role is told at once what it has to act on, and in a digest what it reads.
var roleDefaults = map[policy.Role]map[Kind]Mode{
	policy.RolePhysician:  {ExceedanceToConfirm: Immediate, NewAnomaly: DailyDigest, Conflict: Immediate},
	policy.RoleDelegate:   {NewAnomaly: DailyDigest, Conflict: DailyDigest},
	policy.RoleRPA:        {NewAnomaly: Immediate, BatchRejected: Immediate},
	policy.RoleEmployer:   {NewAnomaly: DailyDigest, BatchRejected: Immediate},
	policy.RoleLaboratory: {BatchRejected: Immediate},
}

// rank orders modes from the quietest to the most immediate.
func rank(m Mode) int {
	switch m {
	case Immediate:
		return 2
	case DailyDigest:
		return 1
	}
	return 0
}

// DefaultMode is the mode of kind k for a person holding roles who has not
// chosen: the most immediate of their roles' defaults, OFF when none.
func DefaultMode(roles []policy.Role, k Kind) Mode {
	best := Off
	for _, r := range roles {
		if m, ok := roleDefaults[r][k]; ok && rank(m) > rank(best) {
			best = m
		}
	}
	return best
}

// Setting is a person's mode for one kind; Default is true when they have
// not chosen it.
type Setting struct {
	Kind    Kind
	Mode    Mode
	Default bool
}

// Settings returns the signed-in person's setting of every kind, read under
// their own access (ctx carries the viewer).
func Settings(ctx context.Context, client *ent.Client) ([]Setting, error) {
	v := policy.FromContext(ctx)
	rows, err := client.NotificationSubscription.Query().
		Where(notificationsubscription.AccountID(v.AccountID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read notification settings: %w", err)
	}
	chosen := map[Kind]Mode{}
	for _, r := range rows {
		chosen[r.Kind] = r.Mode
	}
	roles := v.RoleNames()
	out := make([]Setting, len(Kinds))
	for i, k := range Kinds {
		m, ok := chosen[k]
		if !ok {
			m = DefaultMode(roles, k)
		}
		out[i] = Setting{Kind: k, Mode: m, Default: !ok}
	}
	return out, nil
}

// Set records the signed-in person's mode for kind k (under their own
// access: the policy lets a person write only their own choices).
func Set(ctx context.Context, client *ent.Client, k Kind, m Mode) error {
	v := policy.FromContext(ctx)
	n, err := client.NotificationSubscription.Update().
		Where(notificationsubscription.AccountID(v.AccountID), notificationsubscription.KindEQ(k)).
		SetMode(m).Save(ctx)
	if err != nil {
		return fmt.Errorf("update notification setting: %w", err)
	}
	if n > 0 {
		return nil
	}
	if err := client.NotificationSubscription.Create().SetAccountID(v.AccountID).SetKind(k).SetMode(m).Exec(ctx); err != nil {
		return fmt.Errorf("create notification setting: %w", err)
	}
	return nil
}

// modes returns the mode of every kind for each account, chosen or default,
// read by the system for the recipients of an event.
func modes(ctx context.Context, client *ent.Client, roles map[int][]policy.Role) (map[int]map[Kind]Mode, error) {
	ids := make([]int, 0, len(roles))
	for id := range roles {
		ids = append(ids, id)
	}
	out := make(map[int]map[Kind]Mode, len(ids))
	for id, rs := range roles {
		out[id] = map[Kind]Mode{}
		for _, k := range Kinds {
			out[id][k] = DefaultMode(rs, k)
		}
	}
	for _, part := range chunks(ids) {
		rows, err := client.NotificationSubscription.Query().
			Where(notificationsubscription.AccountIDIn(part...)).All(policy.SystemContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("read notification settings: %w", err)
		}
		for _, r := range rows {
			out[r.AccountID][r.Kind] = r.Mode
		}
	}
	return out, nil
}
