// Package graph holds SISERI's GraphQL resolvers (thin: decode, call Ent or a
// backend service, encode), the error presenter and the operation guards.
package graph

import (
	"log/slog"

	"entgo.io/contrib/entgql"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/oidc"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/ent"
)

// Resolver is the root resolver and holds the dependencies of every resolver.
type Resolver struct {
	Client *ent.Client
	Auth   *auth.Service
	Audit  *audit.Log
	// Hub delivers the events subscriptions stream; Broker announces them.
	Hub    *alerts.Hub
	Broker *alerts.Broker
	Log    *slog.Logger
	// Importer imports batches and records corrections (its Registry).
	Importer *registry.Importer
	// OIDC lists the sign-in providers and issues worker claim codes.
	OIDC *oidc.Service

	deliveries *deliveryCache
}

// cursorOf is the subscription cursor of an anomaly.
func cursorOf(id int) entgql.Cursor[int] { return entgql.Cursor[int]{ID: id} }
