package audit

import (
	"context"
	"fmt"
	"slices"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/ent/auditsubject"
	"github.com/siseri/siseri/policy"
)

// Report is the outcome of a chain verification.
type Report struct {
	// Events is the number of events read.
	Events int
	// Problems lists every break found, in French, first break first.
	Problems []string
}

// OK reports whether the chain is intact.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Verify reads the whole chain in order and checks that seq runs 1..n with no
// gap, that each event names the previous hash, that each hash matches the
// event's content, and that the worker index matches each event. It stops
// collecting after 100 problems.
func Verify(ctx context.Context, client *ent.Client) (Report, error) {
	ctx = policy.SystemContext(ctx)
	var rep Report
	prevHash := ""
	var expected int64 = 1
	const page = 5000
	for after := int64(0); ; {
		events, err := client.AuditEvent.Query().Where(auditevent.SeqGT(after)).
			Order(ent.Asc(auditevent.FieldSeq)).Limit(page).All(ctx)
		if err != nil {
			return rep, fmt.Errorf("audit: read events: %w", err)
		}
		if len(events) == 0 {
			return rep, nil
		}
		subjects, err := subjectsOf(ctx, client, events)
		if err != nil {
			return rep, err
		}
		for _, e := range events {
			rep.Events++
			rep.check(e, expected, prevHash, subjects[e.ID])
			if len(rep.Problems) >= 100 {
				return rep, nil
			}
			expected, prevHash, after = e.Seq+1, e.Hash, e.Seq
		}
	}
}

func (r *Report) check(e *ent.AuditEvent, expected int64, prevHash string, subjects []int) {
	if e.Seq != expected {
		r.Problems = append(r.Problems, fmt.Sprintf("événement n° %d : numéro attendu %d (événement supprimé ou inséré)", e.Seq, expected))
	}
	if e.PrevHash != prevHash {
		r.Problems = append(r.Problems, fmt.Sprintf("événement n° %d : il ne suit pas l'empreinte de l'événement précédent", e.Seq))
	}
	ev := event{Seq: e.Seq, At: e.At, ActorAccountID: e.ActorAccountID, ActorAPIKeyID: e.ActorAPIKeyID,
		ActorLabel: e.ActorLabel, ActorRole: e.ActorRole, GrantID: e.GrantID, Action: e.Action, Operation: e.Operation,
		FieldPaths: e.FieldPaths, ObjectType: e.ObjectType, ObjectIDs: e.ObjectIds, WorkerIDs: e.WorkerIds,
		Details: e.Details, PrevHash: e.PrevHash}
	if h, err := ev.hash(); err != nil || h != e.Hash {
		r.Problems = append(r.Problems, fmt.Sprintf("événement n° %d : son contenu ne correspond plus à son empreinte (modifié)", e.Seq))
	}
	want := slices.Clone(e.WorkerIds)
	slices.Sort(want)
	slices.Sort(subjects)
	if !slices.Equal(want, subjects) {
		r.Problems = append(r.Problems, fmt.Sprintf("événement n° %d : l'index des personnes concernées a été modifié", e.Seq))
	}
}

func subjectsOf(ctx context.Context, client *ent.Client, events []*ent.AuditEvent) (map[int][]int, error) {
	ids := make([]int, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	rows, err := client.AuditSubject.Query().Where(auditsubject.EventIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: read subjects: %w", err)
	}
	out := map[int][]int{}
	for _, s := range rows {
		out[s.EventID] = append(out[s.EventID], s.WorkerID)
	}
	return out, nil
}
