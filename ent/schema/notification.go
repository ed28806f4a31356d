package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/siseri/siseri/policy/scope"
)

// notificationKinds are the events a person may be told about by e-mail. The
// activation e-mail of a new account is always sent and has no setting.
var notificationKinds = []string{
	"ExceedanceToConfirm", "EXCEEDANCE_TO_CONFIRM",
	"NewAnomaly", "NEW_ANOMALY",
	"Conflict", "CONFLICT",
	"BatchRejected", "BATCH_REJECTED",
}

// NotificationSubscription is a person's choice of how they are told by
// e-mail about one kind of event: at once, in a daily digest, or not at all.
// Without a row, the defaults of their roles apply (backend/notify).
type NotificationSubscription struct{ ent.Schema }

// Fields of the NotificationSubscription.
func (NotificationSubscription) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.Enum("kind").NamedValues(notificationKinds...).Immutable(),
		field.Enum("mode").NamedValues(
			"Immediate", "IMMEDIATE", "DailyDigest", "DAILY_DIGEST", "Off", "OFF",
		),
	}
}

// Indexes of the NotificationSubscription: one choice per person and kind.
func (NotificationSubscription) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "kind").Unique()}
}

// Mixin of the NotificationSubscription.
func (NotificationSubscription) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Policy of the NotificationSubscription: see policy/scope.
func (NotificationSubscription) Policy() ent.Policy { return scope.NotificationSubscription() }

// Annotations of the NotificationSubscription: read and written through
// notificationSettings / setNotificationSetting only.
func (NotificationSubscription) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// OutboxMessage is an e-mail to send, written in the transaction of the event
// that causes it and sent afterwards by the server's sender (backend/notify),
// which retries until the SMTP server accepts it. It holds no health data: a
// template name and a link to the screen where the person reads the details.
type OutboxMessage struct{ ent.Schema }

// Fields of the OutboxMessage.
func (OutboxMessage) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.String("email").NotEmpty().MaxLen(254).Immutable().
			Comment("The recipient's address when the message was written."),
		field.String("template").NotEmpty().MaxLen(40).Immutable().
			Comment("Template name (backend/notify): an event kind, DIGEST or ACTIVATION."),
		field.String("link").Optional().MaxLen(2000).Sensitive().
			Comment("The screen to open: a path under the public URL, or a full URL (activation: emptied once sent, it carries the one-time token)."),
		field.JSON("counts", map[string]int{}).Optional().Immutable().
			Comment("A digest's number of events per kind."),
		field.String("dedup_key").NotEmpty().MaxLen(200).Unique().Immutable().
			Comment("Identity of the message: the same event never sends it twice."),
		field.Int("attempts").Default(0).NonNegative(),
		field.Time("next_attempt_at").Comment("Not sent before; pushed back after each failure."),
		field.Time("sent_at").Optional().Nillable(),
		field.String("last_error").Optional().MaxLen(1000),
	}
}

// Indexes of the OutboxMessage: the sender reads the due ones.
func (OutboxMessage) Indexes() []ent.Index {
	return []ent.Index{index.Fields("sent_at", "next_attempt_at")}
}

// Mixin of the OutboxMessage.
func (OutboxMessage) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Policy of the OutboxMessage: written and read by the system only.
func (OutboxMessage) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the OutboxMessage: not exposed through GraphQL.
func (OutboxMessage) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// NotificationEvent is an event waiting for the daily digest of a person who
// chose DAILY_DIGEST for its kind: the digest counts them by kind and marks
// them digested in the transaction that writes its outbox message.
type NotificationEvent struct{ ent.Schema }

// Fields of the NotificationEvent.
func (NotificationEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").Immutable(),
		field.Enum("kind").NamedValues(notificationKinds...).Immutable(),
		field.String("dedup_key").NotEmpty().MaxLen(200).Unique().Immutable(),
		field.Time("digested_at").Optional().Nillable(),
	}
}

// Indexes of the NotificationEvent.
func (NotificationEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("digested_at", "account_id")}
}

// Mixin of the NotificationEvent.
func (NotificationEvent) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Policy of the NotificationEvent: written and read by the system only.
func (NotificationEvent) Policy() ent.Policy { return scope.SystemOnly() }

// Annotations of the NotificationEvent: not exposed through GraphQL.
func (NotificationEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
