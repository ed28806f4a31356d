// Package graph holds SISERI's GraphQL resolvers (thin: decode, call Ent or a
// backend service, encode), the error presenter and the operation guards.
package graph

import (
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/ent"
)

// Resolver is the root resolver and holds the dependencies of every resolver.
type Resolver struct {
	Client *ent.Client
	Auth   *auth.Service
	Audit  *audit.Log
}
